"""Serve the web application with uvicorn on a socket bound before it starts.

Binding first makes a port in use a one-line error (:class:`~eimfs_kg.errors.InputError`, exit 2)
and lets ``--port 0`` report the port it got. :class:`WebServer` has the methods of the standard
library's servers (``server_address``, ``serve_forever``, ``shutdown``, ``server_close``), so the
command line and tests run it the same way. It starts the query workers before it takes the first
request and stops them when it ends; it runs on uvloop where installed.

A client gets :data:`HEADER_TIMEOUT_S` seconds to send a request's headers (from the connection or
its first byte) and :data:`BODY_TIMEOUT_S` for the body, then a 408 and a closed connection; a
client that stops reading an answer is dropped after :data:`WRITE_TIMEOUT_S`; an idle keep-alive
connection is closed after :data:`KEEP_ALIVE_S`. So slow or silent clients cannot hold the
server's connections.
"""

from __future__ import annotations

import asyncio
import errno
import socket
import threading
from asyncio import TimerHandle, Transport

import uvicorn
from starlette.applications import Starlette
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from ..errors import InputError
from ..query.budget import DEFAULT_MAX_MEMORY_MB
from ..query.contract import QueryEngine
from .app import DEFAULT_WORKERS, make_app

__all__ = [
    "BODY_TIMEOUT_S",
    "DEFAULT_WORKERS",
    "HEADER_TIMEOUT_S",
    "KEEP_ALIVE_S",
    "WRITE_TIMEOUT_S",
    "WebServer",
    "make_server",
]

HEADER_TIMEOUT_S = 10.0
BODY_TIMEOUT_S = 30.0
WRITE_TIMEOUT_S = 30.0
KEEP_ALIVE_S = 5.0
_TIMEOUT_ANSWER = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"content-length: 33\r\nconnection: close\r\n\r\nthe request took too long to send\n"
)


class DeadlineProtocol(HttpToolsProtocol):
    """uvicorn's HTTP protocol with deadlines for receiving a request's headers and its body."""

    header_timeout_s, body_timeout_s, write_timeout_s = HEADER_TIMEOUT_S, BODY_TIMEOUT_S, WRITE_TIMEOUT_S
    _deadline: TimerHandle | None = None
    _stalled: TimerHandle | None = None

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, self._expire)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expire(self) -> None:
        self._deadline = None
        if self.transport.is_closing() or (self.cycle is not None and self.cycle.response_started):
            return
        self.transport.write(_TIMEOUT_ANSWER)
        self.transport.close()

    def connection_made(self, transport: Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(self.header_timeout_s)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm(self.header_timeout_s)

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        self._arm(self.body_timeout_s)

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._disarm()

    def pause_writing(self) -> None:
        """The client stopped reading: drop the connection unless it reads again in time."""
        super().pause_writing()
        if self._stalled is None:
            self._stalled = self.loop.call_later(self.write_timeout_s, self.transport.abort)

    def resume_writing(self) -> None:
        super().resume_writing()
        if self._stalled is not None:
            self._stalled.cancel()
            self._stalled = None

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        if self._stalled is not None:
            self._stalled.cancel()
        super().connection_lost(exc)


class WebServer:
    """A uvicorn server on an already bound socket."""

    def __init__(
        self,
        app: Starlette,
        sock: socket.socket,
        verbose: bool = False,
        deadlines: dict[str, float] | None = None,
    ) -> None:
        self.app, self.socket = app, sock
        self.server_address: tuple[str, int] = sock.getsockname()[:2]
        self._config = uvicorn.Config(
            app,
            http=type("DeadlineProtocol", (DeadlineProtocol,), deadlines or {}),
            log_level="info" if verbose else "warning",
            access_log=verbose,
            lifespan="off",
            server_header=False,
            timeout_keep_alive=int(KEEP_ALIVE_S),
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(self._config)
        self._stopped = threading.Event()

    def serve_forever(self) -> None:
        """Answer requests until :meth:`shutdown` (or Ctrl-C)."""
        try:
            with asyncio.Runner(loop_factory=self._config.get_loop_factory()) as runner:
                runner.run(self._serve())
        finally:
            self.app.state.pool.close()
            self._stopped.set()

    async def _serve(self) -> None:
        await self.app.state.pool.start()
        await self._server.serve(sockets=[self.socket])

    def shutdown(self) -> None:
        """Stop :meth:`serve_forever` (from another thread) and wait for it."""
        self._server.should_exit = True
        self._stopped.wait(10)

    def server_close(self) -> None:
        self.socket.close()


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port``; a port in use or a bad address is an InputError."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto IPPROTO_TCP (not 0): asyncio sets TCP_NODELAY only on such sockets, and without it a
    # keep-alive client waits ~40 ms (delayed ACK) for each answer sent in two writes.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise InputError(
                f"port {port} on {host} is in use; choose another with --port (0 picks a free one)"
            ) from None
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.setblocking(False)
    return sock


def make_server(
    engine: QueryEngine,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    timeout_s: float = 10.0,
    max_rows: int = 10_000,
    max_memory_mb: float = DEFAULT_MAX_MEMORY_MB,
    workers: int = DEFAULT_WORKERS,
    verbose: bool = False,
    deadlines: dict[str, float] | None = None,
) -> WebServer:
    """The web application over ``engine`` on ``host:port``; call ``serve_forever()``.

    ``deadlines`` overrides :class:`DeadlineProtocol`'s seconds (``header_timeout_s``,
    ``body_timeout_s``, ``write_timeout_s``), as the tests do to wait less."""
    sock = bind(host, port)
    try:
        app = make_app(
            engine, timeout_s=timeout_s, max_rows=max_rows, max_memory_mb=max_memory_mb, workers=workers
        )
    except BaseException:
        sock.close()
        raise
    return WebServer(app, sock, verbose, deadlines)
