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

When the journal fails or does not answer, nothing is dropped: from then on
the run's points, parameters and end go to a local spool file
(:mod:`nbjournal.recording.spool`), written to the journal when it answers again, and
the run is shown with its points pending until then. ``finish`` waits on the
journal at most :func:`nbjournal.config.timeout` seconds.

At each epoch end the recorder reads the curve (:mod:`nbjournal.analysis`)
and records every new diagnosis on the run, so diagnoses are kept whether or
not anything is shown.
"""

from __future__ import annotations

import math
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Protocol, TypedDict

from ..analysis.diagnoses import KINDS, Diagnosis, defer_to_checks
from ..analysis.watcher import CurveWatcher
from ..capture.fit_meta import FitMeta
from ..config import timeout
from ..errors import CheckWarning, JournalWarning
from ..store import MetricPoint, Store, limits, mark_unavailable
from .spool import Spool
from .writer import Writer

FLUSH_INTERVAL_S = 1.0
#: Per-batch points kept per run, at most (about); the stride is chosen at fit start.
MAX_BATCH_POINTS = 2000


class FitRecord(TypedDict):
    """One ``fit`` (part) of a run as the recorder keeps it: what Keras said at its start and
    its described parameters."""

    epochs: int | None
    steps: int | None
    verbose: int | None
    params: dict[str, object]


class RunChecks(TypedDict):
    """The checks before each ``fit``: findings, skipped checks, silenced names."""

    findings: list[dict[str, object]]
    skipped: list[dict[str, object]]
    silenced: list[str]


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
        self, recorder: RunRecorder, part: int, diagnoses: list[dict[str, object]]
    ) -> None: ...
    def diagnoses_refreshed(
        self, recorder: RunRecorder, part: int, diagnoses: list[dict[str, object]]
    ) -> None: ...
    def diagnosed(self, recorder: RunRecorder, diagnosis: dict[str, object]) -> None: ...
    def warned(self, recorder: RunRecorder, message: str) -> None: ...
    def checked(self, recorder: RunRecorder, findings: list[dict[str, object]]) -> None: ...
    def run_ended(self, recorder: RunRecorder, status: str, error: str | None) -> None: ...


class RunRecorder:
    """Everything one run records between its start and its end."""

    def __init__(
        self,
        store: Store | None,
        run_id: int | None,
        *,
        url: str | None = None,
        spool: Spool | None = None,
        experiment: str,
        hypothesis: str = "",
        params: Mapping[str, object] | None = None,
        data: list[dict[str, object]] | None = None,
        sinks: Iterable[Sink] = (),
    ) -> None:
        self.store = store
        #: ``None`` for a run kept locally: the journal was unavailable when it started.
        self.run_id = run_id
        self.url = url or (store.url if store is not None else "")
        #: Where what the journal did not take is kept; set on the first failure.
        self._checked_names: set[str] = set()
        self.experiment = experiment
        self.hypothesis = hypothesis
        self.params: dict[str, object] = dict(params or {})
        self.data: list[dict[str, object]] = list(data or [])
        self.sinks: list[Sink] = list(sinks)
        self.started = time.time()
        self.status = "running"
        self.parts = 0
        #: One entry per ``fit`` (part): epochs, steps, verbose, its described parameters.
        self.fits: list[FitRecord] = []
        self.history: dict[str, list[tuple[int, int, float]]] = {}  # name -> (part, epoch, value)
        self.diagnoses: list[dict[str, object]] = []
        self.warnings: list[str] = []
        #: The checks before each ``fit``: findings, skipped checks, silenced names.
        self.checks: RunChecks = {"findings": [], "skipped": [], "silenced": []}
        #: What the first fit's data is like (:mod:`nbjournal.capture.metafeatures`).
        self.meta_features: dict[str, object] | None = None
        self._fit_meta = FitMeta(self._meta_computed)
        self._pending: list[MetricPoint] = []
        self._pending_lock = threading.Lock()
        self._last_flush = time.monotonic()
        self._batch_stride = 1
        self._steps_per_epoch: int | None = None
        self._value_steps: dict[str, int] = {}
        self._watcher = CurveWatcher()
        self._restated: set[int] = set()
        self._writer = Writer(self, spool)
        self._writer.start()
        self._emit("run_started")

    # -- events from the training loop -------------------------------------

    def fit_started(
        self,
        epochs: int | None,
        steps: int | None,
        params: Mapping[str, object] | None = None,
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

    def batch_ended(
        self, part: int, epoch: int, batch: int, logs: Mapping[str, object] | None
    ) -> None:
        """One batch's logs: buffered (every ``_batch_stride``-th) and passed to the sinks."""
        if self.status != "running":  # a late call after the run ended records nothing
            return
        if logs and batch % self._batch_stride == 0:
            step = epoch * (self._steps_per_epoch or 0) + batch
            now = time.time()
            points = [
                MetricPoint(name, _number(value), step, "batch", epoch, part, now)
                for name, value in logs.items()
                if name in self._checked_names or self._storable(name, step)
            ]
            with self._pending_lock:
                self._pending.extend(points)
            if time.monotonic() - self._last_flush > FLUSH_INTERVAL_S:
                self.flush()
        if self.sinks and logs:
            self._emit("batch_ended", part, epoch, batch, logs)

    def epoch_ended(self, part: int, epoch: int, logs: Mapping[str, object] | None) -> None:
        now = time.time()
        values = {name: _number(value) for name, value in (logs or {}).items()}
        points = [
            MetricPoint(name, value, epoch, "epoch", epoch, part, now)
            for name, value in values.items()
            if name in self._checked_names or self._storable(name, epoch)
        ]
        for name, value in values.items():
            if value is not None:
                self.history.setdefault(name, []).append((part, epoch, value))
        with self._pending_lock:
            self._pending.extend(points)
        self.flush()
        self._emit("epoch_ended", part, epoch, values)
        self._diagnose(self._watcher.epoch_ended, part, epoch, logs or {})
        self._refresh_diagnoses(part)

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
            findings = self.checks["findings"]
            found = [
                defer_to_checks(d.as_dict(), findings)
                for d in self._watcher.restate(part, final=final)
            ]
        except Exception as failure:  # a reading of the curve must never stop the work
            self.warn(f"could not diagnose the curve: {failure!r}")
            return
        earlier = [d for d in self.diagnoses if d.get("part", 0) == part and d.get("kind") in KINDS]
        if found == earlier:
            return
        self.diagnoses = [d for d in self.diagnoses if d not in earlier] + found
        self._writer.request("diagnoses")
        self._emit("diagnoses_restated", part, found)

    def _refresh_diagnoses(self, part: int) -> None:
        """The part's diagnoses said earlier, as the curve reads now (their epoch, lowest
        value, rise), shown and kept; one that no longer holds waits for the fit's end."""
        try:
            findings = self.checks["findings"]
            now = {
                d.kind: defer_to_checks(d.as_dict(), findings)
                for d in self._watcher.said_and_holding(part)
            }
        except Exception as failure:  # a reading of the curve must never stop the training
            self.warn(f"could not diagnose the curve: {failure!r}")
            return
        mine = [d for d in self.diagnoses if d.get("part", 0) == part and d.get("kind") in now]
        if all(now[str(d["kind"])] == d for d in mine):
            return
        self.diagnoses = [
            now[str(d["kind"])] if d.get("part", 0) == part and d.get("kind") in now else d
            for d in self.diagnoses
        ]
        self._writer.request("diagnoses")
        part_now = [
            d for d in self.diagnoses if d.get("part", 0) == part and d.get("kind") in KINDS
        ]
        self._emit("diagnoses_refreshed", part, part_now)

    def _set_fit_param(self, part: int, name: str, value: object) -> None:
        """One ``fit`` argument learnt after the fit began (in the part's own params)."""
        holder = self.params if part == 0 else self.params.get(f"fit{part + 1}")
        if not isinstance(holder, dict):
            return
        fit = holder.get("fit")
        if isinstance(fit, dict):
            holder["fit"] = {**fit, name: value}
            self._writer.request("params")

    def _diagnose(self, read: Callable[..., Iterable[Diagnosis]], *args: object) -> None:
        try:
            found = read(*args)
        except Exception as failure:  # a reading of the curve must never stop the training
            self.warn(f"could not diagnose the curve: {failure!r}")
            return
        for diagnosis in found:
            self.add_diagnosis(diagnosis.as_dict())

    def log_value(self, name: str, value: object, step: int | None = None) -> None:
        """A metric logged by hand or the cell's result: a curve when ``step`` is given."""
        number = _number(value)
        if number is None:
            self.warn(f"metric {name!r} is not a finite number ({value!r}); not recorded")
            return
        if not self._storable(name, 0 if step is None else step, check_step=step is not None):
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

    def _storable(self, name: str, step: int, *, check_step: bool = True) -> bool:
        """Whether the journal can store this point; if not, one warning and the value is left out.

        Checked here, before buffering, so one bad value never costs its batch.
        """
        problem = limits.point_problem(name, step if check_step else 0, None)
        if problem is not None:
            self.warn(f"{problem}; that value is not recorded")
            return False
        self._checked_names.add(name)
        return True

    def add_params(self, params: Mapping[str, object]) -> None:
        self.params.update(params)
        self._writer.request("params")

    def add_data(self, entries: Iterable[dict[str, object]]) -> None:
        known = {(e.get("name"), e.get("hash")) for e in self.data}
        fresh = [e for e in entries if (e.get("name"), e.get("hash")) not in known]
        if fresh:
            self.data.extend(fresh)
            self._writer.request("data")

    def note_fit_data(self, x: object, y: object) -> None:
        """A fit's data, as ``fit`` starts: its meta-features are computed on another thread."""
        self._fit_meta.start(x, y)

    def _meta_computed(self, record: dict[str, object]) -> None:
        self.meta_features = record
        self._writer.request("meta_features")

    def add_diagnosis(self, diagnosis: dict[str, object]) -> None:
        """Record a diagnosis on the run and show it (``kind``, ``message``, ``epoch``, ``part``);
        a check finding of the same fit that explains it takes its advice's place."""
        if diagnosis.get("kind") in KINDS:
            diagnosis = defer_to_checks(diagnosis, self.checks["findings"])
        self.diagnoses.append(diagnosis)
        self._writer.request("diagnoses")
        self._emit("diagnosed", diagnosis)

    def add_checks(
        self,
        findings: Iterable[dict[str, object]],
        skipped: Iterable[dict[str, object]] = (),
        silenced: Iterable[str] = (),
    ) -> list[dict[str, object]]:
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

    def finish(self, status: str, error: str | None = None, *, bound: float | None = None) -> None:
        """End the run: every buffered point is written before the status changes.

        Waits on the journal at most ``bound`` seconds (default: the configured
        timeout). What it could not write by then is kept in the spool, with
        the run's end, and written when the journal answers again.
        """
        if self.status != "running":
            return
        for part in self._watcher.parts():  # fits stopped by an error or by hand
            self._restate(part, final=False)
        self.status = status
        self._fit_meta.wait()
        self._writer.close(status, error)
        limit = timeout() if bound is None else bound
        if not self._writer.done.wait(limit):
            reason = f"the journal did not answer within {limit:g} s"
            mark_unavailable(self.url, reason)
            self._writer.abandon(
                self.take_pending(),
                {
                    "params": self.params,
                    "data": self.data,
                    "diagnoses": self.diagnoses,
                    "meta_features": self.meta_features,
                },
                reason,
                end=(status, error),
            )
        self._emit("run_ended", status, error)

    @property
    def spool(self) -> Spool | None:
        """Where what the journal did not take is kept; set by the writer on the first failure."""
        return self._writer.spool

    @property
    def points_pending(self) -> int:
        """Points kept locally, not (yet) in the journal."""
        return self.spool.points if self.spool is not None else 0

    @property
    def label(self) -> str:
        return f"run #{self.run_id}" if self.run_id is not None else "a run kept locally"

    # -- warnings -----------------------------------------------------------

    def warn(self, message: str) -> None:
        """One clear warning per distinct problem; the training goes on."""
        if message in self.warnings:
            return
        self.warnings.append(message)
        warnings.warn(f"nbjournal: {message}", JournalWarning, stacklevel=2)
        self._emit("warned", message)

    def _emit(self, event: str, *args: object) -> None:
        for sink in self.sinks:
            handler = getattr(sink, event, None)
            if handler is None:
                continue
            try:
                handler(self, *args)
            except Exception as failure:  # a broken view must not break training
                if event != "warned":
                    self.warn(f"live view failed on {event}: {failure!r}")

    def take_pending(self) -> list[MetricPoint]:
        """The points buffered since the last write, handed to the writer."""
        with self._pending_lock:
            taken, self._pending = self._pending, []
        return taken


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]  # what float() refuses is no number
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
