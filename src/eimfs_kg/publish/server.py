"""A read-only SPARQL 1.1 Protocol endpoint over the graph, with a query page and entity pages.

``eimfs-kg serve`` answers ``GET``/``POST /sparql`` in the W3C result formats chosen by the
``Accept`` header (JSON, XML, CSV, TSV; CONSTRUCT/DESCRIBE in Turtle or JSON-LD), serves a
self-contained query page at ``/`` (no CDN) and a page per entity at ``/entity/CURIE``
(HTML, Turtle or JSON-LD by ``Accept``). It refuses updates and queries that would fetch
(SERVICE, LOAD, FROM), stops a query after a time limit or a row cap with a clear error
while it keeps answering others, binds to 127.0.0.1 unless told otherwise and sends no
CORS header.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, unquote, urlparse

import pyoxigraph as ox

from ..errors import InputError
from ..identifiers import contract
from ..query.answer import TooManyRows
from ..query.contract import QueryEngine
from ..query.library import NamedQuery, list_queries
from ..query.limits import QueryTimeout, answer_within
from ..rdf.bridge import serialized
from ..vocab import EKG_IRI, RDF_IRI, RDFS_IRI

__all__ = ["make_server"]

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


def _preferred(accept: str, offered: Mapping[str, object], default: str) -> str:
    """The first media type of ``Accept`` (by q-value) that is offered, else ``default``."""
    choices = []
    for position, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = next((float(p[2:]) for p in params if p.startswith("q=")), 1.0)
        choices.append((-q, position, media))
    for _, _, media in sorted(choices):
        if media in offered:
            return media
    return default


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args) -> None:  # quiet by default
        if self.server.verbose:
            super().log_message(format, *args)

    def _send(self, status: int, body: str | bytes, media: str) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", f"{media}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, message: str) -> None:
        self._send(status, message + "\n", "text/plain")

    def do_GET(self) -> None:
        url = urlparse(self.path)
        if url.path == "/sparql":
            params = parse_qs(url.query)
            if "update" in params:
                return self._error(403, "refused: the endpoint is read-only")
            return self._query(params.get("query", [""])[0])
        if url.path == "/":
            return self._send(200, self.server.page, "text/html")
        if url.path.startswith("/entity/"):
            return self._entity(unquote(url.path[len("/entity/") :]))
        return self._error(404, f"not found: {url.path}; see / for the query page")

    def do_POST(self) -> None:
        url = urlparse(self.path)
        if url.path != "/sparql":
            return self._error(404, f"not found: {url.path}")
        length = int(self.headers.get("Content-Length") or 0)
        if length > self.server.max_body:
            return self._error(413, f"request body over {self.server.max_body} bytes")
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        if media == "application/sparql-update":
            return self._error(403, "refused: the endpoint is read-only")
        if media == "application/sparql-query":
            return self._query(body)
        params = parse_qs(body)
        if "update" in params:
            return self._error(403, "refused: the endpoint is read-only")
        return self._query(params.get("query", [""])[0])

    def _query(self, text: str) -> None:
        if not text.strip():
            return self._error(400, "give a SPARQL query as ?query=... or in the request body")
        query = NamedQuery.from_text("query", text)
        try:
            answer = answer_within(self.server.engine, query, {}, self.server.timeout_s, self.server.max_rows)
        except TooManyRows as exc:
            return self._error(413, str(exc))
        except InputError as exc:
            return self._error(400, str(exc))
        except QueryTimeout:
            return self._error(
                503, f"the query ran over the {self.server.timeout_s:g} s limit and was abandoned"
            )
        accept = self.headers.get("Accept") or ""
        if answer.kind in ("construct", "describe"):
            media = _preferred(accept, _RDF_TYPES, "text/turtle")
            data = serialized(
                ox.serialize(answer.triples, format=_RDF_TYPES[media], prefixes=self.server.prefixes)
            )
            return self._send(200, data, media)
        fmt = _RESULT_TYPES[_preferred(accept, _RESULT_TYPES, "application/sparql-results+json")]
        return self._send(200, answer.render(fmt), _MEDIA[fmt])

    def _entity(self, curie: str) -> None:
        iri = self.server.expand(curie)
        if iri is None:
            return self._error(404, f"unknown entity {curie!r}; use a CURIE such as NCBIGene:57582")
        node = ox.NamedNode(iri)
        out = list(self.server.engine.triples(node, None, None))
        incoming = list(self.server.engine.triples(None, None, node))
        if not out and not incoming:
            return self._error(404, f"no facts about {curie} in the graph")
        media = _preferred(self.headers.get("Accept") or "", {**_RDF_TYPES, "text/html": 1}, "text/html")
        if media in _RDF_TYPES:
            data = serialized(ox.serialize(out, format=_RDF_TYPES[media], prefixes=self.server.prefixes))
            return self._send(200, data, media)
        return self._send(200, self.server.entity_page(curie, node, out, incoming), "text/html")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    engine: QueryEngine
    timeout_s: float
    max_rows: int
    verbose: bool
    max_body: int
    prefixes: dict[str, str]
    expand: Callable[[str], str | None]
    entity_page: Callable[[str, ox.NamedNode, list[ox.Triple], list[ox.Triple]], str]
    page: str


def _script_json(data: object) -> str:
    """JSON safe inside a <script> element: no character there can close it or start markup."""
    text = json.dumps(data, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _link(term, prefixes: dict[str, str]) -> str:
    if isinstance(term, ox.NamedNode):
        curie = contract(term.value, prefixes)
        if curie != term.value:
            return f'<a href="/entity/{quote(curie)}">{html.escape(curie)}</a>'
        return html.escape(term.value)
    return html.escape(str(term.value))


def make_server(
    engine: QueryEngine,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    timeout_s: float = 10.0,
    max_rows: int = 10_000,
    verbose: bool = False,
) -> ThreadingHTTPServer:
    """A server for ``engine``; call ``serve_forever()`` (``server_address`` holds the port)."""
    server = _Server((host, port), _Handler)
    server.engine, server.timeout_s, server.max_rows, server.verbose = engine, timeout_s, max_rows, verbose
    server.max_body = 1_000_000
    prefixes = engine.prefixes
    label = ox.NamedNode(RDFS_IRI + "label")

    def expand(name: str) -> str | None:
        """An entity named by CURIE, or by its full IRI (as links in query results are)."""
        if name.startswith(("http://", "https://")):
            return name
        prefix, sep, local = name.partition(":")
        return prefixes[prefix] + local if sep and prefix in prefixes and local else None

    def name_of(node: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
        if isinstance(node, ox.Triple | ox.Literal):
            return str(node) if isinstance(node, ox.Triple) else node.value
        labels = [t.object for t in engine.triples(node, label, None)]
        if labels and not isinstance(labels[0], ox.Triple):
            return labels[0].value
        return contract(node.value, prefixes)

    subject_of, predicate_of, object_of = (
        ox.NamedNode(RDF_IRI + n) for n in ("subject", "predicate", "object")
    )
    source_of = ox.NamedNode(EKG_IRI + "source")

    def provenance(triple: ox.Triple) -> str:
        """Labels of the sources of the statements about ``triple``."""
        sources: set[str] = set()
        for statement in engine.triples(None, subject_of, triple.subject):
            st = statement.subject
            if any(engine.triples(st, predicate_of, triple.predicate)) and any(
                engine.triples(st, object_of, triple.object)
            ):
                sources.update(name_of(t.object) for t in engine.triples(st, source_of, None))
        return html.escape("; ".join(sorted(sources)))

    def entity_page(curie: str, node, out, incoming) -> str:
        rows = "".join(
            f"<tr><td>{_link(q.predicate, prefixes)}</td><td>{_link(q.object, prefixes)}</td>"
            f"<td>{provenance(q)}</td></tr>"
            for q in sorted(out, key=lambda q: (q.predicate.value, str(q.object)))
        )
        back = "".join(
            f"<tr><td>{_link(q.subject, prefixes)}</td><td>{_link(q.predicate, prefixes)}</td></tr>"
            for q in sorted(incoming, key=lambda q: (q.predicate.value, q.subject.value))[:500]
        )
        return _PAGE.format(
            title=html.escape(f"{name_of(node)} ({curie})"),
            body=(
                "<p><a href='/'>query page</a></p><h2>Facts</h2>"
                f"<table><tr><th>property</th><th>value</th><th>source</th></tr>{rows}</table>"
                "<h2>Pointing here</h2>"
                f"<table><tr><th>subject</th><th>property</th></tr>{back}</table>"
            ),
        )

    examples = {q.name: q.text for q in list_queries() if not q.params}
    server.expand, server.entity_page, server.prefixes = expand, entity_page, prefixes
    server.page = _PAGE.format(
        title="eimfs-kg SPARQL",
        body=_QUERY_BODY.replace("__EXAMPLES__", _script_json(examples)),
    )
    return server


_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:80em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}}
textarea{{width:100%;height:14em;font-family:monospace}}</style></head>
<body><h1>{title}</h1>{body}</body></html>"""

_QUERY_BODY = """<p>Example: <select id="examples"><option value="">choose a library query</option></select></p>
<textarea id="query">SELECT * WHERE { ?s ?p ?o } LIMIT 10</textarea>
<p><button id="run">Run</button> <span id="status"></span></p><table id="results"></table>
<script id="data" type="application/json">__EXAMPLES__</script>
<script>
const examples = JSON.parse(document.getElementById("data").textContent);
const select = document.getElementById("examples");
for (const name of Object.keys(examples)) {
  const option = document.createElement("option"); option.value = name; option.textContent = name;
  select.appendChild(option);
}
select.onchange = () => { if (select.value) document.getElementById("query").value = examples[select.value]; };
function cell(term) {
  const td = document.createElement("td");
  if (!term) return td;
  if (term.type === "uri") {
    const a = document.createElement("a"); a.href = "/entity/" + encodeURIComponent(term.value); a.textContent = term.value;
    td.appendChild(a);
  } else { td.textContent = term.value; }
  return td;
}
document.getElementById("run").onclick = async () => {
  const status = document.getElementById("status"), table = document.getElementById("results");
  status.textContent = "running"; table.innerHTML = "";
  const response = await fetch("/sparql", {method: "POST",
    headers: {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    body: document.getElementById("query").value});
  if (!response.ok) { status.textContent = await response.text(); return; }
  const data = await response.json();
  if ("boolean" in data) { status.textContent = String(data.boolean); return; }
  const head = document.createElement("tr");
  for (const v of data.head.vars) { const th = document.createElement("th"); th.textContent = v; head.appendChild(th); }
  table.appendChild(head);
  for (const b of data.results.bindings) {
    const tr = document.createElement("tr");
    for (const v of data.head.vars) tr.appendChild(cell(b[v]));
    table.appendChild(tr);
  }
  status.textContent = data.results.bindings.length + " rows";
};
</script>"""
