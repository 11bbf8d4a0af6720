"""Regression tests over the W3C syntax test suites: the product's RDF and SPARQL input paths.

The suites (Turtle, N-Triples, SPARQL 1.1 query syntax) are checked into ``tests/data/w3c/``
with their licence, so these tests run on every clone. Each manifest entry is one test:

* Turtle and N-Triples syntax tests go through :func:`eimfs_kg.rdf.strict.parse_strictly`, the way
  user files are read: positive tests must parse, negative ones must raise ``InputError`` naming
  the file, line and column. Turtle evaluation tests must also give the expected triples (compared
  after blank-node canonicalization).
* SPARQL query syntax tests are read as ``eimfs-kg query FILE.rq`` reads them (relative IRIs
  resolve against the file's IRI) and parsed by pyoxigraph's ``Store.query`` on an empty store, the
  parser behind ``Engine.answer``: positive tests must not raise ``SyntaxError``, negative ones must.
  ``check_query`` is not applied, since it refuses valid syntax (``FROM``, updates) by policy.
  The SPARQL update and federation syntax suites are not included: the product only runs queries.

There is no list of expected failures: every test of every suite must pass.
Run ``python tests/robustness/test_w3c.py`` for counts per suite.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from eimfs_kg.errors import InputError
from eimfs_kg.query.library import load_query
from eimfs_kg.rdf.strict import parse_strictly

#: Where manifest actions point; the suite folder mirrors this tree.
W3C_BASE = "https://w3c.github.io/rdf-tests/"
#: Suite name -> folder under the suite root (relative to ``W3C_BASE`` too).
SUITES = {
    "turtle": "rdf/rdf11/rdf-turtle",
    "ntriples": "rdf/rdf11/rdf-n-triples",
    "sparql-query": "sparql/sparql11/syntax-query",
}
_FORMATS = {"turtle": (ox.RdfFormat.TURTLE, ".ttl"), "ntriples": (ox.RdfFormat.N_TRIPLES, ".nt")}

_MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
_RDFT = "http://www.w3.org/ns/rdftest#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_KINDS = {
    _RDFT + "TestTurtlePositiveSyntax": "positive",
    _RDFT + "TestNTriplesPositiveSyntax": "positive",
    _MF + "PositiveSyntaxTest11": "positive",
    _RDFT + "TestTurtleNegativeSyntax": "negative",
    _RDFT + "TestNTriplesNegativeSyntax": "negative",
    _RDFT + "TestTurtleNegativeEval": "negative",
    _MF + "NegativeSyntaxTest11": "negative",
    _RDFT + "TestTurtleEval": "eval",
}


#: The W3C suites, checked in beside the tests (``tests/data/w3c``, see its README and LICENSE).
ROOT = Path(__file__).resolve().parents[1] / "data" / "w3c"


@dataclass(frozen=True)
class Case:
    """One manifest entry: its suite, name, kind and files."""

    suite: str
    name: str
    kind: str  # positive, negative, eval, or the unsupported type's IRI
    action_iri: str
    action: Path
    result: Path | None

    @property
    def id(self) -> str:
        """The test id: ``suite/name``."""
        return f"{self.suite}/{self.name}"


def _local(iri: str, root: Path) -> Path:
    """The local copy of a suite file named by its ``https://w3c.github.io/rdf-tests/`` IRI."""
    if not iri.startswith(W3C_BASE):
        raise ValueError(f"{iri} is not under {W3C_BASE}")
    return root / iri.removeprefix(W3C_BASE)


def _objects(store: ox.Store, subject: ox.NamedNode | ox.BlankNode, predicate: str) -> list[ox.Term]:
    """The objects of ``subject predicate ?o`` in ``store``."""
    return [q.object for q in store.quads_for_pattern(subject, ox.NamedNode(predicate), None)]


def load_cases(root: Path) -> list[Case]:
    """Every entry of every suite manifest under ``root``, in manifest order."""
    cases: list[Case] = []
    for suite, folder in SUITES.items():
        store = ox.Store()
        store.load(
            path=str(root / folder / "manifest.ttl"),
            format=ox.RdfFormat.TURTLE,
            base_iri=f"{W3C_BASE}{folder}/manifest.ttl",
        )
        manifest = next(
            q.subject
            for q in store.quads_for_pattern(None, ox.NamedNode(_RDF + "type"), None)
            if q.object == ox.NamedNode(_MF + "Manifest")
        )
        node = _objects(store, manifest, _MF + "entries")[0]
        seen: set[str] = set()
        while node != ox.NamedNode(_RDF + "nil"):
            entry = _objects(store, node, _RDF + "first")[0]
            name = _objects(store, entry, _MF + "name")[0].value
            if name in seen:  # names are unique in these suites; keep ids unique regardless
                name = f"{name}#{entry.value.rpartition('#')[2]}"
            seen.add(name)
            kind = _objects(store, entry, _RDF + "type")[0].value
            action = _objects(store, entry, _MF + "action")[0].value
            results = _objects(store, entry, _MF + "result")
            cases.append(
                Case(
                    suite,
                    name,
                    _KINDS.get(kind, kind),
                    action,
                    _local(action, root),
                    _local(results[0].value, root) if results else None,
                )
            )
            node = _objects(store, node, _RDF + "rest")[0]
    return cases


CASES = load_cases(ROOT)


@contextmanager
def _with_suffix(case: Case) -> Iterator[Path]:
    """The action file under a name whose suffix makes parse_strictly pick the suite's format."""
    suffix = _FORMATS[case.suite][1]
    if case.action.suffix == suffix:
        yield case.action
        return
    with tempfile.TemporaryDirectory(prefix="eimfs-w3c-") as folder:
        copy = Path(folder) / (case.action.stem + suffix)
        shutil.copyfile(case.action, copy)
        yield copy


def parse_action(case: Case, base_iri: str | None = None) -> list[ox.Triple]:
    """The action's triples: through ``parse_strictly``, or through pyoxigraph with ``base_iri``."""
    with _with_suffix(case) as path:
        if base_iri is None:  # the product path, with the IRI the manifest gives the file
            return parse_strictly(path, base_iri=case.action_iri)
        try:
            return list(ox.parse(path=str(path), format=_FORMATS[case.suite][0], base_iri=base_iri))
        except SyntaxError as exc:
            raise InputError(f"{path}: {exc}") from None


def _canonical(triples: list[ox.Triple]) -> ox.Dataset:
    """The triples as a dataset with canonical blank-node labels, for isomorphism checks."""
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return dataset


def _check_rdf(case: Case, base_iri: str | None) -> None:
    """Assert a Turtle or N-Triples test behaves as the suite requires."""
    try:
        triples = parse_action(case, base_iri)
    except InputError as exc:
        message = str(exc)
        assert case.kind == "negative", f"{case.id}: valid input refused: {message}"
        if base_iri is None:  # the product's error must locate the problem
            assert case.action.name in message, f"{case.id}: error does not name the file: {message}"
            assert re.search(r"line \d+", message), f"{case.id}: error gives no line: {message}"
            assert re.search(r"columns? \d+", message), f"{case.id}: error gives no column: {message}"
        return
    assert case.kind != "negative", f"{case.id}: invalid input accepted ({len(triples)} triples)"
    if case.kind == "eval":
        assert case.result is not None, f"{case.id}: evaluation test without mf:result"
        expected = list(ox.parse(path=str(case.result), format=ox.RdfFormat.N_TRIPLES))
        got, want = _canonical(triples), _canonical(expected)
        if got != want:
            extra = sorted(str(q) for q in got if q not in want)[:3]
            missing = sorted(str(q) for q in want if q not in got)[:3]
            raise AssertionError(f"{case.id}: wrong triples; extra {extra}, missing {missing}")


def _check_query(case: Case, base_iri: str | None) -> None:
    """Assert a SPARQL query syntax test behaves as the suite requires."""
    query = load_query(str(case.action))  # as `eimfs-kg query FILE.rq` reads it, with its base IRI
    try:
        ox.Store().query(query.text, base_iri=base_iri or query.base_iri)
    except SyntaxError as exc:
        assert case.kind == "negative", f"{case.id}: valid query refused: {exc}"
        return
    except RuntimeError:
        # Parsed, then failed evaluating on the empty store (e.g. an unknown custom function):
        # a syntax test only asks whether the parser accepts the text.
        pass
    assert case.kind != "negative", f"{case.id}: invalid query accepted"


def check(case: Case, base_iri: str | None = None) -> None:
    """Assert ``case`` conforms: through the product path, or with pyoxigraph and ``base_iri``."""
    assert case.kind in ("positive", "negative", "eval"), f"{case.id}: unsupported test type {case.kind}"
    if case.suite == "sparql-query":
        _check_query(case, base_iri)
    else:
        _check_rdf(case, base_iri)


def outcome(case: Case) -> str:
    """``passed`` or ``failed``."""
    try:
        check(case)
    except AssertionError:
        return "failed"
    return "passed"


def summary() -> dict[str, dict[str, int]]:
    """Counts of passed and failed tests per suite."""
    counts = {suite: dict.fromkeys(("passed", "failed"), 0) for suite in SUITES}
    for case in CASES:
        counts[case.suite][outcome(case)] += 1
    return counts


def _params(cases: list[Case]) -> list[object]:
    """Cases as pytest parameters."""
    return [pytest.param(case, id=case.id) for case in cases]


@pytest.mark.parametrize("case", _params(CASES))
def test_w3c(case: Case) -> None:
    """The product accepts, rejects or reads the test's input as the W3C suite requires."""
    check(case)


def test_every_suite_is_there() -> None:
    """The checked-in suites are whole: no suite may silently shrink to nothing."""
    per_suite = {suite: sum(c.suite == suite for c in CASES) for suite in SUITES}
    assert per_suite == {"turtle": 313, "ntriples": 70, "sparql-query": 94}, per_suite


if __name__ == "__main__":
    for suite, count in summary().items():
        print(f"{suite:14} " + "  ".join(f"{k} {v}" for k, v in count.items()))


def test_relative_iris_resolve_against_the_file(tmp_path: Path) -> None:
    """A user's Turtle with relative IRIs is valid: they resolve against the file's own IRI."""
    path = tmp_path / "relative.ttl"
    path.write_text("<a> <b> <#c> .\n", encoding="utf-8")
    (triple,) = parse_strictly(path)
    base = path.resolve().as_uri()
    assert (triple.subject.value, triple.object.value) == (base.rsplit("/", 1)[0] + "/a", base + "#c")
    assert parse_strictly(path, base_iri="http://example.org/x/")[0].subject.value == "http://example.org/x/a"
