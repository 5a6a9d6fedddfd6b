"""``%journal compare`` and ``Journal().compare``: one object, the verdict and what it rests on.

It carries the comparison rule's fields for the metric of record (``difference``,
``interval``, ``n_a``, ``n_b``, ``paired``, ``needed``, ``verdict``) and shows, in
a notebook, the verdict on every shared metric, the parameters side by side and
the curves overlaid; in a terminal, the same as text.
"""

from __future__ import annotations

import math
from collections.abc import Container, Sequence
from html import escape
from typing import TYPE_CHECKING

from ..analysis.comparison import Comparison as Verdict
from ..analysis.configurations import Spread
from ..analysis.repeats import RunsComparison, compare_runs
from ..rules import format as fmt
from ..store import Run, Store
from .kit import STYLE, TEXT, View
from .side_by_side import Comparison, group_label

if TYPE_CHECKING:
    from .offline import OfflineChart

#: More runs than this: the curves of each side's first run only.
MAX_CURVES = 6


def compare_view(
    store: Store,
    sides: Sequence[int | Sequence[int]],
    metric: str | None = None,
    min_effect: float | None = None,
) -> CompareView:
    """The first side against each other one (run ids, or lists of repeats)."""
    comparison = compare_runs(store, sides, metric=metric, min_effect=min_effect)
    runs = [store.get_run(run_id) for side in comparison.sides for run_id in side]
    return CompareView(comparison, runs, store)


class CompareView(View):
    """Runs or groups of repeats compared by the one rule (``docs/statistics.md``)."""

    def __init__(
        self, comparison: RunsComparison, runs: list[Run], store: Store | None = None
    ) -> None:
        self.comparison = comparison
        self.runs = runs
        self._store = store
        by_id = {run.id: run for run in runs}
        self.parameters = Comparison(
            runs, groups=[[by_id[i] for i in side if i in by_id] for side in comparison.sides]
        )
        leaders = self.parameters.runs
        self._curve_runs = runs if len(runs) <= MAX_CURVES else leaders

    # -- the verdict on the metric of record ------------------------------------

    @property
    def result(self) -> Verdict | None:
        return self.comparison.result

    @property
    def metric(self) -> str | None:
        return self.comparison.metric.name if self.comparison.metric else None

    def _field(self, name: str) -> object:
        result = self.result
        if result is None:
            raise AttributeError(
                f"no verdict: the runs share no value of {self.metric or 'any metric'}"
            )
        return getattr(result, name)

    difference = property(lambda self: self._field("difference"))
    interval = property(lambda self: self._field("interval"))
    n_a = property(lambda self: self._field("n_a"))
    n_b = property(lambda self: self._field("n_b"))
    paired = property(lambda self: self._field("paired"))
    needed = property(lambda self: self._field("needed"))
    verdict = property(lambda self: self._field("verdict"))

    def evidence(self) -> dict[str, object]:
        """The verdict on the metric of record as plain data, with the runs on each side."""
        result = self.result
        found = result.evidence() if result else {"metric": self.metric, "verdict": None}
        return {**found, "runs": [list(side) for side in self.comparison.sides]}

    def __str__(self) -> str:
        result = self.result
        return str(result) if result else self.text()

    # -- rendering -----------------------------------------------------------------

    def side_label(self, index: int) -> str:
        return group_label(self.comparison.sides[index])

    def verdict_rows(self) -> list[tuple[str, str, str, str, str]]:
        """(metric, the first side's value, the other's, the difference with its interval,
        the verdict), the metric of record first."""
        rows = []
        for index, found in enumerate(self.comparison.results, start=1):
            names = sorted(found, key=lambda n: (n != self.metric, n))
            for name in names:
                result = found[name]
                verdict = result.verdict + (f" ({result.note})" if result.note else "")
                if result.borrowed:
                    verdict += f"; noise from {result.borrowed}"
                rows.append(
                    (
                        name
                        if len(self.comparison.sides) == 2
                        else f"{name} vs {self.side_label(index)}",
                        _value(self._spread(0, name), result.mean_a, result.n_a),
                        _value(self._spread(index, name), result.mean_b, result.n_b),
                        _difference(result),
                        verdict,
                    )
                )
        return rows

    def _spread(self, side: int, metric: str) -> Spread | None:
        spreads = self.comparison.spreads
        return spreads[side].get(metric) if side < len(spreads) else None

    def _heading(self) -> str:
        ranked = self.comparison.metric
        sides = " vs ".join(self.side_label(i) for i in range(len(self.comparison.sides)))
        return f"{sides} · {ranked.label()}" if ranked else sides

    def html(self) -> str:
        rows = self.verdict_rows()
        first, second = self.side_label(0), self.side_label(1)
        head = "".join(
            f"<th{TEXT}>{escape(h)}</th>"
            for h in ("metric", first, second if len(self.comparison.sides) == 2 else "other",
                      f"{first} − other", "verdict")
        )  # fmt: skip
        body = "".join(
            "<tr>" + "".join(f"<td{TEXT}>{escape(c)}</td>" for c in row) + "</tr>" for row in rows
        )
        verdicts = (
            f"<div class='nbj'><div class='nbj-muted'>{escape(self._heading())}</div>"
            f"<table><tr>{head}</tr>{body}</table></div>"
            if rows
            else f"<div class='nbj nbj-muted'>{escape(self._heading())}: no shared metric</div>"
        )
        return verdicts + self.parameters.html()

    def text(self) -> str:
        lines = [self._heading()]
        for name, a, b, difference, verdict in self.verdict_rows():
            lines.append(f"  {name}: {a} vs {b}, {difference}: {verdict}")
        return "\n".join([*lines, "", self.parameters.text()])

    def _repr_mimebundle_(
        self, include: Container[str] | None = None, exclude: Container[str] | None = None
    ) -> dict[str, str]:
        return {"text/plain": self.text(), "text/html": STYLE + self.html()}

    def _ipython_display_(self) -> None:
        """The verdicts and parameters, then the curves overlaid: what ``%journal compare``
        shows, and what this object shows as a cell's value."""
        from IPython.display import display

        display(self._repr_mimebundle_(), raw=True)
        chart = self.curves()
        if chart is not None:
            display(chart)

    def curves(self) -> OfflineChart | None:
        """The curves overlaid per metric, drawn offline (SVG and PNG: no CDN, kept when
        saved); ``None`` without epoch curves."""
        if self._store is None:
            return None
        from .charts import comparison_chart
        from .offline import OfflineChart

        labels = self.parameters.labels()
        chart = comparison_chart(self._store, self._curve_runs, labels)
        if chart is None:
            return None
        names = ", ".join(labels.get(run.id, f"#{run.id}") for run in self._curve_runs)
        return OfflineChart(chart, f"curves of {names}")


def _value(spread: Spread | None, mean: float, n: int) -> str:
    """One run's value, or a group's mean ± half its 95 % interval (the grid's and the
    sidebar's way of saying it)."""
    if n <= 1 or spread is None or not math.isfinite(spread.low):
        return fmt.number(mean)
    return f"{fmt.spread(spread.mean, spread.half_width)} ({spread.n} runs)"


def _difference(result: Verdict) -> str:
    low, high = result.interval
    if not (math.isfinite(low) and math.isfinite(high)):
        return f"{_signed(result.difference)} (no interval)"
    return f"{_signed(result.difference)} [{_signed(low)}, {_signed(high)}]"


def _signed(value: float) -> str:
    text = fmt.number(value)
    return text if text.startswith(("-", "–")) or value == 0 else "+" + text
