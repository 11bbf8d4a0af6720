"""The Python API: everything the command line does, as functions.

Each command of ``eimfs-kg`` is one call here, so a pipeline that works from the shell works from
Python too. :func:`open_engine` is the one factory of query engines (a graph file, an rdflib
Graph, a persistent store or a remote endpoint); the CLI, the server and the analysis use it.

>>> from eimfs_kg import run_query
>>> answer = run_query("most-common-causes")
>>> [(row["rank"], row["symbol"]) for row in answer.dicts()]
[('1', 'KCNT1'), ('2', 'SCN2A')]
>>> run_query("condition-by-name", {"name": "MMPSI"}).dicts()[0]["denotesLabel"]
'epilepsy of infancy with migrating focal seizures'

Heavy modules (rdflib, pySHACL, NetworkX, owlrl) are imported inside the function that needs
them, so that ``import eimfs_kg.api`` and ``eimfs-kg --help`` stay fast.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TextIO, TypeVar

from .errors import InputError
from .vocab import GRAPH_IRI

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from rdflib import Graph

    from .analysis.hpo import Enrichment
    from .analysis.network import Analysis
    from .graph.build import BuildResult
    from .graph.validate import ValidationReport
    from .publish.diff import GraphDiff
    from .publish.release import ReleaseResult
    from .publish.vocabulary import Term
    from .query.answer import Answer
    from .query.contract import QueryEngine
    from .query.library import NamedQuery
    from .stores.remote import Endpoint, PushReport
    from .web.server import WebServer

__all__ = [
    "AnalysisRun",
    "analyze",
    "build",
    "compare",
    "diff",
    "endpoint",
    "enrich",
    "export",
    "list_queries",
    "load",
    "load_graph",
    "load_query",
    "network_guard",
    "open_engine",
    "push",
    "queries_markdown",
    "release",
    "run_limited",
    "run_query",
    "serve",
    "validate_file",
    "vocab",
]

T = TypeVar("T")

#: The named graph a push fills and remote queries read unless told otherwise.
DEFAULT_GRAPH = GRAPH_IRI


def _graph_file(graph: str | Path | None) -> Path:
    """``graph``, or the built graph of the packaged data (built once, then cached)."""
    from .graph.cache import default_graph  # lazy: the cache module imports the build only when needed

    return Path(graph) if graph else default_graph()


def load_graph(path: str | Path | None = None) -> Graph:
    """The built graph as an rdflib Graph (default: the cached build of the packaged data)."""
    from .rdf.bridge import load_rdf  # lazy: rdflib costs about 0.1 s at start-up

    return load_rdf(_graph_file(path))


def open_engine(
    graph: Graph | str | Path | None = None,
    *,
    store: str | None = None,
    endpoint: Endpoint | str | None = None,
    endpoint_graph: str | None = DEFAULT_GRAPH,
    reasoning: str = "none",
) -> QueryEngine:
    """The query engine over one graph: the one factory the CLI, the server and the analysis use.

    ``graph`` is a graph file (answered by Oxigraph, after an RDFS or OWL 2 RL closure with
    ``reasoning``) or an rdflib Graph (answered by rdflib); ``store`` a persistent Oxigraph store
    (``oxigraph:DIR``); ``endpoint`` a remote SPARQL endpoint (an URL or an
    :class:`~eimfs_kg.stores.remote.Endpoint`), queried over its named graph ``endpoint_graph``.
    Without any of them: the built graph, opened from its on-disk store in the cache (its RDFS or
    OWL 2 RL closure with ``reasoning``, computed once); a file's closures are kept there too
    (see :mod:`eimfs_kg.graph.cache`). A query given to :meth:`~QueryEngine.check` is refused
    before any closure work.
    """
    if endpoint is not None:
        from .stores.remote import Endpoint, RemoteEngine  # lazy: urllib and the push code

        if store or graph is not None or reasoning != "none":
            raise InputError("--endpoint goes without --graph, --store and --reasoning")
        target = endpoint if isinstance(endpoint, Endpoint) else Endpoint.from_url(endpoint)
        return RemoteEngine(target, endpoint_graph)
    if store:
        from .query.oxigraph import Engine  # lazy: pyoxigraph is loaded only to query
        from .stores.local import open_store, store_directory  # lazy: as above

        if graph is not None or reasoning != "none":
            raise InputError("--store goes without --graph and --reasoning")
        folder = store_directory(store)
        return Engine.from_store(*open_store(folder), folder=folder)
    if graph is not None and not isinstance(graph, str | Path):
        from .query.rdflib_engine import RdflibEngine  # lazy: rdflib costs about 0.1 s at start-up

        if reasoning != "none":
            raise InputError("reasoning works on graph files; save the rdflib Graph to a file first")
        return RdflibEngine(graph)
    from .graph.cache import locate  # lazy: as below
    from .query.oxigraph import Engine  # lazy: pyoxigraph is loaded only to query

    source, cached = locate(Path(graph) if graph else None, reasoning)
    return Engine(source, reasoning, cached)


def load_query(source: str | None = None, sparql: str | None = None) -> NamedQuery:
    """A library query by name, a ``.rq`` file, or SPARQL text (``sparql``)."""
    from .query.library import load_query as load  # lazy: keeps `eimfs-kg --help` fast

    return load(source, sparql)


def list_queries() -> list[NamedQuery]:
    """Every query of the library, sorted by name."""
    from .query.library import list_queries as listed  # lazy: keeps `eimfs-kg --help` fast

    return listed()


def run_query(
    query: str | NamedQuery,
    params: dict[str, str] | None = None,
    *,
    graph: Graph | str | Path | None = None,
    reasoning: str = "none",
    engine: QueryEngine | None = None,
    timeout_s: float | None = None,
    max_rows: int | None = None,
    check_values: bool = True,
) -> Answer:
    """Run a library query (by name), a ``.rq`` file or SPARQL text.

    The query runs on ``engine``, or on ``open_engine(graph, reasoning=reasoning)``: a graph file
    (default: the built graph) answered by Oxigraph, or an rdflib Graph answered by rdflib. Rows
    come back as :meth:`Answer.dicts`, as a pandas DataFrame with :meth:`Answer.to_dataframe`,
    or in a W3C format with :meth:`Answer.render`. With ``timeout_s`` the query is abandoned
    after that many seconds; with ``max_rows`` a longer answer is an error. With ``check_values``
    a parameter value the graph does not know (a gene symbol, an ion, a mode of inheritance, a
    disease name) is an error naming the closest known values; an unambiguous case-insensitive
    match is taken (``kcnt1`` is KCNT1).
    """
    if isinstance(query, str):
        query = load_query(sparql=query) if _looks_like_sparql(query) else load_query(query)
    engine = engine if engine is not None else open_engine(graph, reasoning=reasoning)
    engine.check(query, params)  # before any work on the graph: a closure takes seconds
    if params and check_values:
        from .query.values import ParameterValues  # lazy: keeps `eimfs-kg --help` fast

        params = ParameterValues.of(engine).check(query, params)
    if timeout_s is None:
        return engine.answer(query, params, max_rows=max_rows)
    from .query.limits import answer_within  # lazy: threads only for queries with a time limit

    return answer_within(engine, query, params, timeout_s, max_rows)  # max_rows None: no cap


def run_limited(
    work: Callable[[], T], timeout_s: float | None, max_memory_mb: float | None, name: str = "query"
) -> T:
    """``work()`` (say, a :func:`run_query`), ending the whole process (exit 2, one line on stderr)
    once it passes ``timeout_s`` seconds or adds ``max_memory_mb`` MB: how a command-line program
    stops a query that Oxigraph cannot interrupt. It runs on a thread with a deep stack, so long
    chains of operators do not overflow it. Not for long-lived programs; a server uses workers."""
    from .query.budget import run_limited as limited  # lazy: a thread only for programs that ask

    return limited(work, timeout_s, max_memory_mb, name)


def _looks_like_sparql(text: str) -> bool:
    return any(c in text for c in "{ \n")


def queries_markdown(graph: str | Path | None = None) -> str:
    """The text of ``queries/README.md``: every library query with an example result on ``graph``."""
    from .query.docs import queries_markdown as markdown  # lazy: keeps `eimfs-kg --help` fast

    return markdown(open_engine(graph))


def build(out_dir: str | Path | None = None, data_dir: str | Path | None = None) -> BuildResult:
    """Build and validate the graph from the curated files; write ``out_dir/eimfs-kg.ttl`` if it conforms."""
    from .graph.build import build as run  # lazy: the builder, PyYAML and validation, about 0.1 s

    return run(Path(out_dir) if out_dir else None, Path(data_dir) if data_dir else None)


def validate_file(path: str | Path) -> ValidationReport:
    """Validate a Turtle, N-Triples or RDF/XML file against the shapes and the integrity queries."""
    from .graph.validate import validate_file as run  # lazy: rdflib and pySHACL cost about 1 s

    return run(Path(path))


class AnalysisRun(NamedTuple):
    """What :func:`analyze` found and wrote."""

    result: Analysis
    report: str  # the result as readable tables
    written: list[Path]


def analyze(
    graph: str | Path | None = None,
    *,
    out: str | Path = "build/analysis",
    source: str | None = None,
    target: str | None = None,
    pictures: bool = True,
) -> AnalysisRun:
    """Network analysis of the graph's projections; writes JSON, GraphML and pictures to ``out``."""
    from .analysis.network import analyze as run  # lazy: NetworkX costs about 0.3 s at start-up
    from .analysis.network import format_report, projections, write_outputs  # lazy: as above

    proj = projections(open_engine(graph))
    result = run(proj, source, target)
    written = write_outputs(proj, result, Path(out), pictures=pictures)
    return AnalysisRun(result, format_report(result), written)


def export(fmt: str, out: str | Path, graph: str | Path | None = None) -> list[Path]:
    """Write the graph as ``fmt`` (turtle, nt, jsonld, kgx, graphml) to ``out``; return the files."""
    from .publish.export import export as run  # lazy: rdflib and PyLD cost about 0.3 s at start-up

    return run(fmt, Path(out), _graph_file(graph))


def compare(graph: str | Path | None = None) -> str:
    """The graph beside the shipped HPO annotations of EIMFS and DEE 14, as readable text, with the
    disagreement records the graph keeps and whether the comparison still bears them out."""
    from .analysis.disagreements import agreement, format_recorded, recorded_claims  # lazy: as below
    from .analysis.hpo import compare as run  # lazy: rdflib and the HPO files cost about 1 s
    from .analysis.hpo import format_comparison, load_release  # lazy: as above

    release = load_release()
    engine = open_engine(graph)
    comparison = run(engine, release)
    claims = recorded_claims(engine)
    return format_comparison(comparison, release) + format_recorded(claims, agreement(claims, comparison))


def diff(old: str | Path, new: str | Path | None = None) -> GraphDiff:
    """Facts added, removed and changed between two graph files or release folders (``new``
    defaults to the current build); ``render(fmt)`` gives text, Markdown or JSON."""
    from .publish.diff import diff_files  # lazy: rdflib costs about 80 ms at start-up

    difference = diff_files(Path(old), _graph_file(new))
    if new is None:
        difference.new_label = "the current build"
    return difference


def release(
    version: str, out: str | Path, previous: str | Path | None = None, graph: str | Path | None = None
) -> ReleaseResult:
    """Write the versioned release folder ``out``: every export format, SSSOM, the dataset
    description, SHA256SUMS and a changelog from the diff against ``previous``."""
    from .publish.release import release as write  # lazy: rdflib costs about 80 ms at start-up

    return write(version, Path(out), Path(previous) if previous else None, Path(graph) if graph else None)


def enrich(out: str | Path, graph: str | Path | None = None) -> Enrichment:
    """Add the HPO annotations to the graph as facts of their own source, validate, write ``out``.

    Nothing is written unless the enriched graph conforms (see ``Enrichment.report``).
    """
    from .analysis.hpo import enrich_file, load_release  # lazy: rdflib and the HPO files cost about 1 s

    return enrich_file(_graph_file(graph), Path(out), load_release())


def load(files: list[str] | list[Path], store: str, progress: TextIO | None = None) -> Path:
    """Add RDF files to the persistent store ``oxigraph:DIR`` (all or none); its folder."""
    from .stores.local import load_files, store_directory  # lazy: keeps `eimfs-kg --help` fast

    folder = store_directory(store)
    load_files(folder, [Path(f) for f in files], progress=progress)
    return folder


def serve(
    graph: str | Path | None = None,
    *,
    store: str | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    timeout_s: float = 10.0,
    max_rows: int = 10_000,
    max_memory_mb: float | None = None,
    workers: int | None = None,
    verbose: bool = False,
) -> WebServer:
    """The web application (read-only SPARQL endpoint, query editor, entity pages, search,
    networks, vocabulary) on ``host:port``; call ``serve_forever()``. A port in use is an InputError.

    Endpoint queries run in ``workers`` processes (default: one per core, two to eight); one that
    passes ``timeout_s`` seconds or adds ``max_memory_mb`` MB (default: 1024) is stopped with its
    process (503)."""
    from .query.budget import DEFAULT_MAX_MEMORY_MB  # lazy: as below
    from .web.server import DEFAULT_WORKERS, make_server  # lazy: Starlette and uvicorn only to serve

    if workers is not None and workers < 1:
        raise InputError(f"--workers must be at least 1, not {workers}")
    engine = open_engine(graph, store=store)
    return make_server(
        engine,
        host,
        port,
        timeout_s=timeout_s,
        max_rows=max_rows,
        max_memory_mb=DEFAULT_MAX_MEMORY_MB if max_memory_mb is None else max_memory_mb,
        workers=workers or DEFAULT_WORKERS,
        verbose=verbose,
    )


def vocab() -> list[Term]:
    """The classes and properties of the project's vocabulary (label, definition, domain, range)."""
    from .publish.vocabulary import vocabulary  # lazy: keeps `eimfs-kg --help` fast

    return vocabulary()


def endpoint(
    url: str,
    *,
    update_url: str | None = None,
    store_url: str | None = None,
    user: str | None = None,
    password_env: str | None = None,
    timeout: float = 60.0,
) -> Endpoint:
    """A remote store: its query URL, the update and Graph Store URLs, and the login."""
    from .stores.remote import Endpoint, password_from_env  # lazy: keeps `eimfs-kg --help` fast

    return Endpoint.from_url(
        url,
        update_url=update_url,
        store_url=store_url,
        user=user,
        password=password_from_env(password_env),
        timeout=timeout,
    )


def push(
    target: Endpoint,
    file: str | Path | None = None,
    graph: str = DEFAULT_GRAPH,
    progress: TextIO | None = None,
) -> tuple[Path, PushReport]:
    """Replace the named graph ``graph`` of a remote store with ``file`` (default: the built graph)."""
    from .stores.remote import push as run  # lazy: keeps `eimfs-kg --help` fast

    path = _graph_file(file)
    return path, run(target, path, graph, progress=progress)


def network_guard(*allowed: str) -> AbstractContextManager[None]:
    """A context in which every network access is refused except to the ``allowed`` URLs."""
    from .rdf.netguard import only  # lazy: keeps `eimfs-kg --help` fast

    return only(*allowed)
