"""``%journal export``: the lab-notebook report written from a notebook."""

from __future__ import annotations

from pathlib import Path

import pytest
from IPython.core.error import UsageError
from IPython.utils.capture import capture_output


def test_journal_export_writes_the_report_of_the_kernel_s_runs(shell, journal, tmp_path: Path):
    # Given two runs of one hypothesis, the second with other code
    shell.run_cell('%%experiment widths -H "wider is better"\nunits = 8\nunits')
    shell.run_cell('%%experiment widths -H "wider is better"\nunits = 16\nunits')
    report = tmp_path / "report.html"

    # When the journal is exported from the notebook
    with capture_output() as said:
        shell.run_line_magic("journal", f"export widths -o {report}")

    # Then the page holds the hypothesis, both runs and the code's difference
    assert f"wrote {report} (html)" in said.stdout
    page = report.read_text()
    assert "<h3>Hypothesis 1: wider is better</h3>" in page
    assert "Run #1 (finished)" in page and "Run #2 (finished)" in page
    assert "-units = 8" in page and "+units = 16" in page
    with pytest.raises(UsageError, match="usage: %journal export"):
        shell.run_line_magic("journal", "export widths")
    with pytest.raises(UsageError, match="no experiment named 'nope'"):
        shell.run_line_magic("journal", f"export nope -o {tmp_path / 'x.md'}")
    assert not (tmp_path / "x.md").exists()
