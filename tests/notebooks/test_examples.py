"""Every notebook in example_notebooks/ runs headlessly in a real kernel, on a fresh journal.

Each is executed once per test run (``example`` in conftest.py) and read by the tests below.
"""

from __future__ import annotations

import pytest

from .conftest import NOTEBOOKS

pytestmark = pytest.mark.slow


def _outputs_text(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        parts.append(output.get("text", ""))
        parts.append(output.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[n.name for n in NOTEBOOKS])
def test_example_notebook_runs_without_errors(notebook, example):
    executed = example(notebook.name).notebook
    errors = [
        o for c in executed.cells for o in c.get("outputs", []) if o.get("output_type") == "error"
    ]
    assert errors == []


def test_quickstart_tells_the_digits_story(example):
    import nbjournal

    executed = example("01_quickstart.ipynb").notebook
    runs = nbjournal.Journal().runs().set_index("experiment")
    assert sorted(runs.index) == ["digits-logreg", "digits-mlp"]
    assert runs.loc["digits-logreg", "metric.test_accuracy"] > 0.9
    assert runs.loc["digits-mlp", "param.units"] == 64
    assert runs.loc["digits-mlp", "metric.test_accuracy"] > 0.9
    assert runs.loc["digits-mlp", "verdict"] == "refuted"
    journal = nbjournal.Journal()
    for run_id in journal.runs()["id"]:  # clean data: the checks before fit stay quiet
        assert journal.run(int(run_id)).checks["findings"] == []
    rerun = next(c for c in executed.cells if "run again by mistake" in c.source)
    assert "Restored from run #2 (finished just now, " in _outputs_text(rerun)
    assert "keras, units, lr, model · --force trains again" in _outputs_text(rerun)
    assert "test_accuracy" in _outputs_text(rerun)  # its value, Out[n], restored
    mlp = next(c for c in executed.cells if "one hidden layer of 64" in c.source)
    kinds = [k for o in mlp.outputs for k in o.get("data", {})]
    # the live view, replaced at the end by its static record and chart (no widget left)
    assert "application/vnd.jupyter.widget-view+json" not in kinds
    assert "image/svg+xml" in kinds
    assert any("nbj-static" in o.get("data", {}).get("text/html", "") for o in mlp.outputs)
    assert "finished" in _outputs_text(mlp) and "Epoch 1/20" not in _outputs_text(mlp)


def test_insights_notebook_ranks_suggests_and_surfaces_the_refuted_idea(example):
    import nbjournal

    executed = example("04_insights.ipynb").notebook

    def output_of(marker: str) -> str:
        return _outputs_text(next(c for c in executed.cells if marker in c.source))

    assert "too few runs to tell (3 finished runs" in output_of("%journal insights digits-sweep")
    assert "closest earlier run: #1" in output_of("-p lr=0.01 -p units=16")
    overview = next(c for c in executed.cells if c.source.startswith("insights = journal"))
    assert "Which parameters mattered" in _outputs_text(overview)
    assert "data:image/png;base64," in overview.outputs[0]["data"]["text/html"]
    assert "12 points: 3 done before (#1 #2 #3), 9 to run" in output_of("--grid lr=")
    suggested = output_of("digits-sweep --suggested 1")
    assert "1 suggested point (TPE over 12 runs): lr=" in suggested
    assert "1 suggested point (TPE over 12 runs, for val_accuracy)" in suggested  # the summary
    journal = nbjournal.Journal()
    grid = journal.grids(experiment="digits-sweep").iloc[0]  # newest first: the suggested one
    assert grid["spec"]["origin"]["suggested"] == 1 and grid["done"] == 1
    (point,) = grid["spec"]["points"]
    params = journal.run(int(journal.grid(int(grid["id"]))["run_id"][0])).params
    assert (params["lr"], params["units"]) == (point["lr"], point["units"])
    repeat = output_of("a wider layer tames the large step")
    assert 'refuted: "A step of 0.3 overshoots' in repeat
    assert "changes only units, which earlier runs already varied" in repeat
    # a new problem on a smaller sample of the digits: the full digits are the similar data set
    similar = output_of("journal.similar(X_small")
    assert "Data sets like this one (600 rows × 64 features, 10 classes)" in similar
    assert "digits-sweep" in similar
    warm = output_of("digits-small --suggested 2")
    assert "2 suggested points (warm start: 1 from similar data sets" in warm
    assert "best of digits-sweep (#" in warm and "on a data set at distance 0.0" in warm
    (small,) = journal.grids(experiment="digits-small").itertuples()
    assert small.spec["origin"]["transferred"] == 1 and small.done == 2


def test_checks_notebook_shows_findings_before_training_then_a_clean_run(example):
    import nbjournal

    executed = example("03_checks.ipynb").notebook
    first, clean = [c for c in executed.cells if c.source.startswith("%%experiment digits-checks")]
    shown = [o.get("data", {}).get("text/plain", "") for o in first.outputs]
    # the live view's place, where its static record replaced it at the end
    live = next(
        i
        for i, o in enumerate(first.outputs)
        if "nbj-static" in o.get("data", {}).get("text/html", "")
    )
    before = "\n".join(shown[:live])
    for name in ("sorted-labels:", "non-finite:", "leakage:"):
        assert name in before  # each finding, above the live view
    from nbjournal.checks import NAMES

    assert not [name for name in NAMES if f"{name}:" in _outputs_text(clean)]
    journal = nbjournal.Journal()
    runs = journal.runs(experiment="digits-checks").sort_values("id")
    bad, good = (journal.run(int(i)) for i in runs["id"])
    assert [f["name"] for f in bad.checks["findings"]] == ["sorted-labels", "non-finite", "leakage"]
    assert good.checks["findings"] == []


def test_grids_notebook_runs_the_activation_grid_then_skips_it(example):
    import nbjournal

    executed = example("02_grids.ipynb").notebook
    journal = nbjournal.Journal()
    runs = journal.runs(experiment="digits-activations")
    assert len(runs) == 24 and set(runs["status"]) == {"finished"}
    assert sorted(set(runs["param.activation"])) == ["leaky_relu", "relu", "sigmoid", "tanh"]
    assert sorted(set(runs["param.seed"])) == [0, 1, 2]
    grids = journal.grids()
    grids = grids[grids["experiment"] == "digits-activations"]
    assert list(grids["points"]) == [24] and list(grids["done"]) == [24]
    first, again = [
        c for c in executed.cells if c.source.startswith("%%experiment digits-activations")
    ]
    assert "24 points to run" in _outputs_text(first)
    assert "24 points: 24 done before" in _outputs_text(again)
    for cell in (first, again):
        kinds = [k for o in cell.outputs for k in o.get("data", {})]
        assert "image/svg+xml" in kinds  # the summary's chart stays in the saved notebook
    width = journal.runs(experiment="digits-width")  # the section on a local Dask cluster
    assert len(width) == 4 and set(width["status"]) == {"finished"}
    pids = {journal.run(int(i)).pid for i in width["id"]}
    assert (
        len(pids) >= 1 and journal.run(int(runs["id"][0])).pid not in pids
    )  # the workers ran them
    [restored] = [c for c in executed.cells if c.source.startswith("print(model.count_params()")]
    assert "4 epochs" in _outputs_text(restored)  # the last point's model and history came back


def test_the_saved_grid_cell_keeps_the_grid_summary_and_chart_in_the_live_views_place(example):
    """A notebook saved after a grid keeps its summary and chart and no widget (one executed
    notebook, 02_grids, carries what a kernel of its own used to)."""
    first = example("02_grids.ipynb").cells("%%experiment digits-activations")[0]
    widget = "application/vnd.jupyter.widget-view+json"
    data = [o.data for o in first.outputs if o.output_type == "display_data"]
    # the live grid view comes first, replaced at the end by the summary (every point): no
    # widget is saved, and no empty output left behind
    assert "nbj-grid-summary" in data[0]["text/html"]
    assert not any(widget in d for d in data)
    assert all(d.get("text/html") or d.get("image/png") for d in data)
    summary = data[0]["text/html"]
    assert sum("nbj-grid-summary" in d.get("text/html", "") for d in data) == 1
    assert "digits-activations" in summary and "activation" in summary and "lr" in summary
    assert summary.count("<tr") == 9  # a header and the 8 points (3 repeats each)
    chart = next(d for d in data if "image/svg+xml" in d)
    assert 'data-role="nbj-grid-chart"' in chart["image/svg+xml"] and "image/png" in chart


def test_nbconvert_html_shows_the_grid_summary_without_a_kernel(example):
    import base64
    import copy
    import re

    from nbconvert import HTMLExporter

    executed = copy.deepcopy(example("02_grids.ipynb").notebook)
    executed.metadata.pop("widgets", None)
    body, _ = HTMLExporter().from_notebook_node(executed)
    assert "nbj-grid-summary" in body
    images = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', body)
    assert any('data-role="nbj-grid-chart"' in base64.b64decode(i).decode() for i in images)


def test_noise_notebook_shows_a_difference_that_is_noise_and_one_that_holds(example):
    import nbjournal

    executed = example("05_noise.ipynb")
    # one run a side: the journal names no winner
    single = _outputs_text(executed.cell("%journal compare 1 2"))
    verdicts = [
        line.split("(no interval): ")[1] for line in single.splitlines() if "(no interval)" in line
    ]
    assert len(verdicts) == 4 and all(v.startswith("needs 2 more repeats") for v in verdicts)
    # ... although the single runs' gap looks like progress (about two points)
    gap = single.split("val_accuracy: ")[1].split(", ")[1].split(" ")[0]
    assert abs(float(gap)) >= 0.01, single
    # five seeds a side (the hand-run seed 2 of each skipped by the grid, then counted in)
    grid = _outputs_text(executed.cells("%%experiment digits-200 --grid units")[0])
    assert "10 points: 2 done before (#1 #2), 8 to run" in grid
    assert "within noise of units=64" in grid
    journal = nbjournal.Journal()
    runs = journal.runs(experiment="digits-200")
    ids = {
        (units, dropout): runs[(runs["param.units"] == units) & (runs["param.dropout"] == dropout)][
            "id"
        ].tolist()
        for units, dropout in [(64, 0.0), (96, 0.0), (64, 0.5)]
    }
    assert [len(v) for v in ids.values()] == [5, 5, 5]
    wide = journal.compare(ids[96, 0.0], ids[64, 0.0], metric="val_accuracy")
    assert wide.result.verdict == "within noise"
    dropped = journal.compare(ids[64, 0.5], ids[64, 0.0], metric="val_loss")
    assert dropped.result.verdict == "worse"  # holds: more than the noise
    # a cell and the grid's points of one configuration are one configuration (5 runs each)
    configurations = journal.configurations("digits-200")
    assert sorted(configurations["n"]) == [5, 5, 5]
    # the conclusions keep their evidence; the one the evidence decides prints no warning
    refuted = _outputs_text(executed.cells("%inference")[-1])
    assert "worse" in refuted and "⚠" not in refuted


def test_procedure_notebook_shows_an_edited_preprocessing_cell_and_a_matching_replay(example):
    import nbjournal

    executed = example("06_procedure.ipynb")
    # as run: the data and preprocessing cells, not the unrelated one, in a clean procedure
    first = _outputs_text(executed.cell("journal.show(run)"))
    assert "procedure: clean — every upstream cell is in the saved notebook" in first
    assert "· 2 upstream cells" in first and "StandardScaler().fit(X_train)" in first
    assert "notes = " not in first
    # the preprocessing cell edited in the saved notebook: the badge and the cell named
    status = _outputs_text(executed.cell("procedure = journal.procedure(run)"))
    assert "upstream edited · In [3] has other code in the notebook now" in status
    # the replay ran the recorded code (StandardScaler) and matched
    replay = _outputs_text(executed.cell("journal.replay(run)"))
    assert "replay of run #1 → run #2 · test_accuracy 0.9888 → 0.9888 identical" in replay
    assert replay.rstrip().endswith("reproduced")
    last = executed.cell("%journal show $run").outputs[0]["data"]
    assert "upstream edited — In [3] has other code in the notebook now" in last["text/plain"]
    assert "reproduced just now" in last["text/plain"]
    assert "nbj-status" in last["text/html"] and ">upstream edited</span>" in last["text/html"]
    journal = nbjournal.Journal()
    assert journal.procedure(1).reproduced is not None
    replayed, recorded = (journal.run(i).metrics["test_accuracy"].last for i in (2, 1))
    assert replayed == recorded == pytest.approx(0.9888, abs=1e-4)
