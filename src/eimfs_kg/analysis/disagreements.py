"""Read the graph's source-disagreement records, and check them against a fresh HPO comparison.

The records (``ekg:SourceDisagreement``, curated in ``data/disagreements.yaml``) are what the
library query ``disagreements`` lists. ``eimfs-kg compare`` prints the gene and phenotype
records after its own comparison and says whether they still agree with it: when a new HPO
release links more genes to Orphanet's entry, or annotates the migrating seizure, the
comparison changes and the stale record is named.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..identifiers import contract
from ..query.library import internal_query

__all__ = ["RecordedClaim", "agreement", "format_recorded", "recorded_claims"]

_HPO_SOURCE = "https://w3id.org/eimfs-kg/id/source.hpo"
_PAGE_SOURCES = ("https://w3id.org/eimfs-kg/id/source.medlineplus",)


@dataclass
class RecordedClaim:
    topic: str
    about: str
    text: str
    source: str
    source_label: str
    names: set[str] = field(default_factory=set)
    lacks: set[str] = field(default_factory=set)
    values: set[str] = field(default_factory=set)

    @property
    def from_page(self) -> bool:
        return self.source.startswith(_PAGE_SOURCES)

    @property
    def from_hpo(self) -> bool:
        return self.source == _HPO_SOURCE


def recorded_claims(engine) -> list[RecordedClaim]:  # engine: eimfs_kg.engine.Engine
    """Every claim of every disagreement record, with the genes (by symbol) and terms (CURIEs) it names."""

    claims: dict[str, RecordedClaim] = {}
    for row in engine.answer(internal_query("recorded-disagreements")).dicts():
        claim = claims.setdefault(
            row["claim"],
            RecordedClaim(row["topic"], row["about"], row["text"], row["source"], row["sourceLabel"]),
        )
        item = row["symbol"] or (contract(row["item"]) if row["role"] != "values" else row["item"])
        getattr(claim, row["role"]).add(item)
    return sorted(claims.values(), key=lambda c: (c.topic, c.text))


def agreement(claims: list[RecordedClaim], comparison) -> list[str]:  # comparison: hpo.Comparison
    """Where the gene and phenotype records no longer match the comparison (empty: they agree)."""
    problems = []
    genes = comparison.genes["ORPHA:293181"]
    by_side: dict[str, set[str]] = defaultdict(set)
    for claim in claims:
        if claim.topic == "genes" and claim.from_hpo:
            by_side["hpo"] |= claim.names
        elif claim.topic == "genes" and claim.from_page:
            by_side["page"] |= claim.names
    if by_side["hpo"] != set(genes["shared"]) | set(genes["annotations only"]):
        problems.append("genes: the record's HPO gene list differs from the annotations of ORPHA:293181")
    if by_side["page"] != set(genes["shared"]) | set(genes["page only"]):
        problems.append("genes: the record's page gene lists differ from the graph's genes")
    for claim in claims:
        if claim.topic != "phenotypes" or not claim.from_hpo:
            continue
        for term in sorted(claim.lacks):
            for disease, groups in comparison.phenotypes.items():
                annotated = {item.split(" ", 1)[0] for item in groups["shared"] + groups["annotations only"]}
                if term in annotated:
                    problems.append(f"phenotypes: {term} is now annotated to {disease}; update the record")
    return problems


def format_recorded(claims: list[RecordedClaim], problems: list[str], topics=("genes", "phenotypes")) -> str:
    """The recorded disagreements on ``topics`` and whether they agree with the comparison."""
    lines = ["", "Recorded source disagreements (query `disagreements`)"]
    for claim in claims:
        if claim.topic not in topics:
            continue
        named = ", ".join(sorted(claim.names)) or "-"
        lacks = f"; lacks {', '.join(sorted(claim.lacks))}" if claim.lacks else ""
        lines.append(f"  {claim.topic}: {claim.text} [{claim.source_label}] names: {named}{lacks}")
    if problems:
        lines += [f"  out of step: {problem}" for problem in problems]
    else:
        lines.append("  these records agree with the comparison above")
    return "\n".join(lines) + "\n"
