"""No network unless the user asked for it: a runtime guard under the CLI and the server.

Queries and documents are checked before use (SERVICE, LOAD, FROM, DTDs, remote JSON-LD
contexts are refused by name), and this guard catches whatever those checks miss in Python
code: a Python audit hook refuses every outgoing connection, name lookup and ``urllib``
request while the guard is on, except to the endpoints the user named (``push`` and
``query --endpoint``). Listening, as ``serve`` does, is not connecting and stays allowed.
The hook cannot see native code; Oxigraph's own HTTP client is kept away by the query check.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import urllib.parse
from collections.abc import Iterator

from ..errors import EimfsError

__all__ = ["NetworkRefused", "only"]


class NetworkRefused(EimfsError):
    """The product tried to reach the network where the user did not ask it to."""


_allowed: set[tuple[str, int]] | None = None  # None: the guard is off
_installed = False


def _endpoint(url: str) -> tuple[str, int]:
    parts = urllib.parse.urlsplit(url)
    return parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)


def _refuse(target: object) -> None:
    raise NetworkRefused(
        f"refused to open a network connection to {target}: this command only reaches "
        "the endpoint given with --endpoint"
    )


def _hook(event: str, args: tuple) -> None:
    allowed = _allowed
    if allowed is None:
        return
    if event == "socket.connect":
        sock, address = args
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            if (address[0], address[1]) not in allowed:
                _refuse(f"{address[0]}:{address[1]}")
        elif sock.family != getattr(socket, "AF_UNIX", None):
            _refuse(address)
    elif event == "socket.getaddrinfo":
        host = args[0].decode() if isinstance(args[0], bytes) else args[0]
        if host and all(host != allowed_host for allowed_host, _ in allowed):
            _refuse(host)
    elif event == "urllib.Request":
        url = args[0]
        if urllib.parse.urlsplit(url).scheme not in ("http", "https") or _endpoint(url) not in allowed:
            _refuse(url)


@contextlib.contextmanager
def only(*urls: str) -> Iterator[None]:
    """Run the body with the network closed except to ``urls`` (and their addresses)."""
    global _allowed, _installed
    allowed: set[tuple[str, int]] = set()
    for url in urls:
        host, port = _endpoint(url)
        allowed.add((host, port))
        with contextlib.suppress(OSError):  # an unknown host fails later, with the request
            for *_, address in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP):
                allowed.add((str(address[0]), port))
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True
    previous, _allowed = _allowed, allowed
    try:
        yield
    finally:
        _allowed = previous
