"""The records' base class behaves as the frozen, keyword-only dataclasses it stands in for."""

from __future__ import annotations

import copy
import pickle
from dataclasses import FrozenInstanceError, dataclass, field, fields, is_dataclass, replace

import pytest

from eimfs_kg.curation.records import Record


class Item(Record):
    """A record of the test: a required field, a default and a default factory."""

    name: str
    tags: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Twin:
    """The frozen dataclass ``Item`` must behave as."""

    name: str
    tags: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)


def test_a_record_is_built_compared_and_shown_as_a_frozen_dataclass() -> None:
    item, twin = Item(name="a", tags=("x",)), Twin(name="a", tags=("x",))
    assert repr(item) == repr(twin).replace("Twin", "Item") == "Item(name='a', tags=('x',), counts={})"
    assert item == Item(name="a", tags=("x",), counts={})
    assert item != Item(name="b", tags=("x",)) and item != twin
    assert Item(name="a").counts is not Item(name="a").counts  # a fresh dict each time
    assert is_dataclass(item) and [f.name for f in fields(item)] == ["name", "tags", "counts"]
    assert replace(item, name="b") == Item(name="b", tags=("x",))
    assert copy.deepcopy(item) == item == pickle.loads(pickle.dumps(item))


def test_a_record_hashes_by_value() -> None:
    class Hashable(Record):
        """A record whose fields can all be hashed."""

        name: str
        tags: tuple[str, ...] = ()

    assert hash(Hashable(name="a", tags=("x",))) == hash(("a", ("x",)))
    assert len({Hashable(name="a"), Hashable(name="a"), Hashable(name="b")}) == 2


def test_a_record_cannot_be_changed() -> None:
    item = Item(name="a")
    with pytest.raises(FrozenInstanceError, match="cannot assign to field 'name'"):
        item.name = "b"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError, match="cannot delete field 'tags'"):
        del item.tags
    with pytest.raises(FrozenInstanceError, match="cannot assign to field 'other'"):
        item.other = 1


def test_a_record_takes_keywords_only_and_all_required_ones() -> None:
    with pytest.raises(TypeError, match="missing keyword argument 'name'"):
        Item()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        Item(name="a", colour="red")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Item("a")  # type: ignore[call-arg]
