"""An installed wheel carries the ontology, shapes, queries and data, and works anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("eimfs_kg-*.whl")
    return built


def test_wheel_contents(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "eimfs_kg/ontology/eimfs.ttl",
        "eimfs_kg/ontology/shapes.ttl",
        "eimfs_kg/queries/genes.rq",
        "eimfs_kg/data/genes.yaml",
        "eimfs_kg/data/terms.tsv",
        "eimfs_kg/queries/internal/gene-mechanism.rq",
        "eimfs_kg/py.typed",
        "eimfs_kg/query/contract.py",
        "eimfs_kg/vocab/terms.py",
        "eimfs_kg/queries/internal/parameter-values.rq",
        "eimfs_kg/web/templates/entity.html",
        "eimfs_kg/web/static/query.js",
        "eimfs_kg/web/static/vendor/yasgui/yasgui.min.js",
        "eimfs_kg/web/static/vendor/yasgui/LICENSE",
        "eimfs_kg/web/static/vendor/cytoscape/cytoscape.min.js",
        "eimfs_kg/web/static/vendor/cytoscape/LICENSE",
    ):
        assert required in names, required


@pytest.mark.slow  # installs the wheel into a fresh environment
def test_wheel_builds_the_graph_outside_the_repository(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import eimfs_kg.resources as r, eimfs_kg.graph.build as b; "
        f"assert str(r.resource_dir('ontology')).startswith({str(site)!r}); "
        "res = b.build(); print(len(res.graph))"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    )
    assert int(done.stdout.strip()) > 10000


@pytest.mark.slow  # builds the graph from the installed wheel
def test_wheel_serves_the_pages_outside_the_repository(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import warnings; warnings.simplefilter('ignore')\n"
        "from starlette.testclient import TestClient\n"
        "import eimfs_kg.web.app as w, eimfs_kg.api as a\n"
        f"assert w.__file__.startswith({str(site)!r})\n"
        "c = TestClient(w.make_app(a.open_engine()))\n"
        "for url in ('/', '/static/vendor/yasgui/yasgui.min.js', '/entity/KCNT1', '/network', '/vocab'):\n"
        "    assert c.get(url).status_code == 200, url\n"
        "print('ok')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "ok"
