"""Write the hashed 8-word shingles of the source page's prose (run by a developer who has the page).

Usage: python tests/tools/page_shingles.py PAGE.txt > tests/data/page-shingles.txt

Only the prose sections count (Description, Frequency, Causes, Inheritance); the lists of genes,
names, resources, references and topics are names and titles. Names in
``tests/data/verbatim-allowed.txt`` are masked the same way the guard masks them.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from copyguard import digest, mask, read_allowed, shingles, words


def prose(page: str) -> str:
    """The prose sections of the page, without its lists."""
    after_title = page.split("\nDescription\n", 1)[1]
    causes_and_before = after_title.split("Learn more about the genes")[0]
    inheritance = after_title.split("\nInheritance\n", 1)[1].split("Other Names for This Condition")[0]
    return causes_and_before + "\n" + inheritance


def main(page_path: str) -> None:
    allowed = read_allowed(Path(__file__).resolve().parents[1] / "data" / "verbatim-allowed.txt")
    text = Path(page_path).read_text(encoding="utf-8")
    hashes = sorted({digest(s) for s in shingles(mask(words(prose(text)), allowed))})
    sys.stdout.write("".join(f"{h}\n" for h in hashes))


if __name__ == "__main__":
    main(sys.argv[1])
