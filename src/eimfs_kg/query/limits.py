"""Time and row limits for queries from users: a runaway query gets a clear error, not a hang.

A query cannot be interrupted once Oxigraph runs it, so it runs in a daemon thread; past the
time limit the caller gets :class:`QueryTimeout` at once and the abandoned thread never blocks
the process's exit. The row cap is applied while rows are collected, so a query that would
return millions of rows stops at the cap instead of filling memory.
"""

from __future__ import annotations

import threading

from ..errors import EimfsError
from .answer import Answer
from .contract import QueryEngine
from .library import NamedQuery

__all__ = ["DEFAULT_MAX_ROWS", "DEFAULT_TIMEOUT_S", "QueryTimeout", "answer_within"]

DEFAULT_TIMEOUT_S = 60.0
DEFAULT_MAX_ROWS = 100_000


class QueryTimeout(EimfsError):
    """The query ran past its time limit and was abandoned."""


def answer_within(
    engine: QueryEngine,
    query: NamedQuery,
    params: dict[str, str] | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    max_rows: int | None = DEFAULT_MAX_ROWS,
) -> Answer:
    """``engine.answer(query, params)``, or :class:`QueryTimeout` after ``timeout_s`` seconds."""
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            outcome["answer"] = engine.answer(query, params, max_rows=max_rows)
        except BaseException as exc:  # handed back to the caller's thread below
            # Drop the frames here: they hold Oxigraph results that must die in this thread.
            exc.__traceback__ = exc.__context__ = exc.__cause__ = None
            outcome["error"] = exc

    worker = threading.Thread(target=work, daemon=True, name=f"query {query.name}")
    worker.start()
    worker.join(timeout_s)
    if worker.is_alive():
        raise QueryTimeout(
            f"{query.name}: stopped after the {timeout_s:g} s time limit; narrow the query, add LIMIT "
            "or raise --timeout"
        )
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["answer"]  # type: ignore[return-value]
