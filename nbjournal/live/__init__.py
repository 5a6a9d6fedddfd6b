"""What a person sees while a run trains: the live view in a notebook, a text line elsewhere.

The recorder calls its sinks (see :class:`nbjournal.recorder.Sink`); this
package decides which sinks a run gets.
"""

from __future__ import annotations

from typing import Any


def sinks_for(live: bool, **context: Any) -> list[Any]:
    """The sinks of a run: none yet (the live view is the next piece of work)."""
    return []
