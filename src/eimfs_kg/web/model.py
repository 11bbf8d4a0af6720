"""What the pages show, read from the graph once: names, facts with their evidence, search, networks.

:class:`GraphView` indexes the graph when the server starts (the graph is read-only, so the
index never goes stale): the display name of every node, the statement nodes behind each fact
(source, evidence code, papers, qualifiers), a search index over symbols, labels, synonyms, the
condition's other names and identifiers, and the gene-mechanism network.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from ..identifiers import contract
from ..query.contract import QueryEngine
from ..query.library import internal_query
from ..vocab import DCTERMS_IRI as DCTERMS
from ..vocab import EKG_IRI, RDF_IRI, RDFS_IRI
from ..vocab import OBOINOWL_IRI as OBOINOWL
from ..vocab import SKOS_IRI as SKOS

__all__ = ["Fact", "GraphView", "Group", "Value", "external_link"]

_TYPE, _LABEL = RDF_IRI + "type", RDFS_IRI + "label"
_STATEMENT_PARTS = {RDF_IRI + "subject", RDF_IRI + "predicate", RDF_IRI + "object"}

#: Where each identifier's authoritative page is (opened by the reader's browser, never by the server).
EXTERNAL = {
    "NCBIGene": "https://www.ncbi.nlm.nih.gov/gene/{id}",
    "HGNC": "https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/HGNC:{id}",
    "OMIM": "https://omim.org/entry/{id}",
    "UniProtKB": "https://www.uniprot.org/uniprotkb/{id}/entry",
    "MONDO": "https://monarchinitiative.org/MONDO:{id}",
    "HP": "https://hpo.jax.org/browse/term/HP:{id}",
    "PMID": "https://pubmed.ncbi.nlm.nih.gov/{id}/",
    "DOI": "https://doi.org/{id}",
    "ORPHANET": "https://www.orpha.net/en/disease/detail/{id}",
    "GO": "https://amigo.geneontology.org/amigo/term/GO:{id}",
    "CHEBI": "https://www.ebi.ac.uk/chebi/searchId.do?chebiId=CHEBI:{id}",
    "ECO": "https://www.ebi.ac.uk/ols4/ontologies/eco/classes?obo_id=ECO:{id}",
    "SO": "https://www.ebi.ac.uk/ols4/ontologies/so/classes?obo_id=SO:{id}",
    "CL": "https://www.ebi.ac.uk/ols4/ontologies/cl/classes?obo_id=CL:{id}",
    "NCBIBOOK": "https://www.ncbi.nlm.nih.gov/books/{id}/",
    "PMC": "https://www.ncbi.nlm.nih.gov/pmc/articles/{id}/",
}

#: The groups of facts on an entity page, in order, and the properties in each (local names of ekg:
#: unless an IRI). Properties not listed go to "other facts".
GROUPS: list[tuple[str, tuple[str, ...]]] = [
    (
        "Identity",
        (
            _TYPE,
            "symbol",
            _LABEL,
            "approvedName",
            SKOS + "prefLabel",
            "abbreviation",
            SKOS + "altLabel",
            "otherNameOnPage",
            DCTERMS + "identifier",
            SKOS + "exactMatch",
            SKOS + "closeMatch",
            OBOINOWL + "hasDbXref",
            "chromosome",
            "chromosomeLocation",
            DCTERMS + "description",
            SKOS + "definition",
            "listedIn",
        ),
    ),
    (
        "Protein and function",
        ("hasGeneProduct", "geneProductOf", "transportsIon", "enables", "activeIn", "involvesProcess"),
    ),
    (
        "Mechanism",
        (
            "hasMechanismClass",
            "hasMechanism",
            "explains",
            "firstStep",
            "hasStep",
            "order",
            "refersTo",
            "direction",
            "leadsTo",
            "affectsProcess",
            "variantType",
        ),
    ),
    ("Inheritance", ("hasModeOfInheritance",)),
    (
        "Disease links",
        (
            "causes",
            "causeRank",
            "associatedWith",
            "geneSpecificFormOf",
            "memberOfGroup",
            "associatedWithGroup",
        ),
    ),
    (
        "Clinical course and figures",
        ("hasOnset", "hasPrevalence", "hasGeneticCauseShare", "hasCourseStage", "severity", "prognosis"),
    ),
    ("Phenotypes", ("hasPhenotype",)),
    (
        "Publications",
        (
            "about",
            DCTERMS + "title",
            "journal",
            "year",
            "http://purl.org/ontology/bibo/doi",
            "http://purl.org/ontology/bibo/pmid",
            "pmcid",
            "hasAuthorship",
        ),
    ),
]
_GROUP_OF = {(p if p.startswith("http") else EKG_IRI + p): name for name, props in GROUPS for p in props}
_ORDER_OF = {
    (p if p.startswith("http") else EKG_IRI + p): i for _, props in GROUPS for i, p in enumerate(props)
}
_NAME_PROPERTIES = (
    EKG_IRI + "symbol",
    _LABEL,
    SKOS + "prefLabel",
    SKOS + "altLabel",
    EKG_IRI + "abbreviation",
    EKG_IRI + "otherNameOnPage",
    EKG_IRI + "approvedName",
    DCTERMS + "identifier",
    OBOINOWL + "hasDbXref",
    "http://purl.org/ontology/bibo/doi",
    EKG_IRI + "pmcid",
    EKG_IRI + "authorName",
)
#: Kinds of node that describe documents about entities: a search finds them only when nothing else matches.
_SECONDARY_TYPES = {
    EKG_IRI + n
    for n in ("ExternalResource", "PageSection", "RelatedTopic", "SourceDocument", "ExternalDatabase")
}
#: Kinds of node that are not entities a reader looks up.
_HIDDEN_TYPES = {EKG_IRI + "Statement", EKG_IRI + "Authorship"}


#: How the pages name properties of W3C vocabularies (the project's own carry labels in the ontology).
PROPERTY_NAMES = {
    _TYPE: "kind",
    _LABEL: "label",
    SKOS + "prefLabel": "preferred name",
    SKOS + "altLabel": "synonym",
    SKOS + "exactMatch": "same as",
    SKOS + "closeMatch": "close to",
    SKOS + "definition": "definition",
    DCTERMS + "identifier": "identifier",
    DCTERMS + "description": "description",
    DCTERMS + "title": "title",
    DCTERMS + "source": "source",
    OBOINOWL + "hasDbXref": "cross-reference",
    "http://purl.org/ontology/bibo/doi": "DOI",
    "http://purl.org/ontology/bibo/pmid": "PubMed id",
    "http://purl.org/ontology/bibo/volume": "volume",
    "http://purl.org/ontology/bibo/issue": "issue",
    "http://purl.org/ontology/bibo/pages": "pages",
    "http://xmlns.com/foaf/0.1/page": "web page",
    RDFS_IRI + "subClassOf": "subclass of",
    RDFS_IRI + "subPropertyOf": "subproperty of",
    RDFS_IRI + "domain": "domain",
    RDFS_IRI + "range": "range",
}


def external_link(curie: str) -> str | None:
    """The authoritative page of an identifier (``NCBIGene:57582`` -> NCBI Gene), if known."""
    prefix, _, local = curie.partition(":")
    pattern = EXTERNAL.get(prefix)
    return pattern.format(id=local) if pattern and local else None


@dataclass
class Value:
    """A node or literal as a page shows it: its name, its CURIE, where it links."""

    text: str
    curie: str = ""
    href: str = ""  # the entity page in this server
    external: str = ""  # the identifier's own page elsewhere
    literal: bool = False


@dataclass
class Evidence:
    """What one statement node says about a fact."""

    source: Value | None
    evidence: list[Value]
    papers: list[Value]
    qualifiers: list[tuple[str, Value]]


@dataclass
class Fact:
    """One fact ``subject - predicate - object`` with the evidence behind it."""

    subject: Value
    predicate: Value
    object: Value
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Group:
    name: str
    facts: list[Fact]


#: The node kinds of the gene-mechanism picture, from the kinds the gene-mechanism query gives.
_NODE_KINDS = {"mechanism class": "class", "mechanism not established": "unknown", "causal chain": "chain"}


@dataclass
class Disagreement:
    """A record of sources that disagree about this entity: its topic and each side's claim."""

    topic: str
    claims: list[tuple[str, Value]]  # (what the source says, the source)


class GraphView:
    """The graph indexed for the pages: names, statements, search, networks."""

    def __init__(self, engine: QueryEngine) -> None:
        self.engine = engine
        self.prefixes = dict(engine.prefixes)
        triples = list(engine.triples(None, None, None))
        self.out: dict[str, list[ox.Triple]] = defaultdict(list)
        self.incoming: dict[str, list[ox.Triple]] = defaultdict(list)
        names: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        types: dict[str, set[str]] = defaultdict(set)
        for t in triples:
            if not isinstance(t.subject, ox.NamedNode):
                continue
            s = _iri(t.subject)
            self.out[s].append(t)
            if isinstance(t.object, ox.NamedNode):
                self.incoming[t.object.value].append(t)
                if t.predicate.value == _TYPE:
                    types[s].add(t.object.value)
            elif isinstance(t.object, ox.Literal) and t.predicate.value in _NAME_PROPERTIES:
                names[s][t.predicate.value].append(t.object.value)
        self.types = types
        self.names = names
        self.statements = self._statements()
        self.entities = {
            s for s in self.out if not (types[s] & _HIDDEN_TYPES) and s not in self._statement_nodes
        }
        self.search_index = self._search_index()

    # --- names -------------------------------------------------------------------------------
    def curie(self, iri: str) -> str:
        return contract(iri, self.prefixes)

    def name(self, iri: str) -> str:
        """The name a reader knows a node by: symbol, label, preferred label, else its CURIE."""
        if iri in PROPERTY_NAMES:
            return PROPERTY_NAMES[iri]
        found = self.names.get(iri, {})
        for prop in (EKG_IRI + "symbol", _LABEL, SKOS + "prefLabel", EKG_IRI + "authorName"):
            if found.get(prop):
                return sorted(found[prop])[0]
        return self.curie(iri)

    def value(self, term: Any) -> Value:
        if isinstance(term, ox.NamedNode):
            curie = self.curie(term.value)
            href = f"/entity/{curie}" if term.value in self.out or term.value in self.incoming else ""
            return Value(self.name(term.value), curie, href, external_link(curie) or "")
        if isinstance(term, ox.Literal):
            return Value(term.value, literal=True)
        return Value(str(term), literal=True)

    # --- statements --------------------------------------------------------------------------
    def _statements(self) -> dict[tuple[str, str, str], list[Evidence]]:
        self._statement_nodes: set[str] = set()
        parts: dict[str, dict[str, Any]] = defaultdict(dict)
        for node, triples in self.out.items():
            for t in triples:
                if t.predicate.value in _STATEMENT_PARTS:
                    parts[node][t.predicate.value] = t.object
        index: dict[tuple[str, str, str], list[Evidence]] = defaultdict(list)
        for node, spo in parts.items():
            if len(spo) != 3:
                continue
            self._statement_nodes.add(node)
            key = (
                str(spo[RDF_IRI + "subject"]),
                str(spo[RDF_IRI + "predicate"]),
                str(spo[RDF_IRI + "object"]),
            )
            source, evidence, papers, qualifiers = None, [], [], []
            for t in self.out[node]:
                p = t.predicate.value
                if p in _STATEMENT_PARTS or p == _TYPE:
                    continue
                if p == EKG_IRI + "source":
                    source = self.value(t.object)
                elif p == EKG_IRI + "evidence":
                    evidence.append(self.value(t.object))
                elif p == EKG_IRI + "publication":
                    papers.append(self.value(t.object))
                else:
                    qualifiers.append((self.name(p), self.value(t.object)))
            index[key].append(
                Evidence(
                    source,
                    sorted(evidence, key=lambda v: v.curie),
                    sorted(papers, key=lambda v: v.curie),
                    sorted(qualifiers, key=lambda q: (q[0], q[1].text)),
                )
            )
        return index

    def fact(self, t: ox.Triple) -> Fact:
        key = (str(t.subject), str(t.predicate), str(t.object))
        return Fact(
            self.value(t.subject), self.value(t.predicate), self.value(t.object), self.statements.get(key, [])
        )

    def groups(self, iri: str) -> list[Group]:
        """The entity's own facts, grouped as the page shows them."""
        by_group: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for t in self.out.get(iri, []):
            p = t.predicate.value
            if p in _STATEMENT_PARTS:
                continue
            group = _GROUP_OF.get(p, "Other facts")
            fact = self.fact(t)
            within = (
                f"{self.order(t.object):06d}" if p == EKG_IRI + "hasAuthorship" else fact.object.text.lower()
            )
            by_group[group].append((_ORDER_OF.get(p, 99), fact.predicate.text, within, fact))
        order = [name for name, _ in GROUPS] + ["Other facts"]
        return [
            Group(name, [row[-1] for row in sorted(by_group[name], key=lambda r: r[:3])])
            for name in order
            if by_group.get(name)
        ]

    def order(self, term: Any) -> int:
        """The ``ekg:order`` of a node (an author's place, a step's), 0 if it has none."""
        for t in self.out.get(_iri(term), []):
            if (
                t.predicate.value == EKG_IRI + "order"
                and isinstance(t.object, ox.Literal)
                and t.object.value.isdigit()
            ):
                return int(t.object.value)
        return 0

    def incoming_facts(self, iri: str) -> list[Fact]:
        """Facts about other entities that point here (never statement nodes)."""
        facts = [
            self.fact(t)
            for t in self.incoming.get(iri, [])
            if _iri(t.subject) in self.entities and t.predicate.value != _TYPE
        ]
        return sorted(facts, key=lambda f: (f.predicate.text, f.subject.text.lower()))

    def disagreements(self, iri: str) -> list[Disagreement]:
        """Where the sources the graph cites disagree about this entity (ekg:SourceDisagreement)."""
        found = []
        for t in self.incoming.get(iri, []):
            record = _iri(t.subject)
            if (
                t.predicate.value != EKG_IRI + "about"
                or EKG_IRI + "SourceDisagreement" not in self.types[record]
            ):
                continue
            claims = []
            for claim in self._objects(record, "hasClaim"):
                text = next(iter(self._objects(claim, "claimText")), "")
                for source in self._objects(claim, "claimSource"):
                    claims.append((text, self.value(ox.NamedNode(source))))
            topic = next(iter(self._objects(record, "topic")), "")
            found.append(Disagreement(topic, sorted(claims, key=lambda c: c[0])))
        return sorted(found, key=lambda d: d.topic)

    def _objects(self, subject: str, local_name: str) -> list[str]:
        """The values (IRIs or literal text) of one ekg: property of ``subject``."""
        return [
            t.object.value
            for t in self.out.get(subject, [])
            if t.predicate.value == EKG_IRI + local_name and isinstance(t.object, ox.NamedNode | ox.Literal)
        ]

    def instances(self, iri: str) -> list[Value]:
        """Entities of a class (for a class's page)."""
        found = [
            self.value(t.subject)
            for t in self.incoming.get(iri, [])
            if t.predicate.value == _TYPE and _iri(t.subject) in self.entities
        ]
        return sorted(found, key=lambda v: v.text.lower())

    # --- search ------------------------------------------------------------------------------
    def _search_index(self) -> dict[str, set[str]]:
        index: dict[str, set[str]] = defaultdict(set)
        for iri in self.entities:
            keys: set[str] = set()
            for values in self.names.get(iri, {}).values():
                keys.update(values)
            curie = self.curie(iri)
            if ":" in curie and not curie.startswith(
                "ekgid:"
            ):  # the project's own ids mean nothing to a reader
                keys.update((curie, curie.split(":", 1)[1]))  # OMIM:614959; Q5JUK3, 57582
            for t in self.out[iri]:
                if t.predicate.value in (SKOS + "exactMatch",) and isinstance(t.object, ox.NamedNode):
                    keys.add(self.curie(t.object.value))
            for key in keys:
                index[_norm(key)].add(iri)
        return index

    def search(self, text: str) -> list[str]:
        """Entities named exactly ``text`` (any case; symbol, label, synonym, identifier), else
        the entities one of whose names contains it; best first."""
        wanted = _norm(text)
        if not wanted:
            return []
        exact = self.search_index.get(wanted, set())
        primary = {iri for iri in exact if not self.types.get(iri, set()) & _SECONDARY_TYPES}
        if primary:
            return self._ranked(primary)  # OMIM:614959 is the disease, not the OMIM page about it
        if exact:
            return self._ranked(exact)
        partial = {iri for key, iris in self.search_index.items() if wanted in key for iri in iris}
        return self._ranked(partial)

    def _ranked(self, iris: set[str]) -> list[str]:
        def rank(iri: str) -> tuple[int, str]:
            kinds = self.types.get(iri, set())
            if kinds & {EKG_IRI + "Gene", EKG_IRI + "Disease"}:
                first = 0
            elif any(t.predicate.value == EKG_IRI + "geneProductOf" for t in self.out.get(iri, [])):
                first = 1  # a protein
            else:
                first = 3 if kinds & _SECONDARY_TYPES else 2
            return (first, self.name(iri).lower())

        return sorted(iris, key=rank)

    # --- pictures ----------------------------------------------------------------------------
    def neighbourhood(self, iri: str, limit: int = 60) -> dict[str, Any]:
        """Cytoscape elements: the entity and the entities one fact away (not classes nor authors)."""
        nodes = {iri: self._node(iri, "focus")}
        edges = []
        for t in sorted(self.out.get(iri, []), key=lambda t: (t.predicate.value, str(t.object))):
            o = t.object
            if (
                isinstance(o, ox.NamedNode)
                and o.value in self.entities
                and t.predicate.value != _TYPE
                and (len(nodes) < limit or o.value in nodes)
            ):
                nodes.setdefault(o.value, self._node(o.value, "out"))
                edges.append(self._edge(iri, t.predicate.value, o.value))
        for t in sorted(self.incoming.get(iri, []), key=lambda t: (t.predicate.value, str(t.subject))):
            s = _iri(t.subject)
            if s in self.entities and t.predicate.value != _TYPE and (len(nodes) < limit or s in nodes):
                nodes.setdefault(s, self._node(s, "in"))
                edges.append(self._edge(s, t.predicate.value, iri))
        unique = list({e["data"]["id"]: e for e in edges}.values())
        return {"nodes": list(nodes.values()), "edges": unique}

    def _node(self, iri: str, role: str) -> dict[str, Any]:
        kinds = sorted(self.name(k) for k in self.types.get(iri, set()))
        curie = self.curie(iri)
        return {
            "data": {
                "id": iri,
                "label": self.name(iri),
                "curie": curie,
                "kind": kinds[0] if kinds else "",
                "href": f"/entity/{curie}",
                "role": role,
            }
        }

    def _edge(self, s: str, p: str, o: str) -> dict[str, Any]:
        return {"data": {"id": f"{s} {p} {o}", "source": s, "target": o, "label": self.name(p)}}

    def gene_mechanism(self) -> dict[str, Any]:
        """The gene-mechanism network with fixed positions: genes by list on the left, mechanism
        classes in the middle, causal chains on the right; causal genes marked."""
        answer = self.engine.answer(internal_query("gene-mechanism"))
        causal = {_iri(t.subject) for t in self._with_predicate(EKG_IRI + "causes")}
        genes: dict[str, tuple[str, str]] = {}
        mechanisms: dict[str, tuple[str, str]] = {}
        edges = []
        for row in answer.dicts():
            gene, mech = row["gene"] or "", row["mechanism"] or ""
            genes[gene] = (row["list"] or "", row["symbol"] or "")
            mechanisms[mech] = (row["kind"] or "", row["label"] or "")
            edges.append({"data": {"id": f"{gene} {mech}", "source": gene, "target": mech}})
        nodes = []
        ordered = sorted(genes.items(), key=lambda g: (g[1][0], g[1][1]))
        lists = sorted({g[1][0] for g in ordered})
        for i, (iri, (listed, symbol)) in enumerate(ordered):
            nodes.append(
                {
                    "data": {
                        "id": iri,
                        "label": symbol,
                        "href": f"/entity/{self.curie(iri)}",
                        "kind": "gene",
                        "list": listed,
                        "listIndex": lists.index(listed),
                        "causal": iri in causal,
                    },
                    "position": {"x": 0, "y": i * 34},
                }
            )
        index = {iri: i for i, (iri, _) in enumerate(ordered)}
        linked: dict[str, list[int]] = defaultdict(list)
        for edge in edges:
            linked[edge["data"]["target"]].append(index[edge["data"]["source"]])

        def place(m: tuple[str, tuple[str, str]]) -> tuple[bool, float, str]:
            # the mean row of a mechanism's genes: fewer crossing lines, and still deterministic
            rows = linked[m[0]]
            return (m[1][0] == "causal chain", sum(rows) / len(rows), m[1][1].lower())

        by_kind = sorted(mechanisms.items(), key=place)
        span = max(len(ordered) - 1, 1) * 34
        # "mechanism not established" stands with the classes, drawn apart: it is no causal chain
        classes = [m for m in by_kind if m[1][0] != "causal chain"]
        chains = [m for m in by_kind if m[1][0] == "causal chain"]
        for column, members in ((420, classes), (760, chains)):
            step = span / max(len(members) - 1, 1) if len(members) > 1 else 0
            for i, (iri, (kind, label)) in enumerate(members):
                nodes.append(
                    {
                        "data": {
                            "id": iri,
                            "label": label,
                            "href": f"/entity/{self.curie(iri)}",
                            "kind": _NODE_KINDS[kind],
                        },
                        "position": {"x": column, "y": (i * step) if len(members) > 1 else span / 2},
                    }
                )
        return {"nodes": nodes, "edges": edges, "lists": lists}

    def _with_predicate(self, predicate: str) -> list[ox.Triple]:
        return [t for triples in self.out.values() for t in triples if t.predicate.value == predicate]


def _iri(term: Any) -> str:
    return term.value if isinstance(term, ox.NamedNode) else ""


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip()).casefold()
