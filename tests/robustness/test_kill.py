"""Outputs survive ``kill -9``: the built graph, exports, analysis pictures and the store.

Each writer is run once to completion; then it is run again and killed with SIGKILL many
times: at a random moment of its run, or (every other trial) the moment anything in its
output folder changes, which is when a writer that is not atomic leaves a truncated file
(a test run with a plain ``open(path, "wb")`` writer fails at the first such trial). After
every kill each output file must be exactly the previous one; after the trials, one more run
must remove what the killed writers left behind, and say so.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from eimfs_kg.graph.build import BuildResult
from eimfs_kg.publish.export import export

#: Kill trials: many writer processes, each killed at random moments (about 50 s).
pytestmark = pytest.mark.slow

EIMFS_KG = str(Path(sys.executable).parent / "eimfs-kg")
TRIALS = 6  # per writer; five writers


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every output file of a folder, by name (temporary files excluded)."""
    return {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file() and not p.name.endswith(".tmp")}


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.parent.rglob("*") if p.name.endswith(".tmp") or p.name.endswith(".loading")]


def folder_state(folder: Path) -> dict[Path, tuple[int, int]]:
    return {p: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


def kill_when_writing_starts(process: subprocess.Popen, folder: Path) -> None:
    state = folder_state(folder)
    while process.poll() is None:
        try:
            if folder_state(folder) != state:
                break
        except FileNotFoundError:  # a file vanished between listing and stat: a change
            break
        time.sleep(0.0005)


def kill_trials(command: list[str], folder: Path, seed: int) -> int:
    """Run ``command`` to completion, then kill reruns of it; return the trials survived."""
    started = time.perf_counter()
    first = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    duration = time.perf_counter() - started
    before = snapshot(folder)
    assert before
    rng = random.Random(seed)
    survived = 0
    for trial in range(TRIALS):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if trial % 2:
            kill_when_writing_starts(process, folder)
        else:
            time.sleep(rng.uniform(0.3, 1.0) * duration)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert snapshot(folder) == before, f"trial {trial}"  # every output whole and unchanged
        survived += 1
    left = leftovers(folder)
    last = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert last.returncode == 0, last.stderr
    for path in left:
        assert path.name in last.stderr, f"{path} was not reported"
    assert leftovers(folder) == []
    assert snapshot(folder) == before
    return survived


@pytest.fixture(scope="module")
def survived() -> list[int]:
    counts: list[int] = []
    yield counts
    assert sum(counts) >= 20


def test_the_built_graph_survives(tmp_path: Path, survived: list[int]) -> None:
    out = tmp_path / "build"
    survived.append(kill_trials([EIMFS_KG, "build", "--out", str(out)], out, seed=1))
    graph = ox.Store()
    graph.load(path=str(out / "eimfs-kg.ttl"), format=ox.RdfFormat.TURTLE)
    assert len(graph) > 14_000


@pytest.mark.parametrize("fmt", ["nt", "kgx"])
def test_exports_survive(fmt: str, built: BuildResult, tmp_path: Path, survived: list[int]) -> None:
    out = tmp_path / "out"
    target = out / "graph.nt" if fmt == "nt" else out / "kgx"
    command = [EIMFS_KG, "export", "--format", fmt, "--out", str(target), "--graph", str(built.path)]
    survived.append(kill_trials(command, out, seed=2))
    if fmt == "nt":
        assert len(list(ox.parse(path=str(target), format=ox.RdfFormat.N_TRIPLES))) == len(built.graph)


def test_analysis_pictures_survive(built: BuildResult, tmp_path: Path, survived: list[int]) -> None:
    out = tmp_path / "analysis"
    command = [EIMFS_KG, "analyze", "--out", str(out), "--graph", str(built.path)]
    survived.append(kill_trials(command, out, seed=3))
    assert {"gene-mechanism.png", "gene-mechanism.svg", "analysis.json"} <= set(snapshot(out))


def test_the_store_survives(built: BuildResult, tmp_path: Path, survived: list[int]) -> None:
    """A load killed at any moment leaves the store with exactly its previous triples."""
    folder = tmp_path / "store"
    (nt,) = export("nt", tmp_path / "graph.nt", built.path)
    big = tmp_path / "more.nt"
    with big.open("w") as handle:
        for i in range(150_000):
            handle.write(f'<urn:more:s{i}> <urn:more:p> "{i}" .\n')
    assert subprocess.run([EIMFS_KG, "load", str(nt), "--store", f"oxigraph:{folder}"]).returncode == 0
    command = [EIMFS_KG, "load", str(big), "--store", f"oxigraph:{folder}"]
    started = time.perf_counter()
    assert subprocess.run(command, capture_output=True).returncode == 0
    duration = time.perf_counter() - started
    expected = len(built.graph) + 150_000
    rng, count = random.Random(4), 0
    for _ in range(TRIALS):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 1.0) * duration)
        process.send_signal(signal.SIGKILL)
        process.wait()
        store = ox.Store.read_only(str(folder))
        assert len(store) == expected
        del store
        count += 1
    survived.append(count)
    last = subprocess.run(command, capture_output=True, text=True)
    assert last.returncode == 0 and last.stdout == f"{folder}: 1 file loaded\n"
    store = ox.Store.read_only(str(folder))
    assert len(store) == expected
    del store
    assert not (tmp_path / ".store.loading").exists()
