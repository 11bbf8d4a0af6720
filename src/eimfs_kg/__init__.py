"""eimfs-kg: a validated RDF knowledge graph of epilepsy of infancy with migrating focal seizures.

The public API is importable from here; heavy modules load on first use so that the
command line starts fast::

    >>> from eimfs_kg import get_query
    >>> get_query("genes").title
    'Genes of the condition and the list each comes from'
"""

from __future__ import annotations

from importlib import import_module

from .version import __version__

__all__ = [
    "Answer",
    "QueryEngine",
    "__version__",
    "assemble",
    "build",
    "build_graph",
    "get_query",
    "list_queries",
    "load_curation",
    "load_graph",
    "load_rdf",
    "open_engine",
    "run_query",
    "validate_file",
    "validate_graph",
]

_HOME = {
    "Answer": "query.answer",
    "assemble": "graph.build",
    "build": "graph.build",
    "build_graph": "graph.builder",
    "get_query": "query.library",
    "list_queries": "query.library",
    "load_curation": "curation.load",
    "load_graph": "api",
    "load_rdf": "rdf.bridge",
    "open_engine": "api",
    "QueryEngine": "query.contract",
    "run_query": "api",
    "validate_file": "graph.validate",
    "validate_graph": "graph.validate",
}


def __getattr__(name: str) -> object:
    if name in _HOME:
        return getattr(import_module(f".{_HOME[name]}", __name__), name)
    raise AttributeError(f"module 'eimfs_kg' has no attribute {name!r}")
