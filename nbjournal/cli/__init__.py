"""``nbjournal``: the journal from a shell (also ``python -m nbjournal``).

No Jupyter server and no kernel are needed: each command opens the journal
(``--journal URL``, else ``NBJOURNAL_URL``, else the embedded default), reads
or changes it, and prints a table, or JSON/CSV/Markdown. An error is one line
on stderr and a non-zero exit, and changes nothing.
"""

from __future__ import annotations

import sys

from .registry import fail, parser

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Run one command; its exit status (0 done, 1 refused or failed, 2 bad usage)."""
    arguments = parser().parse_args(argv)
    from sqlalchemy.exc import SQLAlchemyError

    from ..errors import JournalError

    try:
        return int(arguments.action(arguments))
    except JournalError as error:
        return fail(_one_line(str(error)))
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error)
        return fail(f"journal unavailable: {_one_line(reason)}")
    except BrokenPipeError:  # `nbjournal runs | head`
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return fail("interrupted")


def _one_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0] if lines else "failed"
