"""Runaway queries are stopped, not abandoned: their CPU and memory come back, the server lives.

Each runaway query of issue 13 is sent to a real ``eimfs-kg serve`` process (and to ``eimfs-kg
query``): it must end with its 503 (exit 2), and within 2 s the whole process tree must be idle and
under 300 MB again, while the server keeps answering other queries. Slow and silent clients get a
408 and lose their connection.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from eimfs_kg.graph.build import BuildResult
from eimfs_kg.query.oxigraph import Engine
from eimfs_kg.web.server import make_server

pytestmark = pytest.mark.slow  # waits out time limits on purpose

COUNT = "SELECT (COUNT(*) AS ?n) WHERE {?a ?b ?c . ?d ?e ?f}"  # CPU: minutes of counting
SORT = "SELECT * WHERE {?a ?b ?c . ?d ?e ?f} ORDER BY ?a LIMIT 1"  # memory: hundreds of MB a second
LIGHT = "ASK { ?s ?p ?o }"
EIMFS_KG = str(Path(sys.executable).parent / "eimfs-kg")
_TICK = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


def tree(root: int) -> list[int]:
    """``root`` and every process below it (from ``/proc``)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def usage(root: int) -> tuple[float, int]:
    """CPU seconds used so far and resident bytes now, summed over the process tree of ``root``."""
    cpu, rss = 0.0, 0
    for pid in tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            rss += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
        except OSError:
            continue  # ended while we looked
        cpu += (int(fields[11]) + int(fields[12])) / _TICK
    return cpu, rss


def settles(root: int, within_s: float = 2.0) -> tuple[bool, float, int]:
    """Whether the tree is idle (under 10 % of a core over 0.25 s) and under 300 MB within ``within_s``."""
    deadline = time.monotonic() + within_s
    while True:
        cpu_before, _ = usage(root)
        time.sleep(0.25)
        cpu_after, rss = usage(root)
        busy = (cpu_after - cpu_before) / 0.25
        if busy < 0.10 and rss < 300 << 20:
            return True, busy, rss
        if time.monotonic() > deadline:
            return False, busy, rss


@pytest.fixture(scope="module")
def server(built: BuildResult) -> Iterator[tuple[subprocess.Popen, str]]:
    process = subprocess.Popen(
        [EIMFS_KG, "serve", "--port", "0", "--graph", str(built.path), "--timeout", "3"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()  # serving http://127.0.0.1:PORT/ ...
    base = line.split()[1].rstrip("/")
    yield process, base
    process.terminate()
    process.wait(timeout=10)


def ask(base: str, query: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"{base}/sparql?query={quote(query)}", timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.parametrize(("query", "limit"), [(COUNT, "3 s time limit"), (SORT, "1024 MB memory limit")])
def test_a_runaway_query_is_stopped_and_gives_its_cpu_and_memory_back(
    server: tuple[subprocess.Popen, str], query: str, limit: str
) -> None:
    process, base = server
    assert settles(process.pid, within_s=10)[0]  # the workers are up and idle
    answers: list[tuple[int, str]] = []
    runaway = threading.Thread(target=lambda: answers.append(ask(base, query)))
    runaway.start()
    time.sleep(0.5)
    assert ask(base, LIGHT)[0] == 200  # the server answers while the runaway runs
    runaway.join(timeout=30)
    status, body = answers[0]
    assert status == 503 and limit in body
    idle, busy, rss = settles(process.pid)
    assert idle, f"2 s after the 503: {busy:.0%} of a core, {rss >> 20} MB"
    assert ask(base, LIGHT)[0] == 200


@pytest.mark.parametrize(
    ("query", "options", "limit"),
    [(COUNT, ["--timeout", "2"], "2 s time limit"), (SORT, ["--max-memory", "300"], "300 MB memory limit")],
)
def test_the_command_line_stops_a_runaway_query(
    built: BuildResult, query: str, options: list[str], limit: str
) -> None:
    started = time.monotonic()
    done = subprocess.run(
        [EIMFS_KG, "query", "--graph", str(built.path), "--sparql", query, *options],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and f"stopped at the {limit}; narrow the query" in done.stderr
    assert time.monotonic() - started < 15  # the 2 s limit, not the minutes of the whole query


@pytest.fixture(scope="module")
def strict(built: BuildResult) -> Iterator[tuple[str, int]]:
    """A server that gives clients half a second for headers, for a body and to read on."""
    deadlines = {"header_timeout_s": 0.5, "body_timeout_s": 0.5, "write_timeout_s": 0.5}
    server = make_server(Engine(built.path), max_rows=100_000, deadlines=deadlines)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[:2]
    server.shutdown()
    server.server_close()


SLOW = {
    "silent client": b"",
    "headers never finished": b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n",
    "body shorter than announced": (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 100\r\n\r\nASK"
    ),
}


@pytest.mark.parametrize("sent", SLOW.values(), ids=SLOW.keys())
def test_slow_and_silent_clients_are_timed_out(strict: tuple[str, int], sent: bytes) -> None:
    with socket.create_connection(strict, timeout=10) as conn:
        started = time.monotonic()
        conn.sendall(sent)
        answer = b""
        while chunk := conn.recv(65536):  # ends when the server closes the connection
            answer += chunk
        waited = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert 0.4 < waited < 5
    host, port = strict
    with urllib.request.urlopen(f"http://{host}:{port}/sparql?query={quote(LIGHT)}", timeout=10) as response:
        assert json.loads(response.read())["boolean"] is True


#: Chains of operators that overflowed the engine's stack (and aborted the worker) before workers
#: ran on a deep stack; now each gets its answer or meets the time limit.
DEEP = {
    "200,000 negations": ("ASK { FILTER(" + "!" * 200_000 + "true) }", 200),
    "120,000 conjunctions": ("ASK { FILTER(" + "true && " * 120_000 + "true) }", 200),
    "30,000 UNIONs": ("SELECT * WHERE { {?s ?p ?o} " + "UNION {?s ?p ?o} " * 30_000 + "}", 503),
}


@pytest.mark.parametrize(("query", "status"), DEEP.values(), ids=DEEP.keys())
def test_long_operator_chains_do_not_crash_a_worker(
    server: tuple[subprocess.Popen, str], query: str, status: int
) -> None:
    _, base = server
    request = urllib.request.Request(
        f"{base}/sparql", data=query.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            answered = response.status
    except urllib.error.HTTPError as error:
        answered = error.code
        assert "time limit" in error.read().decode()
    assert answered == status


def busiest_worker(root: int) -> int:
    """The worker process that uses the most CPU over a tenth of a second."""
    workers = tree(root)[1:]
    before = {pid: usage(pid)[0] for pid in workers}
    time.sleep(0.1)
    return max(workers, key=lambda pid: usage(pid)[0] - before[pid])


@pytest.mark.parametrize(
    ("signal_number", "status", "says"),
    [
        (signal.SIGABRT, 400, "the engine crashed on this query"),
        (signal.SIGKILL, 503, "stopped from outside"),
    ],
)
def test_a_worker_that_dies_mid_query_still_gives_an_answer(
    server: tuple[subprocess.Popen, str], signal_number: int, status: int, says: str
) -> None:
    process, base = server
    answers: list[tuple[int, str]] = []
    runaway = threading.Thread(target=lambda: answers.append(ask(base, COUNT)))
    runaway.start()
    time.sleep(0.5)
    os.kill(busiest_worker(process.pid), signal_number)
    runaway.join(timeout=30)
    assert answers[0][0] == status and says in answers[0][1]
    assert ask(base, LIGHT)[0] == 200


def test_the_command_line_answers_a_long_operator_chain(built: BuildResult, tmp_path: Path) -> None:
    """On the usual 8 MB stack Oxigraph aborted the process on this; the query runs on a deep one."""
    (tmp_path / "negations.rq").write_text(DEEP["200,000 negations"][0])
    done = subprocess.run(
        [EIMFS_KG, "query", str(tmp_path / "negations.rq"), "--graph", str(built.path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "true\n", "")


def test_a_client_that_stops_reading_is_dropped(strict: tuple[str, int]) -> None:
    # about 20 MB of JSON: more than the kernel's socket buffers hold, so the server must wait
    big = quote("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 90000")
    with socket.create_connection(strict, timeout=10) as conn:
        conn.sendall(f"GET /sparql?query={big} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        time.sleep(3)  # reads nothing while the server waits to send
        received = b""
        with contextlib.suppress(ConnectionResetError):
            while chunk := conn.recv(65536):
                received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    length = int(re.search(rb"content-length: (\d+)", head).group(1))
    assert head.startswith(b"HTTP/1.1 200 ") and len(body) < length  # cut off, not sent in full
