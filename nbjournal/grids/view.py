"""The grid's live view: a table of points above the current point's live view.

In a notebook, one ``HTML`` widget (the headline and a window of the table)
updated in place, and an ``Output`` widget below it where each point's own
live view appears and is replaced by the next point's. What is sent per point
does not grow with the grid: the table shows a window of rows (the best, the
running one, the latest, the next), never all of them; the summary shown at the
end has them all. In a terminal or a script: one text line per point.
"""

from __future__ import annotations

import sys
from html import escape
from typing import TYPE_CHECKING, TextIO

from ..rules import format as fmt
from ..rules import palette
from .grid_progress import GridProgress, PointRow

if TYPE_CHECKING:
    from IPython.display import DisplayHandle

    from ..live.chart import LiveChart
    from ..recording.recorder import Sink
    from .running_curves import CurvesChart, RunningCurves

#: Rows of the table the live view shows at most (the summary at the end shows them all).
WINDOW = 10

#: The statuses' colours (:mod:`nbjournal.rules.palette`), and the grid's own two.
_STATUS_COLOURS = {
    **palette.STATUS,
    "skipped": "var(--jp-ui-font-color2,#666)",
    "pending": "var(--jp-ui-font-color3,#999)",
}

_CELL = "padding:1px 12px 1px 0;text-align:left;white-space:nowrap"
_NUM = "padding:1px 12px 1px 0;text-align:right;white-space:nowrap"


def grid_view(live: bool) -> QuietGridView:
    """The view for this process: the widget in a notebook, text lines elsewhere, or none."""
    import os

    from ..live import in_notebook

    mode = os.environ.get("NBJOURNAL_LIVE", "auto").strip().lower()
    if not live or mode == "off":
        return QuietGridView()
    if mode == "widget" or (mode != "text" and in_notebook()):
        try:
            return WidgetGridView()
        except ImportError:
            pass
    return TextGridView()


class QuietGridView:
    """``--no-live``: the grid records and shows only its summary."""

    def begin(self, progress: GridProgress, message: str) -> None:
        print(message)

    def point_sinks(self) -> list[Sink]:
        return []

    def point_started(self, progress: GridProgress, index: int) -> None:
        pass

    def point_ended(self, progress: GridProgress, index: int) -> None:
        pass

    def show_curves(self, curves: RunningCurves) -> None:
        """The running points' curves read from the journal (a grid on a cluster)."""

    def end(self, progress: GridProgress, summary: object = None) -> bool:
        """The grid ended; ``summary`` (every point), when the journal gave it, is to be shown.
        True when the view showed it in its own place (else the caller shows it)."""
        return False


class TextGridView(QuietGridView):
    """One line per point, as it ends."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream

    @property
    def stream(self) -> TextIO:
        return self._stream or sys.stdout

    def point_ended(self, progress: GridProgress, index: int) -> None:
        print(point_line(progress, progress.rows[index]), file=self.stream, flush=True)


class WidgetGridView(QuietGridView):
    """The notebook view: the table widget, and below it the running point's live view."""

    def __init__(self) -> None:
        import ipywidgets as widgets

        self._widgets = widgets
        self.table = widgets.HTML()
        self.output = widgets.Output()
        self.box = widgets.VBox([self.table, self.output])
        self.box.add_class("nbj-grid-live")
        self.sent = 0  # characters pushed to the front end, for the benchmark
        self._shown: dict[str, int] = {}  # display id -> its index in ``output``
        self.curves: CurvesChart | None = None  # the running points' chart (a grid on a cluster)
        self._handle: DisplayHandle | None = (
            None  # where the box is shown, for the table that replaces it
        )

    def begin(self, progress: GridProgress, message: str) -> None:
        from IPython.display import display

        print(message)
        self._draw(progress)
        self._handle = display(self.box, display_id=True)

    def point_sinks(self) -> list[Sink]:
        from ..live.widget import LiveView

        return [LiveView(display=self._show)]

    def _show(
        self,
        obj: object,
        raw: bool = False,
        display_id: str | None = None,
        update: bool = False,
        **_: object,
    ) -> None:
        """Display into the output below the table (from any thread, with no ``with``); with
        ``update``, replace what was shown under ``display_id`` (the live view by its record)."""
        if update:
            where = self._shown.get(display_id or "")
            if where is not None and where < len(self.output.outputs) and raw:
                outputs = list(self.output.outputs)
                outputs[where] = {"output_type": "display_data", "data": obj, "metadata": {}}
                self.output.outputs = tuple(outputs)
                return
        if raw and isinstance(obj, dict):
            self.output.outputs += ({"output_type": "display_data", "data": obj, "metadata": {}},)
        else:
            self.output.append_display_data(obj)
        if display_id:
            self._shown[display_id] = len(self.output.outputs) - 1

    def point_started(self, progress: GridProgress, index: int) -> None:
        self.output.outputs = ()
        self._shown.clear()
        self._draw(progress)

    def point_ended(self, progress: GridProgress, index: int) -> None:
        self._draw(progress)

    def show_curves(self, curves: RunningCurves) -> None:
        """Below the table, the running points' curves; none when no point runs."""
        from .running_curves import CurvesChart

        if self.curves is None:
            self.curves = CurvesChart()
        chart = self.curves.draw(curves) if curves.runs else None
        self._place(chart)

    def _place(self, chart: LiveChart | None) -> None:
        children = (self.table, self.output) if chart is None else (self.table, chart, self.output)
        if self.box.children != children:
            self.box.children = children

    def end(self, progress: GridProgress, summary: object = None) -> bool:
        """The summary (every point) in the box's place, else the table as plain HTML; then
        the widgets closed, so that reopening the saved notebook finds no widget whose model
        is gone, and no empty output is left behind (issue 21.14)."""
        self.output.outputs = ()
        self._shown.clear()
        self._place(None)
        self._draw(progress)
        if self._handle is None:
            return False
        if summary is not None:
            self._handle.update(summary)
        else:
            static = {
                "text/html": f"<div class='nbj-grid-ended'>{self.table.value}</div>",
                "text/plain": progress.headline(),
            }
            self._handle.update(static, raw=True)
        chart = self.curves.chart if self.curves is not None else None
        if chart is not None:
            chart.forget()  # a headless run saves the last state of every model (issue 21.4)
        for widget in (self.table, self.output, chart, self.box):
            if widget is not None:
                widget.close()
        return summary is not None

    def _draw(self, progress: GridProgress) -> None:
        value = live_html(progress)
        if value != self.table.value:
            self.sent += len(value)
            self.table.value = value


def live_html(progress: GridProgress) -> str:
    """The headline and a window of the table, escaped: values and errors are data."""
    best = progress.best()
    rows = window(progress, best)
    key = progress.key
    head = "".join(f"<th style='{_CELL}'>{escape(n)}</th>" for n in progress.names)
    head += f"<th style='{_CELL}'>status</th>"
    head += f"<th style='{_CELL}'>{escape(key) if key else 'metric'}</th>"
    head += f"<th style='{_CELL}'>time</th><th style='{_CELL}'>run</th>"
    # one notation per column over every point of the grid: 3e-5 by 1e-3
    exponents = {
        n: fmt.in_exponents([r.values.get(n) for r in progress.rows]) for n in progress.names
    }
    body = "".join(_row_html(progress, row, key, row is best, exponents) for row in rows)
    hidden = progress.total - len(rows)
    more = (
        f"<div style='color:var(--jp-ui-font-color2,#666)'>… {hidden} more points "
        "(all of them in the summary at the end)</div>"
        if hidden > 0
        else ""
    )
    title = f"grid #{progress.grid_id} · " if progress.grid_id is not None else "grid · "
    return (
        "<div class='nbj-grid' style='font-family:var(--jp-ui-font-family,system-ui,sans-serif);"
        "font-size:13px;color:var(--jp-ui-font-color1,#222)'>"
        f"<div><b>{escape(title + progress.experiment)}</b> "
        f"<span style='font-variant-numeric:tabular-nums'>{escape(progress.headline())}</span></div>"
        f"<table style='border-collapse:collapse;font-variant-numeric:tabular-nums'>"
        f"<tr>{head}</tr>{body}</table>{more}</div>"
    )


def window(progress: GridProgress, best: PointRow | None) -> list[PointRow]:
    """At most :data:`WINDOW` rows, in grid order: the best, the running, the latest, the next."""
    rows = progress.rows
    if len(rows) <= WINDOW:
        return rows
    chosen: set[int] = set()
    if best is not None:
        chosen.add(best.index)
    if progress.current is not None:
        chosen.add(progress.current)
    ended = [r.index for r in rows if r.status not in ("pending", "running")]
    pending = [r.index for r in rows if r.status == "pending"]
    for index in reversed(ended):
        if len(chosen) >= WINDOW // 2 + 1:
            break
        chosen.add(index)
    for index in pending:
        if len(chosen) >= WINDOW:
            break
        chosen.add(index)
    for index in reversed(ended):
        if len(chosen) >= WINDOW:
            break
        chosen.add(index)
    return [rows[i] for i in sorted(chosen)]


def _row_html(
    progress: GridProgress,
    row: PointRow,
    key: str | None,
    best: bool,
    exponents: dict[str, bool],
) -> str:
    colour = _STATUS_COLOURS.get(row.status, "inherit")
    cells = "".join(
        f"<td style='{_CELL}'>"
        f"{escape(fmt.param(row.values.get(n, ''), exponents=exponents[n]))}</td>"
        for n in progress.names
    )
    status = escape(row.status)
    if row.error:
        status += (
            f" <span title='{escape(row.error)}'>({escape(fmt.first_line(row.error, 60))})</span>"
        )
    cells += f"<td style='{_CELL};color:{colour}'>{status}</td>"
    value = row.metrics.get(key) if key else None
    mark = " ★ best" if best else ""
    cells += f"<td style='{_NUM}'>{escape(fmt.number(value))}{mark}</td>"
    cells += f"<td style='{_NUM}'>{escape(fmt.duration(row.seconds)) if row.seconds else ''}</td>"
    cells += f"<td style='{_CELL}'>{'#' + str(row.run_id) if row.run_id else ''}</td>"
    weight = "font-weight:600;" if best else ""
    return f"<tr style='{weight}'>{cells}</tr>"


def point_line(progress: GridProgress, row: PointRow) -> str:
    """``[3/12] units=32 lr=0.01  finished  val_accuracy 0.9312  1.2 s  #17``."""
    values = " ".join(f"{n}={fmt.param(v)}" for n, v in row.values.items())
    key = progress.key
    parts = [f"[{progress.processed}/{progress.total}]", values, row.status]
    if key and row.metrics.get(key) is not None:
        parts.append(f"{key} {fmt.number(row.metrics[key])}")
    if row.seconds:
        parts.append(fmt.duration(row.seconds))
    if row.run_id:
        parts.append(f"#{row.run_id}")
    if row.error:
        parts.append(fmt.first_line(row.error, 80))
    return "  ".join(parts)
