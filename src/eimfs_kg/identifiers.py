"""Expand and contract identifiers: the one place that maps CURIEs to IRIs.

Prefix expansions come from the Monarch ``merged`` context of :mod:`prefixmaps`
(the context Monarch and KG-Hub tooling use), restricted to the prefixes this graph
uses, plus the project's own namespaces. ``Orphanet:`` and ``ORPHA:`` (as MONDO and
HPO write them) are accepted as synonyms of ``ORPHANET:``. The context is read from
the CSV file prefixmaps ships, which takes milliseconds where importing prefixmaps
(and through it curies and pydantic) takes about 0.4 s.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from .errors import EimfsError
from .vocab import EKG_IRI, EKGID_IRI

__all__ = [
    "PREFIXES",
    "UnknownPrefixError",
    "contract",
    "expand",
    "prefix_map",
]


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
_PROJECT = {"ekg": EKG_IRI, "ekgid": EKGID_IRI}


class UnknownPrefixError(EimfsError):
    """A CURIE whose prefix is not one this graph knows."""


def _merged_context() -> dict[str, str]:
    """Canonical prefix -> namespace of the prefixmaps "merged" context, for :data:`PREFIXES`.

    Of the file's 17,000 rows only those naming one of our prefixes go through the CSV
    reader: that keeps the read at a few milliseconds, where reading every row takes about 50.
    """
    import csv  # lazy: a cold query reads the prefix map its store folder keeps
    import importlib.util  # lazy: as above

    spec = importlib.util.find_spec("prefixmaps")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        path = Path(location) / "data" / "merged.csv"
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            # Our rows: a CSV writer quotes no such plain name, and an IRI holds no line break.
            ours = re.compile(rf"\n[^,\n]*,(?:{'|'.join(map(re.escape, PREFIXES))}),[^\n]*")
            lines = [text[: text.index("\n")], *(row[1:] for row in ours.findall(text))]
            rows = csv.DictReader(lines)
            return {row["prefix"]: row["namespace"] for row in rows if row["status"] == "canonical"}
    from prefixmaps import load_context  # lazy: 0.4 s; only a layout without the CSV file needs it

    return load_context("merged").as_dict()


@cache
def prefix_map() -> dict[str, str]:
    """CURIE prefix -> IRI namespace for every prefix the graph uses (project ones last)."""
    merged = _merged_context()
    missing = [prefix for prefix in PREFIXES if prefix not in merged]
    if missing:
        raise EimfsError(f"prefixmaps' merged context lacks prefixes {missing}; upgrade prefixmaps")
    return {**{prefix: merged[prefix] for prefix in PREFIXES}, **_PROJECT}


@cache
def _by_prefix() -> dict[str, str]:
    names = dict(prefix_map())
    for canonical, synonyms in _SYNONYMS.items():
        names.update(dict.fromkeys(synonyms, names[canonical]))
    return names


def expand(curie: str) -> str:
    """Return the IRI of ``curie``; raise :class:`UnknownPrefixError` naming the known prefixes.

    >>> expand("HGNC:18865")
    'http://identifiers.org/hgnc/18865'
    >>> expand("Orphanet:1935")
    'http://identifiers.org/orphanet/1935'
    """
    prefix, sep, local = curie.partition(":")
    namespace = _by_prefix().get(prefix)
    if not (sep and local and namespace) or local != local.strip():
        known = ", ".join(prefix_map())
        raise UnknownPrefixError(f"{curie!r} is not a CURIE with a known prefix ({prefix!r}); known: {known}")
    return namespace + local


def contract(iri: str, prefixes: dict[str, str] | None = None) -> str:
    """Return the CURIE of ``iri`` (longest matching namespace), or ``iri`` itself.

    ``prefixes`` defaults to :func:`prefix_map`; the query engine passes the prefixes
    declared by the file it answers from.

    >>> contract("http://purl.obolibrary.org/obo/HP_0002133")
    'HP:0002133'
    """
    matches = [
        (ns, p) for p, ns in (prefix_map() if prefixes is None else prefixes).items() if iri.startswith(ns)
    ]
    if not matches:
        return iri
    namespace, prefix = max(matches, key=lambda m: len(m[0]))
    return f"{prefix}:{iri[len(namespace) :]}"
