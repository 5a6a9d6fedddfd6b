"""Where the journal lives: one rule shared by kernels and the Jupyter server.

``NBJOURNAL_URL`` wins; otherwise an embedded SQLite file under
``NBJOURNAL_HOME`` (default ``~/.nbjournal``). Kernels and the server extension
call the same function, so the sidebar sees what kernels record with no
configuration.

The checks before ``fit`` read two values: ``NBJOURNAL_NO_CHECK`` (check names,
separated by commas or spaces, silenced in every cell, as ``--no-check`` does in
one) and ``NBJOURNAL_STRICT_CHECKS`` (``1``/``true``/``yes``/``on``: a finding
stops the cell, as ``--strict`` does).
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import BadJournalURL

DEFAULT_FILE = "journal.db"
SUPPORTED_BACKENDS = ("sqlite", "postgresql")


def journal_home() -> Path:
    """The folder of the embedded journal."""
    home = os.environ.get("NBJOURNAL_HOME")
    return Path(home).expanduser() if home else Path.home() / ".nbjournal"


def default_url() -> str:
    return "sqlite:///" + str(journal_home() / DEFAULT_FILE)


def resolve_url(url: str | None = None) -> str:
    """The journal URL to use: explicit, else ``NBJOURNAL_URL``, else the embedded default."""
    chosen = url or os.environ.get("NBJOURNAL_URL") or default_url()
    return validate_url(chosen)


def silenced_checks() -> list[str]:
    """Check names silenced by ``NBJOURNAL_NO_CHECK`` (unknown names are the caller's to report)."""
    raw = os.environ.get("NBJOURNAL_NO_CHECK", "")
    return [name for name in raw.replace(",", " ").split() if name]


def strict_checks() -> bool:
    """Whether ``NBJOURNAL_STRICT_CHECKS`` asks every cell to stop on a finding."""
    return os.environ.get("NBJOURNAL_STRICT_CHECKS", "").strip().lower() in (
        "1",
        "true",
        "yes",
        "on",
    )


def validate_url(url: str) -> str:
    """Refuse anything that is not a SQLite or PostgreSQL SQLAlchemy URL, with a clear reason."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        raise BadJournalURL(
            f"not a journal URL: {url!r} (expected sqlite:///PATH or "
            "postgresql+psycopg://USER@HOST/DB)"
        ) from None
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        raise BadJournalURL(
            f"unsupported journal backend {backend!r} in {url!r}: use sqlite or postgresql"
        )
    if backend == "sqlite" and parsed.database in (None, "", ":memory:"):
        raise BadJournalURL(f"{url!r} names no file: use sqlite:///PATH")
    if backend == "postgresql" and parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return url


# -- artifacts: what an experiment cell made, kept beside the journal ---------------------

ARTIFACTS_FOLDER = "artifacts"
#: The most a run may store, in megabytes (``NBJOURNAL_ARTIFACT_LIMIT_MB``).
DEFAULT_ARTIFACT_LIMIT_MB = 200.0


def artifacts_url(url: str | None = None) -> str:
    """Where artifacts live: explicit, else ``NBJOURNAL_ARTIFACTS`` (any fsspec URL), else a
    folder beside the embedded journal, so kernels and a later process find the same files."""
    chosen = url or os.environ.get("NBJOURNAL_ARTIFACTS")
    if chosen:
        return chosen.rstrip("/") if "://" in chosen else str(Path(chosen).expanduser())
    return str(journal_home() / ARTIFACTS_FOLDER)


def artifact_limit_bytes() -> int:
    """The size limit per run; a bad value in the environment falls back to the default."""
    text = os.environ.get("NBJOURNAL_ARTIFACT_LIMIT_MB", "")
    try:
        megabytes = float(text) if text else DEFAULT_ARTIFACT_LIMIT_MB
    except ValueError:
        megabytes = DEFAULT_ARTIFACT_LIMIT_MB
    return max(0, int(megabytes * 1_000_000))


def restore_enabled() -> bool:
    """``NBJOURNAL_RESTORE=off`` makes every duplicate cell warn and skip (``--no-restore``)."""
    return os.environ.get("NBJOURNAL_RESTORE", "on").strip().lower() not in {"off", "0", "no"}


#: Seconds the journal may keep the user waiting, at most, for one thing (``NBJOURNAL_TIMEOUT``).
DEFAULT_TIMEOUT_S = 5.0
#: Seconds a journal found unavailable is left alone before it is tried again
#: (``NBJOURNAL_RETRY_AFTER``).
DEFAULT_RETRY_AFTER_S = 60.0


def _seconds(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError:
        return default
    return value if value > 0 and value == value else default


def timeout() -> float:
    """The bound on every wait for the journal on the user's path (connect, statement, finish).

    A journal that answers slower than this is treated as unavailable: the
    user's cell goes on and what could not be written is kept locally.
    """
    return _seconds("NBJOURNAL_TIMEOUT", DEFAULT_TIMEOUT_S)


def retry_after() -> float:
    """How long a journal found unavailable is not tried again, so later cells do not wait."""
    return _seconds("NBJOURNAL_RETRY_AFTER", DEFAULT_RETRY_AFTER_S)
