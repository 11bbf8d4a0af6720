"""Compare two builds of the graph fact by fact, with each fact's provenance.

A *fact* is a triple that a statement node names (``rdf:subject/predicate/object``); its
*provenance* is what the statement node carries: source, ECO evidence, publications and
qualifiers. Facts are compared as facts: statement-node IRIs (hashes) never show up as
changes, and blank nodes are given canonical labels first, so two files that hold the same
facts in another order, with other blank-node labels or other statement IRIs, are equal.

The result lists facts added, removed and changed (one value of a subject's property
replaced by another), and facts whose triple stayed but whose provenance changed; it calls
out identifier changes (an entity whose IRI changed while its title or label stayed, a
cross-reference, alternative id, PMID or PMCID added or removed) and counts changes per
entity kind, source and predicate. The dataset description (VoID counts, dates, version) is
not a fact and never makes two graphs differ; ontology changes are only counted.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, BNode, Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from ..errors import InputError
from ..identifiers import contract, prefix_map
from ..rdf.bridge import load_rdf
from ..resources import ontology_file
from ..vocab import EKG_IRI, EKGID_IRI
from .export import jsonld_context

__all__ = ["DIFF_FORMATS", "GraphDiff", "count_facts", "diff_files", "diff_graphs", "graph_path", "render"]

DIFF_FORMATS = ("text", "markdown", "json")
_BIBO = "http://purl.org/ontology/bibo/"
_OBOINOWL = "http://www.geneontology.org/formats/oboInOwl#"
_STATEMENT_LINKS = {
    RDF.type,
    RDF.subject,
    RDF.predicate,
    RDF.object,
    URIRef(EKG_IRI + "source"),
    URIRef(EKG_IRI + "evidence"),
    URIRef(EKG_IRI + "publication"),
}
#: Predicates whose values are identifiers of the subject or of the same thing elsewhere.
ID_PREDICATES = frozenset(
    URIRef(p)
    for p in (
        str(SKOS.exactMatch),
        str(SKOS.closeMatch),
        str(SKOS.narrowMatch),
        str(SKOS.broadMatch),
        str(DCTERMS.identifier),
        _OBOINOWL + "hasDbXref",
        _OBOINOWL + "hasAlternativeId",
        _BIBO + "pmid",
        _BIBO + "doi",
        EKG_IRI + "pmcid",
        EKG_IRI + "bookshelfId",
    )
)
#: Entity kinds by ontology class (the first class found walking up from a node's type).
_KINDS = {
    "Gene": "gene",
    "Protein": "protein",
    "Disease": "disease",
    "DiseaseGroup": "disease",
    "Publication": "publication",
    "Authorship": "publication",
    "Phenotype": "phenotype",
    "ClinicalCourse": "phenotype",
    "InheritanceMode": "inheritance",
    "ClinicalModifier": "inheritance",
    "Mechanism": "mechanism",
    "MechanismStep": "mechanism",
    "MechanismClass": "mechanism",
    "ChannelFamily": "mechanism",
    "OnsetAge": "condition detail",
    "Prevalence": "condition detail",
    "Proportion": "condition detail",
    "CourseStage": "condition detail",
    "ResearchQuestion": "condition detail",
    "SourceDisagreement": "disagreement",
    "Claim": "disagreement",
    "Source": "source",
    "GeneList": "source",
    "ExternalResource": "resource",
    "RelatedTopic": "resource",
}
#: Kinds by CURIE prefix, for nodes without a type in the graph (an obsolete id, say).
_PREFIX_KINDS = {
    "NCBIGene": "gene",
    "HGNC": "gene",
    "UniProtKB": "protein",
    "MONDO": "disease",
    "OMIM": "disease",
    "ORPHANET": "disease",
    "PMID": "publication",
    "DOI": "publication",
    "NCBIBOOK": "publication",
    "HP": "phenotype",
}
_KIND_ORDER = (
    "gene",
    "protein",
    "disease",
    "phenotype",
    "inheritance",
    "publication",
    "mechanism",
    "condition detail",
    "disagreement",
    "resource",
    "source",
    "term",
    "other",
)
#: What the diff reports of the dataset description (counts change with every fact; they are not shown).
_DATASET_FIELDS = frozenset(
    {
        OWL.versionInfo,
        URIRef("http://purl.org/pav/version"),
        DCTERMS.created,
        DCTERMS.modified,
        DCTERMS.issued,
    }
)
_NAME_PREDICATES = (URIRef(EKG_IRI + "symbol"), RDFS.label, SKOS.prefLabel, DCTERMS.title)


@cache
def _ontology_parents() -> dict[str, set[str]]:
    """Local name of each ekg class -> local names of its ekg superclasses (package ontology)."""

    onto = Graph().parse(ontology_file("eimfs.ttl"))
    parents: dict[str, set[str]] = defaultdict(set)
    for cls, parent in onto.subject_objects(RDFS.subClassOf):
        if str(cls).startswith(EKG_IRI) and str(parent).startswith(EKG_IRI):
            parents[str(cls)[len(EKG_IRI) :]].add(str(parent)[len(EKG_IRI) :])
    return parents


def _kind_of_class(local: str) -> str | None:
    todo, seen = [local], set()
    while todo:
        current = todo.pop(0)
        if current in _KINDS:
            return _KINDS[current]
        seen.add(current)
        todo += [p for p in sorted(_ontology_parents().get(current, ())) if p not in seen]
    return None


@dataclass(frozen=True, order=True)
class Provenance:
    """Where one statement of a fact comes from (as names and CURIEs, never statement IRIs)."""

    sources: tuple[str, ...]
    evidence: tuple[str, ...]
    publications: tuple[str, ...] = ()
    qualifiers: tuple[str, ...] = ()

    def text(self) -> str:
        parts = [f"source: {'; '.join(self.sources) or '-'}", f"evidence: {', '.join(self.evidence) or '-'}"]
        if self.publications:
            parts.append(f"papers: {', '.join(self.publications)}")
        if self.qualifiers:
            parts.append(f"qualifiers: {', '.join(self.qualifiers)}")
        return " | ".join(parts)

    def as_dict(self) -> dict[str, list[str]]:
        return {
            "sources": list(self.sources),
            "evidence": list(self.evidence),
            "publications": list(self.publications),
            "qualifiers": list(self.qualifiers),
        }


Triple = tuple[Node, Node, Node]


@cache
def _prefixes() -> dict[str, str]:
    """The graph's prefixes plus the standard vocabularies, for short names in the report."""

    standard = {p: v if isinstance(v, str) else v["@id"] for p, v in jsonld_context()["@context"].items()}
    return {**standard, "IAO": "http://purl.obolibrary.org/obo/IAO_", **prefix_map()}


def _curie(node: Node) -> str:
    if isinstance(node, URIRef):
        return contract(str(node), _prefixes())
    if isinstance(node, BNode):
        return "_:" + str(node)[:12]
    text = " ".join(str(node).split())
    return repr(text if len(text) <= 90 else text[:87] + "...")


def _canonical(graph: Graph) -> Graph:
    """The graph with blank nodes relabelled canonically (unchanged when it has none)."""
    if not any(isinstance(t, BNode) for triple in graph for t in triple):
        return graph

    out = Graph()
    for triple in to_canonical_graph(graph):
        out.add(triple)
    return out


class _Snapshot:
    """One graph read as facts with provenance, plus the triples that are not facts."""

    def __init__(self, graph: Graph) -> None:
        self.graph = g = _canonical(graph)
        self.source_names: dict[str, str] = {}
        self.facts: dict[Triple, set[Provenance]] = defaultdict(set)
        statements = set(g.subjects(RDF.subject, None))
        for st in statements:
            s, p, o = (g.value(st, x) for x in (RDF.subject, RDF.predicate, RDF.object))
            if s is None or p is None or o is None:
                continue
            qualifiers = sorted(
                f"{_curie(q)}={_curie(v)}" for q, v in g.predicate_objects(st) if q not in _STATEMENT_LINKS
            )
            kinds = {contract(str(k)) for k in g.objects(st, RDF.type)} - {"ekg:Statement"}
            qualifiers += [f"kind={k}" for k in sorted(kinds)]
            self.facts[(s, p, o)].add(
                Provenance(
                    tuple(sorted(self.source_key(x) for x in g.objects(st, URIRef(EKG_IRI + "source")))),
                    tuple(sorted(_curie(x) for x in g.objects(st, URIRef(EKG_IRI + "evidence")))),
                    tuple(sorted(_curie(x) for x in g.objects(st, URIRef(EKG_IRI + "publication")))),
                    tuple(sorted(qualifiers)),
                )
            )
        self.ontology: set[Triple] = set()
        self.dataset: set[Triple] = set()
        self.sources: set[Triple] = set()
        self.other: set[Triple] = set()
        source_nodes = {s for s in g.subjects(RDF.type, None) if self.kind(s) == "source"}
        for triple in g:
            s = triple[0]
            if s in statements or triple in self.facts:
                continue
            if str(s).startswith(EKGID_IRI + "dataset"):
                self.dataset.add(triple)
            elif str(s).startswith(EKG_IRI) or str(s) == EKG_IRI.rstrip("/"):
                self.ontology.add(triple)
            elif s in source_nodes:
                self.sources.add(triple)
            else:
                self.other.add(triple)

    def source_key(self, node: Node) -> str:
        """A source's short key (``uniprot``, ``medlineplus.causes``); its label is kept aside."""
        key = str(node).removeprefix(EKGID_IRI + "source.") if isinstance(node, URIRef) else _curie(node)
        self.source_names[key] = self.name(node)
        return key

    def name(self, node: Node) -> str:
        """A node's label, symbol or title; its CURIE otherwise."""
        if not isinstance(node, URIRef | BNode):
            return _curie(node)
        for predicate in _NAME_PREDICATES:
            value = self.graph.value(node, predicate)
            if value is not None:
                return " ".join(str(value).split())
        return _curie(node)

    def title_key(self, node: Node) -> str | None:
        """What identifies an entity apart from its IRI: its title, else its label."""
        for predicate in (DCTERMS.title, RDFS.label, URIRef(EKG_IRI + "symbol")):
            value = self.graph.value(node, predicate)
            if value is not None:
                return " ".join(str(value).lower().split())
        return None

    def kind(self, node: Node) -> str:
        """The entity kind of a node (gene, disease ...), from its class, else its CURIE prefix."""
        for cls in sorted(self.graph.objects(node, RDF.type), key=str):
            if str(cls).startswith(EKG_IRI):
                kind = _kind_of_class(str(cls)[len(EKG_IRI) :])
                if kind:
                    return kind
        if isinstance(node, URIRef):
            prefix = contract(str(node)).split(":", 1)[0]
            if prefix in _PREFIX_KINDS:
                return _PREFIX_KINDS[prefix]
            if any(c for c in self.graph.objects(node, RDF.type)):
                return "term"
        return "other"

    def show(self, node: Node) -> str:
        """``name (CURIE)`` for named things, the CURIE or quoted text otherwise."""
        if not isinstance(node, URIRef):
            return _curie(node)
        name, curie = self.name(node), _curie(node)
        return curie if name == curie else f"{name} ({curie})"


@dataclass
class Change:
    """One change of a fact; ``old``/``new`` are the object values, provenance before and after."""

    change: str  # added | removed | changed | provenance
    kind: str
    subject: str
    subject_name: str
    predicate: str
    old: str | None
    new: str | None
    old_provenance: list[Provenance] = field(default_factory=list)
    new_provenance: list[Provenance] = field(default_factory=list)
    predicate_iri: str = ""

    def as_dict(self) -> dict:
        return {
            "change": self.change,
            "kind": self.kind,
            "subject": self.subject,
            "subject_name": self.subject_name,
            "predicate": self.predicate,
            "old": self.old,
            "new": self.new,
            "old_provenance": [p.as_dict() for p in self.old_provenance],
            "new_provenance": [p.as_dict() for p in self.new_provenance],
        }

    def sources(self) -> set[str]:
        return {s for p in (*self.old_provenance, *self.new_provenance) for s in p.sources}


@dataclass
class GraphDiff:
    """What changed from one graph to another, fact by fact."""

    old_label: str
    new_label: str
    old_facts: int
    new_facts: int
    changes: list[Change]
    renamed: list[dict[str, str]]
    identifier_changes: list[dict[str, str]]
    source_changes: list[str]
    other_changes: list[str]
    ontology: tuple[int, int]
    dataset: list[str]
    source_names: dict[str, str] = field(default_factory=dict)

    @property
    def equal(self) -> bool:
        return not (
            self.changes or self.renamed or self.source_changes or self.other_changes or any(self.ontology)
        )

    def count(self, change: str) -> int:
        return sum(1 for c in self.changes if c.change == change)

    def summary(self) -> dict[str, dict[str, dict[str, int]]]:
        """Counts of changes per entity kind, per source and per predicate."""
        out: dict[str, dict[str, Counter]] = {"kind": {}, "source": {}, "predicate": {}}
        for c in self.changes:
            for axis, keys in (
                ("kind", [c.kind]),
                ("source", sorted(c.sources())),
                ("predicate", [c.predicate]),
            ):
                for key in keys:
                    out[axis].setdefault(key, Counter())[c.change] += 1
        order = {k: i for i, k in enumerate(_KIND_ORDER)}
        return {
            axis: {
                key: {change: counts[change] for change in ("added", "removed", "changed", "provenance")}
                for key, counts in sorted(table.items(), key=lambda kv: (order.get(kv[0], 99), kv[0]))
            }
            for axis, table in out.items()
        }

    def render(self, fmt: str = "text") -> str:
        """This diff as a text table, Markdown (for a changelog) or JSON."""
        return render(self, fmt)

    def as_dict(self) -> dict:
        return {
            "old": self.old_label,
            "new": self.new_label,
            "equal": self.equal,
            "facts": {"old": self.old_facts, "new": self.new_facts},
            "counts": {k: self.count(k) for k in ("added", "removed", "changed", "provenance")},
            "identifier_changes": {"renamed": self.renamed, "identifiers": self.identifier_changes},
            "changes": [c.as_dict() for c in self.changes],
            "source_descriptions": self.source_changes,
            "other_triples": self.other_changes,
            "ontology_triples": {"added": self.ontology[0], "removed": self.ontology[1]},
            "dataset_description": self.dataset,
            "summary": self.summary(),
            "sources": self.source_names,
        }


def _renames(old: _Snapshot, new: _Snapshot) -> dict[Node, Node]:
    """Entities whose IRI changed while kind and title (or label) stayed: old IRI -> new IRI."""
    old_subjects = {s for s, _, _ in old.facts if isinstance(s, URIRef)}
    new_subjects = {s for s, _, _ in new.facts if isinstance(s, URIRef)}

    def index(snap: _Snapshot, nodes: Iterable[Node]) -> dict[tuple[str, str], list[Node]]:
        found: dict[tuple[str, str], list[Node]] = defaultdict(list)
        for node in nodes:
            key = snap.title_key(node)
            if key:
                found[(snap.kind(node), key)].append(node)
        return found

    gone, came = index(old, old_subjects - new_subjects), index(new, new_subjects - old_subjects)
    return {
        nodes[0]: came[key][0]
        for key, nodes in gone.items()
        if len(nodes) == 1 and len(came.get(key, ())) == 1 and key[0] not in ("other", "term")
    }


def _triple_lines(
    snap_old: _Snapshot, snap_new: _Snapshot, old: set, new: set, short: bool = False
) -> list[str]:
    lines = []
    for sign, snap, triples in (("-", snap_old, old - new), ("+", snap_new, new - old)):
        for s, p, o in triples:
            subject = _curie(s) if short else snap.show(s)
            lines.append(f"{sign} {subject} {_curie(p)} {snap.show(o)}")
    return sorted(lines, key=lambda line: (line[2:], line[0]))


def diff_graphs(
    old_graph: Graph, new_graph: Graph, old_label: str = "old", new_label: str = "new"
) -> GraphDiff:
    """Compare two graphs fact by fact (see the module docstring)."""
    old, new = _Snapshot(old_graph), _Snapshot(new_graph)
    renamed = _renames(old, new)

    def moved(node: Node) -> Node:
        return renamed.get(node, node)

    curies = {_curie(o): _curie(n) for o, n in renamed.items()}

    def moved_provenance(prov: Provenance) -> Provenance:
        """Papers and qualifier values of a renamed entity, under its new id."""
        qualifiers = []
        for q in prov.qualifiers:
            name, _, value = q.partition("=")
            qualifiers.append(f"{name}={curies.get(value, value)}")
        papers = tuple(sorted(curies.get(x, x) for x in prov.publications))
        return Provenance(prov.sources, prov.evidence, papers, tuple(sorted(qualifiers)))

    old_facts = {
        (moved(s), p, moved(o)): {moved_provenance(x) for x in provs} if curies else provs
        for (s, p, o), provs in old.facts.items()
    }
    new_facts = new.facts

    def name_of(node: Node) -> str:
        return new.name(node) if any(True for _ in new.graph.predicate_objects(node)) else old.name(node)

    def kind_of(node: Node) -> str:
        return new.kind(node) if any(True for _ in new.graph.objects(node, RDF.type)) else old.kind(node)

    def show(node: Node) -> str:
        return new.show(node) if any(True for _ in new.graph.predicate_objects(node)) else old.show(node)

    def show_old(node: Node) -> str:
        return old.show(node) if any(True for _ in old.graph.predicate_objects(node)) else show(node)

    removed = set(old_facts) - set(new_facts)
    added = set(new_facts) - set(old_facts)
    changes: list[Change] = []
    by_property: dict[tuple[Node, Node], tuple[list, list]] = defaultdict(lambda: ([], []))
    for triple in removed:
        by_property[triple[:2]][0].append(triple)
    for triple in added:
        by_property[triple[:2]][1].append(triple)
    for (s, p), (gone, came) in by_property.items():
        base = partial(
            Change,
            kind=kind_of(s),
            subject=_curie(s),
            subject_name=name_of(s),
            predicate=_curie(p),
            predicate_iri=str(p),
        )
        if len(gone) == 1 and len(came) == 1 and p != RDF.type:
            (g,), (c,) = gone, came
            changes.append(
                base(
                    change="changed",
                    old=show_old(g[2]),
                    new=new.show(c[2]),
                    old_provenance=sorted(old_facts[g]),
                    new_provenance=sorted(new_facts[c]),
                )
            )
            continue
        for triple in gone:
            changes.append(
                base(
                    change="removed",
                    old=show_old(triple[2]),
                    new=None,
                    old_provenance=sorted(old_facts[triple]),
                )
            )
        for triple in came:
            changes.append(
                base(
                    change="added",
                    old=None,
                    new=new.show(triple[2]),
                    new_provenance=sorted(new_facts[triple]),
                )
            )
    for triple in set(old_facts) & set(new_facts):
        if old_facts[triple] != new_facts[triple]:
            s, p, o = triple
            changes.append(
                Change(
                    "provenance",
                    kind=kind_of(s),
                    subject=_curie(s),
                    subject_name=name_of(s),
                    predicate=_curie(p),
                    old=show(o),
                    new=show(o),
                    old_provenance=sorted(old_facts[triple]),
                    new_provenance=sorted(new_facts[triple]),
                    predicate_iri=str(p),
                )
            )
    order = {k: i for i, k in enumerate(_KIND_ORDER)}
    changes.sort(
        key=lambda c: (
            order.get(c.kind, 99),
            c.subject_name.lower(),
            c.subject,
            c.predicate,
            c.change,
            c.old or "",
            c.new or "",
        )
    )
    known = {_curie(s) for s, _, _ in old_facts}
    renames = sorted(
        (
            {"kind": old.kind(o), "name": old.name(o), "old": _curie(o), "new": _curie(n)}
            for o, n in renamed.items()
        ),
        key=lambda r: (r["kind"], r["name"]),
    )
    identifier_changes = [
        {
            "change": c.change,
            "kind": c.kind,
            "entity": c.subject_name,
            "subject": c.subject,
            "predicate": c.predicate,
            "old": c.old or "",
            "new": c.new or "",
        }
        for c in changes
        if c.change in ("added", "removed", "changed")
        and URIRef(c.predicate_iri) in ID_PREDICATES
        and c.subject in known  # identifiers of a new entity come with it: not a change of identifier
    ]
    dataset = _triple_lines(
        old,
        new,
        {t for t in old.dataset if t[1] in _DATASET_FIELDS},
        {t for t in new.dataset if t[1] in _DATASET_FIELDS},
        short=True,
    )
    return GraphDiff(
        old_label,
        new_label,
        len(old.facts),
        len(new.facts),
        changes,
        renames,
        identifier_changes,
        _triple_lines(old, new, old.sources, new.sources, short=True),
        _triple_lines(old, new, old.other, new.other),
        (len(new.ontology - old.ontology), len(old.ontology - new.ontology)),
        dataset,
        _used_sources(changes, {**old.source_names, **new.source_names}),
    )


def _used_sources(changes: list[Change], names: dict[str, str]) -> dict[str, str]:
    used = {s for c in changes for s in c.sources()}
    return {key: names[key] for key in sorted(used) if key in names}


# --- reading ------------------------------------------------------------------------------------


def count_facts(graph: Graph) -> int:
    """How many distinct facts (triples named by statement nodes) a graph holds."""
    return len(_Snapshot(graph).facts)


def graph_path(path: Path) -> Path:
    """The graph file a path names: the file itself, or the ``eimfs-kg.ttl`` of a release/build folder."""
    path = Path(path)
    if path.is_dir():
        for name in ("eimfs-kg.ttl", "eimfs-kg.nt"):
            if (path / name).is_file():
                return path / name
        raise InputError(f"{path}: no eimfs-kg.ttl in this folder; give a graph file or a release folder")
    if not path.exists():
        raise InputError(f"{path}: no such file; give a graph file (.ttl, .nt) or a release folder")
    return path


def diff_files(old: Path, new: Path) -> GraphDiff:
    """Compare two graph files (or release folders)."""

    old_file, new_file = graph_path(old), graph_path(new)
    return diff_graphs(load_rdf(old_file), load_rdf(new_file), str(old), str(new))


# --- rendering -----------------------------------------------------------------------------------


def _provenance_text(provs: list[Provenance]) -> str:
    return " || ".join(p.text() for p in provs)


def _change_lines(c: Change) -> tuple[str, str]:
    """The fact line and its provenance line of a change."""
    if c.change == "added":
        return f"+ {c.predicate} {c.new}", _provenance_text(c.new_provenance)
    if c.change == "removed":
        return f"- {c.predicate} {c.old}", _provenance_text(c.old_provenance)
    if c.change == "changed":
        before, after = _provenance_text(c.old_provenance), _provenance_text(c.new_provenance)
        prov = after if before == after else f"was {before}; now {after}"
        return f"~ {c.predicate} {c.old} -> {c.new}", prov
    was = {p.text() for p in c.old_provenance}
    now = {p.text() for p in c.new_provenance}
    prov = "; ".join([*(f"was {t}" for t in sorted(was - now)), *(f"now {t}" for t in sorted(now - was))])
    return f"= {c.predicate} {c.new} (provenance only)", prov


_HEADINGS = {
    "added": "added",
    "removed": "removed",
    "changed": "changed value",
    "provenance": "provenance only",
}


def _headline(d: GraphDiff) -> str:
    counts = ", ".join(f"{d.count(k)} {_HEADINGS[k]}" for k in ("added", "removed", "changed", "provenance"))
    return f"facts: {d.old_facts} -> {d.new_facts}; {counts}"


def _grouped(d: GraphDiff) -> dict[str, dict[tuple[str, str], list[Change]]]:
    groups: dict[str, dict[tuple[str, str], list[Change]]] = {}
    for c in d.changes:
        groups.setdefault(c.kind, {}).setdefault((c.subject_name, c.subject), []).append(c)
    return groups


def _entity(name: str, curie: str) -> str:
    return curie if name == curie else f"{name} ({curie})"


def _ontology_line(d: GraphDiff) -> str | None:
    added, removed = d.ontology
    if not (added or removed):
        return None
    return f"ontology (terms, not facts): {added} triple(s) added, {removed} removed"


def _render_text(d: GraphDiff) -> str:
    lines = [f"eimfs-kg diff {d.old_label} -> {d.new_label}", _headline(d)]
    if d.equal:
        lines.append("the graphs hold the same facts with the same provenance")
    if d.renamed or d.identifier_changes:
        lines += ["", "Identifier changes"]
        for r in d.renamed:
            lines.append(f"  {r['kind']} {r['name']!r}: {r['old']} -> {r['new']} (same title, new id)")
        for i in d.identifier_changes:
            sign = {"added": "+", "removed": "-", "changed": "~"}[i["change"]]
            value = (
                i["new"]
                if i["change"] == "added"
                else i["old"]
                if i["change"] == "removed"
                else f"{i['old']} -> {i['new']}"
            )
            lines.append(f"  {sign} {i['kind']} {i['entity']}: {i['predicate']} {value}")
    for kind, entities in _grouped(d).items():
        lines += ["", f"{kind} ({sum(len(v) for v in entities.values())} change(s))"]
        for (name, curie), changes in entities.items():
            lines.append(f"  {_entity(name, curie)}")
            for c in changes:
                fact, prov = _change_lines(c)
                lines += [f"    {fact}", f"        {prov}"]
    for title, items in (
        ("Source descriptions", d.source_changes),
        ("Other triples (no statement)", d.other_changes),
    ):
        if items:
            lines += ["", title, *(f"  {item}" for item in items)]
    if d.changes:
        lines += ["", "Summary (added / removed / changed value / provenance only)"]
        for axis, table in d.summary().items():
            width = max(len(k) for k in table)
            lines.append(f"  by {axis}")
            for key, counts in table.items():
                numbers = " ".join(f"{counts[k]:>4}" for k in ("added", "removed", "changed", "provenance"))
                lines.append(f"    {key:<{width}} {numbers}")
    if d.source_names:
        lines += ["", "Sources named above"]
        lines += [f"  {key}: {name}" for key, name in d.source_names.items()]
    for extra in (_ontology_line(d), *(f"dataset description: {line}" for line in d.dataset)):
        if extra:
            lines.append(extra)
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;")


def _render_markdown(d: GraphDiff) -> str:
    lines = [f"**{_headline(d)}**", ""]
    if d.equal:
        lines += ["No fact changed.", ""]
    if d.renamed or d.identifier_changes:
        lines += ["#### Identifier changes", ""]
        for r in d.renamed:
            lines.append(
                f"- {r['kind']} *{_md(r['name'])}*: `{r['old']}` → `{r['new']}` (same title, new id)"
            )
        for i in d.identifier_changes:
            if i["change"] == "changed":
                value = f"{_md(i['old'])} → {_md(i['new'])}"
            else:
                value = _md(i["new"] if i["change"] == "added" else i["old"])
            lines.append(f"- {i['change']}: {i['kind']} *{_md(i['entity'])}* `{i['predicate']}` {value}")
        lines.append("")
    for kind, entities in _grouped(d).items():
        lines += [f"#### {kind.capitalize()} ({sum(len(v) for v in entities.values())})", ""]
        for (name, curie), changes in entities.items():
            lines.append(f"- **{_md(name)}** (`{curie}`)")
            for c in changes:
                fact, prov = _change_lines(c)
                lines.append(f"  - `{fact[0]}` {_md(fact[2:])} — {_md(prov)}")
        lines.append("")
    for title, items in (
        ("Source descriptions", d.source_changes),
        ("Other triples (no statement)", d.other_changes),
    ):
        if items:
            lines += [f"#### {title}", "", *(f"- `{_md(item)}`" for item in items), ""]
    if d.changes:
        lines += ["#### Summary", ""]
        for axis, table in d.summary().items():
            lines += [
                f"| {axis} | added | removed | changed | provenance only |",
                "|---|---:|---:|---:|---:|",
            ]
            for key, counts in table.items():
                lines.append(
                    f"| {_md(key)} | "
                    + " | ".join(str(counts[k]) for k in ("added", "removed", "changed", "provenance"))
                    + " |"
                )
            lines.append("")
    if d.source_names:
        lines += ["#### Sources named above", ""]
        lines += [f"- `{key}`: {_md(name)}" for key, name in d.source_names.items()]
        lines.append("")
    extra = [x for x in (_ontology_line(d), *(f"dataset description: `{_md(x)}`" for x in d.dataset)) if x]
    if extra:
        lines += [*(f"- {x}" for x in extra), ""]
    return "\n".join(lines)


def render(d: GraphDiff, fmt: str = "text") -> str:
    """The diff as a text table, Markdown (for a changelog) or JSON."""
    if fmt == "json":
        return json.dumps(d.as_dict(), indent=1, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return _render_markdown(d)
    if fmt == "text":
        return _render_text(d)
    raise InputError(f"unknown diff format {fmt!r}; choose one of {', '.join(DIFF_FORMATS)}")
