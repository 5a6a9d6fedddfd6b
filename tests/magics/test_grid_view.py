"""The grid's live view: a table updated in place above each point's view, a flat cost per
point, the best point marked, user text escaped; a text line per point elsewhere."""

from __future__ import annotations

import io

from nbjournal.grids.grid_progress import GridProgress, clock
from nbjournal.grids.view import WINDOW, TextGridView, WidgetGridView, live_html


def test_the_headline_counts_skipped_and_failed_points_and_the_time_left():
    progress = GridProgress("g", 1, [{"a": i} for i in range(12)])
    for i in range(3):
        progress.skip(i, 100 + i, {"val_accuracy": 0.45})
    for i in range(3, 7):
        progress.start(i)
        progress.rows[i].started -= 10  # each point took 10 s
        progress.end(i, "failed" if i == 6 else "finished", i, {"val_accuracy": i / 10})
    assert progress.headline() == "7 of 12 · 3 skipped · 1 failed · ~0:50 left"
    assert progress.best().index == 5  # 0.5: above the skipped 0.45, the failed one never counts
    assert clock(130) == "2:10" and clock(3725) == "1:02:05"


def test_the_widget_table_marks_the_best_and_escapes_values_and_errors():
    progress = GridProgress("g<b>", 7, [{"act": "<relu>"}, {"act": "tanh"}])
    progress.start(0)
    progress.end(0, "finished", 1, {"loss": 0.3})
    progress.start(1)
    progress.end(1, "failed", 2, {}, "ValueError: <script>")
    html = live_html(progress)
    assert "&lt;relu&gt;" in html and "<relu>" not in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "g&lt;b&gt;" in html
    assert "★ best" in html and html.index("★ best") < html.index("tanh")
    assert "2 of 2 · 1 failed" in html


def test_bytes_sent_per_point_stay_flat_over_200_points():
    view = WidgetGridView()
    progress = GridProgress(
        "flat", 1, [{"units": u, "lr": lr} for u in range(100) for lr in (1, 2)]
    )
    view._draw(progress)
    sent = []
    for i in range(200):
        before = view.sent
        progress.start(i)
        view.point_started(progress, i)
        progress.end(i, "finished", i + 1, {"val_accuracy": (i % 17) / 17})
        view.point_ended(progress, i)
        sent.append(view.sent - before)
        assert view.table.value.count("<tr") <= WINDOW + 1
    early, late = sum(sent[10:30]) / 20, sum(sent[-20:]) / 20
    assert late < early * 1.2, (early, late)


def test_a_terminal_gets_one_line_per_point():
    stream = io.StringIO()
    view = TextGridView(stream)
    progress = GridProgress("g", None, [{"a": 1}, {"a": 2}])
    for i in range(2):
        progress.start(i)
        progress.end(i, "finished", 10 + i, {"score": i / 3})
        view.point_ended(progress, i)
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("[1/2]  a=1  finished  score 0  ")
    assert lines[1].startswith("[2/2]  a=2  finished  score 0.3333") and lines[1].endswith("#11")


def test_in_a_notebook_each_point_runs_under_the_grid_table(shell, journal, monkeypatch):
    from ipywidgets.widgets.widget import _instances

    monkeypatch.setenv("NBJOURNAL_LIVE", "widget")
    shown: list[dict] = []
    monkeypatch.setattr(shell.display_pub, "publish", lambda data, **_: shown.append(data))
    shell.run_cell("%%experiment g --grid a=[1,2,3]\n{'score': a}")
    views = [d["application/vnd.jupyter.widget-view+json"]["model_id"] for d in shown if
             "application/vnd.jupyter.widget-view+json" in d]  # fmt: skip
    assert views and not any(m in _instances for m in views)  # every widget closed at the end
    # the grid's box was replaced in place by the summary (every point): no empty output
    assert not any("nbj-grid-ended" in d.get("text/html", "") for d in shown)
    summaries = [d for d in shown if "nbj-grid-summary" in d.get("text/html", "")]
    assert len(summaries) == 1
    assert all(d.get("text/html") or d.get("image/png") or widget_view(d) for d in shown)


def test_without_its_summary_a_grid_leaves_its_table_in_the_box_place(shell, monkeypatch):
    from nbjournal.grids.grid_progress import GridProgress
    from nbjournal.grids.view import WidgetGridView

    shown: list[dict] = []
    monkeypatch.setattr(shell.display_pub, "publish", lambda data, **_: shown.append(data))
    progress = GridProgress("g", None, [{"a": 1}])
    view = WidgetGridView()
    view.begin(progress, "1 point to run")
    progress.start(0)
    progress.end(0, "finished", 10, {"score": 0.5})
    assert view.end(progress) is False  # the journal could not give the summary
    assert "nbj-grid-ended" in shown[-1]["text/html"] and "1 of 1" in shown[-1]["text/html"]
    assert "score" in shown[-1]["text/html"]


def test_a_points_live_view_is_replaced_in_place_by_its_record():
    import ipywidgets as widgets

    from nbjournal.grids.view import WidgetGridView

    view = WidgetGridView()
    view._show(widgets.HTML("live"), display_id="v1")
    view._show({"text/plain": "after"}, raw=True)
    view._show({"text/html": "<p>record</p>"}, raw=True, display_id="v1", update=True)
    assert [o["data"].get("text/html") or o["data"]["text/plain"] for o in view.output.outputs] == [
        "<p>record</p>",
        "after",
    ]


def widget_view(data: dict) -> bool:
    return "application/vnd.jupyter.widget-view+json" in data


def test_the_summary_chart_draws_numbers_ascending_and_words_as_the_grid_named_them(shell, journal):
    """Suggested points come in the order they were proposed (130 before 57): the line of a
    one-axis chart must not run back on itself (issue 21.14)."""
    from nbjournal.display.grid_summary_view import summary_view

    def drawn(axis: str) -> list:
        grid = journal.store.get_grid(journal.store.list_grids()[0].id)
        spec = summary_view(grid).chart().to_dict()
        (values,) = spec["datasets"].values()
        return [row[axis] for row in values]

    shell.run_cell("%%experiment order --grid units=[130,57,90]\n{'score': units / 100}")
    assert drawn("units") == [57, 90, 130]
    shell.run_cell("%%experiment words --grid act=['tanh','relu','elu']\n{'score': len(act)}")
    assert drawn("act") == ["tanh", "relu", "elu"]


def test_the_grid_summary_writes_a_column_in_one_notation(shell, capsys):
    # issue 21.12: "3e-4 beside 0.001 in one column"
    shell.run_cell("%%experiment notation --grid lr=[0.00003,0.001,0.01] --no-live\n{'score': lr}")
    out = capsys.readouterr().out
    rows = [
        line.split()[:2] for line in out.splitlines() if line.rstrip().endswith(("#1", "#2", "#3"))
    ]
    assert rows == [["3e-5", "3e-5"], ["1e-3", "1e-3"], ["1e-2", "1e-2"]], out


def test_the_live_grid_table_writes_an_axis_in_one_notation():
    progress = GridProgress("g", 1, [{"lr": 0.00003}, {"lr": 0.001}])
    html = live_html(progress)
    assert ">3e-5<" in html and ">1e-3<" in html and ">0.001<" not in html
