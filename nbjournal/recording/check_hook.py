"""The checks at the start of each ``fit`` in an experiment cell: run, record, show, stop.

Called by the fit hooks (:mod:`nbjournal.recording.fit_hook` for Keras,
:mod:`nbjournal.recording.estimator_hook` for scikit-learn) with what ``fit`` was given.
The checks themselves are :mod:`nbjournal.checks`; this module turns their
report into the run's record and the lines above the live view, and, with
``--strict``, into one clear line that stops the cell before training. A
failure of the journal's own here is a warning: the user's ``fit`` goes on.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from IPython.core.error import UsageError

from .recorder import RunRecorder

if TYPE_CHECKING:
    import numpy as np
    from keras import Model
    from sklearn.base import BaseEstimator

    from ..checks import FitData

#: ``--strict``: a check found a problem, so the cell stops before training. IPython shows
#: exactly ``UsageError`` (not a subclass) as one line without a traceback, hence no subclass.
ChecksStopped = UsageError


@dataclass(frozen=True)
class CheckOptions:
    """What the cell (``--no-check``, ``--strict``) and the config ask of the checks."""

    silenced: tuple[str, ...] = ()
    strict: bool = False

    @classmethod
    def resolve(cls, no_check: Iterable[str] = (), strict: bool = False) -> CheckOptions:
        """The cell's options joined with ``NBJOURNAL_NO_CHECK`` and ``NBJOURNAL_STRICT_CHECKS``."""
        from ..config import silenced_checks, strict_checks

        return cls(
            silenced=tuple(dict.fromkeys([*silenced_checks(), *no_check])),
            strict=strict or strict_checks(),
        )


@dataclass
class FitCheck:
    """What the checks of one Keras ``fit`` leave for later: the reader of the first batch's
    loss, and the fit's data (``evaluate`` on that model is compared with its training rows)."""

    data: FitData
    first_batch: Callable[[float], None] | None = None


def check_keras_fit(
    recorder: RunRecorder, options: CheckOptions, model: Model, arguments: Mapping[str, object]
) -> FitCheck:
    """Check one Keras ``fit`` before it trains."""
    from ..checks import FitData, chance_loss

    where: dict[str, object] = {"fit": recorder.parts + 1}
    data = FitData(
        arguments.get("x"),
        arguments.get("y"),
        validation_split=cast("float | None", arguments.get("validation_split")),
        validation_data=arguments.get("validation_data"),
        batch_size=cast("int | None", arguments.get("batch_size")),
        model=model,
        weighted=next(
            (n for n in ("class_weight", "sample_weight") if arguments.get(n) is not None), None
        ),
    )
    before = _check(recorder, options, data, where)
    if "initial-loss" in options.silenced:
        return FitCheck(data)
    try:
        chance = chance_loss(data.model_info)
    except Exception as failure:
        _skipped(recorder, "initial-loss", f"could not read the model: {failure!r}", where)
        return FitCheck(data)
    if chance is None:
        return FitCheck(data)

    def first_batch(loss: float) -> None:
        from ..checks import initial_loss

        try:
            named = "non-finite" in before
            found = [f.as_dict() | where for f in initial_loss(loss, chance, named)]
        except Exception as failure:
            _skipped(recorder, "initial-loss", f"could not run: {failure!r}", where)
            return
        recorder.add_checks(found, silenced=options.silenced)
        _stop_if_strict(options, found, "after the first batch")

    return FitCheck(data, first_batch)


def check_keras_evaluate(
    recorder: RunRecorder, options: CheckOptions, fitted: FitCheck, x: object
) -> None:
    """``leakage`` of the rows given to ``evaluate`` (a test set) with the model's training rows.

    Known only after training, so it warns (``--strict`` stops nothing here).
    """
    if "leakage" in options.silenced or x is None:
        return
    from ..checks.inputs import as_array
    from ..checks.registry import Unreadable
    from ..checks.rows import shared_rows

    try:
        rows = as_array(x, "evaluate x")
        if _same_as_validation(fitted.data, rows):
            return  # the finding on validation_data already said it
        found = shared_rows(fitted.data, rows, "the data passed to evaluate")
    except Unreadable:
        return
    except Exception as failure:
        recorder.warn(f"the leakage check of evaluate failed: {failure!r}")
        return
    if found is not None:
        recorder.add_checks([found.as_dict() | {"evaluate": True}], silenced=options.silenced)


def _same_as_validation(data: FitData, rows: np.ndarray) -> bool:
    """Whether ``evaluate`` was given the very rows the fit validated on (``validation_data``)."""
    import numpy as np

    if data.validation_data is None:
        return False
    validation = data.validation
    return validation is not None and np.array_equal(validation[0], rows)


def check_estimator_fit(
    recorder: RunRecorder,
    options: CheckOptions,
    estimator: BaseEstimator,
    x: object,
    y: object,
    sample_weight: object = None,
) -> None:
    """Check one scikit-learn ``fit(X, y)``: the data checks, without the Keras-model ones."""
    from ..checks import FitData

    data = FitData(
        x,
        y,
        task=_task(estimator),
        scale_sensitive=_scale_sensitive(estimator),
        allow_nan=_allows_nan(estimator),
        weighted="sample_weight" if sample_weight is not None else _class_weight(estimator),
    )
    _check(recorder, options, data, {"estimator": type(estimator).__name__})


def _check(
    recorder: RunRecorder, options: CheckOptions, data: FitData, where: dict[str, object]
) -> set[str]:
    """Run the checks before fit; the names of what they found."""
    from ..checks import run_checks

    try:
        report = run_checks(data, options.silenced)
        found = [f.as_dict() | where for f in report.findings]
        skipped = [s.as_dict() | where for s in report.skipped]
        recorder.add_checks(found, skipped, options.silenced)
    except Exception as failure:  # never break the user's fit over a check
        recorder.warn(f"the checks before fit failed: {failure!r}")
        return set()
    _stop_if_strict(options, found, "before fit")
    return {str(f["name"]) for f in found}


def _skipped(recorder: RunRecorder, name: str, reason: str, where: dict[str, object]) -> None:
    recorder.add_checks([], [{"name": name, "reason": reason} | where])


def _stop_if_strict(options: CheckOptions, found: list[dict[str, object]], when: str) -> None:
    if not options.strict or not found:
        return
    names = ", ".join(dict.fromkeys(str(f["name"]) for f in found))
    raise ChecksStopped(
        f"nbjournal --strict: the checks found {len(found)} problem(s) {when} ({names}); "
        "the cell stopped. Fix them, or silence a check with --no-check NAME"
    )


def _task(estimator: BaseEstimator) -> str | None:
    base = sys.modules.get("sklearn.base")
    if base is None:
        return None
    if base.is_classifier(estimator):
        return "classification"
    return "regression" if base.is_regressor(estimator) else None


def _class_weight(estimator: BaseEstimator) -> str | None:
    """``class_weight`` when the estimator (or a step of its pipeline) sets one."""
    try:
        params = estimator.get_params(deep=True)
    except Exception:
        return None
    for name, value in params.items():
        if name.split("__")[-1] == "class_weight" and value is not None:
            return "class_weight"
    return None


def _scale_sensitive(estimator: BaseEstimator) -> bool:
    """Trees and their ensembles ignore scale; a pipeline with a scaler has put it right."""
    steps = getattr(estimator, "steps", None)
    if isinstance(steps, list) and steps:
        for _, step in steps:
            module = type(step).__module__
            if module.startswith(("sklearn.preprocessing", "sklearn.compose")):
                return False
        return _scale_sensitive(steps[-1][1])
    module = type(estimator).__module__
    return not module.startswith(("sklearn.tree", "sklearn.ensemble", "xgboost", "lightgbm"))


def _allows_nan(estimator: BaseEstimator) -> bool:
    try:
        from sklearn.utils import get_tags

        return bool(get_tags(estimator).input_tags.allow_nan)
    except Exception:
        return False
