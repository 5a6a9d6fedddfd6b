"""POST trash, POST trash/restore, GET runs?trashed=true, PATCH runs/{id}/tags."""

from __future__ import annotations

import json

import pytest

from nbjournal.store import Store

from .helpers import error_of, make_run


async def test_a_run_sent_to_the_trash_leaves_the_sidebar_and_comes_back(
    store: Store, api, get_json
) -> None:
    # Given two runs, and the sidebar's change token
    first, second = make_run(store), make_run(store)
    token = (await get_json("changes"))["token"]

    # When the sidebar deletes one
    response = await api("trash", method="POST", body=json.dumps({"runs": [first]}))

    # Then it is gone from the listing, listed in the trash, and the change feed says so
    assert response.code == 200 and json.loads(response.body) == {"trashed": [first]}
    assert [r["id"] for r in (await get_json("runs"))["runs"]] == [second]
    (trashed,) = (await get_json("runs", trashed="true"))["runs"]
    assert trashed["id"] == first and trashed["deleted_at"] is not None
    changed = (await get_json("changes", since=token))["runs"]
    assert [(r["id"], r["deleted_at"] is not None) for r in changed] == [(first, True)]
    assert (await get_json("experiments"))["experiments"][0]["runs"] == 1

    # And the undo brings it back
    response = await api("trash", "restore", method="POST", body=json.dumps({"runs": [first]}))
    assert json.loads(response.body) == {"restored": [first]}
    assert [r["id"] for r in (await get_json("runs"))["runs"]] == [second, first]


async def test_tags_are_edited_from_the_sidebar(store: Store, api, get_json) -> None:
    run_id = make_run(store)
    body = json.dumps({"add": ["keep", "draft"], "remove": []})
    response = await api("runs", run_id, "tags", method="PATCH", body=body)
    assert response.code == 200 and json.loads(response.body)["tags"] == ["draft", "keep"]
    body = json.dumps({"remove": ["draft"]})
    await api("runs", run_id, "tags", method="PATCH", body=body)
    assert (await get_json("runs", run_id))["tags"] == ["keep"]
    assert [r["id"] for r in (await get_json("runs", q="#keep"))["runs"]] == [run_id]


@pytest.mark.parametrize(
    ("path", "method", "body", "code", "says"),
    [
        (("trash",), "POST", {"runs": []}, 400, "must name runs"),
        (("trash",), "POST", {"runs": ["1"]}, 400, "positive integers"),
        (("trash",), "POST", {"runs": [999999]}, 404, "999999"),
        (("trash", "restore"), "POST", {}, 400, "must name runs"),
        (("runs", "999999", "tags"), "PATCH", {"add": ["x"]}, 404, "999999"),
        (("runs", "{run}", "tags"), "PATCH", {"add": "x"}, 400, "lists of tags"),
    ],
)
async def test_bad_requests_change_nothing(store: Store, api, path, method, body, code, says):
    run_id = make_run(store)
    before = store.changes(0)[0]
    parts = [p.format(run=run_id) for p in path]
    response = await api(*parts, method=method, body=json.dumps(body))
    assert response.code == code and says in error_of(response)["message"]
    assert store.changes(0)[0] == before


async def test_trash_needs_the_servers_token(store: Store, jp_fetch) -> None:
    run_id = make_run(store)
    response = await jp_fetch(
        "nbjournal", "api", "trash", method="POST", body=json.dumps({"runs": [run_id]}),
        headers={"Authorization": "token not-the-token"}, raise_error=False,
    )  # fmt: skip
    assert response.code in (401, 403)
    assert store.get_run(run_id).deleted_at is None
