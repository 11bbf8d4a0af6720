"""Strict readers for the curated YAML and TSV files.

Curated files are code: a duplicate key, a merge-conflict marker, a stray tab or a
ragged TSV row is an error that names the file and line, never silently accepted.
Every mapping read from YAML remembers the line it starts on, so later checks can
point at the record to fix.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import CurationError

__all__ = ["MAX_CURATED_BYTES", "LineDict", "read_tsv", "read_yaml"]

#: The size cap of a curated file: they are hand-edited and small (the largest is about 20 KB).
MAX_CURATED_BYTES = 16 << 20
_MARKERS = ("<" * 7, "=" * 7, ">" * 7)
_CONFLICT = re.compile(f"^({'|'.join(_MARKERS)})(\\s|$)")


class LineDict(dict):
    """A dict that knows the (1-based) line of the file where it was written."""

    line: int | None = None


def _check_text(path: Path, text: str, *, tabs_allowed: bool) -> None:
    if not any(marker in text for marker in _MARKERS) and (tabs_allowed or "\t" not in text):
        return  # no marker and no tab: the line-by-line scan below would find nothing
    for number, line in enumerate(text.splitlines(), start=1):
        if _CONFLICT.match(line):
            raise CurationError(path, number, "merge-conflict marker; resolve the conflict first")
        if not tabs_allowed and "\t" in line:
            raise CurationError(path, number, "tab character; YAML must be indented with spaces")


class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe loader (libyaml's when available) that rejects duplicate keys and records lines."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = _construct(loader, key_node)
        try:
            duplicate = key in result
        except TypeError:  # an unhashable key, such as a list
            raise CurationError(
                loader.name, key_node.start_mark.line + 1, "a key must be a plain value"
            ) from None
        if duplicate:
            raise CurationError(
                loader.name, key_node.start_mark.line + 1, f"duplicate key {key!r} in one mapping"
            )
        result[key] = _construct(loader, value_node)
    return result


def _construct(loader: _StrictLoader, node: yaml.Node) -> Any:
    """A node's value; a tagged value PyYAML cannot build (``!!int x``, a 30 February) is an error
    at its line, not a crash."""
    try:
        return _value(loader, node)
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
        raise CurationError(loader.name, node.start_mark.line + 1, f"cannot read this value: {exc}") from None


_STR = yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG
_SEQ = yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG


def _value(loader: _StrictLoader, node: yaml.Node) -> Any:
    """What ``loader.construct_object(node, deep=True)`` gives, built here for the plain strings
    and lists most of a curated file is (PyYAML's generic path takes half the time of a read).
    Safe to skip its bookkeeping: it serves anchors and aliases, which curated files refuse."""
    if node.tag == _STR and isinstance(node, yaml.ScalarNode):
        return node.value
    if node.tag == _SEQ and isinstance(node, yaml.SequenceNode):
        return [_value(loader, item) for item in node.value]
    return loader.construct_object(node, deep=True)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_text(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_CURATED_BYTES:
            raise CurationError(path, None, f"over {MAX_CURATED_BYTES >> 20} MiB; a curated file is small")
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CurationError(path, None, "file not found") from None
    except UnicodeDecodeError as exc:
        raise CurationError(path, None, f"not UTF-8 text ({exc.reason})") from None


def _refuse_aliases(path: Path, text: str) -> None:
    """Curated files need no anchors or aliases, and aliases can nest into a "YAML bomb"."""
    if "&" not in text and "*" not in text:
        return  # an anchor is written with "&", an alias with "*": no need to parse for them
    try:
        for event in yaml.parse(text, Loader=_StrictLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise CurationError(
                    path,
                    event.start_mark.line + 1,
                    "YAML anchors and aliases are not allowed; write the value out",
                )
    except yaml.YAMLError:
        return  # the full parse below reports it with its line


def read_yaml(path: Path) -> Any:
    """Parse a curated YAML file strictly (no tabs, no duplicate keys, no conflict markers,
    no anchors or aliases, at most MAX_CURATED_BYTES)."""
    text = _read_text(path)
    _check_text(path, text, tabs_allowed=False)
    _refuse_aliases(path, text)
    loader = _StrictLoader(text)
    loader.name = str(path)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise CurationError(path, line, f"malformed YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise CurationError(path, None, f"malformed YAML: {exc}") from None
    finally:
        loader.dispose()


def read_tsv(path: Path, columns: tuple[str, ...]) -> list[LineDict]:
    """Read a TSV file whose header is exactly ``columns``; every row must have that many cells."""
    text = _read_text(path)
    _check_text(path, text, tabs_allowed=True)
    rows = list(csv.reader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE, strict=True))
    if not rows or tuple(rows[0]) != columns:
        found = "\t".join(rows[0]) if rows else "nothing"
        raise CurationError(path, 1, f"header must be {'<TAB>'.join(columns)}; found {found!r}")
    records: list[LineDict] = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(columns):
            raise CurationError(
                path,
                number,
                f"{len(cells)} cells where the header has {len(columns)}; check for a stray or missing tab",
            )
        if any(cell != cell.strip() for cell in cells):
            raise CurationError(path, number, "a cell starts or ends with whitespace")
        # an empty cell is an absent value: optional columns may stay blank
        record = LineDict((name, cell) for name, cell in zip(columns, cells, strict=True) if cell)
        record.line = number
        records.append(record)
    return records
