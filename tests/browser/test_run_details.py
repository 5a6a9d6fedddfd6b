"""A run's checks, artifacts, nearest earlier run, pending points and error, in a browser.

Pictures go to ``$NBJOURNAL_SCREENSHOTS`` when set (``docs/screenshots``), else to a
temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from nbjournal.store.records import Artifact

from .conftest import DARK, LIGHT, PATIENCE_MS, Lab, open_journal, open_lab, run_row
from .journal_data import mlp_run

pytestmark = pytest.mark.browser
expect.set_options(timeout=PATIENCE_MS)


@pytest.fixture(scope="module")
def runs(store: Any) -> dict[str, int]:
    earlier = mlp_run(store, units=32, lr=0.003)
    store.add_inference(earlier, "a larger step diverges after epoch 5", "refuted")
    store.add_inference(earlier, "checked again: <b>same</b>", None)
    nearest = {
        "run_id": earlier,
        "experiment": "",
        "code_lines": 0,
        "differences": [{"name": "units", "before": 32, "after": 64, "absent": False}],
        "metric": "val_accuracy",
        "value": 0.962,
        "verdict": "refuted",
        "inference": "a larger step diverges after epoch 5",
        "notes": [
            f"run #{earlier} with these same values (lr 0.003) was refuted: "
            '"a larger step diverges after epoch 5"'
        ],
        "line": f"closest earlier run: #{earlier} differs only in units 32 → 64 · "
        'val_accuracy 0.962 · refuted: "a larger step diverges after epoch 5"',
    }
    rich = mlp_run(store, units=64, lr=0.003, finish=False, nearest=nearest)
    store.update_run(
        rich,
        checks={
            "findings": [{"name": "sorted-labels", "fit": 1,
                          "message": "the last 20 % of y (validation_split=0.2) holds only "
                                     "class 9 — shuffle before fit, or pass validation_data",
                          "evidence": {"validation_classes": [9]}}],
            "skipped": [{"name": "leakage", "fit": 1,
                         "reason": "x is a list of arrays (a model with several inputs)"}],
            "silenced": ["imbalance"],
        },
    )  # fmt: skip
    store.add_artifacts(
        rich,
        [
            Artifact(rich, "model", "keras", "keras.src.models.sequential.Sequential",
                     212345, "5be1"),
            Artifact(rich, "stream", "none", "_io.TextIOWrapper", 0, None,
                     status="unsaveable", reason="an open file"),
            Artifact(rich, "Out", "pickle", "NoneType", 4, "0c41", role="result"),
        ],
    )  # fmt: skip
    store.finish_run(rich, "finished", pending=12)
    failed = mlp_run(store, units=8, finish=False, epochs=2)
    store.finish_run(failed, "failed", error="ValueError: Input 0 of layer dense is incompatible")
    return {"earlier": earlier, "rich": rich, "failed": failed}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = Path(os.environ.get("NBJOURNAL_SCREENSHOTS") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    return target


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
def test_run_details(
    page: Any, lab: Lab, runs: dict[str, int], folder: Path, theme: str, page_errors: list[str]
) -> None:
    name = "light" if theme == LIGHT else "dark"
    page.set_viewport_size({"width": 1280, "height": 900})
    open_lab(page, lab, theme)
    panel = open_journal(page)

    # the sidebar: pending points marked, the verdict kept past a note without one
    rich_row = run_row(page, runs["rich"])
    expect(rich_row.get_by_role("img", name="12 points not yet written")).to_be_visible()
    expect(run_row(page, runs["earlier"])).to_contain_text("refuted")
    panel.screenshot(path=folder / f"sidebar-details-{name}.png", animations="disabled")

    rich_row.click()
    view = page.locator(f'.jp-nbjournal-RunView[data-run-id="{runs["rich"]}"]')
    expect(view).to_contain_text("12 points not yet written")
    checks = view.get_by_role("list", name="Checks")
    expect(checks.get_by_role("listitem").first).to_contain_text(
        "sorted-labels: the last 20 % of y"
    )
    expect(checks).to_contain_text("leakage: skipped, x is a list of arrays")
    expect(checks).to_contain_text("silenced: imbalance")
    artifacts = view.get_by_role("table", name="Artifacts")
    expect(artifacts).to_contain_text("212.3 kB")
    expect(artifacts).to_contain_text("not stored: an open file")
    expect(artifacts).not_to_contain_text("NoneType")
    expect(view.get_by_label("Nearest earlier run")).to_contain_text("differs only in units")
    expect(view.get_by_role("list", name="Warnings")).to_contain_text("was refuted")
    page.mouse.move(0, 0)
    page.screenshot(path=folder / f"run-details-{name}.png", animations="disabled")
    view.locator('[data-section="checks"]').evaluate("e => e.scrollIntoView()")
    page.screenshot(path=folder / f"run-checks-{name}.png", animations="disabled")
    view.locator('[data-section="artifacts"]').evaluate("e => e.scrollIntoView()")
    page.screenshot(path=folder / f"run-artifacts-{name}.png", animations="disabled")

    run_row(page, runs["failed"]).click()
    failed = page.locator(f'.jp-nbjournal-RunView[data-run-id="{runs["failed"]}"]')
    expect(failed.locator(".jp-nbjournal-ErrorSummary")).to_have_text(
        "ValueError: Input 0 of layer dense is incompatible"
    )
    assert page_errors == []
