"""``%journal trust [list | add KEY [NAME…] | remove KEY]``: whose pickles may load here.

The words are parsed here and handed to :mod:`nbjournal.artifacts.trust`, which the
``nbjournal trust`` console command calls too; what is printed is plain text, the
same in a notebook and a terminal.
"""

from __future__ import annotations

from collections.abc import Sequence

from IPython.core.error import UsageError

USAGE = "usage: %journal trust [list | add KEY [NAME…] | remove KEY]"


def trust_command(words: Sequence[str]) -> None:
    """Run one ``%journal trust`` line (the words after ``trust``) and print the outcome."""
    from ..artifacts.trust import keys_text, trust_add, trust_remove

    action = words[0] if words else "list"
    if action == "list" and len(words) <= 1:
        print(keys_text())
        return
    if action == "add" and len(words) >= 2:
        added = trust_add(words[1], " ".join(words[2:]) or None)
        print(f"Trusted {added.key} ({added.name}): their signed artifacts now load here.")
        return
    if action == "remove" and len(words) == 2:
        if trust_remove(words[1]):
            print(f"No longer trusted: {words[1]}")
        else:
            print(f"{words[1]} was not trusted: nothing changed")
        return
    raise UsageError(USAGE)
