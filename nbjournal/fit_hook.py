"""Attaching the recorder to every Keras ``fit`` a cell makes, without importing Keras early.

While an experiment cell runs, ``keras.Model.fit`` is wrapped so that each call
gets a :class:`nbjournal.callback.RecordingCallback` and fingerprints the
arrays it is given. When the live view draws the progress and the cell did not
pass ``verbose``, Keras' own text bar is turned off. If the cell itself imports
Keras, an import hook wraps ``fit`` as soon as Keras has loaded. Everything is
restored when the cell ends.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import inspect
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .capture.fingerprint import describe_value
from .capture.model_params import FIT_ARGUMENTS
from .recorder import RunRecorder

_MISSING = object()


class _FitPatch:
    def __init__(self, recorder: RunRecorder) -> None:
        self.recorder = recorder
        self.model_class: Any = None
        self.previous: Any = _MISSING
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

        def fit(model: Any, *args: Any, **kwargs: Any) -> Any:
            __tracebackhide__ = True
            if getattr(patch.local, "depth", 0):
                return original(model, *args, **kwargs)
            bound = signature.bind(model, *args, **kwargs)
            patch._record_inputs(bound.arguments)
            from .callback import RecordingCallback

            arguments = {k: v for k, v in bound.arguments.items() if k in FIT_ARGUMENTS}
            callbacks = list(bound.arguments.get("callbacks") or [])
            arguments["callbacks"] = list(callbacks)  # the user's own, described by the record
            callbacks.append(RecordingCallback(patch.recorder, arguments))
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
        self.model_class = None

    def _record_inputs(self, arguments: dict[str, Any]) -> None:
        entries = []
        for name in ("x", "y", "validation_data", "sample_weight"):
            value = arguments.get(name)
            if value is not None:
                entry = describe_value(f"fit.{name}", value)
                if entry is not None:
                    entries.append(entry)
        if entries:
            self.recorder.add_data(entries)


class _KerasImportHook(importlib.abc.MetaPathFinder):
    """Applies the patch right after ``import keras`` runs inside the cell."""

    def __init__(self, patch: _FitPatch) -> None:
        self.patch = patch
        self.busy = False

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname != "keras" or self.busy:
            return None
        self.busy = True
        try:
            spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        finally:
            self.busy = False
        if spec is None or spec.loader is None:
            return None
        loader = spec.loader
        patch = self.patch

        class _Loader(importlib.abc.Loader):
            def create_module(self, spec: Any) -> Any:
                return loader.create_module(spec)

            def exec_module(self, module: Any) -> None:
                loader.exec_module(module)
                patch.apply()

        spec.loader = _Loader()
        return spec


@contextmanager
def recording_fits(recorder: RunRecorder) -> Iterator[None]:
    patch = _FitPatch(recorder)
    hook = _KerasImportHook(patch)
    patch.apply()
    if patch.model_class is None:
        sys.meta_path.insert(0, hook)
    try:
        yield
    finally:
        if hook in sys.meta_path:
            sys.meta_path.remove(hook)
        patch.restore()
