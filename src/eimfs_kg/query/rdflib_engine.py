"""Answer SPARQL queries on an rdflib Graph, giving the same :class:`Answer` as Oxigraph.

For users who hold an rdflib Graph (for example from :func:`eimfs_kg.load_graph`)
and for checking that both engines give identical rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, cast

import pyoxigraph as ox
import rdflib.plugins.sparql
from rdflib import Graph, Literal, URIRef

from ..errors import InputError
from ..rdf.bridge import to_oxigraph, to_oxigraph_triple
from .answer import Answer
from .contract import PreparedEngine, Term
from .library import NamedQuery
from .prelude import query_prefixes

__all__ = ["RdflibEngine", "answer_with_rdflib"]

# Never let FROM / FROM NAMED load documents, whatever check_query lets through.
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False


class RdflibEngine(PreparedEngine):
    """Queries answered by rdflib on a Graph held in memory; parameters go in as ``initBindings``."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.prefixes = {prefix: str(ns) for prefix, ns in graph.namespaces()}

    def run(self, query: NamedQuery, kind: str, bound: dict[str, Term], max_rows: int | None) -> Answer:
        bindings = {
            name: URIRef(term.value) if isinstance(term, ox.NamedNode) else Literal(term.value)
            for name, term in bound.items()
        }
        try:
            result = self.graph.query(query.text, initNs=query_prefixes(self.prefixes), initBindings=bindings)
        except Exception as exc:  # pyparsing's ParseException carries line and column
            if hasattr(exc, "lineno") and hasattr(exc, "col"):
                raise InputError(
                    f"{query.name}: SPARQL syntax error at line {exc.lineno}, column {exc.col}: "
                    f"{getattr(exc, 'msg', exc)}"
                ) from None
            raise
        if result.type == "ASK":
            return Answer.of_boolean(bool(result.askAnswer), self.prefixes)
        if result.type == "CONSTRUCT":
            triples = (ox.Triple(*to_oxigraph_triple(*triple)) for triple in cast(Iterable[Any], result))
            return Answer.of_triples(kind, triples, self.prefixes, max_rows, query.name)
        variables = tuple(str(v) for v in result.vars or ())
        rows = (
            tuple(None if t is None else to_oxigraph(t) for t in row) for row in cast(Iterable[Any], result)
        )
        return Answer.of_rows(variables, rows, self.prefixes, max_rows, query.name)

    def triples(
        self,
        subject: ox.NamedNode | ox.BlankNode | ox.Triple | None = None,
        predicate: ox.NamedNode | None = None,
        object: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None = None,
    ) -> Iterator[ox.Triple]:
        pattern = tuple(None if t is None else _to_rdflib(t) for t in (subject, predicate, object))
        for triple in self.graph.triples(pattern):  # type: ignore[arg-type]
            yield ox.Triple(*to_oxigraph_triple(*triple))


def _to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> rdflib.term.Identifier:
    if isinstance(term, ox.Triple):
        raise InputError("rdflib holds no RDF-star triples")
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def answer_with_rdflib(graph: Graph, query: NamedQuery, params: dict[str, str] | None = None) -> Answer:
    """Run ``query`` on ``graph`` with rdflib (the same as ``RdflibEngine(graph).answer``)."""
    return RdflibEngine(graph).answer(query, params)
