"""The ``eimfs-kg`` command line: a thin shell over :mod:`eimfs_kg.api`.

Every command is argument parsing, one call of the API, and printing. Each imports the API
when it runs, so that ``eimfs-kg --help`` imports nothing but argparse.

Exit codes: 0 success (or the graph conforms), 1 the graph does not conform,
2 unusable input (malformed file, unknown query, missing file).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

__all__ = ["main"]

EXIT_OK, EXIT_NONCONFORMING, EXIT_BAD_INPUT = 0, 1, 2
FORMATS = ("table", "csv", "tsv", "json", "xml")  # engine.FORMATS, kept here so --help imports nothing
REASONING = ("none", "rdfs", "owlrl")
EXPORT_FORMATS = ("turtle", "nt", "jsonld", "kgx", "graphml", "sssom")  # export.EXPORT_FORMATS
DEFAULT_GRAPH = "https://w3id.org/eimfs-kg/graph"  # vocab.GRAPH_IRI, kept here so --help imports nothing
TIMEOUT_S, MAX_ROWS = 60.0, 100_000  # limits.DEFAULT_TIMEOUT_S, limits.DEFAULT_MAX_ROWS
MAX_MEMORY_MB = 1024  # budget.DEFAULT_MAX_MEMORY_MB


def _engine(args: argparse.Namespace):  # -> query.contract.QueryEngine
    """The engine over ``--endpoint``, ``--store`` or ``--graph`` (default: the built graph)."""
    from . import api  # lazy: keeps `eimfs-kg --help` fast

    return api.open_engine(
        args.graph,
        store=args.store,
        endpoint=_endpoint(args) if getattr(args, "endpoint", None) else None,
        endpoint_graph=getattr(args, "endpoint_graph", DEFAULT_GRAPH),
        reasoning=getattr(args, "reasoning", "none"),
    )


def _endpoint(args: argparse.Namespace):  # -> stores.remote.Endpoint
    """The remote store named by ``--endpoint`` and its options."""
    from . import api  # lazy: keeps `eimfs-kg --help` fast

    return api.endpoint(
        args.endpoint,
        update_url=getattr(args, "update_endpoint", None),
        store_url=getattr(args, "store_endpoint", None),
        user=getattr(args, "user", None),
        password_env=getattr(args, "password_env", None),
        timeout=args.timeout,
    )


def _print_report(report, stream) -> None:  # report: graph.validate.ValidationReport
    for result in report.results:
        print(result, file=stream)


def _cmd_build(args: argparse.Namespace) -> int:
    from . import api  # lazy: keeps `eimfs-kg --help` fast
    from .errors import ValidationFailed  # lazy: keeps `eimfs-kg --help` fast (dataclasses)

    try:
        result = api.build(args.out, args.data)
    except ValidationFailed as failed:
        _print_report(failed.report, sys.stderr)
        print(f"error: {failed}; nothing written", file=sys.stderr)
        return EXIT_NONCONFORMING
    _print_report(result.report, sys.stderr)
    print(f"wrote {result.path} ({result.triples} triples); graph conforms to the shapes")
    width = max(len(name) for name in result.class_counts)
    for name, count in result.class_counts.items():
        print(f"  {name:<{width}}  {count:>5}")
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    from . import api  # lazy: keeps `eimfs-kg --help` fast

    report = api.validate_file(args.file)
    _print_report(report, sys.stdout)
    verdict = "conforms" if report.conforms else f"does not conform ({len(report.violations)} violation(s))"
    print(f"{args.file}: {verdict}")
    return EXIT_OK if report.conforms else EXIT_NONCONFORMING


def _cmd_query(args: argparse.Namespace) -> int:
    from . import api  # lazy: keeps `eimfs-kg --help` fast

    query = api.load_query(args.name, args.sparql)
    params = dict(_split_param(p) for p in args.param)
    engine = _engine(args)
    engine.check(query, params)  # a bad query refused, or a closure made, before the limits start
    answer = api.run_limited(
        lambda: api.run_query(query, params, engine=engine, max_rows=args.max_rows),
        args.timeout,
        args.max_memory,
        query.name,
    )
    text = answer.render(args.format)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return EXIT_OK


def _cmd_queries(args: argparse.Namespace) -> int:
    from . import api  # lazy: keeps `eimfs-kg --help` fast

    if args.markdown:
        sys.stdout.write(api.queries_markdown(args.graph))
        return EXIT_OK
    for query in api.list_queries():
        params = ", ".join(query.params) or "-"
        print(f"{query.name:<38} {query.title}  [params: {params}]")
    return EXIT_OK


def _cmd_analyze(args: argparse.Namespace) -> int:
    from . import api  # lazy: keeps `eimfs-kg --help` fast

    run = api.analyze(
        args.graph, out=args.out, source=args.source, target=args.target, pictures=not args.no_plot
    )
    sys.stdout.write(run.report)
    print(f"\nwrote {', '.join(str(p) for p in run.written)}")
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from . import api  # lazy: keeps `eimfs-kg --help` fast

    written = api.export(args.format, args.out, args.graph)
    print(f"wrote {', '.join(str(p) for p in written)}")
    return EXIT_OK


def _cmd_compare(args: argparse.Namespace) -> int:
    from . import api  # lazy: keeps `eimfs-kg --help` fast

    sys.stdout.write(api.compare(args.graph))
    if not args.enrich:
        return EXIT_OK
    enrichment = api.enrich(args.out, args.graph)
    if not enrichment.report.conforms:
        _print_report(enrichment.report, sys.stderr)
        print("error: the enriched graph does not conform; nothing written", file=sys.stderr)
        return EXIT_NONCONFORMING
    print(f"wrote {args.out}: {enrichment.added} HPO annotations added as facts of their own source")
    return EXIT_OK


def _cmd_load(args: argparse.Namespace) -> int:
    from . import api  # lazy: keeps `eimfs-kg --help` fast

    folder = api.load(args.files, args.store, progress=sys.stderr)
    print(f"{folder}: {len(args.files)} file{'s' if len(args.files) > 1 else ''} loaded")
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    from . import api  # lazy: keeps `eimfs-kg --help` fast

    server = api.serve(
        args.graph,
        store=args.store,
        host=args.host,
        port=args.port,
        timeout_s=args.timeout,
        max_rows=args.max_rows,
        max_memory_mb=args.max_memory,
        workers=args.workers,
        verbose=args.verbose,
    )
    host, port = server.server_address[:2]
    print(f"serving http://{host!s}:{port}/ (SPARQL endpoint at /sparql); Ctrl-C stops", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return EXIT_OK


def _cmd_vocab(args: argparse.Namespace) -> int:
    from . import api  # lazy: keeps `eimfs-kg --help` fast
    from .publish.vocabulary import format_vocabulary  # lazy: keeps `eimfs-kg --help` fast

    sys.stdout.write(format_vocabulary(api.vocab()))
    return EXIT_OK


def _cmd_push(args: argparse.Namespace) -> int:
    from . import api  # lazy: keeps `eimfs-kg --help` fast

    path, report = api.push(_endpoint(args), args.file, args.graph, progress=sys.stderr)
    print(f"pushed {path} to <{report.graph}>: {report.triples:,} triples (before: {report.before:,})")
    return EXIT_OK


def _cmd_diff(args: argparse.Namespace) -> int:
    from . import api  # lazy: keeps `eimfs-kg --help` fast

    difference = api.diff(args.old, args.new)
    sys.stdout.write(difference.render(args.format))
    return EXIT_OK if difference.equal else EXIT_NONCONFORMING


def _cmd_release(args: argparse.Namespace) -> int:
    from . import api  # lazy: keeps `eimfs-kg --help` fast

    done = api.release(args.release_version, args.out, args.previous, args.graph)
    since = f" (after {done.previous})" if done.previous else ""
    print(f"released {done.version}{since} into {done.folder}: {len(done.files)} files, see SHA256SUMS")
    return EXIT_OK


def _split_param(text: str) -> tuple[str, str]:
    from .errors import InputError  # lazy: keeps `eimfs-kg --help` fast (dataclasses)

    name, sep, value = text.partition("=")
    if not sep or not name:
        raise InputError(f"--param takes NAME=VALUE, got {text!r}")
    return name, value


def _declare_build(build: argparse.ArgumentParser) -> None:
    build.add_argument("--out", default="build", help="output folder (default: build)")
    build.add_argument(
        "--data", help="folder of curated files to build from (default: the files shipped with the package)"
    )
    build.set_defaults(func=_cmd_build)


def _declare_validate(validate: argparse.ArgumentParser) -> None:
    validate.add_argument("file", help="the RDF file to check")
    validate.set_defaults(func=_cmd_validate)


def _declare_query(query: argparse.ArgumentParser) -> None:
    query.add_argument("name", nargs="?", help="library query name (see `eimfs-kg queries`) or FILE.rq")
    query.add_argument("--sparql", metavar="TEXT", help="run this SPARQL text instead")
    query.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="bind a query parameter (repeatable); a CURIE or IRI binds an IRI, anything else a literal",
    )
    query.add_argument(
        "--format",
        default="table",
        choices=FORMATS,
        help="table (CURIEs, readable) or a W3C SPARQL result format (default: table)",
    )
    query.add_argument(
        "--graph", metavar="FILE", help="query this Turtle/N-Triples file (default: the built graph)"
    )
    query.add_argument(
        "--store", metavar="oxigraph:DIR", help="query a persistent Oxigraph store filled by `eimfs-kg load`"
    )
    query.add_argument(
        "--reasoning",
        default="none",
        choices=REASONING,
        help="answer over the RDFS or OWL 2 RL closure (default: none)",
    )
    query.add_argument("--endpoint", metavar="URL", help="run the query on this remote SPARQL endpoint")
    query.add_argument(
        "--endpoint-graph",
        metavar="IRI",
        default=DEFAULT_GRAPH,
        help=f"named graph the remote store holds the graph in (default: {DEFAULT_GRAPH})",
    )
    query.add_argument(
        "--timeout", type=float, default=TIMEOUT_S, help=f"seconds a query may run (default: {TIMEOUT_S:g})"
    )
    query.add_argument(
        "--max-rows", type=int, default=MAX_ROWS, help=f"refuse longer answers (default: {MAX_ROWS})"
    )
    query.add_argument(
        "--max-memory",
        type=float,
        default=MAX_MEMORY_MB,
        metavar="MB",
        help=f"memory a query may add before it is stopped (default: {MAX_MEMORY_MB})",
    )
    query.set_defaults(func=_cmd_query)


def _declare_analyze(analyze: argparse.ArgumentParser) -> None:
    analyze.add_argument("--out", default="build/analysis", help="output folder (default: build/analysis)")
    analyze.add_argument("--from", dest="source", metavar="NODE", help="shortest path from this node")
    analyze.add_argument("--to", dest="target", metavar="NODE", help="shortest path to this node")
    analyze.add_argument("--graph", metavar="FILE", help="analyse this graph file (default: the built graph)")
    analyze.add_argument("--no-plot", action="store_true", help="skip the PNG and SVG pictures")
    analyze.set_defaults(func=_cmd_analyze)


def _declare_export(export: argparse.ArgumentParser) -> None:
    export.add_argument("--format", required=True, choices=EXPORT_FORMATS, help="the export format")
    export.add_argument("--out", required=True, help="output file (a folder for kgx and graphml)")
    export.add_argument("--graph", metavar="FILE", help="export this graph file (default: the built graph)")
    export.set_defaults(func=_cmd_export)


def _declare_compare(compare: argparse.ArgumentParser) -> None:
    compare.add_argument("--graph", metavar="FILE", help="compare this graph file (default: the built graph)")
    compare.add_argument(
        "--enrich",
        action="store_true",
        help="also write the graph with the annotations added as a separate source",
    )
    compare.add_argument("--out", default="build/eimfs-kg-enriched.ttl", help="where --enrich writes")
    compare.set_defaults(func=_cmd_compare)


def _declare_load(load: argparse.ArgumentParser) -> None:
    load.add_argument("files", nargs="+", metavar="FILE", help="N-Triples (.nt) or Turtle (.ttl) files")
    load.add_argument("--store", required=True, metavar="oxigraph:DIR", help="the store folder")
    load.set_defaults(func=_cmd_load)


def _declare_serve(serve: argparse.ArgumentParser) -> None:
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1 only)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    serve.add_argument("--graph", metavar="FILE", help="serve this graph file (default: the built graph)")
    serve.add_argument("--store", metavar="oxigraph:DIR", help="serve a persistent Oxigraph store")
    serve.add_argument("--timeout", type=float, default=10.0, help="seconds a query may run (default: 10)")
    serve.add_argument("--max-rows", type=int, default=10_000, help="row cap per answer (default: 10000)")
    serve.add_argument(
        "--max-memory",
        type=float,
        default=MAX_MEMORY_MB,
        metavar="MB",
        help=f"memory a query may add before its worker is stopped (default: {MAX_MEMORY_MB})",
    )
    serve.add_argument(
        "--workers", type=int, help="processes that run queries (default: one per core, 2 to 8)"
    )
    serve.add_argument("--verbose", action="store_true", help="log every request")
    serve.set_defaults(func=_cmd_serve)


def _declare_push(push: argparse.ArgumentParser) -> None:
    push.add_argument("--endpoint", required=True, metavar="URL", help="the store's SPARQL query URL")
    push.add_argument("--graph", metavar="IRI", default=DEFAULT_GRAPH, help=f"target graph ({DEFAULT_GRAPH})")
    push.add_argument("--file", metavar="FILE", help="Turtle/N-Triples file (default: the built graph)")
    push.add_argument("--user", help="user name for stores that need one (HTTP digest or basic)")
    push.add_argument("--password-env", metavar="VAR", help="environment variable holding the password")
    push.add_argument("--update-endpoint", metavar="URL", help="SPARQL Update URL (guessed for known stores)")
    push.add_argument("--store-endpoint", metavar="URL", help="Graph Store URL (guessed for known stores)")
    push.add_argument("--timeout", type=float, default=300.0, help="seconds per request (default: 300)")
    push.set_defaults(func=_cmd_push)


def _declare_diff(diff: argparse.ArgumentParser) -> None:
    diff.add_argument("old", help="the older graph file or release folder")
    diff.add_argument(
        "new", nargs="?", help="the newer graph file or release folder (default: the current build)"
    )
    diff.add_argument("--format", default="text", choices=("text", "markdown", "json"), help="default: text")
    diff.set_defaults(func=_cmd_diff)


def _declare_release(rel: argparse.ArgumentParser) -> None:
    rel.add_argument(
        "--version", dest="release_version", required=True, metavar="X.Y.Z", help="release version"
    )
    rel.add_argument("--out", required=True, help="the release folder to create (must not exist)")
    rel.add_argument(
        "--previous", metavar="DIR", help="the previous release folder (changelog, version check)"
    )
    rel.add_argument("--graph", metavar="FILE", help="release this graph file (default: the current build)")
    rel.set_defaults(func=_cmd_release)


def _declare_vocab(vocab: argparse.ArgumentParser) -> None:
    vocab.set_defaults(func=_cmd_vocab)


def _declare_queries(queries: argparse.ArgumentParser) -> None:
    queries.add_argument(
        "--markdown", action="store_true", help="print queries/README.md: every query with an example result"
    )
    queries.add_argument("--graph", metavar="FILE", help="graph for the examples (default: the built graph)")
    queries.set_defaults(func=_cmd_queries)


#: Each command: its line in `eimfs-kg --help` and the function declaring its options.
_COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "build": ("build, validate and write the graph as Turtle", _declare_build),
    "validate": ("validate a Turtle or N-Triples file", _declare_validate),
    "query": ("run a library query, a .rq file or inline SPARQL on the graph", _declare_query),
    "analyze": ("network analysis of genes and mechanisms (NetworkX)", _declare_analyze),
    "export": (
        "write the graph as Turtle, N-Triples, JSON-LD, KGX TSV, GraphML or SSSOM mappings",
        _declare_export,
    ),
    "compare": ("compare with the HPO annotations of EIMFS and DEE 14", _declare_compare),
    "load": ("add large N-Triples/Turtle files to a persistent Oxigraph store", _declare_load),
    "serve": ("serve a read-only SPARQL endpoint with a query page and entity pages", _declare_serve),
    "push": ("load the graph into a remote triplestore (staging graph, count checks, MOVE)", _declare_push),
    "diff": (
        "facts added, removed and changed between two graphs or releases (exit 1 if any)",
        _declare_diff,
    ),
    "release": ("write a versioned release folder: every format, SSSOM, checksums", _declare_release),
    "vocab": (
        "list the vocabulary's classes and properties: label, definition, domain, range",
        _declare_vocab,
    ),
    "queries": ("list the library queries", _declare_queries),
}


def _parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    """The command line, with options declared only for the command ``argv`` names.

    argparse takes about 15 ms to make every command's parser and declare its options, a fifth
    of a cold query; `eimfs-kg --help` still lists every command, and without a known command
    (a typo) all are declared, so the error names the valid ones.
    """
    parser = argparse.ArgumentParser(
        prog="eimfs-kg",
        description="Knowledge graph of epilepsy of infancy with migrating focal seizures.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    named = next((arg for arg in argv if not arg.startswith("-")), None)
    for name, (summary, declare) in _COMMANDS.items():
        if named not in _COMMANDS or named == name:
            declare(sub.add_parser(name, help=summary))
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = _parser(argv)
    args = parser.parse_args(argv)
    if args.version:
        from .version import __version__  # lazy: only --version needs it

        print(f"eimfs-kg {__version__}")
        return EXIT_OK
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_BAD_INPUT

    from . import api  # lazy: keeps `eimfs-kg --help` fast
    from .errors import EimfsError  # lazy: as above

    if args.command not in ("query", "load"):
        # A cold query or a load does not pay for logging (about 8 ms, near a tenth of a cold
        # query); a query's one possible note, a killed writer's store folder removed, reaches
        # stderr all the same through logging's last-resort handler, without the "note:" prefix.
        import logging  # lazy: as above

        logging.basicConfig(format="note: %(message)s", level=logging.WARNING, stream=sys.stderr)

    named = ("endpoint", "update_endpoint", "store_endpoint")
    try:
        with api.network_guard(*(url for url in (getattr(args, name, None) for name in named) if url)):
            return args.func(args)
    except EimfsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
