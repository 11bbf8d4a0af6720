"""The one contract every query engine keeps, and the prelude they share.

A :class:`QueryEngine` answers a :class:`~eimfs_kg.query.library.NamedQuery` with parameters and
gives an :class:`~eimfs_kg.query.answer.Answer`; it also lists the triples matching a pattern
(the entity pages of the server use that). :class:`PreparedEngine` writes the prelude once:
the parameters are checked against the query's ``# param:`` lines, the query is refused if it
could fetch or change data, and each parameter value becomes an RDF term (never text pasted
into the query). An engine then only runs the prepared query: Oxigraph
(:class:`~eimfs_kg.query.oxigraph.Engine`), rdflib
(:class:`~eimfs_kg.query.rdflib_engine.RdflibEngine`) or a remote store
(:class:`~eimfs_kg.stores.remote.RemoteEngine`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import Protocol, runtime_checkable

import pyoxigraph as ox

from ..errors import InputError
from .answer import Answer
from .library import NamedQuery, check_query, classify_value, query_kind

__all__ = ["REASONING", "PreparedEngine", "QueryEngine", "Term", "parameter_term"]

#: Entailment regimes a local engine can answer over.
REASONING = ("none", "rdfs", "owlrl")

Term = ox.NamedNode | ox.Literal


@runtime_checkable
class QueryEngine(Protocol):
    """What the CLI, the server, validation and analysis need from any engine."""

    prefixes: dict[str, str]

    def check(self, query: NamedQuery, params: dict[str, str] | None = None) -> None:
        """Refuse ``query`` with ``params`` as :meth:`answer` would, without running it."""
        ...

    def answer(
        self, query: NamedQuery, params: dict[str, str] | None = None, max_rows: int | None = None
    ) -> Answer:
        """Run ``query`` with ``params``; an answer longer than ``max_rows`` is an error."""
        ...

    def triples(
        self,
        subject: ox.NamedNode | ox.BlankNode | ox.Triple | None = None,
        predicate: ox.NamedNode | None = None,
        object: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None = None,
    ) -> Iterable[ox.Triple]:
        """The triples matching a pattern (``None`` matches anything)."""
        ...


def parameter_term(value: str, prefixes: dict[str, str]) -> Term:
    """A parameter value as an RDF term: an IRI for an IRI or a CURIE of ``prefixes``, else a literal."""
    kind, text = classify_value(value, prefixes)
    if kind == "literal":
        return ox.Literal(text)
    try:
        return ox.NamedNode(text)
    except ValueError as exc:
        raise InputError(f"parameter value {value!r} is not a valid IRI: {exc}") from None


class PreparedEngine(ABC):
    """An engine whose :meth:`answer` checks, refuses and binds before :meth:`run` runs the query."""

    prefixes: dict[str, str]

    def bind(self, value: str) -> Term:
        """A parameter value as an RDF term, using the engine's prefixes for CURIEs."""
        return parameter_term(value, self.prefixes)

    def check(self, query: NamedQuery, params: dict[str, str] | None = None) -> None:
        """Refuse ``query`` with ``params`` if its parameters are unknown or it could fetch or change data."""
        query.check_params(params or {})
        check_query(query.text)

    def answer(
        self, query: NamedQuery, params: dict[str, str] | None = None, max_rows: int | None = None
    ) -> Answer:
        """Run ``query`` with ``params``; refuse unsafe queries before running them.

        With ``max_rows``, an answer longer than that is an error (raised as soon as the
        row past the cap arrives, so a huge answer never fills memory).
        """
        kind, bound = self.prepare(query, params)
        return self.run(query, kind, bound, max_rows)

    def prepare(self, query: NamedQuery, params: dict[str, str] | None = None) -> tuple[str, dict[str, Term]]:
        """The query's form and its parameters as RDF terms, once the query is known to be safe."""
        params = params or {}
        self.check(query, params)
        return query_kind(query.text), {name: self.bind(value) for name, value in params.items()}

    @abstractmethod
    def run(self, query: NamedQuery, kind: str, bound: dict[str, Term], max_rows: int | None) -> Answer:
        """Run a checked query of form ``kind`` with its parameters bound to ``bound``."""

    @abstractmethod
    def triples(
        self,
        subject: ox.NamedNode | ox.BlankNode | ox.Triple | None = None,
        predicate: ox.NamedNode | None = None,
        object: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None = None,
    ) -> Iterable[ox.Triple]:
        """The triples matching a pattern (``None`` matches anything)."""
