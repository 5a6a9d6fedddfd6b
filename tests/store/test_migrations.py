"""A journal written by an older release opens in this one; migrations build the declared schema."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from nbjournal.errors import JournalUnavailable
from nbjournal.store import Store, schema
from nbjournal.store.engine import HEAD_REVISION, current_revision

from .helpers import epochs
from .upgrade_assets.make_assets import JOURNAL_0_1_0

ASSETS = Path(__file__).with_name("upgrade_assets")


def _schema_of(engine: sa.Engine) -> dict[str, Any]:
    """Tables, columns, keys and indexes as the database reports them (not as declared)."""
    inspector = sa.inspect(engine)
    found: dict[str, Any] = {}
    for table in sorted(set(inspector.get_table_names()) - {"alembic_version"}):
        found[table] = {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"], c.get("default"))
                for c in inspector.get_columns(table)
            ],
            "primary_key": inspector.get_pk_constraint(table)["constrained_columns"],
            "foreign_keys": sorted(
                (
                    tuple(fk["constrained_columns"]),
                    fk["referred_table"],
                    tuple(fk["referred_columns"]),
                    (fk.get("options") or {}).get("ondelete"),
                )
                for fk in inspector.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (ix["name"], tuple(ix["column_names"]), bool(ix["unique"]))
                for ix in inspector.get_indexes(table)
            ),
            "unique": sorted(
                tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)
            ),
        }
    return found


def _declared_schema(url: str) -> dict[str, Any]:
    engine = sa.create_engine(url)
    try:
        schema.metadata.create_all(engine)
        return _schema_of(engine)
    finally:
        engine.dispose()


def test_the_migrations_build_exactly_the_declared_schema(
    new_journal_url: Callable[[], str],
) -> None:
    # Given one empty database migrated by Alembic, another created from schema.metadata
    migrated = Store(new_journal_url())
    try:
        # When both are inspected
        built = _schema_of(migrated.engine)
        declared = _declared_schema(new_journal_url())
        revision = current_revision(migrated.engine)
    finally:
        migrated.close()

    # Then they have the same tables, columns, keys and indexes, at the head revision
    assert set(built) == {t.name for t in schema.metadata.sorted_tables}
    assert built == declared
    assert revision == HEAD_REVISION


def test_the_migrated_schema_has_no_drift_from_the_declared_one(store: Store) -> None:
    """Alembic's own comparison, as a second opinion on types and nullability."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), schema.metadata)
    assert differences == []


@pytest.fixture
def journal_0_1_0(tmp_path: Path) -> Path:
    """A copy of the journal release 0.1.0 wrote (the committed file is never opened)."""
    copy = tmp_path / "journal-0.1.0.db"
    shutil.copyfile(ASSETS / "journal-0.1.0.db", copy)
    return copy


def test_a_journal_from_0_1_0_opens_and_reads_back(journal_0_1_0: Path) -> None:
    # Given the journal 0.1.0 wrote
    # When this version opens it
    store = Store(f"sqlite:///{journal_0_1_0}")
    try:
        runs = {run.id: run for run in (store.get_run(r.id) for r in store.list_runs())}
        points = {run_id: store.metric_points(run_id) for run_id in runs}
        revision = current_revision(store.engine)
    finally:
        store.close()

    # Then it is at the newest schema and every run reads back as written
    assert revision == HEAD_REVISION
    assert sorted(runs) == [1, 2, 3]
    for run_id, spec in enumerate(JOURNAL_0_1_0, start=1):
        run = runs[run_id]
        assert (run.experiment, run.status, run.error) == (
            spec["experiment"], spec["status"], spec["error"],
        )  # fmt: skip
        assert (run.hypothesis, run.code, run.fingerprint) == (
            spec["hypothesis"], spec["code"], spec["fingerprint"],
        )  # fmt: skip
        assert run.full_params == spec["params"]
        assert run.tags == tuple(sorted(spec["tags"]))
        assert [(i.text, i.verdict) for i in run.inferences] == spec["inferences"]
        assert run.inference_history == ()
        for name, values in spec["history"].items():
            assert [
                p.value for p in points[run_id] if p.name == name and p.kind == "epoch"
            ] == values
            assert run.metrics[name].last == values[-1]
            assert run.metrics[name].count == len(values)
        for name, value in spec["final"].items():
            assert run.metrics[name].last == value
        batches = [p.value for p in points[run_id] if p.kind == "batch"]
        assert batches == spec["batches"]
    first = runs[1]
    assert (first.metrics["val_accuracy"].best, first.metrics["val_accuracy"].best_epoch) == (
        0.95,
        3,
    )
    assert first.params["optimizer.class"] == "Adam"


def test_a_journal_from_0_1_0_accepts_new_runs_and_lists_with_them(journal_0_1_0: Path) -> None:
    store = Store(f"sqlite:///{journal_0_1_0}")
    try:
        run_id = store.create_run(experiment="digits-mlp", fingerprint="new")
        store.add_points(run_id, epochs("val_accuracy", [0.9, 0.98]))
        store.finish_run(run_id, "finished")
        assert run_id == 4
        assert [r.id for r in store.list_runs(experiment="digits-mlp")] == [4, 2, 1]
        best = {e.name: e for e in store.experiments()}["digits-mlp"]
        # run 1 returned test_accuracy from its cell: a reported metric is the key metric
        # (metric_goals.key_metric), so the experiment's headline stays test_accuracy
        assert (best.best_metric, best.best_value, best.best_run) == ("test_accuracy", 0.972, 1)
        new = store.get_run(run_id)
        assert new.key_metric is not None and new.key_metric.name == "val_accuracy"
        # an inference 0.1.0 wrote can be edited; its old text is kept (0013_inference_history)
        old = next(r for r in (store.get_run(i) for i in (1, 2, 3)) if r.inferences)
        written = old.inferences[0]
        store.edit_inference(written.id, "said again", "inconclusive")
        [kept] = store.get_run(old.id).inference_history
        assert (kept.text, kept.verdict) == (written.text, written.verdict)
    finally:
        store.close()


def test_a_journal_from_0_1_0_ends_with_the_declared_schema(
    journal_0_1_0: Path, tmp_path: Path
) -> None:
    upgraded = Store(f"sqlite:///{journal_0_1_0}")
    try:
        assert _schema_of(upgraded.engine) == _declared_schema(f"sqlite:///{tmp_path / 'new.db'}")
    finally:
        upgraded.close()


def test_a_journal_from_a_newer_release_is_refused_and_left_alone(tmp_path: Path) -> None:
    # Given a journal whose schema revision this version has never heard of
    path = tmp_path / "future.db"
    Store(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.close()
    before = path.read_bytes()

    # When this version opens it, then it says why, and changes nothing
    with pytest.raises(JournalUnavailable, match=r"revision '9999'.*newer nbjournal"):
        Store(f"sqlite:///{path}")
    assert path.read_bytes() == before


def test_opening_twice_does_not_migrate_twice(journal_url: str) -> None:
    Store(journal_url).close()
    again = Store(journal_url)
    try:
        with again.engine.connect() as connection:
            versions = connection.execute(sa.text("SELECT version_num FROM alembic_version")).all()
        assert versions == [(HEAD_REVISION,)]
    finally:
        again.close()


def test_every_migration_runs_in_one_transaction_held_from_the_first_read(
    journal_url: str,
) -> None:
    """Kernels that create a journal together wait for the one that migrates: Alembic would
    commit after each migration on SQLite, and a waiting kernel would then run one of them
    again ("duplicate column name: nearest", seen with 4-8 processes)."""
    from nbjournal.store.engine import create_engine, migrate

    engine = create_engine(journal_url)
    commits: list[int] = []
    sa.event.listen(engine, "commit", lambda connection: commits.append(1))
    try:
        ran = migrate(engine)
        assert ran and ran[-1].startswith(HEAD_REVISION)
        assert commits == [1]  # one transaction, from the revision's read to the last migration
        assert migrate(engine) == []
    finally:
        engine.dispose()


def _journal_at(url: str, revision: str) -> None:
    """A journal as an older nbjournal left it: the migrations up to ``revision`` only."""
    from alembic import command
    from alembic.config import Config

    from nbjournal.store.engine import MIGRATIONS, create_engine

    engine = create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.connect() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            connection.commit()
    finally:
        engine.dispose()


def test_a_journal_from_0_1_0_counts_its_changes_on(journal_0_1_0: Path) -> None:
    # Given the journal 0.1.0 wrote (three runs, no change counter), opened by this version
    store = Store(f"sqlite:///{journal_0_1_0}")
    try:
        # When the sidebar takes a token, and a kernel records a point on an old run
        token, _ = store.changes(None)
        store.add_points(1, epochs("loss", [0.1], first_epoch=50))
        after, changed = store.changes(token)
    finally:
        store.close()

    # Then the old runs were numbered in order, and the new change is reported after them
    assert token == 3
    assert (after, [r.id for r in changed]) == (4, [1])


def test_a_journal_is_upgraded_by_hand_and_says_what_ran(journal_url: str, capsys) -> None:  # type: ignore[no-untyped-def]
    from nbjournal.__main__ import main

    # Given a journal an older nbjournal left at revision 0001
    _journal_at(journal_url, "0001")

    # When its keeper looks, upgrades, and looks again
    assert main(["db", "current", "--journal", journal_url]) == 0
    before = capsys.readouterr().out
    assert main(["db", "upgrade", "--journal", journal_url]) == 0
    upgraded = capsys.readouterr().out
    assert main(["db", "upgrade", "--journal", journal_url]) == 0
    again = capsys.readouterr().out
    assert main(["db", "current", "--journal", journal_url]) == 0
    after = capsys.readouterr().out

    # Then each answer is one line saying where the schema stands
    assert "schema revision 0001" in before and "db upgrade" in before
    assert f"upgraded to schema {HEAD_REVISION}" in upgraded and "ran 0002 (" in upgraded
    assert "nothing to do" in again
    assert f"schema revision {HEAD_REVISION}, the newest" in after
    assert all(text.count("\n") == 1 for text in (before, upgraded, again, after))


def test_db_current_never_creates_a_journal(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from nbjournal.__main__ import main

    path = tmp_path / "nothing-here.db"
    assert main(["db", "current", "--journal", f"sqlite:///{path}"]) == 0
    assert "no journal file yet" in capsys.readouterr().out
    assert not path.exists()


def test_a_bad_journal_url_is_one_line_and_a_failure(capsys) -> None:  # type: ignore[no-untyped-def]
    from nbjournal.__main__ import main

    assert main(["db", "upgrade", "--journal", "mysql://somewhere/db"]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "mysql" in error


def test_opening_an_old_journal_says_which_migration_ran_on_postgresql_only(
    journal_url: str, backend: str, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a journal at revision 0001
    _journal_at(journal_url, "0001")

    # When a kernel opens it
    with caplog.at_level("WARNING", logger="nbjournal"):
        Store(journal_url).close()
    said = [r.getMessage() for r in caplog.records if r.name.startswith("nbjournal")]

    # Then the team journal says in one line which migration ran; the embedded one stays quiet
    if backend == "postgresql":
        assert len(said) == 1 and "\n" not in said[0]
        assert f"now at schema {HEAD_REVISION} (ran 0002 (" in said[0]
    else:
        assert said == []
    # And opening it again says nothing
    caplog.clear()
    with caplog.at_level("WARNING", logger="nbjournal"):
        Store(journal_url).close()
    assert [r for r in caplog.records if r.name.startswith("nbjournal")] == []
