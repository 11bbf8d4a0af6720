"""The graph's description of itself: title, version, license, sources, date, counts.

Written in the VoID / DCAT / HCLS dataset-description style so that registries and
triplestores can read it. The creation date is the latest date a source was
checked, not the wall clock, so that two builds of the same sources are identical.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..curation.records import Curation
from ..version import __version__
from ..vocab import EKG_IRI, EKGID_IRI
from ..vocab.nodes import DCAT, DCTERMS, EKG, OWL, PAV, RDF, RDFS, VOID, XSD

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["DATASET_IRI", "describe_dataset", "recount"]

DATASET_IRI = EKGID_IRI + "dataset"
_DATASET = ox.NamedNode(DATASET_IRI)
_LICENSE = ox.NamedNode("https://creativecommons.org/publicdomain/zero/1.0/")
_VOCABULARY = ox.NamedNode(EKG_IRI)
_TITLE = "eimfs-kg: knowledge graph of epilepsy of infancy with migrating focal seizures"
_DESCRIPTION = (
    "Genes, proteins, mechanisms, inheritance, phenotypes, publications and resources of "
    "EIMFS (DEE 14), curated from the MedlinePlus Genetics page and checked databases, "
    "with the provenance of every fact."
)


def describe_dataset(store: ox.Store, cur: Curation) -> dict[str, int]:
    """Add the dataset description to ``store`` (which holds the rest of the graph): per-class
    entity counts and, last, the triple count. Returns the counts (class CURIE -> entities)."""
    src = cur.sources
    created = max([src.document.checked, *(d.checked for d in src.databases)])
    d = _DATASET
    quads = [
        ox.Quad(d, RDF.type, VOID.Dataset),
        ox.Quad(d, RDF.type, DCAT.Dataset),
        ox.Quad(d, DCTERMS.title, ox.Literal(_TITLE)),
        ox.Quad(d, DCTERMS.description, ox.Literal(_DESCRIPTION)),
        ox.Quad(d, PAV.version, ox.Literal(__version__)),
        ox.Quad(d, OWL.versionInfo, ox.Literal(__version__)),
        ox.Quad(d, DCTERMS.license, _LICENSE),
        ox.Quad(d, DCTERMS.created, ox.Literal(created.isoformat(), datatype=XSD.date)),
        ox.Quad(d, VOID.vocabulary, _VOCABULARY),
        ox.Quad(d, DCTERMS.conformsTo, _VOCABULARY),
    ]
    for kind in (EKG.SourceDocument, EKG.ExternalDatabase):
        quads += (
            ox.Quad(d, DCTERMS.source, q.subject) for q in store.quads_for_pattern(None, RDF.type, kind)
        )
    classes = Counter(
        q.object.value
        for q in store.quads_for_pattern(None, RDF.type, None)
        if isinstance(q.object, ox.NamedNode) and q.object.value.startswith(EKG_IRI)
    )
    counts = {}
    for cls, count in sorted(classes.items()):
        name = cls.removeprefix(EKG_IRI)
        partition = ox.NamedNode(f"{EKGID_IRI}dataset.class.{name}")
        quads += [
            ox.Quad(d, VOID.classPartition, partition),
            ox.Quad(partition, VOID["class"], ox.NamedNode(cls)),
            ox.Quad(partition, VOID.entities, ox.Literal(count)),
            ox.Quad(partition, RDFS.label, ox.Literal(f"{count} instances of ekg:{name}")),
        ]
        counts[f"ekg:{name}"] = count
    store.bulk_extend(quads)
    store.add(ox.Quad(d, VOID.triples, ox.Literal(len(store) + 1)))
    return counts


def recount(graph: Graph) -> None:
    """Set the dataset's triple count to the size of an rdflib ``graph`` (after additions)."""
    from rdflib import Literal, URIRef  # lazy: the build itself never needs rdflib
    from rdflib.namespace import VOID as VOID_NS

    graph.set((URIRef(DATASET_IRI), VOID_NS.triples, Literal(len(graph))))
