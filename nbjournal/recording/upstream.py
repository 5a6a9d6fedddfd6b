"""Recording a run's procedure: its upstream cells, read before the body runs, kept as the
run starts. Any failure here is one warning: the cell and its run go on (DESIGN §4.1)."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from ..errors import JournalError, JournalWarning

if TYPE_CHECKING:
    from IPython.core.interactiveshell import InteractiveShell

    from .recorder import RunRecorder


def upstream_cells(
    shell: InteractiveShell, body: str, bound: tuple[str, ...]
) -> dict[str, object] | None:
    """The backward slice of the experiment cell running now (``bound``: names the magic
    binds itself, ``-p`` and grid axes), or ``None`` with a warning when it fails."""
    try:
        from ..capture.history import record_procedure

        return record_procedure(shell, body, bound)
    except Exception as failure:  # the journal's failure, never the user's
        warnings.warn(
            f"nbjournal: the procedure is not recorded ({type(failure).__name__}: {failure})",
            JournalWarning,
            stacklevel=3,
        )
        return None


def keep_procedure(recorder: RunRecorder | None, record: dict[str, object] | None) -> None:
    """Write the procedure of the run ``recorder`` just started (when the journal took it)."""
    if recorder is None or record is None or recorder.store is None or recorder.run_id is None:
        return
    from ..artifacts.code_trust import signed
    from ..store.procedures import save_procedure

    try:
        save_procedure(recorder.store, recorder.run_id, signed(record, recorder.run_id))
    except JournalError as failure:
        warnings.warn(
            f"nbjournal: the procedure is not recorded ({failure})", JournalWarning, stacklevel=3
        )
