"""What a query can name: the parameters of an experiment's runs (with their commonest
values), its metrics and its tags.

Two uses, one reading: the query box completes names and values from it, and a query
that names what no run has (``learning_rate=0.1``, ``val_acc>0.9``) is refused with the
closest known names ("did you mean lr, val_accuracy?") instead of matching nothing. A
bare word that matches no text but is a parameter's value (``tanh``) is told to be
written as a filter (``act=tanh``). The sidebar, the experiment page and ``nbjournal
runs`` all go through :func:`check` and :func:`explain_empty`.

Reading 10,000 runs' parameters costs ~0.1 s, so the reading is kept per experiment
until one of its runs changes; a name missing from the kept reading is looked up again
before it is called unknown (a live run's first metric does not touch its run's row).
"""

from __future__ import annotations

import difflib
import re
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import sqlalchemy as sa

from ..errors import BadInput
from . import schema
from .query import Query, parse
from .serialize import loads

R = schema.runs
LM = schema.latest_metrics
TAGS = schema.tags

#: Values kept per parameter (the commonest first), and names/tags kept in all.
VALUES_MAX = 20
NAMES_MAX = 2000
TAGS_MAX = 200
#: How many close names an error offers.
CLOSE_MAX = 3
_CACHED_MAX = 32
_PARTS = re.compile(r"[_.\-/\[\] ]+")


@dataclass(frozen=True)
class Vocabulary:
    """An experiment's names (or the whole journal's when ``experiment`` is None)."""

    experiment: str | None
    runs: int
    #: Flat parameter name → its commonest values (JSON scalars), most common first.
    params: Mapping[str, tuple[object, ...]]
    metrics: tuple[str, ...]
    tags: tuple[str, ...] = ()

    def knows(self, name: str) -> bool:
        return name in self.params or name in self.metrics


_cache: dict[tuple[str, str | None], tuple[tuple[object, ...], Vocabulary]] = {}
_lock = threading.Lock()


def read(connection: sa.Connection, experiment: str | None, *, fresh: bool = False) -> Vocabulary:
    """The names of ``experiment``'s runs (kept and trashed), read anew only after a change."""
    where = [] if experiment is None else [R.c.experiment == experiment]
    token = tuple(
        connection.execute(
            sa.select(sa.func.count(), sa.func.max(R.c.updated), sa.func.max(R.c.id)).where(*where)
        ).one()
    )
    key = (str(connection.engine.url), experiment)
    with _lock:
        cached = _cache.get(key)
    if cached is not None and cached[0] == token and not fresh:
        found = cached[1]
    else:
        found = _read(connection, experiment, int(token[0] or 0))
        with _lock:
            if len(_cache) >= _CACHED_MAX:
                _cache.pop(next(iter(_cache)))
            _cache[key] = (token, found)
    return found


def with_tags(connection: sa.Connection, vocabulary: Vocabulary) -> Vocabulary:
    """``vocabulary`` with its tags, read now (a tag edit changes no name)."""
    query = sa.select(TAGS.c.tag).distinct().order_by(TAGS.c.tag).limit(TAGS_MAX)
    if vocabulary.experiment is not None:
        query = query.join(R, R.c.id == TAGS.c.run_id).where(
            R.c.experiment == vocabulary.experiment
        )
    tags = tuple(connection.execute(query).scalars())
    return Vocabulary(
        vocabulary.experiment, vocabulary.runs, vocabulary.params, vocabulary.metrics, tags
    )


def _read(connection: sa.Connection, experiment: str | None, runs: int) -> Vocabulary:
    where = [] if experiment is None else [R.c.experiment == experiment]
    counts: dict[str, Counter[str]] = {}
    values: dict[tuple[str, str], object] = {}
    for (text,) in connection.execute(sa.select(R.c.params_flat).where(*where)):
        for name, value in loads(text, {}).items():
            if name not in counts and len(counts) >= NAMES_MAX:
                continue
            shown = repr(value)
            counts.setdefault(name, Counter())[shown] += 1
            values[(name, shown)] = value
    params = {
        name: tuple(values[(name, v)] for v, _ in counter.most_common(VALUES_MAX))
        for name, counter in sorted(counts.items())
    }
    metric_query = sa.select(LM.c.name).distinct().order_by(LM.c.name).limit(NAMES_MAX)
    if experiment is not None:
        metric_query = metric_query.join(R, R.c.id == LM.c.run_id).where(*where)
    metrics = tuple(connection.execute(metric_query).scalars())
    return Vocabulary(experiment, runs, params, metrics)


def closest(name: str, known: Iterable[str], limit: int = CLOSE_MAX) -> list[str]:
    """The known names a person most likely meant by ``name``: the same last part
    (``learning_rate`` → ``optimizer.learning_rate``), initials (``learning_rate`` → ``lr``),
    a prefix (``val_acc`` → ``val_accuracy``), then spelling (``untis`` → ``units``)."""
    candidates = list(dict.fromkeys(known))
    lowered = name.lower()
    initials = "".join(p[0] for p in _PARTS.split(lowered) if p)

    def rank(other: str) -> int | None:
        low = other.lower()
        last = _PARTS.split(low)
        other_initials = "".join(p[0] for p in last if p)
        if low.rsplit(".", 1)[-1] == lowered or lowered.rsplit(".", 1)[-1] == low:
            return 0
        if len(lowered) > 1 and (low == initials or lowered == other_initials):
            return 1
        if low.startswith(lowered) or lowered.startswith(low):
            return 2
        return None

    ranked = sorted(
        ((r, i, c) for i, c in enumerate(candidates) if (r := rank(c)) is not None),
    )
    found = [c for _, _, c in ranked]
    lowered_map = {c.lower(): c for c in candidates}
    for close in difflib.get_close_matches(lowered, list(lowered_map), limit, 0.6):
        found.append(lowered_map[close])
    return list(dict.fromkeys(found))[:limit]


def check(connection: sa.Connection, q: str | None, experiment: str | None) -> Query:
    """``q`` parsed, or :class:`BadInput` when it names a parameter or metric that no run of
    ``experiment`` has, naming the closest known ones."""
    parsed = parse(q)
    names = list(dict.fromkeys(c.name for c in parsed.comparisons))
    if not names:
        return parsed
    vocabulary = read(connection, experiment)
    unknown = [n for n in names if not vocabulary.knows(n)]
    if unknown:  # perhaps new since the reading was kept
        vocabulary = read(connection, experiment, fresh=True)
        unknown = [n for n in names if not vocabulary.knows(n)]
    if unknown and vocabulary.runs:
        raise BadInput(unknown_message(unknown, vocabulary))
    return parsed


def unknown_message(unknown: list[str], vocabulary: Vocabulary) -> str:
    """One line: which names no run has, and for each the closest known names."""
    known = [*vocabulary.params, *vocabulary.metrics]
    where = f"in {vocabulary.experiment}" if vocabulary.experiment else "in the journal"
    parts = []
    for name in unknown:
        close = closest(name, known)
        parts.append(f"{name} (did you mean {', '.join(close)}?)" if close else name)
    noun = "parameter or metric" if len(unknown) == 1 else "parameters or metrics"
    message = f"no run {where} has the {noun} {'; '.join(parts)}"
    if not any(closest(n, known) for n in unknown):
        shown = ", ".join(known[:8]) + (", …" if len(known) > 8 else "")
        message += f"; known: {shown}" if known else ""
    return message


def explain_empty(connection: sa.Connection, parsed: Query, experiment: str | None) -> None:
    """When a query matched nothing: :class:`BadInput` if one of its bare words is a value of
    a parameter (``tanh`` → ``act=tanh``), since the person meant a filter, not text."""
    if not parsed.words:
        return
    vocabulary = read(connection, experiment)
    hints = []
    for word in parsed.words:
        owners = [n for n, values in vocabulary.params.items() if _has_value(values, word)]
        if owners:
            hints.append(" or ".join(f"{n}={word}" for n in owners[:CLOSE_MAX]))
    if hints:
        raise BadInput(
            f"no run mentions {' '.join(parsed.words)} in its text; "
            f"did you mean {', '.join(hints)}? (quote words to search the text only)"
        )


def _has_value(values: tuple[object, ...], word: str) -> bool:
    lowered = word.lower()
    return any(
        (isinstance(v, str) and v.lower() == lowered) or _plain(v) == lowered for v in values
    )


def _plain(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).lower() if isinstance(value, (int, float)) else ""
