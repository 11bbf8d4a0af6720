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
closures are kept because they take seconds (the last :data:`USER_CLOSURES_KEPT` made).
Every name carries the fingerprint, so a change of code or data starts afresh and the
entries of older fingerprints are removed.
"""

from __future__ import annotations

import os
import shutil
import sys
import zlib
from pathlib import Path

from ..resources import data_dir, resource_dir

__all__ = ["USER_CLOSURES_KEPT", "cache_dir", "default_graph", "fingerprint", "locate"]

#: How many closures of users' files the cache keeps, the most recently made: each can be large.
USER_CLOSURES_KEPT = 8


def cache_dir() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "eimfs-kg"


def fingerprint() -> str:
    """A 64-bit checksum of what a build reads (curated data, ontology, package code): names, sizes, times.

    A millisecond: one ``stat`` per file, the code's ``__pycache__`` folders not walked, and
    zlib's checksums rather than hashlib, whose import alone costs a cold query about 5 ms
    (a cache key needs to change with its inputs, not to resist an adversary).
    """
    files = [entry.path for entry in os.scandir(data_dir())]
    files += [str(path) for path in resource_dir("ontology").glob("*.ttl")]
    for folder, subfolders, names in os.walk(Path(__file__).parents[1]):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        files += [os.path.join(folder, name) for name in names if name.endswith(".py")]
    stats = {path: os.stat(path) for path in sorted(files)}
    data = "".join(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n" for path, stat in stats.items()).encode()
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def default_graph() -> Path:
    """The graph file to query: ``$EIMFS_KG_GRAPH``, or the cached build (built if needed)."""
    return locate(None, "none")[0]


def locate(graph: Path | None, reasoning: str) -> tuple[Path, Path | None]:
    """The graph file to query, and the folder its store under ``reasoning`` is kept in (or None).

    ``graph`` (or ``$EIMFS_KG_GRAPH``) is a user's file: parsed every time without reasoning,
    its closures kept by the SHA-256 of its bytes, so an edited file gets a new closure.
    Without either, the built graph (built if needed), whose stores are all kept.
    """
    graph = graph or (Path(os.environ["EIMFS_KG_GRAPH"]) if os.environ.get("EIMFS_KG_GRAPH") else None)
    if graph is not None and (reasoning == "none" or not graph.is_file()):
        return graph, None  # a missing file is reported by the engine, as for any file
    stamp = fingerprint()
    if graph is not None:
        import hashlib  # lazy: only a user's file is hashed, and only with reasoning

        content = hashlib.sha256(graph.read_bytes()).hexdigest()[:32]
        return graph, _fresh(stamp, cache_dir() / f"eimfs-kg-{stamp}.{content}.{reasoning}")
    path = cache_dir() / f"eimfs-kg-{stamp}.ttl"
    if not path.is_file():
        from .build import build  # lazy: the builder and validation; finding the cached file needs neither

        print(f"building the graph once into {path} ...", file=sys.stderr)
        build(path.parent, filename=path.name)
    return path, _fresh(stamp, cache_dir() / f"eimfs-kg-{stamp}.{reasoning}")


def _fresh(stamp: str, folder: Path) -> Path:
    """``folder``; if it is still to be made, room is made first: the entries of other
    fingerprints go, and the oldest closures of users' files beyond :data:`USER_CLOSURES_KEPT`."""
    if folder.is_dir():
        return folder
    entries = list(cache_dir().glob("eimfs-kg-*"))
    current = [entry for entry in entries if entry.name.startswith(f"eimfs-kg-{stamp}.")]
    users = sorted((e for e in current if e.name.count(".") == 2), key=_made, reverse=True)
    for old in [*(e for e in entries if e not in current), *users[USER_CLOSURES_KEPT - 1 :]]:
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)
    return folder


def _made(entry: Path) -> int:
    """When a cache entry was made (0 if another process has just removed it)."""
    try:
        return entry.stat().st_mtime_ns
    except FileNotFoundError:
        return 0
