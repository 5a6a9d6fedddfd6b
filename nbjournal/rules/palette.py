"""The colours of statuses, verdicts and notes in every notebook view, defined once.

The lab extension draws with JupyterLab's theme variables; these are the
notebook side's, inlined where a sanitiser drops style sheets.
"""

from __future__ import annotations

RUNNING = "#1565c0"
GOOD = "#2e7d32"
PROBLEM = "#c62828"
WARNING = "#ef6c00"
NEUTRAL = "#6d4c41"
PROGRESS = "#1976d2"

STATUS = {
    "running": RUNNING,
    "finished": GOOD,
    "failed": PROBLEM,
    "crashed": PROBLEM,
    "diverged": PROBLEM,
    "interrupted": WARNING,
}
VERDICT = {"supported": GOOD, "refuted": PROBLEM, "inconclusive": NEUTRAL}


def css_classes(scope: str, prefix: str, colours: dict[str, str], prop: str = "color") -> str:
    """``{scope} .{prefix}-{name}{{prop:colour}}`` rules, one per name."""
    return "".join(
        f"{scope} .{prefix}-{name}{{{prop}:{colour}}}" for name, colour in colours.items()
    )
