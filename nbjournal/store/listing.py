"""The columns behind ``Journal().runs()``, kept current by the journal's change numbers.

Reading every run of a journal of 100,000 runs costs the better part of a
second on any database driver that hands rows over one Python tuple at a time,
whatever the layout. So the listing is read once per process and then only
refreshed: every change of a run carries the journal's next change number
(:meth:`StoreBase._changed <nbjournal.store.base.StoreBase._changed>`), and a refresh
reads just the runs whose number is past the one the listing last saw. A run
count and the journal's id, read in the same transaction, catch what change
numbers cannot (runs deleted by hand, a journal file replaced): the listing is
then read afresh. A new process need not read it all either: it starts from the
copy an earlier process left on disk (:mod:`.listing_cache`), checked first.

The listing is held as columns, newest run first, one per field, parameter and
metric, so that a DataFrame is made from them without a pass over every run's
parameters. Each run's parameters and final metrics come from the database as
one JSON column each (``params_flat``, ``final_metrics``), parsed for many runs
in one call, so even a cold read needs no query per metric.
"""

from __future__ import annotations

import gc
import itertools
import json
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import compress
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from .listing_cache import DiskCopy

#: What a column holds for a run without that parameter or metric (compared by identity:
#: a parameter is never NaN, and a metric's own NaN is another object).
MISSING = float("nan")

_FIELDS = ("id", "experiment", "status", "started", "ended", "hypothesis", "tags", "repeat_of")


class ListingDelta(NamedTuple):
    """What one read of the database gave (see :meth:`Store._listing_delta`)."""

    token: int
    count: int  # type: ignore[assignment]  # (a field named as tuple.count)
    complete: bool
    #: (id, experiment, status, started, ended, hypothesis, tags, repeat_of, params_flat,
    #: final_metrics, change_seq): JSON still as text.
    runs: Sequence[tuple[Any, ...]]
    #: (run_id, text, verdict) of the latest inference of each run read.
    inferences: Sequence[tuple[Any, ...]]
    #: The journal's id (``journal_meta``), ``None`` in a journal without one.
    journal: str | None = None
    #: The sum of every run's change number, when asked for (to check a listing loaded from disk).
    seq_sum: int | None = None


@dataclass(frozen=True)
class ListingColumns:
    """Runs as columns, newest first: what :meth:`Journal.runs` turns into a DataFrame.

    ``params`` holds the parameters some listed run has, in the order they
    first appear (run by run, each run's own order); ``metrics`` the final
    metrics, by name. Runs without one hold :data:`MISSING`.
    """

    id: list[int]
    experiment: list[str]
    status: list[str]
    started: list[float]
    ended: list[float | None]
    hypothesis: list[str]
    tags: list[tuple[str, ...]]
    repeat_of: list[int | None]
    params: dict[str, list[Any]]
    metrics: dict[str, list[Any]]
    inference: list[str | None]
    verdict: list[str | None]
    #: For an unfiltered listing: each column's version (it changes when the column
    #: does), and a dict the reader may keep its conversions of the columns in, keyed
    #: by column, so that a listing after one change converts only what changed.
    versions: dict[str, int] | None = field(default=None, compare=False, repr=False)
    memo: dict[Any, Any] | None = field(default=None, compare=False, repr=False)


#: Reads the runs changed after a change number (``None``: every run); with ``True``, the sum
#: of every run's change number too.
Reader = Callable[[int | None, bool], ListingDelta]
#: Runs read since the copy on disk was saved before it is saved again.
SAVE_AFTER = 1_000


class RunListing:
    """Every run of a journal as columns, newest first, refreshed by change numbers.

    With a :class:`~nbjournal.store.listing_cache.DiskCopy`, the first listing of
    a process starts from the copy a process saved before, and is checked
    against the journal before it is used: the same journal id, a change number
    the journal has reached, and, once the runs changed since are read in, the
    same number of runs with the same sum of change numbers (a run deleted by
    hand, a journal restored from a backup). Anything else: a complete read.
    """

    def __init__(self, disk: DiskCopy | None = None) -> None:
        self._lock = threading.Lock()
        self._token: int | None = None
        self._journal: str | None = None
        self._disk = disk
        self._clock = itertools.count(1)
        self._unsaved = 0
        #: Whether the latest listing started from the copy on disk (and found it sound).
        self.from_disk = False
        self._unchecked = False
        self._complete = False  # a complete read not saved yet
        self._reset()

    def _bump(self, key: str) -> None:
        self._versions[key] = next(self._clock)

    def _reset(self) -> None:
        self._fields: dict[str, list[Any]] = {name: [] for name in _FIELDS}
        self._param_rows: list[dict[str, Any]] = []  # each run's own order of parameters
        self._params: dict[str, list[Any]] = {}
        self._metrics: dict[str, list[Any]] = {}
        self._inference: list[str | None] = []
        self._verdict: list[str | None] = []
        #: run id -> its distance from the oldest run's position (stable when runs are prepended)
        self._from_end: dict[int, int] = {}
        #: run id -> its change number (to check a listing loaded from disk)
        self._seq: dict[int, int] = {}
        #: column key ("id", "param.units", "metric.loss", "inference"...) -> its version
        self._versions: dict[str, int] = {}
        self._memo: dict[Any, Any] = {}

    def columns(
        self,
        read: Reader,
        experiment: str | None = None,
        status: str | None = None,
        tag: str | None = None,
    ) -> ListingColumns:
        """The runs that match, as new lists (the caller may keep or change them)."""
        with self._lock:
            if self._token is None and self._load():
                self._unchecked = True  # until a read of the journal agrees with it
            delta = read(self._token, self._unchecked)
            if self._apply(delta) and self._agrees(delta):
                self.from_disk = self._unchecked and not delta.complete
            else:  # runs vanished, came in an order to re-sort, or another journal is there
                self._apply(read(None, False))
                self.from_disk = False
            self._unchecked = False
            self._save_if_due()
            return self._select(experiment, status, tag)

    def _agrees(self, delta: ListingDelta) -> bool:
        """Whether the columns, with ``delta`` folded in, hold exactly the journal's runs."""
        if len(self._from_end) != delta.count or self._journal != delta.journal:
            return False
        return delta.seq_sum is None or sum(self._seq.values()) == delta.seq_sum

    # -- the copy on disk -------------------------------------------------------

    def _load(self) -> bool:
        """Start from the copy on disk; ``False`` when there is none to start from."""
        state = self._disk.load() if self._disk is not None else None
        if state is None or not _well_typed(state):
            return False
        try:
            self._fields = {name: state["fields"][name] for name in _FIELDS}
            self._param_rows = state["param_rows"]
            self._params, self._metrics = state["params"], state["metrics"]
            for columns, missing in ((self._params, state["params_missing"]),
                                     (self._metrics, state["metrics_missing"])):  # fmt: skip
                for name, positions in missing.items():
                    column = columns[name]
                    for position in positions:
                        column[position] = MISSING
            self._inference, self._verdict = state["inference"], state["verdict"]
            ids = self._fields["id"]
            self._from_end = dict(zip(ids, range(len(ids) - 1, -1, -1), strict=True))
            self._seq = dict(zip(ids, state["seq"], strict=True))
            self._journal, self._token = state["journal"], int(state["token"])
            sizes = {len(c) for c in (*self._fields.values(), *self._params.values(),
                                      *self._metrics.values(), self._param_rows,
                                      self._inference, self._verdict)}  # fmt: skip
            if len(sizes) > 1 or self._journal is None:
                raise ValueError(f"columns of unequal length {sizes}")
        except Exception:  # a copy of some other shape: as if there were none
            self._reset()
            self._token, self._journal = None, None
            return False
        for key in (*_FIELDS, *_prefixed(self._params, self._metrics), "inference", "verdict"):
            self._bump(key)
        return True

    def _save_if_due(self) -> None:
        """Save after a complete read, or once enough runs were read in since the last save."""
        if self._disk is None or self._journal is None:
            return
        if not self._complete and self._unsaved < SAVE_AFTER:
            return
        self._disk.save(
            {
                "journal": self._journal,
                "token": self._token,
                "fields": self._fields,
                "param_rows": self._param_rows,
                "params": self._params,
                "metrics": self._metrics,
                "params_missing": _missing(self._params),
                "metrics_missing": _missing(self._metrics),
                "inference": self._inference,
                "verdict": self._verdict,
                "seq": [self._seq[run_id] for run_id in self._fields["id"]],
            }
        )
        self._unsaved, self._complete = 0, False

    # -- keeping current --------------------------------------------------------

    def _apply(self, delta: ListingDelta) -> bool:
        """Fold a read in; ``False`` when only a complete read can (see :meth:`columns`)."""
        rows = _parse(delta)
        if delta.complete:
            self._reset()
            self._prepend(sorted(rows, key=_by_id, reverse=True))
            self._journal, self._complete = delta.journal, True
        else:
            self._unsaved += len(rows)
            new = sorted((r for r in rows if r[0] not in self._from_end), key=_by_id, reverse=True)
            newest = self._fields["id"][0] if self._fields["id"] else 0
            if new and new[-1][0] < newest:
                return False  # a run committed after a newer one (PostgreSQL): read afresh
            for row in rows:
                if row[0] in self._from_end:
                    self._replace(len(self._from_end) - 1 - self._from_end[row[0]], row)
            self._prepend(new)
        self._token = delta.token
        return True

    def _prepend(self, rows: list[tuple[Any, ...]]) -> None:
        """Put runs newer than every listed one in front (``rows`` newest first)."""
        if not rows:
            return
        size = len(self._from_end)
        for index, name in enumerate(_FIELDS):
            self._fields[name][:0] = [row[index] for row in rows]
        params = [row[8] for row in rows]
        self._param_rows[:0] = params
        for name in {name: None for p in params for name in p}:
            self._params.setdefault(name, [MISSING] * size)
        for name, values in self._params.items():
            values[:0] = [p.get(name, MISSING) for p in params]
        finals = [row[9] for row in rows]
        for name in {name: None for f in finals for name in f}:
            self._metrics.setdefault(name, [MISSING] * size)
        for name, values in self._metrics.items():
            values[:0] = [f.get(name, MISSING) for f in finals]
        self._inference[:0] = [row[10] for row in rows]
        self._verdict[:0] = [row[11] for row in rows]
        for key in (*_FIELDS, *_prefixed(self._params, self._metrics), "inference", "verdict"):
            self._bump(key)
        for offset, row in enumerate(reversed(rows)):
            self._from_end[row[0]] = size + offset
        self._seq.update((row[0], row[12]) for row in rows)

    def _replace(self, position: int, row: tuple[Any, ...]) -> None:
        """Put a run's new values in place; only the columns whose value differs change."""
        for index, name in enumerate(_FIELDS):
            self._set(name, self._fields[name], position, row[index])
        size = len(self._from_end)
        old_params = self._param_rows[position]
        for name in set(row[8]) | set(old_params):
            column = self._params.setdefault(name, [MISSING] * size)
            self._set(f"param.{name}", column, position, row[8].get(name, MISSING))
        for name in set(row[9]) | set(self._metrics):
            column = self._metrics.setdefault(name, [MISSING] * size)
            self._set(f"metric.{name}", column, position, row[9].get(name, MISSING))
        self._param_rows[position] = row[8]
        self._seq[row[0]] = row[12]
        self._set("inference", self._inference, position, row[10])
        self._set("verdict", self._verdict, position, row[11])

    def _set(self, key: str, column: list[Any], position: int, value: Any) -> None:
        old = column[position]
        if old is value or (type(old) is type(value) and old == value):
            return
        column[position] = value
        self._bump(key)

    # -- reading ------------------------------------------------------------------

    def _select(
        self, experiment: str | None, status: str | None, tag: str | None
    ) -> ListingColumns:
        fields = self._fields
        tests: list[list[bool]] = []
        for name, wanted in (("experiment", experiment), ("status", status)):
            if wanted:
                tests.append([value == wanted for value in fields[name]])
        if tag:
            tests.append([tag in tags for tags in fields["tags"]])
        mask = [all(passed) for passed in zip(*tests, strict=True)] if tests else None

        def take(values: list[Any]) -> list[Any]:
            return list(values) if mask is None else list(compress(values, mask))

        param_rows = take(self._param_rows)
        params: dict[str, tuple[int, int, list[Any]]] = {}
        for name, column in self._params.items():
            values = take(column)
            first = next((i for i, v in enumerate(values) if v is not MISSING), None)
            if first is not None:
                order = list(param_rows[first]).index(name)
                params[name] = (first, order, values)
        metrics = {}
        for name in sorted(self._metrics):
            values = take(self._metrics[name])
            if any(v is not MISSING for v in values):
                metrics[name] = values
        columns: dict[str, Any] = {name: take(fields[name]) for name in _FIELDS}
        return ListingColumns(
            **columns,
            params={name: params[name][2] for name in sorted(params, key=lambda n: params[n][:2])},
            metrics=metrics,
            inference=take(self._inference),
            verdict=take(self._verdict),
            versions=None if mask is not None else dict(self._versions),
            memo=None if mask is not None else self._memo,
        )


#: What each column of a copy on disk may hold (a copy with anything else is ignored).
_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "id": (int,), "experiment": (str,), "status": (str,), "started": (int, float),
    "ended": (int, float, type(None)), "hypothesis": (str,), "tags": (tuple, list),
    "repeat_of": (int, type(None)),
}  # fmt: skip
_TEXT_OR_NONE = (str, type(None))


def _well_typed(state: Any) -> bool:
    """Whether a copy loaded from disk has the listing's shape and types throughout, so that
    nothing downstream (``Journal().runs()``) can fail on it: else it is ignored."""
    try:
        fields, seq = state["fields"], state["seq"]
        if not isinstance(fields, dict) or not _all(seq, (int,)):
            return False
        if not all(_all(fields.get(name), kinds) for name, kinds in _FIELD_TYPES.items()):
            return False
        if not set(map(type, itertools.chain.from_iterable(fields["tags"]))) <= {str}:
            return False
        if not (_all(state["inference"], _TEXT_OR_NONE) and _all(state["verdict"], _TEXT_OR_NONE)):
            return False
        if not (_all(state["param_rows"], (dict,)) and isinstance(state["journal"], str)):
            return False
        int(state["token"])
        for group in ("params", "metrics", "params_missing", "metrics_missing"):
            columns = state[group]
            if not isinstance(columns, dict) or not all(
                isinstance(k, str) and isinstance(v, list) for k, v in columns.items()
            ):
                return False
        return all(_all(v, (int,)) for k in ("params_missing", "metrics_missing")
                   for v in state[k].values())  # fmt: skip
    except (KeyError, TypeError, ValueError):
        return False


def _all(values: object, kinds: tuple[type, ...]) -> bool:
    """Whether ``values`` is a list of exactly these types (``bool`` is not an ``int`` here);
    ``map(type, …)`` keeps 100,000 runs at a few ms."""
    return isinstance(values, list) and set(map(type, values)) <= set(kinds)


def _missing(columns: dict[str, list[Any]]) -> dict[str, list[int]]:
    """Where each column holds :data:`MISSING` (pickling keeps NaN, not which NaN object)."""
    return {
        name: [i for i, value in enumerate(values) if value is MISSING]
        for name, values in columns.items()
        if MISSING in values
    }


def _prefixed(params: Mapping[str, object], metrics: Mapping[str, object]) -> list[str]:
    return [f"param.{name}" for name in params] + [f"metric.{name}" for name in metrics]


def _by_id(row: tuple[Any, ...]) -> int:
    return int(row[0])


def _parse(delta: ListingDelta) -> list[tuple[Any, ...]]:
    """Database rows as listing rows: JSON parsed, the latest inference joined."""
    runs = delta.runs
    if not runs:
        return []
    tags = _json_many([r[6] for r in runs], "[]")
    params = _json_many([r[8] for r in runs], "{}")
    finals = _json_many([r[9] for r in runs], "{}")
    latest = {run_id: (text, verdict) for run_id, text, verdict in delta.inferences}
    none = (None, None)
    return [
        (*r[:6], tuple(t), r[7], p, f, *latest.get(r[0], none), r[10])
        for r, t, p, f in zip(runs, tags, params, finals, strict=True)
    ]


def _json_many(texts: list[str | None], empty: str) -> list[Any]:
    """Parse many small JSON documents in one call: 3-4x faster than one ``loads`` each."""
    return json.loads("[" + ",".join(text or empty for text in texts) + "]")  # type: ignore[no-any-return]


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while hundreds of thousands of values are built.

    Every 700 new containers wake the collector, which then walks all of them
    again, and the listing's own columns too: most of the time of listing
    100,000 runs. Rows hold no cycles, so nothing is lost by collecting later.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
