"""SPARQL text handling shared by both engines: query sources, parameters, safety.

Nothing here imports an RDF library, so the query command can decide what to load
before paying for it. A query comes from the library (``queries/NAME.rq``), from a
``.rq`` file or from inline text; its ``# param:`` lines declare the parameters.
Parameter values become RDF terms (a CURIE or IRI becomes an IRI, anything else a
literal) that the engine substitutes; they are never pasted into the text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import accumulate, chain, count
from operator import sub
from pathlib import Path
from typing import NamedTuple

from ..errors import InputError
from ..resources import internal_query_file, queries_dir

__all__ = [
    "NamedQuery",
    "check_query",
    "classify_value",
    "get_query",
    "internal_query",
    "list_queries",
    "load_query",
    "masked",
    "query_kind",
    "with_values",
]

_HEADER = re.compile(r"^#\s*(title|description|param):\s*(.*)$")
_ABSOLUTE_IRI = re.compile(r"^(https?|urn|ftp|file):\S+$")
_CURIE = re.compile(r"^([A-Za-z][\w.-]*):(\S+)$")

# Tokens of a SPARQL query that can hold text which is not syntax: strings, IRIs, comments.
_OPAQUE = re.compile(
    r"(?=[\"'<#])"  # one cheap test per position before trying the alternatives
    r'(?:"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|<+(?=<)"  # a run of '<' (no IRI starts before another '<'): one match, not one per character
    r"|#[^\n]*)",
)
_FORBIDDEN = {
    "SERVICE": "SERVICE would send part of the query to a remote endpoint",
    "LOAD": "LOAD would fetch a remote document",
    "FROM": "FROM / FROM NAMED would fetch a remote document as the dataset",
}
_FORBIDDEN_WORDS = {word.encode() for word in _FORBIDDEN}
_FORMS = (b"SELECT", b"ASK", b"CONSTRUCT", b"DESCRIBE")
#: The size cap of a query text (the endpoint caps request bodies at 1 MB likewise).
MAX_QUERY_BYTES = 1 << 20
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
#: Byte table: every ASCII byte that ends a word of SPARQL syntax becomes a space (letters, digits,
#: ``_``, ``:``, ``?``, ``$`` and non-ASCII bytes stay). A variable's ``?`` or ``$`` then starts a
#: word of its own, so ``SERVICE?x`` gives ``SERVICE`` and ``?x``, while ``?SERVICE``,
#: ``ex:SERVICE`` and ``SERVICE_1`` are not the keyword. All of it runs at C speed.
_WORD_BYTES = bytes(c if c >= 128 or chr(c).isalnum() or chr(c) in "_:?$" else 32 for c in range(256))
#: Byte table for nesting: ``{`` and ``(`` count 2, ``}`` and ``)`` count 0, every other byte is
#: deleted; the depth after n brackets is their sum minus n.
_BRACKET_BYTES = bytes(2 if chr(c) in "{(" else 0 for c in range(256))
_NOT_BRACKETS = bytes(c for c in range(256) if chr(c) not in "{}()")
#: More ``\u`` escapes than any real query has; a text with more is refused before it is decoded.
MAX_ESCAPES = 4096
#: How deep ``{...}`` groups and ``(...)`` brackets may nest: Oxigraph's parser overflows its stack
#: (and takes the process down) a few thousand levels deep; real queries stay under ten.
MAX_NESTING = 64
#: How many brackets are counted at a time when measuring nesting.
_BLOCK = 8192
_UPDATES = ("INSERT", "DELETE", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")


class NamedQuery(NamedTuple):
    """A query with its documented header: title, description and parameters.

    ``base_iri`` resolves relative IRIs in the text: a ``.rq`` file's own IRI, as for RDF files.
    A NamedTuple rather than a dataclass: ``dataclasses`` costs a cold query milliseconds.
    """

    name: str
    title: str
    description: str
    params: dict[str, str]
    text: str
    base_iri: str | None = None

    @classmethod
    def from_text(
        cls, name: str, text: str, *, strict: bool = False, base_iri: str | None = None
    ) -> NamedQuery:
        fields: dict[str, str] = {}
        params: dict[str, str] = {}
        for line in text.splitlines():
            stripped = line.strip()
            if stripped and not stripped.startswith("#"):
                break
            match = _HEADER.match(stripped)
            if not match:
                continue
            key, value = match.groups()
            if key == "param":
                param, _, what = value.partition(" ")
                params[param] = what.strip()
            else:
                fields[key] = value.strip()
        if strict and ("title" not in fields or "description" not in fields):
            raise InputError(f"{name}: a library query must start with '# title:' and '# description:'")
        return cls(name, fields.get("title", name), fields.get("description", ""), params, text, base_iri)

    def check_params(self, params: dict[str, str]) -> None:
        """Refuse unknown parameters (listing the valid ones) and missing ones."""
        unknown = sorted(set(params) - set(self.params))
        if unknown:
            valid = ", ".join(self.params) or "none"
            raise InputError(f"query {self.name!r} has no parameter {unknown[0]!r}; valid: {valid}")
        missing = [p for p in self.params if p not in params]
        if missing:
            raise InputError(
                f"query {self.name!r} needs --param {missing[0]}=VALUE ({self.params[missing[0]]})"
            )


def list_queries() -> list[NamedQuery]:
    """Every query of the library, sorted by name."""
    return [
        NamedQuery.from_text(p.stem, p.read_text(encoding="utf-8"), strict=True)
        for p in sorted(queries_dir().glob("*.rq"))
    ]


def get_query(name: str) -> NamedQuery:
    """The library query ``name``; an unknown name is an error that suggests the closest ones."""
    path = queries_dir() / f"{name}.rq"
    if path.is_file():
        return NamedQuery.from_text(name, path.read_text(encoding="utf-8"), strict=True)
    names = [p.stem for p in queries_dir().glob("*.rq")]
    import difflib  # lazy: only a misspelt name needs it, and a cold query feels every import

    close = difflib.get_close_matches(name, names, n=3, cutoff=0.4)
    hint = f"; did you mean {', '.join(close)}?" if close else "; see `eimfs-kg queries`"
    raise InputError(f"no query named {name!r}{hint}")


def internal_query(name: str) -> NamedQuery:
    """A query the package runs itself (``queries/internal/NAME.rq``): analysis, comparison, checks."""
    return NamedQuery.from_text(name, internal_query_file(name).read_text(encoding="utf-8"), strict=True)


def _cap(size: int, where: str) -> None:
    if size > MAX_QUERY_BYTES:
        raise InputError(f"{where}: over {MAX_QUERY_BYTES >> 10} KiB; a query is not that long")


def load_query(source: str | None = None, sparql: str | None = None) -> NamedQuery:
    """Resolve a library name, a ``.rq`` file, or inline SPARQL text into a query."""
    if sparql is not None:
        _cap(len(sparql.encode()), "--sparql")
        return NamedQuery.from_text("--sparql", sparql)
    if source is None:
        raise InputError("give a query name, a .rq file or --sparql TEXT")
    path = Path(source)
    if source.endswith(".rq"):
        if not path.is_file():
            raise InputError(f"{source}: no such query file")
        _cap(path.stat().st_size, source)
        text = path.read_text(encoding="utf-8")
        return NamedQuery.from_text(path.name, text, base_iri=path.resolve().as_uri())
    return get_query(source)


@lru_cache(maxsize=8)
def masked(text: str) -> str:
    """The query with its strings, IRIs and comments blanked out (same length, same lines)."""
    return _OPAQUE.sub(_blank, text)


def _blank(match: re.Match[str]) -> str:
    token = match.group()
    if "\n" not in token:  # only long strings hold line breaks
        return " " * len(token)
    return "\n".join(" " * len(line) for line in token.split("\n"))


@lru_cache(maxsize=8)
def _words(text: str) -> list[bytes]:
    """The words of a query's syntax (see :func:`_syntax`), upper-cased, in order, as bytes."""
    syntax = _syntax_bytes(text).translate(_WORD_BYTES)
    return syntax.replace(b"?", b" ?").replace(b"$", b" $").split()


@lru_cache(maxsize=8)
def _syntax(text: str) -> str:
    """The query as its parser reads it, upper-cased, with strings, IRIs and comments blanked out.

    Kept for the few texts last seen: the checks, the query form and the engine all ask for it.
    """
    return _OPAQUE.sub(" ", _unescape_codepoints(text)).upper()


@lru_cache(maxsize=8)
def _syntax_bytes(text: str) -> bytes:
    """:func:`_syntax` as bytes, which the word and bracket counts split at C speed."""
    return _syntax(text).encode("utf-8", "surrogatepass")


def _too_deep(text: str) -> bool:
    """Whether groups ``{}`` and brackets ``()`` of a query nest deeper than :data:`MAX_NESTING`.

    Counted in blocks, so a text that is too deep early (a million ``{``) is refused at once.
    """
    steps = _syntax_bytes(text).translate(_BRACKET_BYTES, _NOT_BRACKETS)
    if len(steps) <= MAX_NESTING:  # cannot nest deeper than it has brackets
        return False
    level = 0  # the depth before the block
    for start in range(0, len(steps), _BLOCK):
        block = steps[start : start + _BLOCK]
        levels = list(map(sub, accumulate(block, initial=level + start), count(start)))[1:]
        if max(levels) > MAX_NESTING:
            return True
        level = levels[-1]
    return False


def _unescape_codepoints(text: str) -> str:
    """The text as a SPARQL parser may read it: ``\\u0053ERVICE`` is SERVICE to rdflib."""
    if "\\u" not in text and "\\U" not in text:
        return text
    escapes = text.count("\\u") + text.count("\\U")
    if escapes > MAX_ESCAPES:
        raise InputError(f"refused: {escapes} \\u escapes; at most {MAX_ESCAPES} are allowed")
    # split() gives text, short code, long code, text, ...: one pass, no call per escape
    parts = _CODEPOINT.split(text)
    codes = (chr(int(short or long, 16)) for short, long in zip(parts[1::3], parts[2::3], strict=True))
    return "".join(chain.from_iterable(zip(parts[::3], [*codes, ""], strict=True)))


def check_query(text: str) -> None:
    """Refuse, before running, any query that could make the engine fetch or change data.

    Both engines would fetch: Oxigraph evaluates SERVICE, LOAD and FROM with its own HTTP
    client (native code, out of reach of Python's audit hooks), rdflib with urllib.
    """
    if _too_deep(text):
        raise InputError(
            f"refused: groups and brackets nest more than {MAX_NESTING} levels deep; "
            f"at most {MAX_NESTING} are allowed"
        )
    words = set(_words(text))
    forbidden = sorted(word.decode() for word in words & _FORBIDDEN_WORDS)
    if forbidden:
        raise InputError(f"refused: {_FORBIDDEN[forbidden[0]]}; queries here run only on the local graph")
    first = next((w.decode() for w in _words(text) if w.isalpha() and w not in (b"PREFIX", b"BASE")), "")
    if first in _UPDATES or not {b"INSERT", b"DELETE"}.isdisjoint(words):
        raise InputError(
            f"refused: {first if first in _UPDATES else 'INSERT/DELETE'} is a "
            "SPARQL update; the graph is read-only"
        )


def query_kind(text: str) -> str:
    """``select``, ``ask``, ``construct`` or ``describe``: the form of the query."""
    form = next((w for w in _words(text) if w in _FORMS), None)
    if form:
        return form.decode().lower()
    raise InputError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")


def classify_value(value: str, prefixes: dict[str, str]) -> tuple[str, str]:
    """``("iri", IRI)`` for an IRI or a CURIE with a known prefix, else ``("literal", value)``.

    >>> classify_value("HGNC:18865", {"HGNC": "http://identifiers.org/hgnc/"})
    ('iri', 'http://identifiers.org/hgnc/18865')
    >>> classify_value("MMPSI", {})
    ('literal', 'MMPSI')
    """
    match = _CURIE.match(value)
    if match and match.group(1) in prefixes and not match.group(2).startswith("//"):
        return "iri", prefixes[match.group(1)] + match.group(2)
    if _ABSOLUTE_IRI.match(value):
        return "iri", value
    return "literal", value


def with_values(text: str, terms: dict[str, str]) -> str:
    """The query with ``VALUES`` binding each variable to its term, first in the WHERE group.

    ``terms`` maps variable names to terms already written as SPARQL (an RDF library wrote
    them, so they cannot break out of the block). Placed first in the outermost group, the
    block binds the variable for everything after it, as a local substitution would.

    >>> with_values('SELECT ?g WHERE { ?g a <x:Gene> }', {"g": "<x:KCNT1>"})
    'SELECT ?g WHERE { VALUES (?g) { (<x:KCNT1>) } ?g a <x:Gene> }'
    """
    if not terms:
        return text
    blank = masked(text)
    start = re.search(r"\bWHERE\s*\{", blank, re.IGNORECASE) or re.search(
        r"\b(?:SELECT|ASK|DESCRIBE)\b[^{]*\{", blank, re.IGNORECASE
    )
    if start is None:
        raise InputError("cannot bind parameters: the query has no WHERE group")
    names = " ".join(f"?{name}" for name in terms)
    block = f" VALUES ({names}) {{ ({' '.join(terms.values())}) }}"
    return text[: start.end()] + block + text[start.end() :]
