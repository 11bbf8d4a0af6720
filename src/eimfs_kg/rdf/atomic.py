"""Write files and folders atomically: a reader sees the old one or the new one, never half of one.

The data goes to a temporary file beside the target (named after the writing process),
is flushed to disk, then renamed over the target, and the folder entry is flushed too. A
writer killed half-way leaves only its temporary file; the next write to the same target
removes it and says so. A folder (an on-disk Oxigraph store of the cache) is filled the
same way under a temporary name, and the first writer to rename it into place wins: a
second process that filled the same folder at the same time throws its copy away.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from itertools import count
from pathlib import Path

__all__ = ["atomic_folder", "atomic_write_bytes"]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_stale(path: Path) -> None:
    """Remove temporary files and folders that killed writers left beside ``path``."""
    prefix = f".{path.name}."
    for entry in os.scandir(path.parent):
        if not (entry.name.startswith(prefix) and entry.name.endswith(".tmp")):
            continue
        stale = Path(entry.path)
        pid = stale.name[len(prefix) :].split(".", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            with contextlib.suppress(FileNotFoundError):
                if stale.is_dir():
                    import shutil  # lazy: only a killed writer's folder needs it

                    shutil.rmtree(stale)
                else:
                    stale.unlink()
                import logging  # lazy: about 8 ms at start-up, paid only when there is a note

                logging.getLogger("eimfs_kg").warning("removed %s, left by an interrupted write", stale)


_SERIAL = count()


def _temporary(path: Path, make: Callable[[Path], None]) -> Path:
    """A new name beside ``path`` that says which process writes it (``.NAME.PID.N.tmp``), made by
    ``make`` (which fails if the name exists): what ``tempfile`` does, without its imports."""
    while True:
        tmp = path.parent / f".{path.name}.{os.getpid()}.{next(_SERIAL)}.tmp"
        try:
            make(tmp)
        except FileExistsError:
            continue
        return tmp


def _remove_tree(folder: Path) -> None:
    import shutil  # lazy: only a failed or lost folder write needs it

    shutil.rmtree(folder, ignore_errors=True)


def _flush_folder_entry(folder: Path) -> None:
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)  # the rename itself survives a power cut
    finally:
        os.close(handle)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it to disk, then rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(path)
    tmp = _temporary(path, lambda name: open(name, "xb").close())
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _flush_folder_entry(path.parent)


def atomic_folder(path: Path, fill: Callable[[Path], None]) -> None:
    """Make the folder ``path`` unless it exists: ``fill`` a temporary folder beside it, then rename.

    ``fill`` must leave its files closed and flushed. When two processes make the same
    folder at once, both fill a copy; the first rename wins and the other copy is removed
    (a rename onto a folder that is not empty fails), so either way ``path`` is complete.
    """
    path = Path(path)
    if path.is_dir():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(path)
    tmp = _temporary(path, os.mkdir)
    try:
        fill(tmp)
        os.rename(tmp, path)
    except OSError:
        _remove_tree(tmp)
        if not path.is_dir():
            raise  # not lost to a concurrent writer: a real error
        return
    except BaseException:
        _remove_tree(tmp)
        raise
    _flush_folder_entry(path.parent)
