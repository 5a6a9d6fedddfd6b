"""A journal with no run yet: the sidebar says how to start."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import PATIENCE_MS, Lab, open_journal, open_lab

pytestmark = pytest.mark.browser
expect.set_options(timeout=PATIENCE_MS)


def test_empty_journal_shows_how_to_start(page: Any, lab: Lab) -> None:
    open_lab(page, lab)
    panel = open_journal(page)
    empty = panel.locator(".jp-nbjournal-EmptyState")
    expect(empty).to_contain_text("No experiment yet.")
    expect(empty.locator(".jp-nbjournal-Snippet").first).to_have_text("%load_ext nbjournal")
    expect(empty.locator(".jp-nbjournal-Snippet").nth(1)).to_contain_text("%%experiment")
    expect(panel.locator(".jp-nbjournal-Error")).to_have_count(0)
