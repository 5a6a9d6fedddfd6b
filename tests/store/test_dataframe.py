"""``Journal().runs()``, served from the kept listing, equals a plain reading of the tables."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from nbjournal.journal import Journal
from nbjournal.store import Store

from .helpers import epochs, new_run, record


def plain_reading(store: Store, **filters: Any) -> pd.DataFrame:
    """The listing as pandas reads it from the tables, one record per run (the old way)."""
    query = "SELECT id, experiment, status, started, ended, hypothesis, params_flat, tags, repeat_of FROM runs"
    with store.engine.connect() as connection:
        runs = connection.execute(sa.text(query + " ORDER BY id DESC")).all()
        if filters.get("experiment"):
            runs = [r for r in runs if r.experiment == filters["experiment"]]
        if filters.get("status"):
            runs = [r for r in runs if r.status == filters["status"]]
        if filters.get("tag"):
            runs = [r for r in runs if filters["tag"] in json.loads(r.tags)]
        listed = {r.id for r in runs}
        metrics = [
            m
            for m in connection.execute(sa.text("SELECT run_id, name, last FROM latest_metrics"))
            if m.run_id in listed
        ]
        inferences = connection.execute(
            sa.text(
                "SELECT run_id, text, verdict FROM inferences WHERE id IN "
                "(SELECT MAX(id) FROM inferences GROUP BY run_id)"
            )
        ).all()
    frame = pd.DataFrame(
        [tuple(r[:6]) for r in runs],
        columns=["id", "experiment", "status", "started", "ended", "hypothesis"],
    )
    frame["duration"] = pd.to_timedelta(frame["ended"] - frame["started"], unit="s")
    frame["started"] = pd.to_datetime(frame["started"], unit="s", utc=True)
    frame["tags"] = [json.loads(r.tags) for r in runs]
    frame["repeat_of"] = pd.array([r.repeat_of for r in runs], dtype="Int64")
    frame = frame[
        ["id", "experiment", "status", "started", "duration", "hypothesis", "tags", "repeat_of"]
    ]
    records = [json.loads(r.params_flat) for r in runs]
    params = pd.DataFrame(
        {
            f"param.{name}": _documented(records, name)
            for name in dict.fromkeys(name for record in records for name in record)
        }
    )
    if metrics:
        long = pd.DataFrame([tuple(m) for m in metrics], columns=["run_id", "name", "last"])
        wide = long.pivot(index="run_id", columns="name", values="last")
        wide.columns = [f"metric.{c}" for c in wide.columns]
        finals = wide.reindex(frame["id"].to_numpy()).reset_index(drop=True)
    else:
        finals = pd.DataFrame(index=range(len(frame)))
    parts = [frame, params.set_index(frame.index)] if len(params.columns) else [frame]
    frame = pd.concat([*parts, finals.set_index(frame.index)], axis=1)
    inferences = [i for i in inferences if i.run_id in listed]
    frame["inference"] = frame["id"].map(pd.Series({i[0]: i[1] for i in inferences}, dtype=object))
    frame["verdict"] = frame["id"].map(pd.Series({i[0]: i[2] for i in inferences}, dtype=object))
    return frame


FILTERS: list[dict[str, str]] = [
    {},
    {"experiment": "digits-mlp"},
    {"experiment": "digits-cnn"},
    {"status": "finished"},
    {"status": "running"},
    {"tag": "baseline"},
    {"experiment": "digits-mlp", "status": "failed"},
    {"experiment": "nothing-here"},
]


def _documented(records: list[dict[str, Any]], name: str) -> pd.Series:
    """A parameter's column as the README documents it: integers with runs lacking them are
    ``Int64`` (``<NA>``); an explicit ``None`` is kept as ``None`` (object); else pandas'."""
    values = [r.get(name, pd.NA) for r in records]
    present = [r[name] for r in records if name in r]
    ints = [v for v in present if v is not None]
    lacking = len(present) < len(records)
    if ints and lacking and None not in present and all(type(v) is int for v in ints):
        return pd.Series(values, dtype="Int64")
    if None in present and all(type(v) in (int, float) for v in ints):
        return pd.Series([np.nan if v is pd.NA else v for v in values], dtype=object)
    return pd.Series([np.nan if v is pd.NA else v for v in values])


def _assert_same(store: Store) -> None:
    journal = Journal(store.url)
    for filters in FILTERS:
        pd.testing.assert_frame_equal(journal.runs(**filters), plain_reading(store, **filters))


def test_the_listing_equals_a_plain_reading_through_every_change(store: Store) -> None:
    # Given an empty journal, then runs of every shape of parameter, metric and status
    _assert_same(store)
    a = new_run(
        store, "digits-mlp", params={"units": 64, "lr": 1e-3, "flag": True}, tags=["baseline"]
    )
    _assert_same(store)
    b = new_run(store, "digits-mlp", params={"units": 32, "name": "wide", "layers": [1, 2]})
    c = new_run(store, "digits-cnn", params={"kernel": 3, "lr": None}, repeat_of=a)
    record(store, a, {"loss": [0.5, 0.25], "val_accuracy": [0.9, 0.95]})
    record(store, c, {"loss": [float("nan")]})
    _assert_same(store)

    # When they finish, fail, change their parameters and are concluded (listed in between)
    store.finish_run(a, "finished")
    store.finish_run(b, "failed", error="OOM")
    store.update_run(c, params={"kernel": 5, "optimizer": {"class": "Adam", "lr": 0.1}})
    store.add_inference(a, "Depth does not matter", verdict="supported")
    store.add_inference(a, "Actually it does", verdict="refuted")
    _assert_same(store)
    d = new_run(store, "digits-cnn", params={"units": "64"}, tags=["baseline", "x"])
    store.add_points(d, epochs("val_accuracy", [0.5]))
    store.add_inference(c, "Noisy")

    # Then every listing, filtered or not, is what a plain reading of the tables gives
    _assert_same(store)
    # And a process that never listed this journal reads the same from scratch
    Journal(store.url).store._listing = type(store._listing)()
    _assert_same(store)
