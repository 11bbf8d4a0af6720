"""Real triplestores for the tests: Oxigraph server (PyPI) and Virtuoso (Debian), on loopback.

Each store is started in a private temporary folder on a free 127.0.0.1 port, waited for
until it answers, and stopped by its PID at the end of the session. Virtuoso gets its own
configuration (loopback only, no Unix socket) and its default ``dba`` password is replaced
by a random one before any test runs.
"""

from __future__ import annotations

import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

VIRTUOSO_INI = """\
[Database]
DatabaseFile       = virtuoso.db
ErrorLogFile       = virtuoso.log
LockFile           = virtuoso.lck
TransactionFile    = virtuoso.trx
xa_persistent_file = virtuoso.pxa
[TempDatabase]
DatabaseFile    = virtuoso-temp.db
TransactionFile = virtuoso-temp.trx
[Parameters]
ServerPort        = 127.0.0.1:{sql}
DisableUnixSocket = 1
NumberOfBuffers   = 10000
MaxDirtyBuffers   = 6000
DirsAllowed       = .
[HTTPServer]
ServerPort    = 127.0.0.1:{http}
ServerRoot    = .
ServerThreads = 4
[SPARQL]
ResultSetMaxRows      = 100000
MaxQueryExecutionTime = 60
"""


@dataclass
class Store:
    """A running store: its query URL, the credentials writes need, and its process."""

    name: str
    url: str
    process: subprocess.Popen
    user: str | None = None
    password: str | None = None

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited ({process.returncode}): {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"the server at {url} did not answer within {seconds} s")


def oxigraph_binary() -> str:
    """The ``oxigraph`` server installed beside this Python (PyPI package ``oxigraph``)."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if not found:
        raise RuntimeError("the oxigraph server is missing: pip install oxigraph (make test does)")
    return found


def start_oxigraph(folder: Path) -> Store:
    port = free_port()
    log = folder / "oxigraph.log"
    process = subprocess.Popen(
        [oxigraph_binary(), "serve", "--location", str(folder / "data"), "--bind", f"127.0.0.1:{port}"],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/query"
    _wait_until_up(url, process, log)
    return Store("oxigraph", url, process)


def start_virtuoso(folder: Path) -> Store:
    for tool in ("virtuoso-t", "isql-vt"):
        if not shutil.which(tool):
            raise RuntimeError(f"{tool} is missing: apt-get install virtuoso-opensource (make test does)")
    http, sql = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(http=http, sql=sql))
    log = folder / "stdout.log"
    process = subprocess.Popen(
        ["virtuoso-t", "+foreground", "+configfile", "virtuoso.ini"],
        cwd=folder,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{http}/sparql"
    _wait_until_up(url, process, log, seconds=120)
    password = "t-" + secrets.token_hex(12)
    subprocess.run(
        ["isql-vt", f"127.0.0.1:{sql}", "dba", "dba", f"exec=USER_SET_PASSWORD('dba', '{password}');"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return Store("virtuoso", url, process, "dba", password)


@pytest.fixture(scope="session")
def oxigraph_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield store
    store.stop()


@pytest.fixture(scope="session")
def virtuoso_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield store
    store.stop()


@pytest.fixture(scope="session", params=["oxigraph", "virtuoso"])
def triplestore(request: pytest.FixtureRequest) -> Store:
    """Each real store in turn."""
    return request.getfixturevalue(f"{request.param}_store")


@pytest.fixture(params=["oxigraph", "virtuoso"])
def fresh_triplestore(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Each real store in turn, empty: Virtuoso 7.2 answers some path queries wrongly
    when several graphs of the store hold the same triples."""
    store = {"oxigraph": start_oxigraph, "virtuoso": start_virtuoso}[request.param](tmp_path)
    yield store
    store.stop()
