"""Checking each scikit-learn ``fit(X, y)`` of an experiment cell before it runs, and
handing its data to the recorder (meta-features, :mod:`nbjournal.capture.fit_meta`).

scikit-learn has no ``fit`` to wrap once: every estimator class defines its
own. While the cell runs, the ``fit`` of every estimator class already
imported is wrapped, and so is that of every class a scikit-learn module
imported during the cell defines; all are put back when the cell ends. Only
the outermost ``fit`` is checked (a pipeline's steps or a search's candidates
are fitted inside it). Nothing is imported: without scikit-learn loaded, this
costs one dictionary look-up.
"""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from types import ModuleType
from typing import TYPE_CHECKING

from .check_hook import CheckOptions, ChecksStopped, check_estimator_fit
from .import_hook import ImportHook
from .recorder import RunRecorder

if TYPE_CHECKING:
    from sklearn.base import BaseEstimator

#: An estimator class's own ``fit`` (any signature: each class defines its own).
Fit = Callable[..., object]


class _EstimatorPatch:
    def __init__(self, recorder: RunRecorder, checks: CheckOptions | None) -> None:
        self.recorder = recorder
        self.checks = checks
        self.originals: dict[type, Fit] = {}
        self.depth = 0

    def apply(self, module: ModuleType | None = None) -> None:
        """Wrap ``fit`` of the estimator classes loaded (of ``module`` only, when given)."""
        root = getattr(sys.modules.get("sklearn.base"), "BaseEstimator", None)
        if root is None:  # scikit-learn not loaded, or still loading
            return
        if module is None:
            classes = _subclasses(root)
        else:
            classes = [
                value
                for value in vars(module).values()
                if isinstance(value, type)
                and issubclass(value, root)
                and value.__module__ == module.__name__
            ]
        for cls in classes:
            fit = cls.__dict__.get("fit")
            if cls in self.originals or not inspect.isfunction(fit):
                continue
            self.originals[cls] = fit
            setattr(cls, "fit", self._wrap(fit))  # noqa: B010 (any estimator class)

    def restore(self) -> None:
        for cls, fit in self.originals.items():
            setattr(cls, "fit", fit)  # noqa: B010
        self.originals.clear()

    def _wrap(self, fit: Fit) -> Fit:
        patch = self

        @functools.wraps(fit)
        def checked_fit(estimator: BaseEstimator, *args: object, **kwargs: object) -> object:
            __tracebackhide__ = True
            if patch.depth == 0:
                patch.check(estimator, args, kwargs)
            patch.depth += 1
            try:
                return fit(estimator, *args, **kwargs)
            finally:
                patch.depth -= 1

        return checked_fit

    def check(
        self, estimator: BaseEstimator, args: tuple[object, ...], kwargs: Mapping[str, object]
    ) -> None:
        x = args[0] if args else kwargs.get("X")
        y = args[1] if len(args) > 1 else kwargs.get("y")
        self.recorder.note_fit_data(x, y)
        if self.checks is None:
            return
        try:
            weights = args[2] if len(args) > 2 else None
            for name, value in kwargs.items():  # a pipeline's step__sample_weight too
                if name.endswith("sample_weight") and value is not None:
                    weights = value
            check_estimator_fit(self.recorder, self.checks, estimator, x, y, weights)
        except ChecksStopped:
            raise
        except Exception as failure:  # the journal's failure never stops the fit
            self.recorder.warn(f"the checks before fit failed: {failure!r}")


def _subclasses(root: type) -> list[type]:
    found: list[type] = []
    stack = [root]
    seen: set[type] = set()
    while stack:
        sub: type
        for sub in stack.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                found.append(sub)
                stack.append(sub)
    return found


@contextmanager
def checking_estimators(recorder: RunRecorder, checks: CheckOptions | None) -> Iterator[None]:
    """Check every scikit-learn ``fit`` made inside the block (with ``checks``) and hand its
    data to the recorder for its meta-features."""
    patch = _EstimatorPatch(recorder, checks)
    hook = ImportHook(lambda name: name.startswith("sklearn."), patch.apply)
    patch.apply()
    sys.meta_path.insert(0, hook)
    try:
        yield
    finally:
        if hook in sys.meta_path:
            sys.meta_path.remove(hook)
        patch.restore()
