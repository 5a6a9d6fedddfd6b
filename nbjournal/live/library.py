"""The live charts' library (Vega, Vega-Lite, vega-embed: about 900 kB) sent once per kernel.

Each chart carried the library as its own script before: 900 kB sent per view.
Now one library widget per kernel, never displayed, carries it in its ``code``
and the charts wait for it in the page (``js/library_loader.js``). A page
that has it says so (``have``); once heard, no chart sends it again. Until
then every chart makes sure the code is there, and each closed view empties
it: a headless run (nbclient, so nbconvert and papermill) has no page to say
``have`` and saves the last state of every widget in the notebook, which then
keeps no copy. A page opened later without the library asks (``need``) and
gets it at once, the kernel being idle then. The page's ``have`` waits while
cells run: under Run All, where every cell is queued at once, each view sends
the library until the kernel was idle once.

The loader (the widget's script) imports ``code`` as a module, which puts
vegaEmbed in a page-wide slot (``js/chart_library.js``), and never makes
anywidget wait for it (a model has 2 s to initialize).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from .bundle import library_code

LOADER = Path(__file__).parent / "js" / "library_loader.js"

_lock = threading.Lock()
_library: ChartLibrary | None = None


class ChartLibrary(anywidget.AnyWidget):
    """The library's holder; ``page_has_it`` once a front end said it loaded it."""

    code = traitlets.Unicode("").tag(sync=True)

    def __init__(self, code: str = "") -> None:
        type(self)._esm = LOADER.read_text(encoding="utf-8")
        super().__init__(code=code)
        self.page_has_it = False
        self.on_msg(self._heard)

    def _heard(self, _widget: object, content: Any, _buffers: object) -> None:
        """Handled when the kernel is idle (comm messages wait while a cell runs)."""
        if not isinstance(content, dict):
            return
        if content.get("have"):
            self.page_has_it = True
        elif content.get("need"):
            self.page_has_it = False
            self.code = library_code()


def ensure() -> None:
    """Before a chart is made: the library is in the page, or on its way there."""
    library = _current()
    if not library.page_has_it and not library.code:
        library.code = library_code()


def _current() -> ChartLibrary:
    global _library
    with _lock:
        if _library is None or _library.comm is None:  # closed (``Widget.close_all``)
            _library = ChartLibrary(library_code())
        return _library


def release() -> None:
    """A view closed: with no page known to hold the library, keep no copy in the state."""
    with _lock:
        library = _library
    if library is not None and not library.page_has_it and library.code:
        library.code = ""
