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


class JournalWarning(UserWarning):
    """The journal could not record something; the user's work went on."""


class CheckWarning(UserWarning):
    """A check before ``fit`` found a problem in the data or the model (no live view shows it)."""
