"""The public Keras callback: each ``fit`` it is given becomes a run, in any script.

Importing this module imports Keras; ``nbjournal`` imports it only when a
script asks for :class:`JournalCallback`. The callback that records the fits
of an ``%%experiment`` cell is :mod:`nbjournal.recording.keras_callback`.
"""

from __future__ import annotations

import atexit
from collections.abc import Mapping
from typing import TYPE_CHECKING

from .capture.fingerprint import combine, describe_value
from .recording.keras_callback import Logs, RecordingCallback
from .recording.recorder import RunRecorder
from .runs import RunSpec, active, finish_run, start_run
from .runs.lifecycle import error_text, status_of
from .store import limits

if TYPE_CHECKING:
    from IPython.core.interactiveshell import ExecutionResult


class JournalCallback(RecordingCallback):
    """Record a ``fit`` as a run, in any notebook or plain script.

    >>> model.fit(x, y, epochs=10, callbacks=[nbjournal.JournalCallback("digits-mlp")])

    Each ``fit`` it is passed to becomes one run of ``experiment``. Inside an
    ``%%experiment`` cell the cell's run already records the fit: the callback then
    only adds its ``params`` to that run, so the fit is not recorded twice.
    """

    def __init__(
        self,
        experiment: str,
        hypothesis: str | None = None,
        params: Mapping[str, object] | None = None,
        live: bool = True,
        journal: str | None = None,
        tags: tuple[str, ...] | list[str] = (),
    ) -> None:
        if not isinstance(experiment, str) or not experiment.strip():
            raise ValueError(
                "JournalCallback needs an experiment name, e.g. JournalCallback('digits-mlp')"
            )
        if params is not None and not isinstance(params, Mapping):
            raise TypeError(
                f"JournalCallback params must be a dict of name → value, not {type(params).__name__}"
            )
        self.experiment = experiment.strip()
        self.hypothesis = hypothesis or ""
        self.user_params = dict(params or {})
        self.live = live
        self.journal = journal
        self.tags = tuple(limits.tags(tags))  # a bad tag is said here, not at fit
        self._own_recorder: RunRecorder | None = None
        self._recording = False
        super().__init__(recorder=None)  # type: ignore[arg-type]

    def on_train_begin(self, logs: Logs | None = None) -> None:
        opened = self._open_run()
        self._recording = opened is not None  # else an experiment's own hooks record the fit
        if opened is not None:
            self.recorder = opened
            super().on_train_begin(logs)

    def on_train_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        if self._recording:
            super().on_train_batch_end(batch, logs)

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        if self._recording:
            super().on_epoch_end(epoch, logs)

    def on_train_end(self, logs: Logs | None = None) -> None:
        if self._recording:
            super().on_train_end(logs)
        self._close("finished")

    def _open_run(self) -> RunRecorder | None:
        self._close("interrupted")  # a fit that never reached on_train_end
        experiment_run = active()
        if experiment_run is not None:
            experiment_run.add_params(self.user_params)
            return None
        try:
            model_entry = describe_value("model", self.model) or {}
        except Exception:  # a model the fingerprint cannot read: never a false duplicate
            model_entry = {}
        params = {**self.user_params}
        spec = RunSpec(
            experiment=self.experiment,
            fingerprint=combine(
                {"callback": self.experiment, "params": params, "model": model_entry.get("hash")}
            ),
            hypothesis=self.hypothesis,
            params=params,
            tags=list(self.tags),
        )
        recorder = start_run(spec, self.journal, live=self.live, sinks=None)
        if recorder is None:
            return None
        self._own_recorder = recorder
        _finish_on_cell_end(self)
        atexit.register(self._close, "interrupted")
        return recorder

    def _close(self, status: str, error: str | None = None) -> None:
        recorder, self._own_recorder = self._own_recorder, None
        if recorder is not None:
            finish_run(recorder, status, error)


def _finish_on_cell_end(callback: JournalCallback) -> None:
    """In IPython, a ``fit`` stopped by an exception never calls ``on_train_end``: close the run
    when the cell ends, as interrupted or failed."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return

    def post_run_cell(result: ExecutionResult) -> None:
        shell.events.unregister("post_run_cell", post_run_cell)
        error = getattr(result, "error_in_exec", None)
        callback._close(status_of(error), None if error is None else error_text(error))

    shell.events.register("post_run_cell", post_run_cell)
