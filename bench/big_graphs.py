"""Load and query graphs of 10^4 to 10^6 triples shaped like the EIMFS graph: rdflib vs Oxigraph.

    .venv/bin/python bench/big_graphs.py [--sizes 10000 100000 1000000] [--rdflib-max 150000]

Each graph is the real built graph copied k times, every project or identifiers.org IRI
renamed per copy while shared ontology terms (HP, GO, MONDO ...) stay shared, so the
copies merge the way annotation graphs do. Every (engine, size) runs in its own process,
so its peak memory (max RSS) is its own. rdflib is measured up to ``--rdflib-max`` triples
(beyond that it takes minutes); each rdflib query is cut at 30 s.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_RENAMED = re.compile(r"<(https://w3id\.org/eimfs-kg/id/[^>]*|http://identifiers\.org/[^>]*)>")


def make_graph(source: Path, size: int, out: Path) -> int:
    """Write about ``size`` triples: copies of ``source`` (N-Triples) with per-copy IRIs."""
    lines = source.read_text(encoding="utf-8").splitlines()
    copies = max(1, round(size / len(lines)))
    with out.open("w", encoding="utf-8") as handle:
        for k in range(copies):
            replacement = rf"<\1-c{k}>" if k else r"<\1>"
            handle.writelines(_RENAMED.sub(replacement, line) + "\n" for line in lines)
    return copies * len(lines)


def _timeout(signum, frame):
    raise TimeoutError


def child(engine: str, path: Path, repeat: int) -> dict:
    """Load ``path`` with ``engine`` and time every library query; report in JSON."""
    from eimfs_kg.querydoc import EXAMPLE_PARAMS
    from eimfs_kg.sparql import list_queries

    started = time.perf_counter()
    if engine == "oxigraph":
        from eimfs_kg.engine import Engine
        from eimfs_kg.store import load_files, open_store

        folder = Path(tempfile.mkdtemp(prefix="eimfs-kg-bench-"))
        load_files(folder, [path], progress=None)
        load = time.perf_counter() - started
        runner = Engine.from_store(*open_store(folder))
        answer = runner.answer
    else:
        from rdflib import Graph

        from eimfs_kg.rdflib_query import answer_with_rdflib

        graph = Graph().parse(path, format="nt")
        load = time.perf_counter() - started

        def answer(query, params):
            return answer_with_rdflib(graph, query, params)

    queries = {}
    signal.signal(signal.SIGALRM, _timeout)
    for query in list_queries():
        params = {p: EXAMPLE_PARAMS[p] for p in query.params}
        times = []
        for _ in range(repeat if engine == "oxigraph" else 1):
            signal.alarm(30)
            try:
                start = time.perf_counter()
                answer(query, params)
                times.append(time.perf_counter() - start)
            except TimeoutError:
                times = [float("inf")]
                break
            finally:
                signal.alarm(0)
        queries[query.name] = statistics.median(times)
    if engine == "oxigraph":
        shutil.rmtree(folder, ignore_errors=True)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"load": load, "peak_mb": peak_mb, "queries": queries}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--rdflib-max", type=int, default=150_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("ENGINE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]), args.repeat)))
        return
    from eimfs_kg.build import build
    from eimfs_kg.export import export

    with tempfile.TemporaryDirectory() as tmp:
        base = build(Path(tmp)).path
        (source,) = export("nt", Path(tmp) / "base.nt", base)
        results = {}
        for size in args.sizes:
            path = Path(tmp) / f"g{size}.nt"
            triples = make_graph(source, size, path)
            for engine in ("oxigraph", "rdflib"):
                if engine == "rdflib" and triples > args.rdflib_max:
                    continue
                done = subprocess.run(
                    [sys.executable, __file__, "--child", engine, str(path), "--repeat", str(args.repeat)],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                results[(triples, engine)] = json.loads(done.stdout)
            path.unlink()
    sizes = sorted({t for t, _ in results})
    print("load time and peak memory")
    print(f"  {'triples':>10}  {'engine':<9} {'load':>8} {'peak RSS':>10}")
    for (triples, engine), r in sorted(results.items()):
        print(f"  {triples:>10,}  {engine:<9} {r['load']:7.2f}s {r['peak_mb']:8.0f} MB")
    print("\nquery time, ms (Oxigraph median of repeats; rdflib one run, inf = over 30 s)")
    names = list(next(iter(results.values()))["queries"])
    header = "".join(f"{f'{t:,} ox':>12}{f'{t:,} rdf':>12}" for t in sizes)
    print(f"  {'query':<44}{header}")
    for name in names:
        cells = ""
        for t in sizes:
            for engine in ("oxigraph", "rdflib"):
                r = results.get((t, engine))
                cells += f"{r['queries'][name] * 1000:12.1f}" if r else f"{'-':>12}"
        print(f"  {name:<44}{cells}")


if __name__ == "__main__":
    main()
