"""The IPython magics, registered by ``%load_ext nbjournal``.

The magics only parse lines and delegate (:mod:`.journal_magics`); nothing
heavy is imported until a magic runs.
"""

from __future__ import annotations

from typing import Any


def register(shell: Any) -> None:
    from .journal_magics import JournalMagics

    shell.register_magics(JournalMagics)


def unregister(shell: Any) -> None:
    manager = shell.magics_manager
    for kind in ("line", "cell"):
        for name in ("experiment", "inference", "journal"):
            manager.magics[kind].pop(name, None)
