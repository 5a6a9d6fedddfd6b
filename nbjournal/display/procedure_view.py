"""The procedure of a run as people read it: the status badge with its reason, the
upstream cells (code collapsed), and one line when an earlier run shown is not clean.

Code and names are the user's: escaped, never markup.
"""

from __future__ import annotations

import warnings
from collections.abc import Container
from html import escape
from typing import TYPE_CHECKING

from ..rules import format as fmt

if TYPE_CHECKING:
    from ..analysis.staleness import ProcedureReport
    from ..store import Store
    from ..store.procedures import ProcedureRecord
    from .kit import View

#: Badge colours by status (clean green; stale amber; hidden state grey-blue).
_COLOURS = {
    "clean": "#2e7d32",
    "out of order": "#b26a00",
    "upstream edited": "#b26a00",
    "upstream gone": "#c62828",
    "hidden state": "#5c6bc0",
}


class ProcedureView:
    """``%journal show ID``'s procedure section (from an analysis ``ProcedureReport``)."""

    def __init__(self, report: ProcedureReport) -> None:
        self.report = report

    def _head(self) -> str:
        report = self.report
        if report.status is None:
            return "procedure: not recorded for this run"
        cells = report.record.slice.get("cells", [])
        line = f"procedure: {report.status.status} — {report.status.reason} · "
        line += f"{len(cells)} upstream cell{'s' if len(cells) != 1 else ''}"
        return line + _replay_note(report.record)

    def text(self) -> str:
        lines = [self._head()]
        if self.report.status is not None:
            for cell in self.report.record.slice.get("cells", []):
                names = ", ".join(cell.get("names", []))
                lines.append(f"  In [{cell.get('execution_count')}] ({names})")
                lines += [f"    {line}" for line in str(cell.get("code", "")).splitlines()]
        return "\n".join(lines)

    def html(self) -> str:
        report = self.report
        if report.status is None:
            return f"<div class='nbj nbj-muted'>{escape(self._head())}</div>"
        status = report.status.status
        colour = _COLOURS.get(status, "#555")
        cells = "".join(
            f"<details><summary>In [{escape(str(c.get('execution_count')))}] "
            f"<span style='color:#666'>{escape(', '.join(c.get('names', [])))}</span></summary>"
            f"<pre>{escape(str(c.get('code', '')))}</pre></details>"
            for c in report.record.slice.get("cells", [])
        )
        return (
            f"<div class='nbj nbj-procedure'><b>Procedure</b> "
            f"<span class='nbj-status' style='color:{colour};border:1px solid {colour};"
            f"border-radius:8px;padding:0 .5em'>{escape(status)}</span> "
            f"<span style='color:#666'>{escape(report.status.reason)}"
            f"{escape(_replay_note(report.record))}</span>{cells}</div>"
        )

    def _repr_mimebundle_(
        self, include: Container[str] | None = None, exclude: Container[str] | None = None
    ) -> dict[str, str]:
        return {"text/plain": self.text(), "text/html": self.html()}

    def __repr__(self) -> str:
        return self.text()


def _replay_note(record: ProcedureRecord) -> str:
    parts = []
    if record.reproduced:
        parts.append(f" · reproduced {fmt.when(record.reproduced)}")
    if record.replay_of:
        parts.append(f" · a replay of #{record.replay_of}")
    return "".join(parts)


class StaleNote:
    """One line under the closest-run line or the restore notice: the earlier run's
    procedure is not clean, so its result may not be what this notebook computes."""

    def __init__(self, run_id: int, status: str, reason: str) -> None:
        self.run_id, self.status, self.reason = run_id, status, reason

    def text(self) -> str:
        return f"⚠ run #{self.run_id}'s procedure is {self.status}: {self.reason}"

    def _repr_mimebundle_(
        self, include: Container[str] | None = None, exclude: Container[str] | None = None
    ) -> dict[str, str]:
        colour = _COLOURS.get(self.status, "#555")
        html = f"<div class='nbj' style='color:{colour}'>{escape(self.text())}</div>"
        return {"text/plain": self.text(), "text/html": html}


def show_if_stale(store: Store, run_id: int | None) -> None:
    """Display a :class:`StaleNote` when ``run_id``'s procedure is known and not clean.
    Never stops the cell: a failure is one warning."""
    if run_id is None:
        return
    try:
        from IPython.display import display

        from ..analysis.staleness import procedure_report

        report = procedure_report(store, int(run_id))
        if report.status is not None and report.status.status != "clean":
            display(StaleNote(int(run_id), report.status.status, report.status.reason))
    except Exception as failure:  # the journal's failure, never the user's
        from ..errors import JournalWarning

        warnings.warn(
            f"nbjournal: run #{run_id}'s procedure is not checked ({failure})",
            JournalWarning,
            stacklevel=2,
        )


class WithProcedure:
    """A run's view followed by its procedure, as one output (``%journal show``)."""

    def __init__(self, view: View, procedure: ProcedureView) -> None:
        self.view, self.procedure = view, procedure

    def text(self) -> str:
        return f"{self.view.text()}\n{self.procedure.text()}"

    def _repr_mimebundle_(
        self, include: Container[str] | None = None, exclude: Container[str] | None = None
    ) -> dict[str, str]:
        bundle = dict(self.view._repr_mimebundle_(include, exclude))
        bundle["text/plain"] = self.text()
        bundle["text/html"] = bundle.get("text/html", "") + self.procedure.html()
        return bundle

    def __repr__(self) -> str:
        return self.text()


def with_procedure(view: View, store: Store, run_id: int) -> WithProcedure:
    """``view`` of run ``run_id`` with the run's procedure checked now."""
    from ..analysis.staleness import procedure_report

    return WithProcedure(view, ProcedureView(procedure_report(store, run_id)))
