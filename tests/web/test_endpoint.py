"""The web application on a loopback port (uvicorn), used by a real client (SPARQLWrapper) and by urllib."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

from eimfs_kg.graph.build import BuildResult
from eimfs_kg.query.oxigraph import Engine
from eimfs_kg.web.server import make_server

GENES = (
    "PREFIX ekg: <https://w3id.org/eimfs-kg/vocab/>\n"
    "SELECT ?symbol WHERE { ?g ekg:symbol ?symbol } ORDER BY ?symbol"
)
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"  # 2.2e8 rows: ~30 s, past the 2 s limit


@pytest.fixture(scope="module")
def base(built: BuildResult):
    server = make_server(Engine(built.path), "127.0.0.1", 0, timeout_s=2.0, max_rows=1000)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}"
    server.shutdown()
    server.server_close()


def get(url: str, accept: str = "*/*") -> tuple[int, str, str]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


def client(base: str, query: str, fmt) -> SPARQLWrapper:
    sparql = SPARQLWrapper(f"{base}/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    return sparql


def test_sparqlwrapper_json_get_and_post(base: str) -> None:
    for method in ("GET", "POST"):
        sparql = client(base, GENES, JSON)
        sparql.setMethod(method)
        bindings = sparql.queryAndConvert()["results"]["bindings"]
        assert len(bindings) == 25 and bindings[0]["symbol"]["value"] == "AIMP1"


@pytest.mark.parametrize(
    ("fmt", "expect"), [(XML, "<sparql"), (CSV, "symbol\r\nAIMP1"), (TSV, '?symbol\n"AIMP1"')]
)
def test_other_result_formats(base: str, fmt, expect: str) -> None:
    result = client(base, GENES, fmt).query()
    body = result.response.read().decode()
    assert expect in body


def test_construct_as_turtle_and_jsonld(base: str) -> None:
    construct = (
        "PREFIX ekg: <https://w3id.org/eimfs-kg/vocab/>\n"
        "CONSTRUCT { ?g ekg:symbol ?s } WHERE { ?g ekg:symbol ?s FILTER(?s = 'KCNT1') }"
    )
    turtle = client(base, construct, TURTLE).query().response.read().decode()
    assert 'NCBIGene:57582 ekg:symbol "KCNT1"' in turtle
    status, media, body = get(f"{base}/sparql?query={quote(construct)}", "application/ld+json")
    assert status == 200 and media.startswith("application/ld+json") and "KCNT1" in body
    json.loads(body)


def test_updates_and_fetching_queries_are_refused(base: str) -> None:
    status, _, body = get(f"{base}/sparql?update={quote('DROP ALL')}")
    assert status == 403 and "read-only" in body
    request = urllib.request.Request(
        f"{base}/sparql",
        data=b"CLEAR ALL",
        method="POST",
        headers={"Content-Type": "application/sparql-update"},
    )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=10)
    assert info.value.code == 403
    service = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    status, _, body = get(f"{base}/sparql?query={quote(service)}")
    assert status == 400 and "refused: SERVICE" in body
    status, _, body = get(f"{base}/sparql?query={quote('SELECT ?x WHERE {')}")
    assert status == 400 and "syntax error at line 1" in body


def test_time_limit_and_row_cap_keep_the_server_answering(base: str) -> None:
    started = time.monotonic()
    status, _, body = get(f"{base}/sparql?query={quote(RUNAWAY)}")
    assert status == 503 and "limit" in body and time.monotonic() - started < 10
    status, _, body = get(f"{base}/sparql?query={quote('SELECT * WHERE { ?s ?p ?o }')}")
    assert status == 413 and "cap" in body
    status, _, body = get(f"{base}/sparql?query={quote(GENES)}", "application/sparql-results+json")
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 25


def test_query_page_loads_nothing_from_elsewhere(base: str) -> None:
    status, media, page = get(f"{base}/")
    assert status == 200 and media.startswith("text/html")
    assert "most-common-causes" in page and "gene-profile" in page  # parameterised ones too
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith(("/", "#")) for s in sources), sources  # no CDN
    assert get(f"{base}/static/vendor/yasgui/yasgui.min.js")[0] == 200
    assert "MIT" in get(f"{base}/static/vendor/yasgui/LICENSE")[2]
    assert "MIT" in get(f"{base}/static/vendor/cytoscape/LICENSE")[2]


def test_entity_pages_by_content_negotiation(base: str) -> None:
    status, media, page = get(f"{base}/entity/NCBIGene:57582", "text/html")
    assert status == 200 and "<title>KCNT1 (NCBIGene:57582)</title>" in page
    assert (
        '<a href="/entity/UniProtKB:Q5JUK3">Potassium channel subfamily T member 1</a> '
        '<span class="curie">UniProtKB:Q5JUK3</span>' in page
    )
    assert "MedlinePlus Genetics EIMFS page, Causes" in page  # provenance of the causal link
    status, media, turtle = get(f"{base}/entity/NCBIGene:57582", "text/turtle")
    assert media.startswith("text/turtle") and 'ekg:symbol "KCNT1"' in turtle
    assert get(f"{base}/entity/NCBIGene:1")[0] == 404
    assert get(f"{base}/entity/nonsense")[0] == 404


def test_no_wildcard_cors(base: str) -> None:
    with urllib.request.urlopen(f"{base}/", timeout=10) as response:
        assert response.headers.get("Access-Control-Allow-Origin") is None


def test_cli_serve_binds_loopback(built: BuildResult) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "eimfs_kg.cli", "serve", "--port", "0", "--graph", str(built.path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.startswith("serving http://127.0.0.1:")
        url = line.split()[1]
        assert get(f"{url}sparql?query={quote('ASK { ?s ?p ?o }')}")[2] == '{"head":{},"boolean":true}'
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_cli_serve_on_a_busy_port_is_one_line_exit_2(built: BuildResult) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        process = subprocess.run(
            [sys.executable, "-m", "eimfs_kg.cli", "serve", "--port", str(port), "--graph", str(built.path)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert process.returncode == 2
    assert (
        process.stderr
        == f"error: port {port} on 127.0.0.1 is in use; choose another with --port (0 picks a free one)\n"
    )


_NESTED = ("SELECT * WHERE " + "{" * 2_500 + "}" * 2_500 + " LIMIT 1").encode()
_QUERY_POST = b"POST /sparql HTTP/1.1\r\nContent-Type: application/sparql-query\r\n"
#: Requests (request line and headers, body) that once got no answer at all or took the process down.
MALFORMED = {
    "bad q in Accept": (b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nAccept: text/csv;q=abc\r\n", b"", 200),
    "Content-Length not a number": (_QUERY_POST + b"Content-Length: abc\r\n", b"ASK{}", 400),
    "entity IRI with a space": (b"GET /entity/http://a%20b HTTP/1.1\r\n", b"", 404),
    "entity CURIE with > and a space": (b"GET /entity/NCBIGene:1%3E%20x HTTP/1.1\r\n", b"", 404),
    "HEAD": (b"HEAD /sparql?query=ASK%7B%7D HTTP/1.1\r\n", b"", 200),
    "chunked body": (_QUERY_POST + b"Transfer-Encoding: chunked\r\n", b"5\r\nASK{}\r\n0\r\n\r\n", 200),
    "HTTP/2 preface": (b"PRI * HTTP/2.0\r\n", b"SM\r\n\r\n", 400),
    "2,500 nested groups": (_QUERY_POST + b"Content-Length: %d\r\n" % len(_NESTED), _NESTED, 400),
}


def raw_status(base_url: str, head: bytes, body: bytes = b"") -> tuple[int, bytes]:
    """Send a raw request (request line and headers, then body); its status and the body answered."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(head + b"Host: x\r\nConnection: close\r\n\r\n" + body)
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    status_line, _, rest = data.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2]


@pytest.mark.parametrize(("head", "body", "status"), MALFORMED.values(), ids=MALFORMED.keys())
def test_every_request_gets_an_http_answer(base: str, head: bytes, body: bytes, status: int) -> None:
    assert raw_status(base, head, body)[0] == status
    assert get(f"{base}/sparql?query={quote('ASK {}')}")[0] == 200  # and the server still answers


def test_head_is_answered_like_get_without_a_body(base: str) -> None:
    assert raw_status(base, b"HEAD /sparql?query=ASK%7B%7D HTTP/1.1\r\n") == (200, b"")


def raw_answer(base_url: str, request: bytes) -> bytes:
    """Everything the server sends back to a raw request, until it closes the connection."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(request)
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    return data


_FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)
#: Runs of the characters that open and close nested or quoted parts of SPARQL.
_BRACKETS = st.lists(st.sampled_from(list("{}()[]<>\"'#\\ ?:.\n")), max_size=6_000).map("".join)
_NESTED = st.tuples(st.sampled_from(["{", "(", "[", "{ ?s ?p ?o FILTER("]), st.integers(0, 20_000)).map(
    lambda pair: "SELECT * WHERE " + pair[0] * pair[1]
)


@_FUZZ
@given(text=st.one_of(_TEXT, _BRACKETS, _NESTED))
def test_any_query_text_gets_an_answer_and_the_server_lives(base: str, text: str) -> None:
    status, _, _ = get(f"{base}/sparql?query={quote(text)}")
    assert status in (200, 400, 413)
    body = text.encode()
    head = _QUERY_POST + b"Content-Length: %d\r\nHost: x\r\nConnection: close\r\n\r\n" % len(body)
    assert raw_answer(base, head + body).split(b" ", 2)[1] in (b"200", b"400", b"413")
    assert get(f"{base}/sparql?query={quote('ASK {}')}")[0] == 200


@_FUZZ
@given(line=st.binary(max_size=300), request_line=st.booleans())
def test_any_header_or_request_line_gets_an_http_answer(base: str, line: bytes, request_line: bool) -> None:
    line = line.replace(b"\r", b"").replace(b"\n", b"")
    if request_line:
        request = line + b"\r\nHost: x\r\nConnection: close\r\n\r\n"
    else:
        request = (
            b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\n" + line + b"\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
    answer = raw_answer(base, request)
    assert re.match(rb"HTTP/1\.[01] [1-5][0-9][0-9] ", answer), answer[:80]
    assert get(f"{base}/sparql?query={quote('ASK {}')}")[0] == 200
