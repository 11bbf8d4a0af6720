"""Turn parsed YAML/TSV mappings into typed, checked records.

Each record type is an immutable dataclass (:class:`~eimfs_kg.curation.records.Record`);
:func:`parse_record` checks a mapping against its fields (required keys, unknown keys,
value types, CURIE prefixes) and reports the file, line and record on the first problem. The dataclasses in
:mod:`eimfs_kg.curation.records` are the one description of what a curated file may hold.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import types
from collections.abc import Callable
from functools import cache, partial
from pathlib import Path
from typing import Any, NewType, TypeVar, Union, get_args, get_origin, get_type_hints

from ..errors import CurationError
from ..identifiers import UnknownPrefixError, expand

__all__ = ["Curie", "Key", "Url", "Where", "parse_record", "parse_records"]

#: A compact identifier such as ``HGNC:18865``; its prefix must be known to :mod:`identifiers`
#: and it must expand to a valid IRI.
Curie = NewType("Curie", str)
#: A record key, which becomes part of minted IRIs (``ekgid:resource.KEY``).
Key = NewType("Key", str)
#: An absolute http(s) URL, which becomes an IRI.
Url = NewType("Url", str)
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")

T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class Where:
    """The place of a record in a curated file, for error messages."""

    file: Path
    line: int | None
    record: str | None = None

    def error(self, message: str) -> CurationError:
        return CurationError(self.file, self.line, message, self.record)


def _type_name(tp: Any) -> str:
    return getattr(tp, "__name__", str(tp))


#: Checks one value of a field and gives it converted: (value, field name, where) -> value.
Converter = Callable[[Any, str, Where], Any]


@cache
def _converter(tp: Any) -> Converter:
    """The converter of a field type, worked out once per type: deciding for every value what its
    type asks (a union? a list? a record?) took about half the time of building the records."""
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        option = _converter(next(arg for arg in get_args(tp) if arg is not type(None)))

        def optional(value: Any, field: str, where: Where) -> Any:
            return None if value is None else option(value, field, where)

        return optional
    if origin in (list, tuple):
        item = _converter(get_args(tp)[0])

        def sequence(value: Any, field: str, where: Where) -> Any:
            if not isinstance(value, list):
                raise where.error(f"field {field!r} must be a list, not {type(value).__name__}")
            return tuple([item(element, f"{field}[{i}]", where) for i, element in enumerate(value)])

        return sequence
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        cls = tp

        def record(value: Any, field: str, where: Where) -> Any:
            if not isinstance(value, dict):
                raise where.error(f"field {field!r} must be a mapping")
            line = getattr(value, "line", None) or where.line
            return parse_record(cls, value, Where(where.file, line, where.record))

        return record
    return _SPECIAL.get(tp) or partial(_plain, tp)


def _curie(value: Any, field: str, where: Where) -> Curie:
    if not isinstance(value, str):
        raise where.error(f"field {field!r} must be a CURIE string, not {value!r}")
    try:
        _check_iri(expand(value))
    except UnknownPrefixError as exc:
        raise where.error(f"field {field!r}: {exc}") from None
    except ValueError as exc:
        raise where.error(f"field {field!r}: {value!r} does not make a valid IRI ({exc})") from None
    return Curie(value)


def _key(value: Any, field: str, where: Where) -> Key:
    if not isinstance(value, str) or not _KEY.match(value):
        raise where.error(f"field {field!r} must be a key of letters, digits, - and _, not {value!r}")
    return Key(value)


def _url(value: Any, field: str, where: Where) -> Url:
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        raise where.error(f"field {field!r} must be an http(s) URL, not {value!r}")
    try:
        _check_iri(value)
    except ValueError as exc:
        raise where.error(f"field {field!r}: {value!r} is not a valid URL ({exc})") from None
    return Url(value)


def _date(value: Any, field: str, where: Where) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise where.error(f"field {field!r} must be a date YYYY-MM-DD, not {value!r}") from None


def _text(value: Any, field: str, where: Where) -> Any:
    """A ``str`` field: most fields of most records, so a non-empty string is let through first."""
    if type(value) is str and value.strip():
        return value
    return _plain(str, value, field, where)


_SPECIAL: dict[Any, Converter] = {Curie: _curie, Key: _key, Url: _url, dt.date: _date, str: _text}


def _plain(tp: Any, value: Any, field: str, where: Where) -> Any:
    if tp is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if tp is str and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, tp) or (tp is int and isinstance(value, bool)):
        raise where.error(f"field {field!r} must be {_type_name(tp)}, not {type(value).__name__} {value!r}")
    if tp is str and not value.strip():
        raise where.error(f"field {field!r} is empty")
    return value


def _check_iri(iri: str) -> None:
    """Raise ValueError unless ``iri`` is a valid IRI (RFC 3987, as Oxigraph checks it)."""
    import pyoxigraph  # lazy: loaded only when a record has an IRI field

    pyoxigraph.NamedNode(iri)


@cache
def _fields(cls: Any) -> dict[str, tuple[Converter, bool]]:
    """The converter of each of a record's fields and whether it is required, worked out once
    per class (resolving the annotations is most of the time of reading the curated files when
    done per record)."""
    hints = get_type_hints(cls)
    return {
        f.name: (
            _converter(hints[f.name]),
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
        )
        for f in dataclasses.fields(cls)
    }


def parse_record(cls: type[T], mapping: dict[str, Any], where: Where) -> T:
    """Build a ``cls`` record from ``mapping``; raise :class:`CurationError` on any mismatch."""
    if not isinstance(mapping, dict):
        raise where.error(f"expected a mapping for a {cls.__name__} record, got {mapping!r}")
    fields = _fields(cls)  # type: ignore[arg-type]  # a class is hashable
    unknown = mapping.keys() - fields.keys()
    if unknown:
        raise where.error(
            f"unknown field(s) {', '.join(map(repr, sorted(unknown, key=repr)))} for {cls.__name__}; "
            f"allowed: {', '.join(fields)}"
        )
    values: dict[str, Any] = {}
    for name, (convert, required) in fields.items():
        value = mapping.get(name)
        if value is None:
            if required:
                raise where.error(f"missing required field {name!r} for {cls.__name__}")
            continue
        values[name] = convert(value, name, where)
    return cls(**values)


def parse_records(cls: type[T], items: Any, file: Path, key: str | None = None) -> list[T]:
    """Parse a YAML list (or TSV rows) of mappings into ``cls`` records, naming each by ``key``."""
    if not isinstance(items, list):
        raise CurationError(file, None, f"expected a list of {cls.__name__} records")
    records = []
    for item in items:
        label = f"{key} {item.get(key)!s}" if key and isinstance(item, dict) else None
        records.append(parse_record(cls, item, Where(file, getattr(item, "line", None), label)))
    return records
