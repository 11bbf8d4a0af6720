"""Where the time goes in the two targets of issue 14 that are not met.

    .venv/bin/python bench/floors.py [--rounds 7] [--tmp DIR]

1. ``eimfs-kg load`` of the smallest graph (the built one, 18,182 triples), where nearly all
   is fixed cost: the steps a Python program pays before and around the bulk load (the
   interpreter, pyoxigraph's import, the command line's import, the package's modules, a bare
   pyoxigraph load), each run as its own process, alternately with ``oxigraph load`` in fresh
   folders, as a ratio to it.
2. ``unsourced-fact-violation`` on the 10^6-triple store of ``bench/big_graphs.py``: the parts
   any one query for it must do (read every triple, test each once, build the set of stated
   triples), the tests that were tried instead (``isLiteral`` on every triple, listing the
   predicates), and the check read through a list of its predicates, in one query and as two
   halves in two threads (pyoxigraph lets go of Python's lock while Oxigraph evaluates: the
   two-copies row shows it). Each a ratio to the whole check, timed in the same rounds.

Written to ``bench/results/floors.json`` for ``bench/readme_table.py``; no row has a target.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

from big_graphs import BARE_LOAD, BIN, make_graph
from figures import Figure, wall, write_results

from eimfs_kg.vocab import EKG_IRI, RDF_IRI

#: The properties and the node types the check exempts (as in queries/unsourced-fact-violation.rq).
EXEMPT_PROPERTIES = [RDF_IRI + name for name in ("subject", "predicate", "object")] + [
    EKG_IRI + name
    for name in (
        *("source", "evidence", "publication", "causeRank", "variantType", "clinicalModifier"),
        *("forDisease", "qualifierNote", "frequencyNote"),
    )
]
EXEMPT_TYPES = " ".join(
    [f"<{EKG_IRI}{name}>" for name in ("Statement", "CausalStatement", "CorrelativeStatement")]
    + [f"<{EKG_IRI}{name}>" for name in ("PageSection", "ExternalDatabase", "SourceDocument")]
    + ["<http://rdfs.org/ns/void#Dataset>"]
)
EXEMPT_NODES = f"MINUS {{ VALUES ?exempt {{ {EXEMPT_TYPES} }} ?s a ?exempt }}"


def _part(var: str, part: str, values: str = "") -> str:
    """One part of every statement, read in one pass (``values``: only these, as ``VALUES``)."""
    return f"{{ SELECT ?st ?{var} WHERE {{ {values} ?st <{RDF_IRI}{part}> ?{var} }} }}"


STATED = " ".join(_part(var, part) for var, part in (("s", "subject"), ("p", "predicate"), ("o", "object")))
STATED_SET = f"SELECT (COUNT(*) AS ?n) WHERE {{ {STATED} }}"
NOT_EXEMPT = f"FILTER(?p NOT IN ({', '.join(f'<{p}>' for p in EXEMPT_PROPERTIES)}))"
ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o"
PARTS = {
    "read every triple (a count)": f"{ALL} }}",
    "read every triple, `NOT IN` the exempt properties": f"{ALL} {NOT_EXEMPT} }}",
    "read every triple, `MINUS` the exempt nodes": f"{ALL} {EXEMPT_NODES} }}",
    "build the set of stated triples": STATED_SET,
    "read every triple, `isLiteral(?o)`": f"{ALL} FILTER(isLITERAL(?o)) }}",
    "list the predicates (`SELECT DISTINCT ?p`)": "SELECT DISTINCT ?p WHERE { ?s ?p ?o }",
}


def _through(predicates: list[str]) -> str:
    """The check (but its last test, of the IRIs' text) reading only the triples of ``predicates``."""
    values = " ".join(f"<{p}>" for p in predicates)
    facts = f"{{ SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o }} }}"
    stated = " ".join(
        [_part("p", "predicate", f"VALUES ?p {{ {values} }}"), _part("s", "subject"), _part("o", "object")]
    )
    return (
        f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ SELECT ?s ?p ?o WHERE {{ {facts} {EXEMPT_NODES} }} }} "
        f"MINUS {{ {stated} }} }}"
    )


def load_figures(source: Path, triples: int, rounds: int) -> list[Figure]:
    """Each step of a load of ``source``, as a process of its own, beside ``oxigraph load``."""
    python = sys.executable
    steps = {
        "start the interpreter (`python -c pass`)": [python, "-c", "pass"],
        "and import pyoxigraph": [python, "-c", "import pyoxigraph"],
        "import the command line (`eimfs_kg.cli`: argparse)": [python, "-c", "import eimfs_kg.cli"],
        "`eimfs-kg --version` (the command line made and run)": [str(BIN / "eimfs-kg"), "--version"],
        "import the command line and `eimfs_kg.api` (the load's modules)": [
            python,
            "-c",
            "import eimfs_kg.cli, eimfs_kg.api, eimfs_kg.stores.local",
        ],
        "bare pyoxigraph bulk load": [python, "-c", BARE_LOAD, "{work}/bare", str(source)],
        "`eimfs-kg load`": [str(BIN / "eimfs-kg"), "load", str(source), "--store", "oxigraph:{work}/ekg"],
    }
    reference = "`oxigraph load` (bulk loader)"
    figures = {name: Figure(f"{name}, {triples:,} triples", reference) for name in steps}
    for _ in range(rounds):
        with tempfile.TemporaryDirectory(dir=source.parent) as work:
            engine = wall([str(BIN / "oxigraph"), "load", "--location", f"{work}/ox", "--file", str(source)])
            for name, command in steps.items():
                figures[name].add(wall([arg.format(work=work) for arg in command]), engine)
    return list(figures.values())


def _timed(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def check_figures(store_dir: Path, triples: int, rounds: int) -> list[Figure]:
    """The parts of ``unsourced-fact-violation`` on the store in ``store_dir``, beside the whole check."""
    from eimfs_kg.query.library import get_query
    from eimfs_kg.stores.local import open_store

    store, _ = open_store(store_dir)
    check = get_query("unsourced-fact-violation").text

    def run(text: str) -> None:
        list(store.query(text))

    def at_once(*texts: str) -> None:
        threads = [threading.Thread(target=run, args=(text,)) for text in texts]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    exempt = set(EXEMPT_PROPERTIES)
    counts = {
        row["p"].value: int(row["n"].value)
        for row in store.query("SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p")
    }
    predicates = sorted((p for p in counts if p not in exempt), key=lambda p: -counts[p])
    halves: tuple[list[str], list[str]] = ([], [])
    for predicate in predicates:  # the biggest first, each to the lighter half
        min(halves, key=lambda half: sum(counts[p] for p in half)).append(predicate)
    through = len(predicates), sum(counts[p] for p in predicates)

    reference = "the whole `unsourced-fact-violation` check"
    jobs = {
        **{name: (lambda text=text: run(text)) for name, text in PARTS.items()},
        f"the check through a list of its {through[0]} predicates ({through[1]:,} triples), one query": (
            lambda: run(_through(predicates))
        ),
        "the same as two predicate halves in two threads": lambda: at_once(*map(_through, halves)),
        "two copies of the set of stated triples, in two threads": lambda: at_once(STATED_SET, STATED_SET),
    }
    figures = {name: Figure(f"{name}, {triples:,} triples", reference) for name in jobs}
    for _ in range(rounds):
        whole = _timed(lambda: run(check))
        for name, job in jobs.items():
            figures[name].add(_timed(job), whole)
    return list(figures.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--tmp", type=Path, help="folder for the graphs and the store, made if missing")
    args = parser.parse_args()
    from eimfs_kg.graph.build import build
    from eimfs_kg.publish.export import export
    from eimfs_kg.stores.local import load_files

    if args.tmp:
        args.tmp.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        (source,) = export("nt", Path(tmp) / "base.nt", build(Path(tmp)).path)
        with source.open("rb") as lines:
            figures = load_figures(source, sum(1 for _ in lines), args.rounds)
        big = Path(tmp) / "g1000000.nt"
        triples = make_graph(source, 1_000_000, big)
        load_files(Path(tmp) / "store", [big], progress=None)
        big.unlink()
        figures += check_figures(Path(tmp) / "store", triples, args.rounds)
    for figure in figures:
        print(figure.line())
    title = "`bench/floors.py`: where the time goes in the two targets of issue 14 not met"
    print(f"wrote {write_results('floors', title, figures)}")


if __name__ == "__main__":
    main()
