"""The ``eimfs-kg`` command line: a thin shell over the Python API.

Exit codes: 0 success (or the graph conforms), 1 the graph does not conform,
2 unusable input (malformed file, unknown query, missing file).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main"]

EXIT_OK, EXIT_NONCONFORMING, EXIT_BAD_INPUT = 0, 1, 2


def _print_report(report, stream) -> None:
    for result in report.results:
        print(result, file=stream)


def _cmd_build(args: argparse.Namespace) -> int:
    from .build import ValidationFailed, build

    try:
        result = build(Path(args.out), Path(args.data) if args.data else None)
    except ValidationFailed as failed:
        _print_report(failed.report, sys.stderr)
        print(f"error: {failed}; nothing written", file=sys.stderr)
        return EXIT_NONCONFORMING
    _print_report(result.report, sys.stderr)
    print(f"wrote {result.path} ({len(result.graph)} triples); graph conforms to the shapes")
    width = max(len(name) for name in result.class_counts)
    for name, count in result.class_counts.items():
        print(f"  {name:<{width}}  {count:>5}")
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    from .validate import validate_file

    report = validate_file(Path(args.file))
    _print_report(report, sys.stdout)
    verdict = "conforms" if report.conforms else f"does not conform ({len(report.violations)} violation(s))"
    print(f"{args.file}: {verdict}")
    return EXIT_OK if report.conforms else EXIT_NONCONFORMING


def _cmd_query(args: argparse.Namespace) -> int:
    from .queries import format_table, run_named_query

    params = dict(_split_param(p) for p in args.param)
    result = run_named_query(args.name, params, graph_file=Path(args.graph) if args.graph else None)
    print(format_table(result))
    return EXIT_OK


def _cmd_queries(args: argparse.Namespace) -> int:
    from .queries import list_queries

    for query in list_queries():
        params = ", ".join(query.params) or "-"
        print(f"{query.name:<28} {query.title}  [params: {params}]")
    return EXIT_OK


def _split_param(text: str) -> tuple[str, str]:
    from .errors import InputError

    name, sep, value = text.partition("=")
    if not sep or not name:
        raise InputError(f"--param takes NAME=VALUE, got {text!r}")
    return name, value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="eimfs-kg",
        description="Knowledge graph of epilepsy of infancy with migrating focal seizures.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = sub.add_parser("build", help="build, validate and write the graph as Turtle")
    build.add_argument("--out", default="build", help="output folder (default: build)")
    build.add_argument(
        "--data", help="folder of curated files to build from (default: the files shipped with the package)"
    )
    build.set_defaults(func=_cmd_build)

    validate = sub.add_parser("validate", help="validate a Turtle or N-Triples file")
    validate.add_argument("file", help="the RDF file to check")
    validate.set_defaults(func=_cmd_validate)

    query = sub.add_parser("query", help="run a named query from the query library")
    query.add_argument("name", help="query name (see `eimfs-kg queries`)")
    query.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="bind a query parameter (repeatable)",
    )
    query.add_argument("--graph", help="query this Turtle/N-Triples file instead of a fresh build")
    query.set_defaults(func=_cmd_query)

    queries = sub.add_parser("queries", help="list the named queries")
    queries.set_defaults(func=_cmd_queries)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.version:
        from importlib.metadata import version

        print(f"eimfs-kg {version('eimfs-kg')}")
        return EXIT_OK
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    from .errors import EimfsError

    try:
        return args.func(args)
    except EimfsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
