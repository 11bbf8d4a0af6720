"""The stores kept in the cache: the built graph opened without parsing, closures computed once.

A cold query opens the built graph's on-disk Oxigraph store instead of parsing Turtle, and a
query with ``--reasoning`` opens a closure made once (for a user's file: per content). These
tests hold what users rely on: the same answers as a graph parsed and closed afresh, a bad
query refused before any closure work, one store when two processes start at once, and old
fingerprints' entries removed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from eimfs_kg import api
from eimfs_kg.graph.build import BuildResult
from eimfs_kg.graph.cache import USER_CLOSURES_KEPT, cache_dir, fingerprint, locate
from eimfs_kg.query.library import NamedQuery
from eimfs_kg.query.oxigraph import Engine
from eimfs_kg.rdf.atomic import atomic_folder

EKG = "PREFIX ekg: <https://w3id.org/eimfs-kg/vocab/>\n"
STEP = "<https://w3id.org/eimfs-kg/id/mechanism.kcnt1-gain-of-function.step.{}>"
REASONING_QUERIES = {
    "ion channels": EKG
    + "SELECT ?symbol WHERE { ?g ekg:symbol ?symbol ; ekg:hasGeneProduct/a ekg:IonChannel } ORDER BY ?symbol",
    "upstream": EKG + f"SELECT ?s WHERE {{ {STEP.format(1)} ekg:causallyUpstreamOf ?s }} ORDER BY ?s",
    "types of KCNT1": "SELECT ?type WHERE { NCBIGene:57582 a ?type } ORDER BY ?type",
    "size": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
}


def rows(engine: Engine) -> dict[str, list[tuple[str, ...]]]:
    return {
        name: [tuple(row.values()) for row in engine.answer(NamedQuery.from_text(name, text)).dicts()]
        for name, text in REASONING_QUERIES.items()
    }


def in_fresh_cache(code: str, cache: Path, *args: str) -> subprocess.Popen[str]:
    """A Python process running ``code`` with its own cache folder."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    command = [sys.executable, "-c", code, *args]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_the_built_graph_store_answers_as_the_parsed_turtle(built: BuildResult, engine: Engine) -> None:
    stored = api.open_engine()
    query = NamedQuery.from_text("all", "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert len(stored) == len(engine) > 14_000
    assert stored.prefixes == engine.prefixes
    assert sorted(map(str, stored.answer(query).rows)) == sorted(map(str, engine.answer(query).rows))


def test_the_store_is_made_once_then_opened(built: BuildResult) -> None:
    api.run_query("x-linked-genes")
    path, folder = locate(None, "none")
    assert folder is not None and folder.is_dir()
    made = folder.stat().st_ino, sorted(p.name for p in folder.iterdir())
    assert api.run_query("x-linked-genes").dicts() == api.run_query("x-linked-genes", graph=path).dicts()
    assert (folder.stat().st_ino, sorted(p.name for p in folder.iterdir())) == made


@pytest.mark.slow  # four closures of the graph: about 15 s
@pytest.mark.parametrize("reasoning", ["rdfs", "owlrl"])
def test_cached_closures_give_the_same_answers(built: BuildResult, reasoning: str, tmp_path: Path) -> None:
    """The built graph's closure, a user's file's closure (made, then reopened) and a fresh one agree."""
    fresh = rows(Engine(built.path, reasoning))
    assert fresh["ion channels"] and fresh["upstream"]
    assert rows(api.open_engine(reasoning=reasoning)) == fresh
    copy = tmp_path / "mine.ttl"
    copy.write_bytes(built.path.read_bytes())
    made, reopened = (rows(api.open_engine(copy, reasoning=reasoning)) for _ in range(2))
    assert made == reopened == fresh


def test_a_users_closure_is_keyed_by_content(tmp_path: Path, built: BuildResult) -> None:
    mine = tmp_path / "mine.ttl"
    mine.write_bytes(built.path.read_bytes())
    _, first = locate(mine, "rdfs")
    assert locate(mine, "rdfs")[1] == first and locate(mine, "owlrl")[1] != first
    assert locate(mine, "none") == (mine, None)  # a user's file without reasoning: parsed every time
    mine.write_bytes(built.path.read_bytes() + b"<urn:a> <urn:b> <urn:c> .\n")
    assert locate(mine, "rdfs")[1] != first


BAD_QUERY_UNDER_OWLRL = """
import sys
from eimfs_kg.cli import main
code = main(["query", "--reasoning", "owlrl", "--graph", sys.argv[1], "--sparql", sys.argv[2]])
print(code, "owlrl" in sys.modules, "rdflib" in sys.modules)
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SELECT ?x WHERE { ?x a ", "syntax error"),
        ("SELECT ?x WHERE { SERVICE <http://example.org/sparql> { ?x ?p ?o } }", "SERVICE"),
        ("SELECT ?x WHERE { ?x nope:thing ?o }", "nope"),
    ],
)
def test_a_bad_query_is_refused_before_any_closure_work(
    built: BuildResult, tmp_path: Path, text: str, message: str
) -> None:
    process = in_fresh_cache(BAD_QUERY_UNDER_OWLRL, tmp_path / "cache", str(built.path), text)
    out, err = process.communicate(timeout=60)
    assert out.split() == ["2", "False", "False"], err  # exit 2, neither owlrl nor rdflib imported
    assert message in err and err.count("\n") == 1
    assert not list((tmp_path / "cache").rglob("*"))  # nothing made: no store, no closure


def test_two_writers_of_one_folder_leave_one_complete_folder(tmp_path: Path) -> None:
    """Both fill a copy at the same time; the first rename wins and the other copy is removed."""
    target, started = tmp_path / "store", threading.Barrier(2)

    def fill(name: str) -> None:
        def write(folder: Path) -> None:
            started.wait()
            (folder / "who").write_text(name)
            time.sleep(0.05)

        atomic_folder(target, write)

    writers = [threading.Thread(target=fill, args=(name,)) for name in ("a", "b")]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert (target / "who").read_text() in {"a", "b"}
    assert [p.name for p in tmp_path.iterdir()] == ["store"]


QUERY = """
import sys
from eimfs_kg.cli import main
sys.exit(main(["query", "x-linked-genes", "--format", "csv"]))
"""


@pytest.mark.slow  # two builds at once: about 10 s on two cores
def test_two_processes_starting_at_once_with_no_cache_both_answer(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    processes = [in_fresh_cache(QUERY, cache) for _ in range(2)]
    results = [process.communicate(timeout=300) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], results
    assert results[0][0] == results[1][0] and "CDKL5" in results[0][0]
    stamp = next((cache / "eimfs-kg").glob("*.ttl")).stem
    assert sorted(p.name for p in (cache / "eimfs-kg").iterdir()) == [f"{stamp}.none", f"{stamp}.ttl"]


def test_entries_of_older_fingerprints_are_removed(built: BuildResult, tmp_path: Path) -> None:
    old_file = cache_dir() / "eimfs-kg-0000000000000000.ttl"
    old_store = cache_dir() / "eimfs-kg-0000000000000000.none"
    old_closure = cache_dir() / "eimfs-kg-0000000000000000.0123abcd.rdfs"
    for folder in (old_store, old_closure):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "CURRENT").write_text("")
    old_file.write_text("")
    mine = tmp_path / "mine.ttl"
    mine.write_bytes(built.path.read_bytes() + b"<urn:new> <urn:file> <urn:here> .\n")
    _, folder = locate(mine, "rdfs")  # a closure of a new file, about to be made: old entries go
    assert folder is not None and folder.name.startswith(f"eimfs-kg-{fingerprint()}.")
    assert not old_file.exists() and not old_store.exists() and not old_closure.exists()
    assert locate(None, "none")[0].is_file()  # the current build stays


def test_only_the_latest_closures_of_users_files_are_kept(tmp_path: Path) -> None:
    stamp, now = fingerprint(), time.time_ns()
    made = []
    for n in range(USER_CLOSURES_KEPT + 2):  # closures made one a second from now on, oldest first
        folder = cache_dir() / f"eimfs-kg-{stamp}.{n:032x}.rdfs"
        folder.mkdir(parents=True)
        os.utime(folder, ns=(now + n * 10**9, now + n * 10**9))
        made.append(folder)
    mine = tmp_path / "mine.ttl"
    mine.write_text("<urn:kept> <urn:in> <urn:cache> .\n")
    _, folder = locate(mine, "owlrl")  # one more to be made: room for it
    assert folder is not None and not folder.exists()
    kept = [f for f in made if f.exists()]
    assert kept == made[-(USER_CLOSURES_KEPT - 1) :]
    assert locate(None, "none")[0].is_file()  # the built graph is not a user's closure
