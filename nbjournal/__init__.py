"""nbjournal: a lab journal for machine-learning experiments inside Jupyter.

Importing this package is cheap: TensorFlow, Keras, scikit-learn and Altair are
imported only when a run needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._version import __version__

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    import numpy as np
    import pandas as pd
    from IPython.core.interactiveshell import InteractiveShell
    from jupyter_server.serverapp import ServerApp

    from .analysis.comparison import Comparison, Noise
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


def __getattr__(name: str) -> type[Journal] | type[JournalCallback]:
    if name == "Journal":
        from .journal import Journal

        return Journal
    if name == "JournalCallback":
        from .callback import JournalCallback

        return JournalCallback
    raise AttributeError(f"module 'nbjournal' has no attribute {name!r}")


def compare_values(
    a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    higher_is_better: bool = True,
    seeds_a: Sequence[object] | None = None,
    seeds_b: Sequence[object] | None = None,
    min_effect: float | None = None,
    *,
    noise: Noise | None = None,
    metric: str | None = None,
) -> Comparison:
    """Whether group ``a`` beats group ``b`` beyond run-to-run noise: the one comparison rule
    (see :func:`nbjournal.analysis.comparison.compare_values` and ``docs/statistics.md``)."""
    from .analysis.comparison import compare_values as _compare_values

    return _compare_values(
        a, b, higher_is_better, seeds_a, seeds_b, min_effect, noise=noise, metric=metric
    )


def log_metric(name: str, value: float, step: int | None = None) -> None:
    """Record a metric on the experiment that is running in this kernel."""
    from .runs.current import log_metric as _log_metric

    _log_metric(name, value, step)


def run_grid(
    experiment: str,
    function: Callable[..., object],
    grid: Mapping[str, Sequence[object]] | None = None,
    repeat: int = 1,
    sample: int | None = None,
    hypothesis: str | None = None,
    *,
    engine: str | None = None,
    grid_max: int | None = None,
    force: bool = False,
    stop_on_error: bool = False,
    live: bool = True,
    journal: str | None = None,
    tags: list[str] | None = None,
    points: Sequence[Mapping[str, object]] | None = None,
) -> pd.DataFrame | None:
    """Call ``function(**point)`` for every point of ``grid`` (or of ``points=[{...}]``) as
    recorded runs, skipping points the journal already holds
    (see :func:`nbjournal.grids.api.run_grid`)."""
    from .grids.api import run_grid as _run_grid

    return _run_grid(
        experiment, function, grid, repeat, sample, hypothesis,
        engine=engine, grid_max=grid_max, force=force, stop_on_error=stop_on_error, live=live,
        journal=journal, tags=tags, points=points,
    )  # fmt: skip


def load_ipython_extension(ipython: InteractiveShell) -> None:
    """``%load_ext nbjournal``: registers the magics, imports nothing heavy."""
    from .magics import register

    register(ipython)


def unload_ipython_extension(ipython: InteractiveShell) -> None:
    from .magics import unregister

    unregister(ipython)


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "nbjournal"}]


def _load_jupyter_server_extension(server_app: ServerApp) -> None:
    from .server import load_jupyter_server_extension

    load_jupyter_server_extension(server_app)


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "nbjournal"}]
