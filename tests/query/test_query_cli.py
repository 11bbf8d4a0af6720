"""The query command: sources, formats, reasoning and bad input."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest

from eimfs_kg import api
from eimfs_kg.cli import main
from eimfs_kg.graph.build import BuildResult
from eimfs_kg.graph.cache import default_graph

EKG = "PREFIX ekg: <https://w3id.org/eimfs-kg/vocab/>\n"
ION_CHANNEL_GENES = (
    EKG
    + "SELECT ?symbol WHERE { ?g ekg:symbol ?symbol ; ekg:hasGeneProduct/a ekg:IonChannel } ORDER BY ?symbol"
)
STEP = "<https://w3id.org/eimfs-kg/id/mechanism.kcnt1-gain-of-function.step.{}>"
UPSTREAM = EKG + f"ASK {{ {STEP.format(1)} ekg:causallyUpstreamOf {STEP.format(5)} }}"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def graph_file(built: BuildResult) -> str:
    return str(built.path)


@pytest.mark.parametrize("fmt", ["tsv", "json", "xml"])  # CSV is lossy: checked below
def test_w3c_formats_parse_back(capsys, graph_file: str, fmt: str) -> None:
    code, out, _ = run(capsys, "query", "most-common-causes", "--format", fmt, "--graph", graph_file)
    assert code == 0
    parsed = ox.parse_query_results(out.encode(), format=getattr(ox.QueryResultsFormat, fmt.upper()))
    symbols = [solution["symbol"].value for solution in parsed]
    assert symbols == ["KCNT1", "SCN2A"]


def test_csv_is_w3c_sparql_csv(capsys, graph_file: str) -> None:
    _, out, _ = run(capsys, "query", "genes", "--format", "csv", "--graph", graph_file)
    assert out.startswith("symbol,gene,hgnc,name,location,list\r\n")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 25
    assert rows[0]["gene"].startswith("http://identifiers.org/ncbigene/")


def test_json_and_xml_are_w3c_documents(capsys, graph_file: str) -> None:
    _, out, _ = run(capsys, "query", "clinical-figures", "--format", "json", "--graph", graph_file)
    doc = json.loads(out)
    share = doc["results"]["bindings"][0]["geneticCauseShare"]
    assert share == {
        "type": "literal",
        "value": "0.7",
        "datatype": "http://www.w3.org/2001/XMLSchema#decimal",
    }
    _, out, _ = run(capsys, "query", "clinical-figures", "--format", "xml", "--graph", graph_file)
    root = ET.fromstring(out)
    assert root.tag == "{http://www.w3.org/2005/sparql-results#}sparql"


def test_ask_and_construct(capsys, graph_file: str) -> None:
    code, out, _ = run(
        capsys, "query", "--sparql", EKG + "ASK { ?g ekg:symbol 'KCNT1' }", "--graph", graph_file
    )
    assert (code, out) == (0, "true\n")
    _, out, _ = run(capsys, "query", "--sparql", UPSTREAM, "--format", "json", "--graph", graph_file)
    assert json.loads(out) == {"head": {}, "boolean": False}
    construct = EKG + "CONSTRUCT { ?g ekg:symbol ?s } WHERE { ?g ekg:symbol ?s FILTER(?s = 'SCN2A') }"
    _, out, _ = run(capsys, "query", "--sparql", construct, "--graph", graph_file)
    assert "@prefix NCBIGene: <http://identifiers.org/ncbigene/>" in out
    assert 'NCBIGene:6326 ekg:symbol "SCN2A"' in out


def test_query_file(capsys, graph_file: str, tmp_path: Path) -> None:
    rq = tmp_path / "mine.rq"
    rq.write_text(
        "# param: symbol a gene symbol\n" + EKG + "SELECT ?symbol ?g WHERE { ?g ekg:symbol ?symbol }"
    )
    code, out, _ = run(capsys, "query", str(rq), "--param", "symbol=PIGA", "--graph", graph_file)
    assert code == 0 and "NCBIGene:5277" in out and "(1 row)" in out


def test_table_shows_curies(capsys, graph_file: str) -> None:
    _, out, _ = run(capsys, "query", "ion-channel-genes", "--graph", graph_file)
    assert "UniProtKB:Q5JUK3" in out and "http://" not in out


@pytest.mark.slow  # the RDFS closure of the graph: about 5 s
def test_rdfs_reasoning_finds_channels_through_the_hierarchy(capsys, graph_file: str) -> None:
    _, plain, _ = run(capsys, "query", "--sparql", ION_CHANNEL_GENES, "--graph", graph_file)
    assert "(0 rows)" in plain
    _, reasoned, _ = run(
        capsys, "query", "--sparql", ION_CHANNEL_GENES, "--reasoning", "rdfs", "--graph", graph_file
    )
    for symbol in ("KCNT1", "KCNQ2", "SCN1A", "SCN2A", "SCN8A", "HCN1", "GABRA1"):
        assert symbol in reasoned
    assert "ATP1A3" not in reasoned and "(9 rows)" in reasoned


@pytest.mark.slow  # the OWL 2 RL closure of the graph takes about 10 s
def test_owlrl_honours_transitive_properties(capsys, graph_file: str) -> None:
    _, rdfs, _ = run(capsys, "query", "--sparql", UPSTREAM, "--reasoning", "rdfs", "--graph", graph_file)
    _, owl, _ = run(capsys, "query", "--sparql", UPSTREAM, "--reasoning", "owlrl", "--graph", graph_file)
    assert (rdfs, owl) == ("false\n", "true\n")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * FROM <http://127.0.0.1:9/data.ttl> WHERE { ?s ?p ?o }", "FROM"),
        ("LOAD <http://127.0.0.1:9/data.ttl>", "LOAD"),
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "read-only"),
    ],
)
def test_unsafe_queries_refused_before_running(capsys, graph_file: str, text: str, why: str) -> None:
    code, out, err = run(capsys, "query", "--sparql", text, "--graph", graph_file)
    assert code == 2 and out == ""
    assert "refused" in err and why in err


def test_keywords_inside_strings_are_not_refused(capsys, graph_file: str) -> None:
    text = EKG + 'SELECT ?s WHERE { ?s ekg:symbol "SERVICE FROM LOAD" } # SERVICE'
    code, out, _ = run(capsys, "query", "--sparql", text, "--graph", graph_file)
    assert code == 0 and "(0 rows)" in out


def test_syntax_error_reports_line_and_column(capsys, graph_file: str) -> None:
    code, _, err = run(capsys, "query", "--sparql", "SELECT ?x WHERE {\n  ?x a\n}", "--graph", graph_file)
    assert code == 2
    assert "SPARQL syntax error at line 3, column" in err


def test_unknown_function_is_a_clear_error(capsys, graph_file: str) -> None:
    code, _, err = run(capsys, "query", "--graph", graph_file, "--sparql", "SELECT (<urn:f>(1) AS ?x) {}")
    assert code == 2 and "--sparql: the query cannot run" in err and "urn:f" in err


def test_injection_through_a_parameter_changes_nothing(capsys, graph_file: str) -> None:
    before = Path(graph_file).read_bytes()
    hostile = '"} } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o . FILTER("'
    code, out, err = run(
        capsys, "query", "condition-by-name", "--param", f"name={hostile}", "--graph", graph_file
    )
    assert code == 2 and out == "" and "matches nothing in the graph" in err
    assert Path(graph_file).read_bytes() == before


def test_bad_param_syntax_and_unknown_format(capsys, graph_file: str) -> None:
    code, _, err = run(capsys, "query", "genes", "--param", "oops", "--graph", graph_file)
    assert code == 2 and "NAME=VALUE" in err
    with pytest.raises(SystemExit):
        main(["query", "genes", "--format", "yaml"])


def test_construct_refuses_tabular_formats(capsys, graph_file: str) -> None:
    construct = EKG + "CONSTRUCT { ?g ekg:symbol ?s } WHERE { ?g ekg:symbol ?s }"
    code, _, err = run(capsys, "query", "--sparql", construct, "--format", "csv", "--graph", graph_file)
    assert code == 2 and "returns RDF" in err


def test_malformed_graph_file(capsys, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:a> <urn:b> .\n")
    code, _, err = run(capsys, "query", "genes", "--graph", str(bad))
    assert code == 2 and "bad.ttl" in err and "not valid RDF" in err


def test_default_graph_is_built_once_and_reused(capsys) -> None:
    code, out, _ = run(capsys, "query", "most-common-causes")
    assert code == 0 and "KCNT1" in out
    first = default_graph()
    assert first.is_file() and default_graph() == first


def test_queries_readme_is_current() -> None:
    readme = Path(__file__).resolve().parents[2] / "queries" / "README.md"
    assert readme.read_text(encoding="utf-8") == api.queries_markdown(default_graph())


def test_queries_listing(capsys) -> None:
    code, out, _ = run(capsys, "queries")
    assert code == 0
    assert "condition-by-name" in out and "[params: name]" in out


def test_cli_choices_match_the_modules() -> None:
    """The CLI keeps its own copies (so --help imports nothing); they must not drift."""
    from eimfs_kg import cli
    from eimfs_kg.publish import export
    from eimfs_kg.query import answer, budget, contract, limits
    from eimfs_kg.stores import remote

    assert cli.FORMATS == answer.FORMATS
    assert cli.REASONING == contract.REASONING
    assert cli.DEFAULT_GRAPH == api.DEFAULT_GRAPH
    assert cli.EXPORT_FORMATS == export.EXPORT_FORMATS
    assert cli.DEFAULT_GRAPH == remote.DEFAULT_GRAPH
    assert (cli.TIMEOUT_S, cli.MAX_ROWS) == (limits.DEFAULT_TIMEOUT_S, limits.DEFAULT_MAX_ROWS)
    assert cli.MAX_MEMORY_MB == budget.DEFAULT_MAX_MEMORY_MB


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    """`eimfs-kg build | head -1`: the closed pipe ends the command quietly, exit 0."""
    command = f'"{Path(sys.executable).parent / "eimfs-kg"}" build --out "{tmp_path}" | head -1'
    done = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True)
    assert done.stdout.startswith("wrote ") and "Traceback" not in done.stderr
    assert done.returncode == 0


def test_each_command_parses_as_with_every_option_declared() -> None:
    """The parser declares only the named command's options (start-up time); each command's
    options and help must be those of the parser that declares all of them."""
    from eimfs_kg import cli

    def command_help(parser, name: str) -> str:
        (sub,) = (action for action in parser._actions if action.dest == "command")
        return sub.choices[name].format_help()

    full = cli._parser([])
    for name in cli._COMMANDS:
        assert command_help(cli._parser([name]), name) == command_help(full, name)
        assert command_help(cli._parser(["--version", name, "x"]), name) == command_help(full, name)
    args = cli._parser(["query", "genes"]).parse_args(["query", "genes", "--format", "csv"])
    assert (args.name, args.format, args.func) == ("genes", "csv", cli._cmd_query)
