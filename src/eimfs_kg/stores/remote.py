"""Work with a triplestore you already run: push the graph safely, run library queries on it.

Any store that speaks the SPARQL 1.1 Protocol, Update and Graph Store Protocol will do;
Oxigraph server and Virtuoso are tested. A push never writes straight into the live graph,
because some stores (Virtuoso) empty a graph when a Graph Store PUT fails half-way:

1. the file is parsed strictly here, so nothing invalid is ever sent;
2. it is uploaded (one PUT, as N-Triples) into a fresh staging graph;
3. the staging graph must hold exactly the triples parsed;
4. one ``MOVE`` replaces the live graph with the staging graph;
5. the live graph must now hold exactly those triples.

If any step fails the live graph is left as it was and the staging graph is dropped.
Parameters of remote queries are bound by an inline ``VALUES`` block of terms written by
pyoxigraph, never by pasting user text into the query.
"""

from __future__ import annotations

import base64
import contextlib
import os
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox

from ..errors import InputError
from ..identifiers import prefix_map
from ..query.answer import Answer
from ..query.contract import PreparedEngine, Term
from ..query.library import NamedQuery, query_kind, with_values
from ..query.prelude import query_prefixes, with_prefix_lines
from ..rdf.bridge import serialized
from ..rdf.strict import parse_strictly
from ..vocab import GRAPH_IRI

__all__ = [
    "DEFAULT_GRAPH",
    "Endpoint",
    "PushReport",
    "RemoteEngine",
    "RemoteError",
    "RemoteTimeout",
    "password_from_env",
    "push",
]

#: The named graph a push fills and remote queries read unless told otherwise.
DEFAULT_GRAPH = GRAPH_IRI


class RemoteError(InputError):
    """The store could not be reached, refused the request or answered something unexpected."""


class RemoteTimeout(RemoteError):
    """The store did not answer in time; it may still be working on the request."""


@dataclass(frozen=True)
class Endpoint:
    """Where a store answers queries, updates and Graph Store requests, and how to log in.

    Known layouts are filled in from the query URL: ``.../query`` (Oxigraph: ``update``
    and ``store`` beside it) and ``.../sparql`` (Virtuoso: ``sparql-auth`` and
    ``sparql-graph-crud-auth`` when a user is given). Other stores name both URLs.
    """

    query_url: str
    update_url: str | None = None
    store_url: str | None = None
    graph_param: str = "graph"
    user: str | None = None
    password: str | None = None
    timeout: float = 60.0

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        update_url: str | None = None,
        store_url: str | None = None,
        user: str | None = None,
        password: str | None = None,
        timeout: float = 60.0,
    ) -> Endpoint:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise RemoteError(f"--endpoint takes an http(s) URL, not {url!r}")
        base, _, last = url.rstrip("/").rpartition("/")
        graph_param = "graph"
        if last == "query":
            update_url = update_url or f"{base}/update"
            store_url = store_url or f"{base}/store"
        elif last == "sparql":  # Virtuoso: writes go to the authenticated variants
            suffix = "-auth" if user else ""
            update_url = update_url or f"{base}/sparql{suffix}"
            store_url = store_url or f"{base}/sparql-graph-crud{suffix}"
            graph_param = "graph-uri"
        if (user is None) != (password is None):
            raise RemoteError("give both --user and --password-env, or neither")
        return cls(url, update_url, store_url, graph_param, user, password, timeout)

    def _passwords(self) -> urllib.request.HTTPPasswordMgrWithDefaultRealm:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        for url in (self.query_url, self.update_url, self.store_url):
            if url:
                passwords.add_password(None, url, self.user or "", self.password or "")
        return passwords

    def _opener(self) -> urllib.request.OpenerDirector:
        if self.user is None:
            return urllib.request.build_opener()
        passwords = self._passwords()
        return urllib.request.build_opener(
            urllib.request.HTTPDigestAuthHandler(passwords), urllib.request.HTTPBasicAuthHandler(passwords)
        )

    def _authorize(self, request: urllib.request.Request) -> None:
        """Sign an upload before sending it.

        A store that answers an unsigned upload with 401 may close the connection before
        reading the body (Virtuoso does, for anything over a few hundred kilobytes), so the
        challenge is fetched first with empty HEAD requests and the upload goes out signed.
        """
        try:  # a wrong password is told apart here, before the body goes out
            self._opener().open(urllib.request.Request(request.full_url, method="HEAD"), timeout=self.timeout)
        except urllib.error.HTTPError as exc:
            if exc.code == 401:
                raise
        probe = urllib.request.Request(request.full_url, method="HEAD")
        try:
            urllib.request.urlopen(probe, timeout=self.timeout).close()
            return
        except urllib.error.HTTPError as exc:
            scheme, _, challenge = exc.headers.get("WWW-Authenticate", "").partition(" ")
        if scheme.lower() == "digest":
            handler = urllib.request.HTTPDigestAuthHandler(self._passwords())
            fields = urllib.request.parse_keqv_list(
                list(filter(None, urllib.request.parse_http_list(challenge)))
            )
            value = handler.get_authorization(request, fields)
            if value:
                request.add_unredirected_header("Authorization", f"Digest {value}")
        elif scheme.lower() == "basic":
            token = base64.b64encode(f"{self.user}:{self.password or ''}".encode()).decode()
            request.add_unredirected_header("Authorization", f"Basic {token}")

    def request(
        self,
        url: str,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
        method: str | None = None,
    ) -> tuple[str, bytes]:
        """Send one request; return the answer's content type and body, or raise a clear error."""
        request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
        try:
            if data and self.user is not None:
                self._authorize(request)
            with self._opener().open(request, timeout=self.timeout) as response:
                return response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as exc:
            body = " ".join(re.sub(r"<[^>]*>", " ", exc.read().decode("utf-8", "replace")).split())[:300]
            if exc.code == 401:
                raise RemoteError(
                    f"{url} refused the credentials (HTTP 401): check --user and the password"
                ) from None
            raise RemoteError(f"{url} answered HTTP {exc.code}: {body or exc.reason}") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise RemoteTimeout(f"{url} did not answer within {self.timeout:g} s") from None
            raise RemoteError(f"cannot reach {url}: {reason}; is the store running?") from None
        except TimeoutError:
            raise RemoteTimeout(f"{url} did not answer within {self.timeout:g} s") from None
        except (ConnectionError, OSError) as exc:
            raise RemoteError(f"connection to {url} failed: {exc}") from None

    def select(self, text: str, default_graph: str | None = None) -> tuple[str, bytes]:
        """POST a query (SPARQL 1.1 Protocol) and return the raw answer."""
        form = [("query", text)]
        if default_graph:
            form.append(("default-graph-uri", default_graph))
        kind = query_kind(text)
        accept = (
            "application/sparql-results+json"
            if kind in ("select", "ask")
            else "application/n-triples, text/turtle;q=0.9"
        )
        return self.request(
            self.query_url,
            urllib.parse.urlencode(form).encode(),
            {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )

    def update(self, text: str) -> None:
        """POST one SPARQL Update operation."""
        url = self._require(self.update_url, "--update-endpoint")
        self.request(
            url,
            urllib.parse.urlencode([("update", text)]).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )

    def put_graph(self, graph: str, ntriples: bytes) -> None:
        """Replace ``graph`` with ``ntriples`` through the Graph Store Protocol."""
        url = self._require(self.store_url, "--store-endpoint")
        sep = "&" if "?" in url else "?"
        target = f"{url}{sep}{urllib.parse.urlencode({self.graph_param: graph})}"
        self.request(target, ntriples, {"Content-Type": "application/n-triples"}, method="PUT")

    def count(self, graph: str) -> int:
        """The number of triples in ``graph``."""
        text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }} }}"
        _, body = self.select(text)
        try:
            solutions = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            if not isinstance(solutions, ox.QuerySolutions):
                raise TypeError("not a SELECT answer")
            return int(next(iter(solutions))["n"].value)
        except (SyntaxError, StopIteration, ValueError, TypeError) as exc:
            raise RemoteError(f"{self.query_url}: unexpected answer to a count ({exc})") from None

    @staticmethod
    def _require(url: str | None, option: str) -> str:
        if not url:
            raise RemoteError(f"this endpoint URL has no known layout: give {option} URL")
        return url


@dataclass(frozen=True)
class PushReport:
    """What a push did: the graph filled, the triples sent, the count before it."""

    graph: str
    triples: int
    before: int


def push(
    endpoint: Endpoint, path: Path, graph: str = DEFAULT_GRAPH, progress: TextIO | None = None
) -> PushReport:
    """Replace ``graph`` on the store with the triples of ``path``, or leave it untouched."""
    try:
        target = ox.NamedNode(graph)
    except ValueError as exc:
        raise InputError(f"--graph {graph!r} is not an IRI: {exc}") from None
    triples = parse_strictly(path, "nothing sent")
    payload = serialized(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
    staging = f"urn:eimfs-kg:staging:{uuid.uuid4()}"

    def say(text: str) -> None:
        if progress:
            progress.write(text + "\n")

    before = endpoint.count(graph)
    say(f"{graph}: {before:,} triples now; uploading {len(triples):,} triples to {staging}")
    try:
        endpoint.put_graph(staging, payload)
        staged = endpoint.count(staging)
        if staged != len(triples):
            raise RemoteError(f"the staging graph holds {staged:,} triples, {len(triples):,} were sent")
        endpoint.update(f"MOVE GRAPH {ox.NamedNode(staging)} TO GRAPH {target}")
    except RemoteError as exc:
        _drop_quietly(endpoint, staging)
        late = (
            f"; the store may still be writing {staging}: drop it later with DROP SILENT GRAPH <{staging}>"
            if isinstance(exc, RemoteTimeout)
            else ""
        )
        raise RemoteError(f"push failed, {graph} left as it was: {exc}{late}") from None
    after = endpoint.count(graph)
    if after != len(triples):
        raise RemoteError(f"after the MOVE {graph} holds {after:,} triples, {len(triples):,} were sent")
    say(f"{graph}: {after:,} triples")
    return PushReport(graph, after, before)


def _drop_quietly(endpoint: Endpoint, staging: str) -> None:
    """Remove a staging graph after a failure; a second failure must not hide the first."""
    with contextlib.suppress(RemoteError):
        endpoint.update(f"DROP SILENT GRAPH {ox.NamedNode(staging)}")


class RemoteEngine(PreparedEngine):
    """Library queries answered by a remote store, with the same rows as the local engine.

    Parameters are bound by a ``VALUES`` block of terms written by pyoxigraph, placed first in
    the query's WHERE group, so a value cannot escape into the query text.
    """

    def __init__(self, endpoint: Endpoint, graph: str | None = DEFAULT_GRAPH) -> None:
        self.endpoint, self.graph, self.prefixes = endpoint, graph, prefix_map()

    def term(self, value: str) -> str:
        """A parameter value written as a SPARQL term (an IRI or an escaped literal)."""
        return str(self.bind(value))

    def run(self, query: NamedQuery, kind: str, bound: dict[str, Term], max_rows: int | None) -> Answer:
        text = with_values(query.text, {name: str(term) for name, term in bound.items()})
        text = with_prefix_lines(text, query_prefixes(self.prefixes))
        content_type, body = self.endpoint.select(text, self.graph)
        try:
            if kind in ("construct", "describe"):
                fmt = ox.RdfFormat.N_TRIPLES if "n-triples" in content_type else ox.RdfFormat.TURTLE
                return Answer.of_triples(
                    kind, ox.parse(body, format=fmt), self.prefixes, max_rows, query.name
                )
            results = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        except SyntaxError as exc:
            raise RemoteError(f"{self.endpoint.query_url}: unreadable answer ({exc})") from None
        return Answer.of_solutions(results, self.prefixes, max_rows, query.name)

    def triples(
        self,
        subject: ox.NamedNode | ox.BlankNode | ox.Triple | None = None,
        predicate: ox.NamedNode | None = None,
        object: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None = None,
    ) -> list[ox.Triple]:
        """The matching triples, fetched with a CONSTRUCT query (terms written by pyoxigraph)."""
        pattern = " ".join(
            str(t) if t is not None else f"?{v}"
            for t, v in zip((subject, predicate, object), "spo", strict=True)
        )
        query = NamedQuery.from_text("triples", f"CONSTRUCT {{ {pattern} }} WHERE {{ {pattern} }}")
        return self.answer(query).triples


def password_from_env(variable: str | None) -> str | None:
    """The password held in the environment variable the user named (never on the command line)."""
    if variable is None:
        return None
    if variable not in os.environ:
        raise InputError(f"--password-env {variable}: that environment variable is not set")
    return os.environ[variable]
