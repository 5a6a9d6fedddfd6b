"""What the journal accepts: one rule for SQLite and PostgreSQL, checked before writing.

SQLite stores nearly anything; PostgreSQL refuses a NUL character, a name longer
than its column or an integer out of range, and with it the whole transaction.
Checking here, at the edge, makes both databases accept and refuse the same
values, and lets one bad value cost that value only. The sizes are documented
in the README ("Limits") and docs/rest-api.md.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from ..errors import BadInput, TooLarge

#: Characters in a metric name, an experiment name or a tag (their columns' width).
NAME_MAX = 200
#: Characters in a hypothesis.
HYPOTHESIS_MAX = 20_000
#: Characters in an inference (a long write-up belongs in the notebook).
INFERENCE_MAX = 100_000
#: Tags on one run.
TAGS_MAX = 50
#: Characters in a tag added after the fact, and what it is made of: a word the query
#: grammar's ``#tag`` finds (no space, quote, comma or ``#``; not ``+``/``-`` first, which
#: ``tag +a -b`` reads as add/remove; not digits alone, which ``#123`` reads as a run).
TAG_MAX = 100
_TAG = re.compile(r"^\w[\w.:/@+=-]*$")
#: Steps (and epochs) are signed 64-bit integers: a timestamp in nanoseconds fits.
STEP_MIN, STEP_MAX = -(2**63), 2**63 - 1
#: Values in one ``IN (...)``: far below SQLite's and PostgreSQL's bound-parameter limits.
IN_LIST_MAX = 500
#: Run ids are the ``runs.id`` column, a signed 32-bit integer on PostgreSQL.
RUN_ID_MAX = 2**31 - 1


def text(what: str, value: str, limit: int) -> str:
    """``value`` when it is storable text of at most ``limit`` characters; else one clear error."""
    if "\x00" in value:
        raise BadInput(f"{what} contains a NUL character, which the journal cannot store")
    if len(value) > limit:
        raise TooLarge(
            f"{what} is {len(value):,} characters long; the journal takes {limit:,} at most"
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadInput(f"{what} is not valid text (it holds a lone surrogate)") from None
    return value


def name(what: str, value: str) -> str:
    return text(what, value, NAME_MAX)


def tag(value: str) -> str:
    """``value`` when it is a tag the query grammar can find; else one clear error."""
    text("a tag", value, TAG_MAX)
    if not _TAG.match(value):
        raise BadInput(
            f"tag {value[:40]!r} is not a word: use letters, digits and . _ - : / @ + = "
            "(no spaces), starting with a letter or digit"
        )
    if value.isdigit():
        raise BadInput(f"tag {value!r} is digits only: #{value} would name run {value}")
    return value


def tags(values: Iterable[str]) -> list[str]:
    """A new run's tags, sorted and once each, when every one is a tag (:func:`tag`) and they
    are few enough; else one clear error. Every way to start a run (a cell's ``-t``, the
    callback, ``run_grid``, the store) asks this before anything runs."""
    kept = sorted({tag(t.strip()) for t in values if t and t.strip()})
    if len(kept) > TAGS_MAX:
        raise BadInput(f"{len(kept)} tags: a run takes {TAGS_MAX} at most")
    return kept


def step(what: str, value: Any) -> int:
    """An integer step or epoch within 64 bits."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        raise BadInput(f"{what} must be an integer, not {value!r}") from None
    if isinstance(value, float) and (not math.isfinite(value) or number != value):
        raise BadInput(f"{what} must be an integer, not {value!r}")
    if not STEP_MIN <= number <= STEP_MAX:
        raise BadInput(f"{what} {number} is out of range (a signed 64-bit integer)")
    return number


def known_run_id(run_id: int) -> bool:
    """Whether ``run_id`` can name a run at all (larger ids are unknown, never an outage)."""
    return 0 < run_id <= RUN_ID_MAX


def point_problem(name_: str, step_: Any, epoch: Any) -> str | None:
    """Why a metric point cannot be stored, or ``None``: checked before it is buffered."""
    try:
        if not isinstance(name_, str) or not name_:
            return f"metric name {name_!r} is not a non-empty string"
        name(f"metric name {name_[:40]!r}…" if len(name_) > 40 else f"metric {name_!r}", name_)
        step(f"metric {name_[:40]!r} step", step_)
        if epoch is not None:
            step(f"metric {name_[:40]!r} epoch", epoch)
    except BadInput as problem:
        return str(problem)
    return None


T = TypeVar("T")


def in_lists(values: Sequence[T]) -> Iterator[list[T]]:
    """``values`` in slices of :data:`IN_LIST_MAX`, one ``IN (...)`` query each."""
    for start in range(0, len(values), IN_LIST_MAX):
        yield list(values[start : start + IN_LIST_MAX])
