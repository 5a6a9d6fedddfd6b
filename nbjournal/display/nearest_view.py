"""The closest earlier run, as people read it: one line above the live view (what differs,
what was concluded) and the lines ``%journal show`` prints of a run's recorded ``nearest``.

Notes are the journal's words about the user's runs: escaped, never markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import TYPE_CHECKING, cast

from ..rules import palette
from .kit import View

if TYPE_CHECKING:
    from ..analysis.nearest import Nearest


class NearestNotice(View):
    """One line above the live view: the closest earlier run, what differs, what was concluded."""

    def __init__(self, nearest: Nearest) -> None:
        self.nearest = nearest

    def html(self) -> str:
        notes = "".join(
            f"<div class='v-refuted' style='color:{palette.PROBLEM}'>⚠ {escape(note)}</div>"
            for note in self.nearest.notes
        )
        return (
            f"<div class='nbj nbj-nearest'><div class='nbj-muted'>{escape(self.nearest.line())}"
            f"</div>{notes}</div>"
        )

    def text(self) -> str:
        return "\n".join([self.nearest.line(), *(f"⚠ {note}" for note in self.nearest.notes)])


def nearest_lines(record: Mapping[str, object] | None) -> list[str]:
    """A run's recorded ``nearest`` as the lines ``%journal show`` prints."""
    if not record:
        return []
    notes = cast("list[str]", record.get("notes") or [])
    return [str(record.get("line", "")), *(f"⚠ {n}" for n in notes)]
