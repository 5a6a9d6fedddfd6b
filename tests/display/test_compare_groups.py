"""``%journal compare`` of groups of repeats: each column is a group, read as the verdict above
it reads it (the mean ± half its 95 % interval), its seeds listed, never its first run alone."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats

from nbjournal.magics.parse import compare_words
from nbjournal.rules import format as fmt
from nbjournal.store import MetricPoint

WIDE = [0.91, 0.93, 0.92, 0.95, 0.94]
NARROW = [0.88, 0.90, 0.87, 0.89, 0.91]


def _group(journal: Any, units: int, values: list[float]) -> list[int]:
    ids = []
    for seed, value in enumerate(values):
        run_id = journal.store.create_run(
            experiment="cmp",
            fingerprint=f"{units}-{seed}",
            params={"units": units, "model.params": 75 * units + 10, "seed": seed},
        )
        journal.store.add_points(run_id, [MetricPoint("acc", value, step=0)])
        journal.store.finish_run(run_id, status="finished")
        ids.append(run_id)
    return ids


def _mean_pm(values: list[float]) -> str:
    """The planted group's mean ± half its t interval, computed here, not by nbjournal."""
    half = stats.t.ppf(0.975, len(values) - 1) * np.std(values, ddof=1) / np.sqrt(len(values))
    return fmt.spread(float(np.mean(values)), float(half))


def test_a_group_is_one_column_with_its_mean_interval_and_its_seeds(journal: Any) -> None:
    wide, narrow = _group(journal, 96, WIDE), _group(journal, 64, NARROW)
    view = journal.compare(wide, narrow, metric="acc")
    text = view.text()
    assert f"acc: {_mean_pm(WIDE)} (5 runs) vs {_mean_pm(NARROW)} (5 runs)" in text
    table = text.splitlines()[text.splitlines().index("") + 1 :]
    assert table[0].split() == ["#1", "+4", "repeats", "#6", "+4", "repeats"]
    seeds = next(line for line in table if line.strip().startswith("seed"))
    assert seeds.split("seed")[1].split() == ["0,", "1,", "2,", "3,", "4"] * 2
    acc = next(line for line in table if "metric acc" in line)
    assert acc.startswith("≠") and _mean_pm(WIDE) in acc and _mean_pm(NARROW) in acc
    html = view.html()
    assert "#1 +4 repeats cmp" in html and "0, 1, 2, 3, 4" in html
    assert "(mean of" not in text + html
    # the curves' legend names each run by what varies, its mirrors left out
    assert view.parameters.labels()[1] == "#1 units=96 seed=0"
    assert view.parameters.labels()[10] == "#10 units=64 seed=4"


def test_groups_are_written_as_inference_writes_them() -> None:
    assert compare_words(["1+2+3", "4+5+6"])[0] == [[1, 2, 3], [4, 5, 6]]
    assert compare_words(["1,2,3", "#4+#5"])[0] == [[1, 2, 3], [4, 5]]
