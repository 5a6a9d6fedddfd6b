"""GET changes?since=TOKEN: what the sidebar refreshes while runs are live."""

from __future__ import annotations

import json

from nbjournal.store import MetricPoint, Store

from .helpers import error_of, make_run


async def test_without_a_token_only_the_current_token_is_given(store: Store, get_json) -> None:
    # Given a journal with a run
    make_run(store)

    # When the sidebar starts polling
    body = await get_json("changes")

    # Then it gets a token and no runs
    assert body["runs"] == []
    assert isinstance(body["token"], int)


async def test_changes_after_a_token_are_reported_once(store: Store, api, get_json) -> None:
    # Given an old run and a token taken after it
    old = make_run(store, "digits-mlp")
    token = (await get_json("changes"))["token"]

    # When nothing happens, Then nothing is reported and the token stays
    quiet = await get_json("changes", since=token)
    assert quiet == {"token": token, "runs": []}

    # When a new run starts and records an epoch
    new = make_run(store, "digits-cnn", status="running")
    store.add_points(new, [MetricPoint("loss", 0.7, 0, "epoch", 0)])
    after_run = await get_json("changes", since=token)

    # Then it is reported, live, with its latest metric, and the token moves on
    assert [r["id"] for r in after_run["runs"]] == [new]
    assert after_run["runs"][0]["status"] == "running"
    assert after_run["runs"][0]["metrics"]["loss"]["last"] == 0.7
    assert after_run["token"] > token

    # When someone concludes the old run from the sidebar
    posted = await api(
        "runs", old, "inferences", method="POST", body=json.dumps({"text": "baseline holds"})
    )
    assert posted.code == 201
    after_inference = await get_json("changes", since=after_run["token"])

    # Then only the old run is reported, with its new inference
    assert [r["id"] for r in after_inference["runs"]] == [old]
    assert after_inference["runs"][0]["inference"]["text"] == "baseline holds"
    assert after_inference["token"] > after_run["token"]

    # And the newest token reports nothing more
    assert (await get_json("changes", since=after_inference["token"]))["runs"] == []


async def test_a_finished_run_is_reported(store: Store, get_json) -> None:
    # Given a running run and a token
    run_id = make_run(store, status="running")
    token = (await get_json("changes"))["token"]

    # When it finishes
    store.finish_run(run_id, "finished")

    # Then the change carries the new status
    (changed,) = (await get_json("changes", since=token))["runs"]
    assert changed["id"] == run_id
    assert changed["status"] == "finished"


async def test_an_empty_journal_has_a_token_too(store: Store, get_json) -> None:
    # Given no runs at all
    # When the sidebar polls with and without the token it was given
    token = (await get_json("changes"))["token"]
    body = await get_json("changes", since=token)

    # Then both work and say nothing changed
    assert body["runs"] == []


async def test_a_bad_token_is_refused(store: Store, api) -> None:
    # Given a journal
    make_run(store)

    # When the token is not a number
    for since in ("yesterday", "nan", "inf"):
        response = await api("changes", params={"since": since})

        # Then 400
        assert response.code == 400
        assert "since" in error_of(response)["message"]


async def test_a_token_from_before_the_change_counter_hands_over_a_current_one(
    store: Store, get_json
) -> None:
    # Given a sidebar that still holds a wall-clock token from an older nbjournal
    run_id = make_run(store, status="running")
    token = (await get_json("changes"))["token"]

    # When it polls with it, Then it gets the current token and carries on from there
    assert await get_json("changes", since=1764470000.25) == {"token": token, "runs": []}
    store.finish_run(run_id, "finished")
    assert [r["id"] for r in (await get_json("changes", since=token))["runs"]] == [run_id]
