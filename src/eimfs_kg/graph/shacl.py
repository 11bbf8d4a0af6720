"""The SHACL shapes checked on the build's Oxigraph store: the fast path of validation.

pySHACL is the reference engine, but importing it and giving it an rdflib graph costs more than
the rest of a build. The shapes use a small part of SHACL Core (plus two SPARQL constraints),
so this module reads them with Oxigraph and checks that part directly on the store the build
already has. It only decides whether there is anything to report: when it finds a result, or
when the shapes use a feature it does not know, the caller runs pySHACL for the authoritative
report (:func:`findings` returns ``None`` for the latter). Most focus nodes are the thousands of
statement nodes, so it works by column, not by node: each predicate a path uses is read from the
store once, into two lists (subjects and objects), and each constraint is checked for all the
focus nodes of a shape at once, on counts and on the distinct value nodes. Differential tests
(``tests/graph/test_shacl_fast.py``) hold it to pySHACL's verdicts on the real graph and on
mutations of it that break each constraint.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache, cached_property
from itertools import chain, compress
from typing import NamedTuple, cast

import pyoxigraph as ox

from ..resources import ontology_file
from ..vocab import OWL_IRI, RDF_IRI, RDFS_IRI, SHACL_IRI, XSD_IRI

__all__ = ["Finding", "findings"]

Term = ox.NamedNode | ox.BlankNode | ox.Literal

_TYPE = ox.NamedNode(RDF_IRI + "type")
_FIRST, _REST, _NIL = (ox.NamedNode(RDF_IRI + name) for name in ("first", "rest", "nil"))
_SUBCLASS = ox.NamedNode(RDFS_IRI + "subClassOf")
_CLASS_TYPES = (ox.NamedNode(RDFS_IRI + "Class"), ox.NamedNode(OWL_IRI + "Class"))
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


@cache
def _sh(name: str) -> ox.NamedNode:
    return ox.NamedNode(SHACL_IRI + name)


class _Edges:
    """The (node, value node) pairs of a path, as two lists in step (each pair once), and what the
    checks ask of them, worked out once when first asked: two lists rather than an object per
    pair, and counts and value sets for the whole path rather than lookups node by node, as the
    statement nodes alone give thousands of pairs per predicate."""

    def __init__(self, starts: list[Term], ends: list[Term]) -> None:
        self.starts, self.ends = starts, ends

    @cached_property
    def counts(self) -> Counter[Term]:
        """Each node's number of value nodes."""
        return Counter(self.starts)

    @cached_property
    def values(self) -> set[Term]:
        """Every value node."""
        return set(self.ends)

    @cached_property
    def index(self) -> dict[Term, list[Term]]:
        """Each node's value nodes."""
        index = defaultdict(list)
        for start, end in zip(self.starts, self.ends, strict=True):
            index[start].append(end)
        return index

    def holding(self, values: set[Term], nodes: dict[Term, None]) -> Counter[Term]:
        """How many of ``values`` each of ``nodes`` has as value nodes."""
        return Counter(s for s in compress(self.starts, [v in values for v in self.ends]) if s in nodes)


class _Graph:
    """Reads of one store: each predicate's triples fetched once, then indexed as the checks need."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._edges: dict[tuple[ox.NamedNode, bool], _Edges] = {}
        self._supers: dict[Term, set[Term]] = {}
        self._instances: dict[Term, dict[Term, None]] = {}

    def edges(self, predicate: ox.NamedNode, inverse: bool = False) -> _Edges:
        """The subjects of ``predicate`` and their objects (the other way round if ``inverse``).
        RDF-star triples are left out: they are not SHACL's business."""
        key = (predicate, inverse)
        if key not in self._edges:
            if inverse:
                forward = self.edges(predicate)
                self._edges[key] = _Edges(forward.ends, forward.starts)
            else:
                quads = list(self.store.quads_for_pattern(None, predicate, None, ox.DefaultGraph()))
                subjects, objects = [q.subject for q in quads], [q.object for q in quads]
                if ox.Triple in {*map(type, subjects), *map(type, objects)}:
                    kept = [
                        type(s) is not ox.Triple and type(o) is not ox.Triple
                        for s, o in zip(subjects, objects, strict=True)
                    ]
                    subjects, objects = list(compress(subjects, kept)), list(compress(objects, kept))
                self._edges[key] = _Edges(*cast(tuple[list[Term], list[Term]], (subjects, objects)))
        return self._edges[key]

    def objects(self, subject: Term, predicate: ox.NamedNode) -> list[Term]:
        return self.edges(predicate).index.get(subject, [])

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

    def instances(self, cls: Term) -> dict[Term, None]:
        """Every SHACL instance of ``cls`` (``rdf:type/rdfs:subClassOf*``): a dict, to keep the
        store's order and to look nodes up."""
        if cls not in self._instances:
            types = self.edges(_TYPE, inverse=True).index
            self._instances[cls] = {s: None for t in types if cls in self.superclasses(t) for s in types[t]}
        return self._instances[cls]


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


#: A compiled constraint: from some focus nodes (distinct) and the path to their value nodes
#: (across the whole graph), each focus node that breaks it and the component it breaks.
Check = Callable[[dict[Term, None], _Edges], Iterable[tuple[Term, str]]]

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
    value nodes of a path at once, those that do not. Each is tested once, however many nodes share
    it and however many node shapes share the property shape (as all share ``ekgsh:OneLabel``)."""
    found: dict[_Edges, set[Term]] = {}

    def check(focuses: dict[Term, None], path: _Edges) -> Iterable[tuple[Term, str]]:
        if path not in found:
            found[path] = bad(path.values)
        failing = found[path]
        return [(focus, component) for focus in path.holding(failing, focuses)] if failing else []

    return check


def _each(component: str, ok: Callable[[Term], bool]) -> Check:
    """A constraint each value node must meet on its own, tested node by node."""
    return _bad_values(component, lambda nodes: {v for v in nodes if not ok(v)})


class _Shape(NamedTuple):
    """A shape compiled: its path's text and edges (None: no path), its checks and property shapes."""

    path: str
    edges: Callable[[], _Edges] | None
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
        targeted = {
            shape for name in ("targetClass", "targetSubjectsOf") for shape in s.edges(_sh(name)).starts
        }
        for shape in sorted(targeted, key=str):  # node shapes and property shapes alike
            targets: dict[Term, None] = {}
            for cls in s.objects(shape, _sh("targetClass")):
                targets.update(d.instances(cls))
            for predicate in s.objects(shape, _sh("targetSubjectsOf")):
                assert isinstance(predicate, ox.NamedNode)
                targets.update(dict.fromkeys(d.edges(predicate).starts))
            yield from self.check(shape, targets)

    def failing(self, shape: Term, nodes: Iterable[Term]) -> set[Term]:
        """Those of ``nodes`` that do not conform to ``shape``."""
        return {finding.focus for finding in self.check(shape, dict.fromkeys(nodes))}

    def check(self, shape: Term, focuses: dict[Term, None]) -> Iterator[Finding]:
        """What each of ``focuses`` (a dict: ordered, and quick to look up) breaks of ``shape`` (a
        property shape when it has a path)."""
        compiled = self.compile(shape)
        if compiled.checks:
            path = _Edges(list(focuses), list(focuses)) if compiled.edges is None else compiled.edges()
            for check in compiled.checks:
                for focus, component in check(focuses, path):
                    yield Finding(focus, compiled.path, component + "ConstraintComponent")
        for prop in compiled.properties:
            yield from self.check(prop, focuses)

    def compile(self, shape: Term) -> _Shape:
        if shape not in self._compiled:
            s = self.shapes
            path = s.value(shape, _sh("path"))
            text, edges = ("", None) if path is None else self.path(path)
            checks = [
                self._constraint(shape, name, parameter)
                for name in _PARAMETERS
                for parameter in s.objects(shape, _sh(name))
            ]
            self._compiled[shape] = _Shape(text, edges, checks, s.objects(shape, _sh("property")))
        return self._compiled[shape]

    def _constraint(self, shape: Term, name: str, parameter: Term) -> Check:
        """One constraint parameter of ``shape`` as a check."""
        s, d = self.shapes, self.data
        component = "SPARQL" if name == "sparql" else name[0].upper() + name[1:]
        if name == "minCount":
            least = int(parameter.value)
            return lambda focuses, path: [(f, component) for f in focuses if path.counts[f] < least]
        if name == "maxCount":
            most = int(parameter.value)
            return lambda focuses, path: [
                (f, component) for f, n in path.counts.items() if n > most and f in focuses
            ]
        if name == "in":
            allowed = set(s.items(parameter))
            return _each(component, allowed.__contains__)
        if name == "hasValue":

            def lacking(focuses: dict[Term, None], path: _Edges) -> list[tuple[Term, str]]:
                held = path.holding({parameter}, focuses)
                return [(f, component) for f in focuses if f not in held]

            return lacking
        if name == "or":
            alternatives = s.items(parameter)
            return _bad_values(component, lambda nodes: self._fails_all(alternatives, nodes))
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
            shortest = int(parameter.value)
            return _each(component, lambda v: not isinstance(v, ox.BlankNode) and len(v.value) >= shortest)
        if name == "class":
            return _each(component, lambda v: v in d.instances(parameter))
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
            nodes = self.failing(alternative, nodes) if nodes else nodes
        return nodes

    def _qualified(self, shape: Term, inner: Term) -> Check:
        low, high = (
            self.shapes.value(shape, _sh(name)) for name in ("qualifiedMinCount", "qualifiedMaxCount")
        )

        def check(focuses: dict[Term, None], path: _Edges) -> Iterator[tuple[Term, str]]:
            failing = path.holding(self.failing(inner, path.values), focuses)
            for focus in focuses:
                count = path.counts[focus] - failing[focus]  # of the value nodes that conform
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

        def rows(focus: Term) -> bool:
            solutions = self.data.store.query(
                select.value, prefixes=prefixes, substitutions={ox.Variable("this"): focus}
            )
            assert isinstance(solutions, ox.QuerySolutions)
            return next(iter(solutions), None) is not None

        return lambda focuses, path: [(f, "SPARQL") for f in focuses if rows(f)]

    def path(self, node: Term) -> tuple[str, Callable[[], _Edges]]:
        """The path's text, and its edges (fetched when first checked)."""
        s, d = self.shapes, self.data
        if isinstance(node, ox.NamedNode):
            return node.value, lambda: d.edges(node)
        inverse = s.value(node, _sh("inversePath"))
        if isinstance(inverse, ox.NamedNode):
            return "^" + inverse.value, lambda: d.edges(inverse, inverse=True)
        alternatives = s.items(s.value(node, _sh("alternativePath")))
        predicates = [a for a in alternatives if isinstance(a, ox.NamedNode)]
        if alternatives and predicates == alternatives:

            @cache
            def edges() -> _Edges:  # a value node reached along two of the predicates counts once
                pairs = (zip(d.edges(p).starts, d.edges(p).ends, strict=True) for p in predicates)
                unique = dict.fromkeys(chain.from_iterable(pairs))
                return _Edges([start for start, _ in unique], [end for _, end in unique])

            return "|".join(p.value for p in predicates), edges
        raise _Unsupported("a property path other than a predicate, an inverse or alternatives")


def findings(store: ox.Store) -> list[Finding] | None:
    """What the shapes find in the default graph of ``store``; None when they use a feature this
    module does not check (then only pySHACL can say)."""
    try:
        return list(_Checker(_Graph(store)).run())
    except _Unsupported:
        return None
