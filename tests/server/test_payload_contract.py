"""The REST payloads the lab extension reads, recorded from a real journal and compared with the
JSON fixtures its jest tests use (``labextension/src/__tests__/payloads/``, typed against
``src/api/*Payloads.ts``): when the server's payload changes, this test fails with the diff, and
``NBJOURNAL_UPDATE_PAYLOADS=1`` rewrites the fixtures (then ``jlpm test`` says whether the
TypeScript types still hold).

The journal is made as a person makes one: cells through a real IPython shell (an upstream cell,
a run with its procedure and an inference, a failed run, a grid with repeats), then every
endpoint of ``src/api/client.ts`` is called over HTTP. What varies between two recordings (times,
durations, the environment, the journal's paths) is replaced by stable values.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest

PAYLOADS = Path(__file__).parents[2] / "labextension" / "src" / "__tests__" / "payloads"
UPDATE = os.environ.get("NBJOURNAL_UPDATE_PAYLOADS") == "1"

#: Times in seconds since the epoch, each replaced by one stable time.
TIMES = {
    "started", "ended", "updated", "created", "time", "last_activity", "deleted_at", "at", "edited",
    "replaced",
}  # fmt: skip
#: Lengths of time, replaced by one stable length.
DURATIONS = {"duration", "elapsed"}
NOW = 1_700_000_000.0

UPSTREAM = "import numpy as np\nX = np.arange(40.0).reshape(20, 2)\ny = (X[:, 0] > 20).astype(int)"
RUN = """%%experiment digits-mlp --tag baseline -p units=64 -p lr=0.001 --no-live
# Hypothesis: one hidden layer of 64 units reaches 0.9 on the toy data.
import nbjournal
for epoch in range(5):
    nbjournal.log_metric("loss", round(1.0 / (epoch + 1), 4), step=epoch)
    nbjournal.log_metric("val_accuracy", round(0.8 + 0.02 * epoch + units / 10000, 4), step=epoch)
score = float(X.shape[0])
"""
FAILED = """%%experiment digits-mlp -p units=8 --no-live
# Hypothesis: eight units are too few.
raise ValueError("eight units cannot fit this")
"""
GRID = """%%experiment digits-mlp --grid units=[16,32,64] --repeat 3 -p lr=0.01 --no-live
# Hypothesis: wider layers score higher.
import nbjournal
for epoch in range(3):
    nbjournal.log_metric("val_accuracy", round(0.7 + units / 400 + 0.01 * epoch + 0.003 * seed, 4), step=epoch)
    nbjournal.log_metric("loss", round(0.9 - units / 200 - 0.1 * epoch, 4), step=epoch)
"""


def _stable(value: Any, key: str = "") -> Any:
    """``value`` with what varies between two recordings replaced by stable values."""
    if isinstance(value, dict):
        if key == "env":
            return {"python": "3.11", "nbjournal": "0.1.0"}
        return {k: _stable(v, k) for k, v in value.items()}
    if isinstance(value, list):
        if key == "time":  # a metric series' times
            return [NOW for _ in value]
        if key == "curves":  # an overlay's points: [step, epoch, seconds since start, value]
            return [{**c, "points": [[s, e, None if t is None else 1.5, v]
                                     for s, e, t, v in c["points"]]} for c in value]  # fmt: skip
        return [_stable(v, key) for v in value]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if key in TIMES:
            return NOW
        if key in DURATIONS:
            return 1.5
        if isinstance(value, float):  # the last bits differ with NumPy's and SciPy's builds
            return float(f"{value:.12g}")
    if isinstance(value, str) and key == "notebook":
        return "example_notebooks/01_quickstart.ipynb"
    return value


def _stable_csv(text: str) -> str:
    """The CSV export with its time columns (``started``, ``duration_s``) made stable."""
    rows = list(csv.reader(io.StringIO(text)))
    stable = {"started": "2023-11-14T22:13:20Z", "duration_s": "1.5"}
    for row in rows[1:]:
        for index, name in enumerate(rows[0]):
            if name in stable and row[index]:
                row[index] = stable[name]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


async def _answer(request: Any) -> Any:
    """The JSON of an answer that must be 200."""
    response = await request
    assert response.code == 200, response.body
    return json.loads(response.body)


def _check(name: str, payload: Any) -> None:
    """Compare ``payload`` with the fixture ``name``; rewrite it under NBJOURNAL_UPDATE_PAYLOADS=1."""
    text = json.dumps(_stable(payload), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    path = PAYLOADS / f"{name}.json"
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    # compared as JSON, shown as the canonical text of both
    recorded = (
        json.dumps(json.loads(path.read_text(encoding="utf-8")), indent=2, ensure_ascii=False)
        + "\n"
    )
    if recorded != text:
        diff = "".join(
            difflib.unified_diff(
                recorded.splitlines(keepends=True),
                text.splitlines(keepends=True),
                f"{path.name} (the jest fixture)",
                f"{path.name} (what the server answers now)",
            )
        )
        pytest.fail(
            f"GET/POST payload {name!r} changed; if intended, rerun with "
            f"NBJOURNAL_UPDATE_PAYLOADS=1, update src/api/*Payloads.ts and docs/rest-api.md, "
            f"and run jlpm test:\n{diff}",
            pytrace=False,
        )


@pytest.fixture
def recorded(shell: Any) -> dict[str, int]:
    """The journal a person makes: an upstream cell, a run with an inference, a failed run, and a
    3-point grid with 3 repeats each."""
    shell.user_ns["__session__"] = "example_notebooks/01_quickstart.ipynb"  # as Jupyter names it
    shell.run_cell(UPSTREAM, store_history=True, cell_id="upstream")
    shell.run_cell(RUN, store_history=True, cell_id="run")
    shell.run_line_magic("inference", "--verdict supported  64 units reach 0.88; width is enough.")
    from nbjournal.runs import current

    run_id = current.last_run_id()
    with pytest.raises(ValueError, match="eight units"):
        shell.run_cell(FAILED, store_history=True, cell_id="failed")
    shell.run_cell(GRID, store_history=True, cell_id="grid")
    return {"run": run_id, "failed": run_id + 1, "grid_run": run_id + 2}


async def test_the_payloads_the_lab_extension_reads_are_the_recorded_ones(
    recorded: dict[str, int], api: Any, get_json: Any
) -> None:
    # Given a journal made through a real shell (the fixture); When the sidebar reads it
    first = await get_json("changes")
    _check("changes", first)
    _check("experiments", await get_json("experiments"))
    _check("runs", await get_json("runs", limit=5))
    _check("runs_query", await get_json("runs", q="units>=32", status="finished", limit=3))
    _check("run", await get_json("runs", recorded["run"]))
    _check("run_failed", await get_json("runs", recorded["failed"]))
    _check("run_grid_point", await get_json("runs", recorded["grid_run"]))
    _check("metrics", await get_json("runs", recorded["run"], "metrics", max_points=500))
    _check("insights", await get_json("experiments", "digits-mlp", "insights"))
    grids = await get_json("grids", experiment="digits-mlp")
    _check("grids", grids)
    grid_id = grids["grids"][0]["id"]
    _check("grid", await get_json("grids", grid_id))
    table = await get_json(
        "experiments", "digits-mlp", "table", sort="metric.val_accuracy", order="desc", limit=4
    )
    _check("table", table)
    _check("configurations", await get_json("experiments", "digits-mlp", "configurations"))
    _check("vocabulary", await get_json("experiments", "digits-mlp", "vocabulary"))
    _check("query_check", await get_json("query", q="unit>=32", experiment="digits-mlp"))
    _check("groups", await get_json("experiments", "digits-mlp", "groups", by="units", q="lr>0"))
    grid_runs = [str(i) for i in range(recorded["grid_run"], recorded["grid_run"] + 9)]
    _check("compare", await get_json("compare", runs=",".join(grid_runs), group="repeats"))
    overlay = ",".join([str(recorded["run"]), *grid_runs[:3]])
    _check("curves", await get_json("curves", runs=overlay, metric="val_accuracy"))

    # And writes to it
    body = json.dumps({"text": "seed noise is **small**", "verdict": "inconclusive"})
    posted = await api("runs", recorded["grid_run"], "inferences", method="POST", body=body)
    assert posted.code == 201, posted.body
    _check("inference", json.loads(posted.body))
    point, inference = recorded["grid_run"], json.loads(posted.body)["id"]
    edit = json.dumps({"text": "seed noise is *small*", "verdict": "supported"})
    _check(
        "inference_edited",
        await _answer(api("runs", point, "inferences", inference, method="PATCH", body=edit)),
    )
    _check(
        "inference_deleted",
        await _answer(api("runs", point, "inferences", inference, method="DELETE")),
    )
    _check("run_with_history", await get_json("runs", point))
    posted = await api("grids", grid_id, "inferences", method="POST", body=body)
    assert posted.code == 201, posted.body
    _check("grid_inference", json.loads(posted.body))
    # an inference on the grid as a whole is what was concluded about its runs
    _check("insights_after_grid_inference", await get_json("experiments", "digits-mlp", "insights"))
    tags = json.dumps({"add": ["wide", "baseline"], "remove": []})
    _check("tags", await _answer(api("runs", recorded["run"], "tags", method="PATCH", body=tags)))
    runs = json.dumps({"runs": [recorded["failed"]]})
    _check("trash", await _answer(api("trash", method="POST", body=runs)))
    _check("restore", await _answer(api("trash", "restore", method="POST", body=runs)))
    _check("changes_since", await get_json("changes", since=first["token"]))

    # Then the CSV export is the recorded text too
    export = await api("experiments", "digits-mlp", "table.csv", params={"sort": "id"})
    assert export.code == 200
    _check("table_csv", {"csv": _stable_csv(export.body.decode("utf-8"))})
