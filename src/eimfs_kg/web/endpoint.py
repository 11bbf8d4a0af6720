"""The SPARQL 1.1 Protocol endpoint, ``/sparql``, as a bare ASGI application: the server's hot path.

It builds no request or response objects: it reads the query from the URL or the body, refuses
updates (403) and bodies over :data:`MAX_BODY` (413, read no further than that), hands the query
to the :class:`~.pool.WorkerPool` and sends the worker's bytes. ``HEAD`` is answered like ``GET``
(the HTTP server drops the body); other methods get 405.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.types import Receive, Scope, Send

from .pool import WorkerPool
from .respond import Reply

__all__ = ["MAX_BODY", "ClientGone", "SparqlEndpoint", "read_body"]

MAX_BODY = 1_000_000
_READ_ONLY = "refused: the endpoint is read-only"


class ClientGone(Exception):
    """The client disconnected before its request was read."""


class SparqlEndpoint:
    """ASGI application answering SPARQL queries through a worker pool."""

    def __init__(self, pool: WorkerPool, max_rows: int) -> None:
        self.pool, self.max_rows = pool, max_rows

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            reply = await self._reply(scope, receive)
        except ClientGone:
            return
        headers = [
            (b"content-type", reply.media.encode()),
            (b"content-length", str(len(reply.body)).encode()),
            (b"x-content-type-options", b"nosniff"),
        ]
        if reply.status == 405:
            headers.append((b"allow", b"GET, HEAD, POST"))
        await send({"type": "http.response.start", "status": reply.status, "headers": headers})
        await send({"type": "http.response.body", "body": reply.body})

    async def _reply(self, scope: Scope, receive: Receive) -> Reply:
        headers = dict(scope["headers"])
        accept = headers.get(b"accept", b"").decode("latin-1")
        method = scope["method"]
        if method in ("GET", "HEAD"):
            params = parse_qs(scope["query_string"].decode("latin-1"))
            if "update" in params:
                return Reply.error(403, _READ_ONLY)
            return await self._ask(params, accept)
        if method != "POST":
            return Reply.error(405, f"{method} is not a SPARQL protocol method; use GET or POST")
        declared = headers.get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > MAX_BODY:
            return Reply.error(413, f"request body over {MAX_BODY} bytes")
        body = await read_body(receive)
        if body is None:
            return Reply.error(413, f"request body over {MAX_BODY} bytes")
        text = body.decode("utf-8", errors="replace")
        media = headers.get(b"content-type", b"").decode("latin-1").split(";")[0].strip()
        if media == "application/sparql-update":
            return Reply.error(403, _READ_ONLY)
        if media == "application/sparql-query":
            return await self.pool.ask(text, accept, self.max_rows)
        params = parse_qs(text)
        if "update" in params:
            return Reply.error(403, _READ_ONLY)
        return await self._ask(params, accept)

    async def _ask(self, params: dict[str, list[str]], accept: str) -> Reply:
        return await self.pool.ask(params.get("query", [""])[0], accept, self.max_rows)


async def read_body(receive: Receive) -> bytes | None:
    """The request body, or None once it passes :data:`MAX_BODY` (the rest is never read)."""
    parts, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None
        parts.append(chunk)
        if not message.get("more_body", False):
            return b"".join(parts)
