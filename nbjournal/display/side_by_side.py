"""Runs side by side (``%journal compare``'s parameters and metrics table): a column is a
run or a group of repeats, what differs marked on its cells."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from ..rules import format as fmt
from ..rules.mirrors import mirrors
from ..store import Run
from .kit import TEXT, View


class Comparison(View):
    """``%journal compare``: parameters side by side, differences marked, values whole.

    A column is a run, or a group of repeats (``groups``): a parameter its runs share is
    shown once, one that varies (the seed) as its values, a metric as the mean ± half
    its 95 % interval, as the verdict above it says it."""

    def __init__(
        self, runs: Sequence[Run], *, groups: Sequence[Sequence[Run]] | None = None
    ) -> None:
        self.groups = [list(g) for g in groups if g] if groups else [[r] for r in runs]
        self.runs = [group[0] for group in self.groups]

    def differing(self) -> list[str]:
        """The parameters whose values differ between the columns, in name order."""
        return [name for name, _, differs in self._param_rows() if differs]

    def labels(self) -> dict[int, str]:
        """Each run of every column named by what differs (``#12 lr=0.003 units=64``), for
        charts and legends."""
        runs = [run for group in self.groups for run in group]
        between = set(self.differing())
        names = sorted(  # what differs between the columns first
            {k for r in runs for k in r.params}, key=lambda n: (n not in between, n)
        )
        names = [n for n in names if len({fmt.param(r.params.get(n, "–")) for r in runs}) > 1]
        dropped = mirrors({n: [r.params.get(n) for r in runs] for n in names})
        names = [n for n in names if n not in dropped][:3]  # units, not also model.params
        return {
            run.id: " ".join(
                [f"#{run.id}"] + [f"{n}={fmt.param(run.params.get(n, '–'), 24)}" for n in names]
            )
            for run in runs
        }

    def _param_rows(self) -> list[tuple[str, list[str], bool]]:
        names = sorted({k for group in self.groups for r in group for k in r.params})
        rows = []
        for name in names:
            shown = iter(
                fmt.params([r.params.get(name, "–") for g in self.groups for r in g], None)
            )
            values = [_distinct([next(shown) for _ in group]) for group in self.groups]
            rows.append((name, values, len(set(values)) > 1))
        return rows

    def _rows(self) -> list[tuple[str, list[str], bool]]:
        rows = self._param_rows()
        for metric in sorted({k for g in self.groups for r in g for k in r.metrics}):
            values = [_metric_cell(group, metric) for group in self.groups]
            rows.append((f"metric {metric}", values, len(set(values)) > 1))
        return rows

    def html(self) -> str:
        head = "<th></th>" + "".join(
            f"<th{TEXT}>{escape(group_label([r.id for r in g]))} {escape(g[0].experiment)}</th>"
            for g in self.groups
        )
        body = "".join(
            f"<tr class='{'nbj-diff' if differs else ''}'>"
            f"<td{_DIFF_NAME if differs else TEXT}>{'≠ ' if differs else ''}{escape(name)}</td>"
            + "".join(f"<td{_DIFF if differs else _WHOLE}>{escape(v)}</td>" for v in values)
            + "</tr>"
            for name, values, differs in self._rows()
        )
        legend = (
            "<div class='nbj-muted'>≠ marks what differs between the runs.</div>"
            if any(d for _, _, d in self._rows())
            else ""
        )
        return f"<div class='nbj'><table><tr>{head}</tr>{body}</table>{legend}</div>"

    def text(self) -> str:
        rows = self._rows()
        labels = [group_label([r.id for r in g]) for g in self.groups]
        width = min(max([14] + [len(v) for _, values, _ in rows for v in values]), 40)
        lines = ["  ".join(["".ljust(28)] + [label.ljust(width) for label in labels])]
        for name, values, differs in rows:
            mark = "≠" if differs else " "
            lines.append(
                f"{mark}{name[:27].ljust(27)}  " + "  ".join(v[:width].ljust(width) for v in values)
            )
            if differs and any(len(v) > width for v in values):  # the whole values, below
                lines += [f"    {label}: {v}" for label, v in zip(labels, values, strict=True)]
        return "\n".join(line.rstrip() for line in lines)


def group_label(run_ids: Sequence[int]) -> str:
    """A run (``#41``) or a group of repeats named by its first run (``#41 +2 repeats``)."""
    more = len(run_ids) - 1
    return f"#{run_ids[0]}" if more == 0 else f"#{run_ids[0]} +{more} repeat{'s' * (more > 1)}"


def _distinct(values: list[str], most: int = 5) -> str:
    """One value when a group's runs share it, else its values in run order, each once."""
    seen = list(dict.fromkeys(values))
    return ", ".join(seen[:most]) + (", …" if len(seen) > most else "")


def _metric_cell(group: list[Run], metric: str) -> str:
    from ..analysis.configurations import spread

    lasts = [r.metrics[metric].last for r in group if metric in r.metrics]
    if not lasts:
        return "–"
    if len(group) == 1:
        return fmt.number(lasts[0])
    found = spread([math.nan if v is None else v for v in lasts])
    half = found.half_width if found.n >= 2 else None
    return f"{fmt.spread(found.mean, half)} ({found.n} runs)"


# A differing row is marked on its cells, inline: JupyterLab's table striping paints rows
# (and would win over a row's class), and nbconvert's HTML or an untrusted notebook drops
# the style sheet. A translucent colour reads in light and dark themes.
_MARK = "background:rgba(255,176,0,.28);font-weight:600"
_DIFF_NAME = f" style='text-align:left;padding-right:10px;{_MARK}'"
_DIFF = f" style='text-align:left;padding-right:10px;word-break:break-word;{_MARK}'"
_WHOLE = " style='text-align:left;padding-right:10px;word-break:break-word'"
