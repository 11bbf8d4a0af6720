"""Export the built graph in the formats other tools read.

- ``turtle`` and ``nt``: canonical (sorted) and byte-for-byte reproducible;
- ``jsonld``: compact JSON-LD against the published context ``ontology/context.jsonld``;
- ``kgx``: KGX TSV (``nodes.tsv``, ``edges.tsv``) with Biolink categories and predicates,
  read from the ontology's mappings, one edge per statement with its provenance;
- ``graphml``: the three NetworkX projections of :mod:`eimfs_kg.analysis`;
- ``sssom``: the identifier mappings as an SSSOM TSV (:mod:`eimfs_kg.sssom_export`).

Every file is written atomically: each file of an output is whole, the old one or the new one.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from rdflib import RDF, RDFS, SKOS, Graph, URIRef
from rdflib.namespace import DCTERMS

from ..analysis.network import graphml_bytes, projections
from ..errors import InputError
from ..identifiers import contract, prefix_map
from ..query.oxigraph import Engine
from ..rdf.atomic import atomic_write_bytes
from ..rdf.bridge import load_rdf, oxigraph_copy, serialize, sorted_ntriples
from ..resources import ontology_file
from ..vocab import BIOLINK, EKG, PROV_IRI
from ..vocab.nodes import VOCABULARY_PREFIXES

__all__ = ["EXPORT_FORMATS", "context_file_text", "export", "jsonld_context"]

EXPORT_FORMATS = ("turtle", "nt", "jsonld", "kgx", "graphml", "sssom")
_STATEMENTS = {EKG.Statement, EKG.CausalStatement, EKG.CorrelativeStatement}
_ASSOCIATIONS = {
    EKG.CausalStatement: "biolink:CausalGeneToDiseaseAssociation",
    EKG.CorrelativeStatement: "biolink:CorrelatedGeneToDiseaseAssociation",
}
#: Biolink classes a node may be exported as (NamedThing descendants the ontology maps to).
_CATEGORIES = {
    "Disease",
    "Gene",
    "Protein",
    "PhenotypicFeature",
    "GeneticInheritance",
    "MolecularActivity",
    "BiologicalProcess",
    "BiologicalProcessOrActivity",
    "SmallMolecule",
    "Cell",
    "JournalArticle",
    "BookChapter",
    "Publication",
}
#: Biolink slots that are predicates (the ontology also maps properties to node slots).
_PREDICATES = {
    "causes",
    "gene_associated_with_condition",
    "has_gene_product",
    "affects",
    "enables",
    "participates_in",
    "related_to",
    "contributes_to",
    "has_part",
    "has_phenotype",
    "has_mode_of_inheritance",
    "subclass_of",
    "associated_with",
    "disrupts",
    "mentions",
    "expressed_in",
}
_VARIANT_FORMS = {"http://purl.obolibrary.org/obo/SO_0002053": "gain_of_function_variant_form"}
_NODE_COLUMNS = ("id", "category", "name", "description", "xref", "provided_by", "synonym")
_EDGE_COLUMNS = (
    "id",
    "subject",
    "predicate",
    "object",
    "category",
    "knowledge_level",
    "agent_type",
    "primary_knowledge_source",
    "publications",
    "subject_form_or_variant_qualifier",
    "source_section",
)
_INFORES = "infores:eimfs-kg"
#: KGX accepts a CURIE only without "/" in its local part (so not DOIs), and only with a
#: prefix of the Biolink context (so not NCBIBOOK nor the project's own ekgid): such nodes
#: stay out of the KGX files. A gene's mechanism class is exported as the GO process it is
#: tied to.
_KGX_CURIE = re.compile(r"^(?!NCBIBOOK:|ekgid:|ekg:)[^ <()>:]*:[^/ :]+$")


def jsonld_context() -> dict:
    """The JSON-LD context: every prefix of the graph, so compact IRIs are the CURIEs."""
    standard = {
        **VOCABULARY_PREFIXES,
        "prov": PROV_IRI,
        "fabio": "http://purl.org/spar/fabio/",
    }
    context: dict[str, object] = {}
    for prefix, namespace in sorted({**standard, **prefix_map()}.items()):
        # JSON-LD 1.1 compacts to a prefix not ending in / or # only when it is declared a prefix
        context[prefix] = namespace if namespace[-1] in "/#" else {"@id": namespace, "@prefix": True}
    return {"@context": context}


def _ntriples(graph: Graph) -> bytes:
    return sorted_ntriples(oxigraph_copy(graph))


_WHITESPACE = re.compile(r"\s")


def _refuse_iris_jsonld_would_change(graph: Graph) -> None:
    """Refuse IRIs that PyLD's compaction would silently change or drop (found by fuzzing):
    a local part starting with ``//`` (compacted to ``prefix://...``, read back as another
    IRI) and Unicode whitespace, which PyLD takes for an invalid IRI."""
    namespaces = [ns if isinstance(ns, str) else ns["@id"] for ns in jsonld_context()["@context"].values()]
    for triple in graph:
        for term in (*triple, getattr(triple[2], "datatype", None)):
            if not isinstance(term, URIRef):
                continue
            if _WHITESPACE.search(term) or (
                "//" in term[8:] and any(term.startswith(ns + "//") for ns in namespaces)
            ):
                raise InputError(f"<{term}> cannot be written as JSON-LD without changing it; export Turtle")


def _jsonld(graph: Graph) -> bytes:
    """Expand with rdflib, compact with PyLD (which, unlike rdflib, honours ``"@prefix": true``)."""
    from pyld import jsonld  # lazy: only the jsonld format needs PyLD

    _refuse_iris_jsonld_would_change(graph)
    expanded = json.loads(graph.serialize(format="json-ld"))
    try:
        compact = jsonld.compact(expanded, jsonld_context())
    except jsonld.JsonLdError as exc:  # e.g. rdf:type with a literal, an IRI PyLD cannot read
        raise InputError(f"this graph cannot be written as JSON-LD: {exc}") from None
    return (json.dumps(_sorted_arrays(compact), indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()


def _sorted_arrays(value: object) -> object:
    """JSON-LD arrays in a fixed order (they are unordered sets, except under ``@list``), so the
    file's bytes depend only on the graph, not on rdflib's set order."""
    if isinstance(value, dict):
        return {
            k: [_sorted_arrays(x) for x in v] if k == "@list" and isinstance(v, list) else _sorted_arrays(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        items = [_sorted_arrays(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


class _Biolink:
    """Biolink categories and predicates read from the ontology's skos mappings."""

    def __init__(self) -> None:
        self.ontology = Graph().parse(ontology_file("eimfs.ttl"))

    def _mapped(self, term: URIRef, allowed: set[str], parent: URIRef) -> str | None:
        for current in self.ontology.transitive_objects(term, parent):
            for match in (SKOS.exactMatch, SKOS.closeMatch):
                for target in self.ontology.objects(current, match):
                    name = str(target).removeprefix(str(BIOLINK))
                    if str(target).startswith(str(BIOLINK)) and name in allowed:
                        return f"biolink:{name}"
        return None

    def category(self, cls: URIRef) -> str | None:
        return self._mapped(cls, _CATEGORIES, RDFS.subClassOf)

    def predicate(self, prop: URIRef) -> str | None:
        return self._mapped(prop, _PREDICATES, RDFS.subPropertyOf)


def _tsv(columns: tuple[str, ...], rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer,
        fieldnames=columns,
        delimiter="\t",
        lineterminator="\n",
        quoting=csv.QUOTE_NONE,
        escapechar="\\",
    )
    writer.writeheader()
    for row in rows:
        writer.writerow({k: " ".join(str(v).split()) for k, v in row.items()})
    return buffer.getvalue().encode()


def _kgx(graph: Graph) -> dict[str, bytes]:
    biolink = _Biolink()
    nodes: dict[URIRef, dict[str, str]] = {}
    for node, cls in graph.subject_objects(RDF.type):
        if not isinstance(node, URIRef) or not isinstance(cls, URIRef) or cls in _STATEMENTS:
            continue
        category = biolink.category(cls)
        if category is None or not _KGX_CURIE.match(contract(str(node))):
            continue
        row = nodes.setdefault(
            node,
            {
                "id": contract(str(node)),
                "category": category,
                "name": str(graph.value(node, RDFS.label) or ""),
                "description": str(graph.value(node, DCTERMS.description) or ""),
                "provided_by": _INFORES,
            },
        )
        row["xref"] = "|".join(sorted(contract(str(x)) for x in graph.objects(node, SKOS.exactMatch)))
        row["synonym"] = "|".join(sorted(str(x) for x in graph.objects(node, SKOS.altLabel)))
    edges = []
    for statement, kind in graph.subject_objects(RDF.type):
        if kind not in _STATEMENTS:
            continue
        s, p, o = (graph.value(statement, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        predicate = biolink.predicate(p) if isinstance(p, URIRef) else None
        o = graph.value(o, EKG.involvesProcess) or o  # mechanism class -> its GO process
        if predicate is None or s not in nodes or o not in nodes:
            continue
        assert isinstance(s, URIRef) and isinstance(o, URIRef)  # the keys of nodes
        evidence = {str(e) for e in graph.objects(statement, EKG.evidence)}
        variant = graph.value(statement, EKG.variantType)
        edges.append(
            {
                "id": contract(str(statement)),
                "subject": nodes[s]["id"],
                "predicate": predicate,
                "object": nodes[o]["id"],
                "category": _ASSOCIATIONS.get(kind, "biolink:Association"),
                "knowledge_level": "logical_entailment"
                if evidence == {"http://purl.obolibrary.org/obo/ECO_0000305"}
                else "knowledge_assertion",
                "agent_type": "manual_agent",
                "primary_knowledge_source": _INFORES,
                "publications": "|".join(
                    sorted(contract(str(x)) for x in graph.objects(statement, EKG.publication))
                ),
                "subject_form_or_variant_qualifier": _VARIANT_FORMS.get(str(variant), "") if variant else "",
                "source_section": "|".join(
                    sorted(str(graph.value(src, RDFS.label)) for src in graph.objects(statement, EKG.source))
                ),
            }
        )
    edges.sort(key=lambda e: (e["subject"], e["predicate"], e["object"], e["id"]))
    return {
        "nodes.tsv": _tsv(_NODE_COLUMNS, sorted(nodes.values(), key=lambda n: n["id"])),
        "edges.tsv": _tsv(_EDGE_COLUMNS, edges),
    }


def _graphml(graph_file: Path) -> dict[str, bytes]:
    proj = projections(Engine(graph_file))
    return {f"{name}.graphml": graphml_bytes(g) for name, g in proj.items()}


def export(fmt: str, out: Path, graph_file: Path) -> list[Path]:
    """Export the graph of ``graph_file`` as ``fmt`` to ``out`` (a file, or a folder for kgx/graphml)."""
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    out = Path(out)
    if fmt in ("kgx", "graphml"):
        if out.exists() and not out.is_dir():
            raise InputError(f"{out}: {fmt} writes several files; give a folder, not a file")
    elif out.is_dir():
        raise InputError(f"{out} is a folder; give the file to write")
    if fmt == "graphml":
        files = _graphml(graph_file)
    else:
        graph = load_rdf(graph_file)
        from .sssom import sssom_tsv  # lazy: the SSSOM writer is needed by one format only

        writers = {"turtle": serialize, "nt": _ntriples, "jsonld": _jsonld, "sssom": sssom_tsv}
        files = _kgx(graph) if fmt == "kgx" else {out.name: writers[fmt](graph)}
    target = out if fmt in ("kgx", "graphml") else out.parent
    written = []
    for name, payload in files.items():
        try:
            atomic_write_bytes(target / name, payload)
        except OSError as exc:
            raise InputError(
                f"{target / name}: cannot write ({exc.strerror}); choose another --out"
            ) from None
        written.append(target / name)
    return written


def context_file_text() -> str:
    """The text of ``ontology/context.jsonld`` (a test keeps the shipped file equal to it)."""
    return json.dumps(jsonld_context(), indent=2, sort_keys=True) + "\n"
