"""``nbjournal grids [EXPERIMENT]`` and ``nbjournal grid ID``: grids and their points."""

from __future__ import annotations

import argparse
import json
from typing import Any

from .journal import open_journal
from .output import Table, emit, iso
from .registry import Commands


def register(commands: Commands) -> None:
    listing = commands.add("grids", list_grids, "grids, newest first, with counts and best point")
    listing.add_argument("experiment", nargs="?", metavar="EXPERIMENT", help="only this one's")
    one = commands.add("grid", show_grid, "one grid: its points, mean ± std of each metric")
    one.add_argument("grid", metavar="ID", help="the grid's id")


def list_grids(arguments: argparse.Namespace) -> int:
    from ..server import endpoints

    store = open_journal(arguments)
    payload = endpoints.grids(store, arguments.experiment)
    table = Table(
        ["id", "experiment", "points", "done", "failed", "running", "key metric", "best",
         "best point", "created", "hypothesis"],
        [_grid_row(g) for g in payload["grids"]],
    )  # fmt: skip
    return emit(arguments.format, table, payload)


def show_grid(arguments: argparse.Namespace) -> int:
    from ..errors import BadInput
    from ..server import endpoints

    try:
        grid_id = int(arguments.grid.lstrip("#"))
    except ValueError:
        raise BadInput(f"{arguments.grid!r} is not a grid id (a number)") from None
    store = open_journal(arguments)
    payload = endpoints.grid_detail(store, grid_id)
    axes = list(
        payload["spec"].get("order") or sorted(payload["table"][0]["values"])
        if payload["table"]
        else []
    )
    metrics = sorted({name for row in payload["table"] for name in row["mean"]})
    key = payload["key_metric"]
    if key in metrics:
        metrics = [key] + [m for m in metrics if m != key]
    rows = []
    for row in payload["table"]:
        means = [row["mean"].get(m) for m in metrics]
        stds = [row["std"].get(m) for m in metrics]
        rows.append(
            [*(row["values"].get(a) for a in axes), *_mean_std(means, stds),
             " ".join(f"#{r}" for r in row["runs"]), ", ".join(row["statuses"])]
        )  # fmt: skip
    table = Table(
        [*axes, *(f"{m} mean" for m in metrics), *(f"{m} std" for m in metrics), "runs", "status"],
        rows,
        title=f"grid #{payload['id']} · {payload['experiment']} · {payload['done']}/"
        f"{payload['points']} points done",
    )
    return emit(arguments.format, table, payload)


def _mean_std(means: list[float | None], stds: list[float | None]) -> list[float | None]:
    return [*means, *stds]


def _grid_row(grid: dict[str, Any]) -> list[object]:
    best = grid.get("best") or {}
    values = best.get("values")
    return [
        grid["id"], grid["experiment"], grid["points"], grid["done"], grid["failed"],
        grid["running"], grid["key_metric"], best.get("mean"),
        json.dumps(values, separators=(",", ":")) if values else None,
        iso(grid["created"]), grid["hypothesis"],
    ]  # fmt: skip
