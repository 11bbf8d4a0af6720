"""`eimfs-kg release`: every format, checksums, a changelog from the diff; reproducible and atomic."""

from __future__ import annotations

import hashlib
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, VOID

from eimfs_kg.cli import main
from eimfs_kg.errors import InputError
from eimfs_kg.graph.build import BuildResult
from eimfs_kg.publish.release import parse_version, release, release_version

EIMFS_KG = str(Path(sys.executable).parent / "eimfs-kg")
DATASET = URIRef("https://w3id.org/eimfs-kg/id/dataset")
FILES = {
    "CHANGELOG.md",
    "SHA256SUMS",
    "dataset.ttl",
    "eimfs-kg.ttl",
    "eimfs-kg.nt",
    "eimfs-kg.jsonld",
    "eimfs-kg.sssom.tsv",
    "kgx/nodes.tsv",
    "kgx/edges.tsv",
    "graphml/disease-network.graphml",
    "graphml/gene-gene.graphml",
    "graphml/gene-mechanism.graphml",
}


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def first(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("releases") / "1.0.0"
    release("1.0.0", out, graph_file=built.path)
    return out


def test_a_release_holds_every_format_and_true_checksums(first: Path) -> None:
    written = files(first)
    assert set(written) == FILES
    sums = dict(reversed(line.split("  ", 1)) for line in written["SHA256SUMS"].decode().splitlines())
    assert set(sums) == FILES - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256(written[name]).hexdigest() == digest, name
    assert release_version(first) == "1.0.0"
    changelog = written["CHANGELOG.md"].decode()
    assert "## 1.0.0 (" in changelog and "First release:" in changelog


def test_the_dataset_description_names_version_date_licence_sources_counts_files(first: Path) -> None:
    description = Graph().parse(first / "dataset.ttl")
    assert str(description.value(DATASET, URIRef("http://purl.org/pav/version"))) == "1.0.0"
    issued = description.value(DATASET, DCTERMS.issued)
    assert issued == description.value(DATASET, DCTERMS.created)  # the latest date a source was checked
    assert description.value(DATASET, DCTERMS.license) == URIRef(
        "https://creativecommons.org/publicdomain/zero/1.0/"
    )
    sources = set(description.objects(DATASET, DCTERMS.source))
    assert len(sources) > 10
    assert all(description.value(s, URIRef("http://www.w3.org/2000/01/rdf-schema#label")) for s in sources)
    graph = Graph().parse(first / "eimfs-kg.ttl")
    assert int(description.value(DATASET, VOID.triples)) == len(graph)
    titles = {
        str(description.value(d, DCTERMS.title)) for d in description.objects(DATASET, DCAT.distribution)
    }
    assert titles == FILES - {"SHA256SUMS", "dataset.ttl"}
    assert graph.value(DATASET, URIRef("http://purl.org/pav/version")) == Literal("1.0.0")


def test_two_runs_give_the_same_bytes(first: Path, built: BuildResult, tmp_path: Path) -> None:
    again = tmp_path / "1.0.0"
    release("1.0.0", again, graph_file=built.path)
    assert (again / "SHA256SUMS").read_bytes() == (first / "SHA256SUMS").read_bytes()
    assert files(again) == files(first)


def test_the_changelog_is_the_diff_against_the_previous_release(
    first: Path, built: BuildResult, data_copy: Path, tmp_path: Path
) -> None:
    from eimfs_kg.graph.build import build

    genes = data_copy / "genes.yaml"
    genes.write_text(
        genes.read_text(encoding="utf-8").replace("  omim: OMIM:608167\n", "", 1), encoding="utf-8"
    )
    changed = build(tmp_path / "build", data_copy)
    out = tmp_path / "1.1.0"
    assert (
        main(
            [
                "release",
                "--version",
                "1.1.0",
                "--out",
                str(out),
                "--previous",
                str(first),
                "--graph",
                str(changed.path),
            ]
        )
        == 0
    )
    changelog = (out / "CHANGELOG.md").read_text(encoding="utf-8")
    head, _, older = changelog.partition("## 1.0.0")
    assert head.startswith("# Changelog of eimfs-kg releases\n\n## 1.1.0 (")
    assert "Changes since 1.0.0:" in head
    assert "removed: gene *KCNT1* `skos:exactMatch` OMIM:608167" in head
    assert "First release:" in older  # the previous changelog follows
    assert main(["diff", str(first), str(out)]) == 1


@pytest.mark.parametrize("version", ["1.0.0", "0.9.9", "1.0.0-rc1", "v1.1.0", "1.1"])
def test_a_version_not_newer_or_malformed_is_refused(
    first: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], version: str
) -> None:
    out = tmp_path / "next"
    assert main(["release", "--version", version, "--out", str(out), "--previous", str(first)]) == 2
    err = capsys.readouterr().err
    assert "not newer than the previous release 1.0.0" in err or "is not MAJOR.MINOR.PATCH" in err
    assert not out.exists()


def test_semantic_version_order() -> None:
    assert parse_version("1.10.0") > parse_version("1.9.12") > parse_version("0.99.99")
    with pytest.raises(InputError):
        parse_version("01.0.0")


def test_an_existing_folder_is_never_overwritten(first: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = files(first)
    assert main(["release", "--version", "2.0.0", "--out", str(first)]) == 2
    assert "never overwritten" in capsys.readouterr().err
    assert files(first) == before


def test_a_killed_release_leaves_no_half_folder(built: BuildResult, tmp_path: Path) -> None:
    """SIGKILL at random moments: the release folder is absent or whole; the next run cleans up."""
    out = tmp_path / "1.0.0"
    command = [EIMFS_KG, "release", "--version", "1.0.0", "--out", str(out), "--graph", str(built.path)]
    started = time.perf_counter()
    first = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    duration = time.perf_counter() - started
    complete = files(out)
    rng = random.Random(5)
    for trial in range(4):
        shutil.rmtree(out, ignore_errors=True)
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if trial % 2:  # while the folder is being written
            while process.poll() is None and not any(p.name.endswith(".tmp") for p in tmp_path.iterdir()):
                time.sleep(0.005)
            time.sleep(rng.uniform(0.0, 2.0))
        else:
            time.sleep(rng.uniform(0.2, 0.9) * duration)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert not out.exists() or files(out) == complete, f"trial {trial}"
    left = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert left, "no kill landed while the release was being written"
    shutil.rmtree(out, ignore_errors=True)
    last = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert last.returncode == 0, last.stderr
    for path in left:
        assert path.name in last.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["1.0.0"]
    assert files(out) == complete
