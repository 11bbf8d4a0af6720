"""The persistent Oxigraph store: load, query with the same rows, refuse bad input."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from eimfs_kg.cli import main
from eimfs_kg.errors import InputError
from eimfs_kg.graph.build import BuildResult
from eimfs_kg.publish.export import export
from eimfs_kg.query.docs import EXAMPLE_PARAMS
from eimfs_kg.query.library import list_queries
from eimfs_kg.query.oxigraph import Engine
from eimfs_kg.stores.local import load_files, open_store, store_directory


def size(folder: Path) -> int:
    """The triples in the store (``load`` does not count them)."""
    return len(open_store(folder)[0])


@pytest.fixture(scope="module")
def store_dir(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("store") / "oxigraph"
    load_files(folder, [built.path], progress=None)
    assert size(folder) == len(built.graph)
    return folder


def test_every_named_query_gives_the_same_rows_on_the_store(store_dir: Path, engine: Engine) -> None:
    on_store = Engine.from_store(*open_store(store_dir))
    for query in list_queries():
        params = {p: EXAMPLE_PARAMS[p] for p in query.params}
        expected = engine.answer(query, params).rows
        assert sorted(map(str, on_store.answer(query, params).rows)) == sorted(map(str, expected)), query.name


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_is_drawn_on_a_terminal_only(built: BuildResult, tmp_path: Path) -> None:
    """Elsewhere Oxigraph reads the file itself (faster); both say when the file has loaded."""
    terminal, log = Terminal(), io.StringIO()
    load_files(tmp_path / "a", [built.path], progress=terminal)
    load_files(tmp_path / "b", [built.path], progress=log)
    assert size(tmp_path / "a") == size(tmp_path / "b") == len(built.graph)
    assert "loading eimfs-kg.ttl [" in terminal.getvalue() and "loaded eimfs-kg.ttl" in terminal.getvalue()
    assert "loading" not in log.getvalue() and "loaded eimfs-kg.ttl in" in log.getvalue()


@pytest.mark.slow  # three bulk loads into on-disk stores
def test_loading_again_adds_nothing_and_ntriples_load(built: BuildResult, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "s"
    (nt,) = export("nt", tmp_path / "graph.nt", built.path)
    assert main(["load", str(built.path), str(nt), "--store", f"oxigraph:{folder}"]) == 0
    out, err = capsys.readouterr()
    assert out == f"{folder}: 2 files loaded\n" and size(folder) == len(built.graph)
    assert "loaded graph.nt" in err and "loaded eimfs-kg.ttl" in err
    assert main(["load", str(nt), "--store", f"oxigraph:{folder}"]) == 0
    assert capsys.readouterr().out == f"{folder}: 1 file loaded\n" and size(folder) == len(built.graph)


def test_malformed_file_adds_nothing(built: BuildResult, tmp_path: Path) -> None:
    folder = tmp_path / "s"
    load_files(folder, [built.path], progress=None)
    bad = tmp_path / "bad.nt"
    bad.write_text("<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> .\n")
    with pytest.raises(InputError, match=r"bad\.nt, line 2, column 17: not valid RDF \(nothing loaded\)"):
        load_files(folder, [bad], progress=None)
    store, _ = open_store(folder)
    assert len(store) == len(built.graph)


def test_a_killed_load_is_cleaned_up_by_the_next(built: BuildResult, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "s"
    load_files(folder, [built.path], progress=None)
    leftover = tmp_path / ".s.loading"
    leftover.mkdir()
    (leftover / "junk").write_text("half a load")
    assert main(["load", str(built.path), "--store", f"oxigraph:{folder}"]) == 0
    assert "removing .s.loading, left by an unfinished load" in capsys.readouterr().err
    assert not leftover.exists()
    folder.rename(tmp_path / ".s.replaced")  # killed between the two renames: the old store is kept
    assert main(["query", "genes", "--store", f"oxigraph:{folder}"]) == 2
    capsys.readouterr()
    load_files(folder, [built.path], progress=None)
    assert size(folder) == len(built.graph)


def test_bad_store_options(capsys, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="oxigraph:DIR"):
        store_directory("rdflib:/tmp/x")
    assert main(["query", "genes", "--store", f"oxigraph:{tmp_path / 'empty'}"]) == 2
    assert "no eimfs-kg store here" in capsys.readouterr().err
    assert main(["load", str(tmp_path / "missing.nt"), "--store", f"oxigraph:{tmp_path}"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_store_excludes_graph_and_reasoning(store_dir: Path, built: BuildResult, capsys) -> None:
    for command in (["query", "genes"], ["serve", "--port", "0"]):
        assert main([*command, "--store", f"oxigraph:{store_dir}", "--graph", str(built.path)]) == 2
        assert "--store goes without --graph" in capsys.readouterr().err
