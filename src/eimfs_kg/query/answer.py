"""The answer to a query, whichever engine gave it: rows, a boolean or triples, in every format.

Every engine builds its :class:`Answer` with :meth:`Answer.of_rows`, :meth:`Answer.of_boolean` or
:meth:`Answer.of_triples`, which apply the row cap while the rows are collected. The W3C result
formats (CSV, TSV, JSON, XML) are written by Oxigraph's serialisers; ``table`` shows CURIEs.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from typing import Any, NamedTuple, TypeVar

import pyoxigraph as ox

from ..errors import InputError
from ..rdf.bridge import XSD_STRING, serialized
from .prelude import display_name
from .tables import text_table

__all__ = ["FORMATS", "RESULT_FORMATS", "Answer", "CappedRows", "TooManyRows", "capped"]

FORMATS = ("table", "csv", "tsv", "json", "xml")
RESULT_FORMATS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}
_T = TypeVar("_T")


class TooManyRows(InputError):
    """An answer longer than the row cap."""

    @classmethod
    def of(cls, name: str, max_rows: int) -> TooManyRows:
        return cls(f"{name}: the answer has more than {max_rows:,} rows (the cap); add LIMIT")


def capped(items: Iterable[_T], max_rows: int | None, name: str) -> list[_T]:
    """The items as a list, or an error as soon as there are more than ``max_rows``."""
    if max_rows is None:
        return list(items)
    kept = list(itertools.islice(items, max_rows + 1))
    if len(kept) > max_rows:
        raise TooManyRows.of(name, max_rows)
    return kept


class CappedRows:
    """A binary sink for SPARQL TSV results that stops the writer past ``max_rows`` rows.

    TSV writes one line per solution after a header line (line breaks in values are escaped),
    so counting lines counts rows while Oxigraph writes, and a huge answer is cut short.
    """

    def __init__(self, max_rows: int | None, name: str) -> None:
        self.max_rows, self.name = max_rows, name
        self.lines, self.parts = 0, list[bytes]()

    def write(self, data: bytes) -> int:
        self.lines += data.count(b"\n")
        self.parts.append(bytes(data))
        if self.max_rows is not None and self.lines > self.max_rows + 1:
            raise TooManyRows.of(self.name, self.max_rows)
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: the rows stay in memory until :meth:`value`."""

    def value(self) -> bytes:
        return b"".join(self.parts)


class Answer(NamedTuple):
    """The answer to one query: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT).

    A NamedTuple rather than a dataclass: ``dataclasses`` costs a cold query milliseconds.
    """

    kind: str
    variables: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    boolean: bool | None
    triples: list[ox.Triple]
    prefixes: dict[str, str]

    @classmethod
    def of_boolean(cls, value: bool, prefixes: dict[str, str]) -> Answer:
        """The answer to an ASK query."""
        return cls("ask", (), [], bool(value), [], prefixes)

    @classmethod
    def of_triples(
        cls,
        kind: str,
        triples: Iterable[ox.Triple],
        prefixes: dict[str, str],
        max_rows: int | None = None,
        name: str = "query",
    ) -> Answer:
        """The answer to a CONSTRUCT or DESCRIBE query, cut at ``max_rows`` triples."""
        return cls(kind, (), [], None, capped(triples, max_rows, name), prefixes)

    @classmethod
    def of_rows(
        cls,
        variables: tuple[str, ...],
        rows: Iterable[tuple[Any, ...]],
        prefixes: dict[str, str],
        max_rows: int | None = None,
        name: str = "query",
    ) -> Answer:
        """The answer to a SELECT query, cut at ``max_rows`` rows."""
        return cls("select", variables, capped(rows, max_rows, name), None, [], prefixes)

    @classmethod
    def of_solutions(
        cls,
        result: ox.QueryBoolean | ox.QuerySolutions,
        prefixes: dict[str, str],
        max_rows: int | None = None,
        name: str = "query",
    ) -> Answer:
        """The answer to an ASK or SELECT query, from pyoxigraph's result (local or parsed)."""
        if isinstance(result, ox.QueryBoolean):
            return cls.of_boolean(bool(result), prefixes)
        variables = tuple(v.value for v in result.variables)
        rows = (tuple(solution[v] for v in variables) for solution in result)
        return cls.of_rows(variables, rows, prefixes, max_rows, name)

    def dicts(self) -> list[dict[str, str | None]]:
        """Rows as dictionaries: IRIs and literals by their value, unbound as None."""
        return [
            {
                var: (None if term is None else term.value)
                for var, term in zip(self.variables, row, strict=True)
            }
            for row in self.rows
        ]

    def to_dataframe(self):  # -> pandas.DataFrame
        """The rows as a pandas DataFrame (needs ``pip install pandas``)."""
        try:
            import pandas  # lazy: an optional dependency, and slow to import
        except ImportError:
            raise InputError("to_dataframe needs pandas: pip install pandas") from None
        return pandas.DataFrame(self.dicts(), columns=list(self.variables))

    def render(self, fmt: str = "table") -> str:
        """Text in one of :data:`FORMATS` (CONSTRUCT/DESCRIBE always give Turtle)."""
        if self.kind in ("construct", "describe"):
            if fmt not in ("table", "turtle"):
                raise InputError(f"a {self.kind.upper()} query returns RDF: use --format table (Turtle)")
            used = {t.value for triple in self.triples for t in triple if isinstance(t, ox.NamedNode)}
            prefixes = {p: ns for p, ns in self.prefixes.items() if any(v.startswith(ns) for v in used)}
            return serialized(
                ox.serialize(self.triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
            ).decode()
        if fmt == "table":
            return self._table()
        if fmt not in RESULT_FORMATS:
            raise InputError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        return self._w3c(RESULT_FORMATS[fmt])

    def _w3c(self, fmt: ox.QueryResultsFormat) -> str:
        if self.kind == "ask":
            results = ox.parse_query_results(
                b'{"head":{},"boolean":%s}' % (b"true" if self.boolean else b"false"),
                format=ox.QueryResultsFormat.JSON,
            )
        else:
            results = self._solutions()
        return serialized(results.serialize(format=fmt)).decode("utf-8")

    def _solutions(self) -> ox.QuerySolutions:
        # Re-parse our own rows so every format is written by Oxigraph's serializers.
        def term(t: Any) -> dict[str, str]:
            if isinstance(t, ox.NamedNode):
                return {"type": "uri", "value": t.value}
            if isinstance(t, ox.BlankNode):
                return {"type": "bnode", "value": t.value}
            out = {"type": "literal", "value": t.value}
            if t.language:
                out["xml:lang"] = t.language
            elif t.datatype.value != XSD_STRING:
                out["datatype"] = t.datatype.value
            return out

        bindings = [
            {v: term(t) for v, t in zip(self.variables, row, strict=True) if t is not None}
            for row in self.rows
        ]
        doc = {"head": {"vars": list(self.variables)}, "results": {"bindings": bindings}}
        solutions = ox.parse_query_results(json.dumps(doc).encode(), format=ox.QueryResultsFormat.JSON)
        assert isinstance(solutions, ox.QuerySolutions)
        return solutions

    def _table(self) -> str:
        if self.kind == "ask":
            return "true" if self.boolean else "false"
        rows = [[self.cell(t) for t in row] for row in self.rows]
        count = f"({len(rows)} row{'s' if len(rows) != 1 else ''})"
        return text_table(self.variables, rows) + "\n" + count

    def cell(self, term: Any) -> str:
        """One value as the table shows it: a CURIE, a literal's text, or empty."""
        if term is None:
            return ""
        if isinstance(term, ox.NamedNode):
            return display_name(term.value, self.prefixes)
        if isinstance(term, ox.BlankNode):
            return f"_:{term.value}"
        return term.value
