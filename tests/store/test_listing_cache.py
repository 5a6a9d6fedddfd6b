"""The listing kept on disk: a new process starts from it, and never lists wrongly because of it.

Each case lists the journal in a "new process" (a new :class:`Store` on the
same URL, whose listing starts empty and looks for the copy on disk) and
compares the DataFrame with a read that uses no copy at all.
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

import nbjournal
from nbjournal.journal import runs_frame
from nbjournal.store import Store, schema
from nbjournal.store.listing import RunListing
from nbjournal.store.listing_cache import DiskCopy

from .helpers import epochs, new_run, record


def listed(url: str, *, copy: bool = True) -> tuple[pd.DataFrame, bool]:
    """The listing a new process sees, and whether it started from the copy on disk."""
    store = Store(url)
    try:
        if not copy:
            store._listing = RunListing()
        frame = runs_frame(store.runs_table())
        return frame, store._listing.from_disk
    finally:
        store.close()


def assert_listed_right(url: str) -> bool:
    """The listing equals one read without any copy; returns whether the copy was used."""
    frame, from_disk = listed(url)
    pd.testing.assert_frame_equal(frame, listed(url, copy=False)[0])
    return from_disk


def fill(store: Store, runs: int = 4) -> list[int]:
    made = []
    for i in range(runs):
        run_id = new_run(store, f"exp-{i % 2}", params={"units": 32 * (i + 1), "lr": 0.01})
        record(store, run_id, {"loss": [1.0, 0.5 / (i + 1)], "accuracy": [0.5, 0.9]})
        made.append(run_id)
    store.finish_run(made[0], "finished")
    store.add_inference(made[0], "Wider helps", verdict="supported")
    return made


def copy_path(url: str) -> Path:
    return DiskCopy(Store(url).url).path


def test_a_new_process_starts_from_the_copy_and_reads_only_what_changed(store: Store) -> None:
    # Given a journal listed once (which leaves a copy on disk)
    runs = fill(store)
    assert not assert_listed_right(store.url)
    assert copy_path(store.url).exists()

    # When runs change, one is added and one gets a parameter no run had
    store.finish_run(runs[1], "failed", error="OOM")
    store.add_points(runs[2], epochs("val_loss", [0.3]))
    store.update_run(runs[3], params={"units": 8, "dropout": 0.5})
    store.add_inference(runs[2], "Noisy")
    new_run(store, "exp-new", params={"kernel": 3})

    # Then a new process starts from the copy, and lists what a full read lists
    assert assert_listed_right(store.url)


def test_a_copy_of_another_journals_listing_is_not_used(
    store: Store, new_journal_url: Callable[[], str]
) -> None:
    # Given two journals, each listed once, and the second's copy put in the first's place
    fill(store)
    other = Store(new_journal_url())
    fill(other, runs=3)
    listed(store.url), listed(other.url)
    shutil.copyfile(copy_path(other.url), copy_path(store.url))

    # Then the first journal is read afresh, and listed right
    assert not assert_listed_right(store.url)
    other.close()


def test_a_journal_file_replaced_by_another_is_read_afresh(tmp_path: Path) -> None:
    # Given a journal listed once, then its file replaced by another journal's with as many
    # runs and change numbers (made by the same steps, so only the contents differ)
    url = f"sqlite:///{tmp_path / 'journal.db'}"
    first = Store(url)
    fill(first)
    first.close()
    listed(url)
    before = listed(url)[0]
    second = Store(f"sqlite:///{tmp_path / 'other.db'}")
    fill(second)
    second.close()
    first_seq = _seq_of(url)
    shutil.copyfile(tmp_path / "other.db", tmp_path / "journal.db")
    assert _seq_of(url) == first_seq

    # Then the listing is the new file's (its runs started later)
    assert not assert_listed_right(url)
    assert (listed(url)[0]["started"] > before["started"]).all()


def test_a_journal_restored_from_a_backup_is_read_afresh(tmp_path: Path) -> None:
    # Given a journal backed up, changed, listed (the copy now has the changes)
    url = f"sqlite:///{tmp_path / 'journal.db'}"
    store = Store(url)
    runs = fill(store)
    store.close()
    shutil.copyfile(tmp_path / "journal.db", tmp_path / "backup.db")
    store = Store(url)
    store.add_inference(runs[1], "Before the restore")
    store.add_inference(runs[1], "Still before the restore")
    store.close()
    listed(url)

    # When the backup is put back: then the listing is the backup's
    shutil.copyfile(tmp_path / "backup.db", tmp_path / "journal.db")
    assert not assert_listed_right(url)

    # And when the copy is made after changes to one run, the backup put back, and as
    # many changes made to another run
    store = Store(url)
    store.add_inference(runs[1], "Before the restore")
    store.add_inference(runs[1], "Still before the restore")
    store.close()
    copy_path(url).unlink()
    listed(url)
    shutil.copyfile(tmp_path / "backup.db", tmp_path / "journal.db")
    store = Store(url)
    store.add_inference(runs[2], "After the restore")
    store.add_inference(runs[2], "Again after the restore")
    store.close()
    # then the change numbers agree with the copy's, but their sum does not
    assert not assert_listed_right(url)


def test_runs_deleted_by_hand_are_not_listed(store: Store) -> None:
    # Given a listed journal, then a run deleted with SQL and another run changed
    runs = fill(store)
    listed(store.url)
    with store.engine.begin() as connection:
        connection.execute(schema.runs.delete().where(schema.runs.c.id == runs[0]))
    store.add_inference(runs[1], "Checked")

    # Then the journal is read afresh, and the deleted run is gone from the listing
    assert not assert_listed_right(store.url)
    assert runs[0] not in listed(store.url)[0]["id"].tolist()


def test_a_copy_written_by_another_version_is_not_used(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a copy saved by another nbjournal version
    fill(store)
    monkeypatch.setattr(nbjournal, "__version__", "0.0.1-older")
    listed(store.url)
    monkeypatch.undo()

    # Then this version reads the journal instead
    assert not assert_listed_right(store.url)
    # and saves a copy of its own, which the next process uses
    assert assert_listed_right(store.url)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda b: b[: len(b) // 2], id="cut-short"),
        pytest.param(lambda b: b[:8], id="header-only"),
        pytest.param(lambda b: b"", id="empty"),
        pytest.param(lambda b: b"not a pickle at all" * 10, id="garbage"),
        pytest.param(lambda b: b[:40] + bytes(200) + b[240:], id="zeros-inside"),
    ],
)
def test_a_damaged_copy_is_ignored(store: Store, damage: Callable[[bytes], bytes]) -> None:
    # Given a listed journal whose copy is then damaged
    fill(store)
    listed(store.url)
    path = copy_path(store.url)
    path.write_bytes(damage(path.read_bytes()))

    # Then listing it reads the journal and lists it right
    assert not assert_listed_right(store.url)


def test_a_copy_holding_code_is_refused_unrun(store: Store, tmp_path: Path) -> None:
    # Given a copy with the right header whose body would run a command when unpickled
    fill(store)
    listed(store.url)
    path = copy_path(store.url)
    header_size = int.from_bytes(path.read_bytes()[:8], "big")
    header = path.read_bytes()[: 8 + header_size]
    marker = tmp_path / "ran"
    path.write_bytes(header + pickle.dumps(_Runs(f"touch {marker}")))

    # Then it is not used, and nothing ran
    assert not assert_listed_right(store.url)
    assert not marker.exists()


def test_processes_saving_at_once_leave_one_whole_copy(store: Store) -> None:
    # Given a journal that four processes list at the same moment (each saves a copy)
    fill(store)
    script = (
        "import sys; from nbjournal.store import Store; "
        "s = Store(sys.argv[1]); [s.runs_table() for _ in range(3)]"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    workers = [
        subprocess.Popen([sys.executable, "-c", script, store.url], env=env) for _ in range(4)
    ]
    assert [w.wait() for w in workers] == [0] * 4

    # Then one whole copy is left, no temporary file, and it lists right
    folder = copy_path(store.url).parent
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [copy_path(store.url).name, "listing.key"]
    )
    assert assert_listed_right(store.url)


def test_a_home_where_nothing_can_be_written_lists_without_a_copy(store: Store) -> None:
    # Given a journal home whose cache folder cannot be made (a file is in its place)
    runs = fill(store)
    folder = copy_path(store.url).parent
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_text("not a folder")

    # Then listings are right, every time, and nothing is raised
    assert not assert_listed_right(store.url)
    store.add_inference(runs[0], "Later")
    assert not assert_listed_right(store.url)


def test_no_copy_is_kept_when_turned_off(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NBJOURNAL_LISTING_CACHE", "0")
    fill(store)
    assert not assert_listed_right(store.url)
    assert not copy_path(store.url).parent.exists()


class _Runs:
    def __init__(self, command: str) -> None:
        self.command = command

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (self.command,))


def _seq_of(url: str) -> tuple[int, int]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            counter = connection.execute(sa.text("SELECT value FROM change_counter")).scalar()
            count = connection.execute(sa.text("SELECT COUNT(*) FROM runs")).scalar()
        return int(counter), int(count)
    finally:
        engine.dispose()


def test_a_copy_is_checked_even_when_the_first_read_after_loading_it_fails(store: Store) -> None:
    # Given a listed journal, then a run changed by hand in a way only the sum of change
    # numbers shows (its text rewritten, its change number moved back)
    from nbjournal.errors import JournalUnavailable

    runs = fill(store)
    listed(store.url)
    with store.engine.begin() as connection:
        connection.execute(
            schema.runs.update()
            .where(schema.runs.c.id == runs[0])
            .values(hypothesis="Rewritten by hand", change_seq=schema.runs.c.change_seq - 1)
        )

    # When a new process's first listing fails on its read of the journal, and it lists again
    fresh = Store(store.url)
    read = fresh._listing_delta
    failures = iter([True])

    def flaky(since: int | None, check: bool = False):  # type: ignore[no-untyped-def]
        if next(failures, False):
            raise JournalUnavailable("the journal went away for a moment")
        return read(since, check)

    fresh._listing_delta = flaky  # type: ignore[method-assign]
    with pytest.raises(JournalUnavailable):
        fresh.runs_table()
    frame = runs_frame(fresh.runs_table())
    fresh.close()

    # Then the second listing still checked the copy, and lists the run as it is now
    assert "Rewritten by hand" in frame["hypothesis"].tolist()
    pd.testing.assert_frame_equal(frame, listed(store.url, copy=False)[0])


def _forge(url: str, change: Callable[[dict], None], *, seal: bool) -> None:
    """Rewrite ``url``'s copy with ``change`` made to its state: resealed under the home's key
    (``seal``: what only the home's owner can do) or with a seal made up by someone who can
    write the cache folder but not read the key."""
    import hashlib
    import hmac

    copy = DiskCopy(Store(url).url)
    raw = copy.path.read_bytes()
    header_end = 8 + int.from_bytes(raw[:8], "big")
    state = pickle.loads(raw[header_end + 32 :])
    change(state)
    body = pickle.dumps(state)
    if seal:
        made = copy._seal(body, create=False)
    else:
        made = hmac.new(os.urandom(32) + copy.key.encode(), body, hashlib.sha256).digest()
    assert made is not None
    copy.path.write_bytes(raw[:header_end] + made + body)


def test_a_forged_copy_with_the_right_counters_is_not_trusted(store: Store) -> None:
    # Given a copy on disk rewritten by someone who can write the cache folder (issue 19.8):
    # the same journal, change number and runs, a planted hypothesis
    fill(store)
    listed(store.url)
    _forge(store.url, lambda s: s["fields"]["hypothesis"].__setitem__(0, "PLANTED"), seal=False)

    # Then the next process reads the journal instead, and shows no planted text
    frame, from_disk = listed(store.url)
    assert not from_disk and "PLANTED" not in frame["hypothesis"].tolist()


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda s: s["fields"]["started"].__setitem__(0, "yesterday"), id="text-time"),
        pytest.param(lambda s: s["fields"]["tags"].__setitem__(0, (1, 2)), id="number-tags"),
        pytest.param(lambda s: s.__setitem__("params", {"units": 3}), id="column-not-list"),
        pytest.param(lambda s: s["seq"].__setitem__(0, "7"), id="text-seq"),
        pytest.param(lambda s: s.__setitem__("inference", None), id="no-inference"),
    ],
)
def test_an_ill_typed_copy_is_ignored_not_raised(store: Store, change) -> None:
    # Given a copy sealed by its own home but of the wrong types (a bug, a hand edit)
    fill(store)
    listed(store.url)
    _forge(store.url, change, seal=True)

    # Then listing it reads the journal and lists it right, in this process and the next
    assert not assert_listed_right(store.url)
    assert assert_listed_right(store.url)
