"""Whether a warm start helped: the transferred points against the experiment's own later runs.

Meta-learning "can also degrade performance" (auto-sklearn#516): a configuration
that was best on a similar data set may be ordinary here. For an experiment whose
``--suggested`` grid was warm-started (its origin says how many of its points were
transferred from similar data sets), the transferred points' results are compared
with the runs the experiment made after them on its own (the later points of that
grid, TPE's, and every later run), by the comparison rule
(:func:`nbjournal.analysis.comparison.compare_values`): ``better`` means the
transferred points beat the experiment's own beyond noise.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..rules import format as fmt
from ..rules.params import SEED
from ..store import Store
from .comparison import Comparison, compare_values
from .history import Table


@dataclass(frozen=True)
class TransferCheck:
    """The verdict on one warm start: its grid, the runs on each side, the comparison."""

    grid_id: int
    sources: tuple[str, ...]  # the experiments the points came from
    transferred: tuple[int, ...]  # run ids of the transferred points
    own: tuple[int, ...]  # run ids of the experiment's own later runs
    best_transferred: float | None
    best_own: float | None
    comparison: Comparison | None
    line: str

    def evidence(self) -> dict[str, object]:
        """Plain data (JSON-ready) for the REST API."""
        return {
            "grid_id": self.grid_id,
            "sources": list(self.sources),
            "transferred": list(self.transferred),
            "own": list(self.own),
            "best_transferred": self.best_transferred,
            "best_own": self.best_own,
            "comparison": self.comparison.evidence() if self.comparison is not None else None,
            "line": self.line,
        }


def transfer_check(store: Store, table: Table) -> TransferCheck | None:
    """The check of the experiment's first warm-started grid, or ``None`` when it was never
    warm-started (or its metric is unknown)."""
    if table.metric is None:
        return None
    warm = [
        g
        for g in store.list_grids(table.experiment)  # newest first
        if int((g.spec.get("origin") or {}).get("transferred") or 0) > 0
    ]
    if not warm:
        return None
    grid = store.get_grid(warm[-1].id)
    origin = grid.spec.get("origin") or {}
    moved = (grid.spec.get("points") or [])[: int(origin["transferred"])]
    transferred = sorted(p.run_id for p in grid.points if any(_holds(p.values, m) for m in moved))
    values = dict(
        zip(table.frame["id"].astype(int), table.frame["value"].astype(float), strict=True)
    )
    sources = tuple(dict.fromkeys(s.get("experiment", "?") for s in origin.get("sources") or []))
    first = min(transferred) if transferred else math.inf
    own = sorted(i for i in values if i > first and i not in transferred)
    a = [values[i] for i in transferred if i in values]
    b = [values[i] for i in own]
    best = max if table.goal != "min" else min
    check: dict[str, Any] = {"grid_id": grid.id, "sources": sources, "transferred": tuple(transferred),
             "own": tuple(own), "best_transferred": best(a) if a else None,
             "best_own": best(b) if b else None}  # fmt: skip
    if not a or not b:
        return TransferCheck(**check, comparison=None, line=_line(grid.id, sources, a, b, None))
    comparison = compare_values(a, b, table.goal != "min", metric=table.metric)
    return TransferCheck(**check, comparison=comparison,
                         line=_line(grid.id, sources, a, b, comparison, table.goal))  # fmt: skip


def _holds(values: Mapping[str, object], point: dict[str, Any]) -> bool:
    """A grid run of ``point``: each of its settings as the point gives it (the seed of
    ``--repeat`` and ``-p`` values aside)."""
    return all(k in values and repr(values[k]) == repr(v) for k, v in point.items() if k != SEED)


def _line(
    grid_id: int,
    sources: tuple[str, ...],
    a: list[float],
    b: list[float],
    comparison: Comparison | None,
    goal: str = "max",
) -> str:
    """``Warm start (grid #4, from a-tune): the 2 transferred points were better than …``."""
    where = f"grid #{grid_id}" + (f", from {', '.join(sources)}" if sources else "")
    if not a:
        return f"Warm start ({where}): no transferred point has finished with a value yet"
    if not b:
        return (
            f"Warm start ({where}): {len(a)} transferred point{'s' if len(a) != 1 else ''} "
            "finished; no later run of the experiment's own yet to compare them with"
        )
    assert comparison is not None
    verdict = comparison.verdict
    said = {
        "better": "were better than",
        "worse": "were worse than",
        "within noise": "were within noise of",
    }.get(verdict, f"cannot be told from ({verdict})")
    pick = max if goal != "min" else min
    return (
        f"Warm start ({where}): the {len(a)} transferred point{'s' if len(a) != 1 else ''} "
        f"{said} the experiment's own {len(b)} later run{'s' if len(b) != 1 else ''} on "
        f"{comparison.metric}: {comparison.describe()}; best {fmt.number(pick(a))} transferred, "
        f"{fmt.number(pick(b))} own"
    )
