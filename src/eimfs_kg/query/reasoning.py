"""Entailment with owlrl, and moving terms from rdflib to Oxigraph.

``rdfs`` adds what the RDFS rules entail (class and property hierarchies, domains and
ranges), so that asking for ion channels finds the potassium and sodium channels;
``owlrl`` adds OWL 2 RL on top (inverse and transitive properties). The closure runs
on the project's own graph only: RDFS on merged big graphs is a known trap.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, Graph, Literal, URIRef

from ..rdf.bridge import load_rdf, to_oxigraph_triple
from ..vocab import EKG_IRI as _EKG

__all__ = ["entailed_triples"]

_STATEMENT_CLASSES = {URIRef(_EKG + n) for n in ("Statement", "CausalStatement", "CorrelativeStatement")}


def entailed_triples(path: Path, reasoning: str) -> Iterator[ox.Quad]:
    """The triples of ``path`` plus those entailed under ``reasoning`` (rdfs or owlrl)."""
    from owlrl import DeductiveClosure, OWLRL_Semantics, RDFS_Semantics  # lazy: about 0.2 s to import

    graph: Graph = load_rdf(path)
    # Statement nodes (provenance) entail nothing of interest; keep them out of the closure.
    statements = {s for s, _, o in graph.triples((None, RDF.type, None)) if o in _STATEMENT_CLASSES}
    provenance = [t for t in graph if t[0] in statements]
    for triple in provenance:
        graph.remove(triple)
    semantics = RDFS_Semantics if reasoning == "rdfs" else OWLRL_Semantics
    DeductiveClosure(semantics, axiomatic_triples=False, datatype_axioms=False).expand(graph)
    for triple in provenance:
        graph.add(triple)
    for s, p, o in graph:
        if isinstance(s, Literal) or not isinstance(p, URIRef):
            continue  # generalised triples (a literal as subject) that RDF cannot hold
        if isinstance(o, Literal) and o.ill_typed:
            continue  # owlrl flags ill-typed literals it derived; they are not data
        yield ox.Quad(*to_oxigraph_triple(s, p, o), ox.DefaultGraph())
