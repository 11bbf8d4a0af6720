"""Answer SPARQL queries on a graph file with pyoxigraph: fast start, W3C result formats.

This is the engine of the ``query`` command and of :func:`eimfs_kg.run_query`. It
imports only pyoxigraph (about 12 ms, against about 80 ms for rdflib), loads the
Turtle or N-Triples file, binds parameters through SPARQL substitutions and writes
the W3C SPARQL 1.1 result formats (CSV, TSV, JSON, XML) as Oxigraph emits them.
With ``reasoning`` the file is first closed under RDFS or OWL 2 RL with owlrl (on an
rdflib copy) and the entailed triples are queried the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, cast

import pyoxigraph as ox

from ..errors import InputError
from ..rdf.bridge import read_prefixes, serialized
from ..rdf.strict import syntax_error, vet
from .answer import RESULT_FORMATS, Answer, CappedRows
from .contract import REASONING, PreparedEngine, Term
from .library import NamedQuery
from .prelude import query_prefixes, readable_syntax_error

__all__ = ["Engine"]


class Engine(PreparedEngine):
    """A graph file loaded into an in-memory Oxigraph store, ready for queries."""

    @classmethod
    def from_store(cls, store: ox.Store, prefixes: dict[str, str], folder: Path | None = None) -> Engine:
        """An engine over an Oxigraph store that is already filled (kept on disk in ``folder``)."""
        engine = cls.__new__(cls)
        engine.path, engine.folder, engine.reasoning = None, folder, "none"
        engine.prefixes, engine.store = prefixes, store
        return engine

    #: Where the graph came from, so that another process can open the same: a file or a store.
    path: Path | None
    folder: Path | None
    reasoning: str
    store: ox.Store

    def __init__(self, path: Path, reasoning: str = "none") -> None:
        path = Path(path)
        fmt = vet(path)
        if reasoning not in REASONING:
            raise InputError(f"unknown reasoning {reasoning!r}; choose one of {', '.join(REASONING)}")
        self.path, self.folder, self.reasoning = path, None, reasoning
        self.prefixes = read_prefixes(path)
        self.store = ox.Store()
        if reasoning == "none":
            try:
                self.store.bulk_load(path=str(path), format=fmt)
            except SyntaxError as exc:
                raise syntax_error(path, exc) from None
        else:
            from .reasoning import entailed_triples  # lazy: owlrl and rdflib cost about 0.3 s at start-up

            self.store.bulk_extend(entailed_triples(path, reasoning))

    def __len__(self) -> int:
        return len(self.store)

    def run(self, query: NamedQuery, kind: str, bound: dict[str, Term], max_rows: int | None) -> Answer:
        result = self._evaluate(query, bound)
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
        result = self._evaluate(query, bound)
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
        self, query: NamedQuery, bound: dict[str, Term]
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(name): term for name, term in bound.items()
        }
        known = query_prefixes(self.prefixes)
        try:
            return self.store.query(
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
