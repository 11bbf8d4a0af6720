"""Cold ``eimfs-kg build`` (build, validate, write) beside a bare ``python -c "import rdflib"``.

    .venv/bin/python bench/build.py [--repeat N] [--baseline OTHER/bin/eimfs-kg]

Each round runs both as fresh processes, one after the other, so a busy machine slows both
alike; the figure is the median ratio and its range over the rounds (target of issue 14:
at most 3.0x). ``--baseline`` names another installation's ``eimfs-kg`` (say, a checkout of
the previous version) whose build is timed in the same rounds, for a before/after figure.
Then the build's stages are timed in one process, to show where the time goes. Results go to
``bench/results/build.json`` for ``bench/readme_table.py``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from figures import Figure, wall, write_results

BIN = Path(sys.executable).parent


def stages(repeat: int) -> dict[str, float]:
    """Median in-process seconds of each stage of a build (imports already paid)."""
    import pyoxigraph as ox

    from eimfs_kg.curation.load import load_curation
    from eimfs_kg.graph.build import assemble_store
    from eimfs_kg.graph.builder import build_quads
    from eimfs_kg.graph.shacl import findings
    from eimfs_kg.graph.validate import integrity_results, validate_store
    from eimfs_kg.rdf.bridge import turtle

    timings: dict[str, list[float]] = {}

    def timed(name, func, *args, **kwargs):
        start = time.perf_counter()
        value = func(*args, **kwargs)
        timings.setdefault(name, []).append(time.perf_counter() - start)
        return value

    for _ in range(repeat):
        curation = timed("read + check curated files", load_curation)
        quads = timed("records -> RDF quads", build_quads, curation)
        timed("quads into an Oxigraph store", ox.Store().bulk_extend, quads)
        assembled = timed("assemble (all above + ontology + dataset description)", assemble_store)
        store = assembled.store
        timed("validate (shapes on Oxigraph + integrity queries)", validate_store, store, assembled.prefixes)
        timed("  of which the shapes (graph.shacl)", findings, store)
        timed("  of which integrity queries", integrity_results, store)
        timed("write Turtle (sorted, by Oxigraph)", turtle, store, assembled.prefixes)
    return {name: statistics.median(values) for name, values in timings.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=11)
    parser.add_argument("--baseline", help="another installation's eimfs-kg, timed in the same rounds")
    args = parser.parse_args()
    import compileall

    import eimfs_kg

    compileall.compile_dir(Path(eimfs_kg.__file__).parent, quiet=1)  # as pip does on install
    build = Figure(
        "cold `eimfs-kg build` (build, validate, write)", '`python -c "import rdflib"`', target=3.0
    )
    figures = [build]
    if args.baseline:
        figures.append(Figure("cold build of `--baseline` (the previous version)", build.reference))
    with tempfile.TemporaryDirectory() as out:
        commands = [[str(BIN / "eimfs-kg"), "build", "--out", out]]
        commands += [[args.baseline, "build", "--out", out]] if args.baseline else []
        for command in commands:
            wall(command)  # the first run writes the byte-code of the dependencies
        for _ in range(args.repeat):
            reference = wall([sys.executable, "-c", "import rdflib"])
            for figure, command in zip(figures, commands, strict=True):
                figure.add(wall(command), reference)
    print(f"Cold build, {args.repeat} rounds (ratio: median [range])")
    for figure in figures:
        print(figure.line())
    print("\nBuild stages (in process, median of 3)")
    for name, seconds in stages(3).items():
        print(f"  {name:<58} {seconds * 1000:8.0f} ms")
    print(f"\nwrote {write_results('build', '`bench/build.py`: the cold build', figures)}")


if __name__ == "__main__":
    main()
