"""`eimfs-kg diff`: facts compared as facts, on hand-made pairs of graphs and on the real build."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, SKOS, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, VOID

from eimfs_kg.cli import main
from eimfs_kg.graph.build import BuildResult
from eimfs_kg.graph.builder import add_statement
from eimfs_kg.identifiers import expand
from eimfs_kg.publish.diff import diff_files, diff_graphs, render
from eimfs_kg.vocab import EKG, EKGID


def iri(curie: str) -> URIRef:
    return URIRef(expand(curie))


PAGE = EKGID["source.medlineplus.causes"]
HGNC = EKGID["source.hgnc"]
PUBMED = EKGID["source.pubmed"]
ECO_PAGE, ECO_DB = iri("ECO:0000304"), iri("ECO:0000352")
KCNT1, SCN2A, EIMFS = iri("NCBIGene:57582"), iri("NCBIGene:6326"), iri("MONDO:0017385")
PAPER, BOOK, BOOK_PMID = iri("PMID:23086397"), iri("NCBIBOOK:NBK537476"), iri("PMID:30763027")


def fact(g: Graph, s, p, o, source=PAGE, evidence=ECO_PAGE, **kw) -> None:
    add_statement(g, (s, p, o), source, evidence, **kw)


def gene(g: Graph, node: URIRef, symbol: str, hgnc: str) -> None:
    fact(g, node, RDF.type, EKG.Gene, HGNC, ECO_DB)
    fact(g, node, RDFS.label, Literal(symbol), HGNC, ECO_DB)
    fact(g, node, EKG.symbol, Literal(symbol), HGNC, ECO_DB)
    fact(g, node, SKOS.exactMatch, iri(hgnc), HGNC, ECO_DB)


def publication(g: Graph, node: URIRef, label: str, title: str, identifier: str) -> None:
    fact(g, node, RDF.type, EKG.JournalArticle, PUBMED, ECO_DB)
    fact(g, node, RDFS.label, Literal(label), PUBMED, ECO_DB)
    fact(g, node, DCTERMS.title, Literal(title), PUBMED, ECO_DB)
    fact(g, node, DCTERMS.identifier, Literal(identifier), PUBMED, ECO_DB)


def base(book: URIRef = BOOK, book_id: str = "NCBIBOOK:NBK537476") -> Graph:
    """A small graph in the shape of the real one: sources, a gene, a disease, two papers."""
    g = Graph()
    for source, cls, label in (
        (PAGE, EKG.PageSection, "MedlinePlus Genetics EIMFS page, Causes"),
        (HGNC, EKG.ExternalDatabase, "HGNC"),
        (PUBMED, EKG.ExternalDatabase, "PubMed"),
    ):
        g.add((source, RDF.type, cls))
        g.add((source, RDFS.label, Literal(label)))
    dataset = EKGID["dataset"]
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, VOID.triples, Literal(len(g))))
    g.add((dataset, DCTERMS.created, Literal("2026-11-25")))
    g.add((EKG.Gene, RDF.type, OWL.Class))
    gene(g, KCNT1, "KCNT1", "HGNC:18865")
    fact(g, EIMFS, RDF.type, EKG.Disease)
    fact(g, EIMFS, RDFS.label, Literal("epilepsy of infancy with migrating focal seizures"))
    fact(g, KCNT1, EKG.causes, EIMFS, publications=[PAPER, book], kind=EKG.CausalStatement)
    publication(
        g, PAPER, "Barcia et al. 2012", "De novo gain-of-function KCNT1 channel mutations", "PMID:23086397"
    )
    publication(g, book, "McTague et al. 2019", "KCNT1-related epilepsy", book_id)
    return g


def test_the_same_graph_is_equal() -> None:
    d = diff_graphs(base(), base())
    assert d.equal and d.changes == [] and d.old_facts == d.new_facts > 10
    assert "the same facts" in render(d)


def test_reordered_file_with_other_statement_and_blank_node_labels_is_equal(tmp_path: Path) -> None:
    """The same facts, triples shuffled, statement nodes as blank nodes with other labels."""
    g = base()
    old = tmp_path / "old.nt"
    old.write_text(g.serialize(format="nt"), encoding="utf-8")
    rng = random.Random(7)
    renamed: dict[URIRef, BNode] = {}
    lines = []
    for s, p, o in g:
        if str(s).startswith(str(EKGID) + "statement."):
            s = renamed.setdefault(s, BNode(f"b{rng.randrange(10**9)}"))
        lines.append(f"{s.n3()} {p.n3()} {o.n3()} .\n")
    rng.shuffle(lines)
    new = tmp_path / "new.nt"
    new.write_text("".join(lines), encoding="utf-8")
    assert old.read_bytes() != new.read_bytes()
    d = diff_files(old, new)
    assert d.equal, render(d)
    assert main(["diff", str(old), str(new)]) == 0


def test_an_added_gene_is_shown_by_name_with_its_source() -> None:
    new = base()
    gene(new, SCN2A, "SCN2A", "HGNC:10588")
    fact(new, SCN2A, EKG.associatedWith, EIMFS, kind=EKG.CorrelativeStatement)
    d = diff_graphs(base(), new)
    assert not d.equal
    assert {c.change for c in d.changes} == {"added"}
    assert {(c.kind, c.subject_name) for c in d.changes} == {("gene", "SCN2A")}
    assert d.summary()["kind"]["gene"]["added"] == 5
    assert d.summary()["source"]["hgnc"]["added"] == 4
    assert d.summary()["predicate"]["ekg:associatedWith"]["added"] == 1
    assert d.identifier_changes == []  # the new gene's HGNC id comes with it
    text = render(d)
    assert "SCN2A (NCBIGene:6326)" in text
    assert "+ skos:exactMatch HGNC:10588" in text
    assert "source: hgnc | evidence: ECO:0000352" in text
    assert "hgnc: HGNC" in text  # sources named above, with their labels
    assert "kind=ekg:CorrelativeStatement" in text


def test_a_removed_paper() -> None:
    old = base()
    publication(old, iri("PMID:24029078"), "Ishii et al. 2013", "A recurrent KCNT1 mutation", "PMID:24029078")
    d = diff_graphs(old, base())
    assert {c.change for c in d.changes} == {"removed"}
    assert {c.subject_name for c in d.changes} == {"Ishii et al. 2013"}
    assert {c.kind for c in d.changes} == {"publication"}
    assert d.count("removed") == 4
    assert "- dcterms:title 'A recurrent KCNT1 mutation'" in render(d)


def test_a_changed_identifier_is_called_out_and_not_repeated_for_every_fact() -> None:
    """A GeneReviews chapter moves from its Bookshelf id to its PMID; its title stays."""
    d = diff_graphs(base(), base(BOOK_PMID, "PMID:30763027"))
    assert d.renamed == [
        {
            "kind": "publication",
            "name": "McTague et al. 2019",
            "old": "NCBIBOOK:NBK537476",
            "new": "PMID:30763027",
        }
    ]
    # the facts about the chapter, and the causal link citing it, are not shown as removed and added
    assert [(c.change, c.predicate, c.old, c.new) for c in d.changes] == [
        ("changed", "dcterms:identifier", "'NCBIBOOK:NBK537476'", "'PMID:30763027'")
    ]
    assert d.identifier_changes[0]["change"] == "changed"
    text = render(d)
    assert "NCBIBOOK:NBK537476 -> PMID:30763027 (same title, new id)" in text
    assert "Identifier changes" in text


def test_a_new_cross_reference_of_a_known_entity_is_an_identifier_change() -> None:
    new = base()
    fact(new, EIMFS, SKOS.exactMatch, iri("UMLS:C4518639"), HGNC, ECO_DB)
    d = diff_graphs(base(), new)
    assert [(i["change"], i["entity"], i["new"]) for i in d.identifier_changes] == [
        ("added", "epilepsy of infancy with migrating focal seizures", "UMLS:C4518639")
    ]


def test_a_changed_source_only_is_a_provenance_change() -> None:
    new = Graph()
    for triple in base():
        new.add(triple)
    for st in list(new.subjects(RDF.predicate, EKG.causes)):
        new.set((st, EKG.source, HGNC))
    d = diff_graphs(base(), new)
    assert [(c.change, c.subject_name, c.predicate) for c in d.changes] == [
        ("provenance", "KCNT1", "ekg:causes")
    ]
    change = d.changes[0]
    assert [p.sources for p in change.old_provenance] == [("medlineplus.causes",)]
    assert [p.sources for p in change.new_provenance] == [("hgnc",)]
    assert change.old_provenance[0].publications == ("NCBIBOOK:NBK537476", "PMID:23086397")
    assert "(provenance only)" in render(d)
    assert "was source: medlineplus.causes" in render(d)


def test_a_changed_value_pairs_old_and_new() -> None:
    old, new = base(), base()
    fact(old, SCN2A, RDFS.label, Literal("sodium channel"), HGNC, ECO_DB)
    fact(new, SCN2A, RDFS.label, Literal("sodium voltage-gated channel alpha subunit 2"), HGNC, ECO_DB)
    d = diff_graphs(old, new)
    assert [(c.change, c.old, c.new) for c in d.changes] == [
        ("changed", "'sodium channel'", "'sodium voltage-gated channel alpha subunit 2'")
    ]


def test_dataset_description_is_not_a_fact_and_ontology_changes_are_counted() -> None:
    new = base()
    new.set((EKGID["dataset"], VOID.triples, Literal(99999)))
    new.set((EKGID["dataset"], DCTERMS.created, Literal("2026-12-04")))
    d = diff_graphs(base(), new)
    assert d.equal
    assert any("2026-12-04" in line for line in d.dataset)
    new.add((EKG.Gene, RDFS.comment, Literal("a new comment")))
    d = diff_graphs(base(), new)
    assert not d.equal and d.changes == [] and d.ontology == (1, 0)
    assert "ontology (terms, not facts): 1 triple(s) added, 0 removed" in render(d)


def test_markdown_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = tmp_path / "old.ttl", tmp_path / "new.ttl"
    old.write_text(base().serialize(format="turtle"), encoding="utf-8")
    g = base(BOOK_PMID, "PMID:30763027")
    gene(g, SCN2A, "SCN2A", "HGNC:10588")
    new.write_text(g.serialize(format="turtle"), encoding="utf-8")
    assert main(["diff", str(old), str(new), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["equal"] is False
    assert data["counts"] == {"added": 4, "removed": 0, "changed": 1, "provenance": 0}
    assert data["identifier_changes"]["renamed"][0]["new"] == "PMID:30763027"
    assert data["summary"]["kind"]["gene"]["added"] == 4
    assert {"subject_name", "old_provenance", "new_provenance"} <= set(data["changes"][0])
    assert main(["diff", str(old), str(new), "--format", "markdown"]) == 1
    markdown = capsys.readouterr().out
    assert "#### Identifier changes" in markdown
    assert "| kind | added | removed | changed | provenance only |" in markdown
    assert "- **SCN2A** (`NCBIGene:6326`)" in markdown


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        ("<a> <b> .\n", "not valid RDF"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, expected: str
) -> None:
    good = tmp_path / "good.ttl"
    good.write_text(base().serialize(format="turtle"), encoding="utf-8")
    bad = tmp_path / "bad.ttl"
    if content is not None:
        bad.write_text(content, encoding="utf-8")
    assert main(["diff", str(good), str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(bad) in err[0] and expected in err[0] and "Traceback" not in err[0]


def test_a_folder_without_a_graph_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(tmp_path), str(tmp_path)]) == 2
    assert "no eimfs-kg.ttl in this folder" in capsys.readouterr().err


def test_the_real_build_against_itself_and_a_folder(
    built: BuildResult, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", str(built.path), str(built.path.parent)]) == 0
    out = capsys.readouterr().out
    assert "0 added, 0 removed" in out


def test_the_real_build_against_a_changed_curation(
    built: BuildResult, data_copy: Path, tmp_path: Path
) -> None:
    """A curator drops the OMIM id of KCNT1: one identifier change, from the OMIM source."""
    from eimfs_kg.graph.build import build

    genes = data_copy / "genes.yaml"
    text = genes.read_text(encoding="utf-8")
    assert "  omim: OMIM:608167\n" in text
    genes.write_text(text.replace("  omim: OMIM:608167\n", "", 1), encoding="utf-8")
    changed = build(tmp_path, data_copy)
    d = diff_files(built.path, changed.path)
    assert [(c.change, c.subject_name, c.predicate, c.old) for c in d.changes] == [
        ("removed", "KCNT1", "skos:exactMatch", "OMIM:608167")
    ]
    assert d.summary()["source"] == {"omim": {"added": 0, "removed": 1, "changed": 0, "provenance": 0}}


def test_new_defaults_to_the_current_build(
    built: BuildResult, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("EIMFS_KG_GRAPH", str(built.path))
    assert main(["diff", str(built.path.parent), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["equal"] is True and data["new"] == "the current build"
    assert data["facts"]["old"] == data["facts"]["new"] > 2000
