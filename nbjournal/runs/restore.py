"""Restore on duplicate: save what a cell made, and put it back when the identical cell runs.

After an ``%%experiment`` body, the names it bound at top level (and its
``--param`` values) and its value are saved as the run's artifacts. An
identical cell later finds that run and puts those values back in the
namespace instead of training again (DVC's run-cache, for a cell), so "Restart
& Run All" leaves no name undefined. Where that is not possible (a value could
not be saved, a blob is missing or corrupt), the caller runs the cell and says
why in one line.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..config import artifact_limit_bytes
from ..errors import JournalError, JournalWarning
from ..store import Run, Store
from .lifecycle import open_journal

if TYPE_CHECKING:
    from IPython.core.interactiveshell import InteractiveShell

    from ..recording.recorder import RunRecorder


@dataclass
class Restored:
    """A run whose cell's names are back in the namespace."""

    run: Run
    names: list[str] = field(default_factory=list)
    result: object = None


@dataclass
class NotRestored:
    """Why an identical run could not be restored; ``warned`` when a warning already said so."""

    run: Run
    reason: str
    warned: bool = False

    def line(self) -> str:
        return f"Not restored from run #{self.run.id}: {self.reason}; the cell runs again."


def names_to_save(bound: Sequence[str], namespace: Mapping[str, object]) -> dict[str, object]:
    """The values a cell left under the names it bound: private ``_names``, closed files and
    finished generators aside."""
    from ..artifacts.codecs import is_spent

    return {
        n: namespace[n]
        for n in dict.fromkeys(bound)
        if n in namespace and n[:1] != "_" and not is_spent(namespace[n])
    }


def save_what_it_made(
    recorder: RunRecorder | None,
    bound: Sequence[str],
    namespace: Mapping[str, object],
    result: object,
) -> None:
    """Save the values a body left under the names it bound, and its value, on its run (not
    for a run kept locally while the journal was down)."""
    if recorder is not None and recorder.store is not None and recorder.run_id is not None:
        save_artifacts(recorder.store, recorder.run_id, names_to_save(bound, namespace), result)


def save_artifacts(store: Store, run_id: int, values: Mapping[str, object], result: object) -> None:
    """Encode now, write in the background; a failure is one warning, the run stays recorded."""
    from ..artifacts import RESULT, open_blobs, save_in_background, snapshot
    from ..rules.secrets import secret_environment_values, secret_inside

    secrets = {name for name, value in values.items() if secret_inside(name, value)}
    if secret_inside(RESULT, result):
        secrets.add(RESULT)
    try:
        blobs = open_blobs()
        taken = snapshot(values, result, limit=artifact_limit_bytes(), secrets=secrets,
                         forbidden=secret_environment_values())  # fmt: skip
    except JournalError as failure:
        warnings.warn(
            f"nbjournal: run #{run_id}'s artifacts were not saved: {failure}",
            JournalWarning,
            stacklevel=3,
        )
        return
    save_in_background(store, blobs, run_id, taken)


#: How long a cell waits, at its end, for its own artifacts to be written, so that a failure
#: (a full disk) is said on the cell that made them; a slower write reports on a later cell.
SETTLE_AT_END_S = 2.0


#: How long a show of a run waits for artifacts this kernel is still writing.
SHOW_WAIT_S = 10.0


def settle_saves(within: float | None = None) -> None:
    """Wait for artifacts still being written (at most ``within`` seconds when given); each
    failure becomes one warning."""
    from ..artifacts import wait_for_saves

    wait_for_saves(
        lambda failure: warnings.warn(f"nbjournal: {failure}", JournalWarning, stacklevel=4),
        within=within,
    )


def restore_twin(
    shell: InteractiveShell, store: Store, twins: Sequence[Run]
) -> Restored | NotRestored:
    """Restore the newest of ``twins`` (identical finished runs) that stored everything."""
    settle_saves()
    chosen: Run | None = None
    reason = ""
    for run in reversed(twins):
        from ..artifacts import why_not_restorable

        why = why_not_restorable(run.artifacts, run.fingerprint)
        if why is None:
            chosen = run
            break
        reason = reason or why
    if chosen is None:
        return NotRestored(twins[-1], reason)
    return restore_into(shell, chosen)


def restore_into(shell: InteractiveShell, run: Run) -> Restored | NotRestored:
    """Load every artifact of ``run``, then bind them all (or none) in the user namespace."""
    from ..artifacts import RESULT, ArtifactUnavailable, load_all, open_blobs
    from ..recording.native_quiet import native_stderr_quiet, start_tensorflow

    try:
        with native_stderr_quiet():  # loading a Keras model starts TensorFlow
            loaded = load_all(open_blobs(), run.artifacts, run.fingerprint, shell.user_ns)
            start_tensorflow()
    except (ArtifactUnavailable, JournalError) as failure:
        warnings.warn(
            f"nbjournal: run #{run.id} cannot be restored: {failure}; the cell runs again",
            JournalWarning,
            stacklevel=4,
        )
        return NotRestored(run, str(failure), warned=True)
    shell.user_ns.update(loaded.values)
    if loaded.secrets:
        names = ", ".join("its value" if n == RESULT else n for n in loaded.secrets)
        print(f"Not restored: {names} (a secret is never stored): bind it again before using it.")
    return Restored(run, list(loaded.values), loaded.result)


def restore_run(
    shell: InteractiveShell, run_id: int, journal: str | Store | None = None
) -> list[str] | None:
    """Put run ``run_id``'s names back in ``shell``'s namespace (the grid runner's last point).

    Returns the names restored, or ``None`` when the run cannot be restored (it
    stored nothing, a value could not be saved, a blob is missing or corrupt:
    the last two after one warning); then nothing in the namespace changed.
    """
    store = open_journal(journal)
    if store is None:
        return None
    settle_saves()
    try:
        run = store.get_run(int(run_id))
    except JournalError as failure:
        warnings.warn(f"nbjournal: {failure}", JournalWarning, stacklevel=2)
        return None
    from ..artifacts import why_not_restorable

    why = why_not_restorable(run.artifacts, run.fingerprint)
    if why is not None:
        if why_not_restorable(run.artifacts) is None:  # stored, but not trusted here: say so
            warnings.warn(f"nbjournal: run #{run.id} not restored: {why}", JournalWarning,
                          stacklevel=2)  # fmt: skip
        return None
    outcome = restore_into(shell, run)
    return outcome.names if isinstance(outcome, Restored) else None
