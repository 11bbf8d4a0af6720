"""A release: one folder with the graph in every format, its mappings, description and checksums.

``release("1.2.0", Path("releases/1.2.0"), previous=Path("releases/1.1.0"))`` writes::

    eimfs-kg.ttl  eimfs-kg.nt  eimfs-kg.jsonld  kgx/nodes.tsv  kgx/edges.tsv  graphml/*.graphml
    eimfs-kg.sssom.tsv  dataset.ttl  CHANGELOG.md  SHA256SUMS

- the graph's dataset description carries the release version (``pav:version``,
  ``owl:versionInfo``) and the release date (``dcterms:issued``); ``dataset.ttl`` holds that
  description alone (VoID/DCAT: version, dates, licence, sources, counts, one
  ``dcat:Distribution`` per file);
- the date is the latest date a source was checked (so two runs give the same bytes), or the
  day ``SOURCE_DATE_EPOCH`` names when it is set (the reproducible-builds convention);
- ``CHANGELOG.md`` starts with this version's section, the Markdown diff against the previous
  release, followed by the previous release's changelog;
- a version not newer than the previous one (semantic version order) is refused;
- the folder is built beside its target under a temporary name and renamed when complete, so
  a killed release leaves no half folder (the next release removes the leftover and says so).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from rdflib import OWL, RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, VOID
from rdflib.term import Node

from ..errors import InputError
from ..graph.cache import default_graph
from ..graph.dataset import DATASET_IRI
from ..graph.validate import validate_graph
from ..rdf.atomic import _alive
from ..rdf.bridge import load_rdf, serialize
from .diff import count_facts, diff_files, graph_path, render
from .export import EXPORT_FORMATS, export

__all__ = ["ReleaseResult", "parse_version", "release", "release_version"]

log = logging.getLogger("eimfs_kg")
_VERSION = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
_PAV_VERSION = URIRef("http://purl.org/pav/version")
GRAPH_FILE = "eimfs-kg.ttl"
#: File (or folder) name of each export format in a release; other formats use the format's name.
_RELEASE_NAMES = {"nt": "eimfs-kg.nt", "jsonld": "eimfs-kg.jsonld", "sssom": "eimfs-kg.sssom.tsv"}
_MEDIA_TYPES = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".jsonld": "application/ld+json",
    ".tsv": "text/tab-separated-values",
    ".graphml": "application/graphml+xml",
    ".md": "text/markdown",
}


def parse_version(text: str) -> tuple[int, int, int]:
    """``"1.2.3"`` -> ``(1, 2, 3)``; anything but MAJOR.MINOR.PATCH is an error.

    >>> parse_version("1.10.0") > parse_version("1.9.9")
    True
    """
    match = _VERSION.match(text or "")
    if not match:
        raise InputError(f"version {text!r} is not MAJOR.MINOR.PATCH (for example 1.0.0)")
    major, minor, patch = (int(x) for x in match.groups())
    return major, minor, patch


@dataclass(frozen=True)
class ReleaseResult:
    folder: Path
    version: str
    files: list[str]
    previous: str | None


def _dataset(graph: Graph) -> URIRef:
    dataset = URIRef(DATASET_IRI)
    if (dataset, None, None) in graph:
        return dataset
    found = next(graph.subjects(RDF.type, VOID.Dataset), dataset)
    return found if isinstance(found, URIRef) else dataset


def release_version(folder: Path) -> str:
    """The version a release folder's graph says it is (its dataset's ``pav:version``)."""

    graph = load_rdf(graph_path(folder))
    value = graph.value(_dataset(graph), _PAV_VERSION)
    if value is None:
        raise InputError(f"{folder}: its graph names no version (pav:version); give a folder made by release")
    parse_version(str(value))
    return str(value)


def _release_date(graph: Graph) -> dt.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
        except ValueError:
            raise InputError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds") from None
    created = graph.value(_dataset(graph), DCTERMS.created)
    return dt.date.fromisoformat(str(created)) if created else dt.date(1970, 1, 1)


def _stamp(graph: Graph, version: str, date: dt.date) -> None:
    """Put the release version and date into the graph's dataset description."""
    d = _dataset(graph)
    graph.set((d, _PAV_VERSION, Literal(version)))
    graph.set((d, OWL.versionInfo, Literal(version)))
    graph.set((d, DCTERMS.issued, Literal(date.isoformat(), datatype=XSD.date)))
    if (d, VOID.triples, None) in graph:
        graph.set((d, VOID.triples, Literal(len(graph))))


def _description(graph: Graph, files: dict[str, bytes], version: str) -> Graph:
    """The dataset description alone, with one distribution per file of the release."""
    d = _dataset(graph)
    out = Graph()
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace)
    todo: list[Node] = [d]
    seen: set[Node] = set()
    while todo:  # the dataset, its class partitions, and the sources it names
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in graph.predicate_objects(node):
            out.add((node, p, o))
            if p in (VOID.classPartition, DCTERMS.source):
                todo.append(o)
    base = f"https://w3id.org/eimfs-kg/release/{version}/"
    for name, payload in sorted(files.items()):
        dist = URIRef(base + name)
        out.add((d, DCAT.distribution, dist))
        out.add((dist, RDF.type, DCAT.Distribution))
        out.add((dist, DCTERMS.title, Literal(name)))
        out.add((dist, DCAT.byteSize, Literal(len(payload), datatype=XSD.nonNegativeInteger)))
        media = _MEDIA_TYPES.get(Path(name).suffix)
        if media:
            out.add((dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{media}")))
    return out


def _changelog(
    version: str, date: dt.date, graph_file: Path, previous: Path | None, previous_version: str | None
) -> str:

    head = "# Changelog of eimfs-kg releases\n\n"
    if previous is None:
        facts = count_facts(load_rdf(graph_file))
        return f"{head}## {version} ({date.isoformat()})\n\nFirst release: {facts} facts.\n"
    difference = diff_files(previous, graph_file)
    difference.old_label, difference.new_label = previous_version or "previous", version
    body = render(difference, "markdown")
    section = f"## {version} ({date.isoformat()})\n\nChanges since {previous_version}:\n\n{body}"
    older = ""
    if (previous / "CHANGELOG.md").is_file():
        older = (
            (previous / "CHANGELOG.md")
            .read_text(encoding="utf-8")
            .removeprefix(head.rstrip("\n"))
            .lstrip("\n")
        )
    return head + section.rstrip("\n") + "\n" + ("\n" + older if older else "")


def _remove_stale(out: Path) -> None:
    """Remove temporary release folders that killed releases left beside ``out``."""

    prefix = f".{out.name}."
    for stale in out.parent.glob(f"{prefix}*.tmp"):
        pid = stale.name[len(prefix) :].split(".", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
            log.warning("removed %s, left by an interrupted release", stale)


def _sync_tree(folder: Path, umask: int) -> None:
    for path in sorted(folder.rglob("*")):
        path.chmod((0o777 if path.is_dir() else 0o666) & ~umask)
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
    folder.chmod(0o777 & ~umask)


def release(
    version: str, out: Path, previous: Path | None = None, graph_file: Path | None = None
) -> ReleaseResult:
    """Write the release folder ``out`` (see the module docstring); return what was written."""

    parse_version(version)
    out = Path(out)
    if out.exists():
        raise InputError(f"{out} exists; a release folder is never overwritten: choose another --out")
    if not out.parent.is_dir():
        raise InputError(f"{out.parent}: no such folder; create it or choose another --out")
    previous_version = None
    if previous is not None:
        previous = Path(previous)
        previous_version = release_version(previous)
        if parse_version(version) <= parse_version(previous_version):
            raise InputError(
                f"version {version} is not newer than the previous release {previous_version} "
                f"({previous}); give a higher --version"
            )
    source = graph_path(graph_file) if graph_file else default_graph()
    graph = load_rdf(source)
    report = validate_graph(graph)
    if not report.conforms:
        raise InputError(
            f"{source}: does not conform ({len(report.violations)} violation(s)); nothing released"
        )
    date = _release_date(graph)
    _stamp(graph, version, date)

    _remove_stale(out)
    umask = os.umask(0)
    os.umask(umask)
    work = out.parent / f".{out.name}.{os.getpid()}.tmp"
    work.mkdir()
    try:
        (work / GRAPH_FILE).write_bytes(serialize(graph))
        for fmt in EXPORT_FORMATS:  # every format the package exports, the Turtle written above
            if fmt != "turtle":
                export(fmt, work / _RELEASE_NAMES.get(fmt, fmt), work / GRAPH_FILE)
        (work / "CHANGELOG.md").write_text(
            _changelog(version, date, work / GRAPH_FILE, previous, previous_version), encoding="utf-8"
        )
        files = {
            p.relative_to(work).as_posix(): p.read_bytes() for p in sorted(work.rglob("*")) if p.is_file()
        }
        description = _description(graph, files, version)
        (work / "dataset.ttl").write_bytes(serialize(description))
        files["dataset.ttl"] = (work / "dataset.ttl").read_bytes()
        sums = "".join(
            f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items())
        )
        (work / "SHA256SUMS").write_text(sums, encoding="utf-8")
        _sync_tree(work, umask)
        os.rename(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    with contextlib.suppress(OSError):
        folder = os.open(out.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
    return ReleaseResult(out, version, sorted([*files, "SHA256SUMS"]), previous_version)
