"""Load the curation: read every curated file, then check the references between them.

>>> curation = load_curation()
>>> 'KCNT1' in {gene.symbol for gene in curation.genes}
True
"""

from __future__ import annotations

from pathlib import Path

from .crosscheck import check_references
from .records import Curation, read_curation

__all__ = ["load_curation"]


def load_curation(folder: Path | None = None) -> Curation:
    """Read and check every curated file of ``folder`` (default: the packaged data)."""
    curation = read_curation(folder)
    check_references(curation)
    return curation
