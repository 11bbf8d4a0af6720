"""The Python API in two calls: load the built graph, run a query on it.

>>> from eimfs_kg import run_query
>>> answer = run_query("most-common-causes")
>>> [(row["rank"], row["symbol"]) for row in answer.dicts()]
[('1', 'KCNT1'), ('2', 'SCN2A')]
>>> run_query("condition-by-name", {"name": "MMPSI"}).dicts()[0]["denotesLabel"]
'epilepsy of infancy with migrating focal seizures'
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .query.library import load_query
from .query.oxigraph import Answer, Engine

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["load_graph", "run_query"]


def load_graph(path: str | Path | None = None) -> Graph:
    """The built graph as an rdflib Graph (default: the cached build of the packaged data)."""
    from .graph.cache import default_graph
    from .rdf.bridge import load_rdf

    return load_rdf(Path(path) if path else default_graph())


def run_query(
    query: str,
    params: dict[str, str] | None = None,
    *,
    graph: Graph | str | Path | None = None,
    reasoning: str = "none",
) -> Answer:
    """Run a library query (by name), a ``.rq`` file or SPARQL text.

    ``graph`` is a graph file (default: the built graph) answered by Oxigraph, or an
    rdflib Graph answered by rdflib. Rows come back as :meth:`Answer.dicts`, as a
    pandas DataFrame with :meth:`Answer.to_dataframe`, or in a W3C format with
    :meth:`Answer.render`.
    """
    named = load_query(sparql=query) if _looks_like_sparql(query) else load_query(query)
    if graph is not None and not isinstance(graph, str | Path):
        from .query.rdflib_engine import answer_with_rdflib

        return answer_with_rdflib(graph, named, params)
    from .graph.cache import default_graph

    return Engine(Path(graph) if graph else default_graph(), reasoning).answer(named, params)


def _looks_like_sparql(text: str) -> bool:
    return any(c in text for c in "{ \n")
