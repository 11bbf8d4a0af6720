"""The Python API: load the graph, run a query, get dictionaries or a DataFrame."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

import eimfs_kg
from eimfs_kg.graph.build import BuildResult


def test_public_names_resolve() -> None:
    for name in eimfs_kg.__all__:
        assert getattr(eimfs_kg, name) is not None
    with pytest.raises(AttributeError):
        _ = eimfs_kg.no_such_thing


def test_load_graph_returns_the_built_graph(built: BuildResult) -> None:
    graph = eimfs_kg.load_graph(built.path)
    assert isinstance(graph, Graph) and len(graph) == len(built.graph)


def test_run_query_by_name_text_and_file(built: BuildResult, tmp_path: Path) -> None:
    by_name = eimfs_kg.run_query("x-linked-genes", graph=built.path)
    assert {r["symbol"] for r in by_name.dicts()} == {"CDKL5", "PIGA", "SMC1A"}
    text = "PREFIX ekg: <https://w3id.org/eimfs-kg/vocab/>\nSELECT ?s WHERE { ?g ekg:symbol ?s }"
    assert len(eimfs_kg.run_query(text, graph=built.path).rows) == 25
    rq = tmp_path / "q.rq"
    rq.write_text(text)
    assert len(eimfs_kg.run_query(str(rq), graph=built.path).rows) == 25


def test_run_query_on_an_rdflib_graph(graph: Graph) -> None:
    answer = eimfs_kg.run_query("condition-by-name", {"name": "EIEE14"}, graph=graph)
    assert answer.dicts()[0]["denotesLabel"] == "developmental and epileptic encephalopathy 14"


def test_dataframe(built: BuildResult) -> None:
    frame = eimfs_kg.run_query("genes", graph=built.path).to_dataframe()
    assert list(frame.columns) == ["symbol", "gene", "hgnc", "name", "location", "list"]
    assert len(frame) == 25 and "KCNT1" in set(frame["symbol"])
