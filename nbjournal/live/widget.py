"""The notebook sink: one view per run that updates in place while ``fit`` trains.

A header (status, experiment, run, hypothesis), a progress line, the live
chart and a footer (best values, diagnoses, warnings), in one ``VBox``. Every
event only updates state; what changed is pushed to the front end a few times
a second at most (``DRAW_INTERVAL_S``), never by ``clear_output``. When the
run ends the view is replaced, in place, by a static record of the same
layout (the words as HTML, the chart as SVG and PNG) and its widgets are
emptied and closed: the saved notebook shows the run anywhere, and holds no
widget whose model would be missing when it is opened again, nor (executed
headless, where the widget state is saved) the chart's 900 kB script.
"""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from . import html, preparation, record_process
from .chart import LiveChart
from .record_chart import Drawing
from .record_process import draw
from .series import BATCH_SAMPLES_PER_EPOCH, ChartData
from .sink_base import SinkBase, locked
from .spec import MAX_DOTS, chart_height, diagnosis_marks, live_spec
from .state import RunState
from .text import summary

if TYPE_CHECKING:
    from ..recording.recorder import RunRecorder

#: At most this often (seconds) is anything sent to the front end while a run trains.
DRAW_INTERVAL_S = 0.25

#: Diagnoses drawn as a rule on the curve, at the epoch where they start.


class _ViewBox(widgets.VBox):
    """The view's container; its plain-text form is a line, not a widget repr."""

    text = ""

    def _repr_mimebundle_(self, **kwargs: object) -> object:
        bundle = super()._repr_mimebundle_(**kwargs)
        if isinstance(bundle, dict):
            bundle["text/plain"] = self.text
        return bundle


class LiveView(SinkBase):
    """The :class:`~nbjournal.recording.recorder.Sink` shown in a notebook."""

    #: The view draws its own progress: Keras' text bar, unless asked for, only repeats it.
    shows_progress = True

    def __init__(self, display: Callable[..., object] | None = None) -> None:
        if display is None:
            from IPython.display import display as ipython_display

            display = ipython_display
        self._display: Callable[..., object] = display
        super().__init__()
        self.data = ChartData()
        self.box: _ViewBox | None = None
        self.chart: LiveChart | None = None
        self._head: Any = None
        self._progress: Any = None
        self._foot: Any = None
        self._room_box: Any = None
        self._steps: int | None = None
        self._stride = 1
        self._marks: list[dict[str, object]] = []
        self._spec_key: Any = None
        self.spec: dict[str, object] = {}
        self._next_draw = 0.0
        self._foot_dirty = True
        self.draws = 0
        self._chart_failed = False
        self._drawing: Drawing | None = None
        self._display_id = uuid.uuid4().hex
        self._room = chart_height(1)

    # -- recorder events -----------------------------------------------------------------

    @locked
    def fit_started(
        self, recorder: RunRecorder, part: int, epochs: int | None, steps: int | None
    ) -> None:
        self._start_fit(recorder, part, epochs, steps)
        self._steps = steps
        self._stride = max(1, math.ceil((steps or 1) / BATCH_SAMPLES_PER_EPOCH))
        preparation.prepare()
        if record_process.drawn_here:  # the second fit of a kernel: the record drawn apart
            record_process.start()
        self._show()
        self._draw(time.monotonic())

    @locked
    def batch_ended(
        self, recorder: RunRecorder, part: int, epoch: int, batch: int, logs: Mapping[str, object]
    ) -> None:
        fit = self._fit
        if fit is None or self.state is None or self.state.status != "running":
            return
        fit.batch_ended(epoch, batch)
        if self._steps and batch % self._stride == 0:
            self.data.add_batch(part, epoch + (batch + 1) / self._steps, logs)
        now = time.monotonic()
        if now >= self._next_draw:
            self._draw(now)

    @locked
    def epoch_ended(
        self, recorder: RunRecorder, part: int, epoch: int, logs: Mapping[str, float | None]
    ) -> None:
        fit = self._fit
        if fit is not None:
            fit.epoch_ended(epoch, steps_seen=fit.batch + 1 if fit.batch >= 0 else None)
            if self._steps is None and fit.steps:
                self._steps = fit.steps
                self._stride = max(1, math.ceil(fit.steps / BATCH_SAMPLES_PER_EPOCH))
        self._state(recorder).epoch_ended(part, epoch, logs)
        self.data.add_epoch(part, epoch, logs)
        self._foot_dirty = True
        now = time.monotonic()
        if now >= self._next_draw:
            self._draw(now)

    @locked
    def diagnosed(self, recorder: RunRecorder, diagnosis: dict[str, object]) -> None:
        self._state(recorder).diagnoses.append(diagnosis)
        self._marks = diagnosis_marks(self._state(recorder).diagnoses)
        self._foot_dirty = True
        self._draw(time.monotonic())

    @locked
    def diagnoses_restated(
        self, recorder: RunRecorder, part: int, diagnoses: list[dict[str, object]]
    ) -> None:
        state = self._state(recorder)
        state.restate(part, diagnoses)
        self._marks = diagnosis_marks(state.diagnoses)
        self._foot_dirty = True
        self._draw(time.monotonic())

    @locked
    def diagnoses_refreshed(
        self, recorder: RunRecorder, part: int, diagnoses: list[dict[str, object]]
    ) -> None:
        """While it trains, the box says what the curve reads now, at the next draw."""
        state = self._state(recorder)
        state.restate(part, diagnoses)
        self._marks = diagnosis_marks(state.diagnoses)
        self._foot_dirty = True

    @locked
    def warned(self, recorder: RunRecorder, message: str) -> None:
        self._state(recorder).warnings.append(message)
        self._foot_dirty = True
        if self.box is not None:
            self._draw(time.monotonic())

    @locked
    def checked(self, recorder: RunRecorder, found: list[dict[str, object]]) -> None:
        """Findings of the checks: before ``fit`` a block of lines on its own, above the view
        that is about to appear; once the view is shown (``initial-loss``), at its top."""
        state = self._state(recorder)
        if self.box is None:
            self._display(
                {"text/html": html.findings_block(found), "text/plain": _lines(found)}, raw=True
            )
            return
        state.checks.extend(found)
        _set(self._head, html.STYLE + html.findings(state.checks) + html.header(state))

    @locked
    def fit_ended(self, recorder: RunRecorder, part: int) -> None:
        self._draw(time.monotonic())
        if self.chart is not None and self.spec:  # the record's chart, beside the cell
            self._drawing = Drawing(self.spec, self.data.rows())

    @locked
    def run_ended(self, recorder: RunRecorder, status: str, error: str | None) -> None:
        state = self._state(recorder)
        state.ended_as(status, error)
        if self.box is None:
            self.summarised = self._show_card(recorder)
            return
        self._foot_dirty = True
        self._draw(time.monotonic(), final=True)
        self._save_record(recorder)
        self._close()
        self.summarised = True

    # -- drawing -------------------------------------------------------------------------

    def _show(self) -> None:
        if self.box is not None:
            return
        state = self.state
        assert state is not None
        self._head, self._progress, self._foot = widgets.HTML(), widgets.HTML(), widgets.HTML()
        # The chart's room is kept from the start (it joins when ready): no jump of the page.
        self._room_box = widgets.Box(layout=widgets.Layout(min_height=f"{self._room}px"))
        self.box = _ViewBox([self._head, self._progress, self._room_box, self._foot])
        self.box.add_class("nbj-view")
        self.box.add_class("nbj-live")
        self.box.text = f"nbjournal live view of run {state.label} {state.experiment}"
        self._display(self.box, display_id=self._display_id)

    def _draw(self, now: float, final: bool = False) -> None:
        """Push what changed since the last draw; at the end, the whole chart data too."""
        state = self.state
        if state is None or self.box is None:
            return
        self._next_draw = now + DRAW_INTERVAL_S
        self.draws += 1
        # made with the first points: a run that fails before any (a bad shape, say) never
        # opens a chart it closes at once (anywidget then cried "Failed to initialize model")
        chart = self.chart or (self._attach_chart(wait=final) if self.data.metrics else None)
        _set(self._head, html.STYLE + html.findings(state.checks) + html.header(state))
        _set(self._progress, html.progress(state))
        if self._foot_dirty:
            self._foot_dirty = False
            _set(self._foot, f"<div class='nbj-foot'>{html.footer(state)}</div>")
        if chart is None:
            return  # not ready yet: the points wait in ``self.data``
        everything, fresh = self.data.take()
        if final:
            chart.replace(self.data.rows())
        elif everything is not None:
            chart.replace(everything)
        else:
            chart.append(fresh)
        # Then the specification: a new one (a layer for the first epoch's points, say) is
        # drawn with the points it is for already there, never over an empty layer.
        self._update_spec(state, chart)

    def _attach_chart(self, wait: bool) -> LiveChart | None:
        """Add the chart to the view once its bundle and Altair are ready: never blocking
        the training (see :mod:`~nbjournal.live.preparation`); at the run's end, waiting."""
        if self._chart_failed or not (preparation.wait(60) if wait else preparation.ready()):
            return None
        failure = preparation.failure()
        if failure is not None:
            self._chart_failed = True
            if self.box is not None:
                self.box.children = (self._head, self._progress, self._foot)
            assert self.state is not None
            self.state.warnings.append(f"no live chart: {failure}")
            self._foot_dirty = True
            return None
        assert self.box is not None
        self.chart = LiveChart(layout=widgets.Layout(min_height=f"{self._room}px"))
        self.box.children = (self._head, self._progress, self.chart, self._foot)
        return self.chart

    def _update_spec(self, state: RunState, chart: LiveChart) -> None:
        if not self.data.metrics:  # nothing to draw yet: the panels are known with the first logs
            return
        labels = state.labels if len(state.fits) > 1 else []
        dots = self._dots()
        log = self.data.log_scaled()
        marks = tuple((m["m"], m["x"], m["label"]) for m in self._marks)
        kinds = self.data.kinds()
        key = (tuple(self.data.metrics), tuple(labels), marks, dots, tuple(log), tuple(kinds))
        if key == self._spec_key:
            return
        self._spec_key = key
        self.spec = live_spec(
            self.data.metrics, labels, self._marks, dots=dots, log=log, kinds=kinds
        )
        self._room = max(self._room, chart_height(len(self.data.metrics)))
        chart.layout.min_height = f"{self._room}px"
        chart.spec = self.spec

    def _dots(self) -> bool:
        fits = self.state.fits if self.state else []
        longest = max((fit.epochs_done for fit in fits), default=0)
        planned = max((fit.epochs or 0 for fit in fits), default=0)
        return max(longest, planned) <= MAX_DOTS

    # -- the record that takes the view's place ----------------------------------------

    def _save_record(self, recorder: RunRecorder) -> None:
        """Replace the live view by its static copy, in the same layout: header and progress
        (in the view's own output), the chart, the footer."""
        state = self.state
        assert state is not None
        # made first, then sent together: the view is never shown cut short in between
        chart = self._static_chart(recorder) if self.chart is not None and self.spec else None
        bottom = html.record_bottom(state)
        self._display(
            {"text/html": html.record_top(state), "text/plain": summary(state)},
            raw=True,
            display_id=self._display_id,
            update=True,
        )
        if chart is not None:
            self._display(chart, raw=True)
        if bottom:
            self._display({"text/html": bottom, "text/plain": ""}, raw=True)

    def _static_chart(self, recorder: RunRecorder) -> dict[str, str] | None:
        state = self.state
        assert state is not None
        rows = self.data.rows()
        drawing, self._drawing = self._drawing, None
        try:
            if drawing is not None and drawing.shows(self.spec, rows):
                svg, png = drawing.result()  # drawn while the cell went on after ``fit``
            else:
                svg, png = draw(self.spec, rows)
        except Exception as failure:  # the record is a convenience: never an error
            recorder.warn(f"could not draw the static chart of the live view: {failure!r}")
            return None
        return {
            "image/svg+xml": svg,
            "image/png": png,
            "text/plain": f"[chart of run {state.label}]",
        }

    def _close(self) -> None:
        """The view's widgets are gone from the page: free their models, here and there.

        Emptied first: a headless executor (nbclient, so nbconvert and papermill) keeps the
        last state of every model it saw, closed or not, and saves it in the notebook; the
        chart's 900 kB script and points would stay there once per view (issue 21.4)."""
        if self.box is None:
            return
        if self.chart is not None:
            self.chart.forget()
        for part in (self._head, self._progress, self._foot):
            if part is not None:
                part.value = ""
        self.box.children = ()
        for child in {self._head, self._progress, self._foot, self._room_box, self.chart}:
            if child is not None:
                child.close()
        self.box.close()

    def _show_card(self, recorder: RunRecorder) -> bool:
        """No ``fit`` ran: a compact card for scikit-learn estimators, or nothing."""
        from .estimators import estimator_card

        card = estimator_card(self.state, recorder)
        if card is None:
            return False
        self._display(card, raw=True)
        return True


def _lines(found: list[dict[str, object]]) -> str:
    return "\n".join(f"{f.get('name')}: {f.get('message')}" for f in found)


def _set(widget: widgets.HTML, value: str) -> None:
    if widget.value != value:
        widget.value = value
