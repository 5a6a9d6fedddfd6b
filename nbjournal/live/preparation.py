"""Getting the live chart ready off the training thread.

The first live chart of a process needs its JavaScript bundle (read from the
disk cache; made by vl-convert, a few seconds, the very first time on a
machine), Altair imported with its schema (about two seconds) and the chart
built, and, at the run's end, vl-convert's renderer started for the static
SVG (about a second). None of that may stall ``fit``: it runs once per process
in a background thread started when the first ``fit`` begins, and the view
attaches its chart as soon as it is ready. Until then the header, progress and
footer update as usual and the chart's points wait; none is lost.
"""

from __future__ import annotations

import threading

_ready = threading.Event()
_started = False
_start_lock = threading.Lock()
_failure: BaseException | None = None


def prepare() -> None:
    """Start the preparation (once per process; returns at once)."""
    global _started
    with _start_lock:
        if _started:
            return
        _started = True
    threading.Thread(target=_prepare, name="nbjournal-live-prepare", daemon=True).start()


def ready() -> bool:
    """Whether a chart can be made now without waiting."""
    return _ready.is_set()


def wait(timeout: float | None = None) -> bool:
    """Wait for the preparation (at the end of a run, when waiting no longer delays training)."""
    prepare()
    return _ready.wait(timeout)


def failure() -> BaseException | None:
    """Why the chart cannot be made (vl-convert or Altair missing, say), or ``None``."""
    return _failure


def _prepare() -> None:
    global _failure
    try:
        from .bundle import library_code
        from .spec import live_spec

        library_code()
        live_spec(["loss", "accuracy"], [], [], dots=True, log=["loss"])  # the usual chart
    except Exception as error:  # reported by the view as a journal warning
        _failure = error
    finally:
        _ready.set()
    try:  # start vl-convert's renderer now, so that the static copy at the end is quick
        from .spec import live_spec
        from .static import chart_svg

        chart_svg(live_spec(["loss"], [], [], dots=True), [])
    except Exception:
        pass
