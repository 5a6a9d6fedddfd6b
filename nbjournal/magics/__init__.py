"""The IPython magics, registered by ``%load_ext nbjournal``.

The magics only parse lines and delegate (:mod:`.journal_magics`); nothing
heavy is imported until a magic runs.
"""

from __future__ import annotations

from typing import Any


def register(shell: Any) -> None:
    from .journal_magics import JournalMagics
    from .question import keep_question_marks

    shell.register_magics(JournalMagics)
    cleanup = getattr(shell, "input_transformers_cleanup", None)
    if cleanup is not None and keep_question_marks not in cleanup:
        cleanup.append(keep_question_marks)


def unregister(shell: Any) -> None:
    from .question import keep_question_marks

    cleanup = getattr(shell, "input_transformers_cleanup", None)
    if cleanup is not None and keep_question_marks in cleanup:
        cleanup.remove(keep_question_marks)
    manager = shell.magics_manager
    for kind in ("line", "cell"):
        for name in ("experiment", "inference", "journal"):
            manager.magics[kind].pop(name, None)
