"""What recording and the live view add to ``model.fit``, beside livelossplot and MLflow autolog.

The model is the digits MLP (scikit-learn's ``load_digits``, 64-128-64-10,
Adam, batch 32, 10 epochs, 20 % validation, CPU). Every variant trains its own
fresh model, warmed by a one-batch fit so that tracing is not timed; the
variants run interleaved, in a new random order each repetition, and each
ratio is the median over the repetitions of (variant time / bare time of the
same repetition).

Variants:

- ``bare``: ``model.fit`` alone.
- ``keras batch hook``: a callback whose ``on_train_batch_end`` does nothing.
  Keras hands each batch's hooks to a thread pool unless a callback defines
  one; then it turns each batch's logs into Python floats on the training
  thread. This row shows what that costs, which nbjournal pays too (its
  recorder keeps batch values).
- ``nbjournal recording``: the recorder and its callback, as in an
  ``%%experiment`` cell with ``--no-live`` (run created before, finished after
  the fit: those are timed apart, as "run start + end").
- ``nbjournal live view``: the same with the notebook view (its messages go to
  a counting comm instead of a front end).
- ``livelossplot``: ``PlotLossesKeras`` in notebook mode, each epoch's figure
  rendered to PNG as the inline backend does when it shows it.
- ``mlflow autolog``: ``mlflow.keras.autolog(log_every_epoch=True,
  log_models=False)`` to a SQLite tracking store in a temporary folder.

Also measured: the per-batch cost of the recorder's batch hook alone, in
microseconds; the bytes the live view sends per epoch, on the digits fit and
on a synthetic 1,000-epoch run drawn at every event (no throttle), in windows
early and late, to show they do not grow with the epochs already drawn.

livelossplot and MLflow, 2–4× slower than a bare fit, run in the first
``NBJOURNAL_BENCH_COMPARED`` repetitions only (5): the run takes about 5
minutes on a loaded 2-core machine instead of 25. A run that stops says why:
each repetition prints a line on stderr (ratios, peak memory, load), Python's
stack is written on a crash or a SIGTERM or SIGHUP (``faulthandler``), and
Keras' session is cleared between models so the memory stays flat (it grew by
~60 MB a repetition; the journal and MLflow stores live in a temporary folder).
A SIGKILL (the kernel's OOM killer on a machine short of memory) cannot be
caught: the last progress line shows how far it got and how large it was.
"""

from __future__ import annotations

import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("MPLBACKEND", "Agg")

REPETITIONS = int(os.environ.get("NBJOURNAL_BENCH_REPS", "11"))
COMPARED = int(os.environ.get("NBJOURNAL_BENCH_COMPARED", "5"))
COMPARISONS = ("livelossplot", "mlflow autolog")
EPOCHS = 10
BATCH = 32


# -- the front end, counted -------------------------------------------------------------


class _Counter:
    """Installed as ``comm.create_comm``: every message the widgets send, sized as JSON."""

    def __init__(self) -> None:
        self.sizes: list[tuple[str, int]] = []

    def install(self) -> None:
        import comm
        from comm.base_comm import BaseComm

        counter = self

        class CountingComm(BaseComm):  # type: ignore[misc]
            def publish_msg(self, msg_type: str, data: Any = None, *args: Any, **kw: Any) -> None:
                buffers = kw.get("buffers") or []
                size = len(json.dumps(data or {}, default=str)) + sum(len(b) for b in buffers)
                counter.sizes.append((msg_type, size))

        def create(*args: Any, **kwargs: Any) -> Any:
            kwargs.pop("kernel", None)
            return CountingComm(*args, **kwargs)

        comm.create_comm = create

    def mark(self) -> int:
        return len(self.sizes)

    def since(self, mark: int, kinds: tuple[str, ...] = ("comm_msg",)) -> int:
        return sum(size for kind, size in self.sizes[mark:] if kind in kinds)


# -- the model --------------------------------------------------------------------------


def _data() -> tuple[Any, Any]:
    from sklearn.datasets import load_digits

    x, y = load_digits(return_X_y=True)
    return (x / 16.0).astype("float32"), y.astype("int32")


def _model(seed: int) -> Any:
    import keras

    keras.backend.clear_session()  # the models before are let go: the memory stays flat
    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input((64,)),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(
        keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    return model


class _Bench:
    def __init__(self, home: Path, counter: _Counter) -> None:
        self.x, self.y = _data()
        self.home = home
        self.counter = counter
        self.run_costs: list[float] = []
        self.record_costs: list[float] = []
        self.live_bytes: list[float] = []
        self.inside_recording: list[float] = []
        self.inside_live: list[float] = []
        self.writer: list[float] = []
        self.mlflow_ready = False

    def warm(self, model: Any) -> None:
        """One epoch on the same data and split, untimed: every function Keras traces is traced."""
        model.fit(self.x, self.y, epochs=1, batch_size=BATCH, validation_split=0.2, verbose=0)

    def fit(self, model: Any, callbacks: list[Any]) -> float:
        start = time.perf_counter()
        model.fit(
            self.x,
            self.y,
            epochs=EPOCHS,
            batch_size=BATCH,
            validation_split=0.2,
            verbose=0,
            callbacks=callbacks,
        )
        return time.perf_counter() - start

    # -- variants: each returns the seconds ``model.fit`` took --

    def bare(self, model: Any) -> float:
        return self.fit(model, [])

    def keras_batch_hook(self, model: Any) -> float:
        import keras

        class Empty(keras.callbacks.Callback):  # type: ignore[misc]
            def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
                pass

        return self.fit(model, [Empty()])

    def recording(self, model: Any) -> float:
        return self._nbjournal(model, live=False)

    def live(self, model: Any) -> float:
        return self._nbjournal(model, live=True)

    def _nbjournal(self, model: Any, live: bool) -> float:
        from nbjournal.recording.keras_callback import RecordingCallback
        from nbjournal.recording.recorder import RunRecorder
        from nbjournal.store import open_store

        start = time.perf_counter()
        store = open_store()
        run_id = store.create_run(experiment="bench-fit", fingerprint=f"bench-{time.time()}")
        sinks = []
        if live:
            from nbjournal.live import library
            from nbjournal.live.widget import LiveView

            # a page that holds the charts' library says so once: as the kernel hears it
            library._current()._heard(None, {"have": True}, None)
            sinks = [LiveView(display=lambda *args, **kwargs: None)]
        recorder = RunRecorder(store, run_id, experiment="bench-fit", sinks=sinks)
        started = time.perf_counter() - start
        mark = self.counter.mark()
        callback = RecordingCallback(recorder, {"batch_size": BATCH})
        inside = _time_inside(callback)
        writing = _time_writer(recorder)
        seconds = self.fit(model, [callback])
        (self.inside_live if live else self.inside_recording).append(sum(inside))
        self.writer.append(sum(writing))
        if live:
            self.live_bytes.append(self.counter.since(mark) / EPOCHS)
        end = time.perf_counter()
        # what a cell often does after ``fit``: the live view's record is drawn beside it
        model.evaluate(self.x[:360], self.y[:360], batch_size=BATCH, verbose=0)
        recorder.finish("finished")
        ended = time.perf_counter() - end
        (self.record_costs if live else self.run_costs).append(started + ended)
        return seconds

    def livelossplot(self, model: Any) -> float:
        import matplotlib.pyplot as plt
        from livelossplot import PlotLossesKeras
        from livelossplot.outputs import ExtremaPrinter, MatplotlibPlot

        def show(figure: Any) -> None:  # what the inline backend does when a figure is shown
            figure.tight_layout()
            figure.savefig(io.BytesIO(), format="png", bbox_inches="tight")

        with _quiet():
            callback = PlotLossesKeras(
                outputs=[MatplotlibPlot(after_plots=show), ExtremaPrinter()], mode="notebook"
            )
            seconds = self.fit(model, [callback])
        plt.close("all")
        return seconds

    def mlflow(self, model: Any) -> float:
        import mlflow

        if not self.mlflow_ready:
            mlflow.set_tracking_uri("sqlite:///" + str(self.home / "mlflow.db"))
            mlflow.set_experiment("bench-fit")
            self.mlflow_ready = True
        mlflow.keras.autolog(log_every_epoch=True, log_models=False, silent=True)
        try:
            with _quiet():
                return self.fit(model, [])
        finally:
            mlflow.keras.autolog(disable=True, silent=True)


def _time_inside(callback: Any) -> list[float]:
    """Seconds spent in the callback's hooks (Keras' worker thread included), appended to."""
    spent: list[float] = []
    for name in ("on_train_begin", "on_epoch_begin", "on_train_batch_end", "on_epoch_end",
                 "on_train_end"):  # fmt: skip
        hook = getattr(callback, name)

        def timed(*args: Any, _hook: Any = hook, **kwargs: Any) -> None:
            start = time.perf_counter()
            try:
                _hook(*args, **kwargs)
            finally:
                spent.append(time.perf_counter() - start)

        setattr(callback, name, timed)
    return spent


def _time_writer(recorder: Any) -> list[float]:
    """Seconds the recorder's writer thread spends writing (off the training thread)."""
    spent: list[float] = []
    write = recorder._writer._write

    def timed(wanted: Any) -> None:
        start = time.perf_counter()
        try:
            write(wanted)
        finally:
            spent.append(time.perf_counter() - start)

    recorder._writer._write = timed
    return spent


def keras_logs_to_floats_microseconds(x: Any, y: Any, repeats: int = 2000) -> float:
    """What Keras does on the training thread, per batch, for a batch hook not marked safe:
    turn the step's logs (tensors) into Python floats. Measured on real logs of the model."""
    from keras.src.utils.python_utils import pythonify_logs

    model = _model(0)
    model.fit(x[:BATCH], y[:BATCH], epochs=1, batch_size=BATCH, verbose=0)
    import tensorflow as tf

    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(BATCH).repeat()
    logs = model.train_function(iter(dataset))
    start = time.perf_counter()
    for _ in range(repeats):
        pythonify_logs(logs)
    return (time.perf_counter() - start) / repeats * 1e6


class _quiet:
    """Silence what the compared tools print (progress text, ANSI clears) while timing."""

    def __enter__(self) -> None:
        import contextlib
        import sys

        self._stack = contextlib.ExitStack()
        self._stack.enter_context(contextlib.redirect_stdout(io.StringIO()))
        self._stack.enter_context(warnings.catch_warnings())
        warnings.simplefilter("ignore")
        sys.stdout.flush()

    def __exit__(self, *exc: Any) -> None:
        self._stack.close()


# -- micro-measures -----------------------------------------------------------------------


def per_batch_microseconds(live: bool, batches: int = 4500) -> float:
    """The recorder's batch hook (and the view's), called as Keras calls it, in µs a batch."""
    from nbjournal.recording.recorder import RunRecorder
    from nbjournal.store import open_store

    store = open_store()
    run_id = store.create_run(experiment="bench-batch", fingerprint=f"b-{time.time()}")
    sinks = []
    if live:
        from nbjournal.live.widget import LiveView

        sinks = [LiveView(display=lambda *args, **kwargs: None)]
    recorder = RunRecorder(store, run_id, experiment="bench-batch", sinks=sinks)
    steps = 45
    recorder.fit_started(batches // steps, steps, {"fit": {"batch_size": BATCH}})
    logs = {"accuracy": 0.91, "loss": 0.31}
    start = time.perf_counter()
    for index in range(batches):
        recorder.batch_ended(0, index // steps, index % steps, logs)
    elapsed = time.perf_counter() - start
    recorder.finish("finished")
    return elapsed / batches * 1e6


def bytes_per_epoch_long_run(counter: _Counter, epochs: int = 1000, steps: int = 45) -> dict:
    """A synthetic 1,000-epoch run drawn at every event: bytes per epoch, early and late."""
    import math

    from nbjournal.live import widget
    from nbjournal.recording.recorder import RunRecorder
    from nbjournal.store import open_store

    store = open_store()
    run_id = store.create_run(experiment="bench-long", fingerprint=f"l-{time.time()}")
    view = widget.LiveView(display=lambda *args, **kwargs: None)
    recorder = RunRecorder(store, run_id, experiment="bench-long", sinks=[view])
    throttle, widget.DRAW_INTERVAL_S = widget.DRAW_INTERVAL_S, 0.0
    per_epoch: list[int] = []
    try:
        recorder.fit_started(epochs, steps, {"fit": {"batch_size": BATCH}})
        for epoch in range(epochs):
            mark = counter.mark()
            for batch in range(steps):
                loss = 2.0 * math.exp(-(epoch + batch / steps) / 80) + 0.05
                recorder.batch_ended(0, epoch, batch, {"loss": loss, "accuracy": 1 - loss / 2.1})
            loss = 2.0 * math.exp(-(epoch + 1) / 80) + 0.05
            logs = {"loss": loss, "accuracy": 1 - loss / 2.1, "val_loss": loss * 1.1}
            logs["val_accuracy"] = 1 - logs["val_loss"] / 2.1
            recorder.epoch_ended(0, epoch, logs)
            per_epoch.append(counter.since(mark))
        drawn = len(view.data)
    finally:
        widget.DRAW_INTERVAL_S = throttle
        recorder.finish("finished")
    windows = {}
    for first in (0, 100, 500, epochs - 100):
        chunk = per_epoch[first : first + 100]
        windows[f"epochs {first + 1}-{first + len(chunk)}"] = (
            statistics.median(chunk),
            statistics.mean(chunk),
            max(chunk),
        )
    return {"windows": windows, "points_drawn": drawn, "points_recorded": epochs * (steps + 4)}


def record_drawing_ms(repeats: int = 7) -> float:
    """The live view's static chart of a 10-epoch run (two panels, batch values), drawn alone."""
    from nbjournal.live.record_process import draw
    from nbjournal.live.spec import live_spec

    spec = live_spec(["loss", "accuracy"], [], [], dots=True, log=["loss"], kinds=["b", "e"])
    rows: list[list[Any]] = []
    for epoch in range(EPOCHS):
        for step in range(25):
            x = epoch + (step + 1) / 25
            rows += [["b", "loss", "training", 0, x, 1 / (1 + x)], ["b", "accuracy", "training", 0, x, 1 - 1 / (2 + x)]]  # fmt: skip
        for split in ("training", "validation"):
            rows += [["e", "loss", split, 0, epoch + 1, 1 / (2 + epoch)], ["e", "accuracy", split, 0, epoch + 1, 1 - 1 / (3 + epoch)]]  # fmt: skip
    draw(spec, rows)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        draw(spec, rows)
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


# -- the run ----------------------------------------------------------------------------------


def _say_why_it_stops() -> None:
    """A crash or a stopping signal writes every thread's stack on stderr (see the docstring)."""
    import faulthandler
    import signal

    faulthandler.enable()
    for stop in (signal.SIGTERM, signal.SIGHUP):
        faulthandler.register(stop, chain=True)


def run() -> dict:
    """Measure, print the table, return the figures."""
    _say_why_it_stops()
    counter = _Counter()
    counter.install()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        os.environ["NBJOURNAL_HOME"] = str(home / "journal")
        os.environ.pop("NBJOURNAL_URL", None)
        bench = _Bench(home, counter)
        variants: dict[str, Callable[[Any], float]] = {
            "bare": bench.bare,
            "keras batch hook": bench.keras_batch_hook,
            "nbjournal recording": bench.recording,
            "nbjournal live view": bench.live,
            "livelossplot": bench.livelossplot,
            "mlflow autolog": bench.mlflow,
        }
        for variant in variants.values():  # warm every code path once, untimed
            model = _model(0)
            bench.warm(model)
            variant(model)
        # the live view's second fit in a process starts the helper that draws the records
        # (nbjournal.live.record_process): measured once it is ready, as in a kernel's later fits
        model = _model(0)
        bench.warm(model)
        bench.live(model)
        from nbjournal.live import record_process

        record_process._ready.wait(120)
        bench.run_costs.clear()
        bench.record_costs.clear()
        bench.live_bytes.clear()
        bench.inside_recording.clear()
        bench.inside_live.clear()
        bench.writer.clear()
        times: dict[str, list[float]] = {name: [] for name in variants}
        order = list(variants)
        for repetition in range(REPETITIONS):
            random.Random(repetition).shuffle(order)
            for name in order:
                if name in COMPARISONS and repetition >= COMPARED:
                    continue
                model = _model(repetition + 1)
                bench.warm(model)
                times[name].append(variants[name](model))
            _progress(repetition, times)
        per_repetition = {  # zip: the comparisons ran in the first repetitions only
            name: sorted(t / b for t, b in zip(times[name], times["bare"], strict=False))
            for name in variants
        }
        ratios = {name: statistics.median(r) for name, r in per_repetition.items()}
        best = {name: min(t) / min(times["bare"]) for name, t in times.items()}
        quartiles = {name: _quartiles(r) for name, r in per_repetition.items()}
        micro = {
            "recording": statistics.median(per_batch_microseconds(False) for _ in range(5)),
            "live view": statistics.median(per_batch_microseconds(True) for _ in range(5)),
        }
        long_run = bytes_per_epoch_long_run(counter)
        figures = {
            "seconds": {name: statistics.median(t) for name, t in times.items()},
            "ratio": ratios,
            "ratio_quartiles": quartiles,
            "ratio_best_of": best,
            "inside_callback_ms": {
                "recording": 1000 * statistics.median(bench.inside_recording),
                "live view": 1000 * statistics.median(bench.inside_live),
            },
            "writer_thread_ms": 1000 * statistics.median(bench.writer),
            "keras_logs_to_floats_us": keras_logs_to_floats_microseconds(bench.x, bench.y),
            "per_batch_us": micro,
            "run_start_end_ms": 1000 * statistics.median(bench.run_costs),
            "run_start_end_with_record_ms": 1000 * statistics.median(bench.record_costs),
            "record_drawing_ms": record_drawing_ms(),
            "live_bytes_per_epoch_digits": statistics.median(bench.live_bytes),
            "long_run": long_run,
            "repetitions": REPETITIONS,
            "compared": min(COMPARED, REPETITIONS),
            "load": " ".join(f"{v:.1f}" for v in os.getloadavg()),
        }
    _print(figures)
    return figures


def _progress(repetition: int, times: dict[str, list[float]]) -> None:
    """One line a repetition on stderr: where a run that stops got to, its memory, the load."""
    import resource

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ratios = " ".join(
        f"{n.split()[-1]} {t[-1] / times['bare'][-1]:.3f}"
        for n, t in times.items()
        if len(t) == repetition + 1
    )
    print(
        f"  repetition {repetition + 1}/{REPETITIONS}: {ratios}; peak {peak_mb:,.0f} MB, "
        f"load {os.getloadavg()[0]:.1f}",
        file=sys.stderr,
        flush=True,
    )


def _quartiles(values: list[float]) -> tuple[float, float]:
    """The 25th and 75th percentiles: how much a shared machine moved the ratio."""
    if len(values) < 4:
        return min(values), max(values)
    cuts = statistics.quantiles(values, n=4)
    return cuts[0], cuts[2]


def _print(figures: dict) -> None:
    print(
        f"digits MLP 64-128-64-10, batch {BATCH}, {EPOCHS} epochs, CPU; "
        f"median of {figures['repetitions']} interleaved repetitions "
        f"({figures['compared']} for livelossplot and MLflow); load {figures['load']}"
    )
    print(f"{'variant':<22} {'fit s':>7} {'ratio':>7}  {'middle half':>15}  {'best of':>7}")
    for name, seconds in figures["seconds"].items():
        low, high = figures["ratio_quartiles"][name]
        print(
            f"{name:<22} {seconds:>7.2f} {figures['ratio'][name]:>7.3f}  "
            f"{low:>6.3f} – {high:<6.3f}  {figures['ratio_best_of'][name]:>7.3f}"
        )
    print(
        "(ratio: median over repetitions of variant / bare; middle half: its 25th-75th "
        "percentiles; best of: fastest variant / fastest bare, the least disturbed runs)"
    )
    bare = figures["seconds"]["bare"]
    inside = figures["inside_callback_ms"]
    print(
        f"time inside nbjournal's callback per fit: recording {inside['recording']:.1f} ms "
        f"({100 * inside['recording'] / 1000 / bare:.2f} % of a bare fit), "
        f"with the live view {inside['live view']:.1f} ms "
        f"({100 * inside['live view'] / 1000 / bare:.2f} %); the journal's writer thread, "
        f"beside the training: {figures['writer_thread_ms']:.1f} ms"
    )
    print(
        f"Keras, per batch, once a callback defines on_train_batch_end: "
        f"{figures['keras_logs_to_floats_us']:.1f} µs turning the logs into floats on the "
        "training thread (instead of a thread pool)"
    )
    micro = figures["per_batch_us"]
    print(
        f"per batch, the recorder's hook: {micro['recording']:.1f} µs; "
        f"with the live view: {micro['live view']:.1f} µs"
    )
    print(
        "run start + end (create the run; after fit, model.evaluate on 360 rows, flush, finish): "
        f"{figures['run_start_end_ms']:.0f} ms; with the live view's static record (SVG and PNG, "
        f"drawn from the fit's end beside the cell): {figures['run_start_end_with_record_ms']:.0f} ms"
    )
    print(
        "the record's drawing alone (SVG and PNG of the run's chart, on the cell's thread before): "
        f"{figures['record_drawing_ms']:.0f} ms"
    )
    print(
        f"live view, bytes to the front end per epoch on this fit: "
        f"{figures['live_bytes_per_epoch_digits']:,.0f} (plus the view's opening and, once per "
        "kernel, the ~0.9 MB offline chart library)"
    )
    long_run = figures["long_run"]
    print(
        f"synthetic 1,000 epochs x 45 batches, drawn at every event: "
        f"{long_run['points_drawn']:,} points drawn of {long_run['points_recorded']:,} recorded"
    )
    for window, (median, mean, most) in long_run["windows"].items():
        print(
            f"  {window:<16} bytes/epoch median {median:>7,.0f}  mean {mean:>7,.0f}  max {most:>7,}"
        )


if __name__ == "__main__":
    run()
