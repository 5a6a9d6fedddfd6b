"""A run's life, in one place: open the journal, create the run, record it, finish it.

The ``%%experiment`` magic, :class:`~nbjournal.callback.JournalCallback`, the grid
runner and Dask workers all start and end runs here, so a status is decided by
one rule wherever the run came from. The journal's own failures are warnings:
the user's work goes on (DESIGN §4.1), and a run the journal cannot take is
kept locally (:mod:`nbjournal.recording.spool`) and written when it answers again.
Every wait on the journal here is bounded (:mod:`nbjournal.store.availability`),
and a journal found unavailable is not waited on again for a while.
"""

from __future__ import annotations

import contextlib
import re
import traceback
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import resolve_url
from ..errors import JournalError, JournalUnavailable, JournalWarning
from ..recording import spool as spooling
from ..recording.recorder import RunRecorder
from ..store import Store, bounded, open_store
from .current import active, set_active

if TYPE_CHECKING:
    from ..recording.recorder import Sink


@dataclass
class RunSpec:
    """What is known of a run before it starts."""

    experiment: str
    fingerprint: str
    hypothesis: str = ""
    code: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    data: list[dict[str, Any]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    notebook: str | None = None
    repeat_of: int | None = None
    env: dict[str, Any] | None = None
    #: what the journal found closest as the cell started (see :mod:`nbjournal.analysis.nearest`)
    nearest: dict[str, Any] | None = None
    data_fingerprint: str | None = None
    #: the upstream cells of the cell it runs for (a cell's run and each of its grid's
    #: points; :mod:`nbjournal.capture.history`), kept as the run starts
    procedure: dict[str, Any] | None = None


#: What a cell is told when its run cannot go to the journal.
KEPT_LOCALLY = "the cell runs, and its run is kept locally until the journal answers again"


def open_journal(url: str | Store | None, *, stacklevel: int = 3) -> Store | None:
    """The journal, or ``None`` after one warning when it cannot be opened.

    Opening waits at most the configured timeout, and not at all while the
    journal is remembered as unavailable. Runs kept locally earlier are
    written to it now, with one line saying so.
    """
    if isinstance(url, Store):
        return url
    try:
        store = open_store(url)
    except JournalError as failure:
        warnings.warn(
            f"nbjournal: {failure}; {KEPT_LOCALLY}", JournalWarning, stacklevel=stacklevel
        )
        return None
    _write_kept_runs(store, stacklevel + 1)
    return store


def _write_kept_runs(store: Store, stacklevel: int) -> None:
    """Write what earlier runs kept locally (bounded: a slow journal gets it later)."""
    if not spooling.pending_files(store.url):
        return
    try:
        runs, points = bounded(store.url, lambda: spooling.replay(store, store.url))
    except JournalError as failure:
        warnings.warn(
            f"nbjournal: runs kept locally are not written yet ({failure})",
            JournalWarning,
            stacklevel=stacklevel,
        )
        return
    if runs:
        warnings.warn(
            f"nbjournal: the journal answers again: {runs} run(s) kept locally, "
            f"{points} points, are written to it",
            JournalWarning,
            stacklevel=stacklevel,
        )


def start_run(
    spec: RunSpec,
    journal: str | Store | None = None,
    *,
    live: bool = True,
    sinks: list[Sink] | None = None,
    known_down: bool = False,
) -> RunRecorder | None:
    """Create the run, give it its sinks and make it the kernel's active run.

    When the journal cannot take the run (after one warning), the run is kept
    locally and written when the journal answers again; ``known_down`` says
    the caller found it unavailable and warned already. ``None`` only when
    the journal's URL is wrong or nothing can be kept: the caller then runs
    the user's code unrecorded.
    """
    if isinstance(journal, Store):
        store: Store | None = journal
    elif known_down:
        store = None
    else:
        store = open_journal(journal, stacklevel=4)
    try:
        url = store.url if store is not None else resolve_url(journal)  # type: ignore[arg-type]
    except JournalError as failure:
        warnings.warn(
            f"nbjournal: {failure}; the cell runs but is not recorded", JournalWarning, stacklevel=3
        )
        return None
    fields: dict[str, Any] = {
        "experiment": spec.experiment,
        "fingerprint": spec.fingerprint,
        "hypothesis": spec.hypothesis,
        "code": spec.code,
        "params": spec.params,
        "data": spec.data,
        "env": spec.env if spec.env is not None else _environment(spec.notebook),
        "tags": spec.tags,
        "notebook": spec.notebook,
        "repeat_of": spec.repeat_of,
        "nearest": spec.nearest,
        "data_fingerprint": spec.data_fingerprint,
    }
    run_id: int | None = None
    kept: spooling.Spool | None = None
    if store is not None:
        opened = store
        try:
            run_id = bounded(url, lambda: opened.create_run(**fields))
        except JournalError as failure:
            if not isinstance(failure, JournalUnavailable):  # bad input: the user's to fix
                warnings.warn(
                    f"nbjournal: {failure}; the cell runs but is not recorded",
                    JournalWarning,
                    stacklevel=3,
                )
                return None
            warnings.warn(f"nbjournal: {failure}; {KEPT_LOCALLY}", JournalWarning, stacklevel=3)
    if run_id is None:
        kept = spooling.Spool(url, None)
        try:
            kept.create(fields)
        except OSError as failure:
            warnings.warn(
                f"nbjournal: cannot keep the run locally either ({failure}); the cell runs but "
                "is not recorded",
                JournalWarning,
                stacklevel=3,
            )
            return None
    if sinks is None:
        from ..live import sinks_for

        sinks = sinks_for(
            live, experiment=spec.experiment, run_id=run_id, hypothesis=spec.hypothesis
        )
    recorder = RunRecorder(
        store,
        run_id,
        url=url,
        spool=kept,
        experiment=spec.experiment,
        hypothesis=spec.hypothesis,
        params=spec.params,
        data=spec.data,
        sinks=sinks,
    )
    set_active(recorder)
    return recorder


def finish_run(
    recorder: RunRecorder, status: str, error: str | None = None, *, card: bool = False
) -> None:
    """End the run with ``status``; with ``card``, show its summary unless a live view did."""
    recorder.finish(status, error)
    if active() is recorder:
        set_active(None)
    if card:
        show_card(recorder)


def finish_elsewhere(store: Store, run_id: int, status: str, error: str | None = None) -> bool:
    """End a run that another process started and can no longer end (a grid's Dask worker
    after a stop, or a dead one): only while it is still ``running``. Whether it was."""
    try:
        if store.get_run(run_id).status != "running":
            return False
        store.finish_run(run_id, status, error)
    except JournalError as failure:
        warnings.warn(f"nbjournal: {failure}", JournalWarning, stacklevel=2)
        return False
    return True


def error_text(error: BaseException) -> str:
    """How a failed run records its exception: type and message, as Python prints them.

    The first line is ``Type: first line of the message``, the one-line summary
    every view shows (Keras puts the useful words first and its arguments'
    dump last). Terminal colour codes (Keras and rich add them) are dropped:
    the journal keeps text, not escape sequences.
    """
    text = "".join(traceback.format_exception_only(type(error), error))
    return _TERMINAL_CODES.sub("", text).strip()


#: ANSI escape sequences (colours, bold, cursor moves) and stray escape characters.
_TERMINAL_CODES = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[@-_]?")


def status_of(error: BaseException | None) -> str:
    """The status a run ends with when its code raised ``error`` (or nothing)."""
    if error is None:
        return "finished"
    return "interrupted" if isinstance(error, KeyboardInterrupt) else "failed"


@contextmanager
def recorded(recorder: RunRecorder | None, *, card: bool = False) -> Iterator[RunRecorder | None]:
    """Finish ``recorder`` when the block ends: ``finished``, ``failed`` or ``interrupted``.

    The block's exception propagates unchanged, with its own traceback.
    """
    __tracebackhide__ = True
    if recorder is None:
        yield None
        return
    try:
        yield recorder
    except BaseException as error:
        finish_run(recorder, status_of(error), error_text(error), card=card)
        raise
    finish_run(recorder, "finished", card=card)


def show_card(recorder: RunRecorder) -> None:
    """The compact summary after the cell, unless the live view already stands as one."""
    if any(getattr(sink, "summarised", False) for sink in recorder.sinks):
        return
    store, run_id = recorder.store, recorder.run_id
    if store is None or run_id is None or recorder.points_pending:
        return  # the journal has not got it (all): the live view's summary stands
    from IPython.display import display

    from ..display.views import RunCard

    # A journal that just failed is not mentioned again: the run's end said so, once.
    with contextlib.suppress(JournalError):
        display(RunCard(bounded(store.url, lambda: store.get_run(run_id))))


def _environment(notebook: str | None) -> dict[str, object]:
    from ..capture.environment import capture_environment

    return capture_environment(notebook, Path.cwd())
