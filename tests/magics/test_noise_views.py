"""Where the comparison rule shows in the notebook: the grid summary and the metric of record
(issue 20, "Where it shows"), through a real IPython shell."""

from __future__ import annotations

from typing import Any

import pytest
from IPython.core.error import UsageError

# A planted truth: units 64 and 128 score the same (their runs differ only in the seed's
# noise, the same for both), units 32 is 12 noise widths lower.
NOISY = """
import numpy as np
noise = np.random.default_rng(seed).normal(0, 0.005)
{"score": (0.90 if units == 32 else 0.96) + noise, "loss": 1 - units / 1000 + noise}
"""


def test_the_grid_summary_names_the_points_within_noise_of_the_best(
    shell: Any, journal: Any, capsys: Any
) -> None:
    shell.run_cell(f"%%experiment units --grid units=[32,64,128] --repeat 5\n{NOISY}")
    out = capsys.readouterr().out
    best = next(line for line in out.splitlines() if line.startswith("best score:"))
    assert "within noise of" in best
    tied = {"units=64", "units=128"}
    assert {best.split(" at ")[1].split(" · ")[0], best.split("within noise of ")[1]} == tied
    assert "units=32" not in best
    assert "ranked by score (higher is better; the cell's result)" in out
    assert "± is the 95 % interval of the mean" in out


def test_metric_of_record_given_on_the_cell_ranks_the_grid_and_is_remembered(
    shell: Any, journal: Any, capsys: Any
) -> None:
    shell.run_cell(
        f"%%experiment units --grid units=[32,64,128] --repeat 3 --metric loss:min\n{NOISY}"
    )
    out = capsys.readouterr().out
    assert "ranked by loss (lower is better; chosen with --metric" in out
    assert next(line for line in out.splitlines() if line.startswith("best loss:"))
    assert " at units=128" in out
    # remembered: the next view of the experiment ranks by it without being told
    grid_id = int(journal.grids()["id"][0])
    shell.run_line_magic("journal", f"grid {grid_id}")
    assert "ranked by loss (lower is better; chosen with --metric" in capsys.readouterr().out
    assert journal.configurations("units").attrs["ranked_by"].startswith("ranked by loss")


def test_a_malformed_metric_stops_the_cell_and_runs_nothing(shell: Any, journal: Any) -> None:
    with pytest.raises(UsageError, match="--metric takes NAME or NAME:max or NAME:min"):
        shell.run_cell("%%experiment m --metric loss:up\nx = 1")
    assert journal.runs().empty
