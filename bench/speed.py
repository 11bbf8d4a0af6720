"""Print the speed figures of eimfs-kg on this machine (medians of repeated runs).

    .venv/bin/python bench/speed.py [--repeat N]

Cold figures are fresh processes, run interleaved with a bare
``python -c "import rdflib"`` so that their ratio does not depend on how busy the
machine is; warm figures are in-process. Targets (query-layer issue): a cold query
at most 1.0x the rdflib import, ``--help`` under 50 ms, a cold build under 400 ms,
every named query under 50 ms warm.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def cold(repeat: int, graph: Path, out: str) -> dict[str, float]:
    """Median wall time of each command, the commands interleaved run by run."""
    cli = str(BIN / "eimfs-kg")
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        'python -c "import rdflib"': [sys.executable, "-c", "import rdflib"],
        "eimfs-kg --help": [cli, "--help"],
        "eimfs-kg query most-common-causes": [cli, "query", "most-common-causes", "--graph", str(graph)],
        "eimfs-kg query gene-profile --param gene=KCNT1": [
            cli,
            "query",
            "gene-profile",
            "--param",
            "gene=KCNT1",
            "--graph",
            str(graph),
        ],
        "eimfs-kg build": [cli, "build", "--out", out],
        "eimfs-kg analyze --no-plot": [cli, "analyze", "--no-plot", "--out", out, "--graph", str(graph)],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            times[name].append(wall(command))
    return {name: statistics.median(values) for name, values in times.items()}


def warm(repeat: int, graph: Path) -> list[tuple[str, float, float]]:
    """(query, Oxigraph ms, rdflib ms) for every library query, in process."""
    from eimfs_kg.query.docs import EXAMPLE_PARAMS
    from eimfs_kg.query.library import list_queries
    from eimfs_kg.query.oxigraph import Engine
    from eimfs_kg.query.rdflib_engine import answer_with_rdflib
    from eimfs_kg.rdf.bridge import load_rdf

    engine, rdf = Engine(graph), load_rdf(graph)
    rows = []
    for query in list_queries():
        params = {p: EXAMPLE_PARAMS[p] for p in query.params}
        engine.answer(query, params)
        ox_times = []
        for _ in range(repeat):
            start = time.perf_counter()
            engine.answer(query, params)
            ox_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        answer_with_rdflib(rdf, query, params)
        rdf_time = time.perf_counter() - start
        rows.append((query.name, statistics.median(ox_times) * 1000, rdf_time * 1000))
    return rows


def analysis(repeat: int, graph: Path) -> float:
    """In-process time of projections + analysis (no files)."""
    from eimfs_kg.analysis.network import analyze, projections
    from eimfs_kg.query.oxigraph import Engine

    engine = Engine(graph)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        analyze(projections(engine), "KCNT1", "Microcephaly")
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def stages(repeat: int) -> dict[str, float]:
    """In-process time of each build stage."""
    from eimfs_kg.curation.load import load_curation
    from eimfs_kg.graph.build import assemble
    from eimfs_kg.graph.builder import build_graph
    from eimfs_kg.graph.validate import validate_graph
    from eimfs_kg.rdf.bridge import serialize

    timings: dict[str, list[float]] = {}

    def timed(name, func, *args):
        start = time.perf_counter()
        value = func(*args)
        timings.setdefault(name, []).append(time.perf_counter() - start)
        return value

    for _ in range(repeat):
        curation = timed("load + check curated files", load_curation)
        timed("records -> RDF graph", build_graph, curation)
        graph = timed("assemble (above + ontology + VoID)", assemble)
        timed("validate (pySHACL + integrity queries)", validate_graph, graph)
        timed("serialise Turtle", serialize, graph)
    return {name: statistics.median(values) * 1000 for name, values in timings.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    import compileall

    import eimfs_kg
    from eimfs_kg.graph.build import build

    # As pip does on install: compile once, so cold starts do not pay for compiling.
    compileall.compile_dir(Path(eimfs_kg.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        graph = build(Path(tmp)).path
        print(f"graph: {graph.stat().st_size / 1e6:.2f} MB of Turtle")
        print(f"\nCold commands (fresh processes, median of {args.repeat})")
        figures = cold(args.repeat, graph, str(Path(tmp) / "out"))
        rdflib_import = figures['python -c "import rdflib"']
        for name, seconds in figures.items():
            print(f"  {name:<50} {seconds * 1000:8.0f} ms  {seconds / rdflib_import:5.2f}x rdflib import")
        print(f"\nBuild stages (in process, median of {min(args.repeat, 3)})")
        for name, ms in stages(min(args.repeat, 3)).items():
            print(f"  {name:<50} {ms:8.0f} ms")
        print(f"\nAnalysis (in process, projections + figures): {analysis(args.repeat, graph):.0f} ms")
        print(f"\nWarm queries (in process; Oxigraph median of {args.repeat}, rdflib one run)")
        print(f"  {'query':<44} {'Oxigraph':>10} {'rdflib':>10}")
        for name, ox_ms, rdf_ms in warm(args.repeat, graph):
            print(f"  {name:<44} {ox_ms:8.1f} ms {rdf_ms:8.0f} ms")


if __name__ == "__main__":
    main()
