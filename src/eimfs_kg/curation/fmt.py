"""The curated-file formatter: one style for every curated file, so a curator's diff is only their change.

* YAML: the comment block at the top of the file is kept as it is; every mapping lists its keys
  in the order of the fields of its record (:mod:`.records`), unknown keys last; lists are
  written block style, one value a line, never wrapped; records are kept in their curated order
  (the genes follow the page), except those of :data:`SORTED_LISTS`, sorted by key.
* TSV: the header as it is, rows sorted by id (CURIE prefix, then number), no blank lines.

A comment inside the data cannot be kept by a YAML library; one on a line of its own moves up
into the top comment block, and one after a value is an error (put it on a line of its own).

``python -m eimfs_kg.curation.fmt [--check] [DIR]`` formats the files of ``DIR`` (default: the
packaged data) in place, or with ``--check`` lists those that are not formatted (exit 1).
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
import types
import typing
from pathlib import Path
from typing import Any, get_type_hints

import yaml

from ..errors import CurationError
from ..rdf.atomic import atomic_write_bytes
from ..resources import data_dir
from . import records
from .readers import read_yaml

__all__ = ["SORTED_LISTS", "format_file", "format_text", "main", "unformatted"]

#: The record type of each curated YAML file: a record, or its top-level lists and their records.
_SHAPES: dict[str, Any] = {
    "sources.yaml": records.Sources,
    "condition.yaml": records.Condition,
    "diseases.yaml": {"diseases": records.Disease},
    "genes.yaml": {"genes": records.Gene},
    "mechanisms.yaml": {"classes": records.MechanismClass, "mechanisms": records.Mechanism},
    "publications.yaml": {"publications": records.Publication},
    "resources.yaml": {"resources": records.Resource},
}
#: Lists whose order carries no meaning, sorted by this key: (file, top-level list) -> field.
SORTED_LISTS = {("publications.yaml", "publications"): "key", ("resources.yaml", "resources"): "key"}
_QUOTED = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^']|'')*'")
_TRAILING_COMMENT = re.compile(r"(^|\s)#")


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, with no aliases (curated files refuse them)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _record_type(hint: Any) -> type | None:
    """The record class inside a field's type (``X``, ``X | None``, ``list[X]``, ``tuple[X, ...]``)."""
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return hint
    if typing.get_origin(hint) in (list, tuple, typing.Union, types.UnionType):
        for arg in typing.get_args(hint):
            found = _record_type(arg)
            if found is not None:
                return found
    return None


def _ordered(value: Any, cls: type | None) -> Any:
    """``value`` with every mapping's keys in the field order of its record class."""
    if isinstance(value, list):
        return [_ordered(item, cls) for item in value]
    if not isinstance(value, dict):
        return value
    if cls is None:
        return {key: _ordered(item, None) for key, item in value.items()}
    hints = get_type_hints(cls, vars(records))
    order = [f.name for f in dataclasses.fields(cls)]
    keys = [k for k in order if k in value] + [k for k in value if k not in order]
    return {key: _ordered(value[key], _record_type(hints.get(key))) for key in keys}


def _comments(name: str, text: str) -> list[str]:
    """The comment lines for the top block: the header, then those on lines of their own in the data."""
    header: list[str] = []
    lines = text.splitlines()
    start = 0
    while start < len(lines) and (lines[start].startswith("#") or not lines[start].strip()):
        if lines[start].strip():
            header.append(lines[start])
        start += 1
    for number, line in enumerate(lines[start:], start=start + 1):
        stripped = line.strip()
        if stripped.startswith("#"):
            header.append(stripped)
        elif _TRAILING_COMMENT.search(_QUOTED.sub('""', line)):
            raise CurationError(name, number, "a comment after a value; put it on a line of its own")
    return header


def format_text(name: str, text: str, path: Path | None = None) -> str:
    """The formatted text of the curated file ``name`` (``genes.yaml``, ``terms.tsv`` ...)."""
    if name.endswith(".tsv"):
        return _format_tsv(text)
    header = _comments(name, text)
    source = path if path is not None else Path(name)
    data = read_yaml(source) if path is not None else yaml.load(text, Loader=yaml.SafeLoader)
    shape = _SHAPES.get(name)
    if isinstance(shape, dict) and isinstance(data, dict):
        data = {
            key: _ordered(value, shape.get(key)) if key in shape else _ordered(value, None)
            for key, value in data.items()
        }
        for (file, top), field in SORTED_LISTS.items():
            if file == name and isinstance(data.get(top), list):
                data[top] = sorted(data[top], key=lambda item: str(item.get(field, "")))
    else:
        data = _ordered(data, shape)
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1 << 30,
    )
    return "".join(f"{line}\n" for line in header) + body


def _id_key(curie: str) -> tuple[str, int, str]:
    prefix, _, local = curie.partition(":")
    return (prefix, int(local), "") if local.isdigit() else (prefix, -1, local)


def _format_tsv(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return ""
    header, rows = lines[0], lines[1:]
    rows.sort(key=lambda row: _id_key(row.split("\t", 1)[0]))
    return "".join(f"{line.rstrip()}\n" for line in [header, *rows])


def format_file(path: Path) -> bool:
    """Format one curated file in place; return whether it changed."""
    text = path.read_text(encoding="utf-8")
    formatted = format_text(path.name, text, path)
    if formatted == text:
        return False
    atomic_write_bytes(path, formatted.encode("utf-8"))
    return True


def unformatted(folder: Path | None = None) -> list[str]:
    """The curated files of ``folder`` (default: the packaged data) that the formatter would change."""
    folder = folder or data_dir()
    return [
        path.name
        for path in sorted(folder.iterdir())
        if path.suffix in (".yaml", ".tsv")
        and format_text(path.name, path.read_text(encoding="utf-8"), path) != path.read_text(encoding="utf-8")
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m eimfs_kg.curation.fmt", description=__doc__.split("\n")[0]
    )
    parser.add_argument("folder", nargs="?", help="folder of curated files (default: the packaged data)")
    parser.add_argument("--check", action="store_true", help="list unformatted files, change nothing")
    args = parser.parse_args(argv)
    folder = Path(args.folder) if args.folder else data_dir()
    try:
        if args.check:
            names = unformatted(folder)
            for name in names:
                print(f"{folder / name}: not formatted (python -m eimfs_kg.curation.fmt formats it)")
            return 1 if names else 0
        for path in sorted(folder.iterdir()):
            if path.suffix in (".yaml", ".tsv") and format_file(path):
                print(f"formatted {path}")
    except CurationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
