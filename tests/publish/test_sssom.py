"""The SSSOM mapping set: parsed and validated by the sssom package; each mapping with its source."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from eimfs_kg.cli import main
from eimfs_kg.graph.build import BuildResult


@pytest.fixture(scope="module")
def mapping_file(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sssom") / "eimfs-kg.sssom.tsv"
    assert main(["export", "--format", "sssom", "--out", str(out), "--graph", str(built.path)]) == 0
    return out


@pytest.fixture(scope="module")
def rows(mapping_file: Path) -> list[dict[str, str]]:
    lines = [
        line for line in mapping_file.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    ]
    return list(csv.DictReader(lines, delimiter="\t"))


def test_the_sssom_package_reads_and_validates_it(mapping_file: Path, rows: list[dict[str, str]]) -> None:
    from sssom.constants import SchemaValidationType
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    msdf = parse_sssom_table(mapping_file)
    assert len(msdf.df) == len(rows)
    checks = [
        SchemaValidationType.JsonSchema,
        SchemaValidationType.PrefixMapCompleteness,
        SchemaValidationType.StrictCurieFormat,
    ]
    reports = validate(msdf, checks, fail_on_error=True)
    assert all(not report.results for report in reports.values())
    metadata = msdf.metadata
    assert metadata["license"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert metadata["mapping_set_id"].startswith("https://w3id.org/eimfs-kg/release/")
    assert metadata["mapping_set_version"]
    assert {"GARD", "ICD10", "ICD11", "HGNC", "UniProtKB", "MONDO", "ORPHANET", "UMLS", "OMIM"} <= set(
        msdf.converter.prefix_map
    )


def test_the_mappings_a_curator_expects(rows: list[dict[str, str]]) -> None:
    triples = {(r["subject_id"], r["predicate_id"], r["object_id"]) for r in rows}
    for expected in (
        ("MONDO:0017385", "skos:exactMatch", "ORPHANET:293181"),
        ("MONDO:0017385", "skos:exactMatch", "UMLS:C4518639"),
        ("MONDO:0017385", "oboInOwl:hasDbXref", "GARD:12919"),
        ("MONDO:0017385", "oboInOwl:hasDbXref", "ICD10:G40.0"),
        ("MONDO:0017385", "oboInOwl:hasDbXref", "ICD11:8A61.12"),
        ("MONDO:0100025", "IAO:0100001", "MONDO:0017385"),  # obsolete id, replaced by
        ("MONDO:0013989", "skos:exactMatch", "OMIM:614959"),
        ("NCBIGene:57582", "skos:exactMatch", "HGNC:18865"),
        ("NCBIGene:57582", "skos:exactMatch", "OMIM:608167"),
        ("NCBIGene:57582", "RO:0002205", "UniProtKB:Q5JUK3"),  # has gene product
    ):
        assert expected in triples
    genes = {r["subject_id"] for r in rows if r["subject_id"].startswith("NCBIGene:")}
    assert len(genes) == 25
    assert sum(1 for r in rows if r["predicate_id"] == "RO:0002205") == 25
    assert sum(1 for r in rows if r["object_id"].startswith("HGNC:")) == 25
    assert len(rows) == len(triples)


def test_every_mapping_names_its_source_and_justification(rows: list[dict[str, str]]) -> None:
    for row in rows:
        assert row["mapping_justification"] == "semapv:ManualMappingCuration"
        assert row["comment"].count("source: ") == 1, row
        assert row["mapping_provider"].startswith("https://"), row
        assert row["mapping_date"][:2] == "20", row
    by_triple = {(r["subject_id"], r["object_id"]): r for r in rows}
    assert "Orphanet" in by_triple[("MONDO:0017385", "GARD:12919")]["comment"]
    assert "one source only" in by_triple[("MONDO:0017385", "ICD10:G40.0")]["comment"]
    assert "pull request 10166" in by_triple[("MONDO:0017385", "UMLS:C4518639")]["comment"]
    assert "obsolete" in by_triple[("MONDO:0100025", "MONDO:0017385")]["comment"]
    assert by_triple[("NCBIGene:57582", "HGNC:18865")]["subject_label"] == "KCNT1"


def test_the_file_is_reproducible(mapping_file: Path, built: BuildResult, tmp_path: Path) -> None:
    again = tmp_path / "again.sssom.tsv"
    assert main(["export", "--format", "sssom", "--out", str(again), "--graph", str(built.path)]) == 0
    assert again.read_bytes() == mapping_file.read_bytes()
