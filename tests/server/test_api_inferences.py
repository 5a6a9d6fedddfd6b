"""POST runs/{id}/inferences: a conclusion written from the sidebar."""

from __future__ import annotations

import json

import pytest

from nbjournal.store import Store

from .helpers import error_of, make_run


async def test_posted_inference_is_stored_and_shown(store: Store, api, get_json) -> None:
    # Given a finished run without a conclusion
    run_id = make_run(store)

    # When the user writes one in the sidebar
    response = await api(
        "runs", run_id, "inferences",
        method="POST",
        body=json.dumps({"text": "  The MLP reached 97.2 %; depth is not the bottleneck.  ", "verdict": "Supported"}),
    )  # fmt: skip

    # Then it is created (201) and returned as stored
    assert response.code == 201
    created = json.loads(response.body)
    assert set(created) == {
        "id", "run_id", "text", "verdict", "created", "author", "evidence", "edited",
    }  # fmt: skip
    assert created["evidence"] is None  # posted: no runs named, no evidence
    assert created["run_id"] == run_id
    assert created["text"] == "The MLP reached 97.2 %; depth is not the bottleneck."
    assert created["verdict"] == "supported"
    # And the run and the listing show it
    run = await get_json("runs", run_id)
    assert run["inferences"] == [created]
    assert run["inference"] == created
    (summary,) = (await get_json("runs"))["runs"]
    assert summary["inference"] == created
    assert summary["inference_count"] == 1
    # And it is in the journal itself, for kernels to read
    assert [i.text for i in store.get_run(run_id).inferences] == [created["text"]]


async def test_verdict_may_be_null_or_absent(store: Store, api) -> None:
    # Given a run
    run_id = make_run(store)

    # When inferences come without a verdict
    for body in ({"text": "too early to say", "verdict": None}, {"text": "still unclear"}):
        response = await api("runs", run_id, "inferences", method="POST", body=json.dumps(body))

        # Then they are stored with none
        assert response.code == 201
        assert json.loads(response.body)["verdict"] is None
    assert store.get_run(run_id).inference_count == 2


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (json.dumps({"text": "sure", "verdict": "proven"}), "verdict"),
        (json.dumps({"text": "", "verdict": "supported"}), "text"),
        (json.dumps({"text": "   \n", "verdict": None}), "text"),
        (json.dumps({"verdict": "supported"}), "text"),
        (json.dumps({"text": 42}), "text"),
        (json.dumps({"text": "ok", "verdict": 1}), "verdict"),
        ("{not json", "JSON"),
        ("", "JSON"),
        (json.dumps(["text", "supported"]), "object"),
    ],
)
async def test_bad_inference_is_refused_and_changes_nothing(
    store: Store, api, body: str, words: str
) -> None:
    # Given a run
    run_id = make_run(store)
    before = store.get_run(run_id)

    # When a malformed inference is posted
    response = await api(
        "runs", run_id, "inferences", method="POST", body=body, allow_nonstandard_methods=True
    )

    # Then 400 explains it, and the run is untouched
    assert response.code == 400
    assert words in error_of(response)["message"]
    after = store.get_run(run_id)
    assert after.inference_count == 0
    assert after.updated == before.updated


async def test_inference_on_an_unknown_run_is_404(store: Store, api) -> None:
    # Given a journal with one run
    run_id = make_run(store)

    # When an inference is posted to another
    response = await api(
        "runs", run_id + 1, "inferences", method="POST", body=json.dumps({"text": "hm"})
    )

    # Then 404, and nothing was written
    assert response.code == 404
    assert f"no run #{run_id + 1}" in error_of(response)["message"]
    assert store.get_run(run_id).inference_count == 0


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b'{"text": "\\ud800"}', id="lone-surrogate"),
        pytest.param(b"[" * 100_000 + b"]" * 100_000, id="nested-100000-deep"),
        pytest.param(b'{"text": "a\\u0000b"}', id="nul"),
    ],
)
async def test_malformed_bodies_are_the_clients_error(store: Store, api, body: bytes) -> None:
    # Given a run, When a body no journal can take is posted
    run_id = make_run(store)
    response = await api("runs", run_id, "inferences", method="POST", body=body)

    # Then 400 with a message, and nothing stored
    assert response.code == 400
    assert error_of(response)["message"]
    assert store.get_run(run_id).inference_count == 0


async def test_an_inference_over_the_limit_is_413(store: Store, api, get_json) -> None:
    # Given a run, When a 10 MB inference is posted
    run_id = make_run(store)
    body = json.dumps({"text": "x" * 10_000_000})
    response = await api("runs", run_id, "inferences", method="POST", body=body)

    # Then 413 says the limit, and listings stay small
    assert response.code == 413
    assert "at most" in error_of(response)["message"]
    assert store.get_run(run_id).inference_count == 0


async def test_an_inference_is_edited_then_deleted_and_its_history_kept(
    store: Store, api, get_json
) -> None:
    """Issue 22.8: PATCH and DELETE runs/{id}/inferences/{n}, the store's one rule."""
    # Given a run concluded "supported"
    run_id = make_run(store)
    first = store.add_inference(run_id, "depth helps", "supported")

    # When the run view edits it (no verdict key: the verdict stays)
    response = await api(
        "runs", run_id, "inferences", first.id, method="PATCH",
        body=json.dumps({"text": "depth helps a little"}),
    )  # fmt: skip
    assert response.code == 200
    edited = json.loads(response.body)
    assert (edited["text"], edited["verdict"]) == ("depth helps a little", "supported")
    assert edited["edited"] is not None
    # then sets the verdict to "refuted"
    response = await api(
        "runs", run_id, "inferences", first.id, method="PATCH",
        body=json.dumps({"text": "depth does not help", "verdict": "refuted"}),
    )  # fmt: skip
    run = await get_json("runs", run_id)
    assert run["verdict"] == "refuted" and run["inference"]["text"] == "depth does not help"
    assert [(v["text"], v["verdict"], v["action"]) for v in run["inference_history"]] == [
        ("depth helps", "supported", "edited"),
        ("depth helps a little", "supported", "edited"),
    ]

    # When it is deleted
    response = await api("runs", run_id, "inferences", first.id, method="DELETE")
    assert response.code == 200
    assert json.loads(response.body)["action"] == "deleted"
    # Then the run has no verdict, the listing knows, and every version is kept
    run = await get_json("runs", run_id)
    assert run["inferences"] == [] and run["verdict"] is None
    (summary,) = (await get_json("runs"))["runs"]
    assert summary["inference"] is None
    assert [v["text"] for v in run["inference_history"]][-1] == "depth does not help"


#: ``(method, where, body, code, words)``: a bad edit or delete, and what the answer says.
BAD_EDITS = [
    ("PATCH", "mine", {"text": " "}, 400, "text"),
    ("PATCH", "mine", {"text": "x", "verdict": "proven"}, 400, "verdict"),
    ("PATCH", "mine", {"verdict": "refuted"}, 400, "text"),
    ("PATCH", "other run", {"text": "x"}, 404, "no inference"),
    ("PATCH", "unknown", {"text": "x"}, 404, "no inference"),
    ("DELETE", "other run", None, 404, "no inference"),
    ("DELETE", "not a number", None, 404, "no inference"),
]


async def test_bad_edits_are_refused_and_change_nothing(store: Store, api) -> None:
    """Every case on one server (a server each cost ~2 s apiece)."""
    run_id = make_run(store)
    other = make_run(store)
    first = store.add_inference(run_id, "as it was", "supported")
    targets = {"mine": (run_id, first.id), "other run": (other, first.id),
               "unknown": (run_id, first.id + 7), "not a number": (run_id, "x1")}  # fmt: skip
    for method, where, body, code, words in BAD_EDITS:
        target = targets[where]
        response = await api(
            "runs", target[0], "inferences", target[1], method=method,
            body=None if body is None else json.dumps(body),
        )  # fmt: skip
        assert response.code == code and words in error_of(response)["message"], (method, where)
        run = store.get_run(run_id)
        assert [(i.text, i.verdict) for i in run.inferences] == [("as it was", "supported")]
        assert run.inference_history == ()
