"""Similar data sets and the warm start, through a real IPython shell, on planted data.

Data set A (a ``make_classification`` family) was tuned in ``a-tune``, whose best
configuration is planted: lr=0.05, depth=6. A new experiment on a sibling of A
(same generator, another seed) starts from that configuration, with its source;
one on data unlike anything in the journal gets no transfer and is told so.
"""

from __future__ import annotations

import pytest
from IPython.core.error import UsageError

#: A cell whose fit shows the journal its data; the score peaks at the planted optimum.
BODY = """import math
from sklearn.dummy import DummyClassifier
DummyClassifier().fit(X, y)
{"score": 1 - abs(math.log10(lr / 0.05)) - abs(depth - 6) / 10}
"""

DATA = """from sklearn.datasets import make_classification
X, y = make_classification(n_samples={rows}, n_features={features}, n_informative=4,
                           n_classes={classes}, random_state={seed})
"""


def _data(shell, rows=600, features=12, classes=3, seed=0) -> None:
    shell.run_cell(DATA.format(rows=rows, features=features, classes=classes, seed=seed))


@pytest.fixture
def tuned_a(shell):
    """``a-tune``: 6 points on data set A, the best planted at lr=0.05, depth=6; and
    ``b-tune``, on regression data, whose best is elsewhere."""
    import nbjournal

    _data(shell, seed=0)
    shell.run_cell(
        f"%%experiment a-tune --grid lr=[0.01,0.05,0.5] --grid depth=[2,6] --no-live\n{BODY}"
    )
    shell.run_cell("from sklearn.datasets import make_regression\n"
                   "X, y = make_regression(n_samples=200, n_features=3, random_state=1)")  # fmt: skip
    shell.run_cell(
        "%%experiment b-tune --grid lr=[0.5] --grid depth=[2] --no-live\n"
        "from sklearn.linear_model import Ridge\nRidge().fit(X, y)\n{'score': lr - depth}"
    )
    return nbjournal.Journal()


def test_each_fit_records_what_its_data_is_like(tuned_a):
    runs = tuned_a.runs(experiment="a-tune")
    record = tuned_a.run(int(runs["id"].iloc[0])).meta_features
    assert record["task"] == "classification"
    f = record["features"]
    assert (f["rows"], f["features"], f["classes"]) == (600, 12, 3)
    regression = tuned_a.run(int(tuned_a.runs(experiment="b-tune")["id"].iloc[0])).meta_features
    assert regression["task"] == "regression" and regression["features"]["rows"] == 200


def test_similar_lists_the_sibling_data_set_with_its_best_run(tuned_a, shell):
    # Given a sibling of data set A
    _data(shell, seed=7)
    # When the journal is asked for similar data sets
    found = tuned_a.similar(shell.user_ns["X"], shell.user_ns["y"])
    # Then A is nearest and similar; its best run is the planted optimum; regression is left out
    nearest = found.nearest
    assert nearest is not None and nearest.distance < 0.1
    assert nearest.experiments == ("a-tune",) and len(nearest.runs) == 6
    (best,) = nearest.best
    assert best.params == {"lr": 0.05, "depth": 6} and best.metric == "score"
    assert best.value == pytest.approx(1.0)
    assert [s.experiments for s in found.found] == [("a-tune",)]
    text = repr(found)
    assert "600 rows × 12 features, 3 classes" in text and "#" in text and "lr=0.05" in text
    # And the magic shows the same
    shell.run_line_magic("journal", "similar X y")
    with pytest.raises(UsageError, match="no variable named 'Z'"):
        shell.run_line_magic("journal", "similar Z")


def test_a_new_experiment_on_similar_data_starts_from_its_best(tuned_a, shell, capsys):
    # Given a sibling of A and a new experiment with no run at all
    _data(shell, seed=7)
    tuned_a.store.add_inference(int(tuned_a.runs(experiment="a-tune")["id"].iloc[0]),
                                "depth matters most", "supported")  # fmt: skip
    # When it asks for suggestions
    shell.run_cell(f"%%experiment new-a --suggested 3 --no-live\n{BODY}")
    out = capsys.readouterr().out
    # Then the first point is A's planted best, with its source, before the sampler's own
    runs = tuned_a.runs(experiment="new-a").sort_values("id")
    assert len(runs) == 3
    first = runs.iloc[0]
    assert (first["param.lr"], first["param.depth"]) == (0.05, 6)
    assert first["metric.score"] == pytest.approx(1.0)
    assert "depth=6 lr=0.05 — best of a-tune (#" in out and "on a data set at distance 0." in out
    assert 'concluded: supported: "depth matters most"' in out
    assert "(TPE over the 6 runs of a-tune on a data set at distance 0." in out
    (grid,) = tuned_a.grids(experiment="new-a").itertuples()
    assert grid.spec["origin"]["transferred"] == 1
    assert grid.spec["origin"]["sources"][0]["experiment"] == "a-tune"


def test_data_unlike_any_earlier_gets_no_transfer_and_says_so(tuned_a, shell):
    # Given data unlike A (many columns, few rows, 8 classes) and unlike the regression
    _data(shell, rows=90, features=300, classes=8, seed=3)
    with pytest.raises(UsageError) as refused:
        shell.run_cell(f"%%experiment new-c --suggested 2 --no-live\n{BODY}")
    message = str(refused.value)
    assert "no transfer: no earlier data set is similar" in message
    assert (
        "600 rows × 12 features, 3 classes, is at distance" in message and "nothing run" in message
    )
    assert tuned_a.runs(experiment="new-c").empty


def test_an_experiment_too_new_to_model_learns_from_the_similar_data_sets_runs(tuned_a, shell):
    # Given a sibling of A and an experiment with 3 runs of its own (past the configurations
    # transferred as they are, too few to model alone: suggestions.MIN_RUNS is 4)
    _data(shell, seed=7)
    shell.run_cell(
        f"%%experiment few-a --grid lr=[0.01,0.5,0.2] --grid depth=[3] --no-live\n{BODY}"
    )
    # When it asks for 2 more
    shell.run_cell(f"%%experiment few-a --suggested 2 --no-live\n{BODY}")
    # Then nothing is transferred as it is, but TPE's points learn from its own runs and
    # from A's as priors, and say so
    origin = tuned_a.grids(experiment="few-a").sort_values("id").iloc[-1].spec["origin"]
    assert origin["transferred"] == 0 and len(origin["reasons"]) == 2
    assert (
        origin["by"] == "warm start: TPE over 3 own runs and 6 runs on 1 similar data set as priors"
    )
    assert all("(TPE over 3 own runs and 5 of the 6 runs of a-tune on a data set at distance 0."
               in reason for reason in origin["reasons"])  # fmt: skip
    assert len(tuned_a.runs(experiment="few-a")) == 5


def test_an_experiment_with_runs_enough_is_modelled_on_its_own_runs_alone(tuned_a, shell):
    # Given a sibling of A and an experiment with 4 runs of its own (enough to model alone)
    _data(shell, seed=7)
    shell.run_cell(f"%%experiment own-a --grid lr=[0.01,0.5] --grid depth=[2,3] --no-live\n{BODY}")
    # When it asks for 2 more, then its own TPE proposes them, as without a similar data set
    # (keeping the priors was measured worse: README, "Similar data sets")
    shell.run_cell(f"%%experiment own-a --suggested 2 --no-live\n{BODY}")
    origin = tuned_a.grids(experiment="own-a").sort_values("id").iloc[-1].spec["origin"]
    assert origin["by"] == "TPE over 4 runs" and "transferred" not in origin
    assert len(tuned_a.runs(experiment="own-a")) == 6


def test_an_experiment_on_unlike_data_is_modelled_on_its_own_runs_alone(tuned_a, shell):
    # Given data unlike A and an experiment with 4 runs of its own
    _data(shell, rows=90, features=300, classes=8, seed=3)
    shell.run_cell(f"%%experiment own-c --grid lr=[0.01,0.5] --grid depth=[2,3] --no-live\n{BODY}")
    # When it asks for 2 more, then TPE learns from its 4 runs alone: nothing transferred
    shell.run_cell(f"%%experiment own-c --suggested 2 --no-live\n{BODY}")
    origin = tuned_a.grids(experiment="own-c").sort_values("id").iloc[-1].spec["origin"]
    assert origin["by"] == "TPE over 4 runs" and "transferred" not in origin
    assert len(tuned_a.runs(experiment="own-c")) == 6


#: The same cell on data whose optimum is elsewhere: lr=0.5, depth=2.
ELSEWHERE = BODY.replace("lr / 0.05", "lr / 0.5").replace("depth - 6", "depth - 2")


@pytest.mark.parametrize(
    ("body", "verdict", "said"),
    [(BODY, "better", "were better than"), (ELSEWHERE, "worse", "were worse than")],
)
def test_insights_say_whether_the_transferred_points_beat_the_experiments_own(
    tuned_a, shell, body, verdict, said
):
    # Given a warm-started experiment on a sibling of A (A's best transferred, 3 repeats)
    _data(shell, seed=7)
    shell.run_cell(f"%%experiment new-a --suggested 2 --repeat 3 --no-live\n{body}")
    # and then its own runs, around the optimum planted for this body (lr=0.5, depth=2)
    shell.run_cell(
        f"%%experiment new-a --grid lr=[0.2,0.5,0.9] --grid depth=[2,3] --no-live\n{body}"
    )
    runs = tuned_a.runs(experiment="new-a").sort_values("id")
    moved = runs[(runs["param.lr"] == 0.05) & (runs["param.depth"] == 6)]
    assert len(moved) == 3 and len(runs) == 12
    # When insights are asked for
    found = tuned_a.insights("new-a")
    # Then they compare the 3 transferred runs with the 9 later own ones, by the verdict rule
    check = found.transfer
    assert check is not None and check.sources == ("a-tune",)
    assert list(check.transferred) == sorted(moved["id"].astype(int))
    assert len(check.own) == 9 and min(check.own) > max(check.transferred)
    assert check.comparison.verdict == verdict
    assert check.best_transferred == pytest.approx(
        1.0 if verdict == "better" else 1 - 1 - 0.4, abs=1e-9
    )
    assert f"the 3 transferred points {said} the experiment's own 9 later runs on score" in (
        check.line
    )
    assert check.line in repr(found)


def test_an_experiment_never_warm_started_has_no_transfer_check(tuned_a):
    assert tuned_a.insights("a-tune").transfer is None


def test_a_new_experiment_on_similar_data_is_told_a_similar_data_set_exists(tuned_a, shell, capsys):
    # Given a sibling of A, and a new experiment's first plain run on it
    _data(shell, seed=7)
    capsys.readouterr()
    shell.run_cell("lr, depth = 0.01, 2")
    shell.run_cell(f"%%experiment first-look --no-live\n{BODY}")
    out = capsys.readouterr().out
    # Then one line says a similar data set exists and how to start from its best
    assert "no earlier run of first-look; a similar data set at distance 0.0" in out
    assert "(600 rows × 12 features, 3 classes) ran a-tune" in out
    assert "%%experiment first-look --suggested N starts from its best" in out
    # And a second run of it (the experiment exists now) is not told again
    shell.run_cell("lr = 0.02")
    shell.run_cell(f"%%experiment first-look --no-live\n{BODY}")
    assert "similar data set" not in capsys.readouterr().out


def test_similar_lists_the_experiment_on_identical_data_first(tuned_a, shell, capsys):
    # Given data set A itself, on which a-tune ran, and c-tune on it too
    _data(shell, seed=0)
    shell.run_cell(f"%%experiment c-tune --grid lr=[0.05] --grid depth=[3] --no-live\n{BODY}")
    capsys.readouterr()
    # When the journal is asked for data sets like it
    shell.run_line_magic("journal", "similar X y")
    out = capsys.readouterr().out
    # Then A is listed first, at distance 0, as the same data, with both experiments
    first = out.splitlines()[1]
    assert first.strip().startswith("0.00 (the same data) · 600 rows × 12 features, 3 classes")
    found = tuned_a.similar(shell.user_ns["X"], shell.user_ns["y"])
    assert found.nearest is not None and found.nearest.distance == 0
    assert found.nearest.experiments == ("a-tune", "c-tune")
    # And asked from c-tune's side, a-tune's runs on the same data come first
    other = tuned_a.similar(experiment="c-tune").nearest
    assert other is not None and other.distance == 0 and other.experiments == ("a-tune",)
