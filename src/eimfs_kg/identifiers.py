"""Expand and contract identifiers: the one place that maps CURIEs to IRIs.

Prefix expansions come from the Monarch ``merged`` context of :mod:`prefixmaps`
(the context Monarch and KG-Hub tooling use), restricted to the prefixes this graph
uses, plus the project's own namespaces. ``Orphanet:`` and ``ORPHA:`` (as MONDO and
HPO write them) are accepted as synonyms of ``ORPHANET:``.
"""

from __future__ import annotations

from functools import cache

from .errors import EimfsError

__all__ = [
    "EKG",
    "EKGID",
    "PREFIXES",
    "UnknownPrefixError",
    "contract",
    "converter",
    "expand",
    "prefix_map",
]

EKG = "https://w3id.org/eimfs-kg/vocab/"
EKGID = "https://w3id.org/eimfs-kg/id/"

#: Prefixes of the field taken from the prefixmaps ``merged`` context, in display order.
PREFIXES: tuple[str, ...] = (
    "MONDO",
    "OMIM",
    "ORPHANET",
    "UMLS",
    "MEDGEN",
    "GTR",
    "ICD10",
    "HGNC",
    "NCBIGene",
    "UniProtKB",
    "HP",
    "GO",
    "SO",
    "CHEBI",
    "CL",
    "ECO",
    "RO",
    "PMID",
    "PMC",
    "DOI",
    "NCBIBOOK",
    "MEDLINEPLUS",
    "biolink",
)
_SYNONYMS = {"ORPHANET": ["Orphanet", "ORPHA"], "DOI": ["doi"]}
_PROJECT = {"ekg": EKG, "ekgid": EKGID}


class UnknownPrefixError(EimfsError):
    """A CURIE whose prefix is not one this graph knows."""


@cache
def prefix_map() -> dict[str, str]:
    """CURIE prefix -> IRI namespace for every prefix the graph uses (project ones last)."""
    from prefixmaps import load_context

    merged = load_context("merged").as_dict()
    missing = [prefix for prefix in PREFIXES if prefix not in merged]
    if missing:
        raise EimfsError(f"prefixmaps' merged context lacks prefixes {missing}; upgrade prefixmaps")
    return {**{prefix: merged[prefix] for prefix in PREFIXES}, **_PROJECT}


@cache
def converter():  # -> curies.Converter (imported lazily: it costs ~0.3 s)
    """A :class:`curies.Converter` over :func:`prefix_map`, with prefix synonyms."""
    import curies

    records = [
        curies.Record(prefix=prefix, uri_prefix=iri, prefix_synonyms=_SYNONYMS.get(prefix, []))
        for prefix, iri in prefix_map().items()
    ]
    return curies.Converter(records)


def expand(curie: str) -> str:
    """Return the IRI of ``curie``; raise :class:`UnknownPrefixError` naming the known prefixes.

    >>> expand("HGNC:18865")
    'http://identifiers.org/hgnc/18865'
    >>> expand("Orphanet:1935")
    'http://identifiers.org/orphanet/1935'
    """
    prefix, sep, local = curie.partition(":")
    iri = converter().expand(curie) if sep and local else None
    if iri is None:
        known = ", ".join(prefix_map())
        raise UnknownPrefixError(f"{curie!r} is not a CURIE with a known prefix ({prefix!r}); known: {known}")
    return iri


def contract(iri: str) -> str:
    """Return the CURIE of ``iri``, or ``iri`` itself when no prefix covers it.

    >>> contract("http://purl.obolibrary.org/obo/HP_0002133")
    'HP:0002133'
    """
    return converter().compress(iri) or iri
