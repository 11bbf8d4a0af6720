"""Answer SPARQL queries on a graph file with pyoxigraph: fast start, W3C result formats.

This is the engine of the ``query`` command and of :func:`eimfs_kg.run_query`. It
imports only pyoxigraph (about 12 ms, against about 80 ms for rdflib), binds parameters
through SPARQL substitutions and writes the W3C SPARQL 1.1 result formats (CSV, TSV,
JSON, XML) as Oxigraph emits them.

A graph file is parsed into memory, which for the built graph costs more than the rest of
a cold query; so an engine given a ``folder`` keeps the store there on disk (RocksDB):
filled once, published by an atomic rename, then opened read-only in milliseconds by
every later process. With ``reasoning`` the file is first closed under RDFS or OWL 2 RL
with owlrl (on an rdflib copy, seconds) and the entailed triples are stored the same way.
The store is made on first use, after :meth:`Engine.check` has accepted the query: a
query with a syntax error is refused before any closure work.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError
from ..rdf.bridge import read_prefixes
from ..rdf.strict import syntax_error, vet
from .answer import Answer
from .contract import REASONING, PreparedEngine, Term
from .library import NamedQuery
from .prelude import query_prefixes, readable_syntax_error

__all__ = ["Engine"]

#: The file of a store folder holding the graph's prefixes and those a query may use undeclared.
PREFIXES_FILE = "eimfs-kg-prefixes.json"


class Engine(PreparedEngine):
    """A graph file in an Oxigraph store (in memory, or on disk in ``folder``), ready for queries."""

    @classmethod
    def from_store(cls, store: ox.Store, prefixes: dict[str, str]) -> Engine:
        """An engine over an Oxigraph store that is already filled."""
        engine = cls.__new__(cls)
        engine.path, engine.folder, engine.prefixes, engine._store = None, None, prefixes, store
        engine._known = None
        return engine

    path: Path | None
    folder: Path | None
    _store: ox.Store | None
    _known: dict[str, str] | None

    def __init__(self, path: Path, reasoning: str = "none", folder: Path | None = None) -> None:
        path = Path(path)
        self.format = vet(path)
        if reasoning not in REASONING:
            raise InputError(f"unknown reasoning {reasoning!r}; choose one of {', '.join(REASONING)}")
        self.path, self.reasoning, self.folder = path, reasoning, folder
        saved = folder / PREFIXES_FILE if folder else None
        if saved and saved.is_file():  # reading the prefix map of prefixmaps costs more than the store
            self.prefixes, self._known = json.loads(saved.read_text(encoding="utf-8"))
        else:
            self.prefixes, self._known = read_prefixes(path), None
        self._store = None
        if reasoning == "none" and folder is None:
            self._store = self._fill(ox.Store())  # a malformed file is reported at once

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
                (tmp / PREFIXES_FILE).write_text(json.dumps([self.prefixes, self.known]), encoding="utf-8")

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
        """Refuse a bad query before the store is made (parsed on an empty store), then make it.

        The store is made here rather than in :meth:`run` so that a closure's seconds do not
        count against a query's time limit.
        """
        super().check(query, params)
        if self._store is None:
            self._query(ox.Store(), query, {})
            self._store = self._open()

    def run(self, query: NamedQuery, kind: str, bound: dict[str, Term], max_rows: int | None) -> Answer:
        result = self._query(self.store, query, bound)
        if isinstance(result, ox.QueryTriples):
            return Answer.of_triples(kind, result, self.prefixes, max_rows, query.name)
        return Answer.of_solutions(result, self.prefixes, max_rows, query.name)

    def _query(
        self, store: ox.Store, query: NamedQuery, bound: dict[str, Term]
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """``query`` run on ``store``; its syntax errors and run-time refusals as one readable line."""
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(name): term for name, term in bound.items()
        }
        known = self.known
        try:
            return store.query(query.text, substitutions=substitutions, prefixes=known)
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
