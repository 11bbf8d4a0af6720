"""The graph's identifier mappings as an SSSOM mapping set (TSV with its YAML metadata block).

One row per mapping fact of the graph, each with the source its statement names:

- diseases: ``skos:exactMatch`` / ``skos:narrowMatch`` (MONDO to Orphanet, OMIM, UMLS; the
  project's DEE group to Mondo's genetic DEE) and ``oboInOwl:hasDbXref`` (GARD, ICD-10,
  ICD-11 codes, as Orphanet gives them);
- merged ids: the obsolete MONDO:0100025 ``IAO:0100001`` (term replaced by) MONDO:0017385,
  the OBO way of saying an id was merged into another (SSSOM has no slot of its own for it);
- genes: NCBI Gene ``skos:exactMatch`` HGNC and OMIM, and ``RO:0002205`` (has gene product)
  to the UniProtKB protein, which is a related entity, not the same one.

Every mapping was recorded by the project's curators from the source named in its row, so
its justification is ``semapv:ManualMappingCuration``; ``mapping_provider`` is that source's
address, ``mapping_date`` the date it was checked and ``comment`` its name (and release). The
set's ``mapping_date`` and ``mapping_set_version`` come from the dataset description, so the
file is the same for the same graph.
"""

from __future__ import annotations

import csv
import io

import yaml
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF

from ..identifiers import contract, prefix_map
from ..vocab import EKG_IRI, EKGID_IRI, OBOINOWL_IRI, TERM_REPLACED_BY

__all__ = ["SSSOM_COLUMNS", "SSSOM_FILE", "mapping_rows", "sssom_tsv"]

SSSOM_FILE = "eimfs-kg.sssom.tsv"
SSSOM_COLUMNS = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
    "mapping_date",
    "mapping_provider",
    "comment",
)
_HAS_GENE_PRODUCT = "RO:0002205"
_JUSTIFICATION = "semapv:ManualMappingCuration"
_MATCHES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.narrowMatch, SKOS.broadMatch)
#: Prefixes of database cross-references (literals such as "GARD:12919"), with their expansions.
_XREF_PREFIXES = {
    "GARD": "https://rarediseases.info.nih.gov/diseases/",
    "ICD10": "https://icd.who.int/browse10/2019/en#/",
    "ICD11": "https://icd.who.int/browse11/l-m/en#/",
    "MONDO": "http://purl.obolibrary.org/obo/MONDO_",
}
_STANDARD_PREFIXES = {
    "skos": str(SKOS),
    "oboInOwl": OBOINOWL_IRI,
    "semapv": "https://w3id.org/semapv/vocab/",
    "IAO": "http://purl.obolibrary.org/obo/IAO_",
    "RO": "http://purl.obolibrary.org/obo/RO_",
}
_DATASET = EKGID_IRI + "dataset"


def _source(graph: Graph, statement) -> dict[str, str]:
    source = graph.value(statement, URIRef(EKG_IRI + "source"))
    if source is None:
        return {"mapping_provider": "", "mapping_date": "", "comment": ""}
    label = str(graph.value(source, RDFS.label) or contract(str(source)))
    release = graph.value(source, OWL.versionInfo)
    return {
        "mapping_provider": str(graph.value(source, FOAF.page) or ""),
        "mapping_date": str(graph.value(source, URIRef(EKG_IRI + "checkedOn")) or ""),
        "comment": f"source: {label}" + (f" ({release})" if release else ""),
    }


def _label(graph: Graph, node) -> str:
    value = graph.value(node, RDFS.label) if isinstance(node, URIRef) else None
    return " ".join(str(value).split()) if value is not None else ""


def mapping_rows(graph: Graph) -> list[dict[str, str]]:
    """The mappings of ``graph``, one dict per SSSOM row, sorted."""
    ekg = EKG_IRI
    rows = []
    statements = set(graph.subjects(RDF.subject, None))
    diseases = set(graph.subjects(RDF.type, URIRef(ekg + "Disease"))) | set(
        graph.subjects(RDF.type, URIRef(ekg + "DiseaseGroup"))
    )
    genes = set(graph.subjects(RDF.type, URIRef(ekg + "Gene")))
    for st in statements:
        s, p, o = (graph.value(st, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        row: dict[str, str] | None = None
        if s in diseases | genes and p in _MATCHES and isinstance(o, URIRef):
            row = {"subject_id": contract(str(s)), "predicate_id": contract(str(p), _STANDARD_PREFIXES)}
            row["object_id"], row["object_label"] = contract(str(o)), _label(graph, o)
        elif s in diseases and str(p) == OBOINOWL_IRI + "hasDbXref" and isinstance(o, Literal):
            row = {"subject_id": contract(str(s)), "predicate_id": "oboInOwl:hasDbXref", "object_id": str(o)}
        elif p == TERM_REPLACED_BY and (s, OWL.deprecated, Literal(True)) in graph:
            row = {
                "subject_id": contract(str(s)),
                "predicate_id": "IAO:0100001",
                "object_id": contract(str(o)),
            }
            row["object_label"] = _label(graph, o)
        elif s in genes and p == URIRef(ekg + "hasGeneProduct"):
            row = {
                "subject_id": contract(str(s)),
                "predicate_id": _HAS_GENE_PRODUCT,
                "object_id": contract(str(o)),
            }
            row["object_label"] = _label(graph, o)
        if row is None:
            continue
        row["subject_label"] = _label(graph, s)
        row["mapping_justification"] = _JUSTIFICATION
        row.update(_source(graph, st))
        notes = []
        if p == TERM_REPLACED_BY:
            notes.append("obsolete id, merged into the object; kept in the graph as an alternative id")
        if graph.value(st, URIRef(ekg + "singleSource")) == Literal(True):
            notes.append("given by one source only")
        if notes:
            row["comment"] = "; ".join([*notes, row["comment"]])
        rows.append({column: row.get(column, "") for column in SSSOM_COLUMNS})
    return sorted(rows, key=lambda r: (r["subject_id"], r["predicate_id"], r["object_id"]))


def _curie_map(rows: list[dict[str, str]]) -> dict[str, str]:
    known = {**prefix_map(), **_XREF_PREFIXES, **_STANDARD_PREFIXES}
    used = {
        row[column].split(":", 1)[0] for row in rows for column in ("subject_id", "predicate_id", "object_id")
    } | {"semapv"}
    builtin = {"skos", "semapv", "owl", "rdf", "rdfs", "sssom", "xsd", "linkml"}
    return {prefix: known[prefix] for prefix in sorted(used - builtin) if prefix in known}


def sssom_tsv(graph: Graph) -> bytes:
    """The SSSOM TSV of ``graph``: metadata block, header, one row per mapping."""
    rows = mapping_rows(graph)
    dataset = URIRef(_DATASET)
    version = str(graph.value(dataset, URIRef("http://purl.org/pav/version")) or "unversioned")
    date = graph.value(dataset, DCTERMS.issued) or graph.value(dataset, DCTERMS.created)
    metadata = {
        "curie_map": _curie_map(rows),
        "mapping_set_id": f"https://w3id.org/eimfs-kg/release/{version}/eimfs-kg.sssom.tsv",
        "mapping_set_version": version,
        "mapping_set_title": "eimfs-kg identifier mappings of diseases and genes",
        "mapping_set_description": (
            "Identifier mappings of the diseases and genes of the eimfs-kg knowledge graph (EIMFS, DEE 14), "
            "each with the source it was curated from."
        ),
        "license": str(
            graph.value(dataset, DCTERMS.license) or "https://creativecommons.org/publicdomain/zero/1.0/"
        ),
        "creator_label": ["eimfs-kg curators"],
    }
    if date is not None:
        metadata["mapping_date"] = str(date)
    header = yaml.safe_dump(metadata, sort_keys=False, allow_unicode=True, width=10_000)
    buffer = io.StringIO()
    buffer.write("".join(f"#{line}\n" for line in header.splitlines()))
    writer = csv.DictWriter(buffer, fieldnames=SSSOM_COLUMNS, delimiter="\t", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: " ".join(v.split()) for k, v in row.items()})
    return buffer.getvalue().encode()
