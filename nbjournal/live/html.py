"""The live view's words as HTML: header, progress, footer, and the record saved at the end.

Everything the user wrote (experiment name, hypothesis, error text) is
escaped: user text is data, never markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import SupportsInt, cast

from ..rules import format as fmt
from ..rules import palette
from .progress import clock, rate
from .state import RunState

#: Styles of the view. The same sheet travels with the live widget and with the record
#: that replaces it at the end; in a dark theme the static chart (dark lines, no background)
#: is shown inverted, light on the page's colour, its colours' hues kept. Its last rule hides
#: the "model not found" line of a notebook saved by an earlier nbjournal, whose live view
#: stayed beside its record.
CSS = (
    """
.nbj-view{font-family:var(--jp-ui-font-family,system-ui,sans-serif);font-size:13px;
 color:var(--jp-ui-font-color1,#222);max-width:900px;line-height:1.45}
.nbj-view .nbj-head{display:flex;gap:.55em;align-items:baseline;flex-wrap:wrap;margin:0;
 padding:2px 0}
.nbj-view .nbj-name{font-weight:600;font-size:14px}
.nbj-view .nbj-muted{color:var(--jp-ui-font-color2,#666)}
.nbj-view .nbj-hyp{color:var(--jp-ui-font-color2,#555);font-style:italic;flex:1 1 24ch;
 min-width:0;overflow-wrap:anywhere}
.nbj-view .nbj-badge{padding:0 .6em;border-radius:9px;font-size:11.5px;line-height:17px;
 border:1px solid currentColor;font-weight:600;white-space:nowrap}
"""
    + palette.css_classes(".nbj-view", "s", palette.STATUS)
    + """
.nbj-view .nbj-bar{height:5px;background:var(--jp-layout-color3,#e3e3e3);border-radius:3px;
 overflow:hidden;margin:5px 0 3px;max-width:880px}
.nbj-view .nbj-bar>div{height:100%;background:"""
    + palette.PROGRESS
    + "}"
    + "".join(
        f".nbj-view .nbj-bar.s-{name}>div{{background:{colour}}}"
        for name, colour in palette.STATUS.items()
        if name != "running"
    )
    + """
.nbj-view .nbj-line{font-variant-numeric:tabular-nums}
.nbj-view .nbj-line b{font-weight:600}
.nbj-view table.nbj-best{border-collapse:collapse;margin:0 0 2px;font-variant-numeric:tabular-nums}
.nbj-view .nbj-foot,.nbj-view.nbj-foot{padding-top:4px}
.nbj-view table.nbj-best th,.nbj-view table.nbj-best td{padding:1px 14px 1px 0;text-align:left;
 white-space:nowrap;line-height:19px;font-size:13px}
.nbj-view table.nbj-best th{font-weight:600;color:var(--jp-ui-font-color2,#555)}
.nbj-view table.nbj-best tr{background:none!important;border:0}
.nbj-view table.nbj-best td.n{text-align:right}
.nbj-view .nbj-note{padding:2px 8px;margin:4px 0;
 background:var(--jp-layout-color2,#f7f7f7);max-width:880px}
.nbj-live>.jupyter-widgets{margin:0}
.jp-OutputArea-output>.nbj-view.nbj-static{margin:0;display:flow-root}
.jp-OutputArea-output>img[src*="nbj-static"]{display:block}
body[data-jp-theme-light="false"] .jp-OutputArea-output>img[src*="nbj-static"]{
 filter:invert(1) hue-rotate(180deg)}
.nbj-live .widget-html,.nbj-live .widget-html>.widget-html-content{min-height:0;height:auto;
 line-height:inherit}
.jp-OutputArea-child:has(>.jp-OutputArea-output.jupyter-widgets):has(~.jp-OutputArea-child .nbj-static){
 display:none}
"""
)


#: The sheet as the live view carries it, in its header from the first draw: the widgets'
#: own styles (taller lines) never show, so nothing moves when the chart joins.
STYLE = f"<style>{CSS}</style>"


# A notebook JupyterLab does not trust (written by someone else) loses every <style>;
# inline styles of the kinds its sanitiser keeps, and spaces between the header's
# items, keep the saved record readable there. The sheet above refines them.
_LEFT = " style='text-align:left;padding-right:14px;white-space:nowrap'"
_RIGHT = " style='text-align:right;padding-right:14px;white-space:nowrap'"
#: Notes whose border is orange (a warning) rather than red (a problem).
_MILD = {"plateau", "underfitting", "oscillating", "warn", "interrupted"}


def _note(kind: str) -> str:
    colour = palette.WARNING if kind in _MILD else palette.PROBLEM
    return f" style='border-left:3px solid {colour};padding-left:8px;margin-top:4px'"


def header(state: RunState) -> str:
    status = state.status
    badges = _badge(status)
    if state.diverged:
        badges += " " + _badge("diverged")
    hypothesis = (
        f"<span class='nbj-hyp' title='{escape(state.hypothesis)}'>{escape(state.hypothesis)}</span>"
        if state.hypothesis
        else ""
    )
    return (
        f"<div class='nbj-head'>{badges} <span class='nbj-name'>{escape(state.experiment)}</span> "
        f"<span class='nbj-muted'>run {state.label}</span> {hypothesis}</div>"
    )


def progress(state: RunState) -> str:
    """The bar and the line under it: where the current fit is, and how fast it goes."""
    fit = state.current
    bad = state.diverged and state.status in ("running", "finished")
    status = "diverged" if bad else state.status
    if fit is None:
        return f"<div class='nbj-line nbj-muted'>{escape(_waiting(state))}</div>"
    fraction = fit.fraction()
    if state.status == "finished":
        fraction = 1.0 if fraction is None or fit.batch < 0 else fraction
    width = f"{100 * (fraction or 0):.1f}%"
    where = fit.position(ended=state.status == "finished")
    if len(state.fits) > 1:
        label = state.labels[fit.part] if fit.part < len(state.labels) else ""
        where = f"fit {fit.part + 1}{f' ({label})' if label else ''} · {where}"
    speed = rate(fit.samples_per_second(), "samples") or rate(fit.batches_per_second(), "batches")
    if state.status == "running":
        left = fit.remaining()
        times = [f"{clock(state.elapsed())} elapsed"]
        if left is not None:
            times.append(f"~{clock(left)} left")
    else:
        times = [f"{state.status} after {clock(state.elapsed())}"]
    if speed:
        times.append(speed)
    return (
        f"<div class='nbj-bar s-{escape(status)}'><div style='width:{width}'></div></div>"
        f"<div class='nbj-line'><b>{escape(where)}</b> "
        f"<span class='nbj-muted'>· {escape(' · '.join(times))}</span></div>"
    )


def footer(state: RunState) -> str:
    """Best value of each metric and its epoch, then diagnoses, warnings and the end."""
    parts = [_bests(state)]
    for diagnosis in state.diagnoses:
        kind = str(diagnosis.get("kind", ""))
        where = (
            f" (fit {int(cast(SupportsInt, diagnosis.get('part', 0))) + 1})"
            if len(state.fits) > 1
            else ""
        )
        parts.append(
            f"<div class='nbj-note k-{escape(kind)}'{_note(kind)}><b>{escape(kind)}</b>{escape(where)}: "
            f"{escape(str(diagnosis.get('message', '')))}</div>"
        )
    for warning in state.warnings:
        parts.append(
            f"<div class='nbj-note warn'{_note('warn')}><b>journal</b>: {escape(warning)}</div>"
        )
    end = ending(state)
    if end:
        parts.append(
            f"<div class='nbj-note k-{escape(state.status)}'{_note(state.status)}>{escape(end)}</div>"
        )
    return "".join(parts)


def ending(state: RunState) -> str:
    """What the end of a run that did not finish means for what was recorded."""
    if state.status == "interrupted":
        where = f" at {state.current.position()}" if state.current else ""
        return f"Interrupted{where}: every point recorded before the stop is kept."
    if state.status == "failed":
        line = fmt.error_summary(state.error)
        detail = f": {line}" if line else ""
        return f"Failed{detail}. The points recorded before the error are kept."
    return ""


def findings(found: list[dict[str, object]]) -> str:
    """The checks' findings, one line each: ``name: evidence — fix``."""
    return "".join(
        f"<div class='nbj-note k-check'{_note('warn')}><b>{escape(str(f.get('name', '')))}</b>: "
        f"{escape(str(f.get('message', '')))}</div>"
        for f in found
    )


def findings_block(found: list[dict[str, object]]) -> str:
    """The findings shown on their own, before the live view exists (before ``fit``)."""
    return f"<div class='nbj-view nbj-checks'>{findings(found)}</div>"


def record_top(state: RunState) -> str:
    """The static copy of the view's header and progress: it replaces the live view at the
    run's end (the static chart, then :func:`record_bottom`, follow it)."""
    return (
        f"<style>{CSS}</style><div class='nbj-view nbj-static'>"
        f"{findings(state.checks)}{header(state)}{progress(state)}</div>"
    )


def record_bottom(state: RunState) -> str:
    """The static copy of the view's footer (best values, diagnoses, how the run ended)."""
    foot = footer(state)
    return f"<div class='nbj-view nbj-static nbj-foot'>{foot}</div>" if foot else ""


def card(state: RunState, estimator: Mapping[str, object], results: dict[str, float]) -> str:
    """A compact card for a cell that fitted scikit-learn estimators (no epochs to draw)."""
    name = escape(str(estimator.get("class", "estimator")))
    shown = [(k, v) for k, v in estimator.items() if k != "class"]
    params = " · ".join(f"{escape(str(k))}={escape(fmt.param(v))}" for k, v in shown[:8])
    more = f" <span class='nbj-muted'>(+{len(shown) - 8} more)</span>" if len(shown) > 8 else ""
    metrics = "".join(
        f"<th{_LEFT}>{escape(n)}</th><td class='n'{_RIGHT}>{escape(fmt.number(v))}</td>"
        for n, v in results.items()
    )
    table = f"<table class='nbj-best'><tr>{metrics}</tr></table>" if metrics else ""
    return (
        f"<style>{CSS}</style><div class='nbj-view'>{header(state)}"
        f"<div class='nbj-line'><b>{name}</b> <span class='nbj-muted'>· took "
        f"{escape(clock(state.elapsed()))}</span></div>"
        f"<div class='nbj-line nbj-muted'>{params}{more}</div>{table}{footer(state)}</div>"
    )


def _badge(status: str) -> str:
    return f"<span class='nbj-badge s-{escape(status)}'>{escape(status)}</span>"


def _waiting(state: RunState) -> str:
    return "waiting for the first fit…" if state.status == "running" else state.status


_PENDING = (
    "<table class='nbj-best nbj-pending'><tr><th></th><th>&nbsp;</th></tr>"
    f"<tr><th{_LEFT}>best</th><td class='nbj-muted'>after the first epoch</td></tr></table>"
)


def _bests(state: RunState) -> str:
    names = state.metric_names()
    if not names:
        # the table's room while the first epoch trains: the view does not grow when it ends
        return _PENDING if state.status == "running" and state.fits else ""
    several = len(state.fits) > 1
    head = "".join(f"<th{_LEFT}>{escape(n)}</th>" for n in names)
    rows = []
    for part in sorted(state.bests):
        bests = state.bests[part]
        label = state.labels[part] if several and part < len(state.labels) else "best"
        cells = "".join(_best_cell(bests.get(n)) for n in names)
        rows.append(f"<tr><th{_LEFT}>{escape(label)}</th>{cells}</tr>")
    return f"<table class='nbj-best'><tr><th></th>{head}</tr>{''.join(rows)}</table>"


def _best_cell(best: tuple[float, int] | None) -> str:
    if best is None:
        return "<td></td>"
    value, epoch = best
    return (
        f"<td class='n'{_RIGHT}>{escape(fmt.number(value))} "
        f"<span class='nbj-muted'>epoch {epoch + 1}</span></td>"
    )
