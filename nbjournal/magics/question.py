"""``%inference Does dropout help?``: a conclusion may end with a question mark.

IPython reads a line ending in ``?`` as a request for help on its last word, so
the inference would be swallowed and nothing recorded. This input
transformer, run before IPython's own, turns an ``%inference`` line into the
explicit call of the magic, where ``?`` is only text.
"""

from __future__ import annotations

import re

_LINE = re.compile(r"^(?P<indent>[ \t]*)%inference(?P<rest>[ \t]+.*\?)[ \t]*$")


def keep_question_marks(lines: list[str]) -> list[str]:
    """``%inference TEXT?`` lines as ``get_ipython().run_line_magic("inference", "TEXT?")``."""
    changed = []
    for line in lines:
        body = line.rstrip("\n")
        match = _LINE.match(body)
        if match is None or not match["rest"].strip().strip("?").strip():  # `%inference ?`: help
            changed.append(line)
            continue
        call = f"get_ipython().run_line_magic('inference', {match['rest'].strip()!r})"
        changed.append(match["indent"] + call + line[len(body) :])
    return changed
