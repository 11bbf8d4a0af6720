"""Exports: every format re-read and compared with the graph; KGX checked by the real kgx validator."""

from __future__ import annotations

import csv
import json
import os
import subprocess
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from eimfs_kg.cli import main
from eimfs_kg.errors import InputError
from eimfs_kg.graph.build import BuildResult
from eimfs_kg.publish.export import context_file_text, export
from eimfs_kg.resources import ontology_file

ROOT = Path(__file__).resolve().parents[2]


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.mark.slow  # each export read back whole by rdflib: 2-4 s per format
@pytest.mark.parametrize(("fmt", "rdf_format"), [("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_rdf_exports_round_trip(built: BuildResult, tmp_path: Path, fmt: str, rdf_format: str) -> None:
    (path,) = export(fmt, tmp_path / f"graph.{fmt}", built.path)
    assert isomorphic(Graph().parse(path, format=rdf_format), built.graph)


@pytest.mark.slow  # exports the whole graph twice per format
@pytest.mark.parametrize("fmt", ["turtle", "nt"])
def test_turtle_and_ntriples_are_reproducible(built: BuildResult, tmp_path: Path, fmt: str) -> None:
    (a,) = export(fmt, tmp_path / "a", built.path)
    (b,) = export(fmt, tmp_path / "b", built.path)
    assert a.read_bytes() == b.read_bytes()
    if fmt == "nt":
        assert len(a.read_text().splitlines()) == len(built.graph)


@pytest.mark.slow  # PyLD compaction of the whole graph: about 3 s
def test_jsonld_is_compact_with_the_published_context(built: BuildResult, tmp_path: Path) -> None:
    assert ontology_file("context.jsonld").read_text() == context_file_text()
    (path,) = export("jsonld", tmp_path / "graph.jsonld", built.path)
    doc = json.loads(path.read_text())
    assert doc["@context"]["HGNC"] == "http://identifiers.org/hgnc/"
    assert doc["@context"]["MONDO"] == {"@id": "http://purl.obolibrary.org/obo/MONDO_", "@prefix": True}
    ids = {node.get("@id") for node in doc["@graph"]}
    assert {"NCBIGene:57582", "PMID:23086397", "MONDO:0017385", "HP:0032786"} <= ids


def test_kgx_nodes_and_edges(built: BuildResult, tmp_path: Path) -> None:
    export("kgx", tmp_path, built.path)
    nodes = {row["id"]: row for row in read_tsv(tmp_path / "nodes.tsv")}
    edges = read_tsv(tmp_path / "edges.tsv")
    assert nodes["NCBIGene:57582"]["category"] == "biolink:Gene"
    assert nodes["NCBIGene:57582"]["name"] == "KCNT1"
    assert nodes["MONDO:0017385"]["category"] == "biolink:Disease"
    assert nodes["UniProtKB:Q5JUK3"]["category"] == "biolink:Protein"
    assert nodes["HP:0011153"]["category"] == "biolink:PhenotypicFeature"
    assert sum(row["category"] == "biolink:Gene" for row in nodes.values()) == 25
    causal = [e for e in edges if e["predicate"] == "biolink:causes" and e["object"] == "MONDO:0017385"]
    assert {e["subject"] for e in causal} == {"NCBIGene:57582", "NCBIGene:6326", "NCBIGene:57468"}
    assert all(e["category"] == "biolink:CausalGeneToDiseaseAssociation" for e in causal)
    kcnt1 = next(e for e in causal if e["subject"] == "NCBIGene:57582")
    assert kcnt1["subject_form_or_variant_qualifier"] == "gain_of_function_variant_form"
    assert "PMID:23086397" in kcnt1["publications"].split("|")
    correlated = [e for e in edges if e["predicate"] == "biolink:gene_associated_with_condition"]
    assert len(correlated) == 25
    assert all(e["category"] == "biolink:CorrelatedGeneToDiseaseAssociation" for e in correlated)
    processes = {e["object"] for e in edges if e["predicate"] == "biolink:participates_in"}
    assert "GO:0071805" in processes  # KCNT1's mechanism class, as its GO process
    for edge in edges:
        assert edge["subject"] in nodes and edge["object"] in nodes
        assert edge["knowledge_level"] and edge["agent_type"] == "manual_agent"


def _kgx_python() -> Path:
    configured = os.environ.get("EIMFS_KG_KGX_PYTHON")
    return Path(configured) if configured else ROOT / ".venv-kgx" / "bin" / "python"


@pytest.mark.slow  # runs Monarch's kgx in its own environment (.venv-kgx)
def test_kgx_export_passes_the_kgx_validator(built: BuildResult, tmp_path: Path) -> None:
    python = _kgx_python()
    assert python.is_file(), f"the kgx tool environment is missing: run `make kgx-env` ({python})"
    export("kgx", tmp_path, built.path)
    report = tmp_path / "report.json"
    done = subprocess.run(
        [
            str(python),
            str(ROOT / "tests" / "tools" / "kgx_validate.py"),
            str(tmp_path / "nodes.tsv"),
            str(tmp_path / "edges.tsv"),
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert json.loads(report.read_text()) == {}


def test_graphml_export(built: BuildResult, tmp_path: Path) -> None:
    written = export("graphml", tmp_path / "graphml", built.path)
    assert sorted(p.name for p in written) == [
        "disease-network.graphml",
        "gene-gene.graphml",
        "gene-mechanism.graphml",
    ]
    network = nx.read_graphml(tmp_path / "graphml" / "disease-network.graphml")
    assert network.has_edge("KCNT1", "epilepsy of infancy with migrating focal seizures")


def test_bad_export_requests(built: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(InputError, match="unknown export format"):
        export("rdfxml", tmp_path / "x", built.path)
    afile = tmp_path / "afile"
    afile.write_text("keep me")
    assert main(["export", "--format", "kgx", "--out", str(afile), "--graph", str(built.path)]) == 2
    assert "give a folder" in capsys.readouterr().err and afile.read_text() == "keep me"
    assert main(["export", "--format", "nt", "--out", str(tmp_path), "--graph", str(built.path)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_unwritable_output(built: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    code = main(
        ["export", "--format", "nt", "--out", str(blocker / "sub" / "graph.nt"), "--graph", str(built.path)]
    )
    assert code == 2 and "cannot write" in capsys.readouterr().err
    assert blocker.read_text() == "a file where a folder should be"
