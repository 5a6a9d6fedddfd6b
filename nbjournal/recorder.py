"""A run in progress: collects metric points and writes them to the store in batches.

Framework-agnostic: the Keras callback, ``log_metric`` and the cell's result
all feed a :class:`RunRecorder`. Points are buffered on the training thread
(appending to a list costs well under a microsecond) and written by a
background writer at each epoch end and at most about a second apart, one
transaction per batch of points. The writer also beats the run's heartbeat so
that a killed kernel is later seen as ``crashed``.

What the person sees is not done here: sinks (the live view, a text progress
line) subscribe to the recorder's events. A failing journal never stops the
training: the recorder turns store errors into one warning, sent to the sinks
and to ``warnings``.

At each epoch end the recorder reads the curve (:mod:`nbjournal.analysis`)
and records every new diagnosis on the run, so diagnoses are kept whether or
not anything is shown.
"""

from __future__ import annotations

import math
import queue
import threading
import time
import warnings
from collections.abc import Iterable
from typing import Any, Protocol

from .analysis.diagnoses import KINDS
from .analysis.watcher import CurveWatcher
from .errors import JournalError
from .store import MetricPoint, Store

FLUSH_INTERVAL_S = 1.0
HEARTBEAT_INTERVAL_S = 15.0
#: Per-batch points kept per run, at most (about); the stride is chosen at fit start.
MAX_BATCH_POINTS = 2000


class Sink(Protocol):
    """What a live view implements; every method is optional to call and must be cheap.

    A sink that sets ``summarised`` once the run has ended has shown the run's summary
    itself, so the cell's closing card would only repeat it; one with a true
    ``shows_progress`` draws the progress, so Keras' own bar is turned off for it.
    """

    summarised: bool

    def run_started(self, recorder: RunRecorder) -> None: ...
    def fit_started(
        self, recorder: RunRecorder, part: int, epochs: int | None, steps: int | None
    ) -> None: ...
    def batch_ended(
        self, recorder: RunRecorder, part: int, epoch: int, batch: int, logs: dict[str, float]
    ) -> None: ...
    def epoch_ended(
        self, recorder: RunRecorder, part: int, epoch: int, logs: dict[str, float]
    ) -> None: ...
    def fit_ended(self, recorder: RunRecorder, part: int) -> None: ...
    def diagnoses_restated(
        self, recorder: RunRecorder, part: int, diagnoses: list[dict[str, Any]]
    ) -> None: ...
    def diagnosed(self, recorder: RunRecorder, diagnosis: dict[str, Any]) -> None: ...
    def warned(self, recorder: RunRecorder, message: str) -> None: ...
    def checked(self, recorder: RunRecorder, findings: list[dict[str, Any]]) -> None: ...
    def run_ended(self, recorder: RunRecorder, status: str, error: str | None) -> None: ...


class JournalWarning(UserWarning):
    """The journal could not record something; the user's work went on."""


class CheckWarning(UserWarning):
    """A check before ``fit`` found a problem in the data or the model (no live view shows it)."""


class RunRecorder:
    """Everything one run records between its start and its end."""

    def __init__(
        self,
        store: Store,
        run_id: int,
        *,
        experiment: str,
        hypothesis: str = "",
        params: dict[str, Any] | None = None,
        data: list[dict[str, Any]] | None = None,
        sinks: Iterable[Sink] = (),
    ) -> None:
        self.store = store
        self.run_id = run_id
        self.experiment = experiment
        self.hypothesis = hypothesis
        self.params: dict[str, Any] = dict(params or {})
        self.data: list[dict[str, Any]] = list(data or [])
        self.sinks: list[Sink] = list(sinks)
        self.started = time.time()
        self.status = "running"
        self.parts = 0
        #: One entry per ``fit`` (part): epochs, steps, verbose, its described parameters.
        self.fits: list[dict[str, Any]] = []
        self.history: dict[str, list[tuple[int, int, float]]] = {}  # name -> (part, epoch, value)
        self.diagnoses: list[dict[str, Any]] = []
        self.warnings: list[str] = []
        #: The checks before each ``fit``: findings, skipped checks, silenced names.
        self.checks: dict[str, list[Any]] = {"findings": [], "skipped": [], "silenced": []}
        self._pending: list[MetricPoint] = []
        self._pending_lock = threading.Lock()
        self._last_flush = time.monotonic()
        self._batch_stride = 1
        self._steps_per_epoch: int | None = None
        self._value_steps: dict[str, int] = {}
        self._watcher = CurveWatcher()
        self._restated: set[int] = set()
        self._writer = _Writer(self)
        self._writer.start()
        self._emit("run_started")

    # -- events from the training loop -------------------------------------

    def fit_started(
        self,
        epochs: int | None,
        steps: int | None,
        params: dict[str, Any] | None = None,
        *,
        verbose: int | None = None,
    ) -> int:
        """A new ``fit`` begins; returns its part number (0 for the first ``fit`` of the run).

        ``verbose`` is Keras' own: when it prints a progress bar, a text sink need not.
        """
        part = self.parts
        self.parts += 1
        self.fits.append(
            {"epochs": epochs, "steps": steps, "verbose": verbose, "params": dict(params or {})}
        )
        self._steps_per_epoch = steps
        total = (epochs or 1) * (steps or 1)
        self._batch_stride = max(1, math.ceil(total / MAX_BATCH_POINTS))
        if params:
            self.add_params(params if part == 0 else {f"fit{part + 1}": params})
        self._emit("fit_started", part, epochs, steps)
        return part

    def batch_ended(self, part: int, epoch: int, batch: int, logs: dict[str, Any] | None) -> None:
        """One batch's logs: buffered (every ``_batch_stride``-th) and passed to the sinks."""
        if self.status != "running":  # a late call after the run ended records nothing
            return
        if logs and batch % self._batch_stride == 0:
            step = epoch * (self._steps_per_epoch or 0) + batch
            now = time.time()
            points = [
                MetricPoint(name, _number(value), step, "batch", epoch, part, now)
                for name, value in logs.items()
            ]
            with self._pending_lock:
                self._pending.extend(points)
            if time.monotonic() - self._last_flush > FLUSH_INTERVAL_S:
                self.flush()
        if self.sinks and logs:
            self._emit("batch_ended", part, epoch, batch, logs)

    def epoch_ended(self, part: int, epoch: int, logs: dict[str, Any] | None) -> None:
        now = time.time()
        values = {name: _number(value) for name, value in (logs or {}).items()}
        points = [
            MetricPoint(name, value, epoch, "epoch", epoch, part, now)
            for name, value in values.items()
        ]
        for name, value in values.items():
            if value is not None:
                self.history.setdefault(name, []).append((part, epoch, value))
        with self._pending_lock:
            self._pending.extend(points)
        self.flush()
        self._emit("epoch_ended", part, epoch, values)
        self._diagnose(self._watcher.epoch_ended, part, epoch, logs or {})

    def fit_ended(self, part: int, epochs_run: int | None = None) -> None:
        """A ``fit`` returned normally: the curve is read once more, as a whole.

        ``epochs_run`` is recorded as ``fit.epochs_run`` when it differs from the
        epochs asked for (early stopping ended the fit sooner).
        """
        planned = self.fits[part].get("epochs") if part < len(self.fits) else None
        if epochs_run is not None and planned is not None and epochs_run != planned:
            self._set_fit_param(part, "epochs_run", epochs_run)
        self._restate(part, final=True)
        self._emit("fit_ended", part)

    def _restate(self, part: int, *, final: bool) -> None:
        """Replace the part's curve diagnoses by those of its whole curve (see
        :meth:`CurveWatcher.restate`); ``final``: the fit returned normally."""
        if part in self._restated:
            return
        self._restated.add(part)
        try:
            found = [d.as_dict() for d in self._watcher.restate(part, final=final)]
        except Exception as failure:  # a reading of the curve must never stop the work
            self.warn(f"could not diagnose the curve: {failure!r}")
            return
        earlier = [d for d in self.diagnoses if d.get("part", 0) == part and d.get("kind") in KINDS]
        if found == earlier:
            return
        self.diagnoses = [d for d in self.diagnoses if d not in earlier] + found
        self._writer.request("diagnoses")
        self._emit("diagnoses_restated", part, found)

    def _set_fit_param(self, part: int, name: str, value: Any) -> None:
        """One ``fit`` argument learnt after the fit began (in the part's own params)."""
        holder = self.params if part == 0 else self.params.get(f"fit{part + 1}")
        if not isinstance(holder, dict):
            return
        fit = holder.get("fit")
        if isinstance(fit, dict):
            holder["fit"] = {**fit, name: value}
            self._writer.request("params")

    def _diagnose(self, read: Any, *args: Any) -> None:
        try:
            found = read(*args)
        except Exception as failure:  # a reading of the curve must never stop the training
            self.warn(f"could not diagnose the curve: {failure!r}")
            return
        for diagnosis in found:
            self.add_diagnosis(diagnosis.as_dict())

    def log_value(self, name: str, value: Any, step: int | None = None) -> None:
        """A metric logged by hand or the cell's result: a curve when ``step`` is given."""
        number = _number(value)
        if number is None:
            self.warn(f"metric {name!r} is not a finite number ({value!r}); not recorded")
            return
        if step is None:
            step = self._value_steps.get(name, -1) + 1
            self._value_steps[name] = step
            point = MetricPoint(name, number, step, "value", None, 0, time.time())
        else:
            point = MetricPoint(name, number, int(step), "epoch", int(step), 0, time.time())
        self.history.setdefault(name, []).append((0, step, number))
        with self._pending_lock:
            self._pending.append(point)
        self.flush()

    def add_params(self, params: dict[str, Any]) -> None:
        self.params.update(params)
        self._writer.request("params")

    def add_data(self, entries: Iterable[dict[str, Any]]) -> None:
        known = {(e.get("name"), e.get("hash")) for e in self.data}
        fresh = [e for e in entries if (e.get("name"), e.get("hash")) not in known]
        if fresh:
            self.data.extend(fresh)
            self._writer.request("data")

    def add_diagnosis(self, diagnosis: dict[str, Any]) -> None:
        """Record a diagnosis on the run and show it (``kind``, ``message``, ``epoch``, ``part``)."""
        self.diagnoses.append(diagnosis)
        self._writer.request("diagnoses")
        self._emit("diagnosed", diagnosis)

    def add_checks(
        self,
        findings: Iterable[dict[str, Any]],
        skipped: Iterable[dict[str, Any]] = (),
        silenced: Iterable[str] = (),
    ) -> list[dict[str, Any]]:
        """Record what the checks of one ``fit`` found; show the findings not shown before.

        Returns the new findings (a cell that fits three times on the same sorted data
        is told once). With no sink to show them, each is one warning.
        """
        checks = self.checks
        seen = {(f["name"], f["message"]) for f in checks["findings"]}
        fresh = [f for f in findings if (f["name"], f["message"]) not in seen]
        checks["findings"].extend(fresh)
        known = {(s["name"], s["reason"]) for s in checks["skipped"]}
        checks["skipped"].extend(s for s in skipped if (s["name"], s["reason"]) not in known)
        checks["silenced"] = sorted({*checks["silenced"], *silenced})
        self._writer.request("checks")
        if fresh:
            if any(hasattr(sink, "checked") for sink in self.sinks):
                self._emit("checked", fresh)
            else:
                for finding in fresh:
                    warnings.warn(
                        f"{finding['name']}: {finding['message']}", CheckWarning, stacklevel=3
                    )
        return fresh

    def flush(self) -> None:
        self._last_flush = time.monotonic()
        self._writer.request("points")

    def finish(self, status: str, error: str | None = None) -> None:
        """End the run: every buffered point is written before the status changes."""
        if self.status != "running":
            return
        for part in self._watcher.parts():  # fits stopped by an error or by hand
            self._restate(part, final=False)
        self.status = status
        self._writer.close()
        try:
            self.store.finish_run(self.run_id, status, error)
        except JournalError as failure:
            self.warn(f"could not record the end of run #{self.run_id}: {failure}")
        self._emit("run_ended", status, error)

    # -- warnings -----------------------------------------------------------

    def warn(self, message: str) -> None:
        """One clear warning per distinct problem; the training goes on."""
        if message in self.warnings:
            return
        self.warnings.append(message)
        warnings.warn(f"nbjournal: {message}", JournalWarning, stacklevel=2)
        self._emit("warned", message)

    def _emit(self, event: str, *args: Any) -> None:
        for sink in self.sinks:
            handler = getattr(sink, event, None)
            if handler is None:
                continue
            try:
                handler(self, *args)
            except Exception as failure:  # a broken view must not break training
                if event != "warned":
                    self.warn(f"live view failed on {event}: {failure!r}")

    def _take_pending(self) -> list[MetricPoint]:
        with self._pending_lock:
            taken, self._pending = self._pending, []
        return taken


class _Writer(threading.Thread):
    """Writes the recorder's buffered state to the store, off the training thread."""

    def __init__(self, recorder: RunRecorder) -> None:
        super().__init__(name=f"nbjournal-writer-{recorder.run_id}", daemon=True)
        self.recorder = recorder
        self.requests: queue.Queue[str | None] = queue.Queue()
        self.failed: str | None = None

    def request(self, what: str) -> None:
        self.requests.put(what)

    def close(self) -> None:
        self.requests.put(None)
        self.join(timeout=60)
        self._write(
            {"points", "params", "data", "diagnoses", "checks"}
        )  # whatever is left, in this thread

    def run(self) -> None:
        last_beat = time.monotonic()
        while True:
            try:
                first = self.requests.get(timeout=HEARTBEAT_INTERVAL_S)
            except queue.Empty:
                first = "heartbeat"
            wanted = {first}
            while not self.requests.empty():  # coalesce what piled up while we wrote
                wanted.add(self.requests.get_nowait())
            if None in wanted:
                return
            if "heartbeat" in wanted and time.monotonic() - last_beat < HEARTBEAT_INTERVAL_S:
                wanted.discard("heartbeat")
            self._write(wanted)  # type: ignore[arg-type]
            last_beat = time.monotonic()

    def _write(self, wanted: set[str]) -> None:
        recorder = self.recorder
        points = recorder._take_pending() if "points" in wanted else []
        try:
            if points:
                recorder.store.add_points(recorder.run_id, points)
            if wanted & {"params", "data", "diagnoses", "checks"}:
                recorder.store.update_run(
                    recorder.run_id,
                    params=recorder.params if "params" in wanted else None,
                    data=recorder.data if "data" in wanted else None,
                    diagnoses=recorder.diagnoses if "diagnoses" in wanted else None,
                    checks=recorder.checks if "checks" in wanted else None,
                )
            if "heartbeat" in wanted and not points:
                recorder.store.heartbeat(recorder.run_id)
        except JournalError as failure:
            if points:  # keep them for the next try: nothing recorded is lost
                with recorder._pending_lock:
                    recorder._pending[:0] = points
            if self.failed is None:
                self.failed = str(failure)
                recorder.warn(f"{failure}; training goes on, points are kept in memory")


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
