"""The record's chart drawn in a helper process, not in a thread of the kernel (issue 21.13).

vl-convert holds the GIL while it draws (80–180 ms of its 0.1–0.3 s, measured:
a thread counting beside it stalls that long), so a thread beside the cell
stopped the training thread at the end of every ``fit``. One helper process
per kernel draws instead: the kernel sends the chart's specification and points
as one JSON line and waits for the SVG and PNG on a pipe, which holds no lock.
It is started by a kernel's second fit (a kernel that fits once never pays for
it), and warms itself (Altair, vl-convert's engine: 1–5 s) while that fit
trains; until it says it is ready, and wherever it fails, the kernel draws the
record itself as before. The helper ends when the kernel does (its input closes).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Mapping
from typing import IO, TYPE_CHECKING, cast

if TYPE_CHECKING:
    from .series import Row

READY = b"ready\n"

#: Whether this process drew a record itself: a later fit starts the helper process.
drawn_here = False

_lock = threading.Lock()
_helper: subprocess.Popen[bytes] | None = None
_ready = threading.Event()


def start() -> None:
    """Start the helper unless it runs (returns at once; it warms itself beside the fit)."""
    global _helper
    with _lock:
        if _helper is not None and _helper.poll() is None:
            return
        _ready.clear()
        _helper = subprocess.Popen(
            [sys.executable, "-m", "nbjournal.live.record_process"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        threading.Thread(target=_await_ready, args=(_helper,), daemon=True).start()


def _await_ready(helper: subprocess.Popen[bytes]) -> None:
    if cast(IO[bytes], helper.stdout).readline() == READY:
        _ready.set()


def draw_apart(spec: Mapping[str, object], rows: list[Row]) -> tuple[str, str]:
    """The chart as SVG and PNG (see :func:`draw`), drawn by the
    helper; raises ``OSError`` or ``RuntimeError`` when it cannot (not started, not ready)."""
    request = json.dumps({"spec": spec, "rows": rows}).encode("utf-8") + b"\n"
    with _lock:  # one drawing at a time per helper: its answers come in order
        helper = _helper
        if helper is None or helper.poll() is not None or not _ready.is_set():
            raise RuntimeError("no drawing process ready")
        stdin, stdout = cast(IO[bytes], helper.stdin), cast(IO[bytes], helper.stdout)
        try:
            stdin.write(request)
            stdin.flush()
            answer = stdout.readline()
        except OSError:
            _stop(helper)
            raise
        if not answer:
            _stop(helper)
            raise RuntimeError("the drawing process ended")
    drawn = json.loads(answer)
    if "error" in drawn:
        raise RuntimeError(drawn["error"])
    return str(drawn["svg"]), str(drawn["png"])


def _stop(helper: subprocess.Popen[bytes]) -> None:
    global _helper
    helper.kill()
    helper.wait()
    _helper = None


def draw(spec: Mapping[str, object], rows: list[Row]) -> tuple[str, str]:
    """The chart as SVG (see-through, for a dark theme) and PNG (base64, opaque), drawn here."""
    global drawn_here
    drawn_here = True
    from ..display.offline import chart_png
    from .static import chart_svg, see_through

    svg = chart_svg(spec, rows)
    return see_through(svg), chart_png(svg)


def main() -> None:
    """The helper: one chart a line in, one answer a line out, until its input closes."""
    from .spec import live_spec

    draw(
        live_spec(["loss"], [], [], dots=True, log=[], kinds=["e"]),
        [["e", "loss", "training", 0, 1, 1.0]],
    )
    sys.stdout.buffer.write(READY)
    sys.stdout.flush()
    for line in sys.stdin.buffer:
        try:
            request = json.loads(line)
            svg, png = draw(request["spec"], request["rows"])
            answer: dict[str, str] = {"svg": svg, "png": png}
        except Exception as failure:  # said to the kernel, which draws itself then
            answer = {"error": repr(failure)}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
