"""A run its grid was concluded about (``POST grids/{id}/inferences``) needs no inference of its
own: ``GET runs`` says the grid's inference on it, and ``inference:none`` (the sidebar's "needs
inference" filter) leaves it out."""

from __future__ import annotations

import json

from nbjournal.store import MetricPoint, Store


def _grid_and_a_run(store: Store) -> tuple[int, list[int], int]:
    """A grid of C in 0.1, 10 (two runs a value) and a run of the same experiment after it."""
    grid_id, _ = store.open_grid(
        experiment="digits-lr", fingerprint="g", spec_key="k", total=2,
        spec={"axes": {"C": [0.1, 10]}, "repeat": 2, "order": ["C"]},
    )  # fmt: skip
    ids = []
    for index, c in enumerate([0.1, 0.1, 10, 10, 1.0]):
        run_id = store.create_run(experiment="digits-lr", fingerprint=f"f{index}", params={"C": c})
        store.add_points(run_id, [MetricPoint("score", 0.9 + c / 1000, 0, "value")])
        store.finish_run(run_id, "finished")
        ids.append(run_id)
    store.link_grid_runs(grid_id, [(r, i // 2, {"C": c}) for i, (r, c) in
                                   enumerate(zip(ids[:4], [0.1, 0.1, 10, 10], strict=True))])  # fmt: skip
    return grid_id, ids[:4], ids[4]


async def test_runs_of_a_concluded_grid_do_not_need_an_inference(store: Store, get_json, api):
    grid_id, points, other = _grid_and_a_run(store)
    needing = await get_json("runs", q="inference:none", experiment="digits-lr")
    assert sorted(r["id"] for r in needing["runs"]) == sorted([*points, other])

    token = (await get_json("changes"))["token"]

    # When the person concludes about the grid as a whole, as the lab does
    body = json.dumps({"text": "C=10 is as good as C=1", "verdict": "supported"})
    posted = await api(f"grids/{grid_id}/inferences", method="POST", body=body)
    assert posted.code == 201

    # Then its runs carry the grid's inference and no longer need one; the other run does
    needing = await get_json("runs", q="inference:none", experiment="digits-lr")
    assert [r["id"] for r in needing["runs"]] == [other]
    listed = {r["id"]: r for r in (await get_json("runs", experiment="digits-lr"))["runs"]}
    for point in points:
        assert listed[point]["inference"] is None
        said = listed[point]["grid_inference"]
        assert (said["grid_id"], said["verdict"], said["text"]) == (
            grid_id, "supported", "C=10 is as good as C=1",
        )  # fmt: skip
    assert listed[other]["grid_inference"] is None
    run = await get_json("runs", points[0])
    assert run["grid_inference"]["grid_id"] == grid_id
    covered = await get_json("runs", q="inference:any", experiment="digits-lr")
    assert sorted(r["id"] for r in covered["runs"]) == sorted(points)
    # and the sidebar's live refresh (the change feed) hears its runs changed, each time
    changed = await get_json("changes", since=token)
    assert sorted(r["id"] for r in changed["runs"]) == sorted(points)
    inference = json.loads(posted.body)["id"]
    edit = json.dumps({"text": "C=10 is no worse"})
    token = changed["token"]
    assert (
        await api(f"grids/{grid_id}/inferences/{inference}", method="PATCH", body=edit)
    ).code == 200
    changed = await get_json("changes", since=token)
    assert {r["grid_inference"]["text"] for r in changed["runs"]} == {"C=10 is no worse"}
    token = changed["token"]
    assert (await api(f"grids/{grid_id}/inferences/{inference}", method="DELETE")).code == 200
    changed = await get_json("changes", since=token)
    assert [r["grid_inference"] for r in changed["runs"]] == [None] * 4
    needing = await get_json("runs", q="inference:none", experiment="digits-lr")
    assert len(needing["runs"]) == 5
