"""Load and query graphs of 10^4 to 10^7 triples shaped like the EIMFS graph: rdflib vs Oxigraph.

    .venv/bin/python bench/big_graphs.py [--sizes 10000 100000 1000000] [--rdflib-max 150000]

Each graph is the real built graph copied k times, as if k conditions were curated alike:
every entity of a copy (condition, genes, proteins, papers, statements: project, MONDO,
identifiers.org and NCBI Bookshelf IRIs) is renamed per copy, while the ontology terms a
curator reuses (HP, GO, CHEBI, ECO, SO, CL and the vocabulary) stay shared, so the copies
merge the way annotation graphs do; one fault per integrity check is planted after the copies,
and each check must find exactly its fault at every size. Every (engine, size) runs in its own
process, so its peak memory (max RSS) is its own. rdflib is measured up to ``--rdflib-max`` triples (beyond
that it takes minutes); every query is cut at 30 s, and ``--queries NAME...`` times only those
library queries (and then writes no results file). ``--load-only`` sizes (10^7 by default)
are only loaded into the on-disk Oxigraph store, to time the load.

Targets of issue 14, written to ``bench/results/big-graphs.json`` for ``bench/readme_table.py``:
``eimfs-kg load`` at most 1.15x ``oxigraph load`` (Oxigraph's own bulk loader, the server
package the tests install) on the same file, the two run alternately ``--load-rounds`` times
in fresh folders, with a bare pyoxigraph load beside them (Python's floor, no target); at
10^6 triples every integrity check (``*-violation``) under 1 s and every other library query
under 300 ms (median of ``--repeat`` runs, shown as a ratio to that budget).
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

from figures import Figure, wall, write_results

from eimfs_kg.query.limits import QueryTimeout

_RENAMED = re.compile(
    r"<(https://w3id\.org/eimfs-kg/id/[^>]*|http://identifiers\.org/[^>]*"
    r"|http://purl\.obolibrary\.org/obo/MONDO_[^>]*|https://www\.ncbi\.nlm\.nih\.gov/books/[^>]*)>"
)


KCNT1 = "http://identifiers.org/ncbigene/57582"
BIN = Path(sys.executable).parent
#: The size at which the query budgets apply, and the budgets (seconds).
BUDGET_SIZE, CHECK_BUDGET, QUERY_BUDGET = 1_000_000, 1.0, 0.3


_EKG, _ST = "https://w3id.org/eimfs-kg/vocab/", "https://w3id.org/eimfs-kg/id/statement.planted-"
_RDF, _HP = "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://purl.obolibrary.org/obo/HP_9999999"
#: One fault for each integrity check, planted after the copies, and the rows each check must give:
#: a statement citing what is not a source, a statement without source and evidence whose triple is
#: missing, and an entity with a fact that has no statement, pointing to a term without a label.
PLANTED = f"""
<{_ST}1> <{_RDF}type> <{_EKG}Statement> .
<{_ST}1> <{_RDF}subject> <{KCNT1}> .
<{_ST}1> <{_RDF}predicate> <{_EKG}symbol> .
<{_ST}1> <{_RDF}object> "KCNT1" .
<{_ST}1> <{_EKG}source> <urn:planted:not-a-source> .
<{_ST}1> <{_EKG}evidence> <http://purl.obolibrary.org/obo/ECO_0000352> .
<{_ST}2> <{_RDF}type> <{_EKG}Statement> .
<{_ST}2> <{_RDF}subject> <{KCNT1}> .
<{_ST}2> <{_RDF}predicate> <{_EKG}symbol> .
<{_ST}2> <{_RDF}object> "PLANTED" .
<urn:planted:gene> <{_EKG}symbol> "PLANTED" .
<urn:planted:gene> <{_EKG}hasPhenotype> <{_HP}> .
"""
FOUND = {
    "statement-provenance-violation": {(f"{_ST}1", f"{_EKG}source", "urn:planted:not-a-source")},
    "statement-without-fact-violation": {(f"{_ST}2", KCNT1, f"{_EKG}symbol", "PLANTED")},
    "statement-without-source-violation": {(f"{_ST}2",)},
    "unlabelled-term-violation": {(_HP,)},
    "unsourced-fact-violation": {
        ("urn:planted:gene", f"{_EKG}symbol", "PLANTED"),
        ("urn:planted:gene", f"{_EKG}hasPhenotype", _HP),
    },
}


def make_graph(source: Path, size: int, out: Path) -> int:
    """Write about ``size`` triples: copies of ``source`` (N-Triples) with per-copy IRIs, then
    the :data:`PLANTED` faults."""
    lines = source.read_text(encoding="utf-8").splitlines()
    copies = max(1, round(size / len(lines)))
    with out.open("w", encoding="utf-8") as handle:
        for k in range(copies):
            replacement = rf"<\1-c{k}>" if k else r"<\1>"
            handle.writelines(_RENAMED.sub(replacement, line) + "\n" for line in lines)
        handle.write(PLANTED)
    return copies * len(lines)


def _interrupt(signum, frame):
    raise QueryTimeout("over 30 s")


def child(engine: str, path: Path, repeat: int, load_only: bool, names: list[str] | None = None) -> dict:
    """Load ``path`` with ``engine`` and time every library query (or those ``names``); report in JSON."""
    from eimfs_kg.query.docs import EXAMPLE_PARAMS
    from eimfs_kg.query.library import list_queries
    from eimfs_kg.query.limits import answer_within

    started = time.perf_counter()
    if engine == "oxigraph":
        from eimfs_kg.query.oxigraph import Engine
        from eimfs_kg.stores.local import load_files, open_store

        folder = Path(tempfile.mkdtemp(prefix="eimfs-kg-bench-", dir=path.parent))
        load_files(folder, [path], progress=None)
        load = time.perf_counter() - started
        runner = Engine.from_store(*open_store(folder))
    else:
        from rdflib import Graph

        from eimfs_kg.identifiers import prefix_map
        from eimfs_kg.query.rdflib_engine import answer_with_rdflib

        graph = Graph().parse(path, format="nt")
        load = time.perf_counter() - started
        for prefix, namespace in prefix_map().items():  # as the store does: CURIE parameters work
            graph.bind(prefix, namespace, override=True)

        class Rdflib:
            def answer(self, query, params, max_rows=None):
                return answer_with_rdflib(graph, query, params)

        runner = Rdflib()

    def answer(query, params):
        """Cut at 30 s: Oxigraph's thread is abandoned, rdflib (pure Python) is interrupted."""
        if engine == "oxigraph":
            return answer_within(runner, query, params, 30, 10**8)
        signal.signal(signal.SIGALRM, _interrupt)
        signal.alarm(30)
        try:
            return runner.answer(query, params)
        finally:
            signal.alarm(0)

    queries, rounds, missed = {}, {}, {}
    if not load_only:
        repeats = 200 if engine == "oxigraph" else 5
        queries["(point lookup: one gene's facts)"] = _point_lookup(runner.answer, repeats)
    for query in [] if load_only else [q for q in list_queries() if not names or q.name in names]:
        params = {p: EXAMPLE_PARAMS[p] for p in query.params}
        times, rows = [], None
        for _ in range(repeat if engine == "oxigraph" else 1):
            try:
                start = time.perf_counter()
                rows = answer(query, params).rows
                times.append(time.perf_counter() - start)
            except QueryTimeout:
                times = [float("inf")]
                break
        queries[query.name] = statistics.median(times)
        rounds[query.name] = times
        if query.name.endswith("-violation") and rows is not None:
            found = {tuple(term.value for term in row) for row in rows}
            missed[query.name] = found != FOUND.get(query.name, set())
        print(f"  {engine} {query.name}: {queries[query.name]:.3f} s", file=sys.stderr, flush=True)
    if engine == "oxigraph":
        shutil.rmtree(folder, ignore_errors=True)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    wrong = sorted(name for name, bad in missed.items() if bad)
    return {"load": load, "peak_mb": peak_mb, "queries": queries, "rounds": rounds, "wrong_checks": wrong}


def _point_lookup(answer, repeat: int) -> float:
    """Median time to fetch every fact about one gene by its IRI (what an entity page asks)."""
    from eimfs_kg.query.library import NamedQuery

    lookup = NamedQuery.from_text("lookup", f"SELECT ?p ?o WHERE {{ <{KCNT1}> ?p ?o }}")
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        rows = answer(lookup, {}).rows
        times.append(time.perf_counter() - start)
    assert rows, "the gene is missing from the graph"
    return statistics.median(times)


def _run_child(engine: str, path: Path, repeat: int, load_only: bool, names: list[str] | None) -> dict:
    command = [sys.executable, __file__, "--child", engine, str(path), "--repeat", str(repeat)]
    command += ["--queries", *names] if names else []
    done = subprocess.run(
        command + (["--child-load-only"] if load_only else []), capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


#: The least any Python program can do to load a file with pyoxigraph: start the interpreter,
#: import pyoxigraph, open a store and bulk-load the file. Timed beside the two loaders, it
#: shows how much of ``eimfs-kg load``'s ratio is the product and how much is Python itself.
BARE_LOAD = (
    "import sys, pyoxigraph as ox; store = ox.Store(sys.argv[1]); "
    "store.bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_TRIPLES); store.flush()"
)


def load_figures(path: Path, triples: int, rounds: int) -> list[Figure]:
    """``eimfs-kg load`` and a bare pyoxigraph load, each beside ``oxigraph load`` on ``path``.

    The three run alternately, each in a fresh folder; the bare load has no target: it is the
    floor a Python program cannot go under.
    """
    reference = "`oxigraph load` (bulk loader)"
    product = Figure(f"`eimfs-kg load`, {triples:,} triples", reference, target=1.15)
    bare = Figure(f"bare pyoxigraph bulk load (Python's floor), {triples:,} triples", reference)
    for _ in range(rounds):
        with tempfile.TemporaryDirectory(dir=path.parent) as work:
            engine = wall([str(BIN / "oxigraph"), "load", "--location", f"{work}/ox", "--file", str(path)])
            ours = wall([str(BIN / "eimfs-kg"), "load", str(path), "--store", f"oxigraph:{work}/ekg"])
            floor = wall([sys.executable, "-c", BARE_LOAD, f"{work}/bare", str(path)])
        product.add(ours, engine)
        bare.add(floor, engine)
    return [product, bare]


def query_figures(result: dict, triples: int) -> list[Figure]:
    """Each library query's runs at ``triples``, as a ratio to its budget (1 s for a check, else 0.3 s)."""
    figures = []
    for name, times in result["rounds"].items():
        budget = CHECK_BUDGET if name.endswith("-violation") else QUERY_BUDGET
        what = "integrity check" if name.endswith("-violation") else "query"
        figure = Figure(f"{what} `{name}`, {triples:,} triples", f"its budget, {budget:g} s", target=1.0)
        for seconds in times:
            figure.add(seconds, budget)
        figures.append(figure)
    return figures


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return "> 30000" if seconds == float("inf") else f"{seconds * 1000:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--load-only", type=int, nargs="*", default=[10_000_000])
    parser.add_argument("--rdflib-max", type=int, default=1_100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--load-rounds", type=int, default=3)
    parser.add_argument(
        "--tmp",
        type=Path,
        help="folder for the generated graphs and stores, made if missing (default: system temp)",
    )
    parser.add_argument("--results", default="big-graphs", help="results file: bench/results/NAME.json")
    parser.add_argument("--queries", nargs="+", metavar="NAME", help="time only these library queries")
    parser.add_argument("--child", nargs=2, metavar=("ENGINE", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--child-load-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        engine, path = args.child[0], Path(args.child[1])
        print(json.dumps(child(engine, path, args.repeat, args.child_load_only, args.queries)))
        return
    from eimfs_kg.query.library import list_queries

    if unknown := set(args.queries or ()) - {q.name for q in list_queries()}:
        parser.error(f"no such library query: {', '.join(sorted(unknown))}")
    from eimfs_kg.graph.build import build
    from eimfs_kg.publish.export import export

    results: dict[tuple[int, str], dict] = {}
    figures: list[Figure] = []
    if args.tmp:
        args.tmp.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        base = build(Path(tmp)).path
        (source,) = export("nt", Path(tmp) / "base.nt", base)
        for size in [*args.sizes, *args.load_only]:
            path = Path(tmp) / f"g{size}.nt"
            triples = make_graph(source, size, path)
            load_only = size in args.load_only
            for figure in load_figures(path, triples, args.load_rounds):
                figures.append(figure)
                print(figure.line(), file=sys.stderr, flush=True)
            for engine in ("oxigraph", "rdflib"):
                if engine == "rdflib" and (load_only or triples > args.rdflib_max):
                    continue
                results[(triples, engine)] = _run_child(engine, path, args.repeat, load_only, args.queries)
                wrong = results[(triples, engine)]["wrong_checks"]
                verdict = f"MISSED by {', '.join(wrong)}" if wrong else "each found by its check"
                print(f"  planted faults, {engine} at {triples:,}: {verdict}", file=sys.stderr, flush=True)
                if engine == "oxigraph" and abs(triples - BUDGET_SIZE) < BUDGET_SIZE // 10 and not load_only:
                    figures += query_figures(results[(triples, engine)], triples)
                print(f"measured {engine} at {triples:,} triples", file=sys.stderr, flush=True)
            path.unlink()
    print("| triples | engine | load (s) | peak RSS (MB) |\n|---:|---|---:|---:|")
    for (triples, engine), r in sorted(results.items()):
        print(f"| {triples:,} | {engine} | {r['load']:.2f} | {r['peak_mb']:.0f} |")
    sizes = sorted({t for (t, _), r in results.items() if r["queries"]})
    names = list(results[(sizes[0], "oxigraph")]["queries"]) if sizes else []  # the point lookup first
    print("\nQuery time, ms (Oxigraph: median of repeats; rdflib: one run, cut at 30 s); x = rdflib/Oxigraph")
    header = " | ".join(f"{t:,} ox | {t:,} rdflib | x" for t in sizes)
    print(f"| query | {header} |\n|---|{'---:|' * 3 * len(sizes)}")
    for name in names:
        cells = []
        for t in sizes:
            ox_s = results[(t, "oxigraph")]["queries"][name]
            rdf = results.get((t, "rdflib"))
            rdf_s = rdf["queries"][name] if rdf else None
            ratio = f"{rdf_s / ox_s:.0f}" if rdf_s and ox_s and rdf_s != float("inf") else "-"
            cells += [_ms(ox_s), _ms(rdf_s), ratio]
        print(f"| {name} | {' | '.join(cells)} |")
    print("\nAgainst the targets (ratio: median [range] over the rounds)")
    for figure in figures:
        print(figure.line())
    ox_runs = sorted((t, r) for (t, e), r in results.items() if e == "oxigraph")
    peaks = ", ".join(f"{t:,}: {r['peak_mb']:.0f} MB" for t, r in ox_runs)
    print(f"peak RSS of the Oxigraph runs (load + every query): {peaks}")
    loaded = sorted({t for t, _ in results})
    title = f"`bench/big_graphs.py`: graphs of {' and '.join(f'{t:,}' for t in loaded)} triples"
    if args.queries:  # a partial run: the results file keeps the last full run's figures
        print(f"not written: bench/results/{args.results}.json (--queries)")
    else:
        print(f"wrote {write_results(args.results, title, figures)}")


if __name__ == "__main__":
    main()
