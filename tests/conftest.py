"""Shared fixtures: one validated build of the real graph per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph

from eimfs_kg.build import BuildResult, build
from eimfs_kg.resources import data_dir


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The real graph, built, validated and written once."""
    return build(tmp_path_factory.mktemp("build"))


@pytest.fixture(scope="session")
def graph(built: BuildResult) -> Graph:
    return built.graph


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the curated files that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)
    return target
