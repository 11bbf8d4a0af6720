"""Network analysis on purpose-built projections: figures, files, picture, errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import networkx as nx
import pytest

from eimfs_kg.analysis.network import Projections, analyze, projections, write_outputs
from eimfs_kg.cli import main
from eimfs_kg.errors import InputError
from eimfs_kg.query.oxigraph import Engine


@pytest.fixture(scope="module")
def proj(engine: Engine) -> Projections:
    return projections(engine)


def test_projections_are_labelled_by_symbols_and_names(proj: Projections) -> None:
    for _, graph in proj.items():
        assert all("://" not in str(node) for node in graph)
    genes = [n for n, d in proj.gene_mechanism.nodes(data=True) if d["kind"] == "gene"]
    assert len(genes) == 25
    assert proj.gene_mechanism.nodes["KCNT1"]["curie"] == "NCBIGene:57582"
    assert nx.is_bipartite(proj.gene_mechanism)
    assert proj.gene_mechanism.has_edge("KCNT1", "KCNT1 gain of function")


def test_gene_gene_edges_say_what_is_shared(proj: Projections) -> None:
    edge = proj.gene_gene.edges["SCN1A", "SCN2A"]
    assert edge["shared_mechanisms"] == "altered sodium conduction"
    assert edge["shared_ions"] == "sodium(1+)"
    assert edge["weight"] == 2
    assert proj.gene_gene.has_edge("KCNT1", "ATP1A3")  # both carry potassium
    assert not proj.gene_gene.has_edge("CHD2", "KCNT1")


def test_mechanism_ranking_and_communities(proj: Projections) -> None:
    result = analyze(proj)
    top = [(r["mechanism"], r["genes"]) for r in result.mechanism_ranking[:3]]
    assert top == [
        ("altered sodium conduction", 3),
        ("impaired GABA-A inhibition", 3),
        ("altered potassium conduction", 2),
    ]
    assert ["KARS1", "QARS1"] in result.communities
    # genes whose mechanism is not established share nothing through it
    assert ["AIMP1"] in result.communities and ["WWOX"] in result.communities
    assert analyze(proj).communities == result.communities  # fixed seed
    assert result.summary["disease-network"]["components"] == 1


def test_centrality_of_the_condition(proj: Projections) -> None:
    result = analyze(proj)
    top = result.centrality["disease-network"][0]
    assert top["node"] == "epilepsy of infancy with migrating focal seizures"
    assert top["betweenness"] > 0.5


def test_shortest_path(proj: Projections) -> None:
    path = analyze(proj, "KCNT1", "hp:0000252").path
    assert path["nodes"] == ["KCNT1", "epilepsy of infancy with migrating focal seizures", "Microcephaly"]
    assert path["relations"] == ["associated with; causes", "has phenotype"]
    path = analyze(proj, "SCN2A", "potassium(1+)").path
    assert path["length"] >= 3


def test_unknown_node_suggests_names(proj: Projections) -> None:
    with pytest.raises(InputError, match="did you mean KCNT1"):
        analyze(proj, "KCNT", "Microcephaly")
    with pytest.raises(InputError, match="go together"):
        analyze(proj, "KCNT1", None)


def test_outputs_written_and_readable(proj: Projections, tmp_path: Path) -> None:
    result = analyze(proj, "KCNT1", "Microcephaly")
    written = write_outputs(proj, result, tmp_path)
    names = sorted(p.name for p in written)
    assert names == sorted(p.name for p in tmp_path.iterdir())
    assert "gene-mechanism.png" in names and "gene-mechanism.svg" in names
    assert (tmp_path / "gene-mechanism.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"KCNT1" in (tmp_path / "gene-mechanism.svg").read_bytes()
    reread = nx.read_graphml(tmp_path / "gene-gene.graphml")
    assert set(reread) == set(proj.gene_gene) and reread.edges["SCN1A", "SCN2A"]["weight"] == 2
    data = json.loads((tmp_path / "analysis.json").read_text())
    assert data["path"]["length"] == 2


@pytest.mark.slow  # draws both pictures twice
def test_pictures_are_reproducible(proj: Projections, tmp_path: Path) -> None:
    result = analyze(proj)
    write_outputs(proj, result, tmp_path / "a")
    write_outputs(proj, result, tmp_path / "b")
    for name in ("gene-mechanism.png", "gene-mechanism.svg", "gene-gene.graphml"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_missing_matplotlib_is_a_clear_error_and_writes_nothing(proj, tmp_path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(InputError, match=r"pip install 'eimfs-kg\[plot\]'"):
        write_outputs(proj, analyze(proj), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_cli_analyze(built, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "analyze",
            "--graph",
            str(built.path),
            "--out",
            str(tmp_path),
            "--no-plot",
            "--from",
            "GABRB3",
            "--to",
            "chloride",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "Mechanism classes and causal chains ranked by number of genes" in out
    assert "GABRB3 -[has gene product]-" in out and "chloride" in out
    assert not (tmp_path / "gene-mechanism.png").exists()
