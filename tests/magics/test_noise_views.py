"""Where the comparison rule shows in the notebook: the grid summary and the metric of record
(issue 20, "Where it shows"), through a real IPython shell."""

from __future__ import annotations

import re
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
    assert journal.grids()["best"][0] == best  # Journal().grids() says what the summary says
    assert "ranked by score (higher is better; the cell's result)" in out
    assert "± is the 95 % interval of the mean" in out


def test_a_grid_of_seeds_alone_gives_its_spread_and_crowns_no_best(
    shell: Any, journal: Any, capsys: Any
) -> None:
    shell.run_cell(f"%%experiment seeds -p units=64 --grid seed=[0,1,2]\n{NOISY}")
    out = capsys.readouterr().out
    assert "best score" not in out  # one point: nothing to be best among
    line = next(line for line in out.splitlines() if line.startswith("score: "))
    assert line.endswith(" over 3 runs of one point")
    assert " ± " in line


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


# -- the closest-run line: the earlier configuration's noise, and the new run against it ---

SHIFTED = """
import numpy as np
rng = np.random.default_rng(globals().get("seed", 99))
{"score": 0.90 + shift + rng.normal(0, 0.01)}
"""


def test_the_closest_run_line_gives_the_noise_of_its_repeats_and_the_verdict_after(
    shell: Any, journal: Any, capsys: Any
) -> None:
    from IPython.utils.capture import capture_output

    from nbjournal import compare_values
    from nbjournal.rules.format import number

    shell.run_cell(f"%%experiment shifted --grid shift=[0.0] --repeat 5\n{SHIFTED}")
    capsys.readouterr()
    with capture_output() as captured:
        shell.run_cell(f"%%experiment shifted -p shift=0.002\n{SHIFTED}")
    texts = [o.data.get("text/plain", "") for o in captured.outputs]
    line = next(t for t in texts if t.startswith("closest earlier run"))
    runs = journal.runs()
    earlier = runs[runs["id"] != runs["id"].max()]
    values = sorted(float(v) for v in earlier["metric.score"])
    assert "differs only in shift 0 → 0.002" in line
    assert " over 5 repeats)" in line  # the earlier configuration's mean ± half its interval
    new = float(runs.loc[runs["id"] == runs["id"].max(), "metric.score"].iloc[0])
    verdict = compare_values([new], values).verdict
    after = next(x for x in captured.stdout.splitlines() if x.startswith("score "))
    mean = sum(values) / len(values)
    assert f" vs {number(mean)} in #" in after and "'s configuration: " in after
    assert f": {verdict} (±" in after and after.endswith("over 5 repeats)")
    recorded = journal.run(int(runs["id"].max())).nearest
    assert recorded["repeats"]["n"] == 5 and "values" not in recorded["repeats"]


def test_a_closest_run_without_repeats_says_there_is_no_noise_to_measure(
    shell: Any, journal: Any
) -> None:
    from IPython.utils.capture import capture_output

    shell.run_cell(f"%%experiment single -p shift=0.0\n{SHIFTED}")
    with capture_output() as captured:
        shell.run_cell(f"%%experiment single -p shift=0.5\n{SHIFTED}")
    after = next(x for x in captured.stdout.splitlines() if x.startswith("score "))
    assert after.endswith(": no repeats of #1 to measure the noise")


def test_a_closest_run_whose_repeats_agree_says_no_spread_not_plus_or_minus_zero(
    shell: Any, journal: Any
) -> None:
    from IPython.utils.capture import capture_output

    # Given a configuration repeated 3 times that ignores its seed (every run the same)
    shell.run_cell('%%experiment flat --grid shift=[0.0] --repeat 3\n{"score": 0.9 + shift}')
    # When a run next to it ends
    with capture_output() as captured:
        shell.run_cell('%%experiment flat -p shift=0.5\n{"score": 0.9 + shift}')
    # Then the line after it says the repeats had no spread, never a certain ±0
    said = "\n".join([captured.stdout, *(o.data.get("text/plain", "") for o in captured.outputs)])
    assert not re.search(r"±\s?0(?![.\d])", said), said
    after = next(x for x in captured.stdout.splitlines() if x.startswith("score "))
    assert after.endswith("(no spread over 3 repeats)"), after


UNSEEDED = """
import numpy as np
score = 0.9 + np.random.default_rng().normal(0, 0.01)
{"score": score}
"""


@pytest.mark.parametrize("option", ["", " --no-restore"], ids=["restored", "duplicate"])
def test_the_duplicate_and_restore_notices_give_the_noise_of_identical_runs(
    shell: Any, journal: Any, option: str
) -> None:
    from IPython.utils.capture import capture_output

    from nbjournal.analysis.configurations import spread
    from nbjournal.rules import format as fmt

    for force in ("", " --force", " --force"):
        shell.run_cell(f"%%experiment twins{force}\n{UNSEEDED}")
    with capture_output() as captured:
        shell.run_cell(f"%%experiment twins{option}\n{UNSEEDED}")
    assert len(journal.runs()) == 3  # nothing ran
    found = spread(journal.runs()["metric.score"].to_numpy(dtype=float))
    expected = (
        f"score {fmt.spread(found.mean, found.half_width)} over 3 identical runs "
        "(95 % interval of the mean)"
    )
    texts = [o.data.get("text/plain", "") for o in captured.outputs]
    assert any(expected in t for t in texts), texts
    htmls = [o.data.get("text/html", "") for o in captured.outputs]
    assert any(expected in h for h in htmls)


# -- %inference: the evidence it rests on, and a verdict the evidence does not decide --------


# each configuration its own noise (the same seed does not cancel it, as it does in SHIFTED)
INDEPENDENT = """
import numpy as np
rng = np.random.default_rng((globals().get("seed", 99), round(shift * 1000)))
{"score": 0.90 + shift + rng.normal(0, 0.01)}
"""


def _sides(journal: Any) -> tuple[list[int], list[int]]:
    runs = journal.runs("shifted").sort_values("id")
    low = runs[runs["param.shift"] == runs["param.shift"].min()]["id"].tolist()
    high = runs[runs["param.shift"] == runs["param.shift"].max()]["id"].tolist()
    return [int(i) for i in high], [int(i) for i in low]


@pytest.mark.parametrize(
    ("shift", "warned"), [(0.001, True), (0.2, False)], ids=["noise", "planted-effect"]
)
def test_inference_keeps_its_evidence_and_warns_when_it_does_not_decide(
    shell: Any, journal: Any, capsys: Any, shift: float, warned: bool
) -> None:
    shell.run_cell(f"%%experiment shifted --grid shift=[0.0,{shift}] --repeat 3\n{INDEPENDENT}")
    high, low = _sides(journal)
    capsys.readouterr()
    runs = "+".join(map(str, high)) + "," + "+".join(map(str, low))
    shell.run_line_magic("inference", f"--run {high[0]} --runs {runs} --verdict supported it helps")
    out = capsys.readouterr().out
    expected = journal.compare(high, low).comparison.result
    assert expected.verdict == ("better" if not warned else expected.verdict)
    sides = " vs ".join("+".join(f"#{i}" for i in s) for s in (high, low))
    assert f"evidence: {sides}: {expected}" in out
    assert ("⚠ supported on a difference the runs do not decide" in out) is warned
    stored = journal.run(high[0]).inferences[-1]
    assert stored.verdict == "supported"  # recorded either way: the person decides
    assert stored.evidence["runs"] == [high, low]
    assert stored.evidence["verdict"] == expected.verdict and stored.evidence["n_a"] == 3
    shell.run_line_magic("journal", f"show {high[0]}")
    assert f"evidence: {sides}: {expected}" in capsys.readouterr().out


def test_inference_by_default_rests_on_the_closest_earlier_run(
    shell: Any, journal: Any, capsys: Any
) -> None:
    shell.run_cell(f"%%experiment single -p shift=0.0\n{SHIFTED}")
    shell.run_cell(f"%%experiment single -p shift=0.5\n{SHIFTED}")
    capsys.readouterr()
    shell.run_line_magic("inference", "--verdict supported a bigger shift scores higher")
    out = capsys.readouterr().out
    assert "Inference recorded on run #2 (supported)." in out
    assert "evidence: #2 vs #1: score " in out and "no repeats" in out
    assert "⚠ supported on a difference the runs do not decide" in out
    assert journal.run(2).inferences[-1].evidence["runs"] == [[2], [1]]


@pytest.mark.parametrize("runs", ["41", "1,", "a,b", "1,x"])
def test_bad_runs_for_an_inference_are_one_line_and_record_nothing(
    shell: Any, journal: Any, runs: str
) -> None:
    shell.run_cell(f"%%experiment single -p shift=0.0\n{SHIFTED}")
    with pytest.raises(UsageError, match=r"--runs takes runs to compare|not a run id"):
        shell.run_line_magic("inference", f"--runs {runs} --verdict supported x")
    assert not journal.run(1).inferences


def test_an_inference_on_unknown_runs_records_nothing(shell: Any, journal: Any) -> None:
    shell.run_cell(f"%%experiment single -p shift=0.0\n{SHIFTED}")
    with pytest.raises(UsageError, match="99"):
        shell.run_line_magic("inference", "--runs 1,99 --verdict supported x")
    assert not journal.run(1).inferences


def test_a_grid_inference_says_when_the_best_point_is_not_singled_out(
    shell: Any, journal: Any, capsys: Any
) -> None:
    shell.run_cell(f"%%experiment units --grid units=[32,64,128] --repeat 3\n{NOISY}")
    grid_id = int(journal.grids()["id"][0])
    capsys.readouterr()
    shell.run_line_magic("inference", f"--grid {grid_id} --verdict supported 128 units is best")
    out = capsys.readouterr().out
    assert "evidence: best score:" in out and "within noise of" in out
    assert "⚠ supported on a grid whose best point the runs do not single out" in out


def test_a_point_with_repeats_is_told_how_many_more_the_rule_needs(
    shell: Any, journal: Any, capsys: Any
) -> None:
    # Given two points of two repeats each, far apart (fewer than 3 a side: no winner yet)
    shell.run_cell(f"%%experiment two --grid units=[32,64] --repeat 2\n{NOISY}")
    out = capsys.readouterr().out
    best = next(line for line in out.splitlines() if line.startswith("best score:"))
    # Then the summary says what the rule says: N more repeats a side, not "needs repeats"
    assert "needs repeats" not in best
    assert best.endswith(" · needs 1 more repeat a side to tell from units=32")


def test_identical_repeats_and_single_runs_never_read_as_plus_or_minus_zero(
    shell: Any, journal: Any, capsys: Any
) -> None:
    # Given a cell that ignores its seed (every repeat the same) and one run once
    shell.run_cell(
        "%%experiment same --grid units=[32,64] --repeat 3\n"
        '{"score": 0.90 if units == 32 else 0.96}'
    )
    shell.run_cell('%%experiment once -p units=64 --grid seed=[0]\n{"score": 0.5}')
    out = capsys.readouterr().out
    # Then no value reads as a certain ± 0: no spread is said in words
    assert not re.search(r"±\s?0(?![.\d])", out)
    assert "0.96 (no spread)" in out and "0.9 (no spread)" in out
    assert "score: 0.5 over 1 run of one point" in out
