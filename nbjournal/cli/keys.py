"""``nbjournal trust [list | add KEY [NAME…] | remove KEY]``: whose signed pickles load here.

Data-only artifacts load from anyone; a pickle, a cloudpickle or a module not
yet imported loads only from a row signed by a trusted key (README "Sharing a
journal"). These commands edit the list in ``NBJOURNAL_HOME/keys/trusted``
through :mod:`nbjournal.artifacts.trust`, as ``%journal trust`` does.
"""

from __future__ import annotations

import argparse

from .registry import Commands


def register(commands: Commands) -> None:
    trust = commands.add(
        "trust",
        show,
        "whose signed pickles load here: your key, the keys you trust",
        formats=(),
    )
    actions = trust.add_subparsers(dest="trust_action", metavar="{list,add,remove}")
    listing = actions.add_parser("list", help="your key and the keys you trust")
    listing.set_defaults(action=show)
    add = actions.add_parser(
        "add", help="trust a teammate's key (as their `nbjournal trust` shows it)"
    )
    add.add_argument("key", help="ed25519:…")
    add.add_argument("name", nargs="*", help="a note: whose key it is")
    add.set_defaults(action=add_key)
    remove = actions.add_parser("remove", help="stop trusting a key")
    remove.add_argument("key", help="ed25519:…")
    remove.set_defaults(action=remove_key)


def show(arguments: argparse.Namespace) -> int:
    from ..artifacts.trust import keys_text

    print(keys_text())
    return 0


def add_key(arguments: argparse.Namespace) -> int:
    from ..artifacts.trust import trust_add

    added = trust_add(arguments.key, " ".join(arguments.name) or None)
    print(f"Trusted {added.key} ({added.name}): their signed artifacts now load here.")
    return 0


def remove_key(arguments: argparse.Namespace) -> int:
    from ..artifacts.trust import trust_remove
    from .registry import fail

    if not trust_remove(arguments.key):
        return fail(f"{arguments.key} was not trusted: nothing changed")
    print(f"No longer trusted: {arguments.key}")
    return 0
