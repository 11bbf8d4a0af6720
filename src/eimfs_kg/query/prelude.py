"""Free SPARQL that just works: predeclared prefixes, readable syntax errors, names that parse.

* :func:`query_prefixes` are the prefixes every query may use without declaring them: the
  project's and the field's (``ekg``, ``ekgid``, ``NCBIGene``, ``MONDO``, ``HP`` ...), those the
  graph file declares, and the W3C ones (``rdf``, ``rdfs``, ``owl``, ``xsd``, ``skos``,
  ``dcterms`` ...). A query's own ``PREFIX`` lines win over them.
* :func:`readable_syntax_error` turns a parser's message (Oxigraph lists expected characters
  as Unicode ranges over several lines) into one line: line, column, what was expected in words
  and, for an unknown prefix, its name and the known ones.
* :func:`display_name` is how a table prints an IRI: its CURIE when the CURIE parses back to the
  same IRI in SPARQL, else ``<IRI>``, so every printed name can be pasted into a query.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pyoxigraph as ox

from ..identifiers import prefix_map
from ..vocab import (
    DCAT_IRI,
    DCTERMS_IRI,
    FOAF_IRI,
    OBOINOWL_IRI,
    OWL_IRI,
    PROV_IRI,
    RDF_IRI,
    RDFS_IRI,
    SHACL_IRI,
    SKOS_IRI,
    VOID_IRI,
    XSD_IRI,
)
from .library import masked

__all__ = ["W3C_PREFIXES", "display_name", "query_prefixes", "readable_syntax_error", "unknown_prefixes"]

#: Prefixes of W3C and other common vocabularies, declared for every query.
W3C_PREFIXES: dict[str, str] = {
    "rdf": RDF_IRI,
    "rdfs": RDFS_IRI,
    "owl": OWL_IRI,
    "xsd": XSD_IRI,
    "skos": SKOS_IRI,
    "dcterms": DCTERMS_IRI,
    "prov": PROV_IRI,
    "void": VOID_IRI,
    "dcat": DCAT_IRI,
    "foaf": FOAF_IRI,
    "sh": SHACL_IRI,
    "oboInOwl": OBOINOWL_IRI,
}

_PREFIXED = re.compile(r"(?<![\w?$:<])([A-Za-z][\w.-]*)?:(?=[\w%\\-]|\s|[;,.)}\]]|$)")
_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)
_ERROR_AT = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.DOTALL)


def query_prefixes(graph_prefixes: dict[str, str]) -> dict[str, str]:
    """The prefixes a query may use undeclared: W3C ones, the project's, then the graph's own."""
    return {**W3C_PREFIXES, **prefix_map(), **graph_prefixes}


def declared_prefixes(text: str) -> set[str]:
    """The prefixes a query declares itself (``PREFIX p: <...>``)."""
    return {m.group(1) or "" for m in _DECLARED.finditer(masked(text))}


def unknown_prefixes(text: str, known: dict[str, str]) -> list[str]:
    """Prefixes the query uses but neither declares nor finds in ``known``, in order of use."""
    declared = declared_prefixes(text)
    used = dict.fromkeys(_PREFIXED.findall(masked(text)))  # in order of use, without a loop per use
    return [p for p in used if p not in declared and p not in known]


def with_prefix_lines(text: str, prefixes: dict[str, str]) -> str:
    """``text`` with ``PREFIX`` declarations for the prefixes it uses without declaring.

    They go on the query's first line, so line numbers in a remote store's errors stay right.
    """
    mask = masked(text)
    declared = declared_prefixes(text)
    used = {m.group(1) or "" for m in _PREFIXED.finditer(mask)}
    wanted = sorted(p for p in used if p in prefixes and p not in declared)
    if not wanted:
        return text
    return "".join(f"PREFIX {p}: <{prefixes[p]}> " for p in wanted) + text


# What Oxigraph's "expected one of" items mean, in words.
_WORDS = [
    (re.compile(r"^\[?'0'\s*\.\.=?\s*'9'\]?$"), "a number"),
    (re.compile(r"A'\s*\.\.=\s*'Z'"), "a name"),
    (re.compile(r"^\[_\]$|^\['_'\]$"), "a name"),
    (re.compile(r"^\"(\?|\$)\"$"), "a variable (?x)"),
    (re.compile(r"^\"<\"$"), "an IRI (<...>)"),
    (re.compile(r"^\"(\\\"|'|\\\"\\\"\\\"|''')\"$"), "a string"),
    (re.compile(r"^\"_:\"$"), "a blank node"),
    (re.compile(r"^\"(<<|<<\()\"$"), "a quoted triple"),
    (re.compile(r"^\[?'\\\\'\]?$|^\['%'\]$"), "an escape"),
]


def _items(expected: str) -> list[str]:
    """The items of an ``expected one of`` list (commas inside brackets or quotes kept)."""
    items, depth, current, quote = [], 0, "", ""
    for char in expected:
        if quote:
            current += char
            if char == quote and not current.endswith("\\" + quote):
                quote = ""
            continue
        if char in "\"'":
            quote = char
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif char == "," and depth == 0:
            items.append(current.strip())
            current = ""
            continue
        current += char
    if current.strip():
        items.append(current.strip())
    return items


def _in_words(expected: str) -> str:
    words: list[str] = []
    items = _items(" ".join(expected.split()))
    if {"ABS", "STR"} & set(items):
        return "an expression (a variable, a value or a function such as STR)"
    for item in items:
        word = next((w for pattern, w in _WORDS if pattern.search(item)), None)
        if word is None:
            if item.startswith("[") or ".." in item:
                continue  # a character class not worth naming
            word = item if re.fullmatch(r"[A-Za-z]\w*", item) else f"'{item.strip(chr(34))}'"
        if word not in words:
            words.append(word)
    # What a person reads first: kinds of term, then keywords, then punctuation.
    words.sort(key=lambda w: 0 if w.startswith(("a ", "an ")) else 1 if w[0].isalpha() else 2)
    if len(words) > 10:
        words = [*words[:10], "..."]
    return ", ".join(words) or "something else"


def _near(text: str, line: int, column: int) -> str:
    lines = text.splitlines() or [""]
    if not 1 <= line <= len(lines):
        return ""
    text_line = lines[line - 1]
    if column > len(text_line.rstrip()):
        return " (the end of the line)"
    snippet = text_line[max(0, column - 16) : column + 16].strip()
    return f" near '{snippet}'" if snippet else ""


def _where_used(text: str, prefix: str) -> str:
    """`` (line L, column C)`` of the first use of ``prefix:`` outside strings, IRIs and comments."""
    mask = masked(text)
    declared = declared_prefixes(text)
    for match in _PREFIXED.finditer(mask):
        if (match.group(1) or "") == prefix and prefix not in declared:
            line = mask.count("\n", 0, match.start()) + 1
            column = match.start() - (mask.rfind("\n", 0, match.start()) + 1) + 1
            return f" (line {line}, column {column})"
    return ""


def readable_syntax_error(name: str, message: str, text: str, known: dict[str, str]) -> str:
    """One line saying where the query is wrong and what would have been right there."""
    match = _ERROR_AT.search(message)
    unknown = unknown_prefixes(text, known) if "Prefix not found" in message else []
    if unknown:
        where = _where_used(text, unknown[0])
        names = ", ".join(sorted(known, key=str.lower))
        alike = [p for p in known if p.lower() == unknown[0].lower()]
        hint = f" (did you mean {alike[0]}:?)" if alike else ""
        return (
            f"{name}: SPARQL syntax error{where}: unknown prefix '{unknown[0]}:'{hint}; declare it with "
            f"PREFIX {unknown[0]}: <...> or use one of the known prefixes: {names}"
        )
    if not match:
        return f"{name}: SPARQL syntax error: {' '.join(message.split())}"
    line, column, what = int(match.group(1)), int(match.group(2)), match.group(3)
    what = " ".join(what.split())
    if what.startswith("expected one of "):
        what = "expected one of " + _in_words(what[len("expected one of ") :])
    elif what.startswith("expected "):
        what = "expected " + _in_words(what[len("expected ") :])
    return f"{name}: SPARQL syntax error at line {line}, column {column}{_near(text, line, column)}: {what}"


_PARSER = ox.Store()


@lru_cache(maxsize=1 << 16)
def _parses(prefix: str, namespace: str, local: str) -> bool:
    """Whether ``prefix:local`` reads back as ``namespace + local`` in a SPARQL query."""
    try:
        results = _PARSER.query(
            f"SELECT ?x WHERE {{ VALUES ?x {{ {prefix}:{local} }} }}", prefixes={prefix: namespace}
        )
        if not isinstance(results, ox.QuerySolutions):
            return False
        value = next(iter(results))["x"]
    except (SyntaxError, StopIteration):
        return False
    return isinstance(value, ox.NamedNode) and value.value == namespace + local


def display_name(iri: str, prefixes: dict[str, str]) -> str:
    """The IRI as a CURIE of ``prefixes`` if that CURIE parses back to it, else as ``<IRI>``.

    >>> display_name("http://identifiers.org/hgnc/18865", {"HGNC": "http://identifiers.org/hgnc/"})
    'HGNC:18865'
    >>> display_name("https://w3id.org/eimfs-kg/id/a.b.c", {"ekgid": "https://w3id.org/eimfs-kg/id/"})
    '<https://w3id.org/eimfs-kg/id/a.b.c>'
    """
    matches = [(ns, p) for p, ns in prefixes.items() if ns and iri.startswith(ns)]
    if matches:
        namespace, prefix = max(matches, key=lambda m: len(m[0]))
        local = iri[len(namespace) :]
        if local and _parses(prefix, namespace, local):
            return f"{prefix}:{local}"
    return f"<{iri}>"
