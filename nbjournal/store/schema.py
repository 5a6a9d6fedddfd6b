"""The journal's tables (SQLAlchemy Core).

Times are UTC seconds since the epoch (floats), portable across SQLite and
PostgreSQL. JSON documents are stored as text so that both backends read them
the same way. ``latest_metrics`` is the per-run summary that listings read, so
listing runs never scans ``metric_points``.

``change_counter`` is one row: every transaction that changes a run takes the
next value (``UPDATE ... RETURNING``, the row lock ordering writers on
PostgreSQL) and stamps it on the run as ``change_seq``. Change feeds compare
those numbers, never the wall clocks of the hosts that wrote.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

#: Steps and epochs: 64-bit (a step may be a timestamp); SQLite's INTEGER already is.
Step = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("experiment", sa.String(200), nullable=False),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("started", sa.Float, nullable=False),
    sa.Column("ended", sa.Float),
    sa.Column("updated", sa.Float, nullable=False, index=True),
    sa.Column("heartbeat", sa.Float, nullable=False),
    sa.Column("hypothesis", sa.Text, nullable=False, default=""),
    sa.Column("code", sa.Text, nullable=False, default=""),
    sa.Column("fingerprint", sa.String(64), nullable=False, index=True),
    sa.Column("repeat_of", sa.Integer, sa.ForeignKey("runs.id", ondelete="SET NULL")),
    sa.Column("params", sa.Text, nullable=False, default="{}"),
    sa.Column("params_flat", sa.Text, nullable=False, default="{}"),
    sa.Column("data", sa.Text, nullable=False, default="[]"),
    sa.Column("env", sa.Text, nullable=False, default="{}"),
    sa.Column("tags", sa.Text, nullable=False, default="[]"),
    sa.Column("diagnoses", sa.Text, nullable=False, default="[]"),
    sa.Column("error", sa.Text),
    sa.Column("notebook", sa.Text),
    sa.Column("host", sa.String(255)),
    sa.Column("pid", sa.Integer),
    # the closest earlier run as the cell started (JSON), and the fingerprint of the inputs alone
    sa.Column("nearest", sa.Text),
    sa.Column("data_fingerprint", sa.String(64), index=True),
    sa.Column("checks", sa.Text, nullable=False, default="{}", server_default="{}"),
    sa.Column("change_seq", sa.BigInteger, nullable=False, server_default="0", index=True),
    # {metric: last value} as JSON, kept with latest_metrics in one transaction: the
    # DataFrame listing reads one column per run instead of one row per metric.
    sa.Column("final_metrics", sa.Text, nullable=False, server_default="{}"),
    # Points kept locally (nbjournal.recording.spool) because the journal did not take them.
    sa.Column("points_pending", sa.Integer, nullable=False, default=0, server_default="0"),
    # When the run went to the trash (revision 0011_trash); NULL: kept. Every listing,
    # insights, the nearest-run search and the grid's skip decisions read only kept runs.
    sa.Column("deleted_at", sa.Float, index=True),
    # what the fit's data is like (JSON, nbjournal.capture.metafeatures), for similar data sets (0012)
    sa.Column("meta_features", sa.Text),
    sa.Index("ix_runs_experiment_id", "experiment", "id"),
)

#: A run is kept (not in the trash): the condition every reading of "the runs" adds.
KEPT = runs.c.deleted_at.is_(None)

change_counter = sa.Table(
    "change_counter",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("value", sa.BigInteger, nullable=False),
)

tags = sa.Table(
    "run_tags",
    metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("tag", sa.String(200), primary_key=True, index=True),
)

metric_points = sa.Table(
    "metric_points",
    metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(8), nullable=False),  # epoch | batch | value
    sa.Column("part", sa.Integer, nullable=False, default=0),
    sa.Column("step", Step, nullable=False),  # may be a timestamp or a sample count
    sa.Column("epoch", Step),
    sa.Column("value", sa.Float),
    sa.Column("time", sa.Float, nullable=False),
    sa.Index("ix_metric_points_run", "run_id", "name", "kind", "step"),
)

latest_metrics = sa.Table(
    "latest_metrics",
    metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("last", sa.Float),
    sa.Column("last_epoch", Step),
    sa.Column("best", sa.Float),
    sa.Column("best_epoch", Step),
    sa.Column("goal", sa.String(4), nullable=False),  # min | max
    sa.Column("count", sa.Integer, nullable=False),
)

inferences = sa.Table(
    "inferences",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "run_id",
        sa.Integer,
        sa.ForeignKey("runs.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("verdict", sa.String(16), index=True),
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("author", sa.String(200)),
    # (revision 0009) the runs the inference names and the comparison rule's evidence, JSON
    sa.Column("evidence", sa.Text),
    # (revision 0013) when the current text replaced an earlier one; NULL: never edited
    sa.Column("edited", sa.Float),
)


def _history(name: str, owner: str, owners: str) -> sa.Table:
    """A table of replaced and deleted inference versions, each of a row of ``owners``."""
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("inference_id", sa.Integer, nullable=False, index=True),
        sa.Column(
            owner,
            sa.Integer,
            sa.ForeignKey(f"{owners}.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("verdict", sa.String(16)),
        sa.Column("created", sa.Float, nullable=False),
        sa.Column("replaced", sa.Float, nullable=False),
        sa.Column("action", sa.String(8), nullable=False),
        sa.Column("author", sa.String(200)),
    )


#: (revision 0013) Every replaced or deleted version of an inference, so a conclusion
#: changed later still shows what it said: ``action`` is ``edited`` or ``deleted``,
#: ``created`` when that version was written, ``replaced`` when it stopped being current.
inference_history = _history("inference_history", "run_id", "runs")

#: What a run's cell made (the names it bound, and its value): one row each. ``hash`` names
#: the blob in the artifact store (NULL when the value was not stored, ``status`` says why).
#: The row of ``role='result'`` is written last, in the same transaction: its presence says
#: the run's artifacts are complete.
artifacts = sa.Table(
    "artifacts",
    metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("role", sa.String(8), primary_key=True),  # name | result
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("kind", sa.String(32), nullable=False),  # the codec: keras, numpy, pickle, ...
    sa.Column("type", sa.String(200), nullable=False),  # the Python type, for people
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("hash", sa.String(64), index=True),
    sa.Column("status", sa.String(16), nullable=False),  # stored | unsaveable | too-large
    sa.Column("reason", sa.Text),
    sa.Column("extra", sa.Text, nullable=False, default="{}"),
    sa.Column("created", sa.Float, nullable=False),
)

# -- grids (revision 0005) ---------------------------------------------------------------

grids = sa.Table(
    "grids",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("experiment", sa.String(200), nullable=False, index=True),
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("updated", sa.Float, nullable=False),
    sa.Column("hypothesis", sa.Text, nullable=False, default=""),
    sa.Column("code", sa.Text, nullable=False, default=""),
    sa.Column("spec", sa.Text, nullable=False, default="{}"),
    # the cell's fingerprint without the grid's values, and the spec without its sample seed:
    # the same cell asking for the same grid again resumes this record
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("spec_key", sa.String(64), nullable=False),
    sa.Column("total", sa.Integer, nullable=False),
    sa.Column("notebook", sa.Text),
    sa.Index("ix_grids_fingerprint_spec", "fingerprint", "spec_key", unique=True),
)

grid_runs = sa.Table(
    "grid_runs",
    metadata,
    sa.Column(
        "grid_id", sa.Integer, sa.ForeignKey("grids.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("point", sa.Integer, nullable=False),
    sa.Column("point_values", sa.Text, nullable=False, default="{}"),
    sa.Index("ix_grid_runs_run", "run_id"),
)

#: A point being run now, by fingerprint: whoever holds the row runs it; a row whose
#: claimant's heartbeat is stale (or whose process on this host is gone) is taken over.
grid_claims = sa.Table(
    "grid_claims",
    metadata,
    sa.Column("fingerprint", sa.String(64), primary_key=True),
    sa.Column("claimant", sa.String(100), nullable=False),
    sa.Column("host", sa.String(255)),
    sa.Column("pid", sa.Integer),
    sa.Column("heartbeat", sa.Float, nullable=False),
    sa.Column("grid_id", sa.Integer),
)

grid_inferences = sa.Table(
    "grid_inferences",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "grid_id", sa.Integer, sa.ForeignKey("grids.id", ondelete="CASCADE"), nullable=False,
        index=True,
    ),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("verdict", sa.String(16)),
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("author", sa.String(200)),
    # (revision 0014) when the current text replaced an earlier one; NULL: never edited
    sa.Column("edited", sa.Float),
)  # fmt: skip

#: (revision 0014) A grid's replaced or deleted inference versions, as ``inference_history``.
grid_inference_history = _history("grid_inference_history", "grid_id", "grids")

#: Per series of a run, one row per run of :data:`~nbjournal.store.rollups.BUCKET` consecutive
#: points: their first, last, smallest and largest, so a chart of a million points is drawn
#: from a thousand rows (see ``nbjournal.store.rollups``).
metric_rollups = sa.Table(
    "metric_rollups",
    metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("kind", sa.String(8), primary_key=True),
    sa.Column("part", sa.Integer, primary_key=True),
    sa.Column("bucket", sa.Integer, primary_key=True),
    sa.Column("count", sa.Integer, nullable=False),
    sa.Column(
        "points", sa.Text, nullable=False
    ),  # JSON: [[step, epoch, value], ...] first, low, high, last
)

#: ``("id", random hex)``, written once by migration 0008: which journal this is, so that a
#: listing kept on disk (``nbjournal.store.listing_cache``) is never taken for another's.
journal_meta = sa.Table(
    "journal_meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

#: (revision 0009) Per experiment, what the person last chose: ``metric`` (``NAME:max``, the
#: metric of record) and ``seed_params`` (JSON list of more seed-like names).
experiment_choices = sa.Table(
    "experiment_choices",
    metadata,
    sa.Column("experiment", sa.String(200), primary_key=True),
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("updated", sa.Float, nullable=False),
)

#: A run's procedure (revision 0010_procedure): its upstream cells as JSON (``cell``, ``cells``,
#: ``hidden``), and, for a replay, the run it replays and how its metrics compared;
#: ``reproduced`` is when a replay of this run matched it.
procedures = sa.Table(
    "procedures",
    metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("slice", sa.Text, nullable=False, server_default="{}"),
    sa.Column("replay_of", sa.Integer, sa.ForeignKey("runs.id", ondelete="SET NULL"), index=True),
    sa.Column("comparison", sa.Text),
    sa.Column("reproduced", sa.Float),
)
