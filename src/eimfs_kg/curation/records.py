"""The shape of every curated record, and loading the curated files into them.

One dataclass per kind of record; :func:`read_curation` reads every file of the
data folder and checks each record (see :mod:`eimfs_kg.curation.schema`);
:func:`eimfs_kg.curation.load.load_curation` then checks the references between
files (a gene naming an unknown source, a mechanism naming an unknown gene ...), reporting
the file, line and record to fix.
"""

import datetime as dt
from dataclasses import MISSING, FrozenInstanceError, dataclass, field, fields
from pathlib import Path
from typing import Any, ClassVar, dataclass_transform

from ..errors import CurationError
from ..resources import data_dir
from .readers import LineDict, read_tsv, read_yaml
from .schema import Curie, Key, Url, Where, parse_record, parse_records

__all__ = [
    "Curation",
    "Disagreement",
    "Disease",
    "Gene",
    "Publication",
    "Record",
    "read_curation",
]

# No ``from __future__ import annotations`` here: annotations that are already types spare
# ``get_type_hints`` compiling each of them again when the first records are read.


@dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(field,))
class Record:
    """Base of the record classes: each subclass is a keyword-only, immutable dataclass.

    The methods a frozen dataclass would generate (``__init__``, ``__eq__``, ``__hash__``,
    ``__repr__``, ``__setattr__``, ``__delattr__``) are written once here, with the same
    behaviour: generating and compiling them for every record class took about 30 ms of
    every cold build. Each record class has a docstring: for one without, ``dataclass``
    would work one out from the class's signature, one or two milliseconds more in all.
    """

    #: Each field's name, default and default factory (``MISSING`` where there is none).
    _defaults: ClassVar[tuple[tuple[str, Any, Any], ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        dataclass(init=False, repr=False, eq=False, kw_only=True)(cls)
        cls._defaults = tuple((f.name, f.default, f.default_factory) for f in fields(cls))  # type: ignore[arg-type]  # now a dataclass

    def __init__(self, **values: Any) -> None:
        state = {}
        for name, default, factory in self._defaults:
            if name in values:
                state[name] = values.pop(name)
            elif default is not MISSING:
                state[name] = default
            elif factory is not MISSING:
                state[name] = factory()
            else:
                raise TypeError(f"{type(self).__qualname__}() missing keyword argument {name!r}")
        if values:
            raise TypeError(
                f"{type(self).__qualname__}() got an unexpected keyword argument {next(iter(values))!r}"
            )
        self.__dict__.update(state)

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name, _, _ in self._defaults)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._values() == other._values()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name, _, _ in self._defaults)
        return f"{type(self).__qualname__}({values})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")


# --- sources ---------------------------------------------------------------------------


class Document(Record):
    """The page the curation follows (sources.yaml): its title, address and when it was checked."""

    key: Key
    title: str
    url: Url
    publisher: str
    checked: dt.date


class Section(Record):
    """A section of the page, cited by key as the source of the facts it states."""

    key: Key
    title: str


class Database(Record):
    """A database cited by key as a source, with the version and date it was checked."""

    key: Key
    title: str
    url: Url
    checked: dt.date
    version: str | None = None


class GeneList(Record):
    """A list of genes the page or a database gives, and the source of the list."""

    key: Key
    title: str
    source: str


class Sources(Record):
    """Everything sources.yaml names: the page, its sections, the databases, the gene lists."""

    document: Document
    sections: tuple[Section, ...]
    databases: tuple[Database, ...]
    gene_lists: tuple[GeneList, ...]


# --- shared parts ------------------------------------------------------------------------


class Sourced(Record):
    """A value with the source key (page section or database) it comes from, and the source's hedge."""

    source: str
    publications: tuple[Curie, ...] = ()
    #: How firmly or how often the source states the fact ("in most cases", "may" ...), kept as said.
    hedge: str | None = None


class Xref(Sourced):
    """A cross-reference to another identifier of the same thing, with its source."""

    id: Curie


class DbXref(Sourced):
    """A code another database gives for the thing (such as a GARD id), kept as written."""

    xref: str
    #: Only one source gives this code (say so rather than present it as agreed).
    single_source: bool = False


class Term(Record):
    """An external ontology term the graph points to, with its label (terms.tsv)."""

    id: Curie
    label: str
    kind: str
    source: str


# --- diseases and the condition -------------------------------------------------------


class Disease(Record):
    """A disease or disease group (diseases.yaml) with its identifiers, names and cross-references."""

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
    #: Terms narrower than this one (a project group's narrower Mondo term).
    narrower_matches: tuple[Xref, ...] = ()
    #: Ids the authority has merged into this one (obsolete, replaced by it); never cross-references.
    alternative_ids: tuple[Xref, ...] = ()
    process: Curie | None = None


class OtherName(Record):
    """Another name of the condition, and the disease key it denotes."""

    name: str
    denotes: str


class Onset(Sourced):
    """The age before which the condition starts, and its HPO onset category."""

    before: str
    category: Curie


class OnsetPeriod(Sourced):
    """An onset period another source gives (an HPO onset term), beside the page's age limit."""

    key: Key
    label: str
    category: Curie


class Prevalence(Sourced):
    """How many people have the condition: numerator per denominator in a population."""

    numerator: int
    denominator: int
    population: str
    approximate: bool = True


class Share(Sourced):
    """A fraction of the cases (such as those with a known genetic cause)."""

    fraction: float
    approximate: bool = True


class CourseStage(Sourced):
    """One stage of the course of the condition, in order."""

    order: int
    label: str
    seizure_frequency: str
    description: str
    timing: str | None = None


class TextFact(Sourced):
    """A fact the source states in words only (severity, prognosis)."""

    text: str


class DiseaseLink(Sourced):
    """How the condition relates to another disease (member, associated ...)."""

    disease: str
    relation: str


class InheritanceFact(Sourced):
    """A mode of inheritance, with its modifiers, for the condition or one disease."""

    mode: Curie
    modifiers: tuple[Curie, ...] = ()
    note: str | None = None
    disease: str | None = None


class ResearchQuestion(Sourced):
    """A question the source says researchers are still studying."""

    key: Key
    question: str
    about: tuple[str, ...] = ()


class ModeExplanation(Sourced):
    """What the source says a mode of inheritance (or de novo origin) means, in typed parts."""

    mode: Curie
    explanation: str
    altered_copies_needed: int | None = None
    in_males: str | None = None
    heterozygous_females: str | None = None
    carrier_parents: str | None = None
    father_to_son_transmission: bool | None = None
    variant_origins: tuple[str, ...] = ()
    family_history: str | None = None


class Condition(Record):
    """The condition the page describes (condition.yaml): names, onset, course, inheritance."""

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
    research: tuple[ResearchQuestion, ...] = ()
    other_onsets: tuple[OnsetPeriod, ...] = ()
    mode_explanations: tuple[ModeExplanation, ...] = ()


class PhenotypeFact(Record):
    """A feature of the condition (phenotypes.tsv); each column holds one kind of note."""

    id: Curie
    source: str
    frequency: str | None = None
    hedge: str | None = None
    note: str | None = None
    consequence_of: Curie | None = None
    explanation: str | None = None


# --- genes -----------------------------------------------------------------------------------


class GeneDiseaseLink(Sourced):
    """That a gene causes or is associated with a disease, with its rank and variant type."""

    disease: str
    relation: str
    rank: int | None = None
    variant_type: Curie | None = None


class Protein(Record):
    """The protein a gene encodes, with its UniProt id, name and kind."""

    id: Curie
    #: UniProt's recommended name; ``name_verified: false`` where no public copy of the entry was found.
    name: str
    kind: str
    protein_class: str
    source: str
    name_verified: bool = True


class TermFact(Sourced):
    """That a gene relates to an ontology term (an ion, a function, a cell type)."""

    id: Curie


class ClassFact(Sourced):
    """The class of mechanism by which a gene leads to the disease."""

    mechanism_class: str
    note: str | None = None


class Gene(Record):
    """A curated gene (genes.yaml): identifiers, protein, mechanism class and disease links."""

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


class MechanismClass(Record):
    """A class of disease mechanism (mechanisms.yaml) genes are put in."""

    key: Key
    label: str
    definition: str
    source: str
    process: Curie | None = None
    #: False for the class of genes whose route to the disease the sources do not establish.
    established: bool = True


class Step(Record):
    """One step of a mechanism's chain, from the variant to the phenotype."""

    label: str
    refers_to: Curie
    direction: str | None = None
    source: str | None = None
    #: How firmly the source says this step follows (from the variant, or from the step before).
    hedge: str | None = None


class ChannelFamily(Sourced):
    """A family of ion channels as the source describes it: the ion, the way it flows, its role."""

    key: Key
    label: str
    protein_class: str
    ion: Curie
    flow: str
    role: str


class Mechanism(Record):
    """A disease mechanism: a chain of steps from variants in some genes to the disease."""

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


class Publication(Record):
    """A publication the page or a database cites (publications.yaml)."""

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
    #: False when ``authors`` lists only the first author(s) the curators could confirm.
    authors_complete: bool = True
    #: The page marks the reference as free to read on PubMed Central.
    free_on_pmc: bool = False
    #: Identifier fields ("pmid", "pmcid") that no public source could pair with the title or DOI.
    unverified: tuple[str, ...] = ()


class Resource(Record):
    """A resource the page points to (resources.yaml): a topic page or an external site."""

    key: Key
    kind: str
    label: str
    section: str
    resource_type: str
    url: Url | None = None
    identifier: str | None = None
    about: str | None = None
    source: str | None = None


class Claim(Record):
    """What one source holds on a disputed point: its text, source and what it names or lacks."""

    text: str
    source: str
    entities: tuple[str, ...] = ()
    lacks: tuple[str, ...] = ()
    value: str | None = None


class Disagreement(Record):
    """Sources that disagree about one entity on one topic (disagreements.yaml)."""

    key: Key
    about: str
    topic: str
    description: str
    claims: tuple[Claim, ...]


class Curation(Record):
    """Everything curated, checked and cross-referenced: the input of the graph builder."""

    sources: Sources
    terms: dict[str, Term]
    diseases: tuple[Disease, ...]
    condition: Condition
    phenotypes: tuple[PhenotypeFact, ...]
    genes: tuple[Gene, ...]
    mechanism_classes: tuple[MechanismClass, ...]
    mechanisms: tuple[Mechanism, ...]
    channel_families: tuple[ChannelFamily, ...]
    publications: tuple[Publication, ...]
    resources: tuple[Resource, ...]
    disagreements: tuple[Disagreement, ...] = ()
    files: dict[str, Path] = field(default_factory=dict)


# --- loading ----------------------------------------------------------------------------------

#: The columns of phenotypes.tsv, in order.
PHENOTYPE_COLUMNS = ("id", "frequency", "hedge", "note", "consequence_of", "explanation", "source")


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
            "disagreements.yaml",
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
    phenotype_rows = read_tsv(files["phenotypes.tsv"], PHENOTYPE_COLUMNS)
    phenotypes = parse_records(PhenotypeFact, phenotype_rows, files["phenotypes.tsv"], "id")
    genes = parse_records(Gene, _yaml_list(files["genes.yaml"], "genes"), files["genes.yaml"], "symbol")
    raw_mech = read_yaml(files["mechanisms.yaml"])
    mech_where = Where(files["mechanisms.yaml"], 1)
    if not isinstance(raw_mech, dict):
        raise mech_where.error("expected a mapping with 'classes' and 'mechanisms'")
    classes = parse_records(MechanismClass, raw_mech.get("classes"), files["mechanisms.yaml"], "key")
    mechanisms = parse_records(Mechanism, raw_mech.get("mechanisms"), files["mechanisms.yaml"], "key")
    families = parse_records(
        ChannelFamily, raw_mech.get("channel_families", []), files["mechanisms.yaml"], "key"
    )
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
        channel_families=tuple(families),
        publications=tuple(publications),
        resources=tuple(resources),
        disagreements=tuple(
            parse_records(
                Disagreement,
                _yaml_list(files["disagreements.yaml"], "disagreements"),
                files["disagreements.yaml"],
                "key",
            )
        ),
        files=files,
    )
    return curation
