"""Gene-mechanism network analysis with NetworkX, on projections built on purpose.

The raw triple graph is not analysed (literals would become nodes and classes hubs).
Three projections are read from the graph with SPARQL, each node named by its gene
symbol or term label (its CURIE kept as an attribute):

- ``gene-mechanism``: bipartite, genes and the mechanism classes / causal chains they act through;
- ``gene-gene``: genes linked when they share a mechanism class or a transported ion;
- ``disease-network``: the condition, its genes, their proteins, the ions they carry and the phenotypes.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import networkx as nx

from .atomic import atomic_write_bytes
from .engine import Engine
from .errors import InputError
from .identifiers import contract
from .sparql import NamedQuery
from .tables import text_table

__all__ = ["Analysis", "analyze", "format_report", "graphml_bytes", "projections", "write_outputs"]

SEED = 42
_PREFIXES = """PREFIX ekg: <https://w3id.org/eimfs-kg/vocab/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
_GENE_MECHANISM = """SELECT ?gene ?symbol ?list ?mechanism ?label ?kind WHERE {
  ?gene ekg:symbol ?symbol ; ekg:listedIn/rdfs:label ?list .
  { ?gene ekg:hasMechanismClass ?mechanism . OPTIONAL { ?mechanism ekg:established ?established }
    BIND(IF(COALESCE(?established, true), "mechanism class", "mechanism not established") AS ?kind) }
  UNION { ?gene ekg:hasMechanism ?mechanism . BIND("causal chain" AS ?kind) }
  ?mechanism rdfs:label ?label .
}"""
_GENE_ION = """SELECT ?symbol ?ion ?label WHERE {
  ?gene ekg:symbol ?symbol ; ekg:hasGeneProduct/ekg:transportsIon ?ion . ?ion rdfs:label ?label .
}"""
_DISEASE_NETWORK = """SELECT ?a ?aLabel ?aKind ?b ?bLabel ?bKind ?relation WHERE {
  {
    VALUES ?p { ekg:causes ekg:associatedWith }
    ?b ?p ?a ; ekg:symbol ?bLabel . ?a rdfs:label ?aLabel . ?p rdfs:label ?relation .
    BIND("disease" AS ?aKind) BIND("gene" AS ?bKind)
  } UNION {
    ?a ekg:symbol ?aLabel ; ekg:hasGeneProduct ?b . ?b rdfs:label ?bLabel .
    BIND("gene" AS ?aKind) BIND("protein" AS ?bKind) BIND("has gene product" AS ?relation)
  } UNION {
    ?a ekg:transportsIon ?b . ?a rdfs:label ?aLabel . ?b rdfs:label ?bLabel .
    BIND("protein" AS ?aKind) BIND("ion" AS ?bKind) BIND("transports ion" AS ?relation)
  } UNION {
    ?a ekg:hasPhenotype ?b ; rdfs:label ?aLabel . ?b rdfs:label ?bLabel .
    BIND("disease" AS ?aKind) BIND("phenotype" AS ?bKind) BIND("has phenotype" AS ?relation)
  }
}"""


def _rows(engine: Engine, name: str, text: str) -> list[dict[str, Any]]:
    answer = engine.answer(NamedQuery.from_text(name, _PREFIXES + text))
    return [dict(zip(answer.variables, row, strict=True)) for row in answer.rows]


@dataclass
class Projections:
    gene_mechanism: nx.Graph
    gene_gene: nx.Graph
    disease_network: nx.Graph

    def items(self) -> list[tuple[str, nx.Graph]]:
        return [
            ("gene-mechanism", self.gene_mechanism),
            ("gene-gene", self.gene_gene),
            ("disease-network", self.disease_network),
        ]


def projections(engine: Engine) -> Projections:
    """Build the three projections from the graph held by ``engine``."""
    prefixes = engine.prefixes
    bipartite = nx.Graph(name="gene-mechanism")
    mechanisms_of: dict[str, set[str]] = {}
    for row in _rows(engine, "gene-mechanism", _GENE_MECHANISM):
        symbol, label = row["symbol"].value, row["label"].value
        bipartite.add_node(
            symbol,
            kind="gene",
            curie=contract(row["gene"].value, prefixes),
            gene_list=row["list"].value,
            bipartite=0,
        )
        bipartite.add_node(
            label, kind=row["kind"].value, curie=contract(row["mechanism"].value, prefixes), bipartite=1
        )
        bipartite.add_edge(symbol, label)
        if row["kind"].value == "mechanism class":
            mechanisms_of.setdefault(symbol, set()).add(label)
    ions_of: dict[str, set[str]] = {}
    for row in _rows(engine, "gene-ion", _GENE_ION):
        ions_of.setdefault(row["symbol"].value, set()).add(row["label"].value)

    genes = nx.Graph(name="gene-gene")
    for symbol, data in bipartite.nodes(data=True):
        if data["kind"] == "gene":
            genes.add_node(symbol, kind="gene", curie=data["curie"], gene_list=data["gene_list"])
    symbols = sorted(genes)
    for i, a in enumerate(symbols):
        for b in symbols[i + 1 :]:
            shared_mechanisms = mechanisms_of.get(a, set()) & mechanisms_of.get(b, set())
            shared_ions = ions_of.get(a, set()) & ions_of.get(b, set())
            if shared_mechanisms or shared_ions:
                genes.add_edge(
                    a,
                    b,
                    weight=len(shared_mechanisms) + len(shared_ions),
                    shared_mechanisms="; ".join(sorted(shared_mechanisms)),
                    shared_ions="; ".join(sorted(shared_ions)),
                )

    network = nx.Graph(name="disease-network")
    for row in _rows(engine, "disease-network", _DISEASE_NETWORK):
        for end in ("a", "b"):
            network.add_node(
                row[f"{end}Label"].value,
                kind=row[f"{end}Kind"].value,
                curie=contract(row[end].value, prefixes),
            )
        a, b, relation = row["aLabel"].value, row["bLabel"].value, row["relation"].value
        if network.has_edge(a, b):  # a gene both associated with and causing a disease
            relation = "; ".join(sorted({*network.edges[a, b]["relation"].split("; "), relation}))
        network.add_edge(a, b, relation=relation)
    return Projections(bipartite, genes, network)


@dataclass
class Analysis:
    """Figures of the three projections, ready for tables and JSON."""

    summary: dict[str, dict[str, int]]
    centrality: dict[str, list[dict[str, Any]]]
    components: dict[str, list[list[str]]]
    communities: list[list[str]]
    mechanism_ranking: list[dict[str, Any]]
    path: dict[str, Any] | None

    def to_json(self) -> str:
        return json.dumps(self.__dict__, indent=2, sort_keys=True) + "\n"


def _resolve(graph: nx.Graph, name: str) -> str:
    by_key = {str(n).lower(): n for n in graph} | {
        str(d.get("curie", "")).lower(): n for n, d in graph.nodes(data=True)
    }
    if name.lower() in by_key:
        return by_key[name.lower()]
    close = difflib.get_close_matches(name, [str(n) for n in graph], n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise InputError(f"no node named {name!r} in the disease network{hint}")


def analyze(proj: Projections, source: str | None = None, target: str | None = None) -> Analysis:
    """Centralities, components, communities (fixed seed), mechanism ranking, shortest path."""
    summary, centrality, components = {}, {}, {}
    for name, graph in proj.items():
        summary[name] = {
            "nodes": graph.number_of_nodes(),
            "edges": graph.number_of_edges(),
            "components": nx.number_connected_components(graph),
        }
        degree = nx.degree_centrality(graph)
        betweenness = nx.betweenness_centrality(graph)
        centrality[name] = sorted(
            (
                {
                    "node": str(n),
                    "kind": graph.nodes[n]["kind"],
                    "degree": round(degree[n], 4),
                    "betweenness": round(betweenness[n], 4),
                }
                for n in graph
            ),
            key=lambda r: (-r["betweenness"], -r["degree"], r["node"]),
        )
        components[name] = sorted(
            (sorted(map(str, c)) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c)
        )
    communities = sorted(
        (sorted(c) for c in nx.community.louvain_communities(proj.gene_gene, weight="weight", seed=SEED)),
        key=lambda c: (-len(c), c),
    )
    ranking = sorted(
        (
            {
                "mechanism": str(n),
                "kind": d["kind"],
                "genes": proj.gene_mechanism.degree(n),
                "members": sorted(map(str, proj.gene_mechanism[n])),
            }
            for n, d in proj.gene_mechanism.nodes(data=True)
            if d["kind"] != "gene"
        ),
        key=lambda r: (-r["genes"], r["mechanism"]),
    )
    path = None
    if source or target:
        if not (source and target):
            raise InputError("--from and --to go together")
        graph = proj.disease_network
        a, b = _resolve(graph, source), _resolve(graph, target)
        try:
            nodes = nx.shortest_path(graph, a, b)
        except nx.NetworkXNoPath:
            path = {"from": a, "to": b, "length": None, "nodes": [], "relations": []}
        else:
            relations = [graph.edges[u, v]["relation"] for u, v in pairwise(nodes)]
            path = {"from": a, "to": b, "length": len(nodes) - 1, "nodes": nodes, "relations": relations}
    return Analysis(summary, centrality, components, communities, ranking, path)


def format_report(result: Analysis, top: int = 8) -> str:
    """The analysis as readable tables."""
    parts = [
        "Projections",
        text_table(
            ["projection", "nodes", "edges", "components"],
            [[n, s["nodes"], s["edges"], s["components"]] for n, s in result.summary.items()],
        ),
    ]
    parts += [
        "",
        "Mechanism classes and causal chains ranked by number of genes",
        text_table(
            ["mechanism", "kind", "genes", "members"],
            [
                [r["mechanism"], r["kind"], r["genes"], ", ".join(r["members"])]
                for r in result.mechanism_ranking
            ],
        ),
    ]
    for name, rows in result.centrality.items():
        parts += [
            "",
            f"Most central nodes of {name} (by betweenness, then degree)",
            text_table(
                ["node", "kind", "degree", "betweenness"],
                [[r["node"], r["kind"], f"{r['degree']:.3f}", f"{r['betweenness']:.3f}"] for r in rows[:top]],
            ),
        ]
    parts += ["", "Connected components"]
    for name, comps in result.components.items():
        sizes = ", ".join(str(len(c)) for c in comps)
        parts.append(f"  {name}: {len(comps)} (sizes {sizes})")
    parts += ["", f"Communities of the gene-gene graph (Louvain, seed {SEED})"]
    parts += [f"  {i}. {', '.join(c)}" for i, c in enumerate(result.communities, start=1)]
    if result.path:
        p = result.path
        parts += ["", f"Shortest path from {p['from']} to {p['to']}"]
        if p["length"] is None:
            parts.append("  no path")
        else:
            steps = [p["nodes"][0]]
            for relation, node in zip(p["relations"], p["nodes"][1:], strict=True):
                steps.append(f"-[{relation}]- {node}")
            parts.append(f"  {' '.join(steps)}  (length {p['length']})")
    return "\n".join(parts) + "\n"


def graphml_bytes(graph: nx.Graph) -> bytes:
    """A projection as GraphML (node ids are the labels), as Cytoscape and Gephi read it."""
    from io import BytesIO

    buffer = BytesIO()
    nx.write_graphml(graph, buffer, named_key_ids=True)
    return buffer.getvalue()


def write_outputs(proj: Projections, result: Analysis, out_dir: Path, pictures: bool = True) -> list[Path]:
    """Write JSON, one GraphML per projection and the pictures; every file atomically."""
    if pictures:
        from .plot import gene_mechanism_figure  # fails early, before anything is written

        figure = gene_mechanism_figure(proj.gene_mechanism)
    files: dict[str, bytes] = {"analysis.json": result.to_json().encode()}
    for name, graph in proj.items():
        files[f"{name}.graphml"] = graphml_bytes(graph)
    if pictures:
        files["gene-mechanism.png"] = figure("png")
        files["gene-mechanism.svg"] = figure("svg")
    written = []
    for name, data in files.items():
        atomic_write_bytes(out_dir / name, data)
        written.append(out_dir / name)
    return written
