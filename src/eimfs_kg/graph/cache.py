"""Where the built graph lives that queries and analysis use by default.

Unless ``--graph FILE`` (or the ``EIMFS_KG_GRAPH`` variable) names a file, commands
use a build kept in the user's cache folder, named by a fingerprint of the packaged
data, ontology and code: it is built once (a few seconds) and rebuilt only when one
of them changes. Finding it costs about a millisecond and imports no RDF library.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from ..resources import data_dir, resource_dir

__all__ = ["cache_dir", "default_graph", "fingerprint"]


def cache_dir() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "eimfs-kg"


def fingerprint() -> str:
    """A short hash of what a build reads (curated data, ontology, package code): names, sizes, times."""
    digest = hashlib.sha256()
    code = Path(__file__).parents[1]
    files = [*data_dir().iterdir(), *resource_dir("ontology").glob("*.ttl"), *code.rglob("*.py")]
    for path in sorted(files):
        stat = path.stat()
        digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def default_graph() -> Path:
    """The graph file to query: ``$EIMFS_KG_GRAPH``, or the cached build (built if needed)."""
    explicit = os.environ.get("EIMFS_KG_GRAPH")
    if explicit:
        return Path(explicit)
    path = cache_dir() / f"eimfs-kg-{fingerprint()}.ttl"
    if not path.is_file():
        from .build import build  # lazy: rdflib and pySHACL; finding the cached file needs neither

        print(f"building the graph once into {path} ...", file=sys.stderr)
        build(path.parent, filename=path.name)
        for old in path.parent.glob("eimfs-kg-*.ttl"):
            if old != path:
                old.unlink(missing_ok=True)
    return path
