"""Insights on journals with planted structure, written through the store, read through the API."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from nbjournal import Journal
from nbjournal.errors import UnknownExperiment
from nbjournal.store import Store, forget_stores

from .synthetic import add_run, lr_drives, nothing_matters, sweep


@pytest.fixture(scope="module")
def journal(tmp_path_factory: pytest.TempPathFactory) -> Journal:
    """One journal for the module: each test uses experiments of its own."""
    path: Path = tmp_path_factory.mktemp("insights") / "journal.db"
    store = Store(f"sqlite:///{path}")
    sweep(store, "lr-only", 60, lr_drives, seed=1)
    sweep(store, "noise", 60, nothing_matters, seed=2)
    sweep(store, "three", 3, lr_drives, seed=3)
    store.close()
    found = Journal(f"sqlite:///{path}")
    yield found
    forget_stores()


def test_when_only_lr_drives_the_metric_lr_ranks_first_with_an_interval_above_the_others(
    journal,
):
    found = journal.insights("lr-only")
    ranking = found.importances
    assert found.metric == "val_accuracy" and found.runs == 60
    assert ranking.iloc[0]["param"] == "lr"
    assert ranking.iloc[0]["matters"]
    assert not ranking.iloc[1:]["matters"].any()
    assert ranking.iloc[0]["low"] > ranking.iloc[1:]["high"].max()
    assert found.verdict.startswith("lr mattered")


def test_when_nothing_matters_it_says_so(journal):
    found = journal.insights("noise")
    assert not found.importances["matters"].any()
    assert "no parameter stands out from noise" in found.verdict
    assert "no parameter stands out from noise" in repr(found)


def test_three_runs_are_too_few_to_rank(journal):
    found = journal.insights("three")
    assert found.importances.empty
    assert found.verdict.startswith("too few runs to tell (3 finished runs with val_accuracy)")
    assert "at least 10 finished runs" in found.verdict
    text = repr(found)
    assert "too few runs to tell" in text and "Which parameters mattered" not in text


def test_conditional_parameters_and_ranges_that_changed_between_sweeps(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'j.db'}")
    rng = np.random.default_rng(4)
    for i in range(30):
        # a first sweep over a narrow lr range, then a wider one that adds momentum
        lr = float(10 ** rng.uniform(-3, -2) if i < 15 else 10 ** rng.uniform(-4, -1))
        params = {"lr": lr, "units": int(rng.choice([32, 64]))}
        if i >= 15:
            params["momentum"] = float(rng.choice([0.0, 0.9]))
        add_run(store, "widened", params, lr_drives(params, rng))
    found = Journal(store.url).insights("widened")
    assert set(found.importances["param"]) == {"lr", "units", "momentum"}
    assert found.importances.iloc[0]["param"] == "lr"
    momentum = found.importances.set_index("param").loc["momentum"]
    assert momentum["runs"] == 15
    store.close()


def test_a_parameter_that_mirrors_another_is_analysed_once(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'j.db'}")
    rng = np.random.default_rng(5)
    for _ in range(20):
        lr = float(rng.choice([1e-3, 1e-2, 1e-1]))
        params = {"lr": lr, "optimizer": {"learning_rate": lr}, "seed": int(rng.integers(3))}
        add_run(store, "mirror", params, 0.9 + rng.normal(0, 0.01))
    found = Journal(store.url).insights("mirror")
    assert found.aliases == {"optimizer.learning_rate": "lr"}
    assert list(found.importances["param"]) == ["lr"]
    store.close()


def test_a_random_search_folds_no_parameter_into_another(tmp_path):
    # every run has its own lr and dropout: one to one by chance, not mirrors (rules/mirrors)
    store = Store(f"sqlite:///{tmp_path / 'j.db'}")
    rng = np.random.default_rng(9)
    for _ in range(12):
        params = {"lr": float(10 ** rng.uniform(-4, -1)), "dropout": float(rng.uniform(0, 0.5))}
        add_run(store, "random", params, 0.9 + rng.normal(0, 0.01))
    found = Journal(store.url).insights("random")
    assert found.aliases == {}
    assert set(found.importances["param"]) == {"lr", "dropout"}
    store.close()


def test_best_configurations_are_averaged_over_repeats(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'j.db'}")
    for seed in range(3):
        add_run(store, "repeats", {"lr": 0.01, "seed": seed}, 0.90 + 0.01 * seed)
        add_run(store, "repeats", {"lr": 0.1, "seed": seed}, 0.50)
    best = Journal(store.url).insights("repeats").best
    top = best.iloc[0]
    assert top["lr"] == 0.01 and top["repeats"] == 3
    assert math.isclose(top["mean"], 0.91) and math.isclose(top["std"], 0.01)
    assert best.iloc[1]["lr"] == 0.1
    store.close()


def test_suggestions_on_a_grid_with_a_clear_optimum_fall_near_it(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'j.db'}")
    rng = np.random.default_rng(6)
    for lr in (1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1):
        for units in (16, 32, 64, 128, 256):
            value = (
                0.97
                - 0.05 * (math.log10(lr) - math.log10(3e-3)) ** 2
                - 0.05 * (math.log2(units) - 6) ** 2
                + rng.normal(0, 0.003)
            )
            add_run(store, "grid", {"lr": lr, "units": units}, value)
    found = Journal(store.url).insights("grid", suggestions=4)
    points = list(found.suggestions["point"])
    assert len(points) == 4
    for point in points:
        assert abs(math.log10(point["lr"]) - math.log10(3e-3)) <= 0.75, point
        assert 32 <= point["units"] <= 128, point
        assert isinstance(point["units"], int)
    assert all(found.suggestions["reason"].str.len() > 0)
    grid = (1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1)
    tried = {(lr, u) for lr in grid for u in (16, 32, 64, 128, 256)}
    assert not any((p["lr"], p["units"]) in tried for p in points)
    store.close()


def test_conclusions_are_found_for_a_refuted_runs_values(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'j.db'}")
    rng = np.random.default_rng(7)
    refuted = []
    for i in range(24):
        params = {"lr": [1e-3, 1e-2, 1e-1][i % 3], "dropout": [0.0, 0.5][i // 12]}
        run_id = add_run(store, "dropout", params, lr_drives(params, rng))
        if params == {"lr": 1e-1, "dropout": 0.5} and len(refuted) < 2:
            store.add_inference(run_id, "dropout 0.5 does not rescue a large step", "refuted")
            refuted.append(run_id)
    store.add_inference(1, "the baseline", "supported")
    found = Journal(store.url).insights("dropout")
    rows = found.conclusions
    mine = rows[(rows["verdict"] == "refuted")]
    assert sorted(mine["run_id"]) == refuted
    assert (mine["lr"] == 1e-1).all()
    # newest group first: the baseline's conclusion was written last
    assert rows.iloc[0]["run_id"] == 1 and list(rows.iloc[1:]["verdict"]) == ["refuted"] * 2
    assert any("was refuted twice" in sentence for sentence in found.repeated)
    assert "was refuted twice" in repr(found)
    store.close()


def test_the_rich_view_has_a_chart_rendered_offline_and_escapes_user_text(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'j.db'}")
    ids = sweep(store, "view", 12, lr_drives, seed=8)
    store.add_inference(ids[0], "<script>alert(1)</script> no", "refuted")
    html = Journal(store.url).insights("view")._repr_mimebundle_()["text/html"]
    assert "src='data:image/png;base64," in html
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "<script" not in html and "cdn.jsdelivr" not in html
    store.close()


def test_data_widens_to_every_experiment_on_the_same_data(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'j.db'}")
    for i in range(6):
        add_run(store, "mlp", {"lr": 0.01 * (i + 1)}, 0.9, data_fingerprint="digits")
        add_run(store, "cnn", {"lr": 0.01 * (i + 1)}, 0.8, data_fingerprint="digits")
        add_run(store, "elsewhere", {"lr": 0.01 * (i + 1)}, 0.7, data_fingerprint="mnist")
    journal = Journal(store.url)
    assert journal.insights("mlp").runs == 6
    widened = journal.insights("mlp", data=True)
    assert widened.runs == 12 and widened.same_data
    assert set(widened.table.frame["experiment"]) == {"mlp", "cnn"}
    assert "every experiment on the same data" in repr(widened)
    store.close()


def test_an_unknown_experiment_is_one_clear_error(journal):
    with pytest.raises(UnknownExperiment, match="no experiment named 'nope'"):
        journal.insights("nope")


def test_a_metric_rising_to_the_edge_of_the_range_tried_gets_a_point_beyond_it(tmp_path):
    """Planted: the metric grows with units up to 512, and only 8–64 were tried. A sampler held
    to the range tried never looks past 64 (issue 21.7); with an interior optimum it stays
    inside (the test above)."""
    store = Store(f"sqlite:///{tmp_path / 'j.db'}")
    rng = np.random.default_rng(7)
    for lr in (1e-3, 3e-3, 1e-2):
        for units in (8, 16, 32, 64):
            value = 0.8 + 0.03 * math.log2(units) - 0.02 * abs(math.log10(lr) + 2.5)
            add_run(store, "edge", {"lr": lr, "units": units}, value + rng.normal(0, 0.002))
    found = Journal(store.url).insights("edge", suggestions=4)
    beyond = found.suggestions[found.suggestions["units"] > 64]
    assert len(beyond) >= 1, found.suggestions
    assert beyond["units"].max() <= 128  # one step past the edge, not anywhere
    assert beyond["reason"].str.startswith("beyond the range tried (units 8–64)").all()
    store.close()


def test_a_verdict_repeated_over_a_long_history_names_its_first_runs_and_counts_the_rest():
    import pandas as pd

    from nbjournal.analysis.conclusions import repeated_verdicts

    frame = pd.DataFrame({"run_id": range(1, 201), "lr": [0.1] * 200, "verdict": ["refuted"] * 200})
    (sentence,) = repeated_verdicts(frame, ["lr"])
    assert sentence == "lr 0.1 was refuted 200 times (#1, #2, #3, #4, #5 and 195 more)"
    (short,) = repeated_verdicts(frame.head(2), ["lr"])
    assert short == "lr 0.1 was refuted twice (#1, #2)"
