"""The pipeline: curated files -> records -> RDF + ontology -> SHACL -> Turtle.

Nothing is written unless the graph conforms; the output is written atomically and
is byte-for-byte the same for the same inputs (sorted Turtle, no blank nodes, creation
date taken from the sources). The whole build works on Oxigraph terms and store: it
never imports rdflib, which alone costs about as much as the rest of the build's start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..curation.load import load_curation
from ..errors import ValidationFailed
from ..identifiers import prefix_map
from ..rdf.atomic import atomic_write_bytes
from ..rdf.bridge import rdflib_graph, read_prefixes, turtle
from ..resources import ontology_file
from ..vocab.nodes import VOCABULARY_PREFIXES
from .builder import build_quads
from .dataset import describe_dataset
from .validate import ValidationReport, validate_store

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = [
    "GRAPH_FILE",
    "Assembled",
    "BuildResult",
    "ValidationFailed",
    "assemble",
    "assemble_store",
    "build",
]

GRAPH_FILE = "eimfs-kg.ttl"


@dataclass(frozen=True)
class Assembled:
    """The whole graph in an Oxigraph store, the prefixes its Turtle may declare, its class counts."""

    store: ox.Store
    prefixes: dict[str, str]
    class_counts: dict[str, int]  # class CURIE -> entities, as the dataset description records them


@dataclass(frozen=True)
class BuildResult:
    assembled: Assembled
    report: ValidationReport
    path: Path | None

    @property
    def class_counts(self) -> dict[str, int]:
        return self.assembled.class_counts

    @property
    def triples(self) -> int:
        return len(self.assembled.store)

    @cached_property
    def graph(self) -> Graph:
        """The graph as rdflib's, made on first use (the build itself does not need it)."""
        return rdflib_graph(self.assembled.store, self.assembled.prefixes)


def assemble_store(data_dir: Path | None = None) -> Assembled:
    """Load and check the curation, build the data graph and add the ontology and VoID."""
    curation = load_curation(data_dir)
    ontology = ontology_file("eimfs.ttl")
    store = ox.Store()
    store.bulk_extend(build_quads(curation))
    store.bulk_load(path=str(ontology), format=ox.RdfFormat.TURTLE)
    counts = describe_dataset(store, curation)
    return Assembled(store, {**prefix_map(), **VOCABULARY_PREFIXES, **read_prefixes(ontology)}, counts)


def assemble(data_dir: Path | None = None) -> Graph:
    """:func:`assemble_store` as an rdflib graph."""
    assembled = assemble_store(data_dir)
    return rdflib_graph(assembled.store, assembled.prefixes)


def build(
    out_dir: Path | None = None, data_dir: Path | None = None, filename: str = GRAPH_FILE
) -> BuildResult:
    """Build and validate the graph; write ``out_dir/filename`` only if it conforms."""
    assembled = assemble_store(data_dir)
    report = validate_store(assembled.store, assembled.prefixes)
    if not report.conforms:
        raise ValidationFailed(report)
    path = None
    if out_dir is not None:
        path = Path(out_dir) / filename
        atomic_write_bytes(path, turtle(assembled.store, assembled.prefixes))
    return BuildResult(assembled, report, path)
