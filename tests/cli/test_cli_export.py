"""``nbjournal export``: the lab-notebook report, from a planted journal whose numbers are known."""

from __future__ import annotations

from pathlib import Path

import pytest

from nbjournal.store import Store
from tests.cli.conftest import Cli
from tests.store.helpers import new_run, record

CODE = "model = mlp(units)\nmodel.fit(X, y)\n"


@pytest.fixture
def repeats(store: Store) -> dict[str, list[int]]:
    """Two configurations of ``widths``, three seeds each: units 64 ends at 0.90/0.91/0.92
    (mean 0.91), units 128 at 0.95/0.96/0.97 (mean 0.96, sd 0.01, 95 % half-interval
    t(0.975, 2)·0.01/√3 = 0.02484); Welch's interval of the 0.05 difference excludes 0."""
    made: dict[str, list[int]] = {"64": [], "128": []}
    data = [{"name": "X_train", "kind": "array", "shape": [100, 8], "hash": "xxh3:aaaa"}]
    for units, finals, seeds in ((64, (0.90, 0.91, 0.92), (1, 2, 3)),
                                 (128, (0.95, 0.96, 0.97), (4, 5, 6))):  # fmt: skip
        for final, seed in zip(finals, seeds, strict=True):
            hypothesis = "<b>wider</b> is better" if units == 128 else "a narrow net is enough"
            run_id = new_run(
                store, "widths", hypothesis=hypothesis, params={"units": units, "seed": seed},
                code=CODE.replace("units", str(units)), data=data,
            )  # fmt: skip
            record(store, run_id, {"val_accuracy": [0.5, 0.8, final]})
            store.finish_run(run_id, "finished")
            made[str(units)].append(run_id)
    evidence = {"runs": [made["128"], made["64"]], "said": "val_accuracy +0.05 (…): better"}
    store.add_inference(made["128"][-1], "wider wins by 0.05", "supported", evidence=evidence)
    return made


def test_export_writes_each_hypothesis_and_the_configurations_table(
    cli: Cli, repeats, tmp_path: Path
) -> None:
    narrow, wide = repeats["64"], repeats["128"]
    result = cli("export", "widths", "--format", "md")
    assert result.code == 0, result.err
    text = result.out

    # Each hypothesis is a section, in time order, user text escaped
    first = text.index("### Hypothesis 1: a narrow net is enough")
    assert text.index("### Hypothesis 2: &lt;b&gt;wider&lt;/b&gt; is better") > first
    # the procedure: params, data, code against the nearest earlier run
    assert f"#### Run #{wide[0]} (finished)" in text
    assert "Parameters: `seed=4`, `units=128`." in text
    assert "Data: `X_train 100×8 xxh3:aaaa`." in text
    assert f"Code against run #{narrow[-1]}:" in text
    assert "-model = mlp(64)" in text and "+model = mlp(128)" in text
    assert f"Code: the same as run #{narrow[0]}." in text
    # the result: every number with its run id
    assert f"`val_accuracy 0.97` (#{wide[2]})" in text
    # the inference with its verdict and run
    sides = "+".join(f"#{i}" for i in wide) + " vs " + "+".join(f"#{i}" for i in narrow)
    assert (
        f"(supported, on run #{wide[2]}): wider wins by 0.05 · evidence: {sides}: "
        "val_accuracy +0.05 (…): better" in text
    )  # the runs it rests on, and what the rule said of them
    # models × settings, averaged over repeats, the rule's verdict against the best
    ids = ", ".join(f"#{i}" for i in wide)
    assert f"| 128 | {ids} | 3 | 0.96 ± 0.02484 | best |" in text
    narrow_ids = ", ".join(f"#{i}" for i in narrow)
    assert f"| 64 | {narrow_ids} | 3 | 0.91 ± 0.02484 | better |" in text
    assert "Charts: not included" in text


def test_export_is_the_same_bytes_twice_and_html_is_self_contained(
    cli: Cli, repeats, tmp_path: Path
) -> None:
    page, again = tmp_path / "report.html", tmp_path / "again.html"
    assert cli("export", "-o", str(page)).code == 0
    assert cli("export", "-o", str(again)).code == 0
    assert page.read_bytes() == again.read_bytes()
    html = page.read_text()
    assert "<script" not in html and "src=" not in html and "href=" not in html
    assert html.count("<svg") == 6  # one chart per run, inline
    assert "&lt;b&gt;wider&lt;/b&gt;" in html and "<b>wider</b>" not in html

    # Markdown to a file: the charts beside it, named in it
    notes = tmp_path / "notes.md"
    assert cli("export", "widths", "-o", str(notes)).code == 0
    charts = sorted(p.name for p in (tmp_path / "notes_charts").iterdir())
    assert charts == [f"run-{i}-val_accuracy.svg" for i in sorted(repeats["64"] + repeats["128"])]
    assert f"](notes_charts/run-{repeats['64'][0]}-val_accuracy.svg)" in notes.read_text()


def test_export_refuses_bad_input_in_one_line(cli: Cli, repeats, tmp_path: Path) -> None:
    unknown = cli("export", "nope", "-o", str(tmp_path / "r.md"))
    assert (
        unknown.code == 1
        and unknown.err == "nbjournal: no experiment named 'nope' in this journal\n"
    )
    assert not (tmp_path / "r.md").exists()
    nowhere = cli("export", "-o", str(tmp_path / "missing" / "r.html"))
    assert nowhere.code == 1 and len(nowhere.err.splitlines()) == 1
    assert cli("export", "--format", "pdf").code == 2


def test_export_holds_a_grid_as_its_summary_table(cli: Cli, store: Store) -> None:
    from tests.server.test_api_grids import make_grid

    # Given a 2 × 2 grid: units 64 / lr 0.1 is best at 0.95, one point failed
    grid_id = make_grid(store, "sweep", best=0.95)

    # When it is exported
    result = cli("export", "sweep")

    # Then the grid's summary table is there, each point with its runs and mean
    assert result.code == 0, result.err
    assert f"### grid #{grid_id} sweep: 4 points, 4 runs (3 finished, 1 failed)" in result.out
    assert "| lr | units | runs | val_accuracy |" in result.out
    assert "| 0.1 | 64 | #4 | 0.95 |" in result.out
    assert "best val_accuracy: 0.95 at lr=0.1, units=64 · no repeats" in result.out
