"""Speed figures of eimfs-kg on this machine, each a ratio to a reference measured beside it.

    .venv/bin/python bench/speed.py [--repeat N] [--warm-rounds N]   (make bench: then the README table)

Cold figures are fresh processes, each run right after a bare ``python -c "import rdflib"``
in every round, so that the ratio does not depend on how busy the machine is; they are
printed as the median ratio and its range over the rounds, and written to
``bench/results/speed.json`` for ``bench/readme_table.py``. The cache (the built graph,
its stores and closures) is filled once before the rounds, in a temporary cache folder:
"cold" is a new process on a warm cache, as for a user's second command. Warm queries
are in process: Oxigraph beside rdflib on the same query (``speed-warm.json``). Targets
(issue 14): a cold query on the built graph at most 0.6x the rdflib import, a cold query
with ``--reasoning`` at most 1.0x.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from figures import Figure, wall, write_results

BIN = Path(sys.executable).parent
RDFLIB_IMPORT = [sys.executable, "-c", "import rdflib"]
EKG = "PREFIX ekg: <https://w3id.org/eimfs-kg/vocab/> "
ION_CHANNELS = EKG + "SELECT ?symbol WHERE { ?g ekg:symbol ?symbol ; ekg:hasGeneProduct/a ekg:IonChannel }"
STEP = "<https://w3id.org/eimfs-kg/id/mechanism.kcnt1-gain-of-function.step.{}>"
UPSTREAM = EKG + f"ASK {{ {STEP.format(1)} ekg:causallyUpstreamOf {STEP.format(5)} }}"


def cold_commands(graph: Path, out: str) -> list[tuple[Figure, list[str], int]]:
    """(figure, command, expected exit code) of every cold measure."""
    cli = str(BIN / "eimfs-kg")
    ref = '`python -c "import rdflib"`'

    def fig(measure: str, target: float | None = None, note: str = "") -> Figure:
        return Figure(measure, ref, target=target, note=note)

    return [
        (fig("`python -c pass`"), [sys.executable, "-c", "pass"], 0),
        (fig("`eimfs-kg --help`"), [cli, "--help"], 0),
        (fig("`eimfs-kg query x-linked-genes`", 0.6), [cli, "query", "x-linked-genes"], 0),
        (
            fig("`eimfs-kg query gene-profile --param gene=KCNT1`", 0.6),
            [cli, "query", "gene-profile", "--param", "gene=KCNT1"],
            0,
        ),
        (
            fig("`eimfs-kg query --reasoning rdfs` (ion channels)", 1.0),
            [cli, "query", "--reasoning", "rdfs", "--sparql", ION_CHANNELS],
            0,
        ),
        (
            fig("`eimfs-kg query --reasoning owlrl` (transitive ASK)", 1.0),
            [cli, "query", "--reasoning", "owlrl", "--sparql", UPSTREAM],
            0,
        ),
        (
            fig("`eimfs-kg query --reasoning owlrl` with a syntax error", note="refused, exit 2"),
            [cli, "query", "--reasoning", "owlrl", "--sparql", "SELECT ?x WHERE { ?x a"],
            2,
        ),
        (
            fig("`eimfs-kg query x-linked-genes --graph FILE`", note="a user's file: parsed every time"),
            [cli, "query", "x-linked-genes", "--graph", str(graph)],
            0,
        ),
        (
            fig("`eimfs-kg query --reasoning owlrl --graph FILE`", note="closure kept by content hash"),
            [cli, "query", "--reasoning", "owlrl", "--sparql", UPSTREAM, "--graph", str(graph)],
            0,
        ),
        (fig("`eimfs-kg build`"), [cli, "build", "--out", out], 0),
        (fig("`eimfs-kg analyze --no-plot`"), [cli, "analyze", "--no-plot", "--out", out], 0),
    ]


def cold(repeat: int, graph: Path, out: str) -> list[Figure]:
    """Every cold command, each right after the rdflib import, round after round."""
    commands = cold_commands(graph, out)
    for _, command, exit_code in commands:  # fill the cache: build, stores, closures
        wall(command, exit_code)
    for _ in range(repeat):
        for figure, command, exit_code in commands:
            reference = wall(RDFLIB_IMPORT)
            figure.add(wall(command, exit_code), reference)
    return [figure for figure, _, _ in commands]


#: rdflib's cap per warm query: past it the query is interrupted and the cap is its time.
RDFLIB_CAP_S = 30


class _Cut(Exception):
    """rdflib ran past :data:`RDFLIB_CAP_S`."""


def _cut(signum: int, frame: object) -> None:
    raise _Cut


def rdflib_seconds(run: Callable[[], object]) -> float:
    """Seconds rdflib takes, or :data:`RDFLIB_CAP_S` if it is interrupted there (SIGALRM)."""
    previous = signal.signal(signal.SIGALRM, _cut)
    signal.setitimer(signal.ITIMER_REAL, RDFLIB_CAP_S)
    start = time.perf_counter()
    try:
        run()
    except _Cut:
        return RDFLIB_CAP_S
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return time.perf_counter() - start


def warm(rounds: int, graph: Path) -> list[Figure]:
    """Every library query in process, round after round: Oxigraph (median of 5) beside rdflib (one
    run, cut at :data:`RDFLIB_CAP_S`; a cut query's ratio is then an upper bound, and says so)."""
    from eimfs_kg.query.docs import EXAMPLE_PARAMS
    from eimfs_kg.query.library import list_queries
    from eimfs_kg.query.oxigraph import Engine
    from eimfs_kg.query.rdflib_engine import answer_with_rdflib
    from eimfs_kg.rdf.bridge import load_rdf

    engine, rdf = Engine(graph), load_rdf(graph)
    queries = [(query, {p: EXAMPLE_PARAMS[p] for p in query.params}) for query in list_queries()]
    figures = [Figure(f"warm `{query.name}`, Oxigraph", "the same on rdflib") for query, _ in queries]
    for _ in range(rounds):
        for figure, (query, params) in zip(figures, queries, strict=True):
            engine.answer(query, params)
            ox_times = []
            for _ in range(5):
                start = time.perf_counter()
                engine.answer(query, params)
                ox_times.append(time.perf_counter() - start)
            reference = rdflib_seconds(lambda q=query, p=params: answer_with_rdflib(rdf, q, p))
            if reference == RDFLIB_CAP_S:
                figure.note = f"rdflib cut at {RDFLIB_CAP_S} s: the ratio is at most this"
            figure.add(statistics.median(ox_times), reference)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="rounds of cold commands (default: 7)")
    parser.add_argument(
        "--warm-rounds",
        type=int,
        default=3,
        help=f"rounds of warm queries (0: none); rdflib is cut at {RDFLIB_CAP_S} s a query",
    )
    args = parser.parse_args()
    import compileall

    import eimfs_kg

    # As pip does on install: compile once, so cold starts do not pay for compiling.
    compileall.compile_dir(Path(eimfs_kg.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / "cache")  # children: their own, fresh cache
        os.environ.pop("EIMFS_KG_GRAPH", None)
        from eimfs_kg.graph.build import build

        graph = build(Path(tmp)).path
        print(f"graph: {graph.stat().st_size / 1e6:.2f} MB of Turtle")
        print(
            f"\nCold commands (fresh processes): ratio to the rdflib import, median [range] of {args.repeat}"
        )
        figures = cold(args.repeat, graph, str(Path(tmp) / "out"))
        for figure in figures:
            print(figure.line())
        print(f"\nwrote {write_results('speed', '`bench/speed.py`: cold commands', figures)}")
        if not args.warm_rounds:
            return
        print(f"\nWarm queries (in process): Oxigraph over rdflib, median [range] of {args.warm_rounds}")
        figures = warm(args.warm_rounds, graph)
        for figure in figures:
            print(figure.line())
        print(f"\nwrote {write_results('speed-warm', '`bench/speed.py`: warm queries', figures)}")


if __name__ == "__main__":
    main()
