"""Between rdflib and Oxigraph: terms, graphs and the canonical Turtle every output shares.

rdflib holds graphs that are built or edited in Python (the builder, validation, enrichment);
Oxigraph answers queries and writes RDF about twenty times faster. Terms and triples cross
here, and only here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..errors import InputError
from ..vocab import RDF_IRI, XSD_IRI
from .strict import parse_strictly, rdf_format

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

__all__ = [
    "PREFIXES_FILE",
    "load_rdf",
    "oxigraph_copy",
    "rdflib_graph",
    "read_prefixes",
    "serialize",
    "sorted_ntriples",
    "to_oxigraph",
    "to_oxigraph_triple",
    "to_rdflib",
    "turtle",
]

XSD_STRING = XSD_IRI + "string"
RDF_LANG_STRING = RDF_IRI + "langString"
_PREFIX_LINE = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE)


def serialized(data: bytes | None) -> bytes:
    """What ``ox.serialize`` or ``Store.dump`` wrote (bytes, as no output file was given)."""
    assert data is not None
    return data


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The Oxigraph term equal to an rdflib term (plain literals become xsd:string)."""
    from rdflib import BNode, Literal, URIRef  # lazy: rdflib costs about 80 ms at start-up

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        datatype = str(term.datatype) if term.datatype else XSD_STRING
        return ox.Literal(str(term), datatype=ox.NamedNode(datatype))
    raise TypeError(f"not an RDF term: {term!r}")


def to_oxigraph_triple(
    subject: Node, predicate: Node, object: Node
) -> tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.NamedNode | ox.BlankNode | ox.Literal]:
    """The Oxigraph terms of an rdflib triple (a literal subject or a non-IRI predicate is an error)."""
    return to_triple(subject, predicate, object, to_oxigraph)


def to_triple(
    subject: Node,
    predicate: Node,
    object: Node,
    convert: Callable[[Node], ox.NamedNode | ox.BlankNode | ox.Literal],
) -> tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.NamedNode | ox.BlankNode | ox.Literal]:
    """An rdflib triple with each term converted by ``convert``, checked to be an RDF triple."""
    s, p, o = convert(subject), convert(predicate), convert(object)
    if isinstance(s, ox.Literal) or not isinstance(p, ox.NamedNode):
        raise TypeError(f"not an RDF triple: {subject!r} {predicate!r} {object!r}")
    return s, p, o


#: The file of a store folder with the prefixes its graph declares (JSON object).
PREFIXES_FILE = "eimfs-kg-prefixes.json"


def read_prefixes(path: Path) -> dict[str, str]:
    """The prefixes declared at the head of a Turtle file (read without a full parse)."""
    prefixes: dict[str, str] = {}
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            match = _PREFIX_LINE.match(line)
            if match:
                prefixes[match.group(1)] = match.group(2)
            elif line.strip() and not line.lstrip().startswith("#"):
                break  # the first statement: declarations are over
    return prefixes


def load_rdf(path: Path) -> Graph:
    """Parse an RDF file into rdflib once Oxigraph's strict parser has accepted it.

    rdflib alone lets invalid files through (bad IRIs, bad escapes), so the strict parse
    comes first and names the file, line and column of the first error.
    """
    from rdflib import Graph  # lazy: rdflib costs about 80 ms at start-up

    path = Path(path)
    parse_strictly(path)
    fmt = {ox.RdfFormat.N_TRIPLES: "nt", ox.RdfFormat.RDF_XML: "xml"}.get(rdf_format(path), "turtle")
    return Graph().parse(path, format=fmt)


def to_rdflib(node: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    """The rdflib term equal to an Oxigraph term (an ``xsd:string`` literal is plain, as rdflib's
    parsers leave it)."""
    from rdflib import BNode, Literal, URIRef  # lazy: rdflib costs about 0.1 s at start-up

    if isinstance(node, ox.NamedNode):
        return URIRef(node.value)
    if isinstance(node, ox.BlankNode):
        return BNode(node.value)
    if isinstance(node, ox.Literal):
        datatype = None if node.datatype.value in (XSD_STRING, RDF_LANG_STRING) else node.datatype.value
        return Literal(node.value, lang=node.language, datatype=datatype and URIRef(datatype))
    raise InputError("rdflib holds no RDF-star triples")


def rdflib_graph(quads: Iterable[ox.Quad], prefixes: dict[str, str]) -> Graph:
    """An rdflib graph of Oxigraph quads (their default-graph triples), with ``prefixes`` bound.

    Each distinct term is converted once: a graph repeats its terms.
    """
    from rdflib import Graph  # lazy: rdflib costs about 0.1 s at start-up

    graph = Graph()
    for prefix, namespace in prefixes.items():
        graph.bind(prefix, namespace)
    terms: dict[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple, Node] = {}

    def term(node: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
        try:
            return terms[node]
        except KeyError:
            converted = terms[node] = to_rdflib(node)
            return converted

    for quad in quads:
        graph.add((term(quad.subject), term(quad.predicate), term(quad.object)))
    return graph


def oxigraph_copy(data: Graph) -> ox.Store:
    """The triples of an rdflib Graph in an Oxigraph store.

    Each distinct term is converted once (a graph repeats its terms: about 4 000 terms make
    the 18 000 triples of the build), which is twice as fast as going through N-Triples text.
    """
    store = ox.Store()
    terms: dict[Node, ox.NamedNode | ox.BlankNode | ox.Literal] = {}

    def term(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        try:
            return terms[node]
        except KeyError:
            converted = terms[node] = to_oxigraph(node)
            return converted

    try:
        store.bulk_extend(ox.Quad(*to_triple(s, p, o, term)) for s, p, o in data)
    except (ValueError, TypeError) as exc:  # an IRI or language tag rdflib let through, a literal subject
        raise InputError(f"the graph holds an invalid IRI or literal: {exc}") from None
    return store


def sorted_ntriples(store: ox.Store) -> bytes:
    """The N-Triples of ``store``'s default graph, lines sorted: the canonical order of every export.

    A line is ``subject predicate object .`` in N-Triples, so sorting the lines (their UTF-8 bytes
    sort as their text does) sorts the triples by their terms' N-Triples text, subject first,
    without making a Python object per term.
    """
    lines = serialized(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())).splitlines()
    lines.sort()
    return b"".join(line + b"\n" for line in lines)


def _starts_an_iri(ntriples: bytes, namespace: str) -> bool:
    """Whether an IRI of the N-Triples text starts with ``namespace``.

    A search of the whole text for ``<namespace``; a hit counts when it is where a line's subject,
    predicate or object begins (not inside a literal that happens to hold such text).
    """
    needle = b"<" + namespace.encode()
    at = ntriples.find(needle)
    while at >= 0:
        start = ntriples.rfind(b"\n", 0, at) + 1
        subject, predicate, _ = ntriples[start : ntriples.index(b"\n", at)].split(b" ", 2)
        if at - start in (0, len(subject) + 1, len(subject) + len(predicate) + 2):
            return True
        at = ntriples.find(needle, at + 1)
    return False


def turtle(store: ox.Store, prefixes: dict[str, str]) -> bytes:
    """Stable, reviewable Turtle: triples sorted, grouped by subject, written by Oxigraph.

    Oxigraph writes Turtle about 20 times faster than rdflib; sorting the triples
    first makes the bytes depend only on the graph. Of ``prefixes``, those whose namespace
    starts an IRI of the graph are declared.
    """
    ntriples = sorted_ntriples(store)
    declared = {p: ns for p, ns in prefixes.items() if p and _starts_an_iri(ntriples, ns)}
    # Oxigraph wrote the text, so its lenient parser (no checks: twice as fast) reads it back
    quads = ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES, lenient=True)
    return serialized(ox.serialize(quads, format=ox.RdfFormat.TURTLE, prefixes=declared))


def serialize(graph: Graph, store: ox.Store | None = None) -> bytes:
    """:func:`turtle` of an rdflib graph with its prefixes (``store``: its Oxigraph copy, if made)."""
    store = oxigraph_copy(graph) if store is None else store
    return turtle(store, {p: str(ns) for p, ns in graph.namespaces()})
