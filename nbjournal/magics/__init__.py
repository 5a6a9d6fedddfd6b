"""The IPython magics, registered by ``%load_ext nbjournal``.

The magics only parse lines and delegate (:mod:`.journal_magics`); nothing
heavy is imported until a magic runs.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import TracebackType

    from IPython.core.interactiveshell import InteractiveShell

_previous_showwarning: Callable[..., None] | None = None


def register(shell: InteractiveShell) -> None:
    from .journal_magics import JournalMagics
    from .question import keep_question_marks

    shell.register_magics(JournalMagics)
    cleanup = getattr(shell, "input_transformers_cleanup", None)
    if cleanup is not None and keep_question_marks not in cleanup:
        cleanup.append(keep_question_marks)
    _show_journal_warnings_plainly(True)
    _show_cell_syntax_errors_plainly(shell, True)
    from ..capture.history import watch

    watch(shell)  # the cell id of each execution, for the procedure of a run
    from ..recording.native_quiet import quiet_tensorflow_start

    quiet_tensorflow_start()


def unregister(shell: InteractiveShell) -> None:
    from .question import keep_question_marks

    cleanup = getattr(shell, "input_transformers_cleanup", None)
    if cleanup is not None and keep_question_marks in cleanup:
        cleanup.remove(keep_question_marks)
    _show_journal_warnings_plainly(False)
    _show_cell_syntax_errors_plainly(shell, False)
    from ..capture.history import unwatch

    unwatch(shell)
    from ..recording.native_quiet import quiet_tensorflow_start

    quiet_tensorflow_start(False)
    manager = shell.magics_manager
    for kind in ("line", "cell"):
        for name in ("experiment", "inference", "journal"):
            manager.magics[kind].pop(name, None)


def _show_journal_warnings_plainly(on: bool) -> None:
    """Show the journal's warnings as their message alone, one line each.

    Python prefixes a warning with the file and line that raised it, which for
    a magic is IPython's own (``interactiveshell.py:2644:``) and its source
    line: noise for the user. Every other warning is shown as before.
    """
    global _previous_showwarning
    if on and _previous_showwarning is None:
        previous = _previous_showwarning = warnings.showwarning

        def show(message, category, filename, lineno, file=None, line=None):
            if _is_journal_warning(category):
                print(str(message), file=file or sys.stderr)
                return
            previous(message, category, filename, lineno, file, line)

        warnings.showwarning = show
    elif not on and _previous_showwarning is not None:
        warnings.showwarning = _previous_showwarning
        _previous_showwarning = None


def _is_journal_warning(category: object) -> bool:
    from ..errors import JournalWarning

    return isinstance(category, type) and issubclass(category, JournalWarning)


def _show_cell_syntax_errors_plainly(shell: InteractiveShell, on: bool) -> None:
    """A SyntaxError in an ``%%experiment`` cell is shown as a plain cell shows it: three lines.

    Raised from inside the magic, IPython would show it with the stack of
    nbjournal's frames. The cell still fails (so "Run all" stops there) and the
    error is the user's own. Left alone when another extension set IPython's
    one custom exception handler.
    """
    from .parse import CellSyntaxError

    if not hasattr(shell, "set_custom_exc"):
        return
    current = tuple(getattr(shell, "custom_exceptions", ()))
    if on and not current:
        shell.set_custom_exc((CellSyntaxError,), _plain_syntax_error)
    elif not on and current == (CellSyntaxError,):
        shell.set_custom_exc((), None)


def _plain_syntax_error(
    shell: InteractiveShell,
    etype: type[BaseException],
    value: BaseException,
    tb: TracebackType | None,
    tb_offset: int | None = None,
) -> None:
    shell._showtraceback(
        SyntaxError,
        value,
        shell.SyntaxTB.structured_traceback(SyntaxError, value, []),  # type: ignore[arg-type]
    )
