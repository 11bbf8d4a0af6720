"""The SHACL shapes checked on the build's Oxigraph store: the fast path of validation.

pySHACL is the reference engine, but importing it and giving it an rdflib graph costs more than
the rest of a build. The shapes use a small part of SHACL Core (plus two SPARQL constraints),
so this module reads them with Oxigraph and checks that part directly on the store the build
already has. It only decides whether there is anything to report: when it finds a result, or
when the shapes use a feature it does not know, the caller runs pySHACL for the authoritative
report (:func:`findings` returns ``None`` for the latter). Differential tests
(``tests/graph/test_shacl_fast.py``) hold it to pySHACL's verdicts on the real graph and on
mutations of it that break each constraint.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from itertools import chain
from typing import NamedTuple

import pyoxigraph as ox

from ..resources import ontology_file
from ..vocab import RDF_IRI, RDFS_IRI, SHACL_IRI, XSD_IRI

__all__ = ["Finding", "findings"]

Term = ox.NamedNode | ox.BlankNode | ox.Literal

_TYPE = ox.NamedNode(RDF_IRI + "type")
_FIRST, _REST, _NIL = (ox.NamedNode(RDF_IRI + name) for name in ("first", "rest", "nil"))
_SUBCLASS = ox.NamedNode(RDFS_IRI + "subClassOf")
_CLASS_TYPES = (ox.NamedNode(RDFS_IRI + "Class"), ox.NamedNode("http://www.w3.org/2002/07/owl#Class"))
_STRING = XSD_IRI + "string"

#: The shapes-graph predicates this module understands; any other ``sh:`` one sends validation to pySHACL.
_KNOWN = {
    *("targetClass", "targetSubjectsOf", "property", "path", "inversePath", "alternativePath"),
    *("nodeKind", "pattern", "minCount", "maxCount", "minLength", "class", "datatype"),
    *("minInclusive", "maxInclusive", "in", "hasValue", "or", "qualifiedValueShape"),
    *("qualifiedMinCount", "qualifiedMaxCount", "sparql", "select", "prefixes", "declare"),
    *("prefix", "namespace", "severity", "message", "name", "description"),
}

#: Lexical forms the XSD datatypes of the shapes accept (stricter is safe: pySHACL then decides).
_LEXICAL = {
    "integer": re.compile(r"[+-]?[0-9]+"),
    "decimal": re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"),
    "gYear": re.compile(r"[0-9]{4}"),
    "date": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
    "duration": re.compile(
        r"P(?=[0-9T])([0-9]+Y)?([0-9]+M)?([0-9]+D)?(T(?=[0-9])([0-9]+H)?([0-9]+M)?([0-9]+S)?)?"
    ),
    "string": re.compile(r".*", re.DOTALL),
}


@dataclass(frozen=True)
class Finding:
    """One result the shapes give: what pySHACL's report would list (severity aside)."""

    focus: Term
    path: str  # the IRI, ``^IRI`` for an inverse path, ``IRI|IRI`` for alternatives, "" for none
    component: str  # local name of the constraint component, e.g. ``MinCountConstraintComponent``


#: The constraint parameters checked, in the order pySHACL's components take them.
_PARAMETERS = (
    *("nodeKind", "pattern", "minLength", "class", "datatype", "minInclusive", "maxInclusive"),
    *("minCount", "maxCount", "in", "hasValue", "or", "qualifiedValueShape", "sparql"),
)


class _Unsupported(Exception):
    """The shapes use a SHACL feature this module does not check."""


def _sh(name: str) -> ox.NamedNode:
    return ox.NamedNode(SHACL_IRI + name)


class _Graph:
    """Reads of one store: each predicate's triples fetched once, indexed both ways."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._forward: dict[ox.NamedNode, dict[Term, list[Term]]] = {}
        self._backward: dict[ox.NamedNode, dict[Term, list[Term]]] = {}
        self._supers: dict[Term, set[Term]] = {}

    def forward(self, predicate: ox.NamedNode) -> dict[Term, list[Term]]:
        """Each subject of ``predicate`` and its objects (distinct: a store holds each triple once).

        RDF-star triples are left out: they are not SHACL's business."""
        index = self._forward.get(predicate)
        if index is None:
            index = self._forward[predicate] = defaultdict(list)
            for quad in self.store.quads_for_pattern(None, predicate, None, ox.DefaultGraph()):
                s, o = quad.subject, quad.object
                if not isinstance(s, ox.Triple) and not isinstance(o, ox.Triple):
                    index[s].append(o)
        return index

    def backward(self, predicate: ox.NamedNode) -> dict[Term, list[Term]]:
        """Each object of ``predicate`` and its subjects."""
        index = self._backward.get(predicate)
        if index is None:
            index = self._backward[predicate] = defaultdict(list)
            for s, objects in self.forward(predicate).items():
                for o in objects:
                    index[o].append(s)
        return index

    def objects(self, subject: Term, predicate: ox.NamedNode) -> list[Term]:
        return self.forward(predicate).get(subject, [])

    def value(self, subject: Term, predicate: ox.NamedNode) -> Term | None:
        values = self.objects(subject, predicate)
        return values[0] if values else None

    def items(self, head: Term | None) -> list[Term]:
        """The members of an RDF list."""
        members = []
        while head is not None and head != _NIL:
            members.append(self.value(head, _FIRST))
            head = self.value(head, _REST)
        return [m for m in members if m is not None]

    def superclasses(self, cls: Term) -> set[Term]:
        """``cls`` and every class it is a subclass of (``rdfs:subClassOf*``)."""
        if cls not in self._supers:
            seen, todo = {cls}, [cls]
            while todo:
                for parent in self.objects(todo.pop(), _SUBCLASS):
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            self._supers[cls] = seen
        return self._supers[cls]

    def is_instance(self, node: Term, cls: Term) -> bool:
        return any(cls in self.superclasses(t) for t in self.objects(node, _TYPE))

    def instances(self, cls: Term) -> list[Term]:
        """Every SHACL instance of ``cls`` (``rdf:type/rdfs:subClassOf*``), in the store's order."""
        types = self.backward(_TYPE)
        return [s for t in list(types) if cls in self.superclasses(t) for s in types[t]]


@cache
def _shapes() -> _Graph:
    """The packaged shapes, parsed once per process, after making sure they use only what is checked here."""
    store = ox.Store()
    store.load(path=str(ontology_file("shapes.ttl")), format=ox.RdfFormat.TURTLE)
    for quad in store:
        name = quad.predicate.value
        if name.startswith(SHACL_IRI) and name.removeprefix(SHACL_IRI) not in _KNOWN:
            raise _Unsupported(name)
        if quad.predicate == _TYPE and quad.object in _CLASS_TYPES:
            raise _Unsupported("a shape that is also a class (an implicit class target)")
    return _Graph(store)


def _number(term: Term) -> Decimal | None:
    """The value of a numeric XSD literal, None for anything else."""
    if not isinstance(term, ox.Literal) or term.datatype.value[len(XSD_IRI) :] not in ("integer", "decimal"):
        return None
    try:
        return Decimal(term.value) if _well_formed(term) else None
    except InvalidOperation:
        return None


def _well_formed(term: ox.Literal) -> bool:
    if not term.datatype.value.startswith(XSD_IRI):
        return False
    name = term.datatype.value.removeprefix(XSD_IRI)
    lexical = _LEXICAL.get(name)
    if lexical is None or not lexical.fullmatch(term.value):
        return False
    if name == "date":
        try:
            date.fromisoformat(term.value)
        except ValueError:
            return False
    return True


#: The value nodes of each focus node of a shape (the focus node itself when the shape has no path).
Values = dict[Term, Sequence[Term]]

#: A compiled constraint: from the value nodes of every focus node, each focus node that breaks it
#: and the component it breaks.
Check = Callable[[Values], Iterable[tuple[Term, str]]]

_NODE_KINDS = {
    "IRI": (ox.NamedNode,),
    "Literal": (ox.Literal,),
    "BlankNode": (ox.BlankNode,),
    "BlankNodeOrIRI": (ox.BlankNode, ox.NamedNode),
    "IRIOrLiteral": (ox.NamedNode, ox.Literal),
    "BlankNodeOrLiteral": (ox.BlankNode, ox.Literal),
}


def _bad_values(component: str, bad: Callable[[set[Term]], set[Term]]) -> Check:
    """A constraint each value node must meet on its own: ``bad`` picks, from all the distinct
    value nodes at once, those that do not (so each is tested once, however many focus nodes share it)."""

    def check(values: Values) -> list[tuple[Term, str]]:
        failing = bad(set(chain.from_iterable(values.values())))
        return [(f, component) for f, v in values.items() if not failing.isdisjoint(v)] if failing else []

    return check


def _each(component: str, ok: Callable[[Term], bool]) -> Check:
    return _bad_values(component, lambda values: {v for v in values if not ok(v)})


def _when(component: str, broken: Callable[[Term, Sequence[Term]], bool]) -> Check:
    """A constraint on the value nodes of a focus node together."""
    return lambda values: [(f, component) for f, v in values.items() if broken(f, v)]


class _Shape(NamedTuple):
    """A shape compiled: its path's text and value nodes (None: no path), checks and property shapes."""

    path: str
    reach: Callable[[list[Term]], Values] | None
    checks: list[Check]
    properties: list[Term]


class _Checker:
    """The shapes compiled, once, into checks over one data graph."""

    def __init__(self, data: _Graph) -> None:
        self.shapes = _shapes()
        self.data = data
        self._compiled: dict[Term, _Shape] = {}

    def run(self) -> Iterator[Finding]:
        s, d = self.shapes, self.data
        targeted = {shape for name in ("targetClass", "targetSubjectsOf") for shape in s.forward(_sh(name))}
        for shape in sorted(targeted, key=str):  # node shapes and property shapes alike
            targets: dict[Term, None] = {}
            for cls in s.objects(shape, _sh("targetClass")):
                targets.update(dict.fromkeys(d.instances(cls)))
            for predicate in s.objects(shape, _sh("targetSubjectsOf")):
                assert isinstance(predicate, ox.NamedNode)
                targets.update(dict.fromkeys(d.forward(predicate)))
            yield from self.check(shape, list(targets))

    def failing(self, shape: Term, focuses: list[Term]) -> set[Term]:
        """Those of ``focuses`` that do not conform to ``shape``."""
        return {finding.focus for finding in self.check(shape, focuses)}

    def check(self, shape: Term, focuses: list[Term]) -> Iterator[Finding]:
        """What each of ``focuses`` (distinct) breaks of ``shape`` (a property shape when it has a path)."""
        compiled = self.compile(shape)
        values: Values = {f: (f,) for f in focuses} if compiled.reach is None else compiled.reach(focuses)
        for check in compiled.checks:
            for focus, component in check(values):
                yield Finding(focus, compiled.path, component + "ConstraintComponent")
        for prop in compiled.properties:
            yield from self.check(prop, focuses)

    def compile(self, shape: Term) -> _Shape:
        if shape not in self._compiled:
            s = self.shapes
            path = s.value(shape, _sh("path"))
            text, reach = ("", None) if path is None else self.path(path)
            checks = [
                self._constraint(shape, name, parameter)
                for name in _PARAMETERS
                for parameter in s.objects(shape, _sh(name))
            ]
            self._compiled[shape] = _Shape(text, reach, checks, s.objects(shape, _sh("property")))
        return self._compiled[shape]

    def _constraint(self, shape: Term, name: str, parameter: Term) -> Check:
        """One constraint parameter of ``shape`` as a check."""
        s, d = self.shapes, self.data
        component = "SPARQL" if name == "sparql" else name[0].upper() + name[1:]
        if name in ("minCount", "maxCount"):
            limit = int(parameter.value)
            return _when(component, lambda f, v: len(v) < limit if name == "minCount" else len(v) > limit)
        if name == "in":
            allowed = set(s.items(parameter))
            return _each(component, allowed.__contains__)
        if name == "hasValue":
            return _when(component, lambda f, v: parameter not in v)
        if name == "or":
            alternatives = s.items(parameter)
            return _bad_values(component, lambda values: self._fails_all(alternatives, values))
        if name == "qualifiedValueShape":
            return self._qualified(shape, parameter)
        if name == "sparql":
            return self._sparql(parameter)
        if name == "nodeKind":
            kinds = _NODE_KINDS[parameter.value.removeprefix(SHACL_IRI)]
            return _each(component, lambda v: isinstance(v, kinds))
        if name == "pattern":
            regex = re.compile(parameter.value)
            return _each(
                component, lambda v: not isinstance(v, ox.BlankNode) and regex.search(v.value) is not None
            )
        if name == "minLength":
            least = int(parameter.value)
            return _each(component, lambda v: not isinstance(v, ox.BlankNode) and len(v.value) >= least)
        if name == "class":
            return _each(component, lambda v: not isinstance(v, ox.Literal) and d.is_instance(v, parameter))
        if name == "datatype":
            return _each(
                component,
                lambda v: (
                    isinstance(v, ox.Literal)
                    and v.datatype == parameter
                    and (v.datatype.value == _STRING or _well_formed(v))
                ),
            )
        bound = _number(parameter)
        if bound is None:
            raise _Unsupported(f"sh:{name} {parameter}")
        if name == "minInclusive":
            return _each(component, lambda v: (n := _number(v)) is not None and n >= bound)
        return _each(component, lambda v: (n := _number(v)) is not None and n <= bound)

    def _fails_all(self, alternatives: list[Term], nodes: set[Term]) -> set[Term]:
        """Those of ``nodes`` that conform to none of ``alternatives`` (``sh:or``)."""
        for alternative in alternatives:
            nodes = self.failing(alternative, list(nodes)) if nodes else nodes
        return nodes

    def _qualified(self, shape: Term, inner: Term) -> Check:
        low, high = (
            self.shapes.value(shape, _sh(name)) for name in ("qualifiedMinCount", "qualifiedMaxCount")
        )

        def check(values: Values) -> Iterator[tuple[Term, str]]:
            failing = self.failing(inner, list(set(chain.from_iterable(values.values()))))
            for focus, nodes in values.items():
                count = sum(node not in failing for node in nodes)
                if low is not None and count < int(low.value):
                    yield focus, "QualifiedMinCount"
                if high is not None and count > int(high.value):
                    yield focus, "QualifiedMaxCount"

        return check

    def _sparql(self, constraint: Term) -> Check:
        """A SHACL-SPARQL SELECT constraint: broken by a focus node for which it returns a row."""
        s = self.shapes
        select = s.value(constraint, _sh("select"))
        if select is None:
            raise _Unsupported("sh:sparql without sh:select")
        prefixes = {}
        for ontology in s.objects(constraint, _sh("prefixes")):
            for declaration in s.objects(ontology, _sh("declare")):
                prefix, namespace = (
                    s.value(declaration, _sh("prefix")),
                    s.value(declaration, _sh("namespace")),
                )
                if prefix is not None and namespace is not None:
                    prefixes[prefix.value] = namespace.value

        def rows(focus: Term, values: Sequence[Term]) -> bool:
            solutions = self.data.store.query(
                select.value, prefixes=prefixes, substitutions={ox.Variable("this"): focus}
            )
            assert isinstance(solutions, ox.QuerySolutions)
            return next(iter(solutions), None) is not None

        return _when("SPARQL", rows)

    def path(self, node: Term) -> tuple[str, Callable[[list[Term]], Values]]:
        """The path's text, and from focus nodes to the distinct value nodes it reaches from each."""
        s, d = self.shapes, self.data
        if isinstance(node, ox.NamedNode):
            return node.value, lambda focuses: _reached(focuses, d.forward(node))
        inverse = s.value(node, _sh("inversePath"))
        if isinstance(inverse, ox.NamedNode):
            return "^" + inverse.value, lambda focuses: _reached(focuses, d.backward(inverse))
        alternatives = s.items(s.value(node, _sh("alternativePath")))
        if alternatives and all(isinstance(a, ox.NamedNode) for a in alternatives):
            return "|".join(a.value for a in alternatives), lambda focuses: _reached(
                focuses,
                *(d.forward(a) for a in alternatives),  # type: ignore[arg-type]
            )
        raise _Unsupported("a property path other than a predicate, an inverse or alternatives")


def _reached(focuses: list[Term], *indexes: dict[Term, list[Term]]) -> Values:
    """The value nodes of each focus node along one or more predicates (either way)."""
    if len(indexes) == 1:  # the index's values are distinct already
        return {f: indexes[0].get(f, ()) for f in focuses}
    return {f: list(dict.fromkeys(chain.from_iterable(i.get(f, ()) for i in indexes))) for f in focuses}


def findings(store: ox.Store) -> list[Finding] | None:
    """What the shapes find in the default graph of ``store``; None when they use a feature this
    module does not check (then only pySHACL can say)."""
    try:
        return list(_Checker(_Graph(store)).run())
    except _Unsupported:
        return None
