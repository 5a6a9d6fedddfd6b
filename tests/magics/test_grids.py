"""``%%experiment --grid`` through a real IPython shell: the product, skip and resume, repeats,
samples, failures, bad input."""

from __future__ import annotations

import pytest
from IPython.core.error import UsageError

BODY = """
c = a * b
{"score": c / 100}
"""


def grid_cell(line: str, body: str = BODY) -> str:
    return f"%%experiment g {line}\n{body}"


def test_every_point_of_the_product_is_an_ordinary_run_linked_to_the_grid(shell, journal, capsys):
    shell.run_cell(grid_cell("--grid a=[1,2] --grid b=[10,20,30]"))

    runs = journal.runs(experiment="g").sort_values("id")
    assert len(runs) == 6
    assert set(runs["status"]) == {"finished"}
    assert list(zip(runs["param.a"], runs["param.b"], strict=True)) == [
        (1, 10), (1, 20), (1, 30), (2, 10), (2, 20), (2, 30)
    ]  # fmt: skip
    assert list(runs["metric.score"]) == pytest.approx([0.1, 0.2, 0.3, 0.2, 0.4, 0.6])
    grids = journal.grids()
    assert list(grids["points"]) == [6] and list(grids["done"]) == [6]
    points = journal.grid(int(grids["id"][0]))
    assert sorted(points["run_id"]) == sorted(runs["id"])
    # as a loop leaves it: the last point's values
    assert (shell.user_ns["a"], shell.user_ns["b"], shell.user_ns["c"]) == (2, 30, 60)
    out = capsys.readouterr().out
    assert "6 points to run" in out and "best score: 0.6 at a=2, b=30" in out


def test_the_summary_keeps_the_order_the_axes_were_given_in(shell, journal, capsys):
    # Given axes whose names do not come in alphabetical order
    shell.run_cell(grid_cell("--grid b=[10,20] --grid a=[1,2]"))

    # Then the summary's columns and its best point follow the line, not the alphabet
    out = capsys.readouterr().out
    assert "best score: 0.4 at b=20, a=2" in out
    header = next(
        line for line in out.splitlines() if line.startswith("b ") or line.startswith("a ")
    )
    assert header.split()[:2] == ["b", "a"]
    # and the same cell again resumes the same grid, read back in that order
    shell.run_cell(grid_cell("--grid b=[10,20] --grid a=[1,2]"))
    assert "4 done before" in capsys.readouterr().out
    assert len(journal.grids()) == 1


def test_a_rerun_skips_every_point_and_a_wider_axis_runs_only_the_new_points(
    shell, journal, capsys
):
    shell.run_cell(grid_cell("--grid a=[1,2] --grid b=[10,20]"))
    first = set(journal.runs()["id"])
    capsys.readouterr()

    shell.run_cell(grid_cell("--grid a=[1,2] --grid b=[10,20]"))
    assert set(journal.runs()["id"]) == first
    assert "4 points: 4 done before (#1 #2 #3 #4), 0 to run" in capsys.readouterr().out

    shell.run_cell(grid_cell("--grid a=[1,2,3] --grid b=[10,20]"))
    runs = journal.runs()
    assert len(runs) == 6
    new = runs[~runs["id"].isin(first)]
    assert set(new["param.a"]) == {3}
    assert "6 points: 4 done before (#1 #2 #3 #4), 2 to run" in capsys.readouterr().out


def test_a_point_run_by_hand_counts_as_done(shell, journal, capsys):
    shell.run_cell(grid_cell("-p a=2 -p b=20"))
    hand = int(journal.runs()["id"][0])
    capsys.readouterr()

    shell.run_cell(grid_cell("--grid a=[1,2] --grid b=[20]"))

    assert f"2 points: 1 done before (#{hand}), 1 to run" in capsys.readouterr().out
    assert len(journal.runs()) == 2


def test_changing_the_code_or_the_data_runs_everything_again(shell, journal):
    shell.run_cell("offset = 1")
    body = BODY.replace("c / 100", "c / 100 + offset")
    shell.run_cell(grid_cell("--grid a=[1,2]  -p b=1", body))
    shell.run_cell("offset = 2")
    shell.run_cell(grid_cell("--grid a=[1,2]  -p b=1", body))
    assert len(journal.runs()) == 4
    shell.run_cell(grid_cell("--grid a=[1,2]  -p b=1", body + "\nd = 1"))
    assert len(journal.runs()) == 6


def test_repeat_binds_seeds_and_the_summary_shows_mean_and_interval(shell, journal, capsys):
    body = "value = a + seed\n{'score': value}"
    shell.run_cell(grid_cell("--grid a=[10,20] --repeat 3", body))

    runs = journal.runs().sort_values("id")
    assert list(runs["param.seed"]) == [0, 1, 2, 0, 1, 2]
    assert list(runs["metric.score"]) == [10, 11, 12, 20, 21, 22]
    out = capsys.readouterr().out
    # mean ± half the 95 % t interval: 4.303 (t, 2 df) × 1 (std) / √3
    assert "21 ± 2.48" in out and "11 ± 2.48" in out
    assert "best score: 21 ± 2.48 at a=20" in out


def test_sample_runs_n_points_and_a_rerun_resumes_the_same_sample(shell, journal, capsys):
    shell.run_cell(grid_cell("--grid a=[1,2,3,4] --grid b=[1,2,3] --sample 5"))
    runs = journal.runs()
    assert len(runs) == 5
    spec = journal.grids()["spec"][0]
    assert spec["sample"] == 5 and isinstance(spec["sample_seed"], int)
    capsys.readouterr()

    shell.run_cell(grid_cell("--grid a=[1,2,3,4] --grid b=[1,2,3] --sample 5"))
    assert len(journal.runs()) == 5
    assert "5 points: 5 done before" in capsys.readouterr().out


def test_a_failing_point_is_recorded_failed_and_the_grid_goes_on(shell, journal, capsys):
    body = "if a == 2:\n    raise ValueError('bad a')\n{'score': a}"
    shell.run_cell(grid_cell("--grid a=[1,2,3]", body))

    runs = journal.runs().sort_values("id")
    assert list(runs["status"]) == ["finished", "failed", "finished"]
    failed = journal.run(int(runs["id"].iloc[1]))
    assert "ValueError: bad a" in failed.error
    out = capsys.readouterr().out
    assert "failed" in out and "ValueError: bad a" in out

    shell.run_cell(grid_cell("--grid a=[1,2,3]", body.replace("a == 2", "a == 5")))
    assert len(journal.runs()) == 6  # new code: every point again


def test_stop_on_error_stops_the_grid_with_the_users_exception(shell, journal):
    body = "if a == 2:\n    raise ValueError('bad a')\n{'score': a}"
    with pytest.raises(ValueError, match="bad a"):
        shell.run_cell(grid_cell("--grid a=[1,2,3] --stop-on-error", body))
    runs = journal.runs().sort_values("id")
    assert list(runs["status"]) == ["finished", "failed"]


def test_an_interrupt_records_the_point_interrupted_and_stops_the_grid(shell, journal):
    body = "if a == 2:\n    raise KeyboardInterrupt\n{'score': a}"
    with pytest.raises(KeyboardInterrupt):
        shell.run_cell(grid_cell("--grid a=[1,2,3]", body))
    runs = journal.runs().sort_values("id")
    assert list(runs["status"]) == ["finished", "interrupted"]

    shell.run_cell(grid_cell("--grid a=[1,2,3]", body.replace("a == 2", "a == 7")))
    assert len(journal.runs()) == 5  # new code: the finished point of the old code is not it


def test_an_interrupted_grid_resumes_where_it_stopped(shell, journal, capsys):
    shell.run_cell("stop = True")
    body = "if stop and a == 2:\n    raise KeyboardInterrupt\n{'score': a}"
    with pytest.raises(KeyboardInterrupt):
        shell.run_cell(grid_cell("--grid a=[1,2,3] -p stop=True", body))
    capsys.readouterr()
    # the flag is a parameter, so flipping it is a new grid; the same line resumes:
    shell.run_cell("import builtins")
    shell.user_ns["stop"] = True
    with pytest.raises(KeyboardInterrupt):
        shell.run_cell(grid_cell("--grid a=[1,2,3] -p stop=True", body))
    assert "3 points: 1 done before" in capsys.readouterr().out
    statuses = journal.runs().sort_values("id")["status"].tolist()
    assert statuses == ["finished", "interrupted", "interrupted"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("--grid a=[]", "non-empty list"),
        ("--grid a=[open('x')]", "not a Python literal"),
        ("--grid a=3", "non-empty list"),
        ("--grid a=[1,2] -p a=1", "both a --param and a --grid"),
        ("--grid a=[1,2] --grid a=[3]", "given twice"),
        ("--grid a=[1,1]", "lists a value twice"),
        ("--grid a=[1,2,3] --grid b=[1,2,3] --grid-max 8", "more than --grid-max 8"),
        ("--grid a=[1,2] --sample 3", "more than the 2 points"),
        ("--grid a=[1,2] --repeat 0", "--repeat takes a count of 1 or more"),
        # --grid-max counts runs: points × repeats (issue 19.6)
        (
            "--grid a=[1,2,3] --repeat 1000000",
            r"the grid has 3,000,000 runs \(3 points × 1,000,000 repeats\), more than --grid-max 200",
        ),
        (
            "--grid a=[1,2,3] --grid b=[1,2,3] --sample 4 --repeat 60",
            r"240 runs \(4 points × 60 repeats\) are more than --grid-max 200",
        ),
        ("--repeat 2", "needs a grid"),
        ("--grid a=[1,2] --repeat x", "invalid int value"),
    ],
)
def test_bad_grid_input_is_one_line_and_nothing_runs(shell, journal, line, message):
    with pytest.raises(UsageError, match=message):
        shell.run_cell(grid_cell(line))
    assert journal.runs().empty
    assert journal.grids().empty


@pytest.mark.parametrize(
    ("line", "body", "message"),
    [
        # a single-run cell turned into a grid keeps its own value: every point would run it
        (
            "--grid a=[1,2] -p b=10",
            "a = 1.0\n" + BODY,
            "--grid binds a, but the cell sets it itself",
        ),
        (
            "--grid a=[1,2] --grid b=[3]",
            "a, b = 1, 2\n" + BODY,
            "binds a, b, but the cell sets them",
        ),
        ("--grid a=[1,2]", "b = 3\nfor a in [5]:\n    pass\n" + BODY, "binds a, but the cell sets"),
        ("--grid a=[1,2] -p b=1 --repeat 2", "seed = 0\n" + BODY, "--repeat binds seed, but the"),
    ],
)
def test_a_grid_name_the_cell_sets_before_reading_is_refused(shell, journal, line, body, message):
    with pytest.raises(UsageError, match=message):
        shell.run_cell(grid_cell(line, body))
    assert journal.runs().empty and journal.grids().empty


def test_a_grid_name_the_cell_reads_before_changing_it_runs(shell, journal):
    shell.run_cell(grid_cell("--grid a=[1,2] -p b=10", "a = a * 3\n" + BODY))
    assert sorted(journal.runs()["metric.score"]) == [0.3, 0.6]


def test_a_sample_of_a_billion_point_grid_never_builds_the_product(shell, journal):
    values = str(list(range(10))).replace(" ", "")
    axes = " ".join(f"--grid x{i}={values}" for i in range(9))
    shell.run_cell(grid_cell(f"{axes} --sample 2 --grid-max 2", "{'score': x0 + x8}"))
    assert len(journal.runs()) == 2  # 10^9 points: drawn by index, not expanded in memory


def test_a_product_over_grid_max_runs_with_sample(shell, journal):
    shell.run_cell(grid_cell("--grid a=[1,2,3] --grid b=[1,2,3] --grid-max 8 --sample 2"))
    assert len(journal.runs()) == 2


def test_force_runs_every_point_again_as_repeats(shell, journal):
    shell.run_cell(grid_cell("--grid a=[1,2] -p b=1"))
    shell.run_cell(grid_cell("--grid a=[1,2] -p b=1 --force"))
    runs = journal.runs().sort_values("id")
    assert len(runs) == 4
    assert list(runs["repeat_of"].iloc[2:]) == list(runs["id"].iloc[:2])


def test_journal_grid_shows_the_summary_again(shell, journal, capsys):
    shell.run_cell(grid_cell("--grid a=[1,2] -p b=10"))
    grid_id = int(journal.grids()["id"][0])
    capsys.readouterr()
    shell.run_line_magic("journal", f"grid {grid_id}")
    assert f"grid #{grid_id} g: 2 points" in capsys.readouterr().out
    with pytest.raises(UsageError, match="no grid #99"):
        shell.run_line_magic("journal", "grid 99")


def test_run_grid_from_a_script_skips_what_finished(journal_home, journal, capsys):
    import nbjournal

    calls = []

    def train(units, lr, seed):
        calls.append((units, lr, seed))
        return {"val_accuracy": units / 100 - lr + seed / 1000}

    points = nbjournal.run_grid(
        "scripted", train, grid={"units": [10, 20], "lr": [0.1]}, repeat=2, hypothesis="wider"
    )
    assert calls == [(10, 0.1, 0), (10, 0.1, 1), (20, 0.1, 0), (20, 0.1, 1)]
    assert list(points["status"]) == ["finished"] * 4
    assert list(points["param.seed"]) == [0, 1, 0, 1]
    assert "4 points to run" in capsys.readouterr().out

    again = nbjournal.run_grid(
        "scripted", train, grid={"units": [10, 20], "lr": [0.1]}, repeat=2, hypothesis="wider"
    )
    assert len(calls) == 4 and list(again["run_id"]) == list(points["run_id"])
    assert journal.run(int(points["run_id"][0])).hypothesis == "wider"
    with pytest.raises(ValueError, match="non-empty list"):
        nbjournal.run_grid("scripted", train, grid={"units": []})


def test_an_inference_on_the_grid_as_a_whole(shell, journal, capsys):
    shell.run_cell(grid_cell("--grid a=[1,2] -p b=10"))
    grid_id = int(journal.grids()["id"][0])
    shell.run_line_magic("inference", f"--grid {grid_id} --verdict refuted <b>a</b> barely matters")
    assert f"Inference recorded on grid #{grid_id} (refuted)." in capsys.readouterr().out
    shell.run_line_magic("journal", f"grid {grid_id}")
    assert "inference: <b>a</b> barely matters (refuted)" in capsys.readouterr().out
    (inference,) = journal.store.get_grid(grid_id).inferences
    assert inference.verdict == "refuted"
    with pytest.raises(UsageError, match="no grid #99"):
        shell.run_line_magic("inference", "--grid 99 text")
    with pytest.raises(UsageError, match="not both"):
        shell.run_line_magic("inference", f"--grid {grid_id} --run 1 text")


def test_an_inference_right_after_a_grid_cell_is_on_the_grid_then_on_the_next_run(
    shell, journal, capsys
):
    """After a grid cell, %inference with no id addresses the grid as a whole (the grid view
    shows it), not the grid's last point; once another cell ran, that run (issue 21.10)."""
    shell.run_cell(grid_cell("--grid a=[1,2] -p b=10"))
    grid_id = int(journal.grids()["id"][0])
    capsys.readouterr()
    shell.run_line_magic("inference", "--verdict supported a matters")
    out = capsys.readouterr().out
    assert f"Inference recorded on grid #{grid_id} (supported)." in out
    assert "--run ID addresses one of its runs" in out
    assert [i.text for i in journal.store.get_grid(grid_id).inferences] == ["a matters"]
    assert all(not journal.run(int(r)).inferences for r in journal.runs()["id"])
    shell.run_cell("%%experiment single\n{'score': 1.0}")
    shell.run_line_magic("inference", "one run")
    single = int(journal.runs()["id"].max())
    assert f"Inference recorded on run #{single}." in capsys.readouterr().out
    assert [i.text for i in journal.run(single).inferences] == ["one run"]
