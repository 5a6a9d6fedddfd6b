""" "Needs inference" is one rule: a run has no inference of its own and none on a grid it is a
point of. ``RunSummary.needs_inference`` says it in Python, ``inference:none`` in SQL; on both
databases they find the same runs, before and after the grid's inference, and after it is
withdrawn."""

from __future__ import annotations

from nbjournal.store import Store


def _needing(store: Store) -> tuple[list[int], list[int]]:
    by_rule = sorted(r.id for r in store.list_runs() if r.needs_inference)
    by_query = sorted(r.id for r in store.list_runs(q="inference:none"))
    return by_rule, by_query


def test_inference_none_is_needs_inference_with_a_grids_inference(store: Store) -> None:
    grid_id, _ = store.open_grid(
        experiment="e", fingerprint="g", spec_key="k", spec={"axes": {"a": [1, 2]}}, total=2
    )
    ids = [store.create_run(experiment="e", fingerprint=f"f{i}", params={"a": i}) for i in (1, 2)]
    own = store.create_run(experiment="e", fingerprint="own", params={"a": 3})
    alone = store.create_run(experiment="e", fingerprint="alone", params={"a": 4})
    store.link_grid_runs(grid_id, [(r, i, {"a": i + 1}) for i, r in enumerate(ids)])
    store.add_inference(own, "a=3 is fine", "supported")
    assert _needing(store) == ([*ids, alone], [*ids, alone])

    said = store.add_grid_inference(grid_id, "a barely matters", "refuted")
    assert _needing(store) == ([alone], [alone])
    assert sorted(r.id for r in store.list_runs(q="inference:any")) == sorted([*ids, own])
    point = store.get_run(ids[0])
    assert point.grid_inference is not None and point.grid_inference.verdict == "refuted"
    assert point.verdict is None  # the run's own verdict stays its own

    store.delete_grid_inference(said.id)
    assert _needing(store) == ([*ids, alone], [*ids, alone])
