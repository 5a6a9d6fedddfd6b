"""Insights as a notebook shows them (HTML with the effects chart as an image) and as text.

The chart is a PNG made offline by vl-convert and kept inside the HTML, so it
survives saving the notebook and shows in notebooks JupyterLab does not trust
(where SVG is not rendered). User text (inference texts, parameter values) is
escaped.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Container
from datetime import datetime
from html import escape
from typing import TypedDict

import pandas as pd

from ..analysis.insights import Insights
from ..rules import format as fmt
from .kit import NOTE, STYLE, TEXT, html_table, verdict_badge

#: Rows of the conclusions shown before "and N more".
CONCLUSIONS_SHOWN = 12
#: Run ids of the runs left out named before "and N more".
LEFT_OUT_SHOWN = 8


class _Conclusion(TypedDict):
    """One row of ``Insights.conclusions``: an inference on a run of the group, or on a grid."""

    group: str
    #: ``#5`` (the run's) or ``grid #1`` (the grid's as a whole)
    on: str
    text: str
    verdict: str | None
    created: datetime


class InsightsView:
    def __init__(self, found: Insights) -> None:
        self.found = found

    def _repr_mimebundle_(
        self, include: Container[str] | None = None, exclude: Container[str] | None = None
    ) -> dict[str, str]:
        return {"text/plain": self.text(), "text/html": STYLE + self.html()}

    # -- shared rows -------------------------------------------------------------

    def _title(self) -> str:
        f = self.found
        widened = " (and every experiment on the same data)" if f.same_data else ""
        goal = "higher is better" if f.goal == "max" else "lower is better"
        dropped = f", {f.dropped} without a value left out" if f.dropped else ""
        return (
            f"Insights: {f.experiment}{widened} · {f.metric or 'no metric'} ({goal}) · "
            f"{f.runs} finished run{'s' * (f.runs != 1)}{dropped}"
        )

    def _importance_rows(self) -> list[list[str]]:
        return [
            [
                r.param,
                fmt.share(r.importance),
                f"{fmt.share(r.low)} – {fmt.share(r.high)}",
                "yes" if r.matters else "within noise",
                str(r.runs),
            ]
            for r in self.found.importances.itertuples()
        ]

    def _best_rows(self) -> tuple[list[str], list[list[str]]]:
        f = self.found
        params = f.table.params if f.table else []
        rows = []
        records = f.best.to_dict("records")
        columns = {  # one notation per column: 3e-5 by 1e-3
            p: fmt.params([r[p] if r[p] is not None and r[p] == r[p] else "–" for r in records])
            for p in params
        }
        for index, r in enumerate(records):
            rows.append(
                [_mean_interval(r["mean"], r.get("low"), r.get("high")), str(r["repeats"])]
                + [str(r.get("vs_best") or "")]
                + [_runs(r["runs"])]
                + [columns[p][index] for p in params]
            )
        return [f.metric or "metric", "repeats", "vs best", "runs", *params], rows

    def _suggestion_rows(self) -> list[list[str]]:
        return [
            [
                str(r["rank"]),
                ", ".join(f"{k}={fmt.param(v)}" for k, v in r["point"].items()),
                r["reason"],
            ]
            for r in self.found.suggestions.to_dict("records")
        ]

    def _conclusion_groups(self) -> list[tuple[str, list[_Conclusion]]]:
        groups: dict[str, list[_Conclusion]] = {}
        for row in self.found.conclusions.to_dict("records"):
            # pandas turns a missing verdict into NaN beside strings: None is the one "no verdict"
            verdict = row.get("verdict")
            grid = row.get("grid_id")
            groups.setdefault(row["group"], []).append({
                "group": row["group"],
                "on": f"grid #{int(grid)}" if pd.notna(grid) else f"#{int(row['run_id'])}",
                "text": row["text"],
                "verdict": verdict if isinstance(verdict, str) and verdict else None,
                "created": row["created"],
            })  # fmt: skip
        return list(groups.items())

    def _left_out(self) -> str:
        """``left out: 4 of 6 finished runs have no test_accuracy (#3, #4…: grid #1); ranked
        by test_accuracy (the cell's result); `%journal insights e --metric val_accuracy`
        counts all 6``: which runs the metric of record could not count, and how to."""
        gone = self.found.left_out
        if gone is None:
            return ""
        ids = ", ".join(f"#{i}" for i in gone.runs[:LEFT_OUT_SHOWN])
        if len(gone.runs) > LEFT_OUT_SHOWN:
            ids += f" and {len(gone.runs) - LEFT_OUT_SHOWN} more"
        if gone.grids:
            ids += f": grid{'s' * (len(gone.grids) > 1)} " + ", ".join(f"#{g}" for g in gone.grids)
        said = (
            f"left out: {len(gone.runs)} of {gone.total} finished runs have no {gone.metric} "
            f"({ids}); ranked by {gone.metric} ({gone.source}); "
        )
        if gone.instead is None:
            return said + f"no metric is common to all {gone.total}"
        widened = " --data" if self.found.same_data else ""
        return (
            said + f"`%journal insights {self.found.experiment}{widened} --metric {gone.instead}` "
            f"counts all {gone.total}"
        )

    def _aliases(self) -> str:
        aliases = self.found.aliases
        if not aliases:
            return ""
        shown = ", ".join(f"{dropped} (= {kept})" for dropped, kept in sorted(aliases.items()))
        return f"left out as mirrors of another parameter: {shown}"

    # -- HTML ------------------------------------------------------------------

    def html(self) -> str:
        f = self.found
        parts = [f"<div class='nbj'><div class='nbj-head'><b>{escape(self._title())}</b></div>"]
        if self._left_out():
            parts.append(f"<div class='nbj-note'{NOTE}>{escape(self._left_out())}</div>")
        parts.append(f"<div class='nbj-note'{NOTE}>{escape(f.verdict)}</div>")
        if f.ranked:
            parts.append(
                "<div><b>Which parameters mattered</b></div>"
                + html_table(
                    ["parameter", "share", "interval (5–95 %)", "mattered", "runs"],
                    self._importance_rows(),
                )
            )
        if self._aliases():
            parts.append(f"<div class='nbj-muted'>{escape(self._aliases())}</div>")
        image = self._chart_html()
        if image:
            parts.append(f"<div><b>Marginal effects</b></div>{image}")
        head, rows = self._best_rows()
        if rows:
            parts.append("<div><b>Best configurations</b></div>" + html_table(head, rows))
        suggestions = self._suggestion_rows()
        parts.append("<div><b>What to try next</b></div>")
        parts.append(
            html_table(["#", "point", "why"], suggestions)
            if suggestions
            else "<div class='nbj-muted'>too few runs to model what comes next</div>"
        )
        if self.found.transfer is not None:
            parts.append(f"<div>{escape(self.found.transfer.line)}</div>")
        parts.append("<div><b>What was concluded</b></div>")
        parts.append(self._conclusions_html())
        parts.append("</div>")
        return "".join(parts)

    def _chart_html(self) -> str:
        from .insight_charts import effects_images

        try:
            images = effects_images(self.found)
        except Exception as failure:  # a chart must never hide the tables
            warnings.warn(f"nbjournal: no effects chart ({failure})", stacklevel=3)
            return ""
        if images is None:
            return ""
        names = escape(", ".join(self.found.top))
        return f"<img alt='effects of {names}' src='data:image/png;base64,{images[1]}'>"

    def _conclusions_html(self) -> str:
        groups = self._conclusion_groups()
        if not groups:
            return "<div class='nbj-muted'>No inference recorded on these runs yet.</div>"
        lines = [f"<div class='v-refuted'>⚠ {escape(s)}</div>" for s in self.found.repeated]
        for shown, (group, rows) in enumerate(groups):
            if shown >= CONCLUSIONS_SHOWN:
                lines.append(f"<div class='nbj-muted'>and {len(groups)} groups in all</div>")
                break
            items = "".join(
                f"<div{TEXT}>{verdict_badge(r['verdict'])}{escape(r['text'])} "
                f"<span class='nbj-muted'>{r['on']}, {escape(fmt.when(r['created'].timestamp()))}</span></div>"
                for r in rows
            )
            lines.append(f"<div style='margin:.3em 0'><b>{escape(group)}</b>{items}</div>")
        return "".join(lines)

    # -- text ------------------------------------------------------------------

    def text(self) -> str:
        f = self.found
        lines = [self._title(), *([f"  {self._left_out()}"] if self._left_out() else [])]
        lines.append(f"  {f.verdict}")
        if f.ranked:
            lines.append("Which parameters mattered (share of importance, 5–95 % interval):")
            lines += [f"  {r[0]:<24} {r[1]:>5}  [{r[2]}]  {r[3]}" for r in self._importance_rows()]
        if self._aliases():
            lines.append(f"  {self._aliases()}")
        if not f.effects.empty and f.top:
            lines.append(f"Marginal effects on {f.metric} (mean ± 95 % interval, runs):")
            for name in f.top:
                rows = f.effects[f.effects["param"] == name]
                values = "  ".join(
                    f"{fmt.param(r.value)}: "
                    + _mean_interval(
                        r.mean, getattr(r, "mean_low", None), getattr(r, "mean_high", None)
                    )
                    + f" ({r.count})"
                    for r in rows.itertuples()
                )
                lines.append(f"  {name}: {values}")
        head, rows = self._best_rows()
        if rows:
            lines.append("Best configurations:")
            lines += [
                "  " + "  ".join(f"{h}={c}" for h, c in zip(head, row, strict=True)) for row in rows
            ]
        lines.append("What to try next:")
        suggestions = self._suggestion_rows()
        lines += [f"  {r[0]}. {r[1]} — {r[2]}" for r in suggestions] or [
            "  too few runs to model what comes next"
        ]
        if f.transfer is not None:
            lines.append(f.transfer.line)
        lines.append("What was concluded:")
        lines += [f"  ⚠ {s}" for s in f.repeated]
        groups = self._conclusion_groups()
        for group, items in groups[:CONCLUSIONS_SHOWN]:
            lines.append(f"  {group}:")
            lines += [
                f"    {(r['verdict'] + ': ') if r['verdict'] else ''}{r['text']} ({r['on']})"
                for r in items
            ]
        if not groups:
            lines.append("  no inference recorded on these runs yet")
        return "\n".join(lines)


class ShownInsights(Insights):
    """The insights themselves (``.importances``, ``.effects``…) that show as one view in a
    notebook and as text elsewhere: the data stays in :mod:`nbjournal.analysis`."""

    def _repr_mimebundle_(
        self, include: Container[str] | None = None, exclude: Container[str] | None = None
    ) -> dict[str, str]:
        return InsightsView(self)._repr_mimebundle_(include, exclude)

    def __repr__(self) -> str:
        return InsightsView(self).text()


def shown(found: Insights) -> ShownInsights:
    """``found`` as a :class:`ShownInsights` (the same fields, shown as a view)."""
    return ShownInsights(**{f.name: getattr(found, f.name) for f in dataclasses.fields(found)})


def _mean_interval(mean: float, low: float | None, high: float | None) -> str:
    """``0.9620 ± 0.0060``: the mean and half its 95 % interval (the mean alone without one)."""
    if low is None or high is None or not (low == low and high == high):
        return fmt.number(mean)
    return fmt.spread(mean, (high - low) / 2)


def _runs(ids: list[int]) -> str:
    return ", ".join(f"#{i}" for i in ids[:4]) + (" …" if len(ids) > 4 else "")
