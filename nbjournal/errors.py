"""Domain errors: each carries a one-line message meant for the user."""

from __future__ import annotations


class JournalError(Exception):
    """Base class of every error nbjournal raises on purpose."""


class BadJournalURL(JournalError):
    """``NBJOURNAL_URL`` (or ``--journal``) is not a database URL we can open."""


class JournalUnavailable(JournalError):
    """The journal could not be reached or written (disk, permissions, server down)."""


class UnknownRun(JournalError, LookupError):
    """A run id that the journal does not hold."""

    def __init__(self, run_id: object) -> None:
        super().__init__(f"no run #{run_id} in this journal")
        self.run_id = run_id


class UnknownInference(JournalError, LookupError):
    """An inference id that the journal does not hold (or not on the run, or grid, named)."""

    def __init__(self, inference_id: object, run_id: object = None, *, on: str = "run") -> None:
        where = f" on {on} #{run_id}" if run_id is not None else ""
        super().__init__(f"no inference {inference_id}{where} in this journal")
        self.inference_id = inference_id


class UnknownArtifact(JournalError, LookupError):
    """An artifact a run does not hold, or whose stored bytes cannot be read."""


class BadInput(JournalError, ValueError):
    """A value the user gave that nbjournal refuses (bad verdict, empty text...)."""


class UnknownExperiment(JournalError, LookupError):
    """An experiment name that no run of the journal has."""

    def __init__(self, name: object) -> None:
        super().__init__(f"no experiment named {name!r} in this journal")
        self.name = name


class UnknownGrid(JournalError, LookupError):
    """A grid id that the journal does not hold."""

    def __init__(self, grid_id: object) -> None:
        super().__init__(f"no grid #{grid_id} in this journal")
        self.grid_id = grid_id


class TooLarge(BadInput):
    """A text over the journal's documented size limits (REST: 413)."""


class RefusedByJournal(BadInput):
    """The database refused a request because of what it asked (a value it cannot hold, a
    query too deep): the request's fault, answered 400; the journal is not down."""


class TooSlow(JournalUnavailable):
    """A request took longer than its budget while the journal itself answered (or the
    database stopped it at its statement timeout): that request only fails (REST: 503 with
    this message); the journal is not marked unavailable for the others."""


class JournalWarning(UserWarning):
    """The journal could not record something; the user's work went on."""


class CheckWarning(UserWarning):
    """A check before ``fit`` found a problem in the data or the model (no live view shows it)."""


class ReplayStopped(JournalError):
    """A replay that cannot be trusted to start: a data file changed, no procedure recorded."""
