"""The notebook view, exercised in-process: a real shell runs ``%%experiment`` cells with real
Keras fits; the view's widgets are read back, and its comm messages counted."""

from __future__ import annotations

import base64
import html
import json
import re
import threading
from typing import Any

import pytest
from ipywidgets.widgets.widget import Widget, _instances

from nbjournal.live import widget as live_widget
from nbjournal.live.static import MARKER

from .conftest import TINY_DATA, is_run_card, run_captured, tiny_mlp

WIDGET = "application/vnd.jupyter.widget-view+json"

#: Widgets closed during a test, by model id: the view closes its widgets at the run's end
#: (its static record takes its place), and the tests still read what they held.
_closed: dict[str, Any] = {}
#: Their comm ids (a closed widget has no comm), by object id.
_comm_ids: dict[int, str] = {}


def comm_id(widget: Any) -> str:
    return widget.comm.comm_id if widget.comm is not None else _comm_ids[id(widget)]


@pytest.fixture(autouse=True)
def keep_closed_widgets(monkeypatch: pytest.MonkeyPatch) -> Any:
    close = Widget.close

    def closing(widget: Any) -> None:
        if widget.comm is not None:
            _closed[widget.model_id] = widget
            _comm_ids[id(widget)] = widget.comm.comm_id
        close(widget)

    monkeypatch.setattr(Widget, "close", closing)
    empty_and_close = live_widget.LiveView._close

    def keeping(view: Any) -> None:
        """The view empties its widgets before closing them (what a headless run saves):
        the tests read what they showed, put back once nothing is sent any more."""
        shown = [view.box, *view.box.children] if view.box is not None else []
        held = [(w, {key: getattr(w, key) for key in w.keys if key != "_esm"}) for w in shown]
        empty_and_close(view)
        for widget, state in held:
            for key, value in state.items():
                setattr(widget, key, value)

    monkeypatch.setattr(live_widget.LiveView, "_close", keeping)
    yield
    _closed.clear()
    _comm_ids.clear()


class Seen:
    """What one cell showed: its outputs in order, and the live view's widgets."""

    def __init__(self, captured: Any) -> None:
        self.error = captured.error
        self.outputs = [output.data for output in captured.outputs]
        #: the outputs as a saved notebook holds them: an update replaces the view it names
        self.updates = [bool(getattr(output, "update", False)) for output in captured.outputs]
        views = [data for data in self.outputs if WIDGET in data]
        assert len(views) == 1, f"one live view per run, not {len(views)}"
        model_id = views[0][WIDGET]["model_id"]
        self.box = _instances.get(model_id) or _closed[model_id]
        self.head, self.progress, self.chart, self.foot = self.box.children

    @property
    def header(self) -> str:
        return _text(self.head.value)

    @property
    def words(self) -> str:
        return _text(self.head.value + " " + self.progress.value + " " + self.foot.value)

    def kinds(self) -> list[str]:
        return [
            ("update:" if update else "")
            + ("view" if WIDGET in data else "svg" if "image/svg+xml" in data else "html")
            for data, update in zip(self.outputs, self.updates, strict=True)
            if WIDGET in data
            or "image/svg+xml" in data
            or "nbj-static" in data.get("text/html", "")
        ]

    def rows(self, kind: str = "e") -> list[list[Any]]:
        return [row for row in self.chart.rows if row[0] == kind]


def _text(markup: str) -> str:
    """What a person reads: tags dropped, entities decoded, spaces collapsed."""
    markup = re.sub(r"<style>.*?</style>", "", markup, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


def run(shell: Any, cell: str) -> Seen:
    return Seen(run_captured(shell, cell))


def test_a_fit_in_an_experiment_shows_one_view_with_header_progress_curves_and_footer(
    widget_shell: Any, journal: Any
) -> None:
    widget_shell.run_cell(TINY_DATA)
    seen = run(widget_shell, f"%%experiment tiny-view\n{tiny_mlp(epochs=4)}")
    assert seen.error is None
    assert "finished" in seen.header and "tiny-view" in seen.header and "run #1" in seen.header
    assert "a tiny MLP learns the threshold." in seen.header  # the hypothesis's first line
    assert "epoch 4 of 4" in _text(seen.progress.value)
    titles = [panel.get("title") for panel in seen.chart.spec["concat"]]
    assert titles == ["loss (log scale)", "accuracy"]  # loss first, train and validation together
    epochs = seen.rows("e")
    for metric in ("loss", "accuracy"):
        for split in ("training", "validation"):
            points = [r for r in epochs if r[1] == metric and r[2] == split]
            assert [r[4] for r in points] == [1, 2, 3, 4]  # one point per epoch
    stored = journal.metrics(1)
    loss = stored[(stored.name == "val_loss") & stored.epoch.notna()].value.tolist()
    assert [r[5] for r in epochs if r[1] == "loss" and r[2] == "validation"] == pytest.approx(
        loss[-4:], rel=1e-4
    )
    assert seen.rows("b"), "per-batch values are drawn too, lightly"
    assert "best" in seen.words and "val_accuracy" in seen.words and "epoch" in seen.words


def test_at_the_end_a_static_record_of_the_same_layout_replaces_the_view(
    widget_shell: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nbjournal.live import static

    drawn_on: list[str] = []  # the threads the record's chart was drawn on
    chart_svg = static.chart_svg

    def spying(*args: Any, **kwargs: Any) -> str:
        drawn_on.append(threading.current_thread().name)
        return chart_svg(*args, **kwargs)

    widget_shell.run_cell(TINY_DATA)
    monkeypatch.setattr(static, "chart_svg", spying)
    cell = f"%%experiment tiny-record -H '<b>not markup</b>'\n{tiny_mlp(epochs=3)}"
    seen = run(widget_shell, cell)
    # drawn when ``fit`` returned, beside the cell's code after it and the run's end, in a
    # thread or in the helper process (issue 21.13: drawn on the cell's own thread at the
    # run's end, 0.1-0.3 s on its path); never twice
    assert [name for name in drawn_on if name != "nbjournal-live-prepare"] in (
        ["nbjournal-record"],
        [],
    )
    # the view's own output becomes the header and progress; the chart and the footer follow
    assert seen.kinds() == ["view", "update:html", "svg", "html"]
    assert seen.box.comm is None and seen.chart.comm is None  # the widgets are closed
    record = next(d["text/html"] for d in seen.outputs if "nbj-static" in d.get("text/html", ""))
    assert "finished" in record and "tiny-record" in record
    assert "&lt;b&gt;not markup&lt;/b&gt;" in record and "<b>not markup" not in record
    chart = next(d for d in seen.outputs if "image/svg+xml" in d)
    svg = chart["image/svg+xml"]
    assert svg.lstrip().startswith("<svg") and MARKER in svg
    assert svg.count("<path") > 10  # curves, not an empty frame
    # a PNG of it too, for a JupyterLab that does not trust the notebook (no SVG there)
    assert base64.b64decode(chart["image/png"]).startswith(b"\x89PNG")
    # and the words read apart even where the style sheet is stripped (untrusted notebooks)
    unstyled = _text(re.sub(r"<style>.*?</style>", "", record, flags=re.S))
    assert unstyled.startswith("finished tiny-record run #1 <b>not markup</b>")
    assert "run #1" in next(
        d["text/plain"] for d in seen.outputs if "nbj-static" in d.get("text/html", "")
    )
    assert not [d for d in seen.outputs if is_run_card(d)]  # the view is the summary


def test_once_a_kernel_drew_a_record_the_later_ones_are_drawn_in_a_helper_process(
    widget_shell: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """vl-convert holds the GIL while it draws: in a thread of the kernel it stalled the
    training thread 80-180 ms at the end of every fit (issue 21.13)."""
    from nbjournal.live import record_process, static

    widget_shell.run_cell(TINY_DATA)
    run(widget_shell, f"%%experiment tiny-first\n{tiny_mlp(epochs=2)}")
    assert record_process.drawn_here  # a kernel's first record is drawn in it
    record_process.start()  # as the kernel's next fit starts it
    assert record_process._ready.wait(600), "the helper process never said it was ready"
    drawn_here: list[str] = []
    chart_svg = static.chart_svg
    monkeypatch.setattr(
        static, "chart_svg", lambda *a, **k: drawn_here.append("x") or chart_svg(*a, **k)
    )
    seen = run(widget_shell, f"%%experiment tiny-apart\n{tiny_mlp(epochs=3)}")
    assert drawn_here == []  # not in the kernel's process
    chart = next(d for d in seen.outputs if "image/svg+xml" in d)
    assert MARKER in chart["image/svg+xml"] and chart["image/svg+xml"].count("<path") > 10
    assert base64.b64decode(chart["image/png"]).startswith(b"\x89PNG")
    # a helper that is gone is started again, and meanwhile the kernel draws the record itself
    # (held not ready here: on an idle machine the new one could be ready before the fit ends)
    helper = record_process._helper
    assert helper is not None
    helper.kill()
    helper.wait()
    monkeypatch.setattr(record_process, "_await_ready", lambda started: None)
    seen = run(widget_shell, f"%%experiment tiny-apart\n{tiny_mlp(epochs=2)}")
    assert drawn_here == ["x"] and any("image/svg+xml" in d for d in seen.outputs)
    assert record_process._helper is not helper and record_process._helper.poll() is None


def test_the_view_replaces_keras_own_progress_bar_unless_the_cell_asks_for_it(
    widget_shell: Any,
) -> None:
    widget_shell.run_cell(TINY_DATA)
    default = run_captured(
        widget_shell, "%%experiment bar-off\n" + tiny_mlp(epochs=2).replace(", verbose=0", "")
    )
    asked = run_captured(
        widget_shell, "%%experiment bar-on\n" + tiny_mlp(epochs=2).replace("verbose=0", "verbose=2")
    )
    assert default.error is None and asked.error is None
    assert "Epoch 1/2" not in default.stdout and "loss" not in default.stdout
    assert "Epoch 1/2" in asked.stdout and "val_loss" in asked.stdout


def test_points_travel_as_increments_and_the_bytes_per_epoch_do_not_grow(
    journal_home: Any, wire: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nbjournal.live import preparation
    from nbjournal.live.series import ChartData
    from nbjournal.recording.recorder import RunRecorder
    from nbjournal.store import open_store

    assert preparation.wait(600)  # the chart joins the view at once (as in a kernel's later runs)
    monkeypatch.setattr(live_widget, "DRAW_INTERVAL_S", 0.0)  # draw at every event: worst case
    store = open_store()
    run_id = store.create_run(experiment="long", fingerprint="long")
    view = live_widget.LiveView(display=lambda *args, **kwargs: None)
    view.data = ChartData(epoch_points=40, batch_points=60)  # small bounds: thinning happens
    recorder = RunRecorder(store, run_id, experiment="long", sinks=[view])
    epochs, steps = 240, 10
    recorder.fit_started(epochs, steps, {"fit": {"batch_size": 8}})
    per_epoch = []
    for epoch in range(epochs):
        mark = len(wire.messages)
        for batch in range(steps):
            recorder.batch_ended(0, epoch, batch, {"loss": 1.0 / (epoch + 1 + batch / steps)})
        loss = 1.0 / (epoch + 2)
        recorder.epoch_ended(0, epoch, {"loss": loss, "val_loss": loss * 1.1})
        per_epoch.append(wire.bytes_since(mark))
    recorder.finish("finished")

    chart = view.chart
    assert chart is not None
    custom = wire.custom(comm_id(chart))
    assert custom and all(len(message["append"]) <= 4 for message in custom)  # increments
    early, late = sorted(per_epoch[20:60]), sorted(per_epoch[-40:])
    assert late[len(late) // 2] <= early[len(early) // 2] * 1.1  # the median does not grow
    assert max(per_epoch[-120:]) <= max(per_epoch[:120]) * 1.1  # nor the largest (a thinning)
    drawn = {(r[0], r[1], r[2]) for r in chart.rows}
    assert len(chart.rows) <= 2 * 40 + 60 and drawn == {
        ("e", "loss", "training"),
        ("e", "loss", "validation"),
        ("b", "loss", "training"),
    }
    assert [r[4] for r in chart.rows if r[0] == "e"][-1] == epochs  # the end is drawn
    stored = store.metric_points(run_id, kinds=["epoch"])
    assert len(stored) == 2 * epochs  # the journal keeps everything


def test_the_view_draws_at_most_when_the_throttle_allows(
    widget_shell: Any, monkeypatch: pytest.MonkeyPatch, wire: Any
) -> None:
    monkeypatch.setattr(live_widget, "DRAW_INTERVAL_S", 1e9)  # only the forced draws remain
    widget_shell.run_cell(TINY_DATA)
    mark = len(wire.messages)
    seen = run(widget_shell, f"%%experiment throttled\n{tiny_mlp(epochs=5)}")
    notes = seen.foot.value.count("nbj-note")
    sent = [m for m in wire.messages[mark:] if m[1] == "comm_msg"]
    # the first draw (fit start, the footer's room included), one per diagnosis, and the last
    # one: never one per batch
    assert len(wire.custom(comm_id(seen.chart))) <= 1 + notes
    # (+ 5: at the close, the chart, the three texts and the box are emptied, one message each;
    # + 2: with no page to say it holds the charts' library, the library's copy is sent again
    # and emptied at the close: a headless run then saves none)
    assert len(sent) <= 9 + 5 * notes + 7, f"{len(sent)} messages for 5 epochs of 8 batches"
    assert "epoch 5 of 5" in _text(seen.progress.value)


def test_a_closed_view_leaves_no_chart_script_nor_points_in_the_state_a_headless_run_saves(
    widget_shell: Any, wire: Any
) -> None:
    # nbclient (so nbconvert and papermill) keeps the last state each model was sent, closed
    # or not, and saves it in the notebook: replayed here by the same rule
    widget_shell.run_cell(TINY_DATA)
    mark = len(wire.messages)
    seen = run(widget_shell, f"%%experiment closed\n{tiny_mlp(epochs=3)}")
    saved: dict[str, dict[str, Any]] = {}
    for comm, _, data, _ in wire.messages[mark:]:
        if "state" in data:
            saved.setdefault(comm, {}).update(data["state"])
    chart = saved[comm_id(seen.chart)]
    assert len(chart["_esm"]) < 100 and chart["rows"] == [] and chart["spec"] == {}
    assert all(saved[comm_id(w)]["value"] == "" for w in (seen.head, seen.progress, seen.foot))
    # about 12 kB of empty models, where the chart's script alone was 900 kB
    assert len(json.dumps(saved)) < 20_000
    assert seen.rows()  # what the view showed is still read by the other tests


STOP = """
import keras
class Stop(keras.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        if self.model.optimizer.iterations.numpy() == 8 * 2 + 3:
            raise {error}("stopped in the user's callback")
"""


def test_keyboard_interrupt_mid_epoch_says_interrupted_and_keeps_every_point(
    widget_shell: Any, journal: Any
) -> None:
    widget_shell.run_cell(TINY_DATA)
    widget_shell.run_cell(STOP.format(error="KeyboardInterrupt"))
    seen = run(widget_shell, f"%%experiment stopped\n{tiny_mlp(epochs=6, callbacks='[Stop()]')}")
    assert isinstance(seen.error, KeyboardInterrupt)
    assert "interrupted" in seen.header
    # the user's callback runs before the recorder's: batch 3 raised before it was recorded
    assert "Interrupted at epoch 3 of 6 · batch 2 of 8" in seen.words
    assert "every point recorded before the stop is kept" in seen.words
    run_ = journal.run(1)
    assert run_.status == "interrupted"
    assert run_.metrics["loss"].count == 2
    stored = journal.metrics(1)
    assert len(stored[stored.epoch == 2]) > 0  # batch points of the interrupted epoch
    assert {r[4] for r in seen.rows("e")} == {1, 2}


def test_an_exception_in_a_users_callback_says_failed_and_reaches_the_user(
    widget_shell: Any, journal: Any
) -> None:
    widget_shell.run_cell(TINY_DATA)
    widget_shell.run_cell(STOP.format(error="ValueError"))
    seen = run(widget_shell, f"%%experiment broken\n{tiny_mlp(epochs=6, callbacks='[Stop()]')}")
    assert isinstance(seen.error, ValueError) and "stopped in the user's callback" in str(
        seen.error
    )
    assert "failed" in seen.header
    assert "Failed: ValueError: stopped in the user's callback" in seen.words
    assert journal.run(1).status == "failed"


POISON = """
import keras, numpy as np
class Poison(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        if epoch == 1:  # from the third epoch on, every output and loss is NaN
            bias = self.model.layers[-1].bias
            bias.assign(np.full(bias.shape, np.nan, dtype="float32"))
"""


def test_a_nan_loss_says_diverged_and_the_finite_points_stay_drawn(
    widget_shell: Any, journal: Any
) -> None:
    widget_shell.run_cell(TINY_DATA)
    widget_shell.run_cell(POISON)
    seen = run(widget_shell, f"%%experiment nan\n{tiny_mlp(epochs=4, callbacks='[Poison()]')}")
    assert seen.error is None
    assert "diverged" in seen.header and "finished" in seen.header
    assert "training loss became NaN at epoch 3" in seen.words
    losses = [r for r in seen.rows("e") if r[1] == "loss" and r[2] == "training"]
    assert [r[4] for r in losses] == [1, 2]  # epochs 1 and 2 drawn, the NaN ones are not
    assert '"diverged"' in json.dumps(seen.chart.spec)  # a rule marks where it diverged
    diagnoses = journal.run(1).diagnoses
    assert [(d["kind"], d["epoch"]) for d in diagnoses] == [("diverged", 2)]


VANISH = """
import keras, sqlite3, os
class Vanish(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        if epoch == 1:  # the journal loses the run under the training (as a wiped disk would)
            path = os.path.join(os.environ["NBJOURNAL_HOME"], "journal.db")
            with sqlite3.connect(path) as connection:
                connection.execute("DELETE FROM runs")
"""


def test_the_journal_failing_mid_run_is_a_warning_in_the_view_and_training_goes_on(
    widget_shell: Any,
) -> None:
    widget_shell.run_cell(TINY_DATA)
    widget_shell.run_cell(VANISH)
    with pytest.warns(UserWarning, match="nbjournal"):
        seen = run(widget_shell, f"%%experiment lost\n{tiny_mlp(epochs=4, callbacks='[Vanish()]')}")
    assert seen.error is None
    assert len(widget_shell.user_ns["history"].history["loss"]) == 4  # all epochs trained
    assert "training goes on, and what the journal does not take is kept in" in seen.words
    assert [r[4] for r in seen.rows("e") if r[1] == "loss" and r[2] == "training"] == [1, 2, 3, 4]


SEVERAL = """%%experiment lr-sweep
import keras
histories = []
for lr in (0.1, 0.01, 0.001):
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile(keras.optimizers.Adam(lr), "sparse_categorical_crossentropy", metrics=["accuracy"])
    histories.append(model.fit(X, y, validation_split=0.25, epochs=2, batch_size=32, verbose=0))
"""


def test_several_fits_in_one_cell_are_one_run_whose_parts_are_told_apart_in_the_view(
    widget_shell: Any, journal: Any
) -> None:
    widget_shell.run_cell(TINY_DATA)
    seen = run(widget_shell, SEVERAL)
    assert seen.error is None
    assert {r[3] for r in seen.rows("e")} == {0, 1, 2}  # points carry their part
    legend = str(seen.chart.spec)
    assert "lr=0.1" in legend and "lr=0.01" in legend and "lr=0.001" in legend
    assert "fit 3 (lr=0.001) · epoch 2 of 2" in _text(seen.progress.value)
    table = _text(seen.foot.value)
    assert "lr=0.1" in table and "lr=0.001" in table  # best values per fit
    run_ = journal.run(1)
    assert run_.full_params["fit2"]["optimizer"]["learning_rate"] == pytest.approx(0.01)


def test_no_live_records_without_a_view(widget_shell: Any, journal: Any) -> None:
    widget_shell.run_cell(TINY_DATA)
    captured = run_captured(widget_shell, f"%%experiment quiet --no-live\n{tiny_mlp(epochs=2)}")
    assert not [o for o in captured.outputs if WIDGET in o.data]
    assert journal.run(1).metrics["loss"].count == 2


def test_check_findings_stand_above_the_view_before_training_and_in_it_after(
    widget_shell: Any,
) -> None:
    # Given sorted labels (known before fit) and unscaled inputs (known at the first batch)
    widget_shell.run_cell(TINY_DATA + "order = np.argsort(y)\nX, y = X[order] * 1000, y[order]\n")
    seen = run(widget_shell, f"%%experiment checked-view\n{tiny_mlp(epochs=1)}")
    assert seen.error is None
    # Then the pre-fit finding is its own output, before the live view, escaped as text
    view = next(i for i, data in enumerate(seen.outputs) if WIDGET in data)
    before = [d for d in seen.outputs[:view] if "nbj-checks" in d.get("text/html", "")]
    assert len(before) == 1
    assert "sorted-labels: the last 25 %" in before[0]["text/plain"]
    assert "<b>sorted-labels</b>: the last 25 % of y" in before[0]["text/html"]
    # And the first batch's finding joins the view's top, and the record saved after it
    assert seen.header.startswith("initial-loss")
    assert "the first batch's loss is" in seen.header.split("finished")[0]
    record = next(d for d in seen.outputs if "nbj-static" in d.get("text/html", ""))
    assert "initial-loss" in record["text/html"]
