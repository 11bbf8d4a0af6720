"""The named SPARQL queries of ``queries/`` and running them safely.

Each ``queries/<name>.rq`` starts with ``# title:``, ``# description:`` and one
``# param: NAME what it is`` line per parameter. Parameters are bound as RDF terms
through ``initBindings`` (a CURIE or IRI becomes an IRI, anything else a literal),
never pasted into the query text, so a value cannot change what the query does.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.query import Result
from rdflib.term import Node

from .errors import InputError
from .identifiers import UnknownPrefixError, expand
from .resources import queries_dir

__all__ = [
    "NamedQuery",
    "QueryResult",
    "bind_value",
    "format_table",
    "get_query",
    "list_queries",
    "run_named_query",
    "run_query",
]

_HEADER = re.compile(r"^#\s*(title|description|param):\s*(.*)$")
_IRI = re.compile(r"^(https?|urn|ftp):\S+$")


@dataclass(frozen=True)
class NamedQuery:
    """A query file of the library with its documented header."""

    name: str
    path: Path
    title: str
    description: str
    params: dict[str, str]
    text: str


@dataclass(frozen=True)
class QueryResult:
    """Rows of a SELECT query as (variable names, rows of RDF terms) plus the graph's prefixes."""

    variables: tuple[str, ...]
    rows: tuple[tuple[Node | None, ...], ...]
    graph: Graph

    def dicts(self) -> list[dict[str, str | None]]:
        """Rows as dictionaries of plain strings (IRIs and literals by their lexical form)."""
        return [
            {var: (None if v is None else str(v)) for var, v in zip(self.variables, row, strict=True)}
            for row in self.rows
        ]


def _parse(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    fields: dict[str, str] = {}
    params: dict[str, str] = {}
    for line in text.splitlines():
        match = _HEADER.match(line.strip())
        if not match:
            if line.strip() and not line.lstrip().startswith("#"):
                break
            continue
        key, value = match.groups()
        if key == "param":
            name, _, what = value.partition(" ")
            params[name] = what.strip()
        else:
            fields[key] = value.strip()
    if "title" not in fields or "description" not in fields:
        raise InputError(f"{path}: a query file must start with '# title:' and '# description:'")
    return NamedQuery(path.stem, path, fields["title"], fields["description"], params, text)


def list_queries() -> list[NamedQuery]:
    """Every named query, sorted by name."""
    return [_parse(path) for path in sorted(queries_dir().glob("*.rq"))]


def get_query(name: str) -> NamedQuery:
    """The named query ``name``; an unknown name is an error that suggests the closest ones."""
    path = queries_dir() / f"{name}.rq"
    if path.is_file():
        return _parse(path)
    names = [p.stem for p in queries_dir().glob("*.rq")]
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.4)
    hint = f"; did you mean {', '.join(close)}?" if close else "; see `eimfs-kg queries`"
    raise InputError(f"no query named {name!r}{hint}")


def bind_value(value: str) -> Node:
    """A parameter value as an RDF term: CURIE or IRI -> IRI, anything else -> literal.

    >>> bind_value("HGNC:18865")
    rdflib.term.URIRef('http://identifiers.org/hgnc/18865')
    >>> bind_value("MMPSI")
    rdflib.term.Literal('MMPSI')
    """
    if _IRI.match(value):
        return URIRef(value)
    if re.match(r"^[A-Za-z][\w.]*:\S+$", value):
        try:
            return URIRef(expand(value))
        except UnknownPrefixError:
            pass
    return Literal(value)


def run_query(graph: Graph, query: NamedQuery, params: dict[str, str] | None = None) -> QueryResult:
    """Run ``query`` on ``graph`` with ``params`` bound as RDF terms."""
    params = params or {}
    unknown = sorted(set(params) - set(query.params))
    if unknown:
        valid = ", ".join(query.params) or "none"
        raise InputError(f"query {query.name!r} has no parameter {unknown[0]!r}; valid: {valid}")
    missing = sorted(set(query.params) - set(params))
    if missing:
        raise InputError(
            f"query {query.name!r} needs --param {missing[0]}=VALUE ({query.params[missing[0]]})"
        )
    bindings = {name: bind_value(value) for name, value in params.items()}
    result: Result = graph.query(query.text, initBindings=bindings)
    variables = tuple(str(v) for v in (result.vars or ()))
    rows = tuple(tuple(row) for row in result) if result.type == "SELECT" else ()
    return QueryResult(variables, rows, graph)


def run_named_query(
    name: str, params: dict[str, str] | None = None, graph_file: Path | None = None
) -> QueryResult:
    """Run the named query on ``graph_file`` or, by default, on a fresh in-memory build."""
    if graph_file is not None:
        from .validate import load_rdf

        graph = load_rdf(graph_file)
    else:
        from .build import assemble

        graph = assemble()
    return run_query(graph, get_query(name), params)


def _cell(graph: Graph, value: Node | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Literal):
        return str(value)
    return value.n3(graph.namespace_manager) if isinstance(value, URIRef) else str(value)


def format_table(result: QueryResult) -> str:
    """A readable text table, with CURIEs instead of long IRIs."""
    header = list(result.variables)
    body = [[_cell(result.graph, value) for value in row] for row in result.rows]
    widths = [max([len(h), *(len(r[i]) for r in body)]) for i, h in enumerate(header)]
    lines = [
        "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in body]
    lines.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
    return "\n".join(lines)
