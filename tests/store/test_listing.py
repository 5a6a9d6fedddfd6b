"""Listing runs: filters, search, paging, the DataFrame rows, experiments and changes."""

from __future__ import annotations

from typing import Any

import pytest

from nbjournal.errors import BadInput
from nbjournal.store import Store
from nbjournal.store.listing import MISSING

from .helpers import epochs, ids, new_run, record


@pytest.fixture
def lab(store: Store) -> dict[str, int]:
    """Five runs over two experiments, with tags, statuses, hypotheses and inferences."""
    runs = {
        "mlp": new_run(store, "digits-mlp", hypothesis="One hidden layer of 64 units", tags=["baseline"]),
        "deep": new_run(store, "digits-mlp", hypothesis="Three layers reach 50% faster", tags=["deep", "Wide_Net"]),
        "logreg": new_run(store, "digits-logreg", hypothesis="A linear model is enough"),
        "cnn": new_run(store, "Digits-CNN", hypothesis="Convolutions see strokes", tags=["baseline"]),
        "live": new_run(store, "digits-logreg", hypothesis="More regularisation"),
    }  # fmt: skip
    store.finish_run(runs["mlp"], "finished")
    store.finish_run(runs["deep"], "failed", error="OOM")
    store.finish_run(runs["logreg"], "finished")
    store.finish_run(runs["cnn"], "interrupted")
    store.add_inference(runs["logreg"], "Underfits: accuracy plateaus at 500 samples")
    store.add_inference(runs["mlp"], "Depth is NOT the bottleneck", verdict="supported")
    return runs


def test_runs_are_listed_newest_first(store: Store, lab: dict[str, int]) -> None:
    assert ids(store.list_runs()) == sorted(lab.values(), reverse=True)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"experiment": "digits-mlp"}, ["deep", "mlp"]),
        ({"experiment": "digits"}, []),
        ({"status": "finished"}, ["logreg", "mlp"]),
        ({"status": "running"}, ["live"]),
        ({"tag": "baseline"}, ["cnn", "mlp"]),
        ({"tag": "Baseline"}, []),
        ({"experiment": "digits-mlp", "status": "finished", "tag": "baseline"}, ["mlp"]),
        ({"experiment": "digits-mlp", "tag": "deep", "status": "finished"}, []),
    ],
)
def test_filters_select_exactly_the_matching_runs(
    store: Store, lab: dict[str, int], filters: dict[str, Any], expected: list[str]
) -> None:
    assert ids(store.list_runs(**filters)) == [lab[name] for name in expected]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        pytest.param("cnn", ["cnn"], id="experiment-name-any-case"),
        pytest.param("DIGITS-", ["live", "cnn", "logreg", "deep", "mlp"], id="name-prefix"),
        pytest.param("hidden LAYER", ["mlp"], id="hypothesis"),
        pytest.param("not the bottleneck", ["mlp"], id="inference"),
        pytest.param("wide_net", ["deep"], id="tag"),
        pytest.param("50%", ["deep"], id="percent-is-literal"),
        pytest.param("%", ["deep"], id="lone-percent"),
        pytest.param("e_n", ["deep"], id="underscore-is-literal"),
        pytest.param("_", ["deep"], id="lone-underscore"),
        pytest.param("5_0", [], id="underscore-matches-no-char"),
        pytest.param("\\", [], id="backslash"),
        pytest.param("no such words", [], id="nothing"),
    ],
)
def test_search_is_case_insensitive_and_takes_wildcards_literally(
    store: Store, lab: dict[str, int], q: str, expected: list[str]
) -> None:
    assert ids(store.list_runs(q=q)) == [lab[name] for name in expected]


def test_search_combines_with_filters(store: Store, lab: dict[str, int]) -> None:
    assert ids(store.list_runs(q="digits", status="finished")) == [lab["logreg"], lab["mlp"]]


def test_an_unknown_status_is_refused(store: Store, lab: dict[str, int]) -> None:
    with pytest.raises(BadInput, match="unknown status 'done'"):
        store.list_runs(status="done")
    with pytest.raises(BadInput, match="unknown status"):
        store.runs_table(status="done")


def test_paging_with_before_visits_every_run_once(store: Store) -> None:
    # Given 25 runs
    created = [new_run(store, "grid") for _ in range(25)]

    # When they are read ten at a time, each page starting before the last id seen
    pages, cursor = [], None
    while True:
        page = ids(store.list_runs(experiment="grid", limit=10, before=cursor))
        if not page:
            break
        pages.append(page)
        cursor = page[-1]

    # Then the pages are 10, 10 and 5 runs, newest first, covering all runs exactly once
    assert [len(p) for p in pages] == [10, 10, 5]
    assert [run_id for page in pages for run_id in page] == sorted(created, reverse=True)


def test_a_listed_run_carries_its_summary(store: Store, lab: dict[str, int]) -> None:
    record(store, lab["mlp"], {"val_accuracy": [0.9, 0.95, 0.93]})
    run = store.list_runs(ids=[lab["mlp"]])[0]
    assert run.metrics["val_accuracy"].best == 0.95
    assert run.inference is not None and run.inference.verdict == "supported"
    assert run.inference_count == 1
    assert run.tags == ("baseline",)


def test_runs_table_returns_the_columns_of_the_dataframe(store: Store, lab: dict[str, int]) -> None:
    # Given metrics on two runs and a second inference on one of them
    record(store, lab["mlp"], {"loss": [0.5, 0.3], "val_accuracy": [0.9, 0.95]})
    record(store, lab["logreg"], {"loss": [0.8]})
    store.add_inference(lab["logreg"], "More data would help", verdict="inconclusive")

    # When the table is read
    table = store.runs_table()

    # Then it has every run newest first, the final metrics, and only the latest inference
    assert table.id == sorted(lab.values(), reverse=True)
    row = {run_id: i for i, run_id in enumerate(table.id)}
    assert table.hypothesis[row[lab["deep"]]] == "Three layers reach 50% faster"
    assert table.status[row[lab["deep"]]] == "failed"
    assert table.tags[row[lab["deep"]]] == ("Wide_Net", "deep")
    assert sorted(table.metrics) == ["loss", "val_accuracy"]
    finals = {
        (run_id, name): values[row[run_id]]
        for name, values in table.metrics.items()
        for run_id in lab.values()
        if values[row[run_id]] is not MISSING
    }
    assert finals == {
        (lab["mlp"], "loss"): 0.3,
        (lab["mlp"], "val_accuracy"): 0.95,
        (lab["logreg"], "loss"): 0.8,
    }
    concluded = {
        run_id: (table.inference[i], table.verdict[i])
        for i, run_id in enumerate(table.id)
        if table.inference[i] is not None
    }
    assert concluded == {
        lab["mlp"]: ("Depth is NOT the bottleneck", "supported"),
        lab["logreg"]: ("More data would help", "inconclusive"),
    }


def test_runs_table_filters_like_list_runs(store: Store, lab: dict[str, int]) -> None:
    record(store, lab["mlp"], {"loss": [0.5]})
    record(store, lab["cnn"], {"loss": [0.7]})
    table = store.runs_table(experiment="digits-mlp", status="finished")
    assert table.id == [lab["mlp"]]
    assert table.metrics == {"loss": [0.5]}
    assert table.inference == ["Depth is NOT the bottleneck"]
    table = store.runs_table(tag="baseline")
    assert table.id == [lab["cnn"], lab["mlp"]]
    assert table.metrics == {"loss": [0.7, 0.5]}


def test_runs_table_follows_every_change_of_every_run(store: Store) -> None:
    # Given a listing read once
    first = new_run(store, "a", params={"units": 64, "lr": 0.01})
    assert store.runs_table().id == [first]

    # When runs are added, change, gain parameters and metrics, and are concluded
    second = new_run(store, "b", params={"units": 32})
    store.add_points(first, epochs("loss", [0.5, 0.25]))
    store.update_run(second, params={"units": 32, "optimizer": {"class": "Adam"}})
    store.finish_run(first, "finished")
    store.add_inference(second, "Adam helps", verdict="supported")
    table = store.runs_table()

    # Then the listing shows each change, as a fresh read of the journal would
    assert table.id == [second, first]
    assert table.status == ["running", "finished"]
    assert table.params == {
        "units": [32, 64],
        "optimizer.class": ["Adam", MISSING],
        "lr": [MISSING, 0.01],
    }
    assert table.metrics == {"loss": [MISSING, 0.25]}
    assert table.inference == ["Adam helps", None]
    store._listing = type(store._listing)()  # a process that never listed this journal
    assert store.runs_table() == table


def test_experiments_are_summarised_with_their_best_run(store: Store, lab: dict[str, int]) -> None:
    # Given accuracies on the two MLP runs and a loss on one logistic regression
    record(store, lab["mlp"], {"val_accuracy": [0.90, 0.97, 0.95], "val_loss": [0.3, 0.1, 0.2]})
    record(store, lab["deep"], {"val_accuracy": [0.93, 0.96]})
    record(store, lab["logreg"], {"val_loss": [0.5, 0.4]})
    store.add_inference(lab["live"], "still going")  # the latest activity

    # When the experiments are listed
    experiments = {e.name: e for e in store.experiments()}

    # Then each has its run counts, and its best run on its headline metric
    assert set(experiments) == {"digits-mlp", "digits-logreg", "Digits-CNN"}
    mlp = experiments["digits-mlp"]
    assert (mlp.runs, mlp.running) == (2, 0)
    assert (mlp.best_metric, mlp.best_value, mlp.best_run) == ("val_accuracy", 0.97, lab["mlp"])
    logreg = experiments["digits-logreg"]
    assert (logreg.runs, logreg.running) == (2, 1)
    assert (logreg.best_metric, logreg.best_value, logreg.best_run) == (
        "val_loss",
        0.4,
        lab["logreg"],
    )
    cnn = experiments["Digits-CNN"]
    assert (cnn.best_metric, cnn.best_value, cnn.best_run) == (None, None, None)
    assert store.experiments()[0].name == "digits-logreg"  # most recent activity first
    assert [e.last_activity for e in store.experiments()] == sorted(
        (e.last_activity for e in experiments.values()), reverse=True
    )


def test_an_empty_journal_lists_nothing(store: Store) -> None:
    assert store.list_runs() == []
    assert store.experiments() == []
    table = store.runs_table()
    assert (table.id, table.params, table.metrics) == ([], {}, {})


def test_changes_tokens_report_each_change_once(store: Store) -> None:
    # Given two runs and a token taken after them
    quiet, busy = new_run(store, "a"), new_run(store, "b")
    token, changed = store.changes(None)
    assert changed == []

    # When nothing happens, nothing is reported
    same_token, changed = store.changes(token)
    assert (same_token, changed) == (token, [])

    # When one run records points, it is reported, with its new summary
    store.add_points(busy, epochs("loss", [0.4]))
    token, changed = store.changes(token)
    assert ids(changed) == [busy]
    assert changed[0].metrics["loss"].last == 0.4

    # When both change (an inference, then an end), both are reported, newest first
    store.add_inference(quiet, "Noted.")
    store.finish_run(busy, "finished")
    token, changed = store.changes(token)
    assert ids(changed) == [busy, quiet]
    assert {r.id: r.status for r in changed} == {busy: "finished", quiet: "running"}

    # And the newest token reports nothing new
    assert store.changes(token)[1] == []


def test_a_writer_whose_clock_is_behind_is_still_reported(
    journal_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two hosts on one journal: the feed follows the database's order, not their clocks."""
    import time

    # Given a reader with a token, and a second kernel whose clock is an hour behind
    reader, writer = Store(journal_url), Store(journal_url)
    try:
        run_id = new_run(reader, "digits-mlp")
        reader.add_points(run_id, epochs("loss", [0.9]))
        token, _ = reader.changes(None)
        real_time = time.time

        # When the late writer records a run and a point of the reader's run
        with monkeypatch.context() as late:
            late.setattr(time, "time", lambda: real_time() - 3600.0)
            late_run = new_run(writer, "digits-cnn")
            writer.add_points(run_id, epochs("loss", [0.5], first_epoch=1))
        after, changed = reader.changes(token)

        # Then the reader sees both, though their times are older than its token's
        assert after > token
        assert ids(changed) == [late_run, run_id]
        assert {r.id: r.metrics["loss"].last for r in changed if r.metrics} == {run_id: 0.5}
        assert reader.get_run(late_run).started < reader.get_run(run_id).started
        # And the late writer's next change is reported too, once
        with monkeypatch.context() as late:
            late.setattr(time, "time", lambda: real_time() - 3600.0)
            writer.finish_run(late_run, "finished")
        latest, changed = reader.changes(after)
        assert [(r.id, r.status) for r in changed] == [(late_run, "finished")]
        assert reader.changes(latest) == (latest, [])
    finally:
        writer.close()
        reader.close()


def test_a_token_this_journal_never_gave_hands_over_the_current_one(store: Store) -> None:
    # Given a journal with a change, and a wall-clock token from before the change counter
    new_run(store)
    token, _ = store.changes(None)

    # When a client asks with that token, Then it gets the current token and no runs
    assert store.changes(1_764_470_000) == (token, [])
    # And from the current token it carries on
    later = new_run(store)
    assert ids(store.changes(token)[1]) == [later]
