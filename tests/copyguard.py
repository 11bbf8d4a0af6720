"""Find runs of words that the repository shares with the source page, without quoting the page.

The page's prose is turned into hashed 8-word shingles once, by a developer who has the page
(``tests/tools/page_shingles.py``); the hashes are checked in (``tests/data/page-shingles.txt``).
The guard hashes every shingle of every tracked text file and reports the ones that match.
Names and titles that must stay verbatim (``tests/data/verbatim-allowed.txt``) are masked to a
single placeholder word on both sides before shingling, so they never count as copying.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

#: Words shared in a row with the page that count as a copied sentence fragment.
RUN = 8
_WORD = re.compile(r"[a-z0-9]+")
_PLACEHOLDER = "verbatimname"


def words(text: str) -> list[str]:
    """Lower-case words of letters and digits: punctuation and layout never hide a copy."""
    return _WORD.findall(text.lower())


def mask(tokens: list[str], allowed: Iterable[list[str]]) -> list[str]:
    """Replace every occurrence of an allowed name (longest first) with one placeholder word."""
    names = sorted((a for a in allowed if a), key=len, reverse=True)
    by_first: dict[str, list[list[str]]] = {}
    for name in names:
        by_first.setdefault(name[0], []).append(name)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for name in by_first.get(tokens[i], ()):
            if tokens[i : i + len(name)] == name:
                out.append(_PLACEHOLDER)
                i += len(name)
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def shingles(tokens: list[str], run: int = RUN) -> Iterator[str]:
    for i in range(len(tokens) - run + 1):
        yield " ".join(tokens[i : i + run])


def digest(shingle: str) -> str:
    """A short one-way hash of a shingle: enough to match, useless for reading the page back."""
    return hashlib.sha256(shingle.encode()).hexdigest()[:16]


def read_allowed(path: Path) -> list[list[str]]:
    """The allowed verbatim names and titles, one a line (``#`` starts a comment)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [words(line) for line in lines if line.strip() and not line.lstrip().startswith("#")]


def read_hashes(path: Path) -> set[str]:
    return {line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}


def copied_runs(text: str, hashes: set[str], allowed: list[list[str]]) -> list[str]:
    """The shingles of ``text`` whose hash is one of the page's, in order of appearance."""
    return [s for s in shingles(mask(words(text), allowed)) if digest(s) in hashes]
