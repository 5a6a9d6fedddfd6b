"""Attaching the recorder to every Keras ``fit`` a cell makes, without importing Keras early.

While an experiment cell runs, ``keras.Model.fit`` is wrapped so that each call
gets a :class:`~.keras_callback.RecordingCallback`, fingerprints the arrays it
is given and runs the checks before training (:mod:`.check_hook`; scikit-learn's
``fit`` is checked by :mod:`.estimator_hook`). When the live view draws the
progress and the cell did not pass ``verbose``, Keras' own text bar is turned
off. If the cell itself imports Keras, an import hook (:mod:`.import_hook`)
wraps ``fit`` as soon as Keras has loaded. Everything is restored when the cell
ends.
"""

from __future__ import annotations

import inspect
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ..capture.fingerprint import describe_value
from ..capture.model_params import FIT_ARGUMENTS
from .check_hook import CheckOptions, ChecksStopped, FitCheck
from .estimator_hook import checking_estimators
from .import_hook import ImportHook
from .recorder import RunRecorder

if TYPE_CHECKING:
    from keras import Model

_MISSING = object()


class _FitPatch:
    def __init__(self, recorder: RunRecorder, checks: CheckOptions | None = None) -> None:
        self.recorder = recorder
        self.checks = checks
        self.model_class: type[Model] | None = None
        self.previous: object = _MISSING
        self.previous_evaluate: object = _MISSING
        #: The checks of each model's last ``fit`` (by ``id``), for its ``evaluate``.
        self.fitted: dict[int, FitCheck] = {}
        self.local = threading.local()

    def apply(self) -> None:
        if self.model_class is not None or "keras" not in sys.modules:
            return
        keras = sys.modules["keras"]
        model_class = getattr(keras, "Model", None)
        if model_class is None:
            return
        self.model_class = model_class
        self.previous = model_class.__dict__.get("fit", _MISSING)
        original = model_class.fit
        signature = inspect.signature(original)
        patch = self

        def fit(model: Model, *args: object, **kwargs: object) -> object:
            __tracebackhide__ = True
            if getattr(patch.local, "depth", 0):
                return original(model, *args, **kwargs)
            bound = signature.bind(model, *args, **kwargs)
            patch._record_inputs(bound.arguments)
            checked = patch._check(model, bound.arguments)
            first_batch = checked.first_batch if checked is not None else None
            from .keras_callback import RecordingCallback

            arguments = {k: v for k, v in bound.arguments.items() if k in FIT_ARGUMENTS}
            callbacks = list(bound.arguments.get("callbacks") or [])
            arguments["callbacks"] = list(callbacks)  # the user's own, described by the record
            callbacks.append(RecordingCallback(patch.recorder, arguments, first_batch=first_batch))
            bound.arguments["callbacks"] = callbacks
            if "verbose" not in bound.arguments and patch.shows_progress():
                bound.arguments["verbose"] = 0
            patch.local.depth = 1
            try:
                return original(*bound.args, **bound.kwargs)
            finally:
                patch.local.depth = 0

        fit.__doc__ = original.__doc__
        fit.__wrapped__ = original  # type: ignore[attr-defined]
        model_class.fit = fit
        self._wrap_evaluate(model_class)

    def _wrap_evaluate(self, model_class: type[Model]) -> None:
        """``evaluate`` outside a ``fit`` (a test set): its rows are compared with training's."""
        self.previous_evaluate = model_class.__dict__.get("evaluate", _MISSING)
        original = model_class.evaluate
        patch = self

        def evaluate(model: Model, *args: object, **kwargs: object) -> object:
            __tracebackhide__ = True
            fitted = patch.fitted.get(id(model))
            if fitted is not None and not getattr(patch.local, "depth", 0) and patch.checks:
                from .check_hook import check_keras_evaluate

                x = args[0] if args else kwargs.get("x")
                check_keras_evaluate(patch.recorder, patch.checks, fitted, x)
            return original(model, *args, **kwargs)

        evaluate.__doc__ = original.__doc__
        evaluate.__wrapped__ = original  # type: ignore[attr-defined]
        model_class.evaluate = evaluate

    def shows_progress(self) -> bool:
        """Whether a live view draws the progress, so Keras' own bar would repeat it."""
        return any(getattr(sink, "shows_progress", False) for sink in self.recorder.sinks)

    def restore(self) -> None:
        if self.model_class is None:
            return
        if self.previous is _MISSING:
            del self.model_class.fit
        else:
            self.model_class.fit = self.previous
        if self.previous_evaluate is _MISSING:
            del self.model_class.evaluate
        else:
            self.model_class.evaluate = self.previous_evaluate
        self.model_class = None
        self.fitted.clear()

    def _check(self, model: Model, arguments: Mapping[str, object]) -> FitCheck | None:
        """The checks before training (a :class:`~nbjournal.recording.check_hook.FitCheck`, or ``None``)."""
        if self.checks is None:
            return None
        from .check_hook import check_keras_fit

        try:
            checked = check_keras_fit(self.recorder, self.checks, model, arguments)
            self.fitted[id(model)] = checked
            return checked
        except ChecksStopped:
            raise
        except Exception as failure:  # the journal's failure never stops the fit
            self.recorder.warn(f"the checks before fit failed: {failure!r}")
            return None

    def _record_inputs(self, arguments: Mapping[str, object]) -> None:
        self.recorder.note_fit_data(arguments.get("x"), arguments.get("y"))
        entries = []
        for name in ("x", "y", "validation_data", "sample_weight"):
            value = arguments.get(name)
            if value is not None:
                entry = describe_value(f"fit.{name}", value)
                if entry is not None:
                    entries.append(entry)
        if entries:
            self.recorder.add_data(entries)


@contextmanager
def recording_fits(recorder: RunRecorder, checks: CheckOptions | None = None) -> Iterator[None]:
    """Record (and, with ``checks``, check) every Keras and scikit-learn ``fit`` of the block."""
    patch = _FitPatch(recorder, checks)
    hook = ImportHook(lambda name: name == "keras", lambda module: patch.apply())
    patch.apply()
    if patch.model_class is None:
        sys.meta_path.insert(0, hook)
    try:
        with checking_estimators(recorder, checks):
            yield
    finally:
        if hook in sys.meta_path:
            sys.meta_path.remove(hook)
        patch.restore()
