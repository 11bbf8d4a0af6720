"""The pipeline: curated files -> records -> RDF graph + ontology -> SHACL -> Turtle.

Nothing is written unless the graph conforms; the output is written atomically and
is byte-for-byte the same for the same inputs (sorted ``longturtle``, no blank
nodes, creation date taken from the sources).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from ..curation.load import load_curation
from ..errors import ValidationFailed
from ..rdf.atomic import atomic_write_bytes
from ..rdf.bridge import add_turtle, oxigraph_copy, serialize
from ..resources import ontology_file
from .builder import build_graph
from .dataset import class_counts, describe_dataset, triple_count
from .validate import ValidationReport, validate_graph

__all__ = [
    "GRAPH_FILE",
    "BuildResult",
    "ValidationFailed",
    "assemble",
    "build",
]

GRAPH_FILE = "eimfs-kg.ttl"


@dataclass(frozen=True)
class BuildResult:
    graph: Graph  # in rdflib's SimpleMemory store (no named graphs): see graph.builder
    report: ValidationReport
    path: Path | None

    @property
    def class_counts(self) -> dict[str, int]:
        return class_counts(self.graph)

    @property
    def triples(self) -> int:
        return triple_count(self.graph)


def assemble(data_dir: Path | None = None) -> Graph:
    """Load and check the curation, build the data graph and add the ontology and VoID."""
    curation = load_curation(data_dir)
    graph = build_graph(curation)
    add_turtle(graph, ontology_file("eimfs.ttl"))
    describe_dataset(graph, curation)
    return graph


def build(
    out_dir: Path | None = None, data_dir: Path | None = None, filename: str = GRAPH_FILE
) -> BuildResult:
    """Build and validate the graph; write ``out_dir/filename`` only if it conforms."""
    graph = assemble(data_dir)
    store = oxigraph_copy(graph)
    report = validate_graph(graph, validator="fast", store=store)
    if not report.conforms:
        raise ValidationFailed(report)
    path = None
    if out_dir is not None:
        path = Path(out_dir) / filename
        atomic_write_bytes(path, serialize(graph, store))
    return BuildResult(graph, report, path)
