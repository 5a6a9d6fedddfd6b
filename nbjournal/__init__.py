"""nbjournal: a lab journal for machine-learning experiments inside Jupyter.

Importing this package is cheap: TensorFlow, Keras, scikit-learn and Altair are
imported only when a run needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._version import __version__

if TYPE_CHECKING:
    from IPython.core.interactiveshell import InteractiveShell
    from jupyter_server.serverapp import ServerApp

    from .analysis.comparison import compare_values
    from .callback import JournalCallback
    from .grids.api import run_grid
    from .journal import Journal
    from .runs.current import log_metric

__all__ = [
    "Journal",
    "JournalCallback",
    "__version__",
    "compare_values",
    "load_ipython_extension",
    "log_metric",
    "run_grid",
]

#: The public names and the module each lives in, imported on first use (PEP 562): the
#: functions are the real ones, their signatures written once.
_LAZY = {
    "Journal": ".journal",
    "JournalCallback": ".callback",
    "compare_values": ".analysis.comparison",
    "log_metric": ".runs.current",
    "run_grid": ".grids.api",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        from importlib import import_module

        value = getattr(import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'nbjournal' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


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
