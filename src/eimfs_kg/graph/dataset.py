"""The graph's description of itself: title, version, license, sources, date, counts.

Written in the VoID / DCAT / HCLS dataset-description style so that registries and
triplestores can read it. The creation date is the latest date a source was
checked, not the wall clock, so that two builds of the same sources are identical.
"""

from __future__ import annotations

from collections import Counter
from importlib.metadata import PackageNotFoundError, version

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, VOID

from ..curation.records import Curation
from ..vocab import EKG, EKGID, PAV

__all__ = ["DATASET", "class_counts", "describe_dataset", "package_version", "recount", "triple_count"]

DATASET = EKGID["dataset"]
LICENSE = URIRef("https://creativecommons.org/publicdomain/zero/1.0/")


def package_version() -> str:
    """The installed version of eimfs-kg."""
    try:
        return version("eimfs-kg")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0+unknown"


def describe_dataset(graph: Graph, cur: Curation) -> None:
    """Add the dataset description, with per-class entity counts and the final triple count."""
    graph.bind("void", VOID)
    graph.bind("dcat", DCAT)
    graph.bind("pav", PAV)
    src = cur.sources
    created = max([src.document.checked, *(d.checked for d in src.databases)])
    d = DATASET
    graph.add((d, RDF.type, VOID.Dataset))
    graph.add((d, RDF.type, DCAT.Dataset))
    graph.add(
        (
            d,
            DCTERMS.title,
            Literal("eimfs-kg: knowledge graph of epilepsy of infancy with migrating focal seizures"),
        )
    )
    graph.add(
        (
            d,
            DCTERMS.description,
            Literal(
                "Genes, proteins, mechanisms, inheritance, phenotypes, publications and resources of "
                "EIMFS (DEE 14), curated from the MedlinePlus Genetics page and checked databases, "
                "with the provenance of every fact."
            ),
        )
    )
    graph.add((d, PAV.version, Literal(package_version())))
    graph.add((d, OWL.versionInfo, Literal(package_version())))
    graph.add((d, DCTERMS.license, LICENSE))
    graph.add((d, DCTERMS.created, Literal(created, datatype=XSD.date)))
    graph.add((d, VOID.vocabulary, URIRef(str(EKG._NS))))
    graph.add((d, DCTERMS.conformsTo, URIRef(str(EKG._NS))))
    for source in graph.subjects(RDF.type, EKG.SourceDocument):
        graph.add((d, DCTERMS.source, source))
    for source in sorted(graph.subjects(RDF.type, EKG.ExternalDatabase), key=str):
        graph.add((d, DCTERMS.source, source))

    counts = Counter(o for o in graph.objects(None, RDF.type) if str(o).startswith(str(EKG._NS)))
    for cls, count in sorted(counts.items()):
        partition = EKGID[f"dataset.class.{str(cls).removeprefix(str(EKG._NS))}"]
        graph.add((d, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], cls))
        graph.add((partition, VOID.entities, Literal(count)))
        graph.add((partition, RDFS.label, Literal(f"{count} instances of {cls.n3(graph.namespace_manager)}")))
    graph.add((d, VOID.triples, Literal(0)))
    recount(graph)


def recount(graph: Graph) -> None:
    """Set the dataset's triple count to the size of ``graph`` (after additions)."""
    graph.set((DATASET, VOID.triples, Literal(len(graph))))


def triple_count(graph: Graph) -> int:
    """The size of ``graph`` as its description records it (``len`` walks the builder's whole store)."""
    count = graph.value(DATASET, VOID.triples)
    assert isinstance(count, Literal)
    return int(count)


def class_counts(graph: Graph) -> dict[str, int]:
    """Entities per class as the dataset description records them (class CURIE -> count)."""
    counts = {}
    for partition in graph.objects(DATASET, VOID.classPartition):
        cls = graph.value(partition, VOID["class"])
        entities = graph.value(partition, VOID.entities)
        assert isinstance(cls, URIRef) and isinstance(entities, Literal)
        counts[cls.n3(graph.namespace_manager)] = int(entities)
    return dict(sorted(counts.items()))
