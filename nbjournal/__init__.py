"""nbjournal: a lab journal for machine-learning experiments inside Jupyter.

Importing this package is cheap: TensorFlow, Keras, scikit-learn and Altair are
imported only when a run needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .callback import JournalCallback
    from .journal import Journal

__all__ = [
    "Journal",
    "JournalCallback",
    "__version__",
    "compare_values",
    "load_ipython_extension",
    "log_metric",
    "run_grid",
]


def __getattr__(name: str) -> Any:
    if name == "Journal":
        from .journal import Journal

        return Journal
    if name == "JournalCallback":
        from .callback import JournalCallback

        return JournalCallback
    raise AttributeError(f"module 'nbjournal' has no attribute {name!r}")


def compare_values(
    a: Any,
    b: Any,
    higher_is_better: bool = True,
    seeds_a: Any = None,
    seeds_b: Any = None,
    min_effect: float | None = None,
    **options: Any,
) -> Any:
    """Whether group ``a`` beats group ``b`` beyond run-to-run noise: the one comparison rule
    (see :func:`nbjournal.analysis.comparison.compare_values` and ``docs/statistics.md``)."""
    from .analysis.comparison import compare_values as _compare_values

    return _compare_values(a, b, higher_is_better, seeds_a, seeds_b, min_effect, **options)


def log_metric(name: str, value: float, step: int | None = None) -> None:
    """Record a metric on the experiment that is running in this kernel."""
    from .runs.current import log_metric as _log_metric

    _log_metric(name, value, step)


def run_grid(
    experiment: str,
    function: Any,
    grid: dict[str, list[Any]] | None = None,
    repeat: int = 1,
    sample: int | None = None,
    hypothesis: str | None = None,
    **options: Any,
) -> Any:
    """Call ``function(**point)`` for every point of ``grid`` (or of ``points=[{...}]``) as
    recorded runs, skipping points the journal already holds
    (see :func:`nbjournal.grids.api.run_grid`)."""
    from .grids.api import run_grid as _run_grid

    return _run_grid(experiment, function, grid, repeat, sample, hypothesis, **options)


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext nbjournal``: registers the magics, imports nothing heavy."""
    from .magics import register

    register(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    from .magics import unregister

    unregister(ipython)


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "nbjournal"}]


def _load_jupyter_server_extension(server_app: Any) -> None:
    from .server import load_jupyter_server_extension

    load_jupyter_server_extension(server_app)


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "nbjournal"}]
