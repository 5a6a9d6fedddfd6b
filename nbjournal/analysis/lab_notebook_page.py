"""The lab-notebook report written out: GitHub-flavoured Markdown (charts as SVG files beside
it) or one self-contained HTML page (charts inlined as SVG, no network request, prints to PDF).

Reads :mod:`nbjournal.analysis.lab_notebook`; every number at ~4 significant digits with the
run it comes from; user text escaped, never raw HTML. No clock: the same journal gives the
same bytes.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterator
from pathlib import Path

from ..rules.format import number
from .lab_notebook import ConfigurationRow, Curve, ExperimentPart, RunEntry

TITLE = "nbjournal lab notebook"
_W, _H, _PAD = 360, 140, 34

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1,h2,h3,h4{line-height:1.2}h2{border-bottom:2px solid #ccc;margin-top:2.5rem}
h3{margin-top:2rem}pre{background:#f6f6f6;padding:.5rem;overflow-x:auto;font-size:12px}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:2px 6px}
td.n{text-align:right;font-variant-numeric:tabular-nums}.warn{color:#a15c00}
.del{color:#b00}.add{color:#070}.muted{color:#666}section.run{page-break-inside:avoid}
"""


def curve_svg(curve: Curve, run_id: int) -> str:
    """A small line chart of one curve, with its range labelled; numbers at ~4 digits."""
    low, high = min(curve.values), max(curve.values)
    first, last = curve.steps[0], curve.steps[-1]
    span_y = (high - low) or 1.0
    span_x = (last - first) or 1.0
    inner_w, inner_h = _W - 2 * _PAD, _H - 2 * 18

    def point(x: float, y: float) -> str:
        px = _PAD + (x - first) / span_x * inner_w
        py = 18 + (1 - (y - low) / span_y) * inner_h
        return f"{px:.1f},{py:.1f}"

    points = " ".join(point(x, y) for x, y in zip(curve.steps, curve.values, strict=True))
    label = html.escape(f"{curve.name} of run #{run_id}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_W}" height="{_H}" '
        f'viewBox="0 0 {_W} {_H}" role="img" aria-label="{label}">'
        f'<rect x="{_PAD}" y="18" width="{inner_w}" height="{inner_h}" fill="none" '
        f'stroke="#ccc"/><polyline fill="none" stroke="#1f77b4" stroke-width="1.5" '
        f'points="{points}"/>'
        f'<text x="{_PAD}" y="12" font-size="11" font-family="sans-serif">{label}</text>'
        f'<text x="{_PAD - 3}" y="22" font-size="10" text-anchor="end" '
        f'font-family="sans-serif">{html.escape(number(high))}</text>'
        f'<text x="{_PAD - 3}" y="{_H - 18}" font-size="10" text-anchor="end" '
        f'font-family="sans-serif">{html.escape(number(low))}</text>'
        f'<text x="{_W - _PAD}" y="{_H - 4}" font-size="10" text-anchor="end" '
        f'font-family="sans-serif">epoch {html.escape(number(last))}</text></svg>'
    )


def write(parts: list[ExperimentPart], form: str, output: Path | None) -> str:
    """The report as ``form`` (``md`` or ``html``), written to ``output`` when given (a
    Markdown report's charts go to ``<stem>_charts/`` beside it); returns its text."""
    if form == "html":
        text = page(parts)
    else:
        charts_dir = f"{output.stem}_charts" if output is not None else None
        text = markdown(parts, charts_dir)
        found = charts(parts) if output is not None else {}
        if output is not None and found:
            folder = output.parent / f"{output.stem}_charts"
            folder.mkdir(exist_ok=True)
            for name, svg in found.items():
                (folder / name).write_text(svg, encoding="utf-8")
    if output is not None:
        output.write_text(text, encoding="utf-8")
    return text


def chart_name(run: RunEntry) -> str:
    """The file a Markdown report's chart of ``run`` is written to (beside the report)."""
    assert run.curve is not None
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in run.curve.name)
    return f"run-{run.id}-{safe}.svg"


def markdown(parts: list[ExperimentPart], charts_dir: str | None) -> str:
    """The report in Markdown; with ``charts_dir`` (a folder name beside the report) each
    run's curve is an image there (write them with :func:`charts`), else charts are left out."""

    def text(value: str) -> str:
        return html.escape(" ".join(value.split()), quote=False).replace("|", "\\|")

    def code(value: str) -> str:
        return "`" + value.replace("`", "'") + "`"

    lines = [f"# {TITLE}", ""]
    lines.append(
        f"Charts: SVG files in `{charts_dir}/` beside this file."
        if charts_dir
        else "Charts: not included (write the report to a file with -o to get them)."
    )
    for part in parts:
        lines += ["", f"## Experiment {text(part.name)}", ""]
        if part.ranked_by:
            lines.append(f"{text(part.ranked_by[:1].upper() + part.ranked_by[1:])}.")
        for number_, hypothesis in enumerate(part.hypotheses, 1):
            lines += ["", f"### Hypothesis {number_}: {text(hypothesis.text or '(none given)')}"]
            for run in hypothesis.runs:
                lines += ["", f"#### Run #{run.id} ({run.status})", ""]
                lines += _md_run(run, charts_dir, text, code)
        if part.configurations:
            lines += ["", "### Configurations (models × settings), averaged over repeats", ""]
            lines += _md_table(*_configuration_table(part.configurations, part.metric or ""))
        for grid in part.grids:
            lines += ["", f"### {text(grid.headline)}", ""]
            if grid.best:
                lines += [text(grid.best), ""]
            head = [*grid.axes, "runs", part.metric or "metric"]
            rows = [[*(_plain(v.get(a)) for a in grid.axes), _ids(r), m] for v, r, m in grid.rows]
            lines += _md_table(head, rows)
    return "\n".join(lines).rstrip() + "\n"


def _md_run(
    run: RunEntry, charts_dir: str | None, text: Callable[[str], str], code: Callable[[str], str]
) -> Iterator[str]:
    params = ", ".join(code(f"{k}={_plain(v)}") for k, v in run.params.items()) or "none"
    yield f"**Procedure.** Parameters: {params}."
    if run.data:
        yield "Data: " + "; ".join(code(d) for d in run.data) + "."
    if run.nearest is not None:
        yield (
            f"Code: the same as run #{run.nearest}."
            if not run.diff
            else f"Code against run #{run.nearest}:"
        )
        if run.diff:
            yield from ["", "```diff", *run.diff, "```"]
    elif run.code:
        yield from ["", "```python", run.code.rstrip(), "```"]
    if run.upstream is not None:
        yield f"Upstream cells: {text(run.upstream)}."
    for warning in run.warnings:
        yield f"- ⚠ check {text(warning)}"
    yield ""
    yield "**Result.** " + (_metrics_line(run, code) or "no metrics.")
    if run.error:
        yield f"Error: {text(run.error)}"
    if run.curve is not None and charts_dir:
        yield ""
        yield f"![{text(run.curve.name)} of run #{run.id}]({charts_dir}/{chart_name(run)})"
    for inference_id, said, verdict, evidence in run.inferences:
        yield ""
        yield (
            f"**Inference #{inference_id}** ({verdict or 'no verdict'}, on run #{run.id}): "
            f"{text(said)}{' ' + text(evidence) if evidence else ''}"
        )


def charts(parts: list[ExperimentPart]) -> dict[str, str]:
    """Every chart of a Markdown report: file name → SVG text."""
    return {
        chart_name(run): curve_svg(run.curve, run.id)
        for part in parts
        for hypothesis in part.hypotheses
        for run in hypothesis.runs
        if run.curve is not None
    }


def page(parts: list[ExperimentPart]) -> str:
    """The report as one HTML page: no script, no request, charts inline."""
    e = html.escape
    body = [f"<h1>{e(TITLE)}</h1>"]
    for part in parts:
        body.append(f"<h2>Experiment {e(part.name)}</h2>")
        if part.ranked_by:
            body.append(f"<p>{e(part.ranked_by[:1].upper() + part.ranked_by[1:])}.</p>")
        for number_, hypothesis in enumerate(part.hypotheses, 1):
            body.append(f"<h3>Hypothesis {number_}: {e(hypothesis.text or '(none given)')}</h3>")
            body += [_html_run(run) for run in hypothesis.runs]
        if part.configurations:
            body.append("<h3>Configurations (models × settings), averaged over repeats</h3>")
            body.append(_html_table(*_configuration_table(part.configurations, part.metric or "")))
        for grid in part.grids:
            body.append(f"<h3>{e(grid.headline)}</h3>")
            if grid.best:
                body.append(f"<p>{e(grid.best)}</p>")
            head = [*grid.axes, "runs", part.metric or "metric"]
            rows = [[*(_plain(v.get(a)) for a in grid.axes), _ids(r), m] for v, r, m in grid.rows]
            body.append(_html_table(head, rows))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{e(TITLE)}</title><style>{_CSS}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def _html_run(run: RunEntry) -> str:
    e = html.escape
    out = [f'<section class="run"><h4>Run #{run.id} ({e(run.status)})</h4>']
    params = ", ".join(f"<code>{e(k)}={e(_plain(v))}</code>" for k, v in run.params.items())
    out.append(f"<p><b>Procedure.</b> Parameters: {params or 'none'}.")
    if run.data:
        out.append(" Data: " + "; ".join(f"<code>{e(d)}</code>" for d in run.data) + ".")
    out.append("</p>")
    if run.nearest is not None:
        if not run.diff:
            out.append(f"<p>Code: the same as run #{run.nearest}.</p>")
        else:
            out.append(f"<p>Code against run #{run.nearest}:</p><pre>")
            for line in run.diff:
                kind = "add" if line.startswith("+") else "del" if line.startswith("-") else ""
                out.append(f'<span class="{kind}">{e(line)}</span>' if kind else e(line))
            out.append("</pre>")
    elif run.code:
        out.append(f"<pre>{e(run.code.rstrip())}</pre>")
    if run.upstream is not None:
        out.append(f"<p>Upstream cells: {e(run.upstream)}.</p>")
    out += [f'<p class="warn">⚠ check {e(w)}</p>' for w in run.warnings]
    out.append(f"<p><b>Result.</b> {e(_metrics_line(run, str) or 'no metrics.')}</p>")
    if run.error:
        out.append(f"<p>Error: {e(run.error)}</p>")
    if run.curve is not None:
        out.append(curve_svg(run.curve, run.id))
    for inference_id, said, verdict, evidence in run.inferences:
        out.append(
            f"<p><b>Inference #{inference_id}</b> ({e(verdict or 'no verdict')}, on run "
            f"#{run.id}): {e(said)}<span class='muted'>{e(evidence)}</span></p>"
        )
    out.append("</section>")
    return "\n".join(out)


def _metrics_line(run: RunEntry, code: Callable[[str], str]) -> str:
    names = sorted(run.metrics, key=lambda n: (n != run.key, n))
    return ", ".join(code(f"{n} {number(run.metrics[n])}") + f" (#{run.id})" for n in names)


def _configuration_table(
    rows: list[ConfigurationRow], metric: str
) -> tuple[list[str], list[list[str]]]:
    names = sorted({k for r in rows for k in r.params})
    head = [*names, "runs", "n", f"{metric} mean ± 95 % interval", "best against it"]
    table = []
    for row in rows:
        half = (row.high - row.low) / 2
        shown = number(row.mean) + (f" ± {number(half)}" if math.isfinite(half) else "")
        table.append(
            [
                *(_plain(row.params.get(k)) for k in names),
                _ids(row.runs),
                str(row.n),
                shown,
                "best" if row.verdict is None else row.verdict,
            ]
        )
    return head, table


def _md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    def cell(value: str) -> str:
        return html.escape(" ".join(value.split()), quote=False).replace("|", "\\|")

    lines = ["| " + " | ".join(cell(h) for h in head) + " |"]
    lines.append("| " + " | ".join("---" for _ in head) + " |")
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return lines


def _html_table(head: list[str], rows: list[list[str]]) -> str:
    e = html.escape
    out = ["<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr>"]
    out += ["<tr>" + "".join(f"<td>{e(v)}</td>" for v in row) + "</tr>" for row in rows]
    return "".join(out) + "</table>"


def _ids(runs: tuple[int, ...]) -> str:
    return ", ".join(f"#{i}" for i in runs)


def _plain(value: object) -> str:
    if isinstance(value, float):
        return number(value)
    return "–" if value is None else str(value)
