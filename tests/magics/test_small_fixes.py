"""Issue 21.14's smaller things, each through a real IPython shell."""

from __future__ import annotations

from typing import Any


def test_show_of_a_value_without_epochs_names_no_epoch(
    shell: Any, journal: Any, capsys: Any
) -> None:
    shell.run_cell('%%experiment plain\n{"score": 0.9644}')
    capsys.readouterr()
    shell.run_line_magic("journal", "show 1")
    out = capsys.readouterr().out
    assert "score: final 0.9644" in out
    assert "(epoch )" not in out


def test_a_grid_summary_crowns_no_point_among_tied_ones(
    shell: Any, journal: Any, capsys: Any
) -> None:
    shell.run_cell('%%experiment tied --grid units=[8,16,32,64]\n{"score": 0.5}')
    out = capsys.readouterr().out
    best = next(line for line in out.splitlines() if line.startswith("best score:"))
    assert "tied with units=16; units=32; units=64" in best


def test_experiments_give_last_activity_as_a_time(shell: Any, journal: Any) -> None:
    import pandas as pd

    shell.run_cell('%%experiment plain\n{"score": 0.9644}')
    frame = journal.experiments()
    assert isinstance(frame["last_activity"].iloc[0], pd.Timestamp)
    assert frame["last_activity"].iloc[0] >= journal.runs()["started"].max()
    assert str(frame["last_activity"].dtype) == "datetime64[ns, UTC]"


def test_runs_keep_integers_and_an_explicit_none(shell: Any, journal: Any) -> None:
    shell.run_cell("%%experiment trees -p max_depth=3\n{'score': 0.9}")
    shell.run_cell("%%experiment trees -p max_depth=None\n{'score': 0.8}")
    shell.run_cell("%%experiment trees -p max_depth=5\n{'score': 0.7}")
    depths = journal.runs("trees").sort_values("id")["param.max_depth"].tolist()
    assert depths == [3, None, 5]  # not 3.0, NaN, 5.0
    shell.run_cell("%%experiment wide -p units=3\n{'score': 0.9}")
    shell.run_cell("%%experiment wide -p other=1\n{'score': 0.8}")
    units = journal.runs("wide").sort_values("id")["param.units"]
    assert str(units.dtype) == "Int64" and units.iloc[0] == 3 and units.isna().iloc[1]


def test_the_same_code_under_a_new_experiment_name_runs_and_the_experiment_exists(
    shell: Any, journal: Any, capsys: Any
) -> None:
    """Issue 21.9: a duplicate is within an experiment."""
    shell.run_cell("%%experiment tiny -p units=3\n{'score': units / 10}")
    capsys.readouterr()
    shell.run_cell("%%experiment tiny2 -p units=3\n{'score': units / 10}")
    out = capsys.readouterr().out
    assert "Restored" not in out and "Already run" not in out
    assert journal.runs("tiny2")["id"].tolist() == [2]
    shell.run_line_magic("journal", "tiny2")
    assert "no experiment named" not in capsys.readouterr().out
    shell.run_cell("%%experiment tiny2 -p units=3\n{'score': units / 10}")  # within it: a twin
    assert len(journal.runs("tiny2")) == 1


def test_a_stale_loop_variable_is_not_recorded_as_a_parameter(shell: Any, journal: Any) -> None:
    """Issue 21.8: the loop binds ``act`` itself; the earlier cell's value is not an input."""
    shell.run_cell('act = "stale"')
    shell.run_cell(
        "%%experiment loop\nscores = []\nfor act in ['relu', 'tanh']:\n"
        "    scores.append(len(act))\n{'score': sum(scores)}"
    )
    runs = journal.runs("loop")
    assert len(runs) == 1
    recorded = runs["param.act"].tolist() if "param.act" in runs else []
    assert "stale" not in recorded


def test_show_gives_a_long_parameter_whole(shell: Any, journal: Any) -> None:
    """``%journal show`` is the one place to read a run in full: ``model.layers`` is not cut
    at a column's width there (issue 21.14)."""
    from IPython.utils.capture import capture_output

    layers = ", ".join(f"Dense({n}, relu)" for n in (512, 256, 128, 64, 32, 16))
    shell.run_cell(f"%%experiment long -p layers={layers!r}\n{{'score': 1.0}}")
    with capture_output() as shown:
        shell.run_line_magic("journal", "show 1")
    bundle = shown.outputs[0].data
    assert f"param layers = {layers}" in bundle["text/plain"]
    assert layers in bundle["text/html"]


def test_show_lists_the_cells_imports_apart_from_what_it_made(
    shell: Any, journal: Any, capsys: Any
) -> None:
    shell.run_cell(
        "%%experiment sk\n"
        "import fractions\n"
        "from fractions import Fraction\n"
        "from decimal import Decimal as D\n"
        "half = Fraction(1, 2)\n"
        "half"
    )
    capsys.readouterr()
    shell.run_line_magic("journal", "show 1")
    out = capsys.readouterr().out
    made = [line.split(":")[0].split()[-1] for line in out.splitlines() if "  artifact " in line]
    assert "half" in made and not {"fractions", "Fraction", "D"} & set(made)
    assert "imports (restored by importing them again): D, Fraction, fractions" in out
    # and a restore still binds them
    shell.run_cell("del fractions, Fraction, D, half")
    shell.run_cell(
        "%%experiment sk\n"
        "import fractions\n"
        "from fractions import Fraction\n"
        "from decimal import Decimal as D\n"
        "half = Fraction(1, 2)\n"
        "half"
    )
    assert shell.user_ns["D"].__name__ == "Decimal" and shell.user_ns["half"] == 0.5
    assert len(journal.runs()) == 1  # restored, not run again
