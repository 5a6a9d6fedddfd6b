"""The store's reads behind the nearest run and insights, on both backends."""

from __future__ import annotations

from nbjournal.store import MetricPoint, Store
from nbjournal.store.serialize import setting_fragments

from .helpers import new_run


def finished(store: Store, experiment: str, params: dict, value: float, **fields) -> int:
    run_id = new_run(store, experiment, params=params, **fields)
    store.add_points(run_id, [MetricPoint("val_accuracy", value, 0, "epoch", 0)])
    store.finish_run(run_id, "finished")
    return run_id


def test_candidates_come_from_the_experiment_and_the_same_data_newest_first(store: Store):
    a = finished(store, "mlp", {"lr": 0.1}, 0.9, data_fingerprint="d1")
    b = finished(store, "cnn", {"lr": 0.2}, 0.8, data_fingerprint="d1")
    finished(store, "other", {"lr": 0.3}, 0.7, data_fingerprint="d2")
    new_run(store, "mlp", params={"lr": 0.4})  # still running: never a candidate
    rows = store.nearest_candidates("mlp", "d1")
    assert [(r[0], r[1]) for r in rows] == [(b, "cnn"), (a, "mlp")]
    assert [r[0] for r in store.nearest_candidates("mlp", None, window=1)] == [a]


def test_settings_are_found_in_the_stored_parameters_exactly(store: Store):
    finished(store, "mlp", {"lr": 0.1, "units": 64}, 0.9)
    refuted = finished(store, "mlp", {"lr": 0.01, "units": 64}, 0.5)
    store.add_inference(refuted, "too small", "refuted")
    lr_01 = setting_fragments("lr", 0.01)
    units = setting_fragments("units", 64)
    # 0.1 is a prefix of 0.01's text nowhere, and 0.01 is not 0.1
    assert store.runs_missing("mlp", [lr_01, units, setting_fragments("lr", 0.1)]) == [1, 0, 1]
    found = store.refuted_inferences("mlp", holding=[lr_01, units])
    assert [i.run_id for i in found] == [refuted]
    assert store.refuted_inferences("mlp", holding=[setting_fragments("lr", 0.1)]) == []


def test_history_reads_finished_runs_their_metrics_and_every_inference(store: Store):
    first = finished(store, "mlp", {"lr": 0.1}, 0.9, data_fingerprint="d1")
    other = finished(store, "cnn", {"k": 3}, 0.8, data_fingerprint="d1")
    store.add_inference(first, "fine", "supported")
    store.add_inference(first, "on second thought", "inconclusive")
    history = store.history("mlp")
    assert [r.id for r in history.runs] == [first]
    assert history.metrics == [(first, "val_accuracy", 0.9)]
    assert [i.text for i in history.inferences] == ["on second thought", "fine"]
    widened = store.history("mlp", same_data=True)
    assert [r.id for r in widened.runs] == [first, other]
