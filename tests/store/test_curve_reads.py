"""Store.curves: one series of many runs in one read, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from nbjournal.errors import BadInput, UnknownRun
from nbjournal.store import MetricPoint, Store


def test_each_run_its_own_series_in_the_order_asked(store: Store) -> None:
    # Given two runs with per-epoch loss (and a batch loss that must not mix in), one without
    ids = [store.create_run(experiment="e", fingerprint=f"f{i}", code="") for i in range(3)]
    for n, run_id in enumerate(ids[:2]):
        store.add_points(run_id, [MetricPoint("loss", 10 * n + e, step=e, kind="epoch", epoch=e)
                                  for e in range(4)])  # fmt: skip
        store.add_points(
            run_id, [MetricPoint("loss", -1.0, step=s, kind="batch") for s in range(9)]
        )

    # When read newest first
    found = store.curves([ids[2], ids[1], ids[0]], "loss")

    # Then the epoch series of each, in that order, with the runs' start for the time axis
    assert found.kind == "epoch"
    assert [c.run_id for c in found.curves] == [ids[2], ids[1], ids[0]]
    assert found.curves[0].values == () and found.curves[0].started is not None
    assert list(found.curves[1].values) == [10.0, 11.0, 12.0, 13.0]
    assert list(found.curves[2].steps) == [0, 1, 2, 3]
    assert all(t is not None and t >= found.curves[2].started - 1 for t in found.curves[2].times)


def test_an_unknown_run_or_kind_is_refused(store: Store) -> None:
    run_id = store.create_run(experiment="e", fingerprint="f", code="")
    with pytest.raises(UnknownRun, match=f"no run #{run_id + 5}"):
        store.curves([run_id, run_id + 5], "loss")
    with pytest.raises(BadInput, match="kind must be one of epoch, value"):
        store.curves([run_id], "loss", kind="batch")
