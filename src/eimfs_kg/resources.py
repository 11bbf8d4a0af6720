"""Find the files the package ships: ontology, shapes, queries and curated data.

In an installed wheel they live inside the package folder (``eimfs_kg/ontology``
...); in a source checkout ``ontology/`` and ``queries/`` sit at the repository
root. This is the one place that knows both layouts. (The package is installed as
files, not zipped, so plain paths serve and importlib.resources is not needed.)
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["data_dir", "internal_query_file", "ontology_file", "queries_dir", "resource_dir"]

_PACKAGE = Path(__file__).resolve().parent
_REPO_ROOT = _PACKAGE.parents[1]


def resource_dir(name: str) -> Path:
    """Return the folder ``name`` (``ontology``, ``queries`` or ``data``) of the package."""
    packaged = _PACKAGE / name
    if packaged.is_dir():
        return packaged
    checkout = _REPO_ROOT / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"packaged folder {name!r} not found; is eimfs-kg installed completely?")


def data_dir() -> Path:
    """Folder of the curated source files (YAML and TSV)."""
    return resource_dir("data")


def queries_dir() -> Path:
    """Folder of the named SPARQL queries (``*.rq``)."""
    return resource_dir("queries")


def ontology_file(name: str) -> Path:
    """Path of a file in the ontology folder, e.g. ``eimfs.ttl`` or ``shapes.ttl``."""
    return resource_dir("ontology") / name


def internal_query_file(name: str) -> Path:
    """Path of a query the package runs itself (``queries/internal/NAME.rq``), not one of the library."""
    return resource_dir("queries") / "internal" / f"{name}.rq"
