"""What the experiment page and the run view act with: the trash as a query (``status:trashed``),
tags after the fact (bounded, queryable), the report download, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest

from nbjournal.analysis.lab_notebook import lab_notebook
from nbjournal.analysis.lab_notebook_page import write
from nbjournal.server import endpoints
from nbjournal.server.handlers import MAX_RUN_IDS
from nbjournal.store import Store, open_store
from tests.pg_schemas import backend_params

from .helpers import error_of, make_run


@pytest.fixture(params=backend_params("sqlite"))
def journal(request, journal_home, monkeypatch) -> Store:
    """The store the server reads, on ``request.param``: three runs of "page", one of "other"."""
    from nbjournal.store import forget_stores

    if request.param == "postgresql":
        monkeypatch.setenv("NBJOURNAL_URL", request.getfixturevalue("pg_url"))
        forget_stores()
    store = open_store()
    for lr in (0.1, 0.01, 0.001):
        make_run(
            store, "page", hypothesis="smaller steps help", params={"lr": lr},
            epochs={"val_accuracy": [0.5, 0.6 + lr]},
        )  # fmt: skip
    make_run(store, "other", params={"lr": 1.0})
    return store


def _ids(table: dict) -> list[int]:
    return [row["id"] for row in table["rows"]]


async def test_the_page_shows_the_trash_with_status_trashed_and_restores_from_it(
    journal: Store, api, get_json
) -> None:
    # newest first: lr 0.001, 0.01, 0.1
    first, second, third = _ids(await get_json("experiments", "page", "table"))
    # When the page deletes two runs
    response = await api("trash", method="POST", body=json.dumps({"runs": [first, third]}))
    assert json.loads(response.body) == {"trashed": [first, third]}

    # Then its table has only the kept run, and `status:trashed` shows the two in the trash
    assert _ids(await get_json("experiments", "page", "table")) == [second]
    trash = await get_json("experiments", "page", "table", q="status:trashed")
    assert _ids(trash) == [first, third] and trash["total"] == 2
    # the other terms still apply inside the trash, and the sidebar's search reads the same
    assert _ids(await get_json("experiments", "page", "table", q="status:trashed lr<0.05")) == [
        first
    ]
    runs = (await get_json("runs", q="status:trashed"))["runs"]
    assert [r["id"] for r in runs] == [first, third]

    # When one is restored from the trash view, it leaves the trash and is back in the table
    await api("trash", "restore", method="POST", body=json.dumps({"runs": [third]}))
    assert _ids(await get_json("experiments", "page", "table", q="status:trashed")) == [first]
    assert _ids(await get_json("experiments", "page", "table")) == [second, third]


async def test_tags_added_on_the_page_show_in_its_rows_and_answer_hash_tag(
    journal: Store, api, get_json
) -> None:
    newest, middle, _ = _ids(await get_json("experiments", "page", "table"))
    for run_id in (newest, middle):
        body = json.dumps({"add": ["keep", "lr-sweep/2"]})
        response = await api("runs", run_id, "tags", method="PATCH", body=body)
        assert json.loads(response.body)["tags"] == ["keep", "lr-sweep/2"]
    await api("runs", middle, "tags", method="PATCH", body=json.dumps({"remove": ["keep"]}))

    table = await get_json("experiments", "page", "table")
    assert {r["id"]: r["tags"] for r in table["rows"]}[newest] == ["keep", "lr-sweep/2"]
    assert _ids(await get_json("experiments", "page", "table", q="#keep")) == [newest]
    assert _ids(await get_json("experiments", "page", "table", q="#lr-sweep/2")) == [
        newest,
        middle,
    ]


@pytest.mark.parametrize(
    ("tag", "says"),
    [
        ("two words", "is not a word"),
        ("-x", "is not a word"),
        ("#x", "is not a word"),
        ('q"uote', "is not a word"),
        ("123", "#123 would name run 123"),
        ("x" * 101, "takes 100 at most"),
        ("nul\x00", "NUL"),
    ],
)
async def test_a_tag_the_query_cannot_find_is_400_and_nothing_changes(
    journal: Store, api, tag: str, says: str
) -> None:
    run_id = make_run(journal, "page", tags=["kept"])
    before = journal.changes(0)[0]
    body = json.dumps({"add": ["fine", tag]})
    response = await api("runs", run_id, "tags", method="PATCH", body=body)
    assert response.code in (400, 413) and says in error_of(response)["message"]
    assert "\n" not in error_of(response)["message"]
    assert journal.get_run(run_id).tags == ("kept",) and journal.changes(0)[0] == before


async def test_too_many_ids_or_tag_changes_at_once_are_400(journal: Store, api) -> None:
    run_id = make_run(journal, "page")
    before = journal.changes(0)[0]
    body = json.dumps({"runs": [run_id] * (MAX_RUN_IDS + 1)})
    response = await api("trash", method="POST", body=body)
    assert response.code == 400 and "1,000 at most" in error_of(response)["message"]
    body = json.dumps({"add": [f"t{i}" for i in range(101)]})
    response = await api("runs", run_id, "tags", method="PATCH", body=body)
    assert response.code == 400 and "at most at once" in error_of(response)["message"]
    assert journal.get_run(run_id).deleted_at is None and journal.changes(0)[0] == before


@pytest.mark.parametrize("form", ["html", "md"])
async def test_the_report_download_is_the_file_nbjournal_export_writes(
    journal: Store, api, form: str
) -> None:
    response = await api("experiments", "page", "report", params={"format": form})
    assert response.code == 200
    kind = endpoints.REPORT_FORMS[form]
    assert response.headers["Content-Type"] == f"{kind}; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="page.{form}"'
    text = response.body.decode("utf-8")
    assert text == write(lab_notebook(journal, ["page"]), form, None)
    assert "smaller steps help" in text and "Experiment page" in text
    assert "other" not in text.split("Experiment page", 1)[1]


@pytest.mark.parametrize(
    ("name", "params", "code", "says"),
    [
        ("page", {"format": "pdf"}, 400, "format must be html or md"),
        ("nothing-here", {}, 404, "nothing-here"),
    ],
)
async def test_a_bad_report_request_is_one_line(journal, api, name, params, code, says) -> None:
    response = await api("experiments", name, "report", params=params)
    assert response.code == code and says in error_of(response)["message"]


async def test_a_report_over_the_bound_says_to_use_the_command_line(
    journal: Store, api, monkeypatch
) -> None:
    monkeypatch.setattr(endpoints, "REPORT_MAX_RUNS", 2)
    response = await api("experiments", "page", "report", params={"format": "md"})
    message = error_of(response)["message"]
    assert response.code == 413 and "page has 3 runs" in message
    assert "nbjournal export page -o report.md" in message


async def test_the_report_needs_the_servers_token(journal: Store, jp_fetch) -> None:
    response = await jp_fetch(
        "nbjournal", "api", "experiments", "page", "report",
        headers={"Authorization": "token not-the-token"}, raise_error=False,
    )  # fmt: skip
    assert response.code in (401, 403) and b"smaller steps" not in response.body
