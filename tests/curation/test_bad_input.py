"""Bad curated input gets a clear error naming file and line or record, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from eimfs_kg.cli import main
from eimfs_kg.curation.load import load_curation
from eimfs_kg.errors import CurationError


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def expect_error(data: Path, *fragments: str) -> CurationError:
    with pytest.raises(CurationError) as info:
        load_curation(data)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, message
    return info.value


def test_malformed_yaml(data_copy: Path) -> None:
    edit(data_copy / "genes.yaml", "- symbol: KCNQ2", "- symbol: [KCNQ2")
    expect_error(data_copy, "genes.yaml:", "malformed YAML")


def test_tab_in_yaml(data_copy: Path) -> None:
    edit(data_copy / "condition.yaml", "severity:\n  source", "severity:\n\tsource")
    error = expect_error(data_copy, "condition.yaml:", "tab character")
    assert error.line is not None


def test_merge_conflict_marker(data_copy: Path) -> None:
    edit(data_copy / "publications.yaml", "- key: coppola2009", "<<<<<<< HEAD\n- key: coppola2009")
    expect_error(data_copy, "publications.yaml:", "merge-conflict marker")


def test_duplicate_key_in_mapping(data_copy: Path) -> None:
    edit(data_copy / "genes.yaml", "  location: 9q34.3\n", "  location: 9q34.3\n  location: 9q34\n")
    expect_error(data_copy, "genes.yaml:", "duplicate key 'location'")


def test_yaml_aliases_are_refused(data_copy: Path) -> None:
    """Anchors and aliases are never needed in curated files, and nested aliases make a YAML bomb."""
    edit(data_copy / "genes.yaml", "  location: 9q34.3\n", "  location: &loc 9q34.3\n  name2: *loc\n")
    error = expect_error(data_copy, "genes.yaml:", "anchors and aliases are not allowed")
    assert error.line is not None


def test_oversized_curated_file(data_copy: Path) -> None:
    with (data_copy / "terms.tsv").open("a") as handle:
        handle.write("# " + "x" * (17 << 20) + "\n")
    expect_error(data_copy, "terms.tsv", "a curated file is small")


def test_ragged_tsv_row(data_copy: Path) -> None:
    edit(
        data_copy / "phenotypes.tsv",
        "HP:0001252\t\tmay\t",
        "HP:0001252\t\tmay\t\t",
    )
    error = expect_error(data_copy, "phenotypes.tsv:4", "8 cells where the header has 7")
    assert error.line == 4


def test_unknown_identifier_prefix(data_copy: Path) -> None:
    edit(data_copy / "genes.yaml", "ncbigene: NCBIGene:57582", "ncbigene: NCBIGEN:57582")
    expect_error(data_copy, "genes.yaml:", "symbol KCNT1", "NCBIGEN:57582", "known prefix")


def test_duplicate_gene(data_copy: Path) -> None:
    genes = data_copy / "genes.yaml"
    text = genes.read_text(encoding="utf-8")
    start = text.index("- symbol: KCNQ2")
    end = text.index("- symbol: KCNT1")
    genes.write_text(text + text[start:end], encoding="utf-8")
    expect_error(data_copy, "genes.yaml", "duplicate gene 'KCNQ2'")


def test_reference_to_missing_record(data_copy: Path) -> None:
    edit(data_copy / "mechanisms.yaml", "  genes:\n  - SCN2A\n", "  genes:\n  - SCN3A\n")
    expect_error(data_copy, "mechanisms.yaml", "scn2a-altered-sodium-channel", "'SCN3A'")


def test_reference_to_unknown_term(data_copy: Path) -> None:
    edit(data_copy / "phenotypes.tsv", "HP:0001252\t", "HP:0001253\t")
    expect_error(data_copy, "phenotypes.tsv", "HP:0001253", "terms.tsv")


def test_unknown_field(data_copy: Path) -> None:
    edit(data_copy / "genes.yaml", "  location: 9q34.3\n", "  locaton: 9q34.3\n")
    expect_error(data_copy, "genes.yaml:", "unknown field(s) 'locaton'", "allowed:")


def test_causal_link_without_publication(data_copy: Path) -> None:
    edit(data_copy / "genes.yaml", "    publications:\n    - PMID:30763027\n", "")
    expect_error(data_copy, "genes.yaml", "SLC12A5", "must cite a publication")


def test_cli_build_bad_input_exit_2_and_nothing_written(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(data_copy / "genes.yaml", "- symbol: KCNQ2", "- symbol: [KCNQ2")
    out = tmp_path / "out"
    assert main(["build", "--data", str(data_copy), "--out", str(out)]) == 2
    assert "genes.yaml:" in capsys.readouterr().err
    assert not out.exists()


def test_cli_build_failing_shape_exit_1_keeps_previous_output(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["build", "--out", str(out)]) == 0
    before = (out / "eimfs-kg.ttl").read_bytes()
    # a gene location that the loader accepts but the shapes reject
    edit(data_copy / "genes.yaml", "location: 9q34.3", "location: chromosome nine")
    assert main(["build", "--data", str(data_copy), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "NCBIGene:57582" in err and "ekg:chromosomeLocation" in err and "9q34.3" in err
    assert "nothing written" in err
    assert (out / "eimfs-kg.ttl").read_bytes() == before
    assert [p.name for p in out.iterdir()] == ["eimfs-kg.ttl"]


def test_validate_malformed_turtle_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e "open .\n')
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.ttl" in err and "line 3" in err


def test_validate_missing_file_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nope.ttl")]) == 2
    assert "no such file" in capsys.readouterr().err
