"""``param_rows``: the finished runs a query matches with only the named parameters' values
(the page's group-by reads them so, not the whole documents), on both databases."""

from __future__ import annotations

import json
import uuid

from nbjournal.store import MetricPoint, Store
from nbjournal.store.repeats import param_rows, repeat_rows

PARAMS = [
    {"lr": 0.003, "act": "relu", "deep": True, "units": 64, "note": None},
    {"lr": 1e-4, "act": "tanh", "deep": False, "units": 64.0},
    {"lr": 2, "act": "0.5", "units": -3},
]


def test_it_reads_each_value_as_the_document_holds_it(store: Store) -> None:
    ids = []
    for params in PARAMS:
        run_id = store.create_run(experiment="e", fingerprint=uuid.uuid4().hex, params=params)
        store.add_points(run_id, [MetricPoint("val_accuracy", 0.5, 0, "epoch", 0)])
        store.finish_run(run_id, "finished")
        ids.append(run_id)
    store.finish_run(store.create_run(experiment="e", fingerprint="f", params={}), "failed")
    names = ["lr", "act", "deep", "units", "note", "absent"]

    found = param_rows(store, "e", names)

    assert found is not None and [run_id for run_id, _ in found.runs] == ids
    documents = [json.loads(r[4]) for r in repeat_rows(store, "e").runs]
    for (_, texts), document in zip(found.runs, documents, strict=True):
        values = [None if t is None else json.loads(t) for t in texts]
        expected = [document.get(n) for n in names]
        assert values == expected
        assert [type(v) for v in values] == [type(v) for v in expected]
    assert sorted(m[0] for m in found.metrics) == ids
    # a query narrows them; a name no JSON path spells is left to the documents
    narrowed = param_rows(store, "e", ["act"], q="act=relu")
    assert narrowed is not None and [r[1] for r in narrowed.runs] == [('"relu"',)]
    assert param_rows(store, "e", ['a"b']) is None
    assert param_rows(store, "e", ["λ"]) is None
