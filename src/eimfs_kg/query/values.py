"""Parameter values checked against the graph: a typo is an error naming the closest known values.

A library query's parameter (``gene``, ``ion``, ``mode``, ``name``, ``phenotype``) binds a value
that must be in the graph, or the query silently answers nothing. :class:`ParameterValues` reads
once, with the internal query ``parameter-values``, every value the graph knows for each of them
and the names it goes by. :meth:`ParameterValues.check` accepts a value that is known, maps a
case-insensitive match that is unambiguous to the known value (``kcnt1`` to ``KCNT1``, ``potassium(1+)``
to ``CHEBI:29103``) and refuses anything else with the closest known values.
"""

from __future__ import annotations

import pyoxigraph as ox

from ..errors import InputError
from ..identifiers import contract
from .contract import QueryEngine, parameter_term
from .library import NamedQuery, classify_value, internal_query

__all__ = ["ParameterValues"]


def _order(row: tuple[ox.Literal, ox.NamedNode | ox.Literal, ox.Literal | None]) -> tuple[str, str, str]:
    """Rows in the order of ``ORDER BY ?param ?value ?name`` (no name first), so choices are stable."""
    param, value, name = row
    return param.value, value.value, "" if name is None else name.value


class ParameterValues:
    """The known values of each checked parameter: value as a user writes it -> its names.

    A plain class rather than a dataclass: ``dataclasses`` costs a cold query milliseconds.
    """

    def __init__(
        self, known: dict[str, dict[str, set[str]]] | None = None, prefixes: dict[str, str] | None = None
    ) -> None:
        self.known = {} if known is None else known
        self.prefixes = {} if prefixes is None else prefixes

    @classmethod
    def of(cls, engine: QueryEngine) -> ParameterValues:
        answer = engine.answer(internal_query("parameter-values"))
        known: dict[str, dict[str, set[str]]] = {}
        for param, value, name in sorted(answer.rows, key=_order):
            text = contract(value.value, engine.prefixes) if isinstance(value, ox.NamedNode) else value.value
            names = known.setdefault(param.value, {}).setdefault(text, set())
            if name is not None:
                names.add(name.value)
        return cls(known, dict(engine.prefixes))

    def choices(self, param: str) -> list[str]:
        """The known values of ``param`` as a user writes them, each with its name when it differs."""
        return [self._shown(param, value) for value in sorted(self.known.get(param, {}), key=str.lower)]

    def _shown(self, param: str, value: str) -> str:
        names = sorted(n for n in self.known[param][value] if n != value)
        return f"{value} ({names[0]})" if names else value

    def check(self, query: NamedQuery, params: dict[str, str]) -> dict[str, str]:
        """``params`` with each checked value known to the graph; an unknown value is an error."""
        return {name: self.check_value(query.name, name, value) for name, value in params.items()}

    def check_value(self, where: str, param: str, value: str) -> str:
        values = self.known.get(param)
        if not values:
            return value  # not a parameter the graph lists values for
        parameter_term(value, self.prefixes)  # an IRI that cannot be one is said so first
        if value in values:
            return value
        kind, text = classify_value(value, self.prefixes)
        if kind == "iri":
            as_curie = contract(text, self.prefixes)
            if as_curie in values:
                return as_curie
        wanted = value.strip().casefold()
        matches = sorted(
            {v for v, names in values.items() if wanted in {v.casefold(), *(n.casefold() for n in names)}}
        )
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise InputError(f"{where}: --param {param}={value} is ambiguous; it names {', '.join(matches)}")
        raise InputError(
            f"{where}: --param {param}={value} matches nothing in the graph; {self.hint(param, value)}"
        )

    def hint(self, param: str, value: str) -> str:
        """The closest known values of ``param`` to ``value`` (or the list of them when few)."""
        values = self.known[param]
        wanted = value.strip().casefold()
        by_text: dict[str, str] = {}
        for v, names in values.items():
            for text in (v, *names):
                by_text.setdefault(text.casefold(), v)
        close = [by_text[t] for t in by_text if wanted and (wanted in t or t in wanted)]
        import difflib  # lazy: only an unknown value needs it, and a cold query feels every import

        close += [by_text[t] for t in difflib.get_close_matches(wanted, list(by_text), n=6, cutoff=0.5)]
        chosen = list(dict.fromkeys(close))[:5]
        if not chosen:
            chosen = sorted(values, key=str.lower)[:8]
            return f"known values include: {', '.join(self._shown(param, v) for v in chosen)}"
        return f"closest known: {', '.join(self._shown(param, v) for v in chosen)}"
