"""Load test on loopback: this server against Oxigraph's own server, on the same graph.

    .venv/bin/python bench/load.py [--graph FILE] [--clients 1 8 64] [--seconds 5] [--json OUT]

Starts ``eimfs-kg serve`` and ``oxigraph serve`` (from the ``oxigraph`` package of the test extra)
on free loopback ports over the same graph file, then, for each number of concurrent clients,
sends a light SELECT (the 25 gene symbols, sorted) over keep-alive connections for a fixed time
and prints requests per second and the median (p50) and 99th percentile (p99) latency. The
clients are one asyncio loop with a minimal HTTP/1.1 client, so that the load generator costs
little next to the servers. Bounded: every level runs for ``--seconds`` seconds, and nothing
leaves 127.0.0.1. Both servers are stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

from eimfs_kg import api

HOST = "127.0.0.1"
QUERY = (
    "PREFIX ekg: <https://w3id.org/eimfs-kg/vocab/>\n"
    "SELECT ?symbol WHERE { ?g ekg:symbol ?symbol } ORDER BY ?symbol"
)
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"no answer from {url} after {seconds:g} s")


async def client(port: int, request: bytes, stop: float, latencies: list[float]) -> None:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        while time.perf_counter() < stop:
            start = time.perf_counter()
            writer.write(request)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            status = head.split(b" ", 2)[1]
            headers = {
                line.split(b":", 1)[0].strip().lower(): line.split(b":", 1)[1].strip()
                for line in head.split(b"\r\n")[1:]
                if b":" in line
            }
            if b"content-length" in headers:
                await reader.readexactly(int(headers[b"content-length"]))
            else:  # chunked
                while True:
                    size = int((await reader.readuntil(b"\r\n")).strip(), 16)
                    await reader.readexactly(size + 2)
                    if size == 0:
                        break
            if status != b"200":
                raise SystemExit(f"HTTP {status.decode()} from port {port}")
            latencies.append(time.perf_counter() - start)
    finally:
        writer.close()


async def level(port: int, path: str, clients: int, seconds: float) -> dict[str, float]:
    request = (
        f"GET {path}?query={quote(QUERY)} HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
        "Accept: application/sparql-results+json\r\n\r\n"
    ).encode()
    warm: list[float] = []
    await asyncio.gather(*(client(port, request, time.perf_counter() + 0.5, warm) for _ in range(clients)))
    latencies: list[float] = []
    started = time.perf_counter()
    await asyncio.gather(*(client(port, request, started + seconds, latencies) for _ in range(clients)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "clients": clients,
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", help="graph file (default: the built graph)")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 64])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--json", help="write the figures to this file too")
    args = parser.parse_args()
    graph = Path(args.graph) if args.graph else api._graph_file(None)
    oxigraph = shutil.which("oxigraph", path=str(BIN)) or shutil.which("oxigraph")
    if not oxigraph:
        raise SystemExit("needs the oxigraph server: pip install oxigraph (in the test extra)")
    store = tempfile.mkdtemp(prefix="eimfs-kg-bench-oxigraph-")
    subprocess.run(
        [oxigraph, "load", "--location", store, "--file", str(graph)], check=True, capture_output=True
    )
    ours_port, oxi_port = free_port(), free_port()
    paths = {ours_port: "/sparql", oxi_port: "/query"}  # the SPARQL endpoint of each server
    servers = {
        "eimfs-kg serve": subprocess.Popen(
            [str(BIN / "eimfs-kg"), "serve", "--port", str(ours_port), "--graph", str(graph)],
            stdout=subprocess.DEVNULL,
        ),
        "oxigraph serve": subprocess.Popen(
            [oxigraph, "serve-read-only", "--location", store, "--bind", f"{HOST}:{oxi_port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
    }
    results: dict[str, list[dict[str, float]]] = {}
    try:
        for name, port in (("eimfs-kg serve", ours_port), ("oxigraph serve", oxi_port)):
            wait_until_up(f"http://{HOST}:{port}{paths[port]}?query={quote(QUERY)}")
            results[name] = [asyncio.run(level(port, paths[port], n, args.seconds)) for n in args.clients]
    finally:
        for process in servers.values():
            process.terminate()
            process.wait(timeout=10)
        shutil.rmtree(store, ignore_errors=True)
    print(f"light query (25 rows) on {graph.name}, {args.seconds:g} s per level, loopback")
    print(f"{'server':<16} {'clients':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for name, rows in results.items():
        for row in rows:
            figures = f"{row['rps']:>8.0f} {row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f}"
            print(f"{name:<16} {row['clients']:>7} {figures}")
    for ours, theirs in zip(results["eimfs-kg serve"], results["oxigraph serve"], strict=True):
        ratio = ours["rps"] / theirs["rps"]
        print(f"ratio at {ours['clients']:>2} clients: eimfs-kg / oxigraph = {ratio:.2f} x req/s")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
