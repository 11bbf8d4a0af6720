"""The query library: every query runs, each competency question gives its expected answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from eimfs_kg.api import run_query
from eimfs_kg.cli import main
from eimfs_kg.errors import InputError
from eimfs_kg.query.docs import EXAMPLE_PARAMS
from eimfs_kg.query.library import get_query, internal_query, list_queries
from eimfs_kg.query.oxigraph import Engine
from eimfs_kg.query.rdflib_engine import answer_with_rdflib
from eimfs_kg.resources import queries_dir

ALL = [q.name for q in list_queries()]
#: The queries the package runs itself (analysis, HPO comparison, cross-checks): not in the library.
INTERNAL = sorted(p.stem for p in (queries_dir() / "internal").glob("*.rq"))


def rows(engine: Engine, query: str, **params: str) -> list[dict[str, str | None]]:
    return engine.answer(get_query(query), params).dicts()


@pytest.mark.parametrize("name", ALL)
def test_every_query_is_documented_and_runs(engine: Engine, name: str) -> None:
    query = get_query(name)
    assert query.title and query.description
    params = {p: EXAMPLE_PARAMS[p] for p in query.params}
    result = engine.answer(query, params)
    if name.endswith("-violation"):
        assert result.rows == [], f"integrity check {name} found {result.dicts()[:3]}"
    else:
        assert result.rows, f"{name} returned no rows"


@pytest.mark.parametrize("name", INTERNAL)
def test_every_internal_query_is_documented_and_runs(engine: Engine, name: str) -> None:
    """Internal queries keep the library's rules: a title, a description, safe, rows on the graph."""
    query = internal_query(name)  # refuses a file without '# title:' and '# description:'
    assert query.title and query.description and not query.params
    assert engine.answer(query).rows, f"internal/{name} returned no rows"
    assert name not in ALL


def test_internal_queries_are_all_there() -> None:
    assert INTERNAL == [
        "disease-network",
        "gene-ion",
        "gene-mechanism",
        "hpo-compare",
        "parameter-values",
        "protein-classes",
        "recorded-disagreements",
    ]


@pytest.mark.slow  # rdflib answers every library query: from 0.1 s to 15 s each
@pytest.mark.parametrize("name", ALL)
def test_both_engines_give_identical_rows(engine: Engine, graph: Graph, name: str) -> None:
    query = get_query(name)
    params = {p: EXAMPLE_PARAMS[p] for p in query.params}
    oxigraph = engine.answer(query, params)
    rdflib = answer_with_rdflib(graph, query, params)
    assert oxigraph.variables == rdflib.variables
    assert sorted(map(str, oxigraph.rows)) == sorted(map(str, rdflib.rows))


def test_competency_questions_present() -> None:
    expected = {
        "genes",
        "ion-channel-genes",
        "gain-of-function",
        "inheritance",
        "link-publications",
        "condition-by-name",
        "phenotypes",
        "most-common-causes",
        "disease-groups",
        "clinical-figures",
        "x-linked-genes",
        "external-resources",
    }
    assert expected <= set(ALL)


def test_cq1_genes_with_lists(engine: Engine) -> None:
    result = rows(engine, "genes")
    assert len(result) == 25
    by_symbol = {r["symbol"]: r for r in result}
    assert by_symbol["KCNT1"]["list"] == "MedlinePlus Genetics gene list for EIMFS"
    assert by_symbol["SLC12A5"]["list"].startswith("Genes added from NCBI Gene")
    assert by_symbol["KCNT1"]["hgnc"] == "http://identifiers.org/hgnc/18865"


def test_cq2_ion_channels_through_class_hierarchy(engine: Engine) -> None:
    result = rows(engine, "ion-channel-genes")
    pairs = {(r["symbol"], r["ionLabel"]) for r in result}
    assert {
        ("KCNT1", "potassium(1+)"),
        ("KCNQ2", "potassium(1+)"),
        ("SCN2A", "sodium(1+)"),
        ("SCN1A", "sodium(1+)"),
        ("SCN8A", "sodium(1+)"),
        ("HCN1", "sodium(1+)"),
        ("GABRA1", "chloride"),
    } <= pairs
    symbols = {r["symbol"] for r in result}
    assert "ATP1A3" not in symbols and "SLC12A5" not in symbols  # pump and transporter


def test_cq3_gain_of_function_chain(engine: Engine) -> None:
    result = rows(engine, "gain-of-function")
    assert {r["symbol"] for r in result} == {"KCNT1"}
    assert [r["term"] for r in result] == [
        "missense_variant",
        "gain_of_function_variant",
        "potassium ion transmembrane transport",
        "neuronal action potential",
        "Seizure",
    ]


def test_cq4_inheritance(engine: Engine) -> None:
    result = rows(engine, "inheritance")
    condition = {
        r["mode"] for r in result if r["subject"] == "epilepsy of infancy with migrating focal seizures"
    }
    assert condition == {
        "Typically de novo",
        "Autosomal dominant inheritance",
        "Autosomal recessive inheritance",
        "X-linked inheritance",
    }
    slc = [r for r in result if r["subject"] == "SLC12A5"]
    assert [r["mode"] for r in slc] == ["Autosomal recessive inheritance"]


def test_cq5_publications_per_link(engine: Engine) -> None:
    result = rows(engine, "link-publications")
    kcnt1 = {
        r["citation"]
        for r in result
        if r["symbol"] == "KCNT1" and r["disease"].startswith("epilepsy of infancy")
    }
    assert kcnt1 == {"Barcia et al. 2012", "Barcia et al. 2019", "Ishii et al. 2013", "Gertler et al. 2018"}
    assert {r["citation"] for r in result if r["symbol"] == "SCN2A"} == {
        "Howell et al. 2015",
        "Zeng et al. 2022",
    }


@pytest.mark.parametrize(
    ("name", "denotes"),
    [
        ("MMPSI", "epilepsy of infancy with migrating focal seizures"),
        ("migrating partial seizures of infancy", "epilepsy of infancy with migrating focal seizures"),
        ("EIEE14", "developmental and epileptic encephalopathy 14"),
        ("DEE 14", "developmental and epileptic encephalopathy 14"),
    ],
)
def test_cq6_condition_by_any_name(engine: Engine, name: str, denotes: str) -> None:
    result = rows(engine, "condition-by-name", name=name)
    assert len(result) == 1
    assert result[0]["conditionLabel"] == "epilepsy of infancy with migrating focal seizures"
    assert result[0]["denotesLabel"] == denotes


def test_cq6_unknown_name_and_injection_find_nothing(engine: Engine) -> None:
    before = len(engine)
    assert rows(engine, "condition-by-name", name="not a disease") == []
    assert rows(engine, "condition-by-name", name='x") || true || ("') == []
    assert len(engine) == before


def test_cq7_phenotypes_with_hpo_ids(engine: Engine) -> None:
    result = rows(engine, "phenotypes")
    ids = {r["hpo"].rsplit("_", 1)[1] for r in result}
    assert {"0011153", "0032786", "0002133", "0000252"} <= ids and len(ids) == 13
    focal = next(r for r in result if r["label"] == "Focal motor seizure")
    assert focal["note"] == "the most common seizure type" and focal["frequency"] is None
    walking = next(r for r in result if r["label"] == "Inability to walk")
    assert walking["frequency"] == "many" and walking["hedge"] is None
    assert next(r for r in result if r["label"] == "Hypotonia")["hedge"] == "may"


def test_cq8_most_common_causes(engine: Engine) -> None:
    result = rows(engine, "most-common-causes")
    assert [(r["rank"], r["symbol"]) for r in result] == [("1", "KCNT1"), ("2", "SCN2A")]


def test_cq9_groups_and_glycosylation_genes(engine: Engine) -> None:
    result = rows(engine, "disease-groups")
    groups = {r["groupLabel"] for r in result}
    assert groups == {"developmental and epileptic encephalopathy", "congenital disorder of glycosylation"}
    assert {r["symbol"] for r in result if r["symbol"]} == {"ALG3", "PIGA"}


def test_cq10_clinical_figures(engine: Engine) -> None:
    (row,) = rows(engine, "clinical-figures")
    assert (row["onsetBefore"], row["numerator"], row["denominator"], row["geneticCauseShare"]) == (
        "P6M",
        "1",
        "900000",
        "0.7",
    )


def test_cq11_x_linked_genes(engine: Engine) -> None:
    result = rows(engine, "x-linked-genes")
    assert {r["symbol"] for r in result} == {"CDKL5", "PIGA", "SMC1A"}
    for symbol in ("CDKL5", "PIGA", "SMC1A"):
        assert {r["mode"] for r in result if r["symbol"] == symbol} >= {"X-linked inheritance"}
    assert {r["mode"] for r in result if r["symbol"] == "PIGA"} == {
        "X-linked inheritance",
        "X-linked recessive inheritance",
    }


def test_cq12_external_resources(engine: Engine) -> None:
    result = rows(engine, "external-resources")
    omim = next(r for r in result if r["identifier"] == "OMIM:614959")
    assert omim["about"] == "developmental and epileptic encephalopathy 14"
    assert len(result) == 17


def test_page_and_external_facts_are_separable(engine: Engine) -> None:
    result = rows(engine, "facts-by-origin")
    origins = {r["origin"] for r in result}
    assert origins == {"page", "external"}
    page_sources = {r["source"] for r in result if r["origin"] == "page"}
    assert all(s.startswith("MedlinePlus Genetics EIMFS page") for s in page_sources)


def test_unknown_parameter_lists_valid_ones(engine: Engine) -> None:
    with pytest.raises(InputError, match="valid: name"):
        engine.answer(get_query("condition-by-name"), {"nme": "EIMFS"})


def test_unknown_query_suggests_closest() -> None:
    with pytest.raises(InputError, match="did you mean genes"):
        get_query("gens")


def test_cli_query_table(built, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["query", "most-common-causes", "--graph", str(built.path)])
    out = capsys.readouterr().out
    assert code == 0
    assert "KCNT1" in out and "(2 rows)" in out


def test_cli_query_missing_name_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "phenotype"]) == 2
    assert "did you mean phenotypes" in capsys.readouterr().err


def test_broken_chain_check_finds_a_missing_link_and_a_shared_position(built) -> None:
    import pyoxigraph as ox

    damaged = Engine(built.path)
    ekg, ekgid = "https://w3id.org/eimfs-kg/vocab/", "https://w3id.org/eimfs-kg/id/"
    step = lambda n: ox.NamedNode(f"{ekgid}mechanism.kcnt1-gain-of-function.step.{n}")  # noqa: E731
    damaged.store.remove(ox.Quad(step(2), ox.NamedNode(f"{ekg}leadsTo"), step(3), ox.DefaultGraph()))
    assert rows(damaged, "broken-chain-violation") == [
        {"mechanism": f"{ekgid}mechanism.kcnt1-gain-of-function", "step": step(2).value, "order": "2"}
    ]
    order = ox.NamedNode(f"{ekg}order")
    damaged.store.add(ox.Quad(step(5), order, ox.Literal("4", datatype=ox.NamedNode(XSD_INTEGER))))
    found = {(r["step"], r["order"]) for r in rows(damaged, "broken-chain-violation")}
    assert {(step(4).value, "4"), (step(5).value, "4")} <= found


XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#positiveInteger"


def test_a_query_file_resolves_relative_iris_against_its_own_iri(tmp_path: Path, built) -> None:
    """As Turtle files do, and as the W3C query syntax suite expects of a query read from a file."""
    (tmp_path / "relative.rq").write_text("SELECT ?x WHERE { BIND(<genes/KCNT1> AS ?x) }\n")
    answer = run_query(str(tmp_path / "relative.rq"), graph=built.path)
    assert answer.dicts() == [{"x": (tmp_path / "genes" / "KCNT1").as_uri()}]
