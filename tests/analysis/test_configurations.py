"""Configurations and repeats, and runs compared by the one rule, through the public API."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from IPython.utils.capture import capture_output

from nbjournal.analysis.repeats import add_seed_params
from nbjournal.errors import UnknownRun
from nbjournal.rules.seeds import code_key, is_seed_like, split_seeds

from .synthetic import add_run

SIGMA = 0.01


def test_the_seed_rule_reads_flattened_names_and_code() -> None:
    assert is_seed_like("seed") and is_seed_like("RandomForestClassifier.random_state")
    assert is_seed_like("model.rng") and not is_seed_like("seeds_used")
    assert is_seed_like("trial", extra=["trial"]) and not is_seed_like("trial")
    settings, seeds = split_seeds({"lr": 0.1, "seed": 3, "clf.random_state": 1})
    assert settings == {"lr": 0.1} and seeds == {"seed": 3, "clf.random_state": 1}
    # a cell that only assigns another seed is the same configuration's code
    assert code_key("seed = 1\nfit(lr)") == code_key("seed = 2\nfit(lr)")
    assert code_key("lr = 1\nfit(lr)") != code_key("lr = 2\nfit(lr)")


def _two_configurations(journal: Any, shift: float, seeds: int = 5) -> tuple[list[int], list[int]]:
    rng = np.random.default_rng(1)
    small, large = [], []
    for seed in range(seeds):
        small.append(
            add_run(journal.store, "e", {"units": 64, "seed": seed}, 0.95 + rng.normal(0, SIGMA))
        )
        large.append(add_run(journal.store, "e", {"units": 128, "seed": seed}, 0.95 + shift + rng.normal(0, SIGMA)))  # fmt: skip
    return small, large


def test_configurations_group_repeats_with_their_interval(journal: Any) -> None:
    # Given two configurations of five seeds each, and a single run of a third
    small, large = _two_configurations(journal, shift=5 * SIGMA)
    single = add_run(journal.store, "e", {"units": 32}, 0.9)
    # When
    frame = journal.configurations("e")
    # Then one row each, best first by the metric of record, with n, mean, std, interval
    assert list(frame["configuration"]) == [large[0], small[0], single]
    assert list(frame["n"]) == [5, 5, 1]
    assert frame.loc[0, "runs"] == large and frame.loc[0, "seeds"] == [0, 1, 2, 3, 4]
    assert list(frame["param.units"]) == [128, 64, 32]
    row = frame.loc[1]
    values = [journal.runs().set_index("id").loc[i, "metric.val_accuracy"] for i in small]
    assert row["metric.val_accuracy.mean"] == pytest.approx(np.mean(values))
    assert row["metric.val_accuracy.std"] == pytest.approx(np.std(values, ddof=1))
    assert (
        row["metric.val_accuracy.low"]
        < row["metric.val_accuracy.mean"]
        < row["metric.val_accuracy.high"]
    )
    assert np.isnan(frame.loc[2, "metric.val_accuracy.low"])
    assert frame.attrs["ranked_by"].startswith("ranked by val_accuracy (higher is better")


def test_a_declared_seed_param_makes_runs_repeats(journal: Any) -> None:
    for trial in range(3):
        add_run(journal.store, "t", {"lr": 0.1, "trial": trial}, 0.9 + trial / 100)
    assert list(journal.configurations("t")["n"]) == [1, 1, 1]
    add_seed_params(journal.store, "t", ["trial"])
    assert list(journal.configurations("t")["n"]) == [3]


def test_compare_pairs_repeats_by_seed_and_says_better(journal: Any) -> None:
    small, large = _two_configurations(journal, shift=5 * SIGMA)
    result = journal.compare(large, small)
    assert result.verdict == "better" and result.paired
    assert (result.n_a, result.n_b) == (5, 5) and result.needed is None
    assert result.interval[0] > 0 and result.difference == pytest.approx(5 * SIGMA, abs=2 * SIGMA)
    assert str(result).startswith("val_accuracy +0.0")
    assert journal.compare(small, large).verdict == "worse"


def test_compare_of_seed_only_differences_is_within_noise(journal: Any) -> None:
    small, large = _two_configurations(journal, shift=0.0, seeds=20)
    assert journal.compare(large, small).verdict == "within noise"


def test_single_runs_borrow_noise_from_the_nearest_repeats(journal: Any) -> None:
    small, _ = _two_configurations(journal, shift=0.0)
    lone = add_run(journal.store, "e", {"units": 256}, 0.951)
    result = journal.compare(lone, small[0])
    assert result.n_a == 1 and result.n_b == 1
    assert result.result.borrowed == f"configuration #{small[0]}"
    assert "noise borrowed from configuration" in str(result)
    assert not result.result.decided


def test_single_runs_without_repeats_say_how_to_tell(journal: Any) -> None:
    a = add_run(journal.store, "f", {"units": 1}, 0.9)
    b = add_run(journal.store, "f", {"units": 2}, 0.8)
    result = journal.compare(a, b)
    assert result.verdict == "needs 2 more repeats"
    assert "no repeats: run `--repeat 3` to tell" in str(result)


def test_compare_refuses_an_unknown_run(journal: Any) -> None:
    a = add_run(journal.store, "f", {"units": 1}, 0.9)
    with pytest.raises(UnknownRun, match="no run #99"):
        journal.compare(a, 99)


def test_journal_compare_shows_the_same_object(shell: Any, journal: Any) -> None:
    small, large = _two_configurations(journal, shift=5 * SIGMA)
    a, b = ",".join(map(str, large)), ",".join(map(str, small))
    with capture_output() as magic:
        shell.run_line_magic("journal", f"compare {a} {b}")
    with capture_output() as python:
        shell.run_cell(f"import nbjournal\nnbjournal.Journal().compare([{a}], [{b}])")
    # the verdicts and parameters, then the curves, from both
    assert [o.data["text/plain"] for o in magic.outputs] == [
        o.data["text/plain"] for o in python.outputs
    ]
    table = magic.outputs[0].data
    assert table["text/plain"] == journal.compare(large, small).text()
    assert "val_accuracy" in table["text/plain"] and ": better" in table["text/plain"]
    assert "ranked by val_accuracy" in table["text/html"]
    assert "image/svg+xml" in magic.outputs[1].data


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("compare 1", "two runs at least"),
        ("compare 1 2 --min-effect abc", "--min-effect takes a number"),
        ("compare 1 2 --min-effect -1", "positive number"),
        ("compare 1 2 --metric", "--metric needs a value"),
        ("compare 1 x", "not a run id"),
    ],
)
def test_journal_compare_bad_input_is_one_line(shell: Any, line: str, message: str) -> None:
    from IPython.core.error import UsageError

    with pytest.raises(UsageError, match=message):
        shell.run_line_magic("journal", line)


def test_a_trashed_repeat_is_not_counted_in_the_closest_run_noise(journal: Any) -> None:
    from nbjournal.store.repeats import twin_rows

    # Given five repeats of one configuration, one of them an outlier later trashed
    ids = [add_run(journal.store, "t", {"units": 64, "seed": s}, 0.9) for s in range(4)]
    outlier = add_run(journal.store, "t", {"units": 64, "seed": 4}, 0.1)
    assert [r[0] for r in twin_rows(journal.store, ids[0], "val_accuracy").runs] == [
        *ids,
        outlier,
    ]
    # When it is trashed
    journal.store.trash([outlier])
    # Then the noise of the configuration (the closest-run line's) leaves it out
    assert [r[0] for r in twin_rows(journal.store, ids[0], "val_accuracy").runs] == ids


def test_ranking_many_groups_in_batches_says_what_each_pair_comparison_says():
    """rank_groups compares the best with each group in batches of one size (10,000 single
    runs in a fraction of a second); each verdict is compare_values' on that pair."""
    import numpy as np

    from nbjournal.analysis.comparison import compare_values
    from nbjournal.analysis.configurations import _pooled_noise, rank_groups

    rng = np.random.default_rng(3)
    for top_size, pooled in ((3, True), (1, True), (1, False)):
        sizes = [1] * 40 + ([2] * 10 + [3] * 10 + [5] * 5 if pooled else [])
        groups = [rng.normal(0.8 + 0.01 * (i % 7), 0.01, size) for i, size in enumerate(sizes)]
        groups.append(np.full(top_size, 0.99) + rng.normal(0, 0.002, top_size))  # the best
        ranking = rank_groups(groups)
        assert ranking.best == len(groups) - 1
        noise = _pooled_noise([g for g in groups if len(g)])
        for i, group in enumerate(groups[:-1]):
            expected = compare_values(groups[-1], group, noise=noise).verdict
            assert ranking.verdicts[i] == expected, (top_size, pooled, i)
