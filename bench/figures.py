"""Figures a reader can trust: every time as a ratio to a reference measured beside it.

A bench script times what it measures and its reference in the same run, round by round
(cold commands beside a bare ``python -c "import rdflib"``, loads beside Oxigraph's own
loader, query engines beside rdflib), so that a busy machine slows both alike. Each
:class:`Figure` keeps every round; it is printed, and written to ``bench/results/NAME.json``
(not in git), as the median ratio and its range over the rounds. ``bench/readme_table.py``
turns those files into the figures table of README.md; a new bench script adds its rows by
writing its own file with :func:`write_results`.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def wall(command: list[str], exit_code: int = 0) -> float:
    """Seconds a fresh process of ``command`` takes; it must end with ``exit_code``."""
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True)
    seconds = time.perf_counter() - start
    if done.returncode != exit_code:
        sys.exit(f"{' '.join(command)}: exit {done.returncode}, expected {exit_code}\n{done.stderr.decode()}")
    return seconds


@dataclass
class Figure:
    """One measure beside its reference: the seconds of each round, for both."""

    measure: str  # what was timed, as the README shows it (Markdown)
    reference: str  # what it is divided by, measured in the same rounds
    seconds: list[float] = field(default_factory=list)
    reference_seconds: list[float] = field(default_factory=list)
    target: float | None = None  # the largest ratio the issue allows, if it sets one
    note: str = ""

    def add(self, seconds: float, reference_seconds: float) -> None:
        self.seconds.append(seconds)
        self.reference_seconds.append(reference_seconds)

    @property
    def ratios(self) -> list[float]:
        return [s / r for s, r in zip(self.seconds, self.reference_seconds, strict=True)]

    @property
    def met(self) -> bool | None:
        return None if self.target is None else statistics.median(self.ratios) <= self.target

    def ratio(self) -> str:
        """The median ratio and its range over the rounds: ``0.45x [0.40-0.52]`` (or ``0.012x``)."""
        ratios = self.ratios
        digits = 2 if min(ratios) >= 0.1 else 3
        return f"{statistics.median(ratios):.{digits}f}x [{min(ratios):.{digits}f}-{max(ratios):.{digits}f}]"

    def median_ms(self, seconds: list[float]) -> str:
        return f"{statistics.median(seconds) * 1000:,.1f} ms"

    def verdict(self) -> str:
        if self.target is None:
            return "-"
        return f"<= {self.target:g}x: " + ("met" if self.met else "**not met**")

    def line(self) -> str:
        """One printed line: median ratio, range, the times behind them and the target."""
        return (
            f"  {self.measure:<58} {self.ratio():<22} {self.median_ms(self.seconds):>10}"
            f"  (reference {self.median_ms(self.reference_seconds)})  {self.verdict()}"
        )

    @classmethod
    def of_record(cls, record: dict) -> Figure:
        """A figure from its entry in a results file."""
        return cls(**{name: record[name] for name in cls.__dataclass_fields__})


def write_results(name: str, title: str, figures: list[Figure]) -> Path:
    """Write ``bench/results/NAME.json``: the figures, when and where they were measured.

    ``title`` heads the README's table of them (Markdown).
    """
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    record = {
        "title": title,
        "measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}",
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "figures": [{**asdict(f), "ratios": f.ratios} for f in figures],
    }
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path
