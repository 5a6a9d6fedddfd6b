"""GET experiments/{name}/table and table.csv, and the search grammar of GET runs?q=."""

from __future__ import annotations

import csv
import io
import json

import pytest

from nbjournal.store import Store

from .helpers import error_of, make_run

ROW_FIELDS = {
    "id",
    "status",
    "started",
    "duration",
    "verdict",
    "inference",
    "params",
    "metrics",
    "tags",
}


@pytest.fixture
def sweep(store: Store) -> dict[str, int]:
    """Three runs of a learning-rate sweep, one refuted then noted, one failed."""
    runs = {
        "slow": make_run(
            store, "lr sweep", params={"lr": 0.001, "units": 64},
            epochs={"val_accuracy": [0.9, 0.95], "loss": [0.5, 0.3]},
            inference="too slow", verdict="refuted",
        ),
        "good": make_run(
            store, "lr sweep", params={"lr": 0.003, "units": 64},
            epochs={"val_accuracy": [0.93, 0.98], "loss": [0.4, 0.2]},
        ),
        "fast": make_run(
            store, "lr sweep", status="failed", params={"lr": 0.1, "units": 64},
            epochs={"val_accuracy": [0.5], "loss": [2.0]},
        ),
    }  # fmt: skip
    store.add_inference(runs["slow"], "a note without a verdict")
    make_run(store, "other", params={"lr": 0.003})
    return runs


async def test_the_table_answers_the_contract(store: Store, sweep, get_json) -> None:
    # When the experiment page asks for its table
    body = await get_json("experiments", "lr sweep", "table")

    # Then it has the varying params, the final metrics with the key metric first, every run
    assert set(body) == {
        "experiment",
        "key_metric",
        "params",
        "metrics",
        "goals",
        "total",
        "rows",
        "mirrors",
    }
    assert body["experiment"] == "lr sweep"
    assert body["key_metric"] == "val_accuracy"
    assert body["params"] == ["lr"]
    assert body["metrics"] == ["val_accuracy", "loss"]
    assert body["goals"] == {"val_accuracy": "max", "loss": "min"}  # the one rule's
    assert body["total"] == 3
    assert [r["id"] for r in body["rows"]] == [sweep["fast"], sweep["good"], sweep["slow"]]
    slow = body["rows"][2]
    assert set(slow) == ROW_FIELDS
    assert slow["params"] == {"lr": 0.001}
    assert slow["metrics"] == {"val_accuracy": 0.95, "loss": 0.3}
    assert slow["verdict"] == "refuted"
    assert slow["inference"] == "a note without a verdict"
    assert slow["status"] == "finished"


async def test_the_table_sorts_filters_and_pages(store: Store, sweep, get_json) -> None:
    body = await get_json(
        "experiments", "lr sweep", "table", sort="val_accuracy", order="desc", limit=2
    )
    assert [r["id"] for r in body["rows"]] == [sweep["good"], sweep["slow"]]
    rest = await get_json(
        "experiments", "lr sweep", "table", sort="val_accuracy", order="desc", offset=2, limit=2
    )
    assert [r["id"] for r in rest["rows"]] == [sweep["fast"]]
    assert body["total"] == rest["total"] == 3

    filtered = await get_json("experiments", "lr sweep", "table", q="lr>=0.003 status:finished")
    assert [r["id"] for r in filtered["rows"]] == [sweep["good"]]
    assert filtered["total"] == 1


@pytest.mark.parametrize("q", ["lr>fast", "verdict:maybe", "#0", "colour:red"])
async def test_a_bad_query_is_400_with_a_message(store: Store, sweep, api, q: str) -> None:
    for path in (("experiments", "lr sweep", "table"), ("runs",)):
        response = await api(*path, params={"q": q})
        assert response.code == 400
        assert q.split(":")[0].split(">")[0] in error_of(response)["message"]


async def test_the_query_box_completes_and_checks_without_a_failed_request(
    store: Store, sweep, api, get_json
) -> None:
    store.edit_tags(sweep["good"], add=["baseline"])
    # When the page asks what its query box can name
    words = await get_json("experiments", "lr sweep", "vocabulary")

    # Then it has the parameters with their commonest values, the metrics, the tags
    assert words["experiment"] == "lr sweep" and words["runs"] == 3
    assert words["params"] == [
        {"name": "lr", "values": [0.001, 0.003, 0.1]},
        {"name": "units", "values": [64]},
    ]
    assert words["metrics"] == ["loss", "val_accuracy"]
    assert words["tags"] == ["baseline"]
    assert "trashed" in words["keywords"]["status"] and "none" in words["keywords"]["verdict"]

    # And a query is checked with a 200 either way; the table and the search still refuse it
    checked = await get_json("query", q="learning_rate=0.1 val_acc>0.9", experiment="lr sweep")
    assert checked["error"] == (
        "no run in lr sweep has the parameters or metrics learning_rate (did you mean lr?); "
        "val_acc (did you mean val_accuracy?)"
    )
    assert (await get_json("query", q="lr in (0.001, 0.1)", experiment="lr sweep"))["error"] is None
    other = await get_json("query", q="units=64", experiment="other")
    assert other["error"] == "no run in other has the parameter or metric units; known: lr"
    assert (await get_json("query", q="units=64"))["error"] is None  # journal-wide: known
    assert "did you mean" in (await get_json("query", q="lr>0.01 OR untis=3"))["error"]
    for path in (("experiments", "lr sweep", "table"), ("runs",)):
        response = await api(*path, params={"q": "val_acc>0.9"})
        assert response.code == 400
        assert "val_acc (did you mean val_accuracy?)" in error_of(response)["message"]
    table = await get_json("experiments", "lr sweep", "table", q="lr in (0.001, 0.1) OR #baseline")
    assert sorted(r["id"] for r in table["rows"]) == sorted(sweep.values())


async def test_a_bad_order_or_offset_is_400(store: Store, sweep, api) -> None:
    assert (await api("experiments", "lr sweep", "table", params={"order": "up"})).code == 400
    assert (await api("experiments", "lr sweep", "table", params={"offset": "-1"})).code == 400


async def test_an_unknown_experiment_is_an_empty_table(store: Store, get_json) -> None:
    body = await get_json("experiments", "nothing here", "table")
    assert body["total"] == 0 and body["rows"] == [] and body["params"] == []


async def test_the_csv_has_every_row_and_column(store: Store, sweep, api) -> None:
    response = await api("experiments", "lr sweep", "table.csv", params={"sort": "lr"})
    assert response.code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert 'filename="lr_sweep.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.body.decode())))
    assert [int(r["id"]) for r in rows] == [sweep["fast"], sweep["good"], sweep["slow"]]
    assert rows[2]["lr"] == "0.001" and rows[2]["verdict"] == "refuted"
    assert float(rows[1]["val_accuracy"]) == 0.98
    assert rows[0]["started"].endswith("Z")


async def test_the_sidebar_search_takes_the_grammar(store: Store, sweep, get_json) -> None:
    body = await get_json("runs", q="lr=0.003 val_accuracy>0.97")
    assert [r["id"] for r in body["runs"]] == [sweep["good"]]
    refuted = await get_json("runs", q="verdict:refuted")
    assert [r["id"] for r in refuted["runs"]] == [sweep["slow"]]
    assert refuted["runs"][0]["verdict"] == "refuted"
    assert refuted["runs"][0]["inference"]["verdict"] is None
    jump = await get_json("runs", q=f"#{sweep['fast']}")
    assert [r["id"] for r in jump["runs"]] == [sweep["fast"]]
    text = await get_json("runs", q="too slow")
    assert [r["id"] for r in text["runs"]] == [sweep["slow"]]
    assert json.dumps(text)  # strict JSON
