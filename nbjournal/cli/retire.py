"""``nbjournal delete | restore | purge``: the trash, then removal for good.

``delete`` moves runs (named, or every run a query matches: a whole grid's,
an experiment's) to the trash: hidden everywhere, kept whole. ``restore``
brings them back. ``purge`` removes trashed runs with their metric points and
the artifact blobs no remaining run uses, except runs an inference rests on
or cites, or that a kept run repeats (``--force`` purges those too).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from typing import Any

from .journal import open_journal
from .output import Table, emit
from .registry import Commands
from .runs import run_id

_AGE = re.compile(r"^(?P<count>\d+(?:\.\d+)?)(?P<unit>[smhdw])$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def register(commands: Commands) -> None:
    delete = commands.add(
        "delete",
        delete_runs,
        "move runs to the trash (restore brings them back; purge removes them)",
        formats=("json",),
    )
    delete.add_argument("runs", nargs="*", metavar="RUN", help="run ids")
    delete.add_argument(
        "--query",
        metavar="QUERY",
        help="every run this query matches (the runs grammar: 'experiment:typo', 'lr>1')",
    )
    delete.add_argument("--grid", metavar="ID", type=int, help="every run of this grid")
    restore = commands.add(
        "restore", restore_runs, "bring runs back from the trash", formats=("json",)
    )
    restore.add_argument("runs", nargs="*", metavar="RUN", help="run ids")
    restore.add_argument("--all", action="store_true", help="everything in the trash")
    purge = commands.add(
        "purge",
        purge_trash,
        "remove trashed runs for good, with their points and unshared artifacts",
        formats=("json",),
    )
    purge.add_argument(
        "--older-than",
        metavar="AGE",
        type=age,
        help="only runs in the trash this long at least: 30d, 12h, 90m, 2w",
    )
    purge.add_argument(
        "--force",
        action="store_true",
        help="purge runs an inference rests on or cites, or a kept run repeats, too",
    )
    purge.add_argument("--dry-run", action="store_true", help="say what would go; change nothing")
    purge.add_argument(
        "--artifacts",
        metavar="URL",
        help="where artifact blobs live (default: NBJOURNAL_ARTIFACTS, else beside the journal)",
    )
    trash = commands.add("trash", list_trash, "the runs in the trash")
    trash.add_argument("--older-than", metavar="AGE", type=age, help="in the trash this long")


def delete_runs(arguments: argparse.Namespace) -> int:
    from ..errors import BadInput

    given = sum(bool(x) for x in (arguments.runs, arguments.query, arguments.grid is not None))
    if given != 1:
        raise BadInput("delete takes run ids, or --query QUERY, or --grid ID (one of them)")
    ids = [run_id(text) for text in arguments.runs]
    store = open_journal(arguments)
    if arguments.query:
        from ..store import run_order

        with store._transaction() as connection:
            ids, _ = run_order.find(connection, q=arguments.query)
        if not ids:
            raise BadInput(f"no kept run matches {arguments.query!r}: nothing deleted")
    elif arguments.grid is not None:
        ids = [point.run_id for point in store.get_grid(arguments.grid).points]
        if not ids:
            raise BadInput(f"grid #{arguments.grid} has no kept run: nothing deleted")
    gone = store.trash(ids)
    if arguments.format == "json":
        return emit("json", Table([], []), {"trashed": gone})
    already = len(ids) - len(gone)
    print(
        f"moved {_runs(gone)} to the trash"
        + (f" ({already} already there)" if already else "")
        + (f"; undo: nbjournal restore {' '.join(map(str, gone))}" if 0 < len(gone) <= 20 else "")
        + ("; undo: nbjournal restore --all" if len(gone) > 20 else "")
    )
    return 0


def restore_runs(arguments: argparse.Namespace) -> int:
    from ..errors import BadInput

    if bool(arguments.runs) == bool(arguments.all):
        raise BadInput("restore takes run ids, or --all (everything in the trash)")
    store = open_journal(arguments)
    ids = store.trashed_ids() if arguments.all else [run_id(t) for t in arguments.runs]
    if not ids:
        raise BadInput("the trash is empty: nothing restored")
    back = store.restore(ids)
    if arguments.format == "json":
        return emit("json", Table([], []), {"restored": back})
    not_there = len(ids) - len(back)
    print(
        f"restored {_runs(back)}" + (f" ({not_there} were not in the trash)" if not_there else "")
    )
    return 0


def purge_trash(arguments: argparse.Namespace) -> int:
    store = open_journal(arguments)
    found = store.purge(
        older_than=arguments.older_than, force=arguments.force, dry_run=arguments.dry_run
    )
    removed = 0
    if found.blobs and not arguments.dry_run:
        removed = _remove_blobs(found.blobs, arguments.artifacts)
    payload: dict[str, Any] = {
        "purged": list(found.runs),
        "points": found.points,
        "blobs": removed if not arguments.dry_run else len(found.blobs),
        "held": [{"run_id": h.run_id, "reason": h.reason} for h in found.held],
        "dry_run": arguments.dry_run,
    }
    if arguments.format == "json":
        return emit("json", Table([], []), payload)
    verb = "would purge" if arguments.dry_run else "purged"
    blobs = len(found.blobs) if arguments.dry_run else removed
    print(f"{verb} {_runs(found.runs)}, {found.points:,} metric points, {blobs} artifact blobs")
    for held in found.held:
        print(f"kept run #{held.run_id}: {held.reason} (--force purges it)")
    return 0


def list_trash(arguments: argparse.Namespace) -> int:
    from ..rules.format import first_line
    from ..server.payloads import run_summary
    from .output import iso

    store = open_journal(arguments)
    ids = store.trashed_ids(arguments.older_than)
    runs = sorted(store.list_runs(ids=ids, trashed=True), key=lambda r: -r.id) if ids else []
    table = Table(
        ["id", "experiment", "status", "deleted", "hypothesis"],
        [[r.id, r.experiment, r.status, iso(r.deleted_at), first_line(r.hypothesis)] for r in runs],
    )
    if arguments.format == "text":
        table.notes.append(f"{_runs([r.id for r in runs], named=False)} in the trash")
    return emit(arguments.format, table, {"runs": [run_summary(r) for r in runs]})


def age(text: str) -> float:
    """``30d`` as seconds (s, m, h, d, w)."""
    match = _AGE.match(text.strip().lower())
    if match is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not an age: use 30d, 12h, 90m, 2w or 45s")
    return float(match["count"]) * _SECONDS[match["unit"]]


def _remove_blobs(digests: tuple[str, ...], url: str | None) -> int:
    from ..artifacts import open_blobs
    from ..errors import JournalError

    try:
        blobs = open_blobs(url)
    except JournalError as error:
        print(f"nbjournal: artifact blobs left in place: {error}", file=sys.stderr)
        return 0
    return sum(blobs.remove(digest) for digest in digests)


def _runs(given: Iterable[int], named: bool = True) -> str:
    ids = list(given)
    if not ids:
        return "no runs"
    if not named:
        return f"{len(ids)} run{'s' if len(ids) != 1 else ''}"
    listed = " ".join(f"#{i}" for i in ids[:10]) + (" …" if len(ids) > 10 else "")
    return f"{len(ids)} run{'s' if len(ids) != 1 else ''} ({listed})"
