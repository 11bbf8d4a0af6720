"""The Starlette application: SPARQL endpoint, query editor, entity pages, search, networks, vocabulary.

Pages read the graph through one :class:`~eimfs_kg.query.contract.QueryEngine` and the
:class:`~.model.GraphView` built from it at start; SPARQL sent to the endpoint runs in a
:class:`~.pool.WorkerPool` of processes over the same graph. The endpoint keeps the SPARQL 1.1
Protocol (``GET``/``POST /sparql``; results by ``Accept``), refuses updates (403) and queries that
would fetch (SERVICE, LOAD, FROM: 400), stops a query past its time or memory limit (503, the
worker replaced) and refuses an answer over the row cap (413). Pages link to identifiers' own
sites but the server never fetches anything; no CORS header is sent.
"""

from __future__ import annotations

import json
import os
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from ..errors import InputError
from ..publish.vocabulary import vocabulary
from ..query.budget import DEFAULT_MAX_MEMORY_MB
from ..query.contract import QueryEngine, parameter_term
from ..query.library import get_query, list_queries, with_values
from ..query.prelude import query_prefixes
from ..query.values import ParameterValues
from ..rdf.bridge import serialized
from .endpoint import MAX_BODY, ClientGone, SparqlEndpoint, read_body
from .model import GraphView
from .pool import WorkerPool, source_of
from .respond import preferred

__all__ = ["DEFAULT_WORKERS", "WebApp", "make_app"]

#: Worker processes for endpoint queries: one per core, at least two (one may be busy with a
#: runaway query) and at most eight (each holds the graph or a store's caches).
DEFAULT_WORKERS = min(8, max(2, os.cpu_count() or 1))

_RDF_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/ld+json": ox.RdfFormat.JSON_LD}
_FORMATS = {"turtle": "text/turtle", "jsonld": "application/ld+json"}
_HEADERS = {"X-Content-Type-Options": "nosniff"}


def package_folder(name: str) -> Path:
    """A folder of the web package (``templates`` or ``static``), from an installed wheel too."""
    return Path(str(files(__package__ or "eimfs_kg.web").joinpath(name)))


def _script_json(data: object) -> str:
    """JSON safe inside a <script> element: no character there can close it or start markup."""
    text = json.dumps(data, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _error(status: int, message: str) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status, headers=_HEADERS)


def make_app(
    engine: QueryEngine,
    *,
    timeout_s: float = 10.0,
    max_rows: int = 10_000,
    max_memory_mb: float = DEFAULT_MAX_MEMORY_MB,
    workers: int = DEFAULT_WORKERS,
) -> WebApp:
    """The web application over ``engine``; endpoint queries run in ``workers`` processes."""
    pool = WorkerPool(source_of(engine), workers, timeout_s, max_memory_mb)
    view = GraphView(engine)
    values = ParameterValues.of(engine)
    library = list_queries()
    known_prefixes = query_prefixes(engine.prefixes)
    templates = Environment(
        loader=FileSystemLoader(package_folder("templates")),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    templates.filters["script_json"] = _script_json
    templates.filters["urlquote"] = lambda text: quote(str(text), safe=":")
    vocab_terms = vocabulary()

    def page(template: str, status: int = 200, **context: Any) -> HTMLResponse:
        text = templates.get_template(template).render(**context)
        return HTMLResponse(text, status_code=status, headers=_HEADERS)

    def examples() -> list[dict[str, Any]]:
        return [
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "text": q.text,
                "params": [
                    {"name": p, "help": what, "choices": values.choices(p)} for p, what in q.params.items()
                ],
            }
            for q in library
        ]

    prefix_lines = "".join(
        f"PREFIX {p}: <{known_prefixes[p]}>\n"
        for p in ("ekg", "ekgid", "rdf", "rdfs", "skos", "dcterms", "NCBIGene", "MONDO", "HP")
    )
    start_query = (
        prefix_lines
        + "\nSELECT ?gene ?symbol WHERE {\n  ?gene a ekg:Gene ; ekg:symbol ?symbol .\n}\nORDER BY ?symbol\n"
    )

    async def home(request: Request) -> Response:
        return page(
            "query.html",
            title="Query the EIMFS knowledge graph",
            examples=examples(),
            prefixes=dict(sorted(known_prefixes.items(), key=lambda kv: kv[0].lower())),
            start_query=start_query,
        )

    async def bind(request: Request) -> Response:
        """A library query with its parameters bound (a VALUES block), or the reason it cannot be."""
        name = request.query_params.get("query", "")
        try:
            query = get_query(name)
            params = {k: v for k, v in request.query_params.items() if k != "query"}
            query.check_params(params)
            params = values.check(query, params)
            terms = {p: str(parameter_term(v, engine.prefixes)) for p, v in params.items()}
        except InputError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400, headers=_HEADERS)
        return JSONResponse({"query": with_values(query.text, terms), "params": params}, headers=_HEADERS)

    async def labels(request: Request) -> Response:
        """Names of IRIs (for the result tables): ``{IRI: {name, curie, href}}``."""
        try:
            body = await read_body(request.receive)
        except ClientGone:
            return Response(status_code=499)  # nobody is there to read it
        if body is None:
            return _error(413, f"request body over {MAX_BODY} bytes")
        try:
            iris = json.loads(body or b"[]")
        except ValueError:
            return _error(400, "give a JSON list of IRIs")
        out = {}
        for iri in iris[:5000] if isinstance(iris, list) else []:
            if isinstance(iri, str):
                v = view.value(ox.NamedNode(iri)) if _valid_iri(iri) else None
                if v is not None:
                    out[iri] = {"name": v.text, "curie": v.curie, "href": v.href}
        return JSONResponse(out, headers=_HEADERS)

    def resolve(name: str) -> str | None:
        """The IRI of an entity named by CURIE, full IRI, or a name the search finds once."""
        if name.startswith(("http://", "https://")):
            return name if name in view.out or name in view.incoming else None
        prefix, sep, local = name.partition(":")
        if sep and prefix in known_prefixes and local:
            iri = known_prefixes[prefix] + local
            return iri if iri in view.out or iri in view.incoming else None
        return None

    async def entity(request: Request) -> Response:
        name = request.path_params["name"]
        iri = resolve(name)
        if iri is None:
            found = view.search(name)
            if len(found) == 1 or (found and _norm_eq(view, found, name)):
                return RedirectResponse(f"/entity/{quote(view.curie(found[0]), safe=':')}", status_code=303)
            return page(
                "search.html",
                status=404,
                title=f"No entity {name}",
                query=name,
                results=[view.value(ox.NamedNode(i)) for i in found[:30]],
                message=f"unknown entity {name!r}: no CURIE, identifier or name of the graph matches",
            )
        accept = request.headers.get("accept", "")
        media = preferred(accept, {**_RDF_TYPES, "text/html": 1}, "text/html")
        media = _FORMATS.get(request.query_params.get("format", ""), media)  # a link can ask too
        node = ox.NamedNode(iri)
        if media in _RDF_TYPES:
            triples = list(engine.triples(node, None, None))
            data = serialized(ox.serialize(triples, format=_RDF_TYPES[media], prefixes=engine.prefixes))
            return Response(data, media_type=f"{media}; charset=utf-8", headers=_HEADERS)
        curie = view.curie(iri)
        return page(
            "entity.html",
            title=f"{view.name(iri)} ({curie})",
            entity=view.value(node),
            kinds=[view.value(ox.NamedNode(k)) for k in sorted(view.types.get(iri, set()))],
            groups=view.groups(iri),
            incoming=view.incoming_facts(iri),
            disagreements=view.disagreements(iri),
            instances=view.instances(iri),
            network=view.neighbourhood(iri),
        )

    async def search(request: Request) -> Response:
        text = request.query_params.get("q", "").strip()
        found = view.search(text) if text else []
        if len(found) == 1:
            return RedirectResponse(f"/entity/{quote(view.curie(found[0]), safe=':')}", status_code=303)
        exact = _exact(view, found, text)
        if exact is not None:
            return RedirectResponse(f"/entity/{quote(view.curie(exact), safe=':')}", status_code=303)
        return page(
            "search.html",
            title=f"Search: {text}" if text else "Search",
            query=text,
            results=[view.value(ox.NamedNode(i)) for i in found[:30]],
            kinds={
                view.curie(i): [view.name(k) for k in sorted(view.types.get(i, set()))] for i in found[:30]
            },
            message="" if found or not text else f"nothing in the graph is called {text!r}",
        )

    async def network(request: Request) -> Response:
        return page("network.html", title="Genes and their mechanisms", network=view.gene_mechanism())

    async def vocab(request: Request) -> Response:
        return page("vocab.html", title="Vocabulary: classes and properties", terms=vocab_terms)

    async def not_found(request: Request, exc: Exception) -> Response:
        return _error(404, f"not found: {request.url.path}; see / for the query page")

    routes = [
        Route("/", home),
        Route("/api/bind", bind),
        Route("/api/labels", labels, methods=["POST"]),
        Route("/entity/{name:path}", entity),
        Route("/search", search),
        Route("/network", network),
        Route("/vocab", vocab),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Mount("/static", StaticFiles(directory=package_folder("static")), name="static"),
    ]
    app = WebApp(SparqlEndpoint(pool, max_rows), routes=routes, exception_handlers={404: not_found})
    app.state.view, app.state.pool = view, pool
    return app


class WebApp(Starlette):
    """The pages, with ``/sparql`` answered before Starlette's middleware and routing: the hot path."""

    def __init__(self, sparql: SparqlEndpoint, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sparql = sparql

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/sparql":
            await self.sparql(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)


def _valid_iri(text: str) -> bool:
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


def _norm_eq(view: GraphView, found: list[str], name: str) -> bool:
    return _exact(view, found, name) is not None


def _exact(view: GraphView, found: list[str], text: str) -> str | None:
    """Among several hits, the one gene or disease whose symbol or label is ``text`` (any case)."""
    wanted = text.strip().casefold()
    best = [i for i in found if view.name(i).casefold() == wanted]
    return best[0] if len(best) == 1 else None
