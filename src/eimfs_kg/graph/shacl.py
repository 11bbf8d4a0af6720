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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache

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


@cache
def _shapes() -> ox.Store:
    """The packaged shapes, parsed once per process."""
    store = ox.Store()
    store.load(path=str(ontology_file("shapes.ttl")), format=ox.RdfFormat.TURTLE)
    return store


class _Graph:
    """Reads of one store, indexed as the checks need them."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._by_predicate: dict[ox.NamedNode, dict[Term, list[Term]]] = {}
        self._inverse: dict[ox.NamedNode, dict[Term, list[Term]]] = {}
        self._supers: dict[Term, set[Term]] = {}

    def pairs(self, predicate: ox.NamedNode) -> Iterator[tuple[Term, Term]]:
        """(subject, object) of each triple of ``predicate`` (RDF-star triples are not SHACL's business)."""
        for quad in self.store.quads_for_pattern(None, predicate, None, ox.DefaultGraph()):
            s, o = quad.subject, quad.object
            if not isinstance(s, ox.Triple) and not isinstance(o, ox.Triple):
                yield s, o

    def objects(self, subject: Term, predicate: ox.NamedNode) -> list[Term]:
        index = self._by_predicate.get(predicate)
        if index is None:
            index = self._by_predicate[predicate] = defaultdict(list)
            for s, o in self.pairs(predicate):
                index[s].append(o)
        return index.get(subject, [])

    def subjects(self, predicate: ox.NamedNode, obj: Term) -> list[Term]:
        index = self._inverse.get(predicate)
        if index is None:
            index = self._inverse[predicate] = defaultdict(list)
            for s, o in self.pairs(predicate):
                index[o].append(s)
        return index.get(obj, [])

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

    def instances(self, cls: Term) -> set[Term]:
        """Every SHACL instance of ``cls`` (``rdf:type/rdfs:subClassOf*``)."""
        self.subjects(_TYPE, cls)  # fills the index of rdf:type objects
        types = self._inverse[_TYPE]
        return {s for t in list(types) if cls in self.superclasses(t) for s in types.get(t, [])}


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


#: A compiled constraint: from the value nodes and the focus node, the components it breaks.
Check = Callable[[list[Term], Term], Iterable[str]]

_NODE_KINDS = {
    "IRI": (ox.NamedNode,),
    "Literal": (ox.Literal,),
    "BlankNode": (ox.BlankNode,),
    "BlankNodeOrIRI": (ox.BlankNode, ox.NamedNode),
    "IRIOrLiteral": (ox.NamedNode, ox.Literal),
    "BlankNodeOrLiteral": (ox.BlankNode, ox.Literal),
}


def _each(component: str, ok: Callable[[Term], bool]) -> Check:
    """A constraint every value node must meet on its own."""
    return lambda values, focus: (component,) if not all(ok(v) for v in values) else ()


def _when(component: str, broken: Callable[[list[Term], Term], bool]) -> Check:
    return lambda values, focus: (component,) if broken(values, focus) else ()


class _Checker:
    """The shapes compiled, once, into checks over one data graph."""

    def __init__(self, data: _Graph) -> None:
        self.shapes = _Graph(_shapes())
        self.data = data
        self._compiled: dict[Term, tuple[Term | None, list[Check], list[Term]]] = {}
        for quad in self.shapes.store:
            name = quad.predicate.value
            if name.startswith(SHACL_IRI) and name.removeprefix(SHACL_IRI) not in _KNOWN:
                raise _Unsupported(name)
            if quad.predicate == _TYPE and quad.object in _CLASS_TYPES:
                raise _Unsupported("a shape that is also a class (an implicit class target)")

    def run(self) -> Iterator[Finding]:
        s = self.shapes
        targeted = {shape for name in ("targetClass", "targetSubjectsOf") for shape, _ in s.pairs(_sh(name))}
        for shape in sorted(targeted, key=str):  # node shapes and property shapes alike
            targets = set()
            for cls in self.shapes.objects(shape, _sh("targetClass")):
                targets |= self.data.instances(cls)
            for predicate in self.shapes.objects(shape, _sh("targetSubjectsOf")):
                assert isinstance(predicate, ox.NamedNode)
                targets |= {subject for subject, _ in self.data.pairs(predicate)}
            yield from self.check(shape, sorted(targets, key=str))

    def conforms(self, shape: Term, focus: Term) -> bool:
        return next(iter(self.check(shape, [focus])), None) is None

    def check(self, shape: Term, focuses: list[Term]) -> Iterator[Finding]:
        """What each of ``focuses`` breaks of ``shape`` (a property shape when it has a path)."""
        path_node, checks, properties = self.compile(shape)
        for focus in focuses:
            path, values = ("", [focus]) if path_node is None else self.path(path_node, focus)
            for check in checks:
                for component in check(values, focus):
                    yield Finding(focus, path, component + "ConstraintComponent")
        for prop in properties:
            yield from self.check(prop, focuses)

    def compile(self, shape: Term) -> tuple[Term | None, list[Check], list[Term]]:
        """A shape's path, its constraints as checks, and its property shapes."""
        if shape not in self._compiled:
            s = self.shapes
            checks = [
                self._constraint(shape, name, parameter)
                for name in _PARAMETERS
                for parameter in s.objects(shape, _sh(name))
            ]
            self._compiled[shape] = (s.value(shape, _sh("path")), checks, s.objects(shape, _sh("property")))
        return self._compiled[shape]

    def _constraint(self, shape: Term, name: str, parameter: Term) -> Check:
        """One constraint parameter of ``shape`` as a check."""
        s, d = self.shapes, self.data
        component = "SPARQL" if name == "sparql" else name[0].upper() + name[1:]
        if name in ("minCount", "maxCount"):
            limit = int(parameter.value)
            return _when(component, lambda v, f: len(v) < limit if name == "minCount" else len(v) > limit)
        if name == "in":
            allowed = set(s.items(parameter))
            return _each(component, allowed.__contains__)
        if name == "hasValue":
            return _when(component, lambda v, f: parameter not in v)
        if name == "or":
            alternatives = s.items(parameter)
            return _when(component, lambda v, f: not any(self.conforms(alt, f) for alt in alternatives))
        if name == "qualifiedValueShape":
            return self._qualified(shape, parameter)
        if name == "sparql":
            return _when(component, lambda v, f: self._sparql_rows(parameter, f))
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

    def _qualified(self, shape: Term, inner: Term) -> Check:
        low, high = (
            self.shapes.value(shape, _sh(name)) for name in ("qualifiedMinCount", "qualifiedMaxCount")
        )

        def check(values: list[Term], focus: Term) -> list[str]:
            count = sum(self.conforms(inner, v) for v in values)
            return [
                *(["QualifiedMinCount"] if low is not None and count < int(low.value) else []),
                *(["QualifiedMaxCount"] if high is not None and count > int(high.value) else []),
            ]

        return check

    def _sparql_rows(self, constraint: Term, focus: Term) -> bool:
        """Whether a SHACL-SPARQL SELECT constraint returns a row for ``focus``."""
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
        rows = self.data.store.query(
            select.value, prefixes=prefixes, substitutions={ox.Variable("this"): focus}
        )
        assert isinstance(rows, ox.QuerySolutions)
        return next(iter(rows), None) is not None

    def path(self, node: Term, focus: Term) -> tuple[str, list[Term]]:
        """The path's text and the distinct value nodes it reaches from ``focus``."""
        s, d = self.shapes, self.data
        if isinstance(node, ox.NamedNode):
            return node.value, list(dict.fromkeys(d.objects(focus, node)))
        inverse = s.value(node, _sh("inversePath"))
        if isinstance(inverse, ox.NamedNode):
            return "^" + inverse.value, list(dict.fromkeys(d.subjects(inverse, focus)))
        alternatives = s.items(s.value(node, _sh("alternativePath")))
        if alternatives and all(isinstance(a, ox.NamedNode) for a in alternatives):
            reached = [v for a in alternatives for v in d.objects(focus, a)]  # type: ignore[arg-type]
            return "|".join(a.value for a in alternatives), list(dict.fromkeys(reached))
        raise _Unsupported("a property path other than a predicate, an inverse or alternatives")


def findings(store: ox.Store) -> list[Finding] | None:
    """What the shapes find in the default graph of ``store``; None when they use a feature this
    module does not check (then only pySHACL can say)."""
    try:
        return list(_Checker(_Graph(store)).run())
    except _Unsupported:
        return None
