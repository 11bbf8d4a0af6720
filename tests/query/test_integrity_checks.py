"""Each integrity check (``*-violation`` query) finds exactly the damage planted in the real graph.

The checks are written for speed on big stores (MINUS and hashed sub-queries instead of a
lookup per row); these tests pin what they must still find: the planted fault and nothing else (that the real
graph passes them all is in test_queries.py).
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from eimfs_kg.graph.build import BuildResult
from eimfs_kg.query.library import get_query
from eimfs_kg.query.oxigraph import Engine

EKG, EKGID = "https://w3id.org/eimfs-kg/vocab/", "https://w3id.org/eimfs-kg/id/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
KCNT1, HP = "http://identifiers.org/ncbigene/57582", "http://purl.obolibrary.org/obo/HP_"
#: A source and an evidence type the graph holds, as a well-formed statement cites them.
GOOD_SOURCE, GOOD_EVIDENCE = f"{EKGID}source.ncbi-gene", "http://purl.obolibrary.org/obo/ECO_0000352"


def n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def rows(engine: Engine, name: str) -> set[tuple[str, ...]]:
    return {tuple("" if t is None else t.value for t in row) for row in engine.answer(get_query(name)).rows}


@pytest.fixture
def damaged(built: BuildResult) -> Engine:
    """A fresh copy of the built graph that a test may damage."""
    return Engine(built.path)


Object = ox.NamedNode | ox.Literal


def statement(engine: Engine, name: str, triple: tuple[str, str, Object], **props: str) -> str:
    """Add a statement node for ``triple`` (not the triple itself) with the given properties."""
    st = f"{EKGID}statement.{name}"
    s, p, o = triple
    quads = [(RDF + "type", n(EKG + "Statement")), (RDF + "subject", n(s)), (RDF + "predicate", n(p))]
    quads += [(RDF + "object", o), *((EKG + key, n(value)) for key, value in props.items())]
    engine.store.extend(ox.Quad(n(st), n(pred), value) for pred, value in quads)
    return st


def test_statement_citing_what_is_not_a_source_evidence_or_paper(damaged: Engine) -> None:
    st = statement(
        damaged,
        "bad-provenance",
        (KCNT1, EKG + "symbol", ox.Literal("KCNT1")),
        source="urn:not-a-source",
        evidence=f"{EKGID}source.ncbi-gene",  # a source, not an ECO evidence type
        publication=GOOD_EVIDENCE,  # an evidence type, not a publication
    )
    assert rows(damaged, "statement-provenance-violation") == {
        (st, EKG + "source", "urn:not-a-source"),
        (st, EKG + "evidence", f"{EKGID}source.ncbi-gene"),
        (st, EKG + "publication", GOOD_EVIDENCE),
    }


def test_statement_whose_triple_is_missing(damaged: Engine) -> None:
    triple = (KCNT1, EKG + "symbol", ox.Literal("KCNT2"))
    st = statement(damaged, "no-fact", triple, source=GOOD_SOURCE, evidence=GOOD_EVIDENCE)
    assert rows(damaged, "statement-without-fact-violation") == {(st, KCNT1, EKG + "symbol", "KCNT2")}
    assert rows(damaged, "statement-provenance-violation") == set()


def test_statements_without_source_or_evidence(damaged: Engine) -> None:
    triple = (KCNT1, EKG + "symbol", ox.Literal("KCNT1"))
    no_source = statement(damaged, "no-source", triple, evidence=GOOD_EVIDENCE)
    no_evidence = statement(damaged, "no-evidence", triple, source=GOOD_SOURCE)
    neither = statement(damaged, "neither", triple)
    statement(damaged, "both", triple, source=GOOD_SOURCE, evidence=GOOD_EVIDENCE)
    assert rows(damaged, "statement-without-source-violation") == {(no_source,), (no_evidence,), (neither,)}


def test_unlabelled_term(damaged: Engine) -> None:
    condition = n("http://purl.obolibrary.org/obo/MONDO_0017385")
    damaged.store.add(ox.Quad(condition, n(EKG + "hasPhenotype"), n(HP + "9999999")))
    assert rows(damaged, "unlabelled-term-violation") == {(HP + "9999999",)}


def test_fact_without_statement(damaged: Engine) -> None:
    unsourced = [
        (n(KCNT1), n(EKG + "chromosome"), ox.Literal("21")),
        (n(f"{EKGID}resource.new"), n(EKG + "about"), n(KCNT1)),
    ]
    exempt = [
        (n(EKG + "Gene"), n(EKG + "note"), ox.Literal("the vocabulary is exempt")),
        (n(f"{EKGID}dataset"), n(EKG + "note"), ox.Literal("so is the dataset description")),
        (ox.BlankNode("b"), n(EKG + "note"), ox.Literal("and blank nodes (no IRI text)")),
        (n(f"{EKGID}source.ncbi-gene"), n(EKG + "note"), ox.Literal("and the sources")),
        (n(KCNT1), n(EKG + "frequencyNote"), ox.Literal("and qualifier properties")),
    ]
    damaged.store.extend(ox.Quad(*triple) for triple in unsourced + exempt)
    assert rows(damaged, "unsourced-fact-violation") == {
        (KCNT1, EKG + "chromosome", "21"),
        (f"{EKGID}resource.new", EKG + "about", KCNT1),
    }
