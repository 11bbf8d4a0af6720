"""Every namespace the package writes, in one place: the IRIs as text here, rdflib terms in
:mod:`.terms`, Oxigraph terms (for the build, which never imports rdflib) in :mod:`.nodes`.

The IRIs are plain strings so that the query path (which never loads rdflib) can use them. The
rdflib namespaces (:data:`EKG`, a ``DefinedNamespace`` on which a misspelt term fails, and
:data:`EKGID`, :data:`BIBO`, :data:`BIOLINK`, :data:`OBOINOWL`, :data:`PAV`, :data:`SH`) live in
:mod:`eimfs_kg.vocab.terms` and are importable from here too (``from eimfs_kg.vocab import EKG``),
loaded on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = [
    "BIBO_IRI",
    "BIOLINK_IRI",
    "DCAT_IRI",
    "DCTERMS_IRI",
    "EKGID_IRI",
    "EKG_IRI",
    "FOAF_IRI",
    "GRAPH_IRI",
    "KIND_CLASSES",
    "OBOINOWL_IRI",
    "OBO_IRI",
    "OWL_IRI",
    "PAV_IRI",
    "PROV_IRI",
    "RDFS_IRI",
    "RDF_IRI",
    "SHACL_IRI",
    "SKOS_IRI",
    "TERM_REPLACED_BY_IRI",
    "VOID_IRI",
    "XSD_IRI",
]

#: The project's vocabulary: classes and properties of ``ontology/eimfs.ttl`` (prefix ``ekg:``).
EKG_IRI = "https://w3id.org/eimfs-kg/vocab/"
#: The resources the project mints: statements, mechanisms, sources ... (prefix ``ekgid:``).
EKGID_IRI = "https://w3id.org/eimfs-kg/id/"
#: The named graph a push fills and remote queries read unless told otherwise.
GRAPH_IRI = "https://w3id.org/eimfs-kg/graph"
BIOLINK_IRI = "https://w3id.org/biolink/vocab/"
BIBO_IRI = "http://purl.org/ontology/bibo/"
OBOINOWL_IRI = "http://www.geneontology.org/formats/oboInOwl#"
OBO_IRI = "http://purl.obolibrary.org/obo/"
PAV_IRI = "http://purl.org/pav/"
#: OBO's "term replaced by" (IAO:0100001): how an obsolete id points to the term it was merged into.
TERM_REPLACED_BY_IRI = OBO_IRI + "IAO_0100001"
RDF_IRI = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_IRI = "http://www.w3.org/2000/01/rdf-schema#"
SHACL_IRI = "http://www.w3.org/ns/shacl#"
XSD_IRI = "http://www.w3.org/2001/XMLSchema#"
OWL_IRI = "http://www.w3.org/2002/07/owl#"
SKOS_IRI = "http://www.w3.org/2004/02/skos/core#"
DCTERMS_IRI = "http://purl.org/dc/terms/"
DCAT_IRI = "http://www.w3.org/ns/dcat#"
FOAF_IRI = "http://xmlns.com/foaf/0.1/"
VOID_IRI = "http://rdfs.org/ns/void#"
PROV_IRI = "http://www.w3.org/ns/prov#"

#: The one table from the kinds a curator writes (``kind:`` of a term, disease, publication or
#: resource) to the ontology class (local name in ``ekg:``) of what they name. The cross-checks
#: accept exactly these kinds; the builder types each node with its class.
KIND_CLASSES: dict[str, dict[str, str]] = {
    "term": {
        "phenotype": "Phenotype",
        "inheritance": "InheritanceMode",
        "modifier": "ClinicalModifier",
        "onset": "OnsetCategory",
        "molecular-function": "MolecularFunction",
        "process": "BiologicalProcess",
        "ion": "Ion",
        "variant": "VariantType",
        "evidence": "EvidenceType",
        "cell-type": "CellType",
        "clinical-course": "ClinicalCourse",
    },
    "disease": {"syndrome": "Disease", "gene-specific": "Disease", "group": "DiseaseGroup"},
    "publication": {"journal-article": "JournalArticle", "book-chapter": "BookChapter"},
    "resource": {"external": "ExternalResource", "topic": "RelatedTopic"},
}


def __getattr__(name: str) -> Any:
    """The rdflib namespaces of :mod:`.terms`, imported on first use."""
    if name.startswith("__"):
        raise AttributeError(name)
    terms = import_module(".terms", __name__)  # lazy: rdflib costs about 0.1 s at start-up
    try:
        return getattr(terms, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
