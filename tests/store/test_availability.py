"""When the journal cannot be written or reached, the error says so plainly (DESIGN §4.1, §4.3).

The recorder turns :class:`JournalUnavailable` into a warning and lets the
cell run on; these tests hold the store to raising exactly that, with a
message a user can act on, and to still reading a journal it cannot write.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import pwd
import shutil
import socket
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from nbjournal.config import resolve_url
from nbjournal.errors import BadJournalURL, JournalError, JournalUnavailable
from nbjournal.journal import Journal
from nbjournal.store import Store, schema
from tests.pg_schemas import PG_SKIP_REASON, pg_admin_url

from .helpers import epochs, new_run, record

# -- a journal nobody may write ----------------------------------------------


def _without_write_permission(probe: Callable[[], Any]) -> Any:
    """Run ``probe`` as a user for whom the journal's permission bits hold.

    File modes do not bind root, and these tests run as root on CI machines,
    so there the probe runs in a forked child that became ``nobody``. Fork
    (not spawn) because the interpreter's own files may be unreadable to
    ``nobody``: the child must already have everything imported.
    """
    if os.geteuid() != 0:
        return probe()
    nobody = pwd.getpwnam("nobody")
    # Earlier tests leave TensorFlow objects behind; collected in the child, their
    # finalisers call into TensorFlow's runtime, which does not survive a fork
    # (a segfault). Collect them here, and never in the child.
    gc.collect()
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        gc.disable()
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            outcome: tuple[str, Any] = ("ok", probe())
        except BaseException as error:
            outcome = ("error", f"{type(error).__name__}: {error}")
        with os.fdopen(write_end, "wb") as pipe:
            pickle.dump(outcome, pipe)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        payload = pipe.read()
    _, status = os.waitpid(child, 0)
    if not payload:
        pytest.fail(f"the unprivileged probe died without an answer (wait status {status})")
    kind, value = pickle.loads(payload)
    if kind == "error":
        pytest.fail(f"the unprivileged probe failed: {value}")
    return value


def _attempt(call: Callable[[], Any]) -> tuple[str, str]:
    try:
        call()
    except JournalError as error:
        return type(error).__name__, str(error)
    return "no error", ""


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder that the unprivileged probe can reach (``tmp_path`` sits under a 0700 one)."""
    folder = Path(tempfile.mkdtemp(prefix="nbjournal-ro-"))
    folder.chmod(0o755)
    try:
        yield folder / "journal"
    finally:
        for path in folder.rglob("*"):
            path.chmod(0o700 if path.is_dir() else 0o600)
        shutil.rmtree(folder)


@pytest.mark.parametrize("folder_mode", [0o555, 0o777], ids=["folder-read-only", "folder-writable"])
def test_a_read_only_journal_is_readable_and_refuses_writes_clearly(
    shared_folder: Path, folder_mode: int
) -> None:
    # Given a journal with a finished run, its metrics and an inference...
    shared_folder.mkdir()
    path = shared_folder / "journal.db"
    url = f"sqlite:///{path}"
    writer = Store(url)
    run_id = new_run(writer, hypothesis="Dropout helps", tags=["reg"])
    record(writer, run_id, {"loss": [0.8, 0.5], "val_accuracy": [0.9, 0.93]})
    writer.finish_run(run_id, "finished")
    writer.add_inference(run_id, "It did.", verdict="supported")
    writer.close()
    # ...made read-only (the file 0444, its folder read-only or not)
    path.chmod(0o444)
    shared_folder.chmod(folder_mode)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()

    def probe() -> dict[str, Any]:
        store = Store(url)
        run = store.get_run(run_id)
        table = store.runs_table()
        return {
            "listed": [r.id for r in store.list_runs()],
            "hypothesis": run.hypothesis,
            "inference": run.inference.text if run.inference else None,
            "best": run.metrics["val_accuracy"].best,
            "points": [p.value for p in store.metric_points(run_id, names=["loss"])],
            "table": (table.id, sorted(table.metrics)),
            "experiments": [e.name for e in store.experiments()],
            "create_run": _attempt(lambda: store.create_run(experiment="x", fingerprint="y")),
            "add_points": _attempt(lambda: store.add_points(run_id, epochs("loss", [0.1]))),
            "finish_run": _attempt(lambda: store.finish_run(run_id, "failed")),
            "add_inference": _attempt(lambda: store.add_inference(run_id, "More.")),
            "after": [(r.id, r.status, r.inference_count) for r in store.list_runs()],
        }

    # When a user without write permission opens it
    seen = _without_write_permission(probe)

    # Then everything reads back...
    assert seen["listed"] == [run_id]
    assert (seen["hypothesis"], seen["inference"], seen["best"]) == (
        "Dropout helps",
        "It did.",
        0.93,
    )
    assert seen["points"] == [0.8, 0.5]
    assert seen["table"] == ([run_id], ["loss", "val_accuracy"])
    assert seen["experiments"] == ["digits-mlp"]
    # ...every write is refused with a message naming the journal and the reason...
    for write in ("create_run", "add_points", "finish_run", "add_inference"):
        kind, message = seen[write]
        assert kind == "JournalUnavailable", (write, kind, message)
        assert str(path) in message and "read-only" in message, message
    # ...and nothing changed
    assert seen["after"] == [(run_id, "finished", 1)]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


def test_a_read_only_journal_with_a_dead_kernels_run_can_be_browsed(
    shared_folder: Path, tmp_path: Path
) -> None:
    # Given a journal whose run was left running by a kernel on another machine, long silent...
    shared_folder.mkdir()
    path = shared_folder / "journal.db"
    url = f"sqlite:///{path}"
    writer = Store(url)
    run_id = new_run(writer, hypothesis="Dropout helps")
    record(writer, run_id, {"loss": [0.8, 0.5]})
    with writer.engine.begin() as connection:
        connection.execute(
            schema.runs.update()
            .where(schema.runs.c.id == run_id)
            .values(host="another-machine.example", pid=1, heartbeat=0.0)
        )
    writer.close()
    # ...and made read-only
    path.chmod(0o444)
    shared_folder.chmod(0o555)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    # (the probe cannot import what it has not: pandas' lazy imports are done here first)
    warm = Store(f"sqlite:///{tmp_path / 'warm.db'}")
    warmed = Journal.__new__(Journal)
    warmed.store = warm
    warmed.runs()
    warm.close()

    def probe() -> dict[str, Any]:
        store = Store(url)  # opening tries to reap, cannot write, and carries on
        token, changed = store.changes(0)
        frame = Journal(url).runs()
        return {
            "run": store.get_run(run_id).status,
            "listed": [(r.id, r.status) for r in store.list_runs()],
            "table": store.runs_table().id,
            "frame": list(zip(frame["id"], frame["status"], strict=True)),
            "experiments": [(e.name, e.running) for e in store.experiments()],
            "changes": (token, [r.id for r in changed], store.changes(token)[1]),
            "reaped": store.reap_crashed(),
        }

    # When a user without write permission browses it
    seen = _without_write_permission(probe)

    # Then every read answers, the run shows as it was left, and the file is untouched
    assert seen["run"] == "running"
    assert seen["listed"] == [(run_id, "running")]
    assert seen["table"] == [run_id]
    assert seen["frame"] == [(run_id, "running")]
    assert seen["experiments"] == [("digits-mlp", 1)]
    assert seen["changes"][1:] == ([run_id], [])
    assert seen["reaped"] == []
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


def test_a_journal_in_a_folder_that_cannot_be_created_is_unavailable(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(JournalUnavailable, match="a-file"):
        Store(f"sqlite:///{blocker}/journal.db")


def test_a_file_that_is_not_a_journal_is_unavailable_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database" * 100)
    with pytest.raises(JournalUnavailable, match=r"notes\.db"):
        Store(f"sqlite:///{path}")
    assert path.read_bytes() == b"these are my notes, not a database" * 100


# -- URLs -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("not a url", "not a journal URL"),
        ("~/journal.db", "not a journal URL"),
        ("mysql://me@db/journal", "unsupported journal backend 'mysql'"),
        ("mongodb://localhost/journal", "unsupported journal backend"),
        ("sqlite://", "names no file"),
        ("sqlite:///:memory:", "names no file"),
    ],
)
def test_a_bad_url_is_refused_with_its_reason(url: str, reason: str) -> None:
    with pytest.raises(BadJournalURL, match=reason):
        resolve_url(url)
    with pytest.raises(BadJournalURL, match=reason):
        Store(url)


def test_a_bad_url_in_the_environment_is_refused(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NBJOURNAL_URL", "oracle://scott@tiger/journal")
    with pytest.raises(BadJournalURL, match="unsupported journal backend 'oracle'"):
        resolve_url()


def test_the_default_journal_lives_under_nbjournal_home(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NBJOURNAL_HOME", str(tmp_path / "home"))
    assert resolve_url() == f"sqlite:///{tmp_path / 'home' / 'journal.db'}"
    store = Store()
    try:
        new_run(store)
        assert (tmp_path / "home" / "journal.db").is_file()
    finally:
        store.close()


def test_a_plain_postgresql_url_uses_psycopg_3() -> None:
    assert resolve_url("postgresql://me:pw@db.example:5432/lab") == (
        "postgresql+psycopg://me:pw@db.example:5432/lab"
    )


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_postgresql_is_unavailable_and_keeps_the_password_secret() -> None:
    url = f"postgresql+psycopg://nbjournal:s3cret-pw@127.0.0.1:{_closed_port()}/journal"
    with pytest.raises(JournalUnavailable) as raised:
        Store(url)
    message = str(raised.value)
    assert "127.0.0.1" in message and "s3cret-pw" not in message
    assert "unavailable" in message


@pytest.mark.postgres
def test_a_missing_postgresql_database_is_unavailable() -> None:
    from sqlalchemy.engine import make_url

    admin = pg_admin_url()
    if admin is None:
        pytest.skip(PG_SKIP_REASON)
    url = make_url(admin).set(database="nbjournal_no_such_db")
    with pytest.raises(JournalUnavailable, match="nbjournal_no_such_db"):
        Store(url.render_as_string(hide_password=False))


def test_a_statement_the_database_refuses_is_the_requests_fault_not_an_outage(store) -> None:
    """A statement too deep for SQLite, or a value PostgreSQL cannot hold (issue 19.3, 19.7):
    :class:`RefusedByJournal` (400 on REST), and the journal is not marked unavailable."""
    import sqlalchemy as sa

    from nbjournal.errors import JournalUnavailable, RefusedByJournal
    from nbjournal.store import bounded, check_available
    from nbjournal.store.schema import runs

    deep = sa.literal(1)
    for index in range(1200):  # past SQLite's expression depth of 1000
        deep = deep + sa.literal(index)
    huge = sa.cast(sa.literal("1" + "0" * 400), sa.Float)  # out of float8's range on PostgreSQL

    def refused() -> None:
        with store._transaction() as connection:
            if store.backend == "sqlite":
                connection.execute(sa.select(deep))
            else:
                connection.execute(sa.select(runs.c.id).where(runs.c.id < huge))

    with pytest.raises(RefusedByJournal) as raised:
        bounded(store.url, refused)
    assert not isinstance(raised.value, JournalUnavailable)
    assert "the journal" in str(raised.value)
    check_available(store.url)  # no back-off: the next call goes through
    assert bounded(store.url, lambda: store.runs_table()) is not None
