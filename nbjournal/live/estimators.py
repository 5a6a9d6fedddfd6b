"""A cell that fits scikit-learn estimators has no epochs: a compact card instead of curves.

The card names the estimator, the parameters set away from their defaults
(the ones a person chose), the time the cell took, and the result metrics.
Values logged with a step (``nbjournal.log_metric("loss", v, step=i)`` in a
``partial_fit`` or ``staged_predict`` loop) are a curve, drawn as a static chart.
"""

from __future__ import annotations

import base64
import inspect
import math
from html import escape
from typing import TYPE_CHECKING

from . import html
from .state import RunState
from .text import summary

if TYPE_CHECKING:
    from ..recording.recorder import RunRecorder
    from .series import Row

#: A logged metric needs this many steps to be drawn as a curve.
MIN_CURVE_POINTS = 3


def estimator_card(state: RunState | None, recorder: RunRecorder) -> dict[str, str] | None:
    """The card's mime bundle, or ``None`` when the cell fitted no estimator and drew nothing."""
    if state is None:
        return None
    params = getattr(recorder, "params", {}) or {}
    described = params.get("estimator")
    if isinstance(described, dict) and "class" in described:
        estimators = [described]
    elif isinstance(params.get("estimators"), dict):
        estimators = [e for e in params["estimators"].values() if isinstance(e, dict)]
    else:
        estimators = []
    results, curves = _logged(recorder)
    if not estimators and not curves:
        return None
    chosen = [_chosen_params(e) for e in estimators] or [{"class": "run"}]
    body = "".join(html.card(state, e, results if i == 0 else {}) for i, e in enumerate(chosen))
    bundle = {"text/html": body, "text/plain": summary(state)}
    if curves:
        svg = _curve_svg(curves)
        if svg:  # an image, not inline SVG: JupyterLab's sanitiser keeps it in any notebook
            data = base64.b64encode(svg.encode()).decode("ascii")
            names = escape(", ".join(curves))
            bundle["text/html"] += (
                f"<div class='nbj-view'><img alt='{names}' src='data:image/svg+xml;base64,{data}'>"
                "</div>"
            )
    return bundle


def _logged(recorder: RunRecorder) -> tuple[dict[str, float], dict[str, list[tuple[int, float]]]]:
    """Final values (the cell's result, ``log_metric`` without a step) and stepped curves."""
    history: dict[str, list[tuple[int, int, float]]] = getattr(recorder, "history", {}) or {}
    plain = set(getattr(recorder, "_value_steps", {}) or {})
    results, curves = {}, {}
    for name, points in history.items():
        if not points:
            continue
        if name in plain or len(points) < MIN_CURVE_POINTS:
            results[name] = points[-1][2]
        else:
            curves[name] = [(step, value) for _, step, value in points if math.isfinite(value)]
            results[name] = points[-1][2]
    return results, curves


def _chosen_params(described: dict[str, object]) -> dict[str, object]:
    """The parameters that differ from the estimator class's defaults (all, if unknown)."""
    cls = _find_class(str(described.get("class", "")))
    if cls is None:
        return described
    try:
        defaults = {
            name: p.default
            for name, p in inspect.signature(cls).parameters.items()
            if p.default is not inspect.Parameter.empty
        }
    except (TypeError, ValueError):
        return described
    chosen = {"class": described.get("class")}
    for key, value in described.items():
        if key != "class" and (key not in defaults or _differs(defaults[key], value)):
            chosen[key] = value
    return chosen


def _differs(default: object, value: object) -> bool:
    if hasattr(default, "get_params"):
        default = type(default).__name__
    try:
        return bool(default != value)
    except Exception:
        return True


def _find_class(name: str) -> type | None:
    """The estimator's class, found among the objects of the user's namespace."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    if shell is None or not name:
        return None
    for value in list(shell.user_ns.values()):
        if type(value).__name__ == name and hasattr(value, "get_params"):
            return type(value)
    return None


def _curve_svg(curves: dict[str, list[tuple[int, float]]]) -> str | None:
    try:
        from .spec import live_spec
        from .static import chart_svg

        rows: list[Row] = [
            ["e", name, "training", 0, step, value]
            for name, points in curves.items()
            for step, value in points
        ]
        spec = live_spec(list(curves), [], dots=max(len(p) for p in curves.values()) <= 60)
        return chart_svg(spec, rows)
    except Exception:  # a picture is a bonus: never an error
        return None
