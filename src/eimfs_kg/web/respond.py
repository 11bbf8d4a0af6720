"""The endpoint's answer to one SPARQL query: status, media type and body, ready to send.

A worker process (:mod:`.worker`) computes it, so the rendering happens next to the engine and
only bytes travel back to the server. Results follow the SPARQL 1.1 Protocol: solutions as JSON,
XML, CSV or TSV by ``Accept`` (JSON by default), graphs as Turtle or JSON-LD; a refused or broken
query is 400, an answer over the row cap 413.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pyoxigraph as ox

from ..errors import InputError
from ..query.answer import Answer, TooManyRows
from ..query.library import NamedQuery, query_kind
from ..query.oxigraph import Engine
from ..rdf.bridge import serialized

__all__ = ["Reply", "free_query", "preferred", "sparql_reply"]

_RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
_MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
_RDF_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/ld+json": ox.RdfFormat.JSON_LD}


class Reply(NamedTuple):
    """An HTTP answer: status code, media type (with charset) and body."""

    status: int
    media: str
    body: bytes

    @classmethod
    def error(cls, status: int, message: str) -> Reply:
        """A plain-text error answer."""
        return cls(status, "text/plain; charset=utf-8", (message + "\n").encode())


def preferred(accept: str, offered: Any, default: str) -> str:
    """The first media type of ``Accept`` (by q-value) that is offered, else ``default``."""
    choices = []
    for position, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        try:
            q = next((float(p[2:]) for p in params if p.startswith("q=")), 1.0)
        except ValueError:
            q = 0.0
        choices.append((-q, position, media))
    for _, _, media in sorted(choices):
        if media in offered:
            return media
    return default


def free_query(text: str) -> NamedQuery:
    """A query sent to the endpoint: free SPARQL, whatever ``# param:`` comments it carries."""
    return NamedQuery("query", "query", "", {}, text)


def sparql_reply(engine: Engine, text: str, accept: str, max_rows: int | None) -> Reply:
    """Run the SPARQL ``text`` on ``engine`` and render its answer as ``accept`` asks."""
    if not text.strip():
        return Reply.error(400, "give a SPARQL query as ?query=... or in the request body")
    query = free_query(text)
    try:
        if query_kind(text) in ("construct", "describe"):
            return _graph_reply(engine, engine.answer(query, {}, max_rows=max_rows), accept)
        fmt = _RESULT_TYPES[preferred(accept, _RESULT_TYPES, "application/sparql-results+json")]
        return Reply(200, f"{_MEDIA[fmt]}; charset=utf-8", engine.w3c(query, fmt, max_rows))
    except TooManyRows as exc:
        return Reply.error(413, str(exc))
    except InputError as exc:
        return Reply.error(400, str(exc))


def _graph_reply(engine: Engine, answer: Answer, accept: str) -> Reply:
    media = preferred(accept, _RDF_TYPES, "text/turtle")
    used = {t.value for triple in answer.triples for t in triple if isinstance(t, ox.NamedNode)}
    prefixes = {p: ns for p, ns in engine.prefixes.items() if any(v.startswith(ns) for v in used)}
    data = serialized(ox.serialize(answer.triples, format=_RDF_TYPES[media], prefixes=prefixes))
    return Reply(200, f"{media}; charset=utf-8", data)
