"""``GET curves?runs=1,2,3&metric=val_loss``: one metric's curve of many runs, for the overlay.

One request for the whole chart, bounded: at most :data:`MAX_CURVE_RUNS` runs
and :data:`MAX_CURVE_POINTS` points a run, each curve down-sampled by the run
view's min/max rule (:mod:`.downsample`) so a spike or the best epoch survives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import tornado.web
from jupyter_server.auth.decorator import authorized

from ..store.curve_reads import CURVE_KINDS
from .downsample import MIN_POINTS, downsample
from .handlers import JournalHandler, bad, parse_run_id
from .payloads import number

if TYPE_CHECKING:
    from ..store import Store

#: Runs one overlay draws at most (a chart of more lines is a smear).
MAX_CURVE_RUNS = 50
#: Points a curve keeps at most, and by default.
MAX_CURVE_POINTS = 1000
DEFAULT_CURVE_POINTS = 300


def curves(
    store: Store, run_ids: list[int], metric: str, kind: str | None, max_points: int
) -> dict[str, object]:
    """Each run's series ``metric`` as ``[step, epoch, seconds since start, value]`` points."""
    found = store.curves(run_ids, metric, kind)
    payload = []
    for curve in found.curves:
        keep = downsample(curve.values, max_points)
        start = curve.started
        payload.append({
            "run_id": curve.run_id,
            "total": len(curve.values),
            "points": [[curve.steps[i], curve.epochs[i], _since(curve.times[i], start),
                        number(curve.values[i])] for i in keep],
        })  # fmt: skip
    return {"metric": found.name, "kind": found.kind, "max_points": max_points, "curves": payload}


def _since(at: float | None, start: float | None) -> float | None:
    """Seconds from the run's start (never negative: clocks of two hosts may disagree)."""
    return None if at is None or start is None else number(max(0.0, at - start))


class CurvesHandler(JournalHandler):
    """``?runs=1,2,3&metric=NAME[&kind=epoch|value][&max_points=N]``."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        given = ",".join(self.get_query_arguments("runs"))
        parts = [p.strip() for p in given.split(",") if p.strip()]
        try:
            ids = list(dict.fromkeys(parse_run_id(p) for p in parts))
        except tornado.web.HTTPError:
            raise bad(400, f"runs must be run ids: {given!r}") from None
        if not ids:
            raise bad(400, "curves needs runs=A,B,… (at least one run id)")
        if len(ids) > MAX_CURVE_RUNS:
            raise bad(400, f"curves draws at most {MAX_CURVE_RUNS} runs at once, not {len(ids)}")
        metric = self.text_argument("metric")
        if metric is None:
            raise bad(400, "curves needs metric=NAME")
        kind = self.text_argument("kind")
        if kind is not None and kind not in CURVE_KINDS:
            raise bad(400, f"kind must be one of {', '.join(CURVE_KINDS)}, not {kind!r}")
        max_points = self.int_argument(
            "max_points", DEFAULT_CURVE_POINTS, MIN_POINTS, MAX_CURVE_POINTS
        )
        await self.answer(curves, ids, metric, kind, max_points)
