"""Answer SPARQL queries on an rdflib Graph, giving the same :class:`Answer` as Oxigraph.

For users who hold an rdflib Graph (for example from :func:`eimfs_kg.load_graph`)
and for checking that both engines give identical rows.
"""

from __future__ import annotations

import rdflib.plugins.sparql
from rdflib import Graph, Literal, URIRef

from ..errors import InputError
from ..rdf.bridge import to_oxigraph
from .library import NamedQuery, check_query, classify_value, query_kind
from .oxigraph import Answer

__all__ = ["answer_with_rdflib"]

# Never let FROM / FROM NAMED load documents, whatever check_query lets through.
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False


def answer_with_rdflib(graph: Graph, query: NamedQuery, params: dict[str, str] | None = None) -> Answer:
    """Run ``query`` on ``graph`` with rdflib; parameters go in as ``initBindings``."""
    params = params or {}
    query.check_params(params)
    check_query(query.text)
    kind = query_kind(query.text)
    prefixes = {prefix: str(ns) for prefix, ns in graph.namespaces()}
    bindings = {}
    for name, value in params.items():
        term_kind, text = classify_value(value, prefixes)
        bindings[name] = URIRef(text) if term_kind == "iri" else Literal(text)
    try:
        result = graph.query(query.text, initBindings=bindings)
    except Exception as exc:  # pyparsing's ParseException carries line and column
        if hasattr(exc, "lineno") and hasattr(exc, "col"):
            raise InputError(
                f"{query.name}: SPARQL syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}"
            ) from None
        raise
    if result.type == "ASK":
        return Answer("ask", (), [], bool(result.askAnswer), [], prefixes)
    if result.type == "CONSTRUCT":
        import pyoxigraph as ox

        triples = [ox.Triple(*(to_oxigraph(t) for t in triple)) for triple in result]
        return Answer(kind, (), [], None, triples, prefixes)
    variables = tuple(str(v) for v in result.vars)
    rows = [tuple(None if t is None else to_oxigraph(t) for t in row) for row in result]
    return Answer("select", variables, rows, None, [], prefixes)
