"""Runs you can act on (issue 22 item 8, issue 23): delete with an undo, the trash as a filter
where runs are restored, tags added and removed and queried, the report downloaded — from
the experiment page and the run view, in a real ``jupyter lab`` in Chromium, with the
browser's console kept free of errors and warnings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import DARK, LIGHT, PATIENCE_MS, Lab, open_journal, open_lab, run_row
from .console import Console
from .journal_data import mlp_run

pytestmark = pytest.mark.browser
expect.set_options(timeout=PATIENCE_MS)

EXPERIMENT = "acting"


@pytest.fixture(scope="module")
def runs(store: Any) -> list[int]:
    """Four runs of "acting" (oldest first), one with an inference that rests on it."""
    made = [
        mlp_run(store, experiment=EXPERIMENT, units=units, epochs=8, tags=())
        for units in (16, 32, 64, 128)
    ]
    store.add_inference(made[0], "16 units underfit: see #2 for more", "supported")
    return made


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = Path(os.environ.get("NBJOURNAL_SCREENSHOTS") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    return target


def _open_page(page: Any, lab: Lab, theme: str) -> Any:
    open_lab(page, lab, theme=theme)
    panel = page.locator("#nbjournal-sidebar")
    if not panel.is_visible():
        panel = open_journal(page)
    name = f'section[data-experiment="{EXPERIMENT}"] .jp-nbjournal-ExperimentGroup-name'
    panel.locator(name).click()
    return page.locator(f'.jp-nbjournal-ExperimentView[data-experiment="{EXPERIMENT}"]')


def _row(view: Any, run_id: int) -> Any:
    return view.locator(f'.jp-nbjournal-RunsTable tr[data-run-id="{run_id}"]')


def test_delete_undo_then_the_trash_and_restore_from_the_page(
    page: Any, lab: Lab, runs: list[int], folder: Path
) -> None:
    console = Console(page)
    view = _open_page(page, lab, LIGHT)
    count = view.locator(".jp-nbjournal-ExperimentView-count")
    expect(count).to_have_text("4 runs")
    gone, kept = runs[0], runs[1]  # the first is cited by an inference: delete is allowed

    # delete → gone from the page and the sidebar at once
    view.get_by_role("checkbox", name=f"Select run #{gone}").check()
    expect(view.get_by_role("textbox", name="Tag the 1 selected run")).to_be_visible()
    page.screenshot(path=str(folder / "acting-selected-light.png"))
    view.get_by_role("button", name="Delete").click()
    expect(_row(view, gone)).to_have_count(0)
    expect(count).to_have_text("3 runs")
    expect(run_row(page, gone)).to_have_count(0)
    expect(run_row(page, kept)).to_be_visible()
    toast = page.locator(".Toastify__toast", has_text=f"Deleted run #{gone}")
    expect(toast).to_be_visible()
    page.screenshot(path=str(folder / "acting-deleted-undo-light.png"))

    # undo → back in both
    toast.get_by_role("button", name="Undo").click()
    expect(_row(view, gone)).to_have_count(1)
    expect(count).to_have_text("4 runs")
    expect(run_row(page, gone)).to_be_visible()
    assert lab.get(f"nbjournal/api/runs/{gone}")["deleted_at"] is None

    # delete two, then the trash filter shows them (the query says status:trashed)
    for run_id in (gone, kept):
        view.get_by_role("checkbox", name=f"Select run #{run_id}").check()
    view.get_by_role("button", name="Delete").click()
    expect(count).to_have_text("2 runs")
    view.get_by_role("checkbox", name="trash").check()
    expect(view.get_by_role("searchbox")).to_have_value("status:trashed")
    expect(count).to_have_text("2 runs in the trash")
    expect(view.locator(".jp-nbjournal-RunsTable tbody tr[data-run-id]")).to_have_count(2)
    expect(view.get_by_role("note")).to_contain_text("nbjournal purge")
    view.get_by_role("checkbox", name=f"Select run #{gone}").check()
    expect(view.get_by_role("button", name="Delete")).to_have_count(0)
    view.screenshot(path=str(folder / "acting-trash-light.png"))

    # restore one from the trash view: it leaves the trash and is listed again
    view.get_by_role("button", name="Restore").click()
    expect(_row(view, gone)).to_have_count(0)
    expect(count).to_have_text("1 run in the trash")
    expect(run_row(page, gone)).to_be_visible()
    view.get_by_role("checkbox", name="trash").uncheck()
    expect(count).to_have_text("3 runs")
    expect(_row(view, gone)).to_have_count(1)
    lab.request("nbjournal/api/trash/restore", "POST", {"runs": [kept]})  # as it was
    assert console.messages == []


def test_tags_and_delete_from_the_run_view_and_queries_find_them(
    page: Any, lab: Lab, runs: list[int], folder: Path
) -> None:
    console = Console(page)
    target = runs[2]
    # an inference edited through the REST API (as the run view does): its history, in dark
    posted = lab.request(
        f"nbjournal/api/runs/{target}/inferences", "POST", {"text": "wide *enough*"}
    )
    lab.request(
        f"nbjournal/api/runs/{target}/inferences/{posted['id']}", "PATCH",
        {"text": "wide enough **up to epoch 6**", "verdict": "inconclusive"},
    )  # fmt: skip
    view = _open_page(page, lab, DARK)
    _row(view, target).locator(".jp-nbjournal-RunItem-id").click()
    run_view = page.locator(f'.jp-nbjournal-RunView[data-run-id="{target}"]')
    expect(run_view).to_be_visible()
    inferences = run_view.locator('[data-section="inferences"]')
    inferences.locator(".jp-nbjournal-InferenceHistory summary").click()
    expect(inferences.locator(".jp-nbjournal-InferenceHistory-version em")).to_have_text("enough")
    inferences.screenshot(path=str(folder / "acting-inference-history-dark.png"))

    # add two tags the way %journal tag reads them
    box = run_view.get_by_role("textbox", name=f"Tag run #{target}")
    box.fill("+keep +wide-layer")
    box.press("Enter")
    expect(run_view.locator('.jp-nbjournal-Tag[data-tag="keep"]')).to_be_visible()
    expect(run_view.locator('.jp-nbjournal-Tag[data-tag="wide-layer"]')).to_be_visible()
    assert lab.get(f"nbjournal/api/runs/{target}")["tags"] == ["keep", "wide-layer"]
    run_view.locator(".jp-nbjournal-RunView-header").screenshot(
        path=str(folder / "acting-run-tags-dark.png")
    )

    # queryable: the sidebar's search and the page's query find it by #keep
    search = page.locator("#nbjournal-sidebar").get_by_role("searchbox")
    search.fill("#keep")
    expect(page.locator("#nbjournal-sidebar .jp-nbjournal-RunItem")).to_have_count(1)
    expect(run_row(page, target)).to_be_visible()
    page.locator(f'li.lm-TabBar-tab[data-id="nbjournal-experiment-{EXPERIMENT}"]').click()
    query = view.get_by_role("searchbox")
    query.fill("#keep")
    query.press("Enter")
    expect(view.locator(".jp-nbjournal-RunsTable tbody tr[data-run-id]")).to_have_count(1)
    expect(_row(view, target).locator(".jp-nbjournal-RunsTable-tags")).to_have_text(
        "keepwide-layer"
    )
    page.screenshot(path=str(folder / "acting-page-tags-dark.png"))

    # remove one from the run view: the query no longer finds it
    page.locator(f'li.lm-TabBar-tab[data-id="nbjournal-run-{target}"]').click()
    run_view.get_by_role("button", name="Remove tag keep").click()
    expect(run_view.locator('.jp-nbjournal-Tag[data-tag="keep"]')).to_have_count(0)
    expect(page.locator("#nbjournal-sidebar")).to_contain_text("No run matches.")
    search.fill("")

    # delete from the run view: it says so, with restore; the sidebar drops it, undo brings it
    run_view.get_by_role("button", name="Delete", exact=True).click()
    banner = run_view.get_by_role("status")
    expect(banner).to_contain_text("In the trash")
    expect(banner).to_contain_text("nbjournal purge")
    expect(run_row(page, target)).to_have_count(0)
    run_view.locator(".jp-nbjournal-RunView-header").screenshot(
        path=str(folder / "acting-run-trashed-dark.png")
    )
    banner.get_by_role("button", name="Restore").click()
    expect(run_view.get_by_role("status")).to_have_count(0)
    expect(run_view.get_by_role("button", name="Delete", exact=True)).to_be_visible()
    expect(run_row(page, target)).to_be_visible()
    assert console.messages == []


@pytest.mark.parametrize("form", ["html", "md"])
def test_the_report_download_is_what_nbjournal_export_writes(
    page: Any, lab: Lab, runs: list[int], tmp_path: Path, form: str
) -> None:
    console = Console(page)
    view = _open_page(page, lab, LIGHT)
    expect(view.locator(".jp-nbjournal-ExperimentView-count")).to_have_text("4 runs")
    with page.expect_download() as started:
        view.get_by_role("button", name="Report" if form == "html" else "Markdown").click()
    download = started.value
    assert download.suggested_filename == f"{EXPERIMENT}.{form}"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    # the same bytes as the command line's export of this experiment (Markdown: as it
    # writes to standard output, without chart files)
    exported = subprocess.run(
        [sys.executable, "-m", "nbjournal", "export", EXPERIMENT, "--format", form],
        check=True, capture_output=True, env={**lab.environment(), "NBJOURNAL_URL": lab.url_db},
    ).stdout  # fmt: skip
    text = saved.read_text(encoding="utf-8")
    assert saved.read_bytes() == exported
    assert f"Experiment {EXPERIMENT}" in text
    if form == "html":
        assert "<svg" in text and "<script" not in text
    assert "16 units underfit: see #2 for more" in text
    for run_id in runs:
        assert f"#{run_id}" in text
    assert console.messages == []


def test_an_artifact_downloads_from_the_run_view_as_its_file(
    page: Any, lab: Lab, store: Any, tmp_path: Path, folder: Path
) -> None:
    """An array the cell bound, saved by the real saving path into the lab's artifact store."""
    import numpy as np

    from nbjournal.artifacts import save_snapshot, snapshot
    from nbjournal.artifacts.blobs import BlobStore
    from nbjournal.config import ARTIFACTS_FOLDER

    weights = np.linspace(0.0, 1.0, 12).reshape(3, 4)
    run_id = mlp_run(store, experiment="artifacts", epochs=4, tags=())
    taken = snapshot({"weights": weights, "np": np}, None, limit=10**9)
    save_snapshot(store, BlobStore(str(lab.home / ARTIFACTS_FOLDER)), run_id, taken)

    console = Console(page)
    open_lab(page, lab, theme=LIGHT)
    panel = page.locator("#nbjournal-sidebar")
    if not panel.is_visible():
        open_journal(page)
    run_row(page, run_id).click()
    table = page.locator(f'.jp-nbjournal-RunView[data-run-id="{run_id}"]').get_by_role(
        "table", name="Artifacts"
    )
    expect(table.get_by_role("button")).to_have_count(1)  # a module has no file
    table.screenshot(path=str(folder / "acting-artifacts-light.png"))
    with page.expect_download() as started:
        table.get_by_role("button", name="Download weights").click()
    download = started.value
    assert download.suggested_filename == f"run{run_id}-weights.npy"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert np.array_equal(np.load(saved), weights)
    assert console.messages == []
