"""A persistent Oxigraph store for big graphs: load large files once, query them many times.

``--store oxigraph:DIR`` names a folder holding an embedded, on-disk Oxigraph (RocksDB)
store. ``eimfs-kg load FILE... --store oxigraph:DIR`` adds N-Triples or Turtle files to it:
each file is first parsed completely (with a progress line), so that a malformed file is
reported with its line and adds nothing, then bulk-loaded natively.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox

from .errors import InputError

__all__ = ["PREFIXES_FILE", "load_files", "open_store", "store_directory"]

PREFIXES_FILE = "eimfs-kg-prefixes.json"
_FORMATS = {
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ntriples": ox.RdfFormat.N_TRIPLES,
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
}


def store_directory(option: str) -> Path:
    """The folder of a ``--store`` option, which must read ``oxigraph:DIR``."""
    kind, sep, folder = option.partition(":")
    if kind != "oxigraph" or not sep or not folder:
        raise InputError(f"--store takes oxigraph:DIR, not {option!r}")
    return Path(folder)


def open_store(folder: Path) -> tuple[ox.Store, dict[str, str]]:
    """Open an existing store read-only, with the prefixes its loaded files declared."""
    if not (folder / PREFIXES_FILE).is_file():
        raise InputError(
            f"{folder}: no eimfs-kg store here; fill it with `eimfs-kg load FILE --store oxigraph:{folder}`"
        )
    prefixes = json.loads((folder / PREFIXES_FILE).read_text(encoding="utf-8"))
    return ox.Store.read_only(str(folder)), prefixes


class _Counting:
    """A binary file that counts the bytes read, for the progress line."""

    def __init__(self, handle) -> None:
        self.handle, self.read_bytes = handle, 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.read_bytes += len(data)
        return data


def _check(path: Path, fmt: ox.RdfFormat, progress: TextIO | None) -> int:
    total, count, last = max(path.stat().st_size, 1), 0, 0.0
    with path.open("rb") as handle:
        counting = _Counting(handle)
        try:
            for count, _ in enumerate(ox.parse(counting, format=fmt), start=1):
                if progress and count % 50_000 == 0 and time.monotonic() - last > 0.2:
                    last = time.monotonic()
                    share = counting.read_bytes / total
                    bar = "#" * int(share * 30)
                    progress.write(f"\r  checking {path.name} [{bar:<30}] {share:4.0%} {count:,} triples")
        except SyntaxError as exc:
            raise InputError(f"{path}: not valid RDF, nothing loaded: {exc}") from None
    if progress:
        progress.write(f"\r  checked {path.name}: {count:,} triples{' ' * 40}\n")
    return count


def load_files(folder: Path, files: list[Path], progress: TextIO | None) -> int:
    """Check, then add each file to the store in ``folder``; return the store's triple count."""
    for path in files:
        if not path.is_file():
            raise InputError(f"{path}: no such file")
        if path.suffix not in _FORMATS:
            raise InputError(f"{path}: give N-Triples (.nt) or Turtle (.ttl)")
    for path in files:
        _check(path, _FORMATS[path.suffix], progress)
    from .engine import read_prefixes

    folder.mkdir(parents=True, exist_ok=True)
    prefixes_file = folder / PREFIXES_FILE
    prefixes = json.loads(prefixes_file.read_text(encoding="utf-8")) if prefixes_file.is_file() else {}
    store = ox.Store(str(folder))
    for path in files:
        started = time.monotonic()
        store.bulk_load(path=str(path), format=_FORMATS[path.suffix])
        if progress:
            progress.write(f"  loaded {path.name} in {time.monotonic() - started:.1f} s\n")
        if _FORMATS[path.suffix] == ox.RdfFormat.TURTLE:
            prefixes.update(read_prefixes(path))
    store.flush()
    size = len(store)
    del store
    from .atomic import atomic_write_bytes

    atomic_write_bytes(prefixes_file, json.dumps(prefixes, indent=1, sort_keys=True).encode())
    return size
