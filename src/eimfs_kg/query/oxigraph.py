"""Answer SPARQL queries on a graph file with pyoxigraph: fast start, W3C result formats.

This is the engine of the ``query`` command and of :func:`eimfs_kg.run_query`. It
imports only pyoxigraph (about 12 ms, against about 80 ms for rdflib), binds parameters
through SPARQL substitutions and writes the W3C SPARQL 1.1 result formats (CSV, TSV,
JSON, XML) as Oxigraph emits them.

A graph file is parsed into memory, which for the built graph costs more than the rest of
a cold query; so an engine given a ``folder`` keeps the store there on disk (RocksDB, laid
out as ``eimfs-kg load`` leaves one, so a server's worker opens it as a store): filled
once, published by an atomic rename, then opened read-only in milliseconds by every later
process. With ``reasoning`` the file is first closed under RDFS or OWL 2 RL with owlrl (on
an rdflib copy, seconds) and the entailed triples are stored the same way. That store is
made after :meth:`Engine.check` has accepted the query: a query with a syntax error is
refused before any closure work.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, cast

import pyoxigraph as ox

from ..errors import InputError
from ..rdf.bridge import PREFIXES_FILE, read_prefixes, serialized
from ..rdf.strict import syntax_error, vet
from .answer import RESULT_FORMATS, Answer, CappedRows
from .contract import REASONING, PreparedEngine, Term
from .library import NamedQuery
from .prelude import query_prefixes, readable_syntax_error

__all__ = ["Engine"]

#: The file of a cache store folder with the prefixes a query may use undeclared: reading the
#: prefix map of prefixmaps again would cost a cold query more than opening the store.
_QUERY_PREFIXES_FILE = "eimfs-kg-query-prefixes.json"


class Engine(PreparedEngine):
    """A graph file in an Oxigraph store (in memory, or on disk in ``folder``), ready for queries."""

    @classmethod
    def from_store(cls, store: ox.Store, prefixes: dict[str, str], folder: Path | None = None) -> Engine:
        """An engine over an Oxigraph store that is already filled (kept on disk in ``folder``)."""
        engine = cls.__new__(cls)
        engine.path, engine.folder, engine.reasoning = None, folder, "none"
        engine.prefixes, engine._known, engine._store = prefixes, None, store
        return engine

    #: Where the graph came from, so that another process can open the same: a file or a store.
    path: Path | None
    folder: Path | None
    reasoning: str
    _store: ox.Store | None
    _known: dict[str, str] | None

    def __init__(self, path: Path, reasoning: str = "none", folder: Path | None = None) -> None:
        path = Path(path)
        self.format = vet(path)
        if reasoning not in REASONING:
            raise InputError(f"unknown reasoning {reasoning!r}; choose one of {', '.join(REASONING)}")
        self.path, self.reasoning, self.folder = path, reasoning, folder
        self.prefixes, self._known = read_prefixes(path), None
        if folder and (folder / _QUERY_PREFIXES_FILE).is_file():
            self._known = json.loads((folder / _QUERY_PREFIXES_FILE).read_text(encoding="utf-8"))
        self._store = None
        if reasoning == "none":
            self._store = self._open()  # a malformed file is reported at once

    @property
    def known(self) -> dict[str, str]:
        """The prefixes a query may use undeclared (see :func:`~eimfs_kg.query.prelude.query_prefixes`)."""
        if self._known is None:
            self._known = query_prefixes(self.prefixes)
        return self._known

    @property
    def store(self) -> ox.Store:
        """The store of the graph, made (or opened from ``folder``) on first use."""
        if self._store is None:
            self._store = self._open()
        return self._store

    def _open(self) -> ox.Store:
        if self.folder is None:
            return self._fill(ox.Store())
        if not self.folder.is_dir():
            from ..rdf.atomic import atomic_folder  # lazy: tempfile and logging, only to make a store

            def fill(tmp: Path) -> None:
                self._fill(ox.Store(str(tmp))).flush()  # closed as it goes out of scope, before the rename
                (tmp / PREFIXES_FILE).write_text(json.dumps(self.prefixes), encoding="utf-8")
                (tmp / _QUERY_PREFIXES_FILE).write_text(json.dumps(self.known), encoding="utf-8")

            atomic_folder(self.folder, fill)
        return ox.Store.read_only(str(self.folder))

    def _fill(self, store: ox.Store) -> ox.Store:
        """Fill ``store`` with the triples of the file, closed under the engine's reasoning."""
        assert self.path is not None  # only engines made from a file are filled
        if self.reasoning == "none":
            try:
                store.bulk_load(path=str(self.path), format=self.format)
            except SyntaxError as exc:
                raise syntax_error(self.path, exc) from None
        else:
            from .reasoning import entailed_triples  # lazy: owlrl and rdflib cost about 0.3 s at start-up

            store.bulk_extend(entailed_triples(self.path, self.reasoning))
        return store

    def __len__(self) -> int:
        return len(self.store)

    def check(self, query: NamedQuery, params: dict[str, str] | None = None) -> None:
        """Refuse a bad query before a closure is made (parsed on an empty store), then make it.

        The closure is made here rather than in :meth:`run` so that its seconds do not count
        against a query's time limit.
        """
        super().check(query, params)
        if self._store is None:
            self._evaluate(ox.Store(), query, {})
            self._store = self._open()

    def run(self, query: NamedQuery, kind: str, bound: dict[str, Term], max_rows: int | None) -> Answer:
        result = self._evaluate(self.store, query, bound)
        if isinstance(result, ox.QueryTriples):
            return Answer.of_triples(kind, result, self.prefixes, max_rows, query.name)
        return Answer.of_solutions(result, self.prefixes, max_rows, query.name)

    def w3c(self, query: NamedQuery, fmt: str, max_rows: int | None) -> bytes:
        """A SELECT or ASK answer in a W3C results format (csv, tsv, json, xml), written by Oxigraph.

        The fast path of the endpoint: rows never become Python objects. Oxigraph writes TSV
        (lossless) into a :class:`CappedRows` that enforces the row cap, and the TSV is re-read
        into the asked format. CONSTRUCT and DESCRIBE go through :meth:`answer`.
        """
        kind, bound = self.prepare(query)
        if kind not in ("select", "ask"):
            raise InputError(f"{query.name}: a {kind.upper()} query returns RDF, not a results table")
        result = self._evaluate(self.store, query, bound)
        if isinstance(result, ox.QueryBoolean):
            return serialized(result.serialize(format=RESULT_FORMATS[fmt]))
        assert isinstance(result, ox.QuerySolutions)  # a SELECT query
        rows = CappedRows(max_rows, query.name)
        result.serialize(cast(IO[bytes], rows), format=ox.QueryResultsFormat.TSV)
        if fmt == "tsv":
            return rows.value()
        table = ox.parse_query_results(rows.value(), format=ox.QueryResultsFormat.TSV)
        return serialized(table.serialize(format=RESULT_FORMATS[fmt]))

    def _evaluate(
        self, store: ox.Store, query: NamedQuery, bound: dict[str, Term]
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """``query`` run on ``store``; its syntax errors and run-time refusals as one readable line."""
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(name): term for name, term in bound.items()
        }
        known = self.known
        try:
            return store.query(
                query.text, base_iri=query.base_iri, substitutions=substitutions, prefixes=known
            )
        except SyntaxError as exc:
            raise InputError(readable_syntax_error(query.name, str(exc), query.text, known)) from None
        except RuntimeError as exc:
            if "projection" in str(exc):  # Oxigraph substitutes only projected variables
                raise InputError(f"{query.name}: {exc}; add the parameter variable to SELECT") from None
            raise InputError(f"{query.name}: the query cannot run: {exc}") from None

    def triples(
        self,
        subject: ox.NamedNode | ox.BlankNode | ox.Triple | None = None,
        predicate: ox.NamedNode | None = None,
        object: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None = None,
    ) -> Iterator[ox.Triple]:
        return (quad.triple for quad in self.store.quads_for_pattern(subject, predicate, object))
