"""Free SPARQL that just works: predeclared prefixes, one-line errors, pasteable names, checked values."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph

from eimfs_kg import api
from eimfs_kg.cli import main
from eimfs_kg.errors import InputError
from eimfs_kg.graph.build import BuildResult
from eimfs_kg.query.library import NamedQuery, get_query
from eimfs_kg.query.oxigraph import Engine
from eimfs_kg.query.prelude import display_name
from eimfs_kg.query.rdflib_engine import RdflibEngine

UNDECLARED = 'SELECT ?g WHERE { ?g a ekg:Gene ; ekg:symbol "KCNT1" ; skos:exactMatch HGNC:18865 }'


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_project_prefixes_are_declared_on_every_engine(engine: Engine, graph: Graph) -> None:
    query = NamedQuery.from_text("q", UNDECLARED)
    for answering in (engine, RdflibEngine(graph)):
        assert answering.answer(query).dicts() == [{"g": "http://identifiers.org/ncbigene/57582"}]


def test_a_query_s_own_prefix_wins(engine: Engine) -> None:
    own = NamedQuery.from_text("q", "PREFIX ekg: <urn:other:>\nSELECT ?g WHERE { ?g ekg:symbol ?s }")
    assert engine.answer(own).rows == []


def test_free_sparql_on_the_cli_and_the_api(capsys, built: BuildResult) -> None:
    code, out, _ = run(capsys, "query", "--sparql", UNDECLARED, "--graph", str(built.path))
    assert code == 0 and "NCBIGene:57582" in out
    assert api.run_query(UNDECLARED, graph=built.path).dicts()[0]["g"].endswith("/57582")


def test_unknown_prefix_is_named_with_the_known_ones(engine: Engine) -> None:
    with pytest.raises(InputError) as info:
        engine.answer(NamedQuery.from_text("q", "SELECT * WHERE {\n  ?s foo:bar ?o }"))
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("q: SPARQL syntax error (line 2, column 6): unknown prefix 'foo:'")
    assert "known prefixes: " in message and " ekg, " in message and "NCBIGene" in message


def test_syntax_error_is_one_line_in_words(capsys, built: BuildResult) -> None:
    code, _, err = run(
        capsys, "query", "--sparql", "SELECT ?x WHERE {\n  ?x ekg:symbol }", "--graph", str(built.path)
    )
    assert code == 2 and err.count("\n") == 1
    assert err.startswith("error: --sparql: SPARQL syntax error at line 2, column")
    assert "expected one of" in err and "a variable (?x)" in err and "an IRI (<...>)" in err
    assert "\\u{" not in err and "..='" not in err  # no character ranges


def test_every_iri_of_the_graph_round_trips_through_its_printed_name(engine: Engine) -> None:
    iris = sorted(
        {
            term.value
            for triple in engine.triples()
            for term in (triple.subject, triple.predicate, triple.object)
            if isinstance(term, ox.NamedNode)
        }
    )
    names = [display_name(iri, engine.prefixes) for iri in iris]
    assert "<https://w3id.org/eimfs-kg/id/mechanism.kcnt1-gain-of-function.step.1>" in names
    assert "NCBIGene:57582" in names and "ekg:Gene" in names
    text = "SELECT ?x WHERE { VALUES ?x { " + "\n".join(names) + " } }"
    back = [row["x"] for row in engine.answer(NamedQuery.from_text("round-trip", text)).dicts()]
    assert back == iris


def test_table_names_paste_back(capsys, built: BuildResult) -> None:
    step = "SELECT ?s WHERE { ?s ekg:order 1 ; a ekg:MechanismStep } ORDER BY ?s LIMIT 1"
    code, out, _ = run(capsys, "query", "--sparql", step, "--graph", str(built.path))
    name = out.splitlines()[2].strip()
    code, out, _ = run(
        capsys, "query", "--sparql", f"ASK {{ {name} ekg:order 1 }}", "--graph", str(built.path)
    )
    assert code == 0 and out.strip() == "true"


@pytest.mark.parametrize(
    ("query", "param", "message"),
    [
        ("gene-profile", "gene=KCNT", "closest known: KCNT1"),
        ("genes-by-ion", "ion=potassium", "closest known: CHEBI:29103 (potassium(1+))"),
        ("genes-by-inheritance", "mode=X-linked", "HP:0001417 (X-linked inheritance)"),
        ("condition-by-name", "name=MMPS", "closest known: "),
    ],
)
def test_unknown_parameter_value_is_exit_2_with_the_closest(
    capsys, built: BuildResult, query: str, param: str, message: str
) -> None:
    code, out, err = run(capsys, "query", query, "--param", param, "--graph", str(built.path))
    assert code == 2 and out == ""
    assert (
        err.startswith(f"error: {query}: --param {param} matches nothing in the graph; ") and message in err
    )


def test_case_insensitive_unambiguous_values_are_taken(capsys, built: BuildResult) -> None:
    code, out, _ = run(capsys, "query", "gene-profile", "--param", "gene=kcnt1", "--graph", str(built.path))
    assert code == 0 and "KCNT1" in out and "(0 rows)" not in out
    assert api.run_query(get_query("papers-by-gene"), {"gene": "scn2a"}, graph=built.path).rows
