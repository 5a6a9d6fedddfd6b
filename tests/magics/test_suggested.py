"""``%%experiment NAME --suggested N`` through a real IPython shell, on SQLite and PostgreSQL:
the points insights rank first run as a grid (skip, claim and record as ``--grid``), each
with its reason; bad input is one line and runs nothing."""

from __future__ import annotations

import math
import os
import uuid
from pathlib import Path

import pytest
from IPython.core.error import UsageError

from nbjournal.store import MetricPoint
from tests.pg_schemas import backend_params

#: The planted optimum: lr = 10**-2.5 ≈ 0.0032, units = 40.
BODY = """import math
score = 1 - (math.log10(lr) + 2.5) ** 2 / 4 - ((units - 40) / 60) ** 2
{"score": score}
"""


def planted(lr: float, units: int) -> float:
    return 1 - (math.log10(lr) + 2.5) ** 2 / 4 - ((units - 40) / 60) ** 2


@pytest.fixture(params=backend_params("sqlite"))
def backend(request, journal_home: Path, monkeypatch):
    """The journal of one test: the embedded SQLite one, or a schema of its own in PostgreSQL."""
    if request.param == "postgresql":
        from nbjournal.store import forget_stores

        monkeypatch.setenv("NBJOURNAL_URL", request.getfixturevalue("pg_url"))
        forget_stores()
    return request.param


@pytest.fixture
def seeded(backend, shell):
    """A journal with ``runs`` finished runs of ``planted`` over lr × units, seeded through
    the Store, and the shell that runs cells against it."""
    import nbjournal

    journal = nbjournal.Journal()

    def seed(runs: int = 24, experiment: str = "planted") -> None:
        store = journal.store
        for i in range(runs):
            lr = [1e-4, 1e-3, 1e-2, 1e-1][i % 4]
            units = [8, 16, 64, 128, 256, 512][(i // 4) % 6]
            run_id = store.create_run(
                experiment=experiment,
                fingerprint=uuid.uuid4().hex,
                params={"lr": lr, "units": units},
            )
            value = planted(lr, units) + 0.01 * math.sin(i)
            store.add_points(run_id, [MetricPoint("score", value, 0, "epoch", 0)])
            store.finish_run(run_id, "finished")

    return journal, seed


def suggested_cell(line: str, body: str = BODY, name: str = "planted") -> str:
    return f"%%experiment {name} {line}\n{body}"


def test_suggested_points_run_as_a_grid_with_their_reasons(seeded, shell, capsys):
    journal, seed = seeded
    seed()
    from nbjournal.analysis.insights import suggestions_for

    expected = suggestions_for(journal.store, "planted", 3)
    shown = journal.insights("planted").suggestions
    assert [dict(p) for p in shown["point"][:3]] == expected.points  # the ones insights show

    shell.run_cell(suggested_cell("--suggested 3"))

    out = capsys.readouterr().out
    first = " ".join(f"{k}={v}" for k, v in expected.points[0].items())
    assert f"3 suggested points (TPE over 24 runs): {first} — {expected.reasons[0]}; " in out
    assert out.index("3 suggested points") < out.index("3 points to run")
    assert "best score:" in out  # the grid's summary, which says where its points came from
    assert "\n3 suggested points (TPE over 24 runs, for score)\n" in out
    runs = journal.runs(experiment="planted")
    new = runs[runs["id"] > 24].sort_values("id")
    assert [{"lr": lr, "units": u} for lr, u in zip(new["param.lr"], new["param.units"], strict=True)] == expected.points  # fmt: skip
    assert set(new["status"]) == {"finished"}
    # the model learned where the planted optimum is: a suggested point beats every seeded run
    assert new["metric.score"].max() > runs[runs["id"] <= 24]["metric.score"].max()
    (grid,) = journal.grids().itertuples()
    assert grid.points == 3 and grid.done == 3
    spec = grid.spec
    assert spec["points"] == expected.points and spec["axes"] == {}
    origin = spec["origin"]
    assert origin["suggested"] == 3 and origin["by"] == "TPE over 24 runs"
    assert origin["metric"] == "score" and origin["reasons"] == expected.reasons
    points = journal.grid(grid.id)
    assert sorted(points["run_id"]) == sorted(new["id"])
    # as a loop leaves it: the last point's values
    assert (shell.user_ns["lr"], shell.user_ns["units"]) == tuple(expected.points[-1].values())


def test_a_suggested_list_is_bound_as_a_list(seeded, shell, capsys):
    # Given runs whose cell was given a list of layer widths (stored flat as JSON text)
    journal, _ = seeded
    store = journal.store
    for i in range(12):
        layers = [[32], [64], [64, 32], [128, 64]][i % 4]
        lr = [1e-3, 1e-2, 1e-1][i % 3]
        run_id = store.create_run(
            experiment="widths", fingerprint=uuid.uuid4().hex, params={"layers": layers, "lr": lr}
        )
        value = planted(lr, sum(layers) // 2) + 0.01 * math.sin(i)
        store.add_points(run_id, [MetricPoint("score", value, 0, "epoch", 0)])
        store.finish_run(run_id, "finished")
    body = (
        "import math\n"
        "assert isinstance(layers, list), f'layers is a {type(layers).__name__}'\n"
        "{'score': 1 - (math.log10(lr) + 2.5) ** 2 / 4 - ((sum(layers) // 2 - 40) / 60) ** 2}\n"
    )

    # When the cell runs the suggested points
    shell.run_cell(suggested_cell("--suggested 2", body, name="widths"))

    # Then each point's cell was handed a list, and the runs record it as one
    runs = journal.runs(experiment="widths")
    new = runs[runs["id"] > 12]
    assert len(new) == 2 and set(new["status"]) == {"finished"}, capsys.readouterr().out
    for run_id in new["id"]:
        assert isinstance(journal.run(int(run_id)).full_params["layers"], list)


def test_a_suggested_point_done_anywhere_is_skipped_and_the_next_ask_runs_new_points(
    seeded, shell, capsys
):
    journal, seed = seeded
    seed()
    from nbjournal.analysis.insights import suggestions_for

    first = suggestions_for(journal.store, "planted", 2).points[0]
    values = " ".join(f"-p {k}={v!r}" for k, v in first.items())
    shell.run_cell(suggested_cell(values, name="elsewhere"))  # same cell, same values, by hand
    by_hand = int(journal.runs(experiment="elsewhere")["id"][0])
    capsys.readouterr()

    shell.run_cell(suggested_cell("--suggested 2"))

    assert f"2 points: 1 done before (#{by_hand}), 1 to run" in capsys.readouterr().out
    runs = journal.runs()
    assert len(runs) == 24 + 1 + 1
    ran = {(r["param.lr"], r["param.units"]) for _, r in runs.iterrows()}

    shell.run_cell(suggested_cell("--suggested 2"))  # asks again: the model has learned more

    again = journal.runs()
    assert len(again) == len(runs) + 2
    fresh = again[~again["id"].isin(runs["id"])]
    assert not {(r["param.lr"], r["param.units"]) for _, r in fresh.iterrows()} & ran
    assert len(journal.grids()) == 2


def test_an_interrupted_suggested_grid_resumes_its_points_then_asks_again(seeded, shell, capsys):
    journal, seed = seeded
    seed()
    shell.run_cell("import os")
    body = (
        "if os.environ.pop('NBJ_STOP_ONCE', None) and stop:\n    raise KeyboardInterrupt\n" + BODY
    )
    os.environ["NBJ_STOP_ONCE"] = "1"
    with pytest.raises(KeyboardInterrupt):
        shell.run_cell(suggested_cell("--suggested 3 -p stop=True", body))
    (first,) = journal.grids().itertuples()
    capsys.readouterr()

    shell.run_cell(suggested_cell("--suggested 3 -p stop=True", body))  # the same cell again

    out = capsys.readouterr().out
    assert f"grid #{first.id} has not finished: resumed" in out
    assert (
        "3 points to run" in out
    )  # the interrupted point runs again, the others for the first time
    (again,) = journal.grids().itertuples()  # the same grid record, now complete
    assert again.id == first.id and again.done == 3
    statuses = journal.runs(experiment="planted").sort_values("id")["status"].tolist()
    assert statuses[24:] == ["interrupted", "finished", "finished", "finished"]

    shell.run_cell(suggested_cell("--suggested 3 -p stop=True", body))  # all done: ask again
    assert "has not finished" not in capsys.readouterr().out
    assert len(journal.grids()) == 2 and len(journal.runs()) == 24 + 4 + 3


def test_repeat_runs_each_suggested_point_with_seeds(seeded, shell, capsys):
    journal, seed = seeded
    seed()
    shell.run_cell(suggested_cell("--suggested 1 --repeat 2"))
    assert "1 suggested point (TPE over 24 runs) × 2 repeats: lr=" in capsys.readouterr().out
    runs = journal.runs(experiment="planted")
    new = runs[runs["id"] > 24]
    assert sorted(new["param.seed"]) == [0, 1]
    assert len({(r["param.lr"], r["param.units"]) for _, r in new.iterrows()}) == 1


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("--suggested 0", "--suggested takes a count of 1 or more, got 0"),
        ("--suggested -2", "--suggested takes a count of 1 or more"),
        ("--suggested 2 --grid lr=[0.1]", "give --grid or --suggested"),
        ("--suggested 2 --sample 1", "--sample draws from a --grid"),
        ("--suggested 2 -p lr=0.1", "--suggested 2 chooses lr: drop the --param"),
        ("--suggested 2 --repeat 0", "--repeat takes a count of 1 or more"),
        ("--suggested 5000", "--suggested takes at most 50 points, got 5000"),
        ("--suggested 2 --repeat 1000000", r"2,000,000 runs \(2 points × 1,000,000 repeats\)"),
    ],
)
def test_bad_suggested_lines_are_one_clear_message_and_run_nothing(seeded, shell, line, message):
    journal, seed = seeded
    seed()
    with pytest.raises(UsageError, match=message):
        shell.run_cell(suggested_cell(line))
    assert len(journal.runs()) == 24 and journal.grids().empty


def test_too_few_runs_say_why_and_run_nothing(seeded, shell):
    journal, seed = seeded
    seed(runs=3)
    with pytest.raises(
        UsageError,
        match=r"--suggested 2: planted has 3 finished runs with a value of score; "
        r"suggestions need 4 at least; and no input of the cell is a table to compare with "
        r"earlier data sets; nothing run",
    ):
        shell.run_cell(suggested_cell("--suggested 2"))
    with pytest.raises(UsageError, match="nowhere has no finished run with a metric"):
        shell.run_cell(suggested_cell("--suggested 2", name="nowhere"))
    assert len(journal.runs()) == 3 and journal.grids().empty


def test_suggestions_the_cell_does_not_use_are_named(seeded, shell):
    journal, seed = seeded
    seed()
    ignores_units = "score = -abs(lr - 0.003)\n{'score': score}"
    with pytest.raises(UsageError, match=r"the cell does not use units \(it never reads it"):
        shell.run_cell(suggested_cell("--suggested 2", ignores_units))
    sets_units = "units = 8\n" + BODY
    with pytest.raises(UsageError, match="--suggested binds units, but the cell sets it itself"):
        shell.run_cell(suggested_cell("--suggested 2", sets_units))
    assert len(journal.runs()) == 24 and journal.grids().empty


def test_run_grid_takes_explicit_points(journal_home, journal, capsys):
    import nbjournal

    calls = []

    def train(units, lr):
        calls.append((units, lr))
        return {"score": units / 100 - lr}

    points = [{"units": 30, "lr": 0.01}, {"units": 10, "lr": 0.1}]
    frame = nbjournal.run_grid("scripted", train, points=points)
    assert calls == [(30, 0.01), (10, 0.1)]  # in the order given
    assert list(frame["status"]) == ["finished"] * 2
    assert journal.grids()["spec"][0]["points"] == points
    nbjournal.run_grid("scripted", train, points=points)
    assert len(calls) == 2 and "2 points: 2 done before" in capsys.readouterr().out
    with pytest.raises(ValueError, match="one of them"):
        nbjournal.run_grid("scripted", train, grid={"units": [1]}, points=points)
    with pytest.raises(ValueError, match="listed twice"):
        nbjournal.run_grid("scripted", train, points=[{"units": 1}, {"units": 1}])


def test_suggestions_after_a_repeated_grid_keep_its_repeats(seeded, shell, capsys):
    """After a ``--repeat 2`` grid, suggested points run over as many seeds, so they compare
    with the grid's points (issue 21.7); ``--repeat`` on the line still decides."""
    journal, seed = seeded
    seed()
    shell.run_cell(suggested_cell("--grid lr=[0.003] --grid units=[40] --repeat 2"))
    capsys.readouterr()
    shell.run_cell(suggested_cell("--suggested 1"))
    assert "× 2 repeats" in capsys.readouterr().out
    runs = journal.runs(experiment="planted")
    new = runs[runs["id"] > 26]
    assert sorted(new["param.seed"]) == [0, 1]
    assert len({(r["param.lr"], r["param.units"]) for _, r in new.iterrows()}) == 1
    shell.run_cell(suggested_cell("--suggested 1 --repeat 1"))
    assert len(journal.runs(experiment="planted")) == 26 + 2 + 1


def test_a_point_that_differs_only_in_what_the_cell_derives_is_not_offered_as_untried(
    seeded, shell, capsys
):
    """Issue 21.7: every act × opt was run (at 3 and at 5 epochs, the cell's code changed in
    between); the model proposed ``fit.epochs=4`` beside them, which a cell cannot be given,
    so each offered point was an act × opt already run (and was trained again)."""
    journal, _ = seeded
    store = journal.store
    for epochs in (3, 5):
        for act in ("relu", "tanh"):
            for opt in ("adam", "sgd"):
                params = {"act": act, "opt": opt, "fit": {"epochs": epochs}}
                run_id = store.create_run(
                    experiment="derived", fingerprint=uuid.uuid4().hex, params=params
                )
                value = 0.8 + 0.05 * (act == "relu") + 0.02 * (opt == "adam") + 0.01 * epochs
                store.add_points(run_id, [MetricPoint("score", value, 0, "epoch", 0)])
                store.finish_run(run_id, "finished")
    body = '{"score": 0.5 if act == "relu" and opt == "adam" else 0.4}'
    with pytest.raises(UsageError, match="has been run already; nothing run"):
        shell.run_cell(suggested_cell("--suggested 2", body, name="derived"))
    assert len(journal.runs(experiment="derived")) == 8
