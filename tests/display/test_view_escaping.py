"""The notebook views of runs: user text escaped, a text form for terminals."""

from __future__ import annotations

from pathlib import Path

from nbjournal.display.side_by_side import Comparison
from nbjournal.display.views import DuplicateNotice, RunCard, RunDetail, RunsTable
from nbjournal.store import MetricPoint, Store


def _run(store: Store, hypothesis: str, lr: float) -> int:
    run_id = store.create_run(
        experiment="views", fingerprint=f"fp-{lr}", hypothesis=hypothesis, params={"lr": lr}
    )
    store.add_points(run_id, [MetricPoint("val_accuracy", 0.5 + lr, 0, "epoch", 0)])
    store.finish_run(run_id, "finished")
    return run_id


def test_user_text_is_escaped_everywhere(journal_home: Path) -> None:
    store = Store()
    evil = "<script>alert(1)</script> & <b>bold</b>"
    run_id = _run(store, evil, 0.1)
    store.add_inference(run_id, evil, "refuted")
    run = store.get_run(run_id)
    other = store.get_run(_run(store, "plain", 0.2))
    for view in (
        RunCard(run),
        DuplicateNotice([run]),
        RunsTable([run], "runs"),
        RunDetail(run),
        Comparison([run, other]),
    ):
        html = view._repr_mimebundle_()["text/html"]
        assert "<script>" not in html and "<b>bold</b>" not in html
        assert "&lt;script&gt;" in html or "views" in html


def test_each_view_has_a_text_form(journal_home: Path) -> None:
    store = Store()
    run = store.get_run(_run(store, "Wider is better.", 0.1))
    store.add_inference(run.id, "It was.", "supported")
    run = store.get_run(run.id)
    card = RunCard(run).text()
    assert card.startswith(f"run #{run.id} views: finished") and "val_accuracy 0.6" in card
    notice = DuplicateNotice([run]).text()
    assert "Already run" in notice and "inference: supported: It was." in notice
    assert "Wider is better." in RunDetail(run).text()
    assert f"#{run.id}" in RunsTable([run], "runs").text()
