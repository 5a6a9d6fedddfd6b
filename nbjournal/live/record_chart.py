"""The record's chart, drawn beside the cell rather than on its path (issue 21.13).

The static chart that takes the live view's place (SVG and PNG, by vl-convert)
takes 0.1–0.3 s to draw. Drawn when the run ends, that time was added to every
cell that fits. The chart is final when a ``fit`` returns, so the view starts
drawing it then (in a helper process, :mod:`.record_process`: vl-convert
holds the GIL, so a thread of the kernel stalled the cell), while the cell's code after ``fit`` and the
journal's end of the run go on; when the run ends the record takes that drawing
if nothing it shows changed since (another ``fit``, a diagnosis), else draws
again. Everything still happens before the cell returns: a headless run
(nbclient) saves no output that comes later.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING

from .record_process import draw, draw_apart

if TYPE_CHECKING:
    from .series import Row


class Drawing:
    """One chart being drawn in a thread; :meth:`result` waits for it."""

    def __init__(self, spec: Mapping[str, object], rows: list[Row]) -> None:
        self.spec = spec
        self.rows = rows
        self._result: tuple[str, str] | None = None
        self._failure: Exception | None = None
        self._thread = threading.Thread(target=self._draw, name="nbjournal-record", daemon=True)
        self._thread.start()

    def shows(self, spec: Mapping[str, object], rows: list[Row]) -> bool:
        """Whether this drawing is of ``spec`` (the same object: a change makes a new one)
        with these very points."""
        return spec is self.spec and rows == self.rows

    def result(self) -> tuple[str, str]:
        self._thread.join()
        if self._failure is not None:
            raise self._failure
        assert self._result is not None
        return self._result

    def _draw(self) -> None:
        try:
            try:
                self._result = draw_apart(self.spec, self.rows)
            except (OSError, RuntimeError, ValueError):  # no helper process: drawn here
                self._result = draw(self.spec, self.rows)
        except Exception as failure:  # raised again in the caller's thread
            self._failure = failure
