"""Print how long building the graph takes, end to end and per stage.

Run with ``.venv/bin/python bench/build_time.py [--repeat N]``. Figures are medians of N
fresh processes (end to end) and of N in-process repetitions (stages).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time


def cold_build(repeat: int) -> float:
    times = []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "eimfs_kg.cli", "build", "--out", out], check=True, capture_output=True
            )
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def stages(repeat: int) -> dict[str, float]:
    from eimfs_kg.build import assemble, serialize
    from eimfs_kg.graph import build_graph
    from eimfs_kg.records import load_curation
    from eimfs_kg.validate import validate_graph

    timings: dict[str, list[float]] = {}

    def timed(name: str, func, *args):
        start = time.perf_counter()
        value = func(*args)
        timings.setdefault(name, []).append(time.perf_counter() - start)
        return value

    for _ in range(repeat):
        curation = timed("load + check curated files", load_curation)
        timed("records -> RDF graph", build_graph, curation)
        graph = timed("assemble (all of the above + ontology + VoID)", assemble)
        timed("SHACL validation", validate_graph, graph)
        timed("serialise Turtle", serialize, graph)
    return {name: statistics.median(values) for name, values in timings.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from eimfs_kg.build import assemble

    print(f"graph: {len(assemble())} triples")
    print(f"cold `eimfs-kg build` (fresh process, median of {args.repeat}): {cold_build(args.repeat):.2f} s")
    for name, seconds in stages(args.repeat).items():
        print(f"  {name:<48} {seconds * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
