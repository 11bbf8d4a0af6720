"""Draw the gene-mechanism network: genes on the left, mechanisms on the right.

Genes are ordered by the mechanism they act through so that most edges run
straight across; colours tell the gene lists and the kinds of mechanism apart.
Needs matplotlib (``pip install 'eimfs-kg[plot]'``).
"""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO

import networkx as nx

from ..errors import InputError

__all__ = ["gene_mechanism_figure"]

_COLOURS = {
    "MedlinePlus Genetics gene list for EIMFS": "#1f77b4",
    "Genes added from NCBI Gene on the MedlinePlus page": "#17becf",
    "mechanism class": "#ff7f0e",
    "causal chain": "#d62728",
    "mechanism not established": "#9e9e9e",
}
_LEGEND = {
    "MedlinePlus Genetics gene list for EIMFS": "gene (page's gene list)",
    "Genes added from NCBI Gene on the MedlinePlus page": "gene (NCBI Gene list)",
    "mechanism class": "mechanism class",
    "causal chain": "causal chain",
    "mechanism not established": "mechanism not established",
}


def gene_mechanism_figure(graph: nx.Graph) -> Callable[[str], bytes]:
    """Draw ``graph`` once; return a function that renders it as ``png`` or ``svg`` bytes."""
    try:  # lazy: matplotlib is optional (eimfs-kg[plot]) and slow to import
        import matplotlib  # lazy: as above

        matplotlib.use("Agg")
        matplotlib.rcParams["svg.hashsalt"] = "eimfs-kg"  # stable ids inside the SVG
        import matplotlib.pyplot as plt  # lazy: as above
        from matplotlib.patches import Patch  # lazy: as above
    except ImportError:
        raise InputError(
            "the pictures need matplotlib: pip install 'eimfs-kg[plot]' (or run analyze with --no-plot)"
        ) from None

    # Genes grouped by their main mechanism; each mechanism placed at the mean height of
    # its genes (barycentre) so that edges run nearly straight across.
    classes = sorted(
        (n for n, d in graph.nodes(data=True) if d["kind"] == "mechanism class"),
        key=lambda n: (-graph.degree(n), n),
    )
    rank = {m: i for i, m in enumerate(classes)}
    genes = sorted(
        (n for n, d in graph.nodes(data=True) if d["kind"] == "gene"),
        key=lambda g: (min(rank.get(m, len(rank)) for m in graph[g]), g),
    )
    row = {g: i for i, g in enumerate(genes)}
    mechanisms = sorted(
        (n for n, d in graph.nodes(data=True) if d["kind"] != "gene"),
        key=lambda m: (sum(row[g] for g in graph[m]) / graph.degree(m), m),
    )
    height = max(len(genes), len(mechanisms))
    pos = {g: (0.0, height - i * height / len(genes)) for i, g in enumerate(genes)}
    pos |= {m: (1.0, height - i * height / len(mechanisms)) for i, m in enumerate(mechanisms)}

    fig, ax = plt.subplots(figsize=(13, 0.42 * height + 1.5))
    colour = {n: _COLOURS[d.get("gene_list", d["kind"])] for n, d in graph.nodes(data=True)}
    nx.draw_networkx_edges(graph, pos, ax=ax, edge_color="#9a9a9a", width=1.0, alpha=0.8)
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_size=140, node_color=[colour[n] for n in graph])
    for gene in genes:
        ax.text(-0.03, pos[gene][1], gene, ha="right", va="center", fontsize=10, fontweight="bold")
    for mechanism in mechanisms:
        ax.text(1.03, pos[mechanism][1], mechanism, ha="left", va="center", fontsize=10)
    ax.legend(
        handles=[Patch(color=c, label=_LEGEND[k]) for k, c in _COLOURS.items()],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.01),
        ncol=4,
        frameon=False,
        fontsize=10,
    )
    ax.set_title("EIMFS genes and the mechanisms they act through", fontsize=14)
    ax.set_xlim(-0.45, 1.75)
    ax.axis("off")
    fig.tight_layout()

    def render(fmt: str) -> bytes:
        buffer = BytesIO()
        # fixed metadata so that two runs write identical files
        metadata = {"Software": None} if fmt == "png" else {"Date": None}
        fig.savefig(buffer, format=fmt, dpi=150, metadata=metadata)
        return buffer.getvalue()

    return render
