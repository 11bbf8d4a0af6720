"""Worker processes that run the endpoint's queries, so that a runaway query can be killed.

The server process parses HTTP and renders pages; every SPARQL query goes to one of a few
:mod:`.worker` processes, each with its own copy of the graph (a store folder is opened
read-only by all). A worker answers one query at a time under the time and memory limits; past
either it replies 503 and exits, and the pool starts a new one at once. If a worker does not
answer within a second after the limit (it should never happen) the pool kills it. Either way the
query's CPU and memory are given back and the server goes on answering.

The pool works on whichever event loop calls it: a worker is read through ``add_reader`` on the
running loop, and workers are started with :class:`subprocess.Popen`, not loop-bound transports.
"""

from __future__ import annotations

import asyncio
import atexit
import json
import os
import pickle
import subprocess
import sys
import threading
from collections import deque
from typing import Any

from ..errors import InputError
from ..query.contract import QueryEngine
from .respond import Reply
from .worker import HEADER, frame

__all__ = ["WorkerPool", "source_of"]

#: How long after its time limit a silent worker is killed.
GRACE_S = 1.0
_READ = 1 << 20


def source_of(engine: QueryEngine) -> dict[str, Any]:
    """How a worker opens the graph ``engine`` reads: its file (and reasoning) or its store folder."""
    folder, path = getattr(engine, "folder", None), getattr(engine, "path", None)
    if folder is not None:
        return {"store": str(folder)}
    if path is not None:
        return {"graph": str(path), "reasoning": getattr(engine, "reasoning", "none")}
    raise InputError("the server runs queries in worker processes: serve a graph file or a store")


class WorkerGone(Exception):
    """A worker process closed its pipe (it exited or was killed)."""


class _Worker:
    """One worker process, the pipes to it, and the bytes it sent that are not yet read."""

    def __init__(self, argv: list[str]) -> None:
        self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self.process.stdin is not None and self.process.stdout is not None
        self.requests, self.replies = self.process.stdin.fileno(), self.process.stdout.fileno()
        os.set_blocking(self.replies, False)
        self.buffer = bytearray()
        self.ready = False

    def send(self, message: object) -> None:
        data = memoryview(frame(message))
        try:
            while data:
                data = data[os.write(self.requests, data) :]
        except OSError:
            raise WorkerGone from None

    async def receive(self) -> Any:
        """The next message of the worker (waits on the running loop, whichever it is)."""
        while (message := self._take()) is None:
            try:
                chunk = os.read(self.replies, _READ)
            except BlockingIOError:
                await self._readable()
                continue
            if not chunk:
                raise WorkerGone
            self.buffer += chunk
        return message

    async def _readable(self) -> None:
        loop = asyncio.get_running_loop()
        waiter = loop.create_future()

        def wake() -> None:
            if not waiter.done():
                waiter.set_result(None)

        loop.add_reader(self.replies, wake)
        try:
            await waiter
        finally:
            loop.remove_reader(self.replies)

    def _take(self) -> Any:
        if len(self.buffer) < HEADER.size:
            return None
        end = HEADER.size + HEADER.unpack_from(self.buffer)[0]
        if len(self.buffer) < end:
            return None
        message = pickle.loads(self.buffer[HEADER.size : end])
        del self.buffer[:end]
        return message

    async def wait_ready(self) -> None:
        """Wait until the worker has opened the graph; a worker that could not is an InputError."""
        if not self.ready:
            message = await self.receive()
            if message[0] != "ready":
                raise InputError(f"a query worker could not open the graph: {message[1]}")
            self.ready = True

    def stop(self) -> None:
        """Kill the process now (its memory is freed as it dies) and reap it in the background."""
        self.process.kill()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()
        threading.Thread(target=self.process.wait, daemon=True, name="reap worker").start()


class WorkerPool:
    """``size`` worker processes over one graph, each query under ``timeout_s`` and ``max_memory_mb``."""

    def __init__(self, source: dict[str, Any], size: int, timeout_s: float, max_memory_mb: float) -> None:
        spec = {**source, "timeout_s": timeout_s, "max_memory_mb": max_memory_mb}
        self._argv = [sys.executable, "-m", "eimfs_kg.web.worker", json.dumps(spec)]
        self.size, self.timeout_s = size, timeout_s
        self._idle: list[_Worker] = []
        self._workers: set[_Worker] = set()
        self._waiters: deque[asyncio.Future[_Worker]] = deque()
        self._started = False

    def _start(self) -> None:
        if not self._started:
            self._started = True
            self._idle = [self._spawn() for _ in range(self.size)]
            atexit.register(self.close)

    def _spawn(self) -> _Worker:
        worker = _Worker(self._argv)
        self._workers.add(worker)
        return worker

    async def start(self) -> None:
        """Start the workers and wait until each has opened the graph."""
        self._start()
        await asyncio.gather(*(worker.wait_ready() for worker in self._idle))

    async def ask(self, text: str, accept: str, max_rows: int | None) -> Reply:
        """The reply of a worker to the query ``text``; 503 past the limits, the worker replaced."""
        self._start()
        try:
            worker = await asyncio.wait_for(self._acquire(), self.timeout_s)
        except TimeoutError:
            return Reply.error(503, f"every query worker stayed busy for {self.timeout_s:g} s; try again")
        try:
            await worker.wait_ready()
            worker.send((text, accept, max_rows))
            kind, reply = await asyncio.wait_for(worker.receive(), self.timeout_s + GRACE_S)
        except TimeoutError:
            self._replace(worker)
            return Reply.error(503, f"query: stopped at the {self.timeout_s:g} s time limit")
        except (WorkerGone, InputError) as exc:
            self._replace(worker)
            return Reply.error(503, f"the query's worker stopped; try again ({exc or 'no reply'})")
        except BaseException:  # the client went away mid-query: the worker's state is unknown
            self._replace(worker)
            raise
        if kind == "stopped":
            self._replace(worker)
        else:
            self._release(worker)
        return reply

    async def _acquire(self) -> _Worker:
        if self._idle:
            return self._idle.pop()
        waiter: asyncio.Future[_Worker] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            return await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self._release(waiter.result())  # handed over just as the wait timed out
            raise

    def _release(self, worker: _Worker) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(worker)
                return
        self._idle.append(worker)

    def _replace(self, worker: _Worker) -> None:
        worker.stop()
        self._workers.discard(worker)
        self._release(self._spawn())

    def close(self) -> None:
        """Stop every worker."""
        for worker in self._workers:
            worker.stop()
        for worker in self._workers:
            worker.process.wait()
        self._workers.clear()
        self._idle.clear()
