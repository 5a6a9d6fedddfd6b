"""``%inference --edit`` and ``--delete``: change or withdraw a conclusion already recorded.

Parsing stays in the magic, the rule (what is kept, what may change) in the store's
:mod:`~nbjournal.store.inference_edits`; this module picks the inference and says what
happened in one line.
"""

from __future__ import annotations

from IPython.core.error import UsageError

from ..store import open_store
from ..store.inference_edits import KEEP


def amend_inference(
    run_id: int,
    inference_id: int | None,
    text: str,
    verdict: str | None,
    delete: bool,
    url: str | None,
) -> None:
    """Edit (or delete) the run's inference ``inference_id``, its latest by default; an
    omitted verdict stays as it was."""
    if delete and text.strip():
        raise UsageError("%inference --delete takes no text")
    if not delete and not text.strip():
        raise UsageError("%inference --edit needs the new text: %inference --edit TEXT")
    store = open_store(url)
    found = store.get_run(run_id).inferences
    if inference_id is None:
        if not found:
            raise UsageError(f"run #{run_id} has no inference to change: %inference TEXT adds one")
        inference_id = found[-1].id
    where = f"Inference {inference_id} on run #{run_id}"
    if delete:
        store.delete_inference(inference_id, run_id=run_id)
        print(f"{where} deleted; its text stays in the run's history.")
        return
    before = next((i for i in found if i.id == inference_id), None)
    after = store.edit_inference(
        inference_id, text, KEEP if verdict is None else verdict, run_id=run_id
    )
    if before is not None and (before.text, before.verdict) == (after.text, after.verdict):
        print(f"{where} already says that; nothing changed.")
        return
    said = f" ({after.verdict})" if after.verdict else ""
    print(f"{where} edited{said}; the earlier text stays in its history.")
