"""Validate a graph against the project's SHACL shapes and the library's integrity queries.

The build's graph is checked on its Oxigraph store (:func:`validate_store`): pySHACL, the
reference, runs only when the fast check of :mod:`.shacl` finds anything. A file or an rdflib
graph is checked by pyshacl-turbo or pySHACL (:func:`validate_file`, :func:`validate_graph`).

The report lists each result with its focus node, path, value and message, as
CURIEs where a prefix is known, so a curator can find the record to fix.
Warnings (for example a gene still lacking a verified HGNC id) are reported but do
not make the graph non-conforming.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..errors import InputError
from ..identifiers import prefix_map
from ..query.library import list_queries
from ..query.oxigraph import Engine
from ..rdf.bridge import load_rdf, oxigraph_copy, rdflib_graph
from ..resources import ontology_file
from ..vocab import EKG_IRI
from ..vocab.nodes import VOCABULARY_PREFIXES
from .shacl import findings

# rdflib is imported where a report is made or a file validated, never by a build that passes
if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.namespace import NamespaceManager
    from rdflib.term import Node

__all__ = [
    "ValidationReport",
    "ValidationResult",
    "integrity_results",
    "shapes_graph",
    "validate_file",
    "validate_graph",
    "validate_store",
]


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result, rendered for people."""

    severity: str
    focus: str
    path: str
    value: str
    message: str
    shape: str

    def __str__(self) -> str:
        return (
            f"[{self.severity}] focus {self.focus} | path {self.path} | value {self.value} | {self.message}"
        )


@dataclass(frozen=True)
class ValidationReport:
    """Outcome of validation: conforms when there is no result of severity Violation."""

    results: tuple[ValidationResult, ...] = field(default_factory=tuple)

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity == "Violation")

    @property
    def warnings(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity != "Violation")

    @property
    def conforms(self) -> bool:
        return not self.violations


@cache
def shapes_graph() -> Graph:
    """The packaged SHACL shapes."""
    from rdflib import Graph  # lazy: see TYPE_CHECKING above

    return Graph().parse(ontology_file("shapes.ttl"), format="turtle")


def _names() -> NamespaceManager:
    """CURIE rendering with the project's prefixes, whatever the validated file binds."""
    from rdflib import Graph  # lazy: see TYPE_CHECKING above

    names = Graph().namespace_manager
    for prefix, namespace in prefix_map().items():
        names.bind(prefix, namespace, override=True, replace=True)
    return names


def _show(names: NamespaceManager, node: Node | None) -> str:
    if node is None:
        return "-"
    try:
        return node.n3(names)
    except Exception:  # an IRI that cannot be shortened: show it whole
        return str(node)


def _show_path(report: Graph, names: NamespaceManager, path: Node | None) -> str:
    """A SHACL property path as text: ``a|b`` for alternatives, ``^a`` for inverses."""
    from rdflib.collection import Collection  # lazy: see TYPE_CHECKING above
    from rdflib.term import BNode

    from ..vocab import SH  # lazy: the rdflib namespaces, for a report only

    if not isinstance(path, BNode):
        return _show(names, path)
    alternatives = report.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(_show_path(report, names, p) for p in Collection(report, alternatives))
    inverse = report.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _show_path(report, names, inverse)
    return "(complex path)"


def integrity_results(store: ox.Store) -> list[ValidationResult]:
    """Rows of the library's ``*-violation`` queries, run by Oxigraph on ``store``.

    Checks across many nodes (every statement's triple is in the graph, every fact has
    a statement) are SPARQL queries: Oxigraph answers them in milliseconds where
    SHACL-SPARQL constraints in pySHACL take seconds.
    """
    engine = Engine.from_store(store, {**VOCABULARY_PREFIXES, **prefix_map()})
    results = []
    for query in list_queries():
        if not query.name.endswith("-violation"):
            continue
        answer = engine.answer(query)
        for row in answer.rows:
            cells = [answer.cell(term) for term in row]
            results.append(
                ValidationResult(
                    "Violation",
                    cells[0],
                    "-",
                    " ".join(cells[1:]) or "-",
                    query.title,
                    f"queries/{query.name}.rq",
                )
            )
    return results


def _shacl(data: Graph, validator: str):
    """pySHACL's ``validate`` or pyshacl-turbo's drop-in one (same report; tests check they agree)."""
    if validator == "turbo":
        try:
            from pyshacl_turbo import validate  # lazy: optional, chosen at run time
        except ImportError:
            validator = "pyshacl"
    if validator == "pyshacl":
        from pyshacl import validate  # lazy: chosen at run time (about 0.5 s to import)

    _, report_graph, _ = validate(
        data,
        shacl_graph=shapes_graph(),
        inference="none",
        do_owl_imports=False,  # never fetch; the shapes are ours, the data is checked for imports
        js=False,
        advanced=True,
        allow_warnings=True,
        iterate_rules=False,
    )
    return report_graph


def validate_graph(data: Graph, *, validator: str = "turbo") -> ValidationReport:
    """Run the shapes on ``data`` (which includes the ontology) without inference, then the
    integrity queries on an Oxigraph copy. ``validator`` is ``turbo`` (pyshacl-turbo, about 10x
    faster, the default when installed) or ``pyshacl``."""
    return _report(_shacl_results(data, validator), oxigraph_copy(data))


def validate_store(store: ox.Store, prefixes: dict[str, str]) -> ValidationReport:
    """The build's validation, on its Oxigraph store: the shapes checked there by :mod:`.shacl`,
    and pySHACL on an rdflib copy (``prefixes`` bound) only when that finds anything, then the
    integrity queries. For graphs the builder made: their literals never carry an explicit
    ``xsd:string``, which Oxigraph cannot tell from a plain one and pySHACL can."""
    clean = findings(store) == []
    return _report([] if clean else _shacl_results(rdflib_graph(store, prefixes), "pyshacl"), store)


def _report(shape_results: Iterable[ValidationResult], store: ox.Store) -> ValidationReport:
    """The shapes' results and the integrity queries' on ``store``, violations first."""
    results = [*shape_results, *integrity_results(store)]
    results.sort(key=lambda r: (r.severity != "Violation", r.focus, r.path, r.message))
    return ValidationReport(tuple(results))


def _shacl_results(data: Graph, validator: str) -> list[ValidationResult]:
    """The results of pySHACL (``validator`` ``pyshacl``) or pyshacl-turbo (``turbo``), for people."""
    from rdflib import RDF  # lazy: see TYPE_CHECKING above

    from ..vocab import SH  # lazy: the rdflib namespaces, for a report only

    report_graph = _shacl(data, validator)
    names = _names()
    results = []
    for result in report_graph.subjects(RDF.type, SH.ValidationResult):
        severity = report_graph.value(result, SH.resultSeverity)
        message = report_graph.value(result, SH.resultMessage)
        results.append(
            ValidationResult(
                severity=str(severity).rsplit("#", 1)[-1],
                focus=_show(names, report_graph.value(result, SH.focusNode)),
                path=_show_path(report_graph, names, report_graph.value(result, SH.resultPath)),
                value=_show(names, report_graph.value(result, SH.value)),
                message=str(message) if message else "constraint not met",
                shape=_show(names, report_graph.value(result, SH.sourceShape)),
            )
        )
    return results


def validate_file(path: Path) -> ValidationReport:
    """Validate a Turtle/N-Triples file, adding the ontology when the file lacks it.

    The shapes rely on the class hierarchy (a sodium channel is an ion channel), so a
    file holding only data is checked together with the packaged ontology.
    """
    from rdflib import OWL, RDF, URIRef  # lazy: see TYPE_CHECKING above

    graph = load_rdf(path)
    for imported in graph.objects(None, OWL.imports):
        raise InputError(
            f"{path}: refused: owl:imports <{imported}>; imports are never followed here (that would "
            "fetch a document): merge the imported file into this one, or remove the import"
        )
    if (URIRef(EKG_IRI), RDF.type, OWL.Ontology) not in graph:
        graph.parse(ontology_file("eimfs.ttl"), format="turtle")
    return validate_graph(graph)
