"""The live chart widget: an Altair specification whose points stream in as increments.

Altair's ``JupyterChart`` re-sends the whole specification, data included, on
every change, so the bytes per update grow with the epochs already drawn.
This widget sends the specification once (again only when the panels change)
and then only the new points, as custom comm messages; the full, bounded set
of points travels only after a series was thinned (see
:mod:`nbjournal.live.series`) and at the end of the run, so that a view
created later, or the saved widget state, is complete.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Final

import anywidget
import traitlets

from . import library
from .series import Row

#: The script of a closed chart: a valid module that draws nothing.
CLOSED_ESM: Final = "export default { render() {} };"
SOURCE = Path(__file__).parent / "js" / "live_chart.js"


class LiveChart(anywidget.AnyWidget):
    """Renders ``spec`` with vega-embed (from the kernel's one library widget, offline) and
    the rows it is sent."""

    # The widget's height is reserved by the view (its layout); a block SVG adds no baseline gap.
    _css = """
    .nbj-chart svg.marks { display: block; }
    .nbj-chart .vega-embed { padding-right: 0; }
    .nbj-chart .vega-embed summary { display: none; }
    """
    uid = traitlets.Unicode().tag(sync=True)
    spec = traitlets.Dict().tag(sync=True)
    rows: traitlets.List[Row] = traitlets.List().tag(sync=True)

    def __init__(self, **kwargs: object) -> None:
        library.ensure()
        type(self)._esm = SOURCE.read_text(encoding="utf-8")  # read from the class when made
        super().__init__(uid=uuid.uuid4().hex, **kwargs)

    def append(self, rows: list[Row]) -> None:
        """Send new points (nothing is kept in the widget's state: see :meth:`replace`)."""
        if rows:
            self.send({"append": rows})

    def forget(self) -> None:
        """Empty the state before closing: a headless executor saves the last state of every
        model, closed or not, in the notebook (the points, the script, the library's copy)."""
        with self.hold_sync():
            self._esm = CLOSED_ESM
            self.spec = {}
            self.rows = []
        library.release()

    def replace(self, rows: list[Row]) -> None:
        """Make ``rows`` the chart's whole data (after a thinning, and at the end)."""
        self.rows = list(rows)
