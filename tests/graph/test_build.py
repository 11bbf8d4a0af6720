"""Build, validate and write: reproducible, atomic, self-describing."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, VOID

from eimfs_kg.cli import main
from eimfs_kg.graph.build import BuildResult, build
from eimfs_kg.graph.dataset import DATASET_IRI
from eimfs_kg.rdf.bridge import serialize


def test_written_file_is_the_validated_graph(built: BuildResult) -> None:
    assert built.report.conforms
    reread = Graph().parse(built.path, format="turtle")
    assert isomorphic(reread, built.graph)


def test_written_bytes_are_those_of_the_reference_path(built: BuildResult) -> None:
    """The fast Oxigraph copy (each term converted once) writes the bytes that going through
    rdflib's own N-Triples writer, the way builds were written before, gives."""
    import pyoxigraph as ox

    reference = ox.Store()
    reference.load(built.graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    assert serialize(built.graph, reference) == built.path.read_bytes()
    assert serialize(built.graph) == built.path.read_bytes()


@pytest.mark.parametrize("name", ["eimfs.ttl", "shapes.ttl"])
def test_oxigraph_parse_of_the_ontology_is_rdflibs(name: str) -> None:
    """The build reads the packaged Turtle with Oxigraph: the same triples, as rdflib terms (plain
    literals plain, blank nodes aside), and the same prefixes as rdflib's parser gives."""
    import pyoxigraph as ox
    from rdflib.compare import to_isomorphic

    from eimfs_kg.rdf.bridge import rdflib_graph, read_prefixes
    from eimfs_kg.resources import ontology_file

    path = ontology_file(name)
    by_rdflib = Graph().parse(path, format="turtle")
    by_oxigraph = rdflib_graph(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE), read_prefixes(path))
    assert to_isomorphic(by_oxigraph) == to_isomorphic(by_rdflib)
    assert list(by_oxigraph.namespaces()) == list(by_rdflib.namespaces())


def test_canonical_order_is_that_of_the_terms_text(graph: Graph) -> None:
    """Sorting N-Triples lines sorts the triples by (subject, predicate, object) as text."""
    import pyoxigraph as ox

    from eimfs_kg.rdf.bridge import oxigraph_copy, sorted_ntriples

    store = oxigraph_copy(graph)
    by_terms = sorted((q.triple for q in store), key=lambda t: tuple(map(str, t)))
    read_back = [q.triple for q in ox.parse(sorted_ntriples(store), format=ox.RdfFormat.N_TRIPLES)]
    assert read_back == by_terms


@pytest.mark.slow  # a second full build
def test_build_is_byte_for_byte_reproducible(built: BuildResult, tmp_path: Path) -> None:
    again = build(tmp_path)
    assert again.path.read_bytes() == built.path.read_bytes()
    assert serialize(again.graph) == built.path.read_bytes()


DATASET = URIRef(DATASET_IRI)


def test_dataset_description(graph: Graph) -> None:
    assert (DATASET, RDF.type, VOID.Dataset) in graph
    assert graph.value(DATASET, VOID.triples) == Literal(len(graph))
    assert str(graph.value(DATASET, DCTERMS.license)).startswith("https://creativecommons.org/")
    assert graph.value(DATASET, DCTERMS.created) is not None
    sources = set(graph.objects(DATASET, DCTERMS.source))
    assert len(sources) >= 10


def test_triple_count(built: BuildResult) -> None:
    assert built.triples == len(built.graph)


def test_class_counts(built: BuildResult) -> None:
    counts = built.class_counts
    assert counts["ekg:Gene"] == 25
    assert counts["ekg:Phenotype"] == 14  # 13 of the condition + "Seizure" ending the chains
    assert (
        counts["ekg:JournalArticle"] + counts["ekg:BookChapter"] == 16
    )  # 12 of the page, 4 cited by curators
    assert counts["ekg:CausalStatement"] == 6  # KCNT1 and SCN2A: rank and variant type stated apart
    assert counts["ekg:CorrelativeStatement"] == 25


def test_every_gene_has_its_hgnc_id(built: BuildResult) -> None:
    assert built.report.warnings == ()


def test_warnings_name_genes_without_hgnc(data_copy: Path, tmp_path: Path) -> None:
    genes = data_copy / "genes.yaml"
    genes.write_text(genes.read_text().replace("  hgnc: HGNC:15917\n", ""))
    flagged = {w.focus for w in build(tmp_path, data_dir=data_copy).report.warnings}
    assert flagged == {"NCBIGene:23236"}  # PLCB1


def test_a_shape_violation_fails_the_build_with_pyshacls_report(data_copy: Path, tmp_path: Path) -> None:
    """The fast check finds it, pySHACL reports it (its message and path), nothing is written."""
    from eimfs_kg.errors import ValidationFailed

    diseases = data_copy / "diseases.yaml"
    text = diseases.read_text()
    start = text.index("  description: The disease entity defined by heterozygous variants in KCNT1")
    end = text.index("\n", start)
    diseases.write_text(text[:start] + "  description: Too short to describe it." + text[end:])
    out = tmp_path / "out"
    with pytest.raises(ValidationFailed) as failed:
        build(out, data_dir=data_copy)
    (violation,) = failed.value.report.violations
    assert (violation.focus, violation.path) == (
        "<http://purl.obolibrary.org/obo/MONDO_0013989>",
        "dcterms:description",
    )
    assert "at least 40 characters" in violation.message
    assert not out.exists()


def test_cli_build_prints_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "graph conforms" in out
    assert "ekg:Gene" in out and " 25" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["eimfs-kg.ttl"]


def test_cli_validate_conforming_file(built: BuildResult, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(built.path)]) == 0
    assert "conforms" in capsys.readouterr().out


def test_cli_validate_nonconforming_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix ekg: <https://w3id.org/eimfs-kg/vocab/> .\n"
        "<http://identifiers.org/ncbigene/1> a ekg:Gene .\n"
    )
    assert main(["validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "[Violation] focus NCBIGene:1 | path ekg:symbol" in out
    assert "does not conform" in out


def test_integrity_queries_are_part_of_validation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A statement whose triple is missing is caught by statement-without-fact-violation.rq."""
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix ekg: <https://w3id.org/eimfs-kg/vocab/> .\n"
        "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
        "<urn:st> a ekg:Statement ; rdf:subject <urn:a> ; rdf:predicate <urn:b> ; rdf:object <urn:c> ;\n"
        "    ekg:source <urn:src> ; ekg:evidence <urn:eco> .\n"
    )
    assert main(["validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "Statement nodes whose triple is missing" in out
    assert "Statements citing something that is not a source" in out


@pytest.mark.slow  # pySHACL itself on the whole graph: a few seconds
def test_both_validators_agree_on_the_real_graph(graph: Graph) -> None:
    from eimfs_kg.graph.validate import validate_graph

    assert validate_graph(graph, validator="turbo") == validate_graph(graph, validator="pyshacl")


BUILD_IMPORTS = """
import sys
from eimfs_kg.cli import main
code = main(["build", "--out", sys.argv[1]])
print(code, sorted(name for name in ("rdflib", "pyshacl", "importlib.metadata") if name in sys.modules))
"""


def test_a_build_that_conforms_imports_no_rdflib(tmp_path: Path) -> None:
    """rdflib's import alone is the reference the cold build is measured against (issue 14)."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", BUILD_IMPORTS, str(tmp_path)], capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines()[-1] == "0 []"
    assert (tmp_path / "eimfs-kg.ttl").is_file()


@pytest.mark.parametrize(
    "text",
    [
        'say "no"',
        "back\\slash",
        "two\nlines",
        'ends in a quote"',
        'three """ quotes\n',
        "cr\r",
        "tab\t",
        "é ✓",
    ],
)
def test_statement_iris_hash_the_n3_text_rdflib_gives(text: str) -> None:
    """Statement IRIs are hashes of each term's N3 text: the builder's text is rdflib's, so the
    IRIs did not change when the builder moved from rdflib terms to Oxigraph's."""
    import pyoxigraph as ox
    from rdflib import Literal as RdflibLiteral
    from rdflib import URIRef as RdflibIRI

    from eimfs_kg.graph.builder import n3

    datatype = "http://example.org/datatype"  # one rdflib does not normalise
    assert n3(ox.Literal(text)) == RdflibLiteral(text).n3()
    assert n3(ox.Literal(text, language="en")) == RdflibLiteral(text, lang="en").n3()
    assert (
        n3(ox.Literal(text, datatype=ox.NamedNode(datatype))) == RdflibLiteral(text, datatype=datatype).n3()
    )
    assert n3(ox.NamedNode("http://example.org/a")) == RdflibIRI("http://example.org/a").n3()


def test_a_prefix_is_declared_for_iris_not_for_literal_text() -> None:
    import pyoxigraph as ox

    from eimfs_kg.rdf.bridge import turtle

    store = ox.Store()
    used, quoted = "http://used.example/", "http://quoted.example/"
    store.add(ox.Quad(ox.NamedNode(used + "a"), ox.NamedNode(used + "b"), ox.Literal(f"see <{quoted}x>")))
    text = turtle(store, {"used": used, "quoted": quoted, "never": "http://never.example/"}).decode()
    assert "@prefix used:" in text
    assert "quoted:" not in text and "never:" not in text


def test_the_version_is_the_installed_packages() -> None:
    from importlib.metadata import version

    from eimfs_kg import __version__

    assert __version__ == version("eimfs-kg")
