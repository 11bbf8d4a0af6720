"""Read the RDF files users give: strictly, within a size cap, never fetching anything.

Every command that takes an RDF file from a user (``validate``, ``query --graph``, ``load``,
``push --file``, ``export``/``analyze``/``compare``/``serve --graph``) goes through here
first. rdflib accepts dozens of invalid W3C test files and expands XML entities without a
bound, so the check is Oxigraph's parser, which rejects them, plus two refusals no parser
makes: files over the size cap, and XML that declares a DTD or entities (the "billion
laughs" and external-entity attacks live there; RDF/XML never needs them).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError

__all__ = ["MAX_INPUT_MB", "parse_strictly", "rdf_format", "syntax_error", "vet"]

#: The size cap of one input file, in MiB; the environment variable EIMFS_KG_MAX_INPUT_MB changes it.
MAX_INPUT_MB = 2048
_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ntriples": ox.RdfFormat.N_TRIPLES,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}
_REFUSED = {
    ".trix": "TriX is not read here; convert it to N-Triples",
    ".jsonld": "JSON-LD is not read here (its @context may name remote documents); convert it to Turtle",
    ".json": "JSON-LD is not read here (its @context may name remote documents); convert it to Turtle",
}
_XML_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_CHUNK = 1 << 20


def rdf_format(path: Path) -> ox.RdfFormat:
    """The format of a file, from its name; an unknown or refused kind is an error."""
    suffix = path.suffix.lower()
    if suffix in _REFUSED:
        raise InputError(f"{path}: {_REFUSED[suffix]}")
    if suffix not in _FORMATS:
        raise InputError(f"{path}: give Turtle (.ttl), N-Triples (.nt) or RDF/XML (.rdf, .owl)")
    return _FORMATS[suffix]


def _limit_bytes() -> int:
    text = os.environ.get("EIMFS_KG_MAX_INPUT_MB", "")
    try:
        return int(float(text) * (1 << 20)) if text else MAX_INPUT_MB << 20
    except ValueError:
        raise InputError(f"EIMFS_KG_MAX_INPUT_MB={text!r} is not a number of MiB") from None


def _refuse_xml_declarations(path: Path) -> None:
    """Refuse XML that declares a DTD or entities, by a scan that never expands anything."""
    with path.open("rb") as handle:
        tail = b""
        while chunk := handle.read(_CHUNK):
            match = _XML_DECLARATION.search(tail + chunk)
            if match:
                raise InputError(
                    f"{path}: refused: XML with <!{match.group(1).decode().upper()}> declarations; "
                    "DTDs and entities are not allowed in RDF/XML input here (they can expand "
                    "without bound or read local files)"
                )
            tail = chunk[-16:]


def vet(path: Path) -> ox.RdfFormat:
    """The checks that need no parse: the file exists, is of a known kind, under the cap, no DTD."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    fmt = rdf_format(path)
    size, limit = path.stat().st_size, _limit_bytes()
    if size > limit:
        raise InputError(
            f"{path}: {size / (1 << 20):,.0f} MiB is over the {limit / (1 << 20):,.0f} MiB input cap; "
            "set EIMFS_KG_MAX_INPUT_MB to raise it"
        )
    if fmt == ox.RdfFormat.RDF_XML:
        _refuse_xml_declarations(path)
    return fmt


def syntax_error(path: Path, exc: SyntaxError, what: str = "nothing read") -> InputError:
    """A parser's error as a message naming the file, line and column."""
    message = re.sub(r"\s*\((?:[^()]*, )?line \d+\)$", "", str(exc))
    where = f", line {exc.lineno}, column {exc.offset}" if exc.lineno else ""
    return InputError(f"{path}{where}: not valid RDF ({what}): {message}")


def parse_strictly(path: Path, what: str = "nothing read", base_iri: str | None = None) -> list[ox.Triple]:
    """Every distinct triple of an RDF file, or an error naming the file, line and column.

    Relative IRIs resolve against ``base_iri``, by default the file's own ``file:`` IRI, as
    the Turtle and RDF/XML specifications say and as rdflib does when it reads the same file.
    """
    fmt = vet(path)
    base = base_iri or Path(path).resolve().as_uri()
    try:
        return list(dict.fromkeys(ox.parse(path=str(path), format=fmt, base_iri=base)))
    except SyntaxError as exc:
        raise syntax_error(path, exc, what) from None
