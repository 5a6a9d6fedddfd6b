"""A run's life in the journal: created running, finished once, refused bad input."""

from __future__ import annotations

import os
import socket

import pytest

from nbjournal.errors import BadInput, UnknownRun
from nbjournal.store import Store

from .helpers import epochs, new_run


def test_a_new_run_is_running_and_keeps_everything_it_was_given(store: Store) -> None:
    # Given a cell's hypothesis, code, parameters, inputs and environment
    params = {"units": 64, "optimizer": {"class": "Adam", "lr": 1e-3}, "layers": [64, 10]}
    data = [{"name": "X_train", "fingerprint": "abc", "shape": [1437, 64]}]

    # When the run is created
    run_id = store.create_run(
        experiment="  digits-mlp ",
        fingerprint="f" * 64,
        hypothesis="One hidden layer beats logistic regression.",
        code="units = 64\nmodel.fit(X, y)",
        params=params,
        data=data,
        env={"python": "3.11"},
        tags=["baseline", " mlp ", "baseline", ""],
        notebook="digits.ipynb",
    )

    # Then it reads back running, on this host and process, with all of it
    run = store.get_run(run_id)
    assert run.status == "running"
    assert run.experiment == "digits-mlp"
    assert run.ended is None and run.duration is None
    assert run.hypothesis == "One hidden layer beats logistic regression."
    assert run.code == "units = 64\nmodel.fit(X, y)"
    assert run.full_params == params
    assert run.params == {
        "units": 64,
        "optimizer.class": "Adam",
        "optimizer.lr": 1e-3,
        "layers": "[64,10]",
    }
    assert run.data == data
    assert run.env == {"python": "3.11"}
    assert run.tags == ("baseline", "mlp")
    assert run.notebook == "digits.ipynb"
    assert run.fingerprint == "f" * 64
    assert (run.host, run.pid) == (socket.gethostname(), os.getpid())
    assert run.inferences == () and run.inference is None and run.error is None


def test_run_ids_grow(store: Store) -> None:
    first, second = new_run(store), new_run(store)
    assert second > first


@pytest.mark.parametrize("status", ["finished", "failed", "interrupted", "crashed"])
def test_a_run_finishes_with_its_status_and_end_time(store: Store, status: str) -> None:
    # Given a running run
    run_id = new_run(store)
    started = store.get_run(run_id).started

    # When it ends
    error = "ValueError: shapes (32, 10) and (32, 2)" if status == "failed" else None
    store.finish_run(run_id, status, error=error)

    # Then the journal holds its status, end and error
    run = store.get_run(run_id)
    assert run.status == status
    assert run.ended is not None and run.ended >= started
    assert run.duration is not None and run.duration >= 0
    assert run.error == error


@pytest.mark.parametrize("status", ["running", "done", "", "FINISHED"])
def test_a_run_cannot_finish_with_a_status_that_is_not_an_end(store: Store, status: str) -> None:
    run_id = new_run(store)
    with pytest.raises(BadInput, match="cannot finish"):
        store.finish_run(run_id, status)
    assert store.get_run(run_id).status == "running"


@pytest.mark.parametrize("name", ["", "   ", None])
def test_an_experiment_needs_a_name_and_nothing_is_recorded_without_one(
    store: Store, name: str | None
) -> None:
    with pytest.raises(BadInput, match="needs a name"):
        store.create_run(experiment=name, fingerprint="x")  # type: ignore[arg-type]
    assert store.list_runs() == []


def test_a_repeat_points_at_the_run_it_repeats(store: Store) -> None:
    original = new_run(store, fingerprint="same")
    store.finish_run(original, "finished")
    repeat = new_run(store, fingerprint="same", repeat_of=original)
    assert store.get_run(repeat).repeat_of == original
    assert [r.id for r in store.list_runs(fingerprint="same")] == [repeat, original]


def test_update_run_replaces_what_the_run_learnt_while_running(store: Store) -> None:
    # Given a run created with the cell's literal parameters
    run_id = new_run(store, params={"lr": 0.1})

    # When fit reveals more parameters, the inputs and a diagnosis
    store.update_run(
        run_id,
        params={"lr": 0.1, "fit": {"epochs": 30, "batch_size": 32}},
        data=[{"name": "X", "fingerprint": "123"}],
        diagnoses=[{"kind": "plateau", "metric": "val_loss", "epoch": 12}],
    )

    # Then the run shows them, flattened for listings
    run = store.get_run(run_id)
    assert run.params == {"lr": 0.1, "fit.epochs": 30, "fit.batch_size": 32}
    assert run.data == [{"name": "X", "fingerprint": "123"}]
    assert run.diagnoses == [{"kind": "plateau", "metric": "val_loss", "epoch": 12}]


def test_parameters_that_json_cannot_hold_are_kept_as_text(store: Store) -> None:
    run_id = new_run(store, params={"lr": float("nan"), "shape": (8, 8), "f": object})
    params = store.get_run(run_id).full_params
    assert params["lr"] == "nan"
    assert params["shape"] == [8, 8]
    assert params["f"] == "<class 'object'>"


def test_inferences_are_kept_in_order_and_the_latest_is_the_runs_conclusion(store: Store) -> None:
    # Given a finished run
    run_id = new_run(store)
    store.finish_run(run_id, "finished")

    # When two inferences are written, the verdict in any case
    first = store.add_inference(run_id, "  Looks like a plateau.  ", author="ana")
    second = store.add_inference(run_id, "Depth is not the bottleneck.", verdict=" Supported ")

    # Then both are kept, trimmed and normalised; the latest summarises the run
    run = store.get_run(run_id)
    assert [i.text for i in run.inferences] == [
        "Looks like a plateau.",
        "Depth is not the bottleneck.",
    ]
    assert run.inferences[0] == first and first.verdict is None and first.author == "ana"
    assert second.verdict == "supported"
    assert run.inference == second and run.inference_count == 2
    assert store.list_runs()[0].inference == second


@pytest.mark.parametrize("verdict", ["maybe", "true", "supported!"])
def test_a_bad_verdict_is_refused_and_nothing_is_written(store: Store, verdict: str) -> None:
    run_id = new_run(store)
    with pytest.raises(BadInput, match="unknown verdict"):
        store.add_inference(run_id, "A real conclusion.", verdict=verdict)
    assert store.get_run(run_id).inference_count == 0


@pytest.mark.parametrize("text", ["", "  \n\t ", None])
def test_an_inference_needs_text(store: Store, text: str | None) -> None:
    run_id = new_run(store)
    with pytest.raises(BadInput, match="needs some text"):
        store.add_inference(run_id, text, verdict="refuted")  # type: ignore[arg-type]
    assert store.get_run(run_id).inferences == ()


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda s, i: s.get_run(i), id="get_run"),
        pytest.param(lambda s, i: s.finish_run(i, "finished"), id="finish_run"),
        pytest.param(lambda s, i: s.update_run(i, params={"a": 1}), id="update_run"),
        pytest.param(lambda s, i: s.add_inference(i, "text"), id="add_inference"),
        pytest.param(lambda s, i: s.metric_points(i), id="metric_points"),
        pytest.param(lambda s, i: s.add_points(i, epochs("loss", [1.0])), id="add_points"),
    ],
)
def test_an_unknown_run_is_named_in_the_error_and_nothing_changes(store: Store, call) -> None:  # type: ignore[no-untyped-def]
    # Given a journal with one run
    existing = new_run(store)
    missing = existing + 1000

    # When an operation names a run that does not exist
    with pytest.raises(UnknownRun, match=f"no run #{missing}") as raised:
        call(store, missing)

    # Then the error carries the id, and the journal is unchanged
    assert raised.value.run_id == missing
    assert [r.id for r in store.list_runs()] == [existing]
    assert store.list_runs()[0].metrics == {}
