"""Checks across curated files: every key a record names must exist, nothing twice.

These are the checks a single record cannot make on its own: a gene citing an
unknown source, a mechanism naming a gene that is not curated, a phenotype whose
HPO term has no label in ``terms.tsv``, two genes with one HGNC id.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from ..errors import CurationError
from ..identifiers import UnknownPrefixError, expand
from ..resources import internal_query_file, ontology_file
from ..vocab import EKG_IRI, KIND_CLASSES
from .records import Curation

__all__ = ["check_references"]

# The kinds a curator may write: the keys of the one table of kinds and classes (vocab.KIND_CLASSES).
_DISEASE_KINDS = set(KIND_CLASSES["disease"])
_GENE_RELATIONS = {"causes", "associated"}
_DIRECTIONS = {"increased", "decreased", "altered"}
_TERM_KINDS = set(KIND_CLASSES["term"])
_RESOURCE_KINDS = set(KIND_CLASSES["resource"])
#: The hedges a source may put on a fact, kept as words so that queries can select on them.
HEDGES = frozenset(
    {
        "typically",
        "usually",
        "often",
        "in most cases",
        "in many cases",
        "in some cases",
        "in a few families",
        "may",
        "can",
        "likely",
        "approximately",
        "under study",
    }
)
#: Databases the graph builder cites by key for gene identity and names (graph.py).
REQUIRED_SOURCES = ("ncbi-gene", "hgnc", "omim")
_PUBLICATION_KINDS = set(KIND_CLASSES["publication"])


@cache
def protein_classes() -> frozenset[str]:
    """The ontology's kinds of protein (``ekg:Protein`` and its subclasses), by local name."""
    store = ox.Store()
    store.load(path=str(ontology_file("eimfs.ttl")), format=ox.RdfFormat.TURTLE)
    query = internal_query_file("protein-classes").read_text(encoding="utf-8")
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    return frozenset(str(s["c"].value).removeprefix(EKG_IRI) for s in solutions)


def _fail(file: Path, record: str, message: str) -> CurationError:
    return CurationError(file, None, message, record)


def _no_duplicates(values: Iterable[str], file: Path, what: str) -> None:
    repeated = [value for value, count in Counter(values).items() if count > 1]
    if repeated:
        raise _fail(file, f"{what} {repeated[0]}", f"duplicate {what} {repeated[0]!r}")


def _member(value: str | None, allowed: Iterable[str], file: Path, record: str, what: str) -> None:
    allowed = set(allowed)
    if value is not None and value not in allowed:
        raise _fail(
            file,
            record,
            f"{what} {value!r} is not defined; use one of: {', '.join(sorted(allowed))}",
        )


def check_references(cur: Curation) -> None:
    """Raise :class:`CurationError` naming file and record for the first broken reference."""
    files = cur.files
    src = cur.sources
    source_keys = [s.key for s in src.sections] + [d.key for d in src.databases] + [src.document.key]
    _no_duplicates(source_keys, files["sources.yaml"], "source key")
    for required in REQUIRED_SOURCES:
        if required not in source_keys:
            raise _fail(files["sources.yaml"], "databases", f"the database {required!r} must be defined")
    _no_duplicates([g.key for g in src.gene_lists], files["sources.yaml"], "gene list")
    for gene_list in src.gene_lists:
        _member(gene_list.source, source_keys, files["sources.yaml"], gene_list.key, "source")
    _no_duplicates(list(cur.terms), files["terms.tsv"], "term")
    for term in cur.terms.values():
        _member(term.kind, _TERM_KINDS, files["terms.tsv"], term.id, "term kind")
        _member(term.source, source_keys, files["terms.tsv"], term.id, "source")

    def term(curie: str | None, file: Path, record: str, kinds: set[str]) -> None:
        if curie is None:
            return
        found = cur.terms.get(curie)
        if found is None:
            raise _fail(file, record, f"term {curie} has no row in terms.tsv; add its label there")
        if found.kind not in kinds:
            raise _fail(file, record, f"term {curie} is a {found.kind}, expected {sorted(kinds)}")

    def sourced(fact, file: Path, record: str) -> None:
        _member(fact.source, source_keys, file, record, "source")
        _member(getattr(fact, "hedge", None), HEDGES, file, record, "hedge")
        for pub in fact.publications:
            _member(pub, pub_ids, file, record, "publication")

    pub_ids = {p.id for p in cur.publications}
    _no_duplicates([p.key for p in cur.publications], files["publications.yaml"], "publication")
    _no_duplicates([p.id for p in cur.publications], files["publications.yaml"], "publication id")

    disease_keys = [d.key for d in cur.diseases]
    f = files["diseases.yaml"]
    _no_duplicates(disease_keys, f, "disease key")
    _no_duplicates([d.id for d in cur.diseases], f, "disease id")
    for disease in cur.diseases:
        _member(disease.kind, _DISEASE_KINDS, f, disease.key, "disease kind")
        _member(disease.source, source_keys, f, disease.key, "source")
        term(disease.process, f, disease.key, {"process"})
        for xref in (*disease.xrefs, *disease.db_xrefs, *disease.alternative_ids, *disease.narrower_matches):
            sourced(xref, f, disease.key)

    f = files["condition.yaml"]
    con = cur.condition
    _member(con.disease, disease_keys, f, "condition", "disease")
    _member(con.names_source, source_keys, f, "other_names", "source")
    _no_duplicates([n.name for n in con.other_names], f, "other name")
    for name in con.other_names:
        _member(name.denotes, disease_keys, f, name.name, "disease")
    term(con.onset.category, f, "onset", {"onset"})
    for period in con.other_onsets:
        sourced(period, f, f"other_onsets {period.key}")
        term(period.category, f, f"other_onsets {period.key}", {"onset"})
    for fact, label in (
        (con.onset, "onset"),
        (con.prevalence, "prevalence"),
        (con.genetic_cause_share, "genetic_cause_share"),
        (con.severity, "severity"),
        (con.prognosis, "prognosis"),
    ):
        sourced(fact, f, label)
    _no_duplicates([str(stage.order) for stage in con.course], f, "course stage order")
    for stage in con.course:
        sourced(stage, f, f"course stage {stage.order}")
    for link in con.links:
        sourced(link, f, f"link {link.disease}")
        _member(link.disease, disease_keys, f, f"link {link.disease}", "disease")
        _member(
            link.relation,
            {"member", "associated", "gene-specific-form"},
            f,
            f"link {link.disease}",
            "relation",
        )
    for explained in con.mode_explanations:
        sourced(explained, f, f"mode_explanations {explained.mode}")
        term(explained.mode, f, f"mode_explanations {explained.mode}", {"inheritance"})
    _no_duplicates([q.key for q in con.research], f, "research question")
    for question in con.research:
        sourced(question, f, f"research {question.key}")
    for fact in con.inheritance:
        sourced(fact, f, f"inheritance {fact.mode}")
        term(fact.mode, f, f"inheritance {fact.mode}", {"inheritance"})
        for modifier in fact.modifiers:
            term(modifier, f, f"inheritance {fact.mode}", {"modifier"})

    f = files["phenotypes.tsv"]
    _no_duplicates([p.id for p in cur.phenotypes], f, "phenotype")
    for phenotype in cur.phenotypes:
        term(phenotype.id, f, phenotype.id, {"phenotype", "clinical-course"})
        term(phenotype.consequence_of, f, phenotype.id, {"phenotype"})
        _member(phenotype.source, source_keys, f, phenotype.id, "source")
        _member(phenotype.hedge, HEDGES, f, phenotype.id, "hedge")

    class_keys = [c.key for c in cur.mechanism_classes]
    f = files["mechanisms.yaml"]
    _no_duplicates(class_keys, f, "mechanism class")
    for mclass in cur.mechanism_classes:
        term(mclass.process, f, mclass.key, {"process"})
        _member(mclass.source, source_keys, f, mclass.key, "source")

    f = files["genes.yaml"]
    symbols = [g.symbol for g in cur.genes]
    _no_duplicates(symbols, f, "gene")
    _no_duplicates([g.hgnc for g in cur.genes if g.hgnc], f, "HGNC id")
    _no_duplicates([g.ncbigene for g in cur.genes], f, "NCBI Gene id")
    _no_duplicates([g.protein.id for g in cur.genes], f, "UniProtKB id")
    list_keys = [gl.key for gl in src.gene_lists]
    for gene in cur.genes:
        rec = gene.symbol
        if not gene.lists:
            raise _fail(f, rec, "a gene must be in at least one gene list")
        for gene_list in gene.lists:
            _member(gene_list, list_keys, f, rec, "gene list")
        _member(gene.protein.source, source_keys, f, rec, "source")
        _member(gene.protein.protein_class, protein_classes(), f, rec, "protein class")
        sourced(gene.mechanism_class, f, rec)
        _member(gene.mechanism_class.mechanism_class, class_keys, f, rec, "mechanism class")
        for link in gene.links:
            sourced(link, f, rec)
            _member(link.disease, disease_keys, f, rec, "disease")
            _member(link.relation, _GENE_RELATIONS, f, rec, "gene-disease relation")
            term(link.variant_type, f, rec, {"variant"})
            if link.relation == "causes" and not link.publications:
                raise _fail(f, rec, "a causal gene-disease link must cite a publication")
        for facts, kind in (
            (gene.ions, "ion"),
            (gene.functions, "molecular-function"),
            (gene.active_in, "cell-type"),
        ):
            for fact in facts:
                sourced(fact, f, rec)
                term(fact.id, f, rec, {kind})
        for fact in gene.inheritance:
            sourced(fact, f, rec)
            term(fact.mode, f, rec, {"inheritance"})
            _member(fact.disease, disease_keys, f, rec, "disease")
            for modifier in fact.modifiers:
                term(modifier, f, rec, {"modifier"})

    f = files["mechanisms.yaml"]
    _no_duplicates([m.key for m in cur.mechanisms], f, "mechanism")
    for mech in cur.mechanisms:
        _member(mech.source, source_keys, f, mech.key, "source")
        _member(mech.genes_source, source_keys, f, mech.key, "source")
        _member(mech.explains, disease_keys, f, mech.key, "disease")
        for symbol in mech.genes:
            _member(symbol, symbols, f, mech.key, "gene")
        for pub in mech.publications:
            _member(pub, pub_ids, f, mech.key, "publication")
        if len(mech.steps) < 2:
            raise _fail(f, mech.key, "a mechanism needs a chain of at least two steps")
        for step in mech.steps:
            term(step.refers_to, f, mech.key, {"variant", "molecular-function", "process", "phenotype"})
            _member(step.direction, _DIRECTIONS, f, mech.key, "direction")
            _member(step.source, source_keys, f, mech.key, "source")
            _member(step.hedge, HEDGES, f, mech.key, "hedge")
    _no_duplicates([c.key for c in cur.channel_families], f, "channel family")
    for family in cur.channel_families:
        sourced(family, f, family.key)
        term(family.ion, f, family.key, {"ion"})
        _member(family.protein_class, protein_classes(), f, family.key, "protein class")

    f = files["publications.yaml"]
    about_keys = set(symbols) | set(disease_keys)
    for pub in cur.publications:
        _member(pub.kind, _PUBLICATION_KINDS, f, pub.key, "publication kind")
        _member(pub.source, source_keys, f, pub.key, "source")
        _member(pub.id_source, source_keys, f, pub.key, "source")
        if not (pub.pmid or pub.doi or pub.bookshelf):
            raise _fail(f, pub.key, "a publication needs a PMID, a DOI or an NCBI Bookshelf id")
        for about in pub.about:
            _member(about, about_keys, f, pub.key, "gene or disease")
        for field_name in pub.unverified:
            _member(field_name, ("pmid", "pmcid"), f, pub.key, "unverified identifier field")
            if not getattr(pub, field_name):
                raise _fail(f, pub.key, f"{field_name} is marked unverified but not given")

    for question in cur.condition.research:
        for about in question.about:
            _member(about, about_keys, files["condition.yaml"], f"research {question.key}", "gene or disease")

    _check_disagreements(cur, source_keys, about_keys)

    f = files["resources.yaml"]
    _no_duplicates([r.key for r in cur.resources], f, "resource")
    section_keys = [s.key for s in src.sections]
    for res in cur.resources:
        _member(res.kind, _RESOURCE_KINDS, f, res.key, "resource kind")
        _member(res.section, section_keys, f, res.key, "page section")
        _member(res.about, disease_keys, f, res.key, "disease")
        _member(res.source, source_keys, f, res.key, "source")


#: Topics a disagreement record may have.
DISAGREEMENT_TOPICS = frozenset(
    {"genes", "inheritance", "phenotypes", "prevalence", "identifiers", "mechanism"}
)


def _check_disagreements(cur: Curation, source_keys: list[str], about_keys: set[str]) -> None:
    """Each record: a known topic and entity, two or more claims from distinct known sources;
    every gene a claim names is curated, every HPO term has its row in terms.tsv."""

    f = cur.files.get("disagreements.yaml", Path("disagreements.yaml"))
    _no_duplicates([d.key for d in cur.disagreements], f, "disagreement")
    symbols = {g.symbol for g in cur.genes}
    for record in cur.disagreements:
        _member(record.topic, DISAGREEMENT_TOPICS, f, record.key, "topic")
        _member(record.about, about_keys, f, record.key, "gene or disease")
        if len(record.claims) < 2:
            raise _fail(f, record.key, "a disagreement needs two or more claims")
        _no_duplicates([c.source for c in record.claims], f, f"claim source of {record.key}")
        for claim in record.claims:
            _member(claim.source, source_keys, f, record.key, "source")
            if not (claim.entities or claim.lacks or claim.value):
                raise _fail(f, record.key, f"the claim {claim.text!r} names no entities, lacks or value")
            for name in (*claim.entities, *claim.lacks):
                if ":" not in name:
                    _member(name, symbols, f, record.key, "gene symbol")
                    continue
                try:
                    expand(name)
                except UnknownPrefixError as exc:
                    raise _fail(f, record.key, str(exc)) from None
                if name.startswith("HP:") and name not in cur.terms:
                    raise _fail(f, record.key, f"term {name} has no row in terms.tsv; add its label there")
