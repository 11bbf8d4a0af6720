"""Where the built graph lives that queries and analysis use by default, and its stores.

Unless ``--graph FILE`` (or the ``EIMFS_KG_GRAPH`` variable) names a file, commands
use a build kept in the user's cache folder, named by a fingerprint of the packaged
data, ontology and code: it is built once (a few seconds) and rebuilt only when one
of them changes. Finding it costs about a millisecond and imports no RDF library.

Beside the Turtle file, the cache keeps Oxigraph stores on disk (see
:class:`~eimfs_kg.query.oxigraph.Engine`), each made on first use, so that a cold query
opens a store instead of parsing Turtle and a query with ``--reasoning`` does not
recompute the closure::

    eimfs-kg-<fingerprint>.ttl                   the built graph
    eimfs-kg-<fingerprint>.none/                 its store; .rdfs/ and .owlrl/ its closures
    eimfs-kg-<fingerprint>.<sha256>.rdfs/        the closure of a user's file, by content hash

A user's file without reasoning is parsed every time (with the strict checks); its
closures are kept because they take seconds. Every name carries the fingerprint, so a
change of code or data starts afresh and the entries of older fingerprints are removed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from pathlib import Path

from ..resources import data_dir, resource_dir

__all__ = ["cache_dir", "default_graph", "fingerprint", "store_folder"]


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


def _built_file(stamp: str) -> Path:
    return cache_dir() / f"eimfs-kg-{stamp}.ttl"


def _remove_older(stamp: str) -> None:
    """Remove the cache entries of other fingerprints (files and store folders)."""
    for old in cache_dir().glob("eimfs-kg-*"):
        if not old.name.startswith(f"eimfs-kg-{stamp}."):
            if old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
            else:
                old.unlink(missing_ok=True)


def default_graph() -> Path:
    """The graph file to query: ``$EIMFS_KG_GRAPH``, or the cached build (built if needed)."""
    explicit = os.environ.get("EIMFS_KG_GRAPH")
    if explicit:
        return Path(explicit)
    stamp = fingerprint()
    path = _built_file(stamp)
    if not path.is_file():
        from .build import build  # lazy: rdflib and pySHACL; finding the cached file needs neither

        print(f"building the graph once into {path} ...", file=sys.stderr)
        build(path.parent, filename=path.name)
        _remove_older(stamp)
    return path


def store_folder(path: Path, reasoning: str) -> Path | None:
    """Where the store of the graph file ``path`` under ``reasoning`` is kept, or None: parse it.

    The built graph's stores are named by the fingerprint alone; a user's closures also by
    the SHA-256 of the file's bytes, so an edited file gets a new closure.
    """
    stamp = fingerprint()
    if Path(path) == _built_file(stamp):
        folder = cache_dir() / f"eimfs-kg-{stamp}.{reasoning}"
    elif reasoning == "none":
        return None
    else:
        content = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:32]
        folder = cache_dir() / f"eimfs-kg-{stamp}.{content}.{reasoning}"
    if not folder.is_dir():
        _remove_older(stamp)  # about to be made: a good moment to drop what no one will open again
    return folder
