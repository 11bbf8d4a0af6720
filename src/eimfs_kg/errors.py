"""Errors that tell a curator or user exactly what to fix.

Every command imports this module, so it stays plain classes (a dataclass would import
``dataclasses`` and ``inspect``: milliseconds a cold query feels).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["CurationError", "EimfsError", "InputError", "ValidationFailed"]


class EimfsError(Exception):
    """Base class of the errors this package reports to users (exit code 2 on the CLI)."""


class CurationError(EimfsError):
    """A problem in a curated source file, located by file, line and record."""

    def __init__(self, file: Path | str, line: int | None, message: str, record: str | None = None) -> None:
        super().__init__(file, line, message, record)
        self.file, self.line, self.message, self.record = file, line, message, record

    def __str__(self) -> str:
        where = Path(self.file).name if self.file else "<input>"
        if self.line is not None:
            where += f":{self.line}"
        if self.record:
            where += f" ({self.record})"
        return f"{where}: {self.message}"


class InputError(EimfsError):
    """Unusable input given on the command line (missing file, malformed RDF, bad query)."""


class ValidationFailed(EimfsError):
    """The built graph does not conform to the shapes; nothing was written."""

    def __init__(self, report: Any) -> None:  # a graph.validate.ValidationReport (a higher stage)
        self.report = report
        super().__init__(f"the graph does not conform: {len(report.violations)} violation(s)")
