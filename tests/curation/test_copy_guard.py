"""No run of eight words of the source page's prose stands in any tracked text file.

The page is not needed: its prose is checked in only as hashed shingles (see ``copyguard``).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from copyguard import copied_runs, digest, read_allowed, read_hashes, shingles, words

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parents[1] / "data"
HASHES = read_hashes(DATA / "page-shingles.txt")
ALLOWED = read_allowed(DATA / "verbatim-allowed.txt")
TEXT_SUFFIXES = {
    ".py",
    ".yaml",
    ".yml",
    ".tsv",
    ".ttl",
    ".rq",
    ".md",
    ".txt",
    ".json",
    ".jsonld",
    ".html",
    ".j2",
    ".csv",
    ".toml",
    ".cfg",
    ".js",
    ".css",
    ".sh",
}
#: Third-party data and code, and the hash file itself: no prose of ours.
NOT_OURS = ("tests/data/w3c/", "tests/data/page-shingles.txt", "src/eimfs_kg/web/static/vendor/")


def tracked_text_files() -> list[Path]:
    listed = (
        subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z"], capture_output=True, check=True)
        .stdout.decode()
        .split("\0")
    )
    return [
        ROOT / name
        for name in listed
        if name
        and (Path(name).suffix in TEXT_SUFFIXES or Path(name).name in {"Makefile", "run"})
        and not name.startswith(NOT_OURS)
        and (ROOT / name).is_file()
    ]


def test_the_guard_scans_the_shipped_files() -> None:
    names = {str(p.relative_to(ROOT)) for p in tracked_text_files()}
    for expected in ("README.md", "src/eimfs_kg/data/condition.yaml", "ontology/eimfs.ttl"):
        assert expected in names
    assert any(n.startswith("queries/") for n in names) and any(n.startswith("tests/") for n in names)
    assert len(HASHES) > 900  # the page's prose, about a thousand shingles


def test_no_page_sentence_in_the_repository() -> None:
    copied = {}
    for path in tracked_text_files():
        runs = copied_runs(path.read_text(encoding="utf-8", errors="replace"), HASHES, ALLOWED)
        if runs:
            copied[str(path.relative_to(ROOT))] = runs[:3]
    assert copied == {}


@pytest.mark.parametrize("shift", [0, 3])
def test_the_guard_catches_a_copied_run(shift: int) -> None:
    """A run the page has is found wherever it stands in a text, and a near miss is not."""
    hashed = {digest(s) for s in shingles(words("alpha beta gamma delta epsilon zeta eta theta iota"))}
    text = "lead in " * shift + "Alpha, beta; gamma delta (epsilon) zeta eta theta."
    assert copied_runs(text, hashed, []) == ["alpha beta gamma delta epsilon zeta eta theta"]
    assert copied_runs("alpha beta gamma delta epsilon zeta eta kappa", hashed, []) == []


def test_allowed_names_are_masked() -> None:
    hashed = {digest(s) for s in shingles(words("one two three four five six seven eight"))}
    assert copied_runs("one two three four five six seven eight", hashed, []) != []
    assert copied_runs("one two three four five six seven eight", hashed, [["four", "five"]]) == []
