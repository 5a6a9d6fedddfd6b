"""The colours of statuses, verdicts and notes in every notebook view, defined once.

The lab extension draws with JupyterLab's theme variables (the role of each colour: ``THEME``)
and these colours where the theme cannot be read (``labextension/src/palette.ts``);
``tests/display/test_palette_ts.py`` fails when either drifts from this module.
"""

from __future__ import annotations

RUNNING = "#1565c0"
GOOD = "#2e7d32"
PROBLEM = "#c62828"
WARNING = "#ef6c00"
PROGRESS = "#1976d2"

STATUS = {
    "running": RUNNING,
    "finished": GOOD,
    "failed": PROBLEM,
    "crashed": PROBLEM,
    "diverged": PROBLEM,
    "interrupted": WARNING,
}
VERDICT = {"supported": GOOD, "refuted": PROBLEM, "inconclusive": WARNING}
#: The JupyterLab theme colour (``--jp-<role>-color1``) that stands for each colour in the sidebar.
THEME = {RUNNING: "brand", GOOD: "success", PROBLEM: "error", WARNING: "warn"}


def css_classes(scope: str, prefix: str, colours: dict[str, str], prop: str = "color") -> str:
    """``{scope} .{prefix}-{name}{{prop:colour}}`` rules, one per name."""
    return "".join(
        f"{scope} .{prefix}-{name}{{{prop}:{colour}}}" for name, colour in colours.items()
    )
