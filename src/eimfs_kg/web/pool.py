"""Worker processes that run the endpoint's queries, so that a runaway query can be killed.

The server process parses HTTP and renders pages; every SPARQL query goes to one of a few
:mod:`.worker` processes, each with its own copy of the graph (a store folder is opened
read-only by all). A worker answers one query at a time under the time and memory limits; past
either it replies 503 and exits, and the pool starts a new one at once. If a worker does not
answer within a second after the limit (it should never happen) the pool kills it. Either way the
query's CPU and memory are given back and the server goes on answering.

Queries wait in one queue. The pool reads each worker's pipe with ``add_reader`` callbacks on the
running event loop, and the callback that receives a reply hands the worker its next query at
once, so workers never sit idle while queries wait. If the event loop changes (a test client
that starts one per request), the readers move to the new loop.
"""

from __future__ import annotations

import asyncio
import atexit
import json
import logging
import os
import pickle
import signal
import subprocess
import sys
import threading
from collections import deque
from typing import Any

from ..errors import InputError
from ..query.contract import QueryEngine
from .respond import Reply
from .worker import HEADER, frame

__all__ = ["GRACE_S", "WorkerPool", "source_of"]

#: How long after its time limit a silent worker is killed.
GRACE_S = 1.0
_READ = 1 << 20
_log = logging.getLogger(__name__)


def source_of(engine: QueryEngine) -> dict[str, Any]:
    """How a worker opens the graph ``engine`` reads: its file (and reasoning) or its store folder."""
    folder, path = getattr(engine, "folder", None), getattr(engine, "path", None)
    if folder is not None:
        return {"store": str(folder)}
    if path is not None:
        return {"graph": str(path), "reasoning": getattr(engine, "reasoning", "none")}
    raise InputError("the server runs queries in worker processes: serve a graph file or a store")


class _Job:
    """One query: its message to a worker, the future of its reply, and the worker running it."""

    __slots__ = ("future", "message", "worker")

    def __init__(self, message: tuple[str, str, int | None], future: asyncio.Future[Reply]) -> None:
        self.message, self.future = message, future
        self.worker: _Worker | None = None

    def settle(self, reply: Reply) -> None:
        if not self.future.done():
            self.future.set_result(reply)


class _Worker:
    """One worker process, the pipes to it, its unread bytes and the job it runs."""

    def __init__(self, argv: list[str]) -> None:
        self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self.process.stdin is not None and self.process.stdout is not None
        self.requests, self.replies = self.process.stdin.fileno(), self.process.stdout.fileno()
        os.set_blocking(self.replies, False)
        self.buffer = bytearray()
        self.job: _Job | None = None

    def send(self, message: object) -> bool:
        """Write a message to the worker; False if it is gone."""
        data = memoryview(frame(message))
        try:
            while data:
                data = data[os.write(self.requests, data) :]
        except OSError:
            return False
        return True

    def messages(self) -> list[Any] | None:
        """The messages that have arrived (maybe none); None once the worker closed its pipe."""
        try:
            chunk = os.read(self.replies, _READ)
        except BlockingIOError:
            return []
        except OSError:
            return None
        if not chunk:
            return None
        self.buffer += chunk
        found = []
        while len(self.buffer) >= HEADER.size:
            end = HEADER.size + HEADER.unpack_from(self.buffer)[0]
            if len(self.buffer) < end:
                break
            found.append(pickle.loads(self.buffer[HEADER.size : end]))
            del self.buffer[:end]
        return found

    def crashed(self) -> bool:
        """Whether the process (its pipe just closed) ended by a crash rather than a kill."""
        try:
            code = self.process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            return False
        return -code in (signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS)

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
        self._workers: set[_Worker] = set()
        self._idle: list[_Worker] = []
        self._queue: deque[_Job] = deque()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._failure: str | None = None

    async def start(self) -> None:
        """Start the workers and wait until each has opened the graph (InputError if one cannot)."""
        self._attach()
        while len(self._idle) < len(self._workers) and self._failure is None:
            await asyncio.sleep(0.01)
        if self._failure is not None:
            raise InputError(f"a query worker could not open the graph: {self._failure}")

    async def ask(self, text: str, accept: str, max_rows: int | None) -> Reply:
        """The reply of a worker to the query ``text``; 503 past the limits, the worker replaced."""
        loop = self._attach()
        job = _Job((text, accept, max_rows), loop.create_future())
        self._queue.append(job)
        self._dispatch()
        try:
            async with asyncio.timeout(self.timeout_s + GRACE_S):
                return await job.future
        except TimeoutError:
            if job.worker is None:
                self._queue.remove(job)
                return Reply.error(503, f"every query worker stayed busy for {self.timeout_s:g} s; try again")
            self._replace(job.worker)
            return Reply.error(503, f"query: stopped at the {self.timeout_s:g} s time limit")
        except BaseException:  # the request was cancelled: its worker's state is unknown
            if job.worker is not None:
                self._replace(job.worker)
            elif job in self._queue:
                self._queue.remove(job)
            raise

    def _attach(self) -> asyncio.AbstractEventLoop:
        """Start the workers on first use; read their pipes on the running loop."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            self._loop = loop
            if not self._workers:
                for _ in range(self.size):
                    self._spawn()
                atexit.register(self.close)
            else:
                for worker in self._workers:
                    loop.add_reader(worker.replies, self._on_readable, worker)
        return loop

    def _spawn(self) -> None:
        worker = _Worker(self._argv)
        self._workers.add(worker)
        if self._loop is not None and not self._loop.is_closed():
            self._loop.add_reader(worker.replies, self._on_readable, worker)

    def _dispatch(self) -> None:
        """Hand waiting queries to idle workers."""
        while self._queue and self._idle:
            job, worker = self._queue.popleft(), self._idle.pop()
            if worker.send(job.message):
                job.worker, worker.job = worker, job
            else:
                self._queue.appendleft(job)
                self._replace(worker)
        if not self._workers:
            while self._queue:
                self._queue.popleft().settle(Reply.error(503, f"no query worker: {self._failure}"))

    def _on_readable(self, worker: _Worker) -> None:
        messages = worker.messages()
        if messages is None:  # the worker died without a word (it crashed, or was killed from outside)
            job, crashed = worker.job, worker.crashed()
            self._replace(worker)
            if job is not None and crashed:
                job.settle(Reply.error(400, "query: the engine crashed on this query; simplify it"))
            elif job is not None:
                job.settle(Reply.error(503, "the query's worker was stopped from outside; try again"))
            self._dispatch()
            return
        for message in messages:
            self._on_message(worker, message)
        self._dispatch()

    def _on_message(self, worker: _Worker, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind == "ready":
            self._idle.append(worker)
        elif kind == "failed":
            self._failure = message[1]
            _log.error("a query worker could not open the graph: %s", message[1])
            self._drop(worker)
        else:  # "reply", or "stopped" at a limit (the worker is exiting)
            job, worker.job = worker.job, None
            if kind == "stopped":
                self._replace(worker)
            else:
                self._idle.append(worker)
            if job is not None:
                job.settle(message[1])

    def _drop(self, worker: _Worker) -> None:
        if self._loop is not None and not self._loop.is_closed():
            self._loop.remove_reader(worker.replies)
        worker.stop()
        self._workers.discard(worker)
        if worker in self._idle:
            self._idle.remove(worker)

    def _replace(self, worker: _Worker) -> None:
        if worker in self._workers:
            self._drop(worker)
            self._spawn()

    def close(self) -> None:
        """Stop every worker."""
        for worker in list(self._workers):
            self._drop(worker)
        self._queue.clear()
