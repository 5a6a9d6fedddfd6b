"""What a person sees while a run trains: the live view in a notebook, a text line elsewhere.

The recorder calls its sinks (see :class:`nbjournal.recording.recorder.Sink`); this
package decides which sinks a run gets:

- in a notebook kernel (a ZMQ kernel that can show widgets): the live view,
  :class:`nbjournal.live.widget.LiveView`;
- anywhere else (terminal IPython, a plain script): a text progress line,
  :class:`nbjournal.live.text.TextProgress`.

``NBJOURNAL_LIVE`` overrides the choice: ``widget``, ``text`` or ``off``. The
recording is the same in every case. Nothing heavy is imported until a run
asks for its sinks.
"""

from __future__ import annotations

import os
import warnings
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..recording.recorder import Sink

MODES = ("auto", "widget", "text", "off")


def sinks_for(live: bool, **context: object) -> list[Sink]:
    """The sinks of a run. ``context`` (experiment, run id, hypothesis) is also on the recorder."""
    if not live:
        return []
    mode = os.environ.get("NBJOURNAL_LIVE", "auto").strip().lower() or "auto"
    if mode not in MODES:
        warnings.warn(
            f"nbjournal: NBJOURNAL_LIVE={mode!r} is not one of {', '.join(MODES)}; using auto",
            stacklevel=2,
        )
        mode = "auto"
    if mode == "off":
        return []
    if mode == "widget" or (mode == "auto" and in_notebook()):
        try:
            from .widget import LiveView
        except ImportError as missing:
            warnings.warn(
                f"nbjournal: no live view ({missing}); showing a text progress line",
                stacklevel=2,
            )
        else:
            return [LiveView()]
    from .text import TextProgress

    return [TextProgress()]


def in_notebook() -> bool:
    """Whether this process is a Jupyter kernel whose front end can show widgets."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return False
    return any(cls.__name__ == "ZMQInteractiveShell" for cls in type(shell).__mro__)
