"""Grids as pandas DataFrames, for :class:`nbjournal.Journal`."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..store import Grid, GridSummary

GRID_COLUMNS = [
    "id",
    "experiment",
    "created",
    "points",
    "runs",
    "done",
    "failed",
    "spec",
    "hypothesis",
    "best",
]


def grids_frame(grids: list[GridSummary], best: dict[int, str] | None = None) -> pd.DataFrame:
    """One row per grid, newest first: id, experiment, created, points, runs, done, failed,
    spec, hypothesis, and ``best``: its best point and those within noise of it."""
    frame = pd.DataFrame(
        [
            {
                "id": g.id,
                "experiment": g.experiment,
                "created": g.created,
                "points": g.total,
                "runs": g.runs,
                "done": g.done,
                "failed": g.failed,
                "spec": g.spec,
                "hypothesis": g.hypothesis,
                "best": (best or {}).get(g.id),
            }
            for g in grids
        ],
        columns=GRID_COLUMNS,
    )
    frame["created"] = pd.to_datetime(frame["created"], unit="s", utc=True)
    return frame


def grid_frame(grid: Grid) -> pd.DataFrame:
    """The grid's runs in its order: point, param columns, status, final metrics, run_id."""
    rows: list[dict[str, Any]] = []
    for point in grid.points:
        row: dict[str, Any] = {"point": point.point}
        row.update({f"param.{k}": v for k, v in point.values.items()})
        row["status"] = point.status
        row.update({f"metric.{n}": m.last for n, m in sorted(point.metrics.items())})
        row["run_id"] = point.run_id
        row["error"] = point.error
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return pd.DataFrame(columns=["point", "status", "run_id", "error"])
    ordered = ["point", *[c for c in frame.columns if c.startswith("param.")], "status"]
    ordered += [c for c in frame.columns if c.startswith("metric.")] + ["run_id", "error"]
    return frame[ordered]
