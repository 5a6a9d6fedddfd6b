"""What was concluded: inferences on an experiment's runs, grouped by the values they are about.

A conclusion is about the run's values of the parameters that mattered (all
analysed parameters when nothing could be ranked): two refuted runs with
``dropout 0.5`` and the same other values fall in one group, so a person sees
"dropout 0.5 was refuted twice" before trying it a third time.

An inference on a grid as a whole is about every run of the grid: it is a group of its own,
``grid #1 (C in 0.1, 10; 4 runs)``, with ``grid_id`` set and no ``run_id``. The repeated-
verdicts rule counts runs' verdicts on one value only: a grid's verdict is about all its
values at once (``C in 0.1, 10``), not one of them, so it is not counted there.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..rules import format as fmt
from ..store import GridConclusion
from .history import Table

COLUMNS = ["group", "run_id", "grid_id", "created", "verdict", "text"]


def conclusions(table: Table, about: list[str]) -> pd.DataFrame:
    """One row per inference, newest group first and newest first within a group.

    ``group`` reads ``lr=0.1, units=64``; a column per parameter of ``about``
    holds the run's value, so rows can be filtered by value.
    """
    history = table.history
    if history is None or not (history.inferences or history.grid_inferences):
        return pd.DataFrame(columns=[*COLUMNS, *about])
    # each run's values read once, not one ``.loc`` an inference (2,000 of them: 0.1 s)
    values: dict[int, dict[str, Any]] = (
        table.frame.set_index("id")[about].to_dict("index") if about else {}
    )
    rows: list[dict[str, Any]] = []
    for inference in history.inferences:  # newest first
        own = values.get(inference.run_id, {})
        group = ", ".join(
            f"{name}={fmt.param(own[name])}" for name in about if own.get(name) is not None
        )
        rows.append({
            "group": group or "(other runs)",
            "run_id": inference.run_id,
            "grid_id": None,
            "created": inference.created,
            "verdict": inference.verdict,
            "text": inference.text,
            **{name: own.get(name) for name in about},
        })  # fmt: skip
    for said in history.grid_inferences:
        rows.append({
            "group": grid_label(said),
            "run_id": None,
            "grid_id": said.inference.grid_id,
            "created": said.inference.created,
            "verdict": said.inference.verdict,
            "text": said.inference.text,
            **dict.fromkeys(about),
        })  # fmt: skip
    frame = pd.DataFrame(rows, columns=[*COLUMNS, *about])
    # a run's row has no grid id, a grid's no run id: ids stay integers, a missing one <NA>
    frame = frame.astype({"run_id": "Int64", "grid_id": "Int64"})
    latest = frame.groupby("group")["created"].transform("max")
    frame = (
        frame.assign(_latest=latest)
        .sort_values(["_latest", "created"], ascending=False)
        .drop(columns="_latest")
        .reset_index(drop=True)
    )
    frame["created"] = pd.to_datetime(frame["created"], unit="s", utc=True)
    return frame


def grid_label(said: GridConclusion) -> str:
    """``grid #1 (C in 0.1, 10; 4 runs)``: the grid's axes in the order given, and how many
    of the runs read are its (a grid of listed points: ``3 points``)."""
    spec = said.spec
    axes: dict[str, list[Any]] = spec.get("axes") or {}
    given = [n for n in spec.get("order") or [] if n in axes]
    names = given + sorted(set(axes) - set(given))
    parts = [f"{n} in {', '.join(fmt.param(v) for v in axes[n])}" for n in names]
    if spec.get("points"):
        parts = [f"{len(spec['points'])} points"]
    parts.append(f"{said.runs} run{'s' * (said.runs != 1)}")
    return f"grid #{said.inference.grid_id} ({'; '.join(parts)})"


def repeated_verdicts(frame: pd.DataFrame, about: list[str]) -> list[str]:
    """Plain sentences: one value of one parameter given the same verdict by several runs."""
    sentences = []
    for name in about:
        if name not in frame:
            continue
        judged = frame.dropna(subset=["verdict", "run_id"])
        for (value, verdict), group in judged.groupby([name, "verdict"], sort=False):
            runs = sorted(set(group["run_id"]))
            if len(runs) >= 2:
                times = "twice" if len(runs) == 2 else f"{len(runs)} times"
                sentences.append(
                    f"{name} {fmt.param(value)} was {verdict} {times} ({_first_ids(runs)})"
                )
    return sentences


#: Run ids a sentence names at most; a long history is a count, not a screen of ids.
NAMED_RUNS = 5


def _first_ids(runs: list[int]) -> str:
    """``#3, #7, #9``, or the first :data:`NAMED_RUNS` and how many more."""
    named = ", ".join(f"#{r}" for r in runs[:NAMED_RUNS])
    more = len(runs) - NAMED_RUNS
    return f"{named} and {more} more" if more > 0 else named
