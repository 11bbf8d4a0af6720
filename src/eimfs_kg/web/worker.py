"""A worker process of the endpoint: it opens the graph, then answers one query at a time.

Started by :class:`~.pool.WorkerPool` as ``python -m eimfs_kg.web.worker SOURCE`` (SOURCE a JSON
object: the graph file or store folder, and the limits). It talks over its standard input and
output in frames (a 4-byte length, then a pickle): it sends ``("ready",)`` once the graph is open,
then reads ``(query text, Accept, row cap)`` and sends ``("reply", Reply)`` for each (a
:class:`~.respond.Reply`). Each query runs under a :class:`~eimfs_kg.query.budget.Budget`: past
the time or memory limit the worker sends ``("stopped", Reply)`` (a 503) and exits, so the runaway
query's CPU and memory go with it.
"""

from __future__ import annotations

import json
import os
import pickle
import struct
import sys
import threading
from pathlib import Path
from typing import Any, BinaryIO

from ..query.budget import Budget
from ..query.oxigraph import Engine
from ..rdf.netguard import only
from .respond import Reply, sparql_reply

__all__ = ["HEADER", "frame", "open_source"]

HEADER = struct.Struct(">I")
#: The stack a worker runs queries on (reserved, not used, until a query recurses that deep).
STACK_BYTES = 1 << 30


def frame(message: object) -> bytes:
    """A message as one frame: its pickle's length, then the pickle."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(data)) + data


def open_source(source: dict[str, Any]) -> Engine:
    """The engine over a graph file (``graph``, ``reasoning``) or a store folder (``store``)."""
    if source.get("store"):
        from ..stores.local import open_store  # lazy: only workers over a store need it

        folder = Path(source["store"])
        return Engine.from_store(*open_store(folder), folder=folder)
    return Engine(Path(source["graph"]), source.get("reasoning", "none"))


def _read_exactly(stream: BinaryIO, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def _serve(source: dict[str, Any], requests: BinaryIO, replies: BinaryIO) -> None:
    sending = threading.Lock()

    def send(message: object) -> None:
        with sending:
            replies.write(frame(message))
            replies.flush()

    def breach(message: str) -> None:
        send(("stopped", Reply.error(503, message)))
        os._exit(0)  # the runaway query ends with this process; the pool starts another

    engine = open_source(source)
    budget = Budget(source.get("timeout_s"), source.get("max_memory_mb"), breach)
    send(("ready",))
    while (head := _read_exactly(requests, HEADER.size)) is not None:
        body = _read_exactly(requests, HEADER.unpack(head)[0])
        if body is None:
            return
        text, accept, max_rows = pickle.loads(body)
        with budget.watching("query"):
            try:
                reply = sparql_reply(engine, text, accept, max_rows)
            except Exception as exc:  # a fault of ours: answer 500 and keep serving
                reply = Reply.error(500, f"the query failed: {type(exc).__name__}: {exc}")
        send(("reply", reply))


def _with_a_deep_stack() -> None:
    """Run again with a stack of :data:`STACK_BYTES` if the limit is lower (and may be raised).

    Oxigraph parses and evaluates recursively: a long chain of operators (200,000 ``!``, 30,000
    ``UNION``) overflows the usual 8 MB stack and aborts the process. The main thread's stack is
    sized when a program starts, so the worker raises its limit and starts itself again; with a
    deep stack such a query meets the time and memory limits instead.
    """
    import resource  # lazy: Unix only, and only the worker needs it

    soft, hard = resource.getrlimit(resource.RLIMIT_STACK)
    if soft == resource.RLIM_INFINITY or soft >= STACK_BYTES:
        return
    wanted = STACK_BYTES if hard == resource.RLIM_INFINITY else min(STACK_BYTES, hard)
    if wanted > soft:
        resource.setrlimit(resource.RLIMIT_STACK, (wanted, hard))
        os.execv(sys.executable, [sys.executable, "-m", "eimfs_kg.web.worker", *sys.argv[1:]])


def main() -> None:
    """Serve queries on stdin/stdout until the server closes the pipe."""
    if sys.platform != "win32":
        _with_a_deep_stack()
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the frames
    try:
        with only():  # like the server: no connection leaves a worker
            _serve(json.loads(sys.argv[1]), requests, replies)
    except Exception as exc:  # a graph that cannot be opened: tell the server, then stop
        replies.write(frame(("failed", str(exc))))
        replies.flush()
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group; the server reports it
        pass


if __name__ == "__main__":
    main()
