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
import sys
from collections.abc import Iterator

from ..errors import EimfsError

__all__ = ["NetworkRefused", "only"]


class NetworkRefused(EimfsError):
    """The product tried to reach the network where the user did not ask it to."""


_allowed: set[tuple[str, int]] | None = None  # None: the guard is off
_installed = False


def _endpoint(url: str) -> tuple[str, int]:
    import urllib.parse  # lazy: a guard with nothing allowed needs no URL parsing

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
        import socket  # lazy: imported already by whoever connects; a cold query never does

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
        import urllib.parse  # lazy: imported already by whoever makes a request

        url = args[0]
        if urllib.parse.urlsplit(url).scheme not in ("http", "https") or _endpoint(url) not in allowed:
            _refuse(url)


def _addresses(host: str, port: int) -> set[tuple[str, int]]:
    """The addresses ``host`` resolves to, with ``port``; none for an unknown host (it fails later)."""
    import socket  # lazy: only named endpoints are looked up; a cold query needs no socket module

    with contextlib.suppress(OSError):
        return {(str(info[4][0]), port) for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)}
    return set()


@contextlib.contextmanager
def only(*urls: str) -> Iterator[None]:
    """Run the body with the network closed except to ``urls`` (and their addresses)."""
    global _allowed, _installed
    allowed: set[tuple[str, int]] = set()
    for url in urls:
        host, port = _endpoint(url)
        allowed |= {(host, port), *_addresses(host, port)}
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True
    previous, _allowed = _allowed, allowed
    try:
        yield
    finally:
        _allowed = previous
