"""Counts of the property-based examples run, by property and outcome, for the terminal summary.

``tests/robustness/test_fuzz.py`` counts here; :func:`report` is printed by the
``pytest_terminal_summary`` hook of ``conftest.py`` at the end of a run that ran fuzz tests.
"""

from __future__ import annotations

from collections import Counter

#: Examples run per property.
RUNS: Counter[str] = Counter()
#: Examples per (property, outcome).
OUTCOMES: Counter[tuple[str, str]] = Counter()


def report() -> list[str]:
    """The lines of the summary: each property with its examples, then its outcomes."""
    if not RUNS:
        return []
    lines = ["hypothesis examples run, by outcome:"]
    for test, count in sorted(RUNS.items()):
        lines.append(f"  {count:5d}  {test}")
        for (name, outcome), n in sorted(OUTCOMES.items()):
            if name == test:
                lines.append(f"  {n:11d}  {outcome}")
    return lines
