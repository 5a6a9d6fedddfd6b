"""Views of runs: each has an HTML form for notebooks and a text form for terminals
(their shared pieces: :mod:`.kit`).

Everything the user wrote (hypotheses, inferences, code, names) is escaped:
user text is data, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import ClassVar

from ..artifacts.codecs import IMPORTED_KINDS
from ..rules import format as fmt
from ..rules import palette
from ..store import Run, RunSummary
from .kit import (
    NOTE,
    NOWRAP,
    NUM,
    TEXT,
    View,
    evidence_note,
    html_table,
    pending_note,
    status_badge,
    verdict_badge,
)
from .nearest_view import nearest_lines


def _key_metrics(run: RunSummary, limit: int = 4) -> list[tuple[str, str]]:
    names = sorted(run.metrics, key=lambda n: (n != (run.key_metric and run.key_metric.name), n))
    shown = []
    for name in names[:limit]:
        metric = run.metrics[name]
        best = ""
        if metric.best is not None and metric.count > 1 and metric.best != metric.last:
            best = f" (best {fmt.number(metric.best)} @ epoch {fmt.epoch(metric.best_epoch)})"
        shown.append((name, fmt.number(metric.last) + best))
    return shown


class RunCard(View):
    """The compact summary shown under an experiment cell."""

    def __init__(self, run: RunSummary, note: str | None = None) -> None:
        self.run = run
        self.note = note

    def html(self) -> str:
        run = self.run
        metrics = "".join(
            f"<td class='num'{NUM}><span class='nbj-muted'>{escape(n)}</span> {escape(v)}</td>"
            for n, v in _key_metrics(run)
        )
        note = f"<div class='nbj-muted'>{escape(self.note)}</div>" if self.note else ""
        return (
            f"<div class='nbj'><div class='nbj-head'><span class='nbj-id'>#{run.id}</span> "
            f"<span>{escape(run.experiment)}</span> {status_badge(run.status, run.points_pending)} "
            f"{verdict_badge(run.verdict).removesuffix(' · ')} "
            f"<span class='nbj-muted'>{escape(fmt.duration(run.duration))}</span></div>"
            f"<table><tr>{metrics}</tr></table>{note}</div>"
        )

    def text(self) -> str:
        run = self.run
        metrics = "  ".join(f"{n} {v}" for n, v in _key_metrics(run))
        head = f"run #{run.id} {run.experiment}: {run.status} in {fmt.duration(run.duration)}"
        if run.verdict:
            head += f" · {run.verdict}"
        if run.points_pending:
            head += f", {pending_note(run.points_pending)}"
        return "\n".join(filter(None, [head, f"  {metrics}" if metrics else "", self.note]))


class DuplicateNotice(View):
    """Shown instead of running a cell whose identical experiment already finished."""

    def __init__(self, runs: Sequence[Run], option_hint: str = "--force") -> None:
        self.runs = list(runs)
        self.hint = option_hint

    def html(self) -> str:
        latest = self.runs[-1]
        others = (
            f" (and {len(self.runs) - 1} earlier identical run{'s' * (len(self.runs) > 2)})"
            if len(self.runs) > 1
            else ""
        )
        inferences = (
            "".join(
                f"<div>{verdict_badge(i.verdict)}{escape(i.text)} "
                f"<span class='nbj-muted'>({escape(fmt.when(i.created))})</span></div>"
                for run in self.runs
                for i in run.inferences
            )
            or "<div class='nbj-muted'>No inference recorded yet: %inference TEXT</div>"
        )
        return (
            f"<div class='nbj'><div class='nbj-note'{NOTE}><b>Already run.</b> This exact experiment "
            "(same code, parameters and data) finished as "
            f"<b>#{latest.id}</b> {escape(latest.experiment)}, "
            f"{escape(fmt.when(latest.ended))}{escape(others)}. The cell was not run and "
            f"nothing in the namespace changed; add <code>{escape(self.hint)}</code> to the "
            "magic line to run it again.</div>"
            + RunCard(latest).html()
            + _twins_html(self.runs)
            + f"<div><b>Concluded then</b>{inferences}</div></div>"
        )

    def text(self) -> str:
        latest = self.runs[-1]
        lines = [
            f"Already run: this exact experiment (same code, parameters and data) finished as "
            f"#{latest.id} {latest.experiment}, {fmt.when(latest.ended)}.",
            "The cell was not run; add --force to the magic line to run it again.",
            RunCard(latest).text(),
            *_twins_text(self.runs),
        ]
        inferences = [
            f"  inference: {(i.verdict + ': ') if i.verdict else ''}{i.text}"
            for run in self.runs
            for i in run.inferences
        ]
        return "\n".join(lines + (inferences or ["  no inference recorded yet: %inference TEXT"]))


def _inference_lines(runs: Sequence[Run]) -> tuple[str, list[str]]:
    """The inferences of ``runs`` as HTML and as text lines."""
    found = [i for run in runs for i in run.inferences]
    html = (
        "".join(
            f"<div>{verdict_badge(i.verdict)}{escape(i.text)} "
            f"<span class='nbj-muted'>({escape(fmt.when(i.created))})</span></div>"
            for i in found
        )
        or "<div class='nbj-muted'>No inference recorded yet: %inference TEXT</div>"
    )
    text = [f"  inference: {(i.verdict + ': ') if i.verdict else ''}{i.text}" for i in found]
    return html, text or ["  no inference recorded yet: %inference TEXT"]


class RestoredNotice(View):
    """Shown instead of training when an identical run's artifacts were put back."""

    def __init__(self, run: Run, names: Sequence[str], twins: Sequence[Run] = ()) -> None:
        self.run = run
        self.names = list(names)
        self.twins = list(twins) or [run]

    def line(self) -> str:
        run = self.run
        names = ", ".join(self.names) or "nothing to bind"
        return (
            f"Restored from run #{run.id} (finished {fmt.when(run.ended)}, "
            f"{fmt.duration(run.duration)} to train): {names} · --force trains again"
        )

    def html(self) -> str:
        run = self.run
        # one code span: JupyterLab pads each <code>, which reads as "keras , units ,"
        names = f"<code>{escape(', '.join(self.names))}</code>" if self.names else "nothing to bind"
        inferences, _ = _inference_lines(self.twins)
        found = "".join(
            f"<div class='nbj-check' style='color:{palette.PROBLEM}'>⚠ {escape(line)}</div>"
            for line in found_lines(run)
        )
        return (
            f"<div class='nbj'><div class='nbj-note'{NOTE}><b>Restored</b> from run "
            f"<b>#{run.id}</b> (finished {escape(fmt.when(run.ended))}, "
            f"{escape(fmt.duration(run.duration))} to train): {names} · "
            "<code>--force</code> trains again</div>"
            + RunCard(run).html()
            + found
            + _twins_html(self.twins)
            + f"<div><b>Concluded then</b>{inferences}</div></div>"
        )

    def text(self) -> str:
        _, inferences = _inference_lines(self.twins)
        found = [f"  ⚠ {line}" for line in found_lines(self.run)]
        twins = _twins_text(self.twins)
        return "\n".join([self.line(), RunCard(self.run).text(), *found, *twins, *inferences])


def _twins_text(runs: Sequence[Run]) -> list[str]:
    from ..analysis.configurations import twins_line

    line = twins_line(runs)
    return [f"  {line}"] if line else []


def _twins_html(runs: Sequence[Run]) -> str:
    return "".join(f"<div class='nbj-muted'>{escape(t.strip())}</div>" for t in _twins_text(runs))


def found_lines(run: Run) -> list[str]:
    """What was wrong with a run, one line each: its checks' findings, then its diagnoses.

    A restored cell shows them too: a run whose validation data leaked must not
    restore looking clean (issue 21.3).
    """
    checks = run.checks or {}
    lines = [f"check {f.get('name')}: {f.get('message')}" for f in checks.get("findings", [])]
    seen: set[str] = set()
    for diagnosis in run.diagnoses:
        message = str(diagnosis.get("message", diagnosis))
        if message not in seen:
            seen.add(message)
            kind = diagnosis.get("kind")
            lines.append(f"{kind}: {message}" if kind else message)
    return lines


def concluded(run: RunSummary) -> str:
    """A runs table's inference cell: the run's own (its verdict first), else its grid's
    marked as the grid's (``grid #1 supported: …``), else ``needs inference``
    (:attr:`RunSummary.needs_inference`, what ``inference:none`` finds)."""
    own, said = run.inference, run.grid_inference
    if own is not None:
        return f"{run.verdict + ': ' if run.verdict else ''}{fmt.first_line(own.text, 50)}"
    if said is not None:
        verdict = f" {said.verdict}" if said.verdict else ""
        return f"grid #{said.grid_id}{verdict}: {fmt.first_line(said.text, 50)}"
    return "needs inference"


class RunsTable(View):
    """``%journal``: recent runs, one line each."""

    def __init__(self, runs: Sequence[RunSummary], title: str) -> None:
        self.runs = list(runs)
        self.title = title

    def _rows(self) -> list[list[str]]:
        rows = []
        for run in self.runs:
            key = run.key_metric
            rows.append(
                [
                    f"#{run.id}",
                    run.experiment,
                    run.status,
                    fmt.when(run.started),
                    fmt.duration(run.duration),
                    f"{key.name} {fmt.number(key.last)}" if key else "",
                    fmt.first_line(run.hypothesis, 60),
                    concluded(run),
                ]
            )
        return rows

    _HEAD: ClassVar[tuple[str, ...]] = (
        "run", "experiment", "status", "started", "took", "key metric", "hypothesis", "inference",
    )  # fmt: skip

    def html(self) -> str:
        if not self.runs:
            return f"<div class='nbj'>{escape(self.title)}: no runs yet.</div>"
        head = "".join(f"<th{TEXT}>{h}</th>" for h in self._HEAD)
        body = "".join(
            "<tr>"
            + "".join(
                f"<td{NOWRAP if i < 6 else TEXT}>{status_badge(cell) if i == 2 else escape(cell)}</td>"
                for i, cell in enumerate(row)
            )
            + "</tr>"
            for row in self._rows()
        )
        return f"<div class='nbj'><b>{escape(self.title)}</b><table><tr>{head}</tr>{body}</table></div>"

    def text(self) -> str:
        if not self.runs:
            return f"{self.title}: no runs yet."
        rows = [list(self._HEAD), *self._rows()]
        widths = [min(max(len(r[i]) for r in rows), 60) for i in range(len(self._HEAD))]
        lines = [
            "  ".join(cell[:60].ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()
            for r in rows
        ]
        return "\n".join([self.title, *lines])


class RunDetail(View):
    """``%journal show ID``: everything recorded about one run."""

    def __init__(self, run: Run) -> None:
        self.run = run

    def _metric_rows(self) -> list[list[str]]:
        return [
            [
                m.name,
                fmt.number(m.last),
                fmt.number(m.best),
                fmt.epoch(m.best_epoch),
            ]
            for m in sorted(self.run.metrics.values(), key=lambda m: m.name)
        ]

    def html(self) -> str:
        run = self.run
        params = html_table(
            ["parameter", "value"], [[k, fmt.param(v, None)] for k, v in sorted(run.params.items())]
        )
        metrics = html_table(["metric", "final", "best", "best epoch"], self._metric_rows())
        data = html_table(
            ["input", "kind", "shape", "fingerprint"],
            [
                [
                    d.get("name", ""),
                    d.get("kind", ""),
                    str(d.get("shape", "")),
                    str(d.get("hash", ""))[:16],
                ]
                for d in run.data
            ],
        )
        inferences = "".join(
            f"<div>{verdict_badge(i.verdict)}{escape(i.text)} <span class='nbj-muted'>{escape(fmt.when(i.created) + evidence_note(i))}</span></div>"
            for i in run.inferences
        )
        if run.grid_inference is not None:  # a conclusion about every run of its grid
            said = run.grid_inference
            inferences += (
                f"<div>{verdict_badge(said.verdict)}{escape(said.text)} <span class='nbj-muted'>"
                f"on grid #{said.grid_id} as a whole, {escape(fmt.when(said.created))}</span></div>"
            )
        if run.needs_inference:
            inferences = (
                f"<div class='nbj-muted'>needs inference: %inference --run {run.id} TEXT</div>"
            )
        diagnoses = "".join(
            f"<div>⚠ {escape(str(d.get('message', d)))}</div>" for d in run.diagnoses
        ) + "".join(f"<div class='nbj-check'>{escape(line)}</div>" for line in check_lines(run))
        error = (
            f"<div><b>Failed</b>: {escape(fmt.error_summary(run.error))}</div>"
            f"<pre>{escape(run.error)}</pre>"
            if run.error
            else ""
        )
        artifacts = html_table(["artifact", "type", "size", "stored"], _artifact_rows(run))
        if _imported(run):
            artifacts += f"<div class='nbj-muted'>{escape(_imported(run))}</div>"
        repeat = f" · repeat of #{run.repeat_of}" if run.repeat_of else ""
        nearest = "".join(
            f"<div class='nbj-muted'>{escape(line)}</div>" for line in nearest_lines(run.nearest)
        )
        return (
            f"<div class='nbj'>{RunCard(run).html()}"
            f"<div class='nbj-muted'>started {escape(fmt.when(run.started))}{escape(repeat)}"
            f"{' · tags ' + escape(', '.join(run.tags)) if run.tags else ''}</div>{nearest}"
            f"<div class='nbj-note'><b>Hypothesis</b><div>{escape(run.hypothesis) or '–'}</div></div>"
            f"<div><b>Inferences</b>{inferences}</div>{diagnoses}{error}"
            f"{metrics}{params}{data}{artifacts}<details><summary>code</summary><pre>{escape(run.code)}</pre></details></div>"
        )

    def text(self) -> str:
        run = self.run
        lines = [RunCard(run).text(), f"  hypothesis: {run.hypothesis or '–'}"]
        lines += [f"  {line}" for line in nearest_lines(run.nearest)]
        lines += [
            f"  inference: {(i.verdict + ': ') if i.verdict else ''}{i.text}{evidence_note(i)}"
            for i in run.inferences
        ]
        if run.grid_inference is not None:
            said = run.grid_inference
            verdict = f"{said.verdict}: " if said.verdict else ""
            lines.append(f"  inference on grid #{said.grid_id}: {verdict}{said.text}")
        lines += [
            f"  {r[0]}: final {r[1]}" + (f", best {r[2]} (epoch {r[3]})" if r[3] else "")
            for r in self._metric_rows()
        ]
        lines += [f"  param {k} = {fmt.param(v, None)}" for k, v in sorted(run.params.items())]
        lines += [
            f"  input {d.get('name')}: {d.get('kind')} {d.get('shape', '')}" for d in run.data
        ]
        lines += [f"  {line}" for line in check_lines(run)]
        lines += [f"  artifact {r[0]}: {r[1]}, {r[2]}, {r[3]}" for r in _artifact_rows(run)]
        lines += [f"  {_imported(run)}"] if _imported(run) else []
        if run.error:
            lines.append(f"  error: {fmt.error_summary(run.error)}")
            lines += [f"    {line}" for line in run.error.strip().splitlines()[1:]]
        return "\n".join(lines)


def check_lines(run: Run) -> list[str]:
    """What the checks before ``fit`` said: each finding, then what was skipped or silenced."""
    checks = run.checks or {}
    lines = [f"check {f.get('name')}: {f.get('message')}" for f in checks.get("findings", [])]
    skipped = checks.get("skipped", [])
    if skipped:
        lines.append(
            "checks skipped: "
            + "; ".join(f"{s.get('name')} ({s.get('reason')})" for s in skipped[:6])
        )
    if checks.get("silenced"):
        lines.append("checks silenced: " + ", ".join(checks["silenced"]))
    return lines


def _artifact_rows(run: Run) -> list[list[str]]:
    """What the run's cell made: name (``Out`` for its value), type, size, stored or why not."""
    return [
        [
            a.name,
            a.type,
            fmt.size(a.size) if a.size else "–",
            "yes" if a.stored else f"no: {a.reason or a.status}",
        ]
        for a in run.artifacts
        if a.kind not in IMPORTED_KINDS and not (a.role == "result" and a.type == "NoneType")
    ]


def _imported(run: Run) -> str:
    """The names the cell's imports bound: a restore imports them again (no bytes kept)."""
    names = sorted((a.name for a in run.artifacts if a.kind in IMPORTED_KINDS), key=str.lower)
    return f"imports (restored by importing them again): {', '.join(names)}" if names else ""
