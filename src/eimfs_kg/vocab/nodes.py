"""The namespaces the builder writes, as Oxigraph terms: the build never imports rdflib.

``EKG.Gene`` here is the ``ox.NamedNode`` of what :data:`eimfs_kg.vocab.terms.EKG` names as an
rdflib term. A misspelt ``EKG`` name is caught by the test that every ``ekg:`` term of the built
graph is declared in the ontology.
"""

from __future__ import annotations

import pyoxigraph as ox

from . import (
    BIBO_IRI,
    DCAT_IRI,
    DCTERMS_IRI,
    EKG_IRI,
    EKGID_IRI,
    FOAF_IRI,
    OBOINOWL_IRI,
    OWL_IRI,
    PAV_IRI,
    RDF_IRI,
    RDFS_IRI,
    SKOS_IRI,
    TERM_REPLACED_BY_IRI,
    VOID_IRI,
    XSD_IRI,
)

__all__ = [
    "BIBO",
    "DCAT",
    "DCTERMS",
    "EKG",
    "EKGID",
    "FOAF",
    "OBOINOWL",
    "OWL",
    "PAV",
    "RDF",
    "RDFS",
    "SKOS",
    "TERM_REPLACED_BY",
    "VOCABULARY_PREFIXES",
    "VOID",
    "XSD",
    "Names",
]


class Names:
    """The IRIs of one namespace: ``NS.name`` or ``NS["name.with.dots"]``; each made once (a name
    once looked up is an attribute: the builder looks up some 18,000)."""

    def __init__(self, base: str) -> None:
        self._base = base
        self._made: dict[str, ox.NamedNode] = {}

    def __getitem__(self, name: str) -> ox.NamedNode:
        try:
            return self._made[name]
        except KeyError:
            node = self._made[name] = ox.NamedNode(self._base + name)
            return node

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        node = self[name]
        setattr(self, name, node)
        return node


RDF = Names(RDF_IRI)
RDFS = Names(RDFS_IRI)
XSD = Names(XSD_IRI)
OWL = Names(OWL_IRI)
SKOS = Names(SKOS_IRI)
DCTERMS = Names(DCTERMS_IRI)
DCAT = Names(DCAT_IRI)
FOAF = Names(FOAF_IRI)
VOID = Names(VOID_IRI)
BIBO = Names(BIBO_IRI)
OBOINOWL = Names(OBOINOWL_IRI)
PAV = Names(PAV_IRI)
EKG = Names(EKG_IRI)
EKGID = Names(EKGID_IRI)
#: The prefixes of the namespaces above, for the Turtle the build writes.
VOCABULARY_PREFIXES = {
    prefix: names._base
    for prefix, names in (
        ("rdf", RDF),
        ("rdfs", RDFS),
        ("xsd", XSD),
        ("owl", OWL),
        ("skos", SKOS),
        ("dcterms", DCTERMS),
        ("dcat", DCAT),
        ("foaf", FOAF),
        ("void", VOID),
        ("bibo", BIBO),
        ("oboInOwl", OBOINOWL),
        ("pav", PAV),
        ("ekg", EKG),
        ("ekgid", EKGID),
    )
}

TERM_REPLACED_BY = ox.NamedNode(TERM_REPLACED_BY_IRI)
