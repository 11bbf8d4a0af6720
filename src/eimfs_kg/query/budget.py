"""Hard time and memory limits for a running query: past either, the process running it ends.

Oxigraph cannot interrupt a query it is evaluating, and a thread cannot be killed, so a limit is
only real if the process that runs the query stops: the command line exits with code 2 (see
:func:`run_limited`) and a server's worker process reports the breach and exits, to be
replaced (see :mod:`eimfs_kg.web.pool`). Ending the process gives its CPU and memory back at once.

:class:`Budget` is the watchdog both use: one daemon thread that, while a query is being watched,
checks the clock and the process's resident memory every few milliseconds (Oxigraph releases the
interpreter lock while it evaluates, so the thread runs) and calls ``on_breach`` once with a
message naming the limit.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

__all__ = ["DEFAULT_MAX_MEMORY_MB", "Budget", "resident_bytes", "run_limited"]

#: Memory a query may add to its process, in MB, unless told otherwise.
DEFAULT_MAX_MEMORY_MB = 1024
_MB = 1 << 20
T = TypeVar("T")
_TICK_S = 0.01


def resident_bytes() -> int:
    """This process's resident memory: current on Linux (``/proc``), else its peak (getrusage)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        import resource  # lazy: the fallback of systems without /proc

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024


class Budget:
    """Watches one query at a time against a time limit and a memory limit (MB the query may add)."""

    def __init__(
        self,
        timeout_s: float | None,
        max_memory_mb: float | None,
        on_breach: Callable[[str], None],
    ) -> None:
        self.timeout_s, self.max_memory_mb, self.on_breach = timeout_s, max_memory_mb, on_breach
        self._lock = threading.Lock()
        self._armed = False
        self._name = ""
        self._started = 0.0
        self._memory_cap = 0
        threading.Thread(target=self._watch, daemon=True, name="query budget").start()

    @contextmanager
    def watching(self, name: str) -> Iterator[None]:
        """Watch the query ``name`` while the block runs; memory counts from the block's start."""
        with self._lock:
            self._name, self._started = name, time.monotonic()
            if self.max_memory_mb is not None:
                self._memory_cap = resident_bytes() + int(self.max_memory_mb * _MB)
            self._armed = True
        try:
            yield
        finally:
            with self._lock:
                self._armed = False

    def _watch(self) -> None:
        # A steady tick rather than a wake-up per query: short queries then cost the watcher nothing.
        while True:
            time.sleep(_TICK_S)
            with self._lock:  # held while on_breach runs, so a finished query is never reported
                if not self._armed:
                    continue
                message = self._breach()
                if message:
                    self._armed = False
                    self.on_breach(message)

    def _breach(self) -> str | None:
        if self.timeout_s is not None and time.monotonic() - self._started > self.timeout_s:
            return (
                f"{self._name}: stopped at the {self.timeout_s:g} s time limit; "
                "narrow the query, add LIMIT or raise --timeout"
            )
        if self.max_memory_mb is not None and resident_bytes() > self._memory_cap:
            return (
                f"{self._name}: stopped at the {self.max_memory_mb:g} MB memory limit; "
                "narrow the query, add LIMIT or raise --max-memory"
            )
        return None


def _exit_with(message: str) -> None:
    """Report a breach on stderr and end the process at once: no thread or query outlives it."""
    sys.stderr.write(f"error: {message}\n")
    sys.stderr.flush()
    os._exit(2)


#: The stack the command line runs a query on: Oxigraph parses and evaluates recursively, and a
#: long chain of operators overflows the usual 8 MB (the process would abort).
STACK_BYTES = 1 << 30


def run_limited(work: Callable[[], T], timeout_s: float | None, max_memory_mb: float | None, name: str) -> T:
    """``work()`` on a thread with a deep stack, under a :class:`Budget` whose breach ends the
    process with exit code 2. For command-line programs only: the whole process stops, which is
    what frees a runaway query. Exceptions of ``work`` are raised here."""
    outcome: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as exc:  # handed to the calling thread below
            errors.append(exc)

    previous = threading.stack_size(STACK_BYTES)
    try:
        thread = threading.Thread(target=run, name=name)
        thread.start()
    finally:
        threading.stack_size(previous)
    with Budget(timeout_s, max_memory_mb, _exit_with).watching(name):
        thread.join()
    if errors:
        raise errors[0]
    return outcome[0]
