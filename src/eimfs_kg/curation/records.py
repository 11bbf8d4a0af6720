"""The shape of every curated record, and loading the curated files into them.

One dataclass per kind of record; :func:`read_curation` reads every file of the
data folder and checks each record (see :mod:`eimfs_kg.curation.schema`);
:func:`eimfs_kg.curation.load.load_curation` then checks the references between
files (a gene naming an unknown source, a mechanism naming an unknown gene ...), reporting
the file, line and record to fix.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CurationError
from ..resources import data_dir
from .readers import LineDict, read_tsv, read_yaml
from .schema import Curie, Key, Url, Where, parse_record, parse_records

__all__ = [
    "Curation",
    "Disease",
    "Gene",
    "Publication",
    "read_curation",
]


# --- sources ---------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Document:
    key: Key
    title: str
    url: Url
    publisher: str
    checked: dt.date


@dataclass(frozen=True, kw_only=True)
class Section:
    key: Key
    title: str


@dataclass(frozen=True, kw_only=True)
class Database:
    key: Key
    title: str
    url: Url
    checked: dt.date
    version: str | None = None


@dataclass(frozen=True, kw_only=True)
class GeneList:
    key: Key
    title: str
    source: str


@dataclass(frozen=True, kw_only=True)
class Sources:
    document: Document
    sections: tuple[Section, ...]
    databases: tuple[Database, ...]
    gene_lists: tuple[GeneList, ...]


# --- shared parts ------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Sourced:
    """A value with the source key (page section or database) it comes from."""

    source: str
    publications: tuple[Curie, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Xref(Sourced):
    id: Curie


@dataclass(frozen=True, kw_only=True)
class DbXref(Sourced):
    xref: str


@dataclass(frozen=True, kw_only=True)
class Term:
    """An external ontology term the graph points to, with its label (terms.tsv)."""

    id: Curie
    label: str
    kind: str
    source: str


# --- diseases and the condition -------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Disease:
    key: Key
    id: Curie
    kind: str
    label: str
    description: str
    source: str
    abbreviation: str | None = None
    synonyms: tuple[str, ...] = ()
    xrefs: tuple[Xref, ...] = ()
    db_xrefs: tuple[DbXref, ...] = ()
    process: Curie | None = None


@dataclass(frozen=True, kw_only=True)
class OtherName:
    name: str
    denotes: str


@dataclass(frozen=True, kw_only=True)
class Onset(Sourced):
    before: str
    category: Curie


@dataclass(frozen=True, kw_only=True)
class Prevalence(Sourced):
    numerator: int
    denominator: int
    population: str
    approximate: bool = True


@dataclass(frozen=True, kw_only=True)
class Share(Sourced):
    fraction: float
    approximate: bool = True


@dataclass(frozen=True, kw_only=True)
class CourseStage(Sourced):
    order: int
    label: str
    timing: str
    seizure_frequency: str
    description: str


@dataclass(frozen=True, kw_only=True)
class TextFact(Sourced):
    text: str


@dataclass(frozen=True, kw_only=True)
class DiseaseLink(Sourced):
    disease: str
    relation: str


@dataclass(frozen=True, kw_only=True)
class InheritanceFact(Sourced):
    mode: Curie
    modifiers: tuple[Curie, ...] = ()
    note: str | None = None
    disease: str | None = None


@dataclass(frozen=True, kw_only=True)
class Condition:
    disease: str
    names_source: str
    other_names: tuple[OtherName, ...]
    onset: Onset
    prevalence: Prevalence
    genetic_cause_share: Share
    course: tuple[CourseStage, ...]
    severity: TextFact
    prognosis: TextFact
    links: tuple[DiseaseLink, ...]
    inheritance: tuple[InheritanceFact, ...]


@dataclass(frozen=True, kw_only=True)
class PhenotypeFact:
    id: Curie
    source: str
    frequency: str


# --- genes -----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class GeneDiseaseLink(Sourced):
    disease: str
    relation: str
    rank: int | None = None
    variant_type: Curie | None = None


@dataclass(frozen=True, kw_only=True)
class Protein:
    id: Curie
    name: str
    kind: str
    protein_class: str
    source: str


@dataclass(frozen=True, kw_only=True)
class TermFact(Sourced):
    id: Curie


@dataclass(frozen=True, kw_only=True)
class ClassFact(Sourced):
    mechanism_class: str


@dataclass(frozen=True, kw_only=True)
class Gene:
    symbol: str
    ncbigene: Curie
    name: str
    location: str
    lists: tuple[str, ...]
    protein: Protein
    mechanism_class: ClassFact
    links: tuple[GeneDiseaseLink, ...]
    hgnc: Curie | None = None
    omim: Curie | None = None
    ions: tuple[TermFact, ...] = ()
    functions: tuple[TermFact, ...] = ()
    active_in: tuple[TermFact, ...] = ()
    inheritance: tuple[InheritanceFact, ...] = ()


# --- mechanisms ------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class MechanismClass:
    key: Key
    label: str
    definition: str
    process: Curie
    source: str


@dataclass(frozen=True, kw_only=True)
class Step:
    label: str
    refers_to: Curie
    direction: str | None = None
    source: str | None = None


@dataclass(frozen=True, kw_only=True)
class Mechanism:
    key: Key
    label: str
    description: str
    genes: tuple[str, ...]
    explains: str
    source: str
    steps: tuple[Step, ...]
    publications: tuple[Curie, ...] = ()
    genes_source: str | None = None


# --- publications and resources ------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Publication:
    key: Key
    kind: str
    title: str
    authors: tuple[str, ...]
    journal: str
    year: int
    source: str
    id: Curie
    id_source: str = "pubmed"
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    bookshelf: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    about: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Resource:
    key: Key
    kind: str
    label: str
    section: str
    resource_type: str
    url: Url | None = None
    identifier: str | None = None
    about: str | None = None
    source: str | None = None


@dataclass(frozen=True, kw_only=True)
class Curation:
    """Everything curated, checked and cross-referenced: the input of the graph builder."""

    sources: Sources
    terms: dict[str, Term]
    diseases: tuple[Disease, ...]
    condition: Condition
    phenotypes: tuple[PhenotypeFact, ...]
    genes: tuple[Gene, ...]
    mechanism_classes: tuple[MechanismClass, ...]
    mechanisms: tuple[Mechanism, ...]
    publications: tuple[Publication, ...]
    resources: tuple[Resource, ...]
    files: dict[str, Path] = field(default_factory=dict)


# --- loading ----------------------------------------------------------------------------------


def _yaml_list(path: Path, top: str) -> list[LineDict]:
    data = read_yaml(path)
    if not isinstance(data, dict) or top not in data:
        raise CurationError(path, 1, f"expected a mapping with a top-level {top!r} list")
    return data[top]


def read_curation(folder: Path | None = None) -> Curation:
    """Read every curated file of ``folder`` (default: the packaged data), each record checked.

    The references between files are checked by :func:`eimfs_kg.curation.load.load_curation`.
    """
    folder = folder or data_dir()
    files = {
        name: folder / name
        for name in (
            "sources.yaml",
            "terms.tsv",
            "diseases.yaml",
            "condition.yaml",
            "phenotypes.tsv",
            "genes.yaml",
            "mechanisms.yaml",
            "publications.yaml",
            "resources.yaml",
        )
    }
    raw_sources = read_yaml(files["sources.yaml"])
    sources = parse_record(Sources, raw_sources, Where(files["sources.yaml"], 1))
    terms_rows = read_tsv(files["terms.tsv"], ("id", "label", "kind", "source"))
    terms = parse_records(Term, terms_rows, files["terms.tsv"], key="id")
    diseases = parse_records(
        Disease, _yaml_list(files["diseases.yaml"], "diseases"), files["diseases.yaml"], "key"
    )
    raw_condition = read_yaml(files["condition.yaml"])
    condition = parse_record(Condition, raw_condition, Where(files["condition.yaml"], 1))
    phenotype_rows = read_tsv(files["phenotypes.tsv"], ("id", "frequency", "source"))
    phenotypes = parse_records(PhenotypeFact, phenotype_rows, files["phenotypes.tsv"], "id")
    genes = parse_records(Gene, _yaml_list(files["genes.yaml"], "genes"), files["genes.yaml"], "symbol")
    raw_mech = read_yaml(files["mechanisms.yaml"])
    mech_where = Where(files["mechanisms.yaml"], 1)
    if not isinstance(raw_mech, dict):
        raise mech_where.error("expected a mapping with 'classes' and 'mechanisms'")
    classes = parse_records(MechanismClass, raw_mech.get("classes"), files["mechanisms.yaml"], "key")
    mechanisms = parse_records(Mechanism, raw_mech.get("mechanisms"), files["mechanisms.yaml"], "key")
    publications = parse_records(
        Publication,
        _yaml_list(files["publications.yaml"], "publications"),
        files["publications.yaml"],
        "key",
    )
    resources = parse_records(
        Resource, _yaml_list(files["resources.yaml"], "resources"), files["resources.yaml"], "key"
    )
    curation = Curation(
        sources=sources,
        terms={term.id: term for term in terms},
        diseases=tuple(diseases),
        condition=condition,
        phenotypes=tuple(phenotypes),
        genes=tuple(genes),
        mechanism_classes=tuple(classes),
        mechanisms=tuple(mechanisms),
        publications=tuple(publications),
        resources=tuple(resources),
        files=files,
    )
    return curation
