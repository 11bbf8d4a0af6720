"""Every distinct fact of the source page, listed in a ledger, is found in the built graph.

``tests/data/page-facts.tsv`` has one line per fact of the page: its section, the fact in our
own words and the graph pattern that finds it. ``STATED(?st, s, p, o, section)`` stands for the
statement node that carries triple ``s p o`` with the page section as its source. README.md
states the number of facts from this file.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from eimfs_kg.graph.build import BuildResult, build

LEDGER = Path(__file__).resolve().parents[1] / "data" / "page-facts.tsv"
README = Path(__file__).resolve().parents[2] / "README.md"
SECTIONS = {
    "description",
    "frequency",
    "causes",
    "gene-list",
    "ncbi-gene-list",
    "inheritance",
    "other-names",
    "resources",
    "references",
    "related-topics",
}
_STATED = re.compile(r"STATED\(\s*(\?\w+)\s*,\s*([^,]+?)\s*,\s*([^,]+?)\s*,\s*([^,]+?)\s*,\s*([\w-]+)\s*\)")


def read_ledger() -> list[dict[str, str]]:
    with LEDGER.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


FACTS = read_ledger()


def ask_query(pattern: str, prefixes: dict[str, str]) -> str:
    """The ASK query of a ledger pattern, with the graph's prefixes and the STATED shorthand expanded."""
    body = _STATED.sub(
        lambda m: (
            f"{m[1]} rdf:subject {m[2]} ; rdf:predicate {m[3]} ; rdf:object {m[4]} ; ekg:source page:{m[5]} ."
        ),
        pattern,
    )
    if body.lstrip().upper().startswith("SELECT"):
        body = "{ " + body + " }"
    declared = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items()))
    return declared + f"ASK {{ {body} }}"


def store_of(result: BuildResult) -> tuple[ox.Store, dict[str, str]]:
    store = ox.Store()
    store.load(path=str(result.path), format=ox.RdfFormat.TURTLE)
    prefixes = {p: str(ns) for p, ns in result.graph.namespaces() if p}
    prefixes["page"] = prefixes["ekgid"] + "source.medlineplus."
    return store, prefixes


@pytest.fixture(scope="module")
def page_graph(built: BuildResult) -> tuple[ox.Store, dict[str, str]]:
    return store_of(built)


def test_ledger_is_well_formed() -> None:
    ids = [f["id"] for f in FACTS]
    assert len(ids) == len(set(ids)) and len(ids) >= 85
    assert {f["section"] for f in FACTS} == SECTIONS  # every prose and list section has its facts
    assert all(f["fact"].strip() and f["pattern"].strip() for f in FACTS)


def test_readme_states_the_ledger_count() -> None:
    assert f"{len(FACTS)} facts of the page" in README.read_text(encoding="utf-8")


@pytest.mark.parametrize("fact", FACTS, ids=[f["id"] for f in FACTS])
def test_page_fact_is_in_the_graph(fact: dict[str, str], page_graph: tuple[ox.Store, dict[str, str]]) -> None:
    store, prefixes = page_graph
    assert store.query(ask_query(fact["pattern"], prefixes)), f"{fact['id']}: {fact['fact']}"


def test_a_weakened_curation_fails_its_ledger_lines(data_copy: Path, tmp_path: Path) -> None:
    """The ledger can fail: drop a hedge and a statement's section, and exactly those lines fail."""
    genes = data_copy / "genes.yaml"
    genes.write_text(genes.read_text().replace("    hedge: in most cases\n", ""))
    phenotypes = data_copy / "phenotypes.tsv"
    phenotypes.write_text(phenotypes.read_text().replace("HP:0001344\tmany\t", "HP:0001344\t\t"))
    store, prefixes = store_of(build(tmp_path / "out", data_dir=data_copy))
    failing = {f["id"] for f in FACTS if not store.query(ask_query(f["pattern"], prefixes))}
    assert failing == {"C12", "D22"}
