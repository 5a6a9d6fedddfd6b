"""How ``Journal().similar`` and ``%journal similar`` show the nearest earlier data sets.

A table, nearest first: distance, what the data was, the experiments on it,
each one's best run (metric, value, configuration) and the latest conclusion.
Text and HTML say the same; user text is escaped, numbers have ~4 digits.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Container
from html import escape

from ..analysis.similar import BestRun, Similar
from ..rules import format as fmt
from ..rules.data_likeness import describe
from .kit import NUM as _NUM
from .kit import STYLE as _STYLE
from .kit import TEXT as _TEXT


class SimilarView:
    """Wraps an :class:`nbjournal.analysis.similar.Similar`."""

    def __init__(self, similar: Similar) -> None:
        self.similar = similar

    def heading(self) -> str:
        query = self.similar.query
        if query is None:
            return "Similar data sets: none"
        near = self.similar.nearest
        said = (
            f"nearest similar at distance {near.distance:.2f}"
            if near is not None
            else self.similar.note
        )
        return f"Data sets like this one ({describe(query)}): {said}"

    def rows(self) -> list[list[str]]:
        rows = []
        for found in self.similar.found:
            mark = (
                " (the same data)"
                if found.same_as(self.similar.query)
                else ("" if found.similar else " (not similar)")
            )
            for i, best in enumerate(found.best or [None]):
                first = i == 0
                rows.append([
                    f"{found.distance:.2f}{mark}" if first else "",
                    found.description if first else "",
                    best.experiment if best else ", ".join(found.experiments),
                    _best(best),
                    _said(best),
                ])  # fmt: skip
        return rows

    def text(self) -> str:
        lines = [self.heading()]
        for row in self.rows():
            lines.append("  " + " · ".join(part for part in row if part))
        if self.similar.note and self.similar.nearest is not None:
            lines.append(self.similar.note)
        return "\n".join(lines)

    def html(self) -> str:
        head = "".join(
            f"<th{_TEXT}>{escape(h)}</th>"
            for h in ("distance", "data", "experiment", "best run", "concluded")
        )
        body = "".join(
            "<tr>"
            + "".join(
                f"<td{_NUM if i == 0 else _TEXT}>{escape(cell)}</td>" for i, cell in enumerate(row)
            )
            + "</tr>"
            for row in self.rows()
        )
        table = (
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>" if body else ""
        )
        return (
            f"<div class='nbj nbj-similar'><div><b>{escape(self.heading())}</b></div>{table}</div>"
        )

    def _repr_mimebundle_(
        self, include: Container[str] | None = None, exclude: Container[str] | None = None
    ) -> dict[str, str]:
        return {"text/plain": self.text(), "text/html": _STYLE + self.html()}


def _best(best: BestRun | None) -> str:
    if best is None:
        return "no finished run with a metric"
    config = " ".join(f"{k}={fmt.param(v)}" for k, v in sorted(best.params.items()))
    metric = f"{best.metric} {fmt.number(best.value)}" if best.metric else ""
    return f"#{best.run_id} {metric}" + (f": {config}" if config else "")


def _said(best: BestRun | None) -> str:
    if best is None or not best.conclusion:
        return ""
    verdict = f"{best.verdict}: " if best.verdict else ""
    return f"{verdict}{fmt.first_line(best.conclusion, 80)}"


class ShownSimilar(Similar):
    """The answer itself (``.found``, ``.nearest``…) that shows as a table in a notebook and
    as text elsewhere: the data stays in :mod:`nbjournal.analysis.similar`."""

    def _repr_mimebundle_(
        self, include: Container[str] | None = None, exclude: Container[str] | None = None
    ) -> dict[str, str]:
        return SimilarView(self)._repr_mimebundle_(include, exclude)

    def __repr__(self) -> str:
        return SimilarView(self).text()


def shown(found: Similar) -> ShownSimilar:
    """``found`` as a :class:`ShownSimilar` (the same fields, shown as a view)."""
    return ShownSimilar(**{f.name: getattr(found, f.name) for f in dataclasses.fields(found)})
