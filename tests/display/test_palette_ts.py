"""One palette: the lab extension's status and verdict colours (``src/palette.ts``) and the theme
roles its style sheet gives them (``style/base.css``) are those of ``nbjournal/rules/palette.py``."""

from __future__ import annotations

import re
from pathlib import Path

from nbjournal.rules import palette

LAB = Path(__file__).parents[2] / "labextension"


def _ts_object(name: str) -> dict[str, str]:
    """The ``name: '#hex'`` entries of the exported object ``name`` in palette.ts."""
    text = (LAB / "src" / "palette.ts").read_text(encoding="utf-8")
    body = re.search(rf"export const {name}\b[^=]*= \{{(.*?)\}};", text, re.S)
    assert body, f"palette.ts exports no {name}"
    return dict(re.findall(r"(\w+): '(#[0-9a-f]{6})'", body[1]))


def _css_roles(selector: str) -> dict[str, str]:
    """``{name: role}`` from the rules ``selector-NAME { …: var(--jp-ROLE-color1|3) }``."""
    css = (LAB / "style" / "base.css").read_text(encoding="utf-8")
    roles: dict[str, str] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", css):
        role = re.search(r"var\(--jp-(\w+)-color[13]\)", body)
        for name in re.findall(rf"^\s*{re.escape(selector)}-(\w+),?\s*$", selectors, re.M):
            if role and "data-jp-theme-light" not in selectors:
                roles[name] = role[1]
    return roles


def test_the_sidebar_status_colours_are_the_notebooks() -> None:
    kernel_only = {"diverged"}  # the live view's word for a run whose loss blew up
    expected = {k: v for k, v in palette.STATUS.items() if k not in kernel_only}
    assert _ts_object("STATUS_COLORS") == expected


def test_the_sidebar_verdict_colours_are_the_notebooks() -> None:
    assert _ts_object("VERDICT_COLORS") == palette.VERDICT


def test_the_style_sheet_gives_each_status_and_verdict_the_theme_colour_of_its_role() -> None:
    statuses = _css_roles(".jp-nbjournal-Status.jp-nbjournal-status")
    shown = _ts_object("STATUS_COLORS")
    assert {s: statuses.get(s) for s in shown} == {s: palette.THEME[c] for s, c in shown.items()}
    verdicts = _css_roles(".jp-nbjournal-verdict")
    assert {v: verdicts.get(v) for v in palette.VERDICT} == {
        v: palette.THEME[c] for v, c in palette.VERDICT.items()
    }
