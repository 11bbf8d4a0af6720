"""The curated-file formatter: every curated file is in its one style, and formatting changes no fact."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from eimfs_kg.curation.fmt import format_text, unformatted
from eimfs_kg.errors import CurationError
from eimfs_kg.graph.build import BuildResult, build
from eimfs_kg.resources import data_dir

CURATED = sorted(p.name for p in data_dir().iterdir() if p.suffix in (".yaml", ".tsv"))

#: Curated files not yet in the formatter's style. They are reformatted in a commit of their own
#: (``make fmt``), apart from any change of content; then this set is emptied. Each entry makes its
#: round-trip test an expected failure that says which file to format, and fails once it is formatted.
UNFORMATTED: set[str] = set()


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            name,
            marks=[
                pytest.mark.xfail(
                    strict=True,
                    reason=f"{name} is not formatted yet: run `make fmt`, then remove it from UNFORMATTED",
                )
            ]
            if name in UNFORMATTED
            else [],
        )
        for name in CURATED
    ],
)
def test_curated_file_is_formatted(name: str) -> None:
    """A curated file reads back unchanged through the formatter (so a diff shows only content)."""
    path = data_dir() / name
    text = path.read_text(encoding="utf-8")
    assert format_text(name, text, path) == text, f"{name} is not formatted: run `make fmt`"


def test_unformatted_lists_exactly_the_files_not_formatted() -> None:
    assert set(unformatted()) == UNFORMATTED


def test_formatting_changes_no_fact(built: BuildResult, tmp_path: Path) -> None:
    """The graph built from formatted copies of the curated files is byte-identical to the real one."""
    folder = tmp_path / "data"
    shutil.copytree(data_dir(), folder)
    for path in folder.iterdir():
        text = path.read_text(encoding="utf-8")
        formatted = format_text(path.name, text, path)
        path.write_text(formatted, encoding="utf-8")
        assert format_text(path.name, formatted, path) == formatted, f"{path.name}: not idempotent"
    again = build(tmp_path / "out", folder)
    assert again.path is not None and built.path is not None
    assert again.path.read_bytes() == built.path.read_bytes()


def test_keys_follow_the_record_fields_and_comments_move_up(tmp_path: Path) -> None:
    path = tmp_path / "resources.yaml"
    path.write_text(
        "# header\nresources:\n# about pubmed\n- label: PubMed\n  key: pubmed\n  kind: external\n",
        encoding="utf-8",
    )
    formatted = format_text("resources.yaml", path.read_text(encoding="utf-8"), path)
    assert formatted.splitlines()[:4] == ["# header", "# about pubmed", "resources:", "- key: pubmed"]


def test_a_comment_after_a_value_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "resources.yaml"
    path.write_text("resources:\n- key: pubmed  # the database\n", encoding="utf-8")
    with pytest.raises(CurationError, match=r"resources.yaml:2: a comment after a value"):
        format_text("resources.yaml", path.read_text(encoding="utf-8"), path)


def test_tsv_rows_sorted_by_id() -> None:
    text = "id\tlabel\nHP:10\tb\nHP:9\ta\n\n"
    assert format_text("terms.tsv", text) == "id\tlabel\nHP:9\ta\nHP:10\tb\n"
