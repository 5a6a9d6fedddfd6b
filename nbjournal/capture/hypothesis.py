"""The hypothesis of a cell: an explicit option, else its leading comment block or string."""

from __future__ import annotations

import ast
import re

_PREFIX = re.compile(r"^\s*hypothesis\s*:\s*", re.IGNORECASE)


def hypothesis_from_cell(body: str, explicit: str | None = None) -> str:
    """``--hypothesis`` wins; else the leading ``#`` block; else a leading string literal."""
    if explicit and explicit.strip():
        return _PREFIX.sub("", explicit.strip(), count=1)
    comment = _leading_comment(body)
    if comment:
        return comment
    return _leading_string(body)


def _leading_comment(body: str) -> str:
    lines: list[str] = []
    for line in body.splitlines():
        stripped = line.strip()
        if not stripped and not lines:
            continue
        if not stripped.startswith("#"):
            break
        lines.append(stripped.lstrip("#").strip())
    text = "\n".join(lines).strip()
    return _PREFIX.sub("", text, count=1)


def _leading_string(body: str) -> str:
    try:
        tree = ast.parse(body)
    except SyntaxError:
        return ""
    if tree.body and isinstance(tree.body[0], ast.Expr):
        value = tree.body[0].value
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return _PREFIX.sub("", value.value.strip(), count=1)
    return ""
