"""Curated files stay tidy: sorted where order carries no meaning, ids unique, in own words."""

from __future__ import annotations

from eimfs_kg.curation.load import load_curation
from eimfs_kg.curation.readers import read_tsv
from eimfs_kg.curation.records import PHENOTYPE_COLUMNS
from eimfs_kg.resources import data_dir


def _key(curie: str) -> tuple[str, int]:
    prefix, local = curie.split(":")
    return prefix, int(local)


def test_tsv_files_sorted_by_id() -> None:
    terms = [r["id"] for r in read_tsv(data_dir() / "terms.tsv", ("id", "label", "kind", "source"))]
    assert terms == sorted(terms, key=_key)
    phenotypes = [r["id"] for r in read_tsv(data_dir() / "phenotypes.tsv", PHENOTYPE_COLUMNS)]
    assert phenotypes == sorted(phenotypes, key=_key)


def test_genes_in_page_order() -> None:
    cur = load_curation()
    page = [g.symbol for g in cur.genes if "medlineplus-genes" in g.lists]
    ncbi = [g.symbol for g in cur.genes if "ncbi-gene-genes" in g.lists]
    assert page == sorted(page) and ncbi == sorted(ncbi)
    assert [g.symbol for g in cur.genes] == page + ncbi


def test_every_term_used() -> None:
    """terms.tsv holds no label nobody points to."""
    text = "".join(
        (data_dir() / name).read_text()
        for name in ("genes.yaml", "condition.yaml", "diseases.yaml", "mechanisms.yaml", "phenotypes.tsv")
    )
    graph_only = {"ECO:0000304", "ECO:0000305", "ECO:0000352"}  # chosen by the builder per source
    unused = [t for t in load_curation().terms if t not in text and t not in graph_only]
    assert unused == []
