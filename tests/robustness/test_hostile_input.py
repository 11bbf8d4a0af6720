"""Hostile input: no network unless asked, no XML entities, size caps, query limits.

A loopback "canary" HTTP server counts every request it gets; each attempt to make the
product fetch something (from the command line and through the HTTP endpoint) must leave
it at zero hits.
"""

from __future__ import annotations

import http.server
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from itertools import accumulate
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eimfs_kg import cli
from eimfs_kg.errors import InputError
from eimfs_kg.graph.build import BuildResult
from eimfs_kg.query.library import MAX_ESCAPES, MAX_NESTING, check_query
from eimfs_kg.query.oxigraph import Engine

EIMFS_KG = str(Path(sys.executable).parent / "eimfs-kg")
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"  # 2.2e8 rows: ~30 s


class Canary:
    """A loopback HTTP server that records every request it receives."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        canary = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _record(self) -> None:
                canary.hits.append(f"{self.command} {self.path}")
                self.send_response(200)
                self.send_header("Content-Type", "text/turtle")
                self.end_headers()
                self.wfile.write(b"<urn:canary:s> <urn:canary:p> <urn:canary:o> .\n")

            do_GET = do_POST = do_HEAD = _record

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    server = Canary()
    yield server
    server.server.shutdown()
    assert server.hits == [], f"the canary was reached: {server.hits}"


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([EIMFS_KG, *args], capture_output=True, text=True, timeout=timeout)


def fetching_queries(url: str) -> dict[str, str]:
    return {
        "SERVICE": f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        "SERVICE SILENT in OPTIONAL": (
            f"SELECT * WHERE {{ OPTIONAL {{ SERVICE SILENT <{url}/s> {{ ?s ?p ?o }} }} }}"
        ),
        "escaped SERVICE": f"SELECT * WHERE {{ \\u0053ERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        "FROM": f"SELECT * FROM <{url}/g.ttl> WHERE {{ ?s ?p ?o }}",
        "FROM NAMED": f"SELECT * FROM NAMED <{url}/g.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "LOAD": f"LOAD <{url}/g.ttl>",
    }


def test_the_command_line_fetches_nothing(canary: Canary, built: BuildResult, tmp_path: Path) -> None:
    graph = str(built.path)
    for what, text in fetching_queries(canary.url).items():
        done = run("query", "--graph", graph, "--sparql", text)
        assert done.returncode == 2, what
        assert "refused" in done.stderr, (what, done.stderr)
    imports = tmp_path / "imports.ttl"
    imports.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        f"<urn:x> a owl:Ontology ; owl:imports <{canary.url}/o.ttl> .\n"
    )
    done = run("validate", str(imports))
    assert done.returncode == 2 and "refused: owl:imports" in done.stderr
    context = tmp_path / "remote-context.jsonld"
    context.write_text(f'{{"@context": "{canary.url}/ctx.jsonld", "@id": "http://e/x", "name": "X"}}')
    for command in (["validate", str(context)], ["query", "genes", "--graph", str(context)]):
        done = run(*command)
        assert done.returncode == 2 and "JSON-LD is not read here" in done.stderr
    done = run("query", "genes", "--graph", f"{canary.url}/graph.ttl")
    assert done.returncode == 2 and "no such file" in done.stderr
    assert canary.hits == []


def test_the_endpoint_fetches_nothing(canary: Canary, built: BuildResult) -> None:
    server = subprocess.Popen(
        [EIMFS_KG, "serve", "--port", "0", "--graph", str(built.path)], stdout=subprocess.PIPE, text=True
    )
    try:
        base = re.search(r"serving (http://\S+)/ ", server.stdout.readline()).group(1)
        for what, text in fetching_queries(canary.url).items():
            body = urllib.parse.urlencode({"query": text}).encode()
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(f"{base}/sparql", body, timeout=30)
            assert refused.value.code in (400, 403), what
        genes = urllib.parse.quote("SELECT ?s WHERE { ?s a ?c } LIMIT 1")
        with urllib.request.urlopen(f"{base}/sparql?query={genes}", timeout=30) as answer:
            assert answer.status == 200  # and it still answers
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert canary.hits == []


def test_the_runtime_guard_stops_what_the_checks_miss(
    canary: Canary, built: BuildResult, monkeypatch, capsys
) -> None:
    """A code path that tries to connect anyway (here a planted one) is stopped by the audit hook."""

    def leaky(self, query, params=None, max_rows=None):
        urllib.request.urlopen(f"{canary.url}/leak", timeout=5)

    monkeypatch.setattr(Engine, "answer", leaky)
    assert cli.main(["query", "genes", "--graph", str(built.path)]) == 2
    assert "refused to open a network connection" in capsys.readouterr().err
    assert canary.hits == []
    urllib.request.urlopen(f"{canary.url}/after", timeout=5).close()  # outside a command: allowed
    assert canary.hits == ["GET /after"]
    canary.hits.clear()


LOL = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/a"><ex:p>&lol9;</ex:p></rdf:Description>
</rdf:RDF>
"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE r [ <!ENTITY xxe SYSTEM "file://{secret}"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/a"><ex:p>&xxe;</ex:p></rdf:Description>
</rdf:RDF>
"""
PLAIN_XML = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/a"><ex:p>plain</ex:p></rdf:Description>
</rdf:RDF>
"""


def test_xml_with_entities_is_refused_at_once(tmp_path: Path, capsys) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-7781")
    files = {"bomb.rdf": LOL, "xxe.owl": XXE.format(secret=secret)}
    for name, text in files.items():
        (tmp_path / name).write_text(text)
        for args in (["validate", str(tmp_path / name)], ["query", "genes", "--graph", str(tmp_path / name)]):
            started = time.perf_counter()
            assert cli.main(args) == 2
            elapsed = time.perf_counter() - started
            out, err = capsys.readouterr()
            assert "DTDs and entities are not allowed" in err and elapsed < 1.0
            assert "TOP-SECRET" not in out + err
    plain = tmp_path / "plain.rdf"
    plain.write_text(PLAIN_XML)
    assert cli.main(["query", "--graph", str(plain), "--sparql", "SELECT ?o WHERE { ?s ?p ?o }"]) == 0
    assert "plain" in capsys.readouterr().out


def test_inputs_over_the_size_cap_are_refused(built: BuildResult, monkeypatch, capsys) -> None:
    monkeypatch.setenv("EIMFS_KG_MAX_INPUT_MB", "0.5")
    for command in (["validate", str(built.path)], ["query", "genes", "--graph", str(built.path)]):
        assert cli.main(command) == 2
        assert "over the 0 MiB input cap; set EIMFS_KG_MAX_INPUT_MB" in capsys.readouterr().err


@pytest.mark.slow  # waits out a query time limit on purpose
def test_a_runaway_query_is_stopped_near_its_limit(built: BuildResult) -> None:
    started = time.perf_counter()
    done = run("query", "--graph", str(built.path), "--sparql", RUNAWAY, "--timeout", "2")
    elapsed = time.perf_counter() - started
    assert done.returncode == 2 and "stopped at the 2 s time limit" in done.stderr
    assert elapsed < 15  # the limit plus start-up and loading on a slow machine, not the 30 s run


def test_an_oversized_query_is_refused(built: BuildResult, tmp_path: Path, capsys) -> None:
    huge = "SELECT * WHERE { ?s ?p ?o } # " + "x" * (1 << 20)
    assert cli.main(["query", "--graph", str(built.path), "--sparql", huge]) == 2
    assert "--sparql: over 1024 KiB" in capsys.readouterr().err
    (tmp_path / "huge.rq").write_text(huge)
    assert cli.main(["query", str(tmp_path / "huge.rq"), "--graph", str(built.path)]) == 2
    assert "huge.rq: over 1024 KiB" in capsys.readouterr().err


def test_the_row_cap_stops_a_long_answer(built: BuildResult, capsys) -> None:
    assert cli.main(["query", "genes", "--graph", str(built.path), "--max-rows", "5"]) == 2
    assert "more than 5 rows (the cap); add LIMIT" in capsys.readouterr().err
    assert cli.main(["query", "genes", "--graph", str(built.path), "--max-rows", "25"]) == 0
    assert "(25 rows)" in capsys.readouterr().out


def test_no_rdflib_tools() -> None:
    """rdflib's csv2rdf evaluates its options as Python: the package must never import it."""
    modules = sorted(Path(cli.__file__).parent.rglob("*.py"))
    assert len(modules) > 30  # every module of every sub-package
    for module in modules:
        assert "rdflib.tools" not in module.read_text(encoding="utf-8"), module.name


#: 1 MB query texts that once froze or crashed the checks or the parser: long words, long runs of
#: one character, deep nesting. Each must be answered at once (linear time), never hang.
_BASE = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1 "
ADVERSARIAL = {
    "long word": _BASE + "a" * 999_000,
    "long name run": _BASE + "_" * 999_000,
    "quotes": _BASE + '"' * 999_000,
    "angle brackets": _BASE + "<" * 999_000,
    "hashes": _BASE + "#" * 999_000,
    "codepoint escapes, as many as allowed": _BASE + "\\u0053" * MAX_ESCAPES,
    "many words": _BASE + "a " * 499_000,
    "prefixed names": _BASE + "a:" * 499_000,
}
NESTED = {
    "groups by POST": "SELECT * WHERE " + "{" * 2_500 + "}" * 2_500 + " LIMIT 1",
    "groups by GET": "SELECT * WHERE " + "{" * 5_000 + "}" * 5_000,
    "brackets in FILTER": "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 10_000 + "1" + ")" * 10_001 + " }",
    "a million groups": "SELECT * WHERE " + "{" * 1_000_000,
}


@pytest.mark.parametrize("text", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_query_checks_run_in_linear_time(text: str) -> None:
    """A quadratic scan of 1 MB takes minutes; these take milliseconds (bench/ measures them)."""
    start = time.perf_counter()
    check_query(text)  # plain words, no forbidden keyword: accepted by the check
    assert time.perf_counter() - start < 2.0


@pytest.mark.parametrize("text", NESTED.values(), ids=NESTED.keys())
def test_deep_nesting_is_refused_before_the_parser(text: str) -> None:
    """Oxigraph's parser overflows its stack a few thousand levels deep: the check stops it first."""
    with pytest.raises(InputError, match=f"at most {MAX_NESTING} are allowed"):
        check_query(text)


def depth(text: str) -> int:
    """How deep ``{``/``(`` nest, counted one character at a time (the slow, obvious way)."""
    steps = [{"{": 1, "(": 1, "}": -1, ")": -1}[c] for c in text if c in "{}()"]
    return max(accumulate(steps), default=0)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["{", "}", "(", ")", "?s ?p ?o ", "'{'", "# (\n"]), st.integers(1, 3_000)),
        max_size=12,
    )
)
def test_nesting_is_refused_exactly_when_deeper_than_the_cap(runs: list[tuple[str, int]]) -> None:
    """Runs of brackets (some inside strings and comments, which do not count) of any length."""
    text = "SELECT * WHERE " + "".join(piece * times for piece, times in runs)
    counted = depth(text.replace("'{'", "").replace("# (\n", ""))
    if counted > MAX_NESTING:
        with pytest.raises(InputError, match=f"at most {MAX_NESTING} are allowed"):
            check_query(text)
    else:
        check_query(text)


def test_a_flood_of_escapes_is_refused_before_decoding() -> None:
    """160,000 ``\\u`` escapes (1 MB) would each be decoded; past the cap the text is refused."""
    with pytest.raises(InputError, match=f"160000 \\\\u escapes; at most {MAX_ESCAPES} are allowed"):
        check_query(_BASE + "\\u0053" * 160_000)


def test_ordinary_nesting_is_allowed() -> None:
    check_query("SELECT * WHERE { { ?s ?p ?o } UNION { ?s ?p ?o FILTER((1 + (2 * 3)) > 0) } }")
