"""The build's fast SHACL check (``graph.shacl``) against pySHACL, the reference engine.

Both run on the same graphs: the real one, and mutations of a smaller sample of it (all of the
graph but one plain statement node in twenty), each breaking one constraint of one shape (every
constraint of every shape has its mutation), plus random deletions. They must give the same
results: focus node, path and constraint component.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

import pytest
from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from eimfs_kg.graph.shacl import findings
from eimfs_kg.graph.validate import _shacl, shapes_graph
from eimfs_kg.rdf.bridge import oxigraph_copy, to_oxigraph

SH = Namespace("http://www.w3.org/ns/shacl#")
EKG = Namespace("https://w3id.org/eimfs-kg/vocab/")

Result = tuple[str, str, str]  # focus (N-Triples), path text, constraint component (local name)


def _fast(graph: Graph) -> set[Result]:
    found = findings(oxigraph_copy(graph))
    assert found is not None, "the shapes use a feature the fast check does not know"
    return {(str(f.focus), f.path, f.component) for f in found}


def _path_text(shapes: Graph, path: Node | None) -> str:
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return str(path)
    inverse = shapes.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + str(inverse)
    return "|".join(str(p) for p in Collection(shapes, shapes.value(path, SH.alternativePath)))


def _reference(graph: Graph) -> set[Result]:
    report = _shacl(graph, "pyshacl")
    return {
        (
            str(to_oxigraph(report.value(r, SH.focusNode))),
            _path_text(report, report.value(r, SH.resultPath)),
            str(report.value(r, SH.sourceConstraintComponent)).removeprefix(str(SH)),
        )
        for r in report.subjects(RDF.type, SH.ValidationResult)
    }


@pytest.fixture(scope="module")
def sample(graph: Graph) -> Graph:
    """The real graph with one plain statement node in twenty (pySHACL checks it in about a second)."""
    statements = sorted(set(graph.subjects(RDF.type, EKG.Statement)), key=str)
    dropped = {s for i, s in enumerate(statements) if i % 20}  # causal and correlative ones all kept
    kept = Graph()
    for prefix, namespace in graph.namespaces():
        kept.bind(prefix, namespace)
    for triple in graph:
        if triple[0] not in dropped:
            kept.add(triple)
    return kept


@pytest.fixture(scope="module")
def sample_results(sample: Graph) -> set[Result]:
    """pySHACL's results on the sample (a few: statements whose supporting ones were left out)."""
    results = _reference(sample)
    assert _fast(sample) == results
    return results


# -- one mutation per constraint of every shape -----------------------------------------------


def _values(g: Graph, shapes: Graph, path: Node, focus: Node) -> list[tuple[Node, Node, Node]]:
    """The triples that give ``focus`` its values along ``path``."""
    if isinstance(path, URIRef):
        return [(focus, path, o) for o in g.objects(focus, path)]
    inverse = shapes.value(path, SH.inversePath)
    if inverse is not None:
        return [(s, inverse, focus) for s in g.subjects(inverse, focus)]
    alternatives = Collection(shapes, shapes.value(path, SH.alternativePath))
    return [(focus, p, o) for p in alternatives for o in g.objects(focus, p)]


def _rename(g: Graph, old: Node, new: Node) -> None:
    for s, p, o in list(g):
        if old in (s, o):
            g.remove((s, p, o))
            g.add((new if s == old else s, p, new if o == old else o))


#: What replaces a value to break each value constraint (``None``: the focus node is renamed).
_BAD: dict[str, Callable[[Node], Node]] = {
    "nodeKind": lambda v: Literal("not an IRI") if isinstance(v, URIRef) else URIRef("urn:not-a-literal"),
    "pattern": lambda v: URIRef("urn:bad") if isinstance(v, URIRef) else Literal("!bad!"),
    "minLength": lambda v: Literal(""),
    "class": lambda v: URIRef("urn:untyped"),
    "datatype": lambda v: Literal("untyped text"),
    "minInclusive": lambda v: Literal(0),
    "maxInclusive": lambda v: Literal("2.5", datatype=XSD.decimal),
    "in": lambda v: Literal("none of these"),
}


def _mutate(g: Graph, shapes: Graph, node: Node, prop: Node, parameter: Node, focus: Node) -> None:
    """Break ``parameter`` (a constraint of ``prop``, ``node`` or one of its properties) for ``focus``."""
    path = shapes.value(prop, SH.path)
    name = str(parameter).removeprefix(str(SH))
    if name in ("minCount", "hasValue", "qualifiedMinCount", "or"):
        paths = [path] if path is not None else []
        for alternative in Collection(shapes, shapes.value(prop, SH["or"])) if name == "or" else ():
            paths.append(shapes.value(alternative, SH.path))
        for p in paths:
            for triple in _values(g, shapes, p, focus):
                g.remove(triple)
    elif name in ("maxCount", "qualifiedMaxCount"):
        existing = _values(g, shapes, path, focus)
        extra = existing[0][2] if existing else Literal("x")
        for value in (URIRef("http://identifiers.org/hgnc/1"), URIRef("http://identifiers.org/hgnc/2")):
            g.add((focus, path, value if isinstance(extra, URIRef) else Literal(str(value))))
    elif name == "sparql":  # the focus node's own kind goes, and the statements about it
        for s, p, o in list(g):
            if (p == RDF.subject and o == focus) or (s == focus and p == RDF.type):
                g.remove((s, p, o))
        for cls in shapes.objects(node, SH.targetClass):
            g.add((focus, RDF.type, cls))
    elif path is None:
        _rename(g, focus, BNode() if name == "nodeKind" else URIRef("urn:bad"))
    else:
        for s, p, o in _values(g, shapes, path, focus)[:1] or [(focus, path, Literal("x"))]:
            g.remove((s, p, o))
            g.add((s, p, _BAD[name](o)) if s == focus else (_BAD[name](s), p, o))  # inverse: the subject


def _constraints() -> Iterator[tuple[str, Node, Node, Node]]:
    """(case id, node shape, shape holding the constraint, constraint parameter) for every constraint."""
    shapes = shapes_graph()
    names = {SH[n] for n in ("minCount", "maxCount", "nodeKind", "pattern", "minLength", "class")}
    names |= {SH[n] for n in ("datatype", "minInclusive", "maxInclusive", "in", "hasValue", "or")}
    names |= {SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.sparql}
    for node in sorted(shapes.subjects(RDF.type, SH.NodeShape), key=str):
        for prop in [node, *shapes.objects(node, SH.property)]:
            path = shapes.value(prop, SH.path)
            where = "" if path is None else "/" + _path_text(shapes, path).rsplit("/", 1)[-1]
            for parameter in sorted(set(shapes.predicates(prop)) & names, key=str):
                name = str(node).rsplit("/", 1)[-1]
                yield f"{name}{where}:{str(parameter).removeprefix(str(SH))}", node, prop, parameter


CONSTRAINTS = list(_constraints())


def _focus(g: Graph, shapes: Graph, node: Node, prop: Node) -> Node:
    """A focus node of ``node`` in ``g``, one with values along the path of ``prop`` if there is one."""
    targets = {s for c in shapes.objects(node, SH.targetClass) for s in _instances(g, c)}
    targets |= {s for p in shapes.objects(node, SH.targetSubjectsOf) for s in g.subjects(p, None)}
    path = shapes.value(prop, SH.path)
    ordered = sorted(targets, key=lambda t: (path is not None and not _values(g, shapes, path, t), str(t)))
    assert ordered, f"no focus node of {node} in the sample"
    return ordered[0]


def _instances(g: Graph, cls: Node) -> set[Node]:
    from rdflib import RDFS

    classes = set(g.transitive_subjects(RDFS.subClassOf, cls))
    return {s for c in classes for s in g.subjects(RDF.type, c)}


def test_every_constraint_has_a_mutation() -> None:
    parameters = {str(p).removeprefix(str(SH)) for _, _, _, p in CONSTRAINTS}
    assert parameters >= {"minCount", "maxCount", "pattern", "class", "in", "sparql", "or", "hasValue"}
    assert len(CONSTRAINTS) > 100


@pytest.mark.slow  # pySHACL on the whole graph: a few seconds
def test_agrees_with_pyshacl_on_the_real_graph(graph: Graph) -> None:
    assert _fast(graph) == _reference(graph) == set()


@pytest.mark.slow  # pySHACL once per constraint: about two minutes
@pytest.mark.parametrize(
    ("node", "prop", "parameter"), [c[1:] for c in CONSTRAINTS], ids=[c[0] for c in CONSTRAINTS]
)
def test_agrees_with_pyshacl_on_a_mutation(
    sample: Graph, sample_results: set[Result], node: Node, prop: Node, parameter: Node
) -> None:
    shapes = shapes_graph()
    mutated = Graph() + sample
    _mutate(mutated, shapes, node, prop, parameter, _focus(mutated, shapes, node, prop))
    expected = _reference(mutated)
    assert expected != sample_results, "the mutation breaks nothing: it tests nothing"
    assert _fast(mutated) == expected


@pytest.mark.slow  # pySHACL once per seed
@pytest.mark.parametrize("seed", range(6))
def test_agrees_with_pyshacl_after_random_deletions(sample: Graph, seed: int) -> None:
    mutated = Graph() + sample
    for triple in random.Random(seed).sample(sorted(mutated), 40):
        mutated.remove(triple)
    assert _fast(mutated) == _reference(mutated)


def test_agrees_with_pyshacl_on_a_broken_sample(sample: Graph) -> None:
    """The fast subset's one comparison: several constraints broken at once in the sample."""
    shapes = shapes_graph()
    mutated = Graph() + sample
    for _, node, prop, parameter in CONSTRAINTS[::9]:
        _mutate(mutated, shapes, node, prop, parameter, _focus(mutated, shapes, node, prop))
    expected = _reference(mutated)
    assert len(expected) > 5
    assert _fast(mutated) == expected
