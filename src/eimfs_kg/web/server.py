"""Serve the web application with uvicorn on a socket bound before it starts.

Binding first makes a port in use a one-line error (:class:`~eimfs_kg.errors.InputError`, exit 2)
and lets ``--port 0`` report the port it got. :class:`WebServer` has the methods of the standard
library's servers (``server_address``, ``serve_forever``, ``shutdown``, ``server_close``), so the
command line and tests run it the same way.
"""

from __future__ import annotations

import asyncio
import errno
import socket
import threading

import uvicorn
from starlette.applications import Starlette

from ..errors import InputError
from ..query.contract import QueryEngine
from .app import make_app

__all__ = ["WebServer", "make_server"]


class WebServer:
    """A uvicorn server on an already bound socket."""

    def __init__(self, app: Starlette, sock: socket.socket, verbose: bool = False) -> None:
        self.app, self.socket = app, sock
        self.server_address: tuple[str, int] = sock.getsockname()[:2]
        config = uvicorn.Config(
            app,
            log_level="info" if verbose else "warning",
            access_log=verbose,
            lifespan="off",
            server_header=False,
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config)
        self._stopped = threading.Event()

    def serve_forever(self) -> None:
        """Answer requests until :meth:`shutdown` (or Ctrl-C)."""
        try:
            asyncio.run(self._server.serve(sockets=[self.socket]))
        finally:
            self._stopped.set()

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
    verbose: bool = False,
) -> WebServer:
    """The web application over ``engine`` on ``host:port``; call ``serve_forever()``."""
    sock = bind(host, port)
    try:
        app = make_app(engine, timeout_s=timeout_s, max_rows=max_rows)
    except BaseException:
        sock.close()
        raise
    return WebServer(app, sock, verbose)
