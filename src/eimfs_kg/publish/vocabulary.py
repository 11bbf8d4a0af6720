"""The project's vocabulary as a reader wants it: classes and properties with label, definition,
domain and range, read from ``ontology/eimfs.ttl`` (``eimfs-kg vocab`` and the web page ``/vocab``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..identifiers import contract
from ..rdf.bridge import read_prefixes
from ..resources import ontology_file
from ..vocab import EKG_IRI, RDF_IRI, RDFS_IRI
from ..vocab import OWL_IRI as _OWL
from ..vocab import SKOS_IRI as _SKOS

__all__ = ["Term", "format_vocabulary", "vocabulary"]

_KINDS = {
    _OWL + "Class": "class",
    _OWL + "ObjectProperty": "object property",
    _OWL + "DatatypeProperty": "datatype property",
    _OWL + "AnnotationProperty": "annotation property",
}


@dataclass
class Term:
    """One class or property of the vocabulary."""

    curie: str
    kind: str
    label: str
    definition: str
    parents: list[str] = field(default_factory=list)
    domain: list[str] = field(default_factory=list)
    range: list[str] = field(default_factory=list)
    mappings: list[str] = field(default_factory=list)


def vocabulary(path: Path | None = None) -> list[Term]:
    """Every class and property the ontology defines in the project's namespace, classes first."""
    path = path or ontology_file("eimfs.ttl")
    prefixes = read_prefixes(path)
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)

    def objects(node: ox.NamedNode, predicate: str) -> list[ox.NamedNode | ox.Literal]:
        return [
            q.object
            for q in store.quads_for_pattern(node, ox.NamedNode(predicate), None)
            if isinstance(q.object, ox.NamedNode | ox.Literal)
        ]

    def curies(node: ox.NamedNode, predicate: str) -> list[str]:
        return sorted(
            contract(o.value, prefixes) for o in objects(node, predicate) if isinstance(o, ox.NamedNode)
        )

    def text(node: ox.NamedNode, *predicates: str) -> str:
        for predicate in predicates:
            found = sorted(o.value for o in objects(node, predicate) if isinstance(o, ox.Literal))
            if found:
                return found[0]
        return ""

    terms = []
    for quad in store.quads_for_pattern(None, ox.NamedNode(RDF_IRI + "type"), None):
        node, kind = quad.subject, _KINDS.get(quad.object.value)  # type: ignore[union-attr]
        if kind is None or not isinstance(node, ox.NamedNode) or not node.value.startswith(EKG_IRI):
            continue
        terms.append(
            Term(
                contract(node.value, prefixes),
                kind,
                text(node, RDFS_IRI + "label"),
                text(node, _SKOS + "definition", RDFS_IRI + "comment"),
                curies(node, RDFS_IRI + "subClassOf") + curies(node, RDFS_IRI + "subPropertyOf"),
                curies(node, RDFS_IRI + "domain"),
                curies(node, RDFS_IRI + "range"),
                curies(node, _SKOS + "exactMatch") + curies(node, _SKOS + "closeMatch"),
            )
        )
    return sorted(terms, key=lambda t: (t.kind != "class", t.kind, t.curie.lower()))


def format_vocabulary(terms: list[Term]) -> str:
    """The vocabulary as text: one block per term."""
    lines: list[str] = []
    kind = ""
    for term in terms:
        if term.kind != kind:
            kind = term.kind
            heading = {"class": "Classes"}.get(kind, kind.capitalize() + "s")
            lines += [*([""] if lines else []), heading, "=" * len(heading)]
        lines.append(f"{term.curie}  ({term.label})")
        if term.definition:
            lines.append(f"    {term.definition}")
        for name, values in (
            ("subclass/subproperty of", term.parents),
            ("domain", term.domain),
            ("range", term.range),
            ("maps to", term.mappings),
        ):
            if values:
                lines.append(f"    {name}: {', '.join(values)}")
    return "\n".join(lines) + "\n"
