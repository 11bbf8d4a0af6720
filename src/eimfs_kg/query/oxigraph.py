"""Answer SPARQL queries on a graph file with pyoxigraph: fast start, W3C result formats.

This is the engine of the ``query`` command and of :func:`eimfs_kg.run_query`. It
imports only pyoxigraph (about 12 ms, against about 80 ms for rdflib), loads the
Turtle or N-Triples file, binds parameters through SPARQL substitutions and writes
the W3C SPARQL 1.1 result formats (CSV, TSV, JSON, XML) as Oxigraph emits them.
With ``reasoning`` the file is first closed under RDFS or OWL 2 RL with owlrl (on an
rdflib copy) and the entailed triples are queried the same way.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import InputError
from ..identifiers import contract
from ..rdf.bridge import read_prefixes
from ..rdf.strict import syntax_error, vet
from .library import NamedQuery, check_query, classify_value, query_kind
from .tables import text_table

__all__ = [
    "FORMATS",
    "REASONING",
    "Answer",
    "Engine",
    "TooManyRows",
    "capped",
    "parameter_term",
]

FORMATS = ("table", "csv", "tsv", "json", "xml")
REASONING = ("none", "rdfs", "owlrl")
_RESULT_FORMATS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}
_SYNTAX_AT = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.DOTALL)


def parameter_term(value: str, prefixes: dict[str, str]) -> ox.NamedNode | ox.Literal:
    """A parameter value as an RDF term: an IRI for an IRI or a CURIE of ``prefixes``, else a literal."""
    kind, text = classify_value(value, prefixes)
    if kind == "literal":
        return ox.Literal(text)
    try:
        return ox.NamedNode(text)
    except ValueError as exc:
        raise InputError(f"parameter value {value!r} is not a valid IRI: {exc}") from None


class TooManyRows(InputError):
    """An answer longer than the row cap."""


@dataclass
class Answer:
    """The answer to one query: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT)."""

    kind: str
    variables: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    boolean: bool | None
    triples: list[ox.Triple]
    prefixes: dict[str, str]

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
            import pandas
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
            return ox.serialize(self.triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes).decode()
        if fmt == "table":
            return self._table()
        if fmt not in _RESULT_FORMATS:
            raise InputError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        return self._w3c(_RESULT_FORMATS[fmt])

    def _w3c(self, fmt: ox.QueryResultsFormat) -> str:
        if self.kind == "ask":
            results = ox.parse_query_results(
                b'{"head":{},"boolean":%s}' % (b"true" if self.boolean else b"false"),
                format=ox.QueryResultsFormat.JSON,
            )
        else:
            results = self._solutions()
        return results.serialize(format=fmt).decode("utf-8")

    def _solutions(self) -> ox.QuerySolutions:
        # Re-parse our own rows so every format is written by Oxigraph's serializers.
        import json

        def term(t: Any) -> dict[str, str]:
            if isinstance(t, ox.NamedNode):
                return {"type": "uri", "value": t.value}
            if isinstance(t, ox.BlankNode):
                return {"type": "bnode", "value": t.value}
            out = {"type": "literal", "value": t.value}
            if t.language:
                out["xml:lang"] = t.language
            elif t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
                out["datatype"] = t.datatype.value
            return out

        bindings = [
            {v: term(t) for v, t in zip(self.variables, row, strict=True) if t is not None}
            for row in self.rows
        ]
        doc = {"head": {"vars": list(self.variables)}, "results": {"bindings": bindings}}
        return ox.parse_query_results(json.dumps(doc).encode(), format=ox.QueryResultsFormat.JSON)

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
            return contract(term.value, self.prefixes)
        if isinstance(term, ox.BlankNode):
            return f"_:{term.value}"
        return term.value


class Engine:
    """A graph file loaded into an in-memory Oxigraph store, ready for queries."""

    @classmethod
    def from_store(cls, store: ox.Store, prefixes: dict[str, str]) -> Engine:
        """An engine over an Oxigraph store that is already filled."""
        engine = cls.__new__(cls)
        engine.path, engine.prefixes, engine.store = None, prefixes, store
        return engine

    def __init__(self, path: Path, reasoning: str = "none") -> None:
        path = Path(path)
        fmt = vet(path)
        if reasoning not in REASONING:
            raise InputError(f"unknown reasoning {reasoning!r}; choose one of {', '.join(REASONING)}")
        self.path = path
        self.prefixes = read_prefixes(path)
        self.store = ox.Store()
        if reasoning == "none":
            try:
                self.store.bulk_load(path=str(path), format=fmt)
            except SyntaxError as exc:
                raise syntax_error(path, exc) from None
        else:
            from .reasoning import entailed_triples

            self.store.bulk_extend(entailed_triples(path, reasoning))

    def __len__(self) -> int:
        return len(self.store)

    def bind(self, value: str) -> ox.NamedNode | ox.Literal:
        """A parameter value as an RDF term, using the file's own prefixes for CURIEs."""
        return parameter_term(value, self.prefixes)

    def answer(
        self, query: NamedQuery, params: dict[str, str] | None = None, max_rows: int | None = None
    ) -> Answer:
        """Run ``query`` with ``params``; refuse unsafe queries before running them.

        With ``max_rows``, an answer longer than that is an error (raised as soon as the
        row past the cap arrives, so a huge answer never fills memory).
        """
        params = params or {}
        query.check_params(params)
        check_query(query.text)
        kind = query_kind(query.text)
        substitutions = {ox.Variable(name): self.bind(value) for name, value in params.items()}
        try:
            result = self.store.query(query.text, substitutions=substitutions)
        except SyntaxError as exc:
            raise InputError(_syntax_message(query.name, str(exc))) from None
        except RuntimeError as exc:
            if "projection" in str(exc):  # Oxigraph substitutes only projected variables
                raise InputError(f"{query.name}: {exc}; add the parameter variable to SELECT") from None
            raise InputError(f"{query.name}: the query cannot run: {exc}") from None
        if isinstance(result, ox.QueryBoolean):
            return Answer("ask", (), [], bool(result), [], self.prefixes)
        if isinstance(result, ox.QueryTriples):
            return Answer(kind, (), [], None, capped(result, max_rows, query.name), self.prefixes)
        variables = tuple(v.value for v in result.variables)
        rows = [tuple(solution[v] for v in variables) for solution in capped(result, max_rows, query.name)]
        return Answer("select", variables, rows, None, [], self.prefixes)


def capped(items, max_rows: int | None, name: str) -> list:
    """The items as a list, or an error as soon as there are more than ``max_rows``."""
    if max_rows is None:
        return list(items)
    kept = list(itertools.islice(items, max_rows + 1))
    if len(kept) > max_rows:
        raise TooManyRows(f"{name}: the answer has more than {max_rows:,} rows (the cap); add LIMIT")
    return kept


def _syntax_message(name: str, message: str) -> str:
    match = _SYNTAX_AT.search(message)
    if match:
        line, column, what = match.groups()
        return f"{name}: SPARQL syntax error at line {line}, column {column}: {what.strip()}"
    return f"{name}: SPARQL syntax error: {message}"
