"""The Keras callback that forwards one ``fit``'s logs to the run's :class:`RunRecorder`.

Importing this module imports Keras; the fit hook imports it only when a cell
trains a Keras model.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import keras

from ..capture.model_params import keras_fit_params
from .recorder import RunRecorder

if TYPE_CHECKING:
    from keras import Model

#: What Keras hands a callback: each metric's value of the batch or epoch (floats in Keras 3).
Logs = Mapping[str, float]


class RecordingCallback(keras.callbacks.Callback):
    """Forwards epochs and batches of one ``fit`` to the recorder of the running run.

    Defining ``on_train_batch_end`` makes Keras call batch hooks on the training
    thread (logs turned into floats there, about 3 µs a batch) instead of handing
    each batch to a thread pool; measured on the digits MLP, that costs nothing
    (``benchmarks/bench_fit.py``), so the hook stays synchronous and ordered.
    """

    def __init__(
        self,
        recorder: RunRecorder,
        fit_arguments: Mapping[str, object] | None = None,
        first_batch: Callable[[float], None] | None = None,
    ) -> None:
        super().__init__()
        self.recorder = recorder
        self.fit_arguments = dict(fit_arguments or {})
        #: Reads the first batch's loss (the ``initial-loss`` check), then is dropped.
        self.first_batch = first_batch
        self.part = 0
        self.epoch = 0
        self.epochs_run = 0

    def on_train_begin(self, logs: Logs | None = None) -> None:
        params = self.params or {}
        arguments = {**self.fit_arguments}
        arguments.setdefault("epochs", params.get("epochs"))
        described = _describe_model(self.model, arguments)
        self.part = self.recorder.fit_started(
            params.get("epochs"), params.get("steps"), described, verbose=params.get("verbose")
        )

    def on_epoch_begin(self, epoch: int, logs: Logs | None = None) -> None:
        self.epoch = epoch

    def on_train_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        self.recorder.batch_ended(self.part, self.epoch, batch, logs)
        if self.first_batch is not None and logs and "loss" in logs:
            read, self.first_batch = self.first_batch, None
            read(float(logs["loss"]))

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        self.epochs_run = epoch + 1
        self.recorder.epoch_ended(self.part, epoch, logs)

    def on_train_end(self, logs: Logs | None = None) -> None:
        # Keras calls this only when fit returns normally (not on an exception or Ctrl-C).
        self.recorder.fit_ended(self.part, self.epochs_run)


def _describe_model(model: Model, arguments: dict[str, object]) -> dict[str, object]:
    try:
        return keras_fit_params(model, arguments)
    except Exception as failure:  # never break training over a description
        return {"model": {"class": type(model).__name__, "error": repr(failure)}}
