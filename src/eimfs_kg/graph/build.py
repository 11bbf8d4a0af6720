"""The pipeline: curated files -> records -> RDF graph + ontology -> SHACL -> Turtle.

Nothing is written unless the graph conforms; the output is written atomically and
is byte-for-byte the same for the same inputs (sorted ``longturtle``, no blank
nodes, creation date taken from the sources).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from .atomic import atomic_write_bytes
from .dataset import class_counts, describe_dataset
from .errors import EimfsError
from .graph import build_graph
from .records import load_curation
from .resources import ontology_file
from .validate import ValidationReport, oxigraph_copy, validate_graph

__all__ = [
    "GRAPH_FILE",
    "BuildResult",
    "ValidationFailed",
    "assemble",
    "build",
    "serialize",
    "sorted_triples",
]

GRAPH_FILE = "eimfs-kg.ttl"


class ValidationFailed(EimfsError):
    """The built graph does not conform to the shapes; nothing was written."""

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        super().__init__(f"the graph does not conform: {len(report.violations)} violation(s)")


@dataclass(frozen=True)
class BuildResult:
    graph: Graph
    report: ValidationReport
    path: Path | None

    @property
    def class_counts(self) -> dict[str, int]:
        return class_counts(self.graph)


def assemble(data_dir: Path | None = None) -> Graph:
    """Load and check the curation, build the data graph and add the ontology and VoID."""
    curation = load_curation(data_dir)
    graph = build_graph(curation)
    graph.parse(ontology_file("eimfs.ttl"), format="turtle")
    describe_dataset(graph, curation)
    return graph


def sorted_triples(graph: Graph, store=None) -> list:  # -> list[pyoxigraph.Triple]
    """The triples of ``graph`` as Oxigraph terms, sorted: the canonical order of every export.

    ``store`` is an Oxigraph copy of ``graph`` when the caller already has one.
    """
    store = oxigraph_copy(graph) if store is None else store
    return sorted((q.triple for q in store), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def serialize(graph: Graph, store=None) -> bytes:
    """Stable, reviewable Turtle: triples sorted, grouped by subject, written by Oxigraph.

    Oxigraph writes Turtle about 20 times faster than rdflib; sorting the triples
    first makes the bytes depend only on the graph.
    """
    import pyoxigraph as ox

    triples = sorted_triples(graph, store)
    used = {t.value for triple in triples for t in triple if isinstance(t, ox.NamedNode)}
    prefixes = {p: str(ns) for p, ns in graph.namespaces() if p and any(v.startswith(str(ns)) for v in used)}
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)


def build(
    out_dir: Path | None = None, data_dir: Path | None = None, filename: str = GRAPH_FILE
) -> BuildResult:
    """Build and validate the graph; write ``out_dir/filename`` only if it conforms."""
    graph = assemble(data_dir)
    store = oxigraph_copy(graph)
    report = validate_graph(graph, store=store)
    if not report.conforms:
        raise ValidationFailed(report)
    path = None
    if out_dir is not None:
        path = Path(out_dir) / filename
        atomic_write_bytes(path, serialize(graph, store))
    return BuildResult(graph, report, path)
