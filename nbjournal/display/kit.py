"""The pieces every notebook view shares: one style sheet, the view base, inline styles that
survive JupyterLab's sanitiser, status and verdict badges, a plain table.

Everything put in HTML here is escaped: user text is data, never markup.
"""

from __future__ import annotations

from collections.abc import Container
from html import escape

from ..rules import format as fmt
from ..rules import palette

STYLE = (
    """<style>
.nbj{font-family:var(--jp-ui-font-family,system-ui,sans-serif);font-size:13px;
 color:var(--jp-ui-font-color1,#222);max-width:980px}
.nbj .nbj-head{display:flex;gap:.6em;align-items:baseline;flex-wrap:wrap;margin:.2em 0 .4em}
.nbj .nbj-id{font-weight:600}
.nbj .nbj-muted{color:var(--jp-ui-font-color2,#666)}
.nbj .nbj-status{padding:0 .5em;border-radius:8px;font-size:12px;border:1px solid currentColor}
"""
    + palette.css_classes(".nbj", "s", palette.STATUS)
    + """
.nbj table{border-collapse:collapse;margin:.3em 0}
/* doubled class: outweighs JupyterLab's right-aligned rendered-HTML cells */
.nbj.nbj th,.nbj.nbj td{padding:2px 10px 2px 0;text-align:left;vertical-align:top}
.nbj th{font-weight:600;color:var(--jp-ui-font-color2,#555);border-bottom:1px solid var(--jp-border-color2,#ddd)}
.nbj.nbj td.num{text-align:right;font-variant-numeric:tabular-nums}
.nbj .nbj-diff{background:var(--jp-warn-color3,#fff3cd)}
.nbj .nbj-note{border-left:3px solid var(--jp-brand-color1,#1976d2);padding:.3em .7em;margin:.4em 0;
 background:var(--jp-layout-color2,#f5f7fa)}
.nbj pre{background:var(--jp-layout-color2,#f5f7fa);padding:.5em;overflow:auto;max-height:24em}
"""
    + palette.css_classes(".nbj", "v", palette.VERDICT)
    + "</style>"
)


class View:
    def html(self) -> str:
        raise NotImplementedError

    def text(self) -> str:
        raise NotImplementedError

    def _repr_mimebundle_(
        self, include: Container[str] | None = None, exclude: Container[str] | None = None
    ) -> dict[str, str]:
        return {"text/plain": self.text(), "text/html": STYLE + self.html()}

    def __repr__(self) -> str:
        return self.text()


# A notebook JupyterLab does not trust (written by someone else) loses the <style> above;
# inline styles of the kinds its sanitiser keeps, and spaces between a header's items,
# keep these views readable there (JupyterLab would right-align every cell).
TEXT = " style='text-align:left;padding-right:10px'"
NOWRAP = " style='text-align:left;padding-right:10px;white-space:nowrap'"
NUM = " style='text-align:right;padding-right:10px'"
NOTE = f" style='border-left:3px solid {palette.PROGRESS};padding-left:.7em'"


def status_badge(status: str, pending: int = 0) -> str:
    badge = f'<span class="nbj-status s-{escape(status)}">{escape(status)}</span>'
    return badge + (
        f" <span class='nbj-muted'>{escape(pending_note(pending))}</span>" if pending else ""
    )


def pending_note(pending: int) -> str:
    """A run whose points are not all in the journal is never shown as complete without this."""
    return f"{pending:,} points pending (kept locally until the journal takes them)"


def verdict_badge(verdict: str | None) -> str:
    return f'<b class="v-{escape(verdict)}">{escape(verdict)}</b> · ' if verdict else ""


def html_table(head: list[str], rows: list[list[str]]) -> str:
    if not rows:
        return ""
    header = "".join(f"<th{TEXT}>{escape(h)}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(f"<td{TEXT}>{escape(c)}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><tr>{header}</tr>{body}</table>"


def evidence_note(inference: object) -> str:
    """`` · evidence: #41 vs #42: val_accuracy +0.004 (…): within noise``, or nothing."""
    return fmt.evidence(getattr(inference, "evidence", None))
