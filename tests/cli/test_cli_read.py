"""Reading the journal from a shell: runs, show, compare, experiments, grids, db."""

from __future__ import annotations

import csv
import io

from tests.cli.conftest import Cli


def test_runs_lists_newest_first_with_numbers_at_four_digits(cli: Cli, sweep) -> None:
    # When the user lists the runs of one experiment
    result = cli("runs", "digits-mlp")

    # Then the table has its runs newest first, the swept parameter and the final metrics
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].split()[:4] == ["id", "status", "started", "duration"]
    assert "param.lr" in lines[0] and "metric.val_accuracy" in lines[0]
    ids = [int(line.split()[0]) for line in lines[2:-1]]
    assert ids == [sweep["broken"], sweep["fast"], sweep["slow"]]
    fast = next(line for line in lines if line.split()[0] == str(sweep["fast"]))
    assert "0.97" in fast and "0.003" in fast and "refuted" in fast
    assert "0.030000000000000027" not in result.out  # 1 - 0.97 at full precision
    assert lines[-1] == "3 runs"


def test_runs_takes_the_experiment_pages_query(cli: Cli, sweep) -> None:
    found = cli("runs", "val_accuracy>0.95", "--json").json()
    assert [r["id"] for r in found["runs"]] == [sweep["fast"]]
    assert cli("runs", "verdict:refuted", "--json").json()["total"] == 1
    assert [r["id"] for r in cli("runs", "#baseline", "--json").json()["runs"]] == [sweep["other"]]
    assert [r["id"] for r in cli("runs", "status:failed", "--json").json()["runs"]] == [
        sweep["broken"]
    ]
    both = cli("runs", "digits-mlp", "lr<0.01", "--sort", "val_accuracy", "--json").json()
    assert [r["id"] for r in both["runs"]] == [sweep["fast"], sweep["slow"]]
    worst = cli("runs", "digits-mlp", "lr<0.01", "--sort", "val_accuracy:asc", "--json").json()
    assert [r["id"] for r in worst["runs"]] == [sweep["slow"], sweep["fast"]]


def test_runs_has_the_grammars_or_and_in(cli: Cli, sweep) -> None:
    either = cli("runs", "lr=0.1", "OR", "val_accuracy>0.95", "--json").json()
    assert sorted(r["id"] for r in either["runs"]) == sorted([sweep["broken"], sweep["fast"]])
    listed = cli("runs", "digits-mlp", "lr", "in", "(0.001,", "0.1)", "--json").json()
    assert sorted(r["id"] for r in listed["runs"]) == sorted([sweep["slow"], sweep["broken"]])
    one_word = cli("runs", "lr not in (0.001, 0.1)", "--json").json()  # typed in quotes
    assert [r["id"] for r in one_word["runs"]] == [sweep["fast"]]


def test_runs_json_has_the_rest_apis_fields(cli: Cli, sweep) -> None:
    run = cli("runs", "#" + str(sweep["fast"]), "--json").json()["runs"][0]
    assert {"id", "experiment", "status", "params", "metrics", "key_metric", "verdict"} <= set(run)
    assert run["metrics"]["val_accuracy"]["last"] == 0.97
    assert run["params"]["lr"] == 0.003


def test_runs_csv_keeps_full_precision_and_md_is_a_table(cli: Cli, sweep) -> None:
    rows = list(csv.DictReader(io.StringIO(cli("runs", "digits-mlp", "--csv").out)))
    assert [int(r["id"]) for r in rows] == [sweep["broken"], sweep["fast"], sweep["slow"]]
    assert float(rows[1]["metric.loss"]) == 1 - 0.97
    md = cli("runs", "digits-mlp", "--md", "--columns", "id,param.lr,metric.val_accuracy").out
    assert md.splitlines()[0] == "| id | param.lr | metric.val_accuracy |"
    assert md.splitlines()[1] == "| ---: | ---: | ---: |"
    assert f"| {sweep['fast']} | 0.003 | 0.97 |" in md


def test_runs_limit_says_how_many_more(cli: Cli, sweep) -> None:
    result = cli("runs", "--limit", "2")
    assert len(result.out.splitlines()) == 2 + 2 + 1
    assert result.out.splitlines()[-1].startswith("2 of 4 runs")


def test_show_prints_what_the_notebook_shows(cli: Cli, sweep) -> None:
    result = cli("show", str(sweep["fast"]))
    assert result.code == 0, result.err
    assert "lr 0.003 learns the digits" in result.out
    assert "refuted: faster is not better here" in result.out
    assert cli("show", f"#{sweep['fast']}", "--json").json()["code"].startswith("units = 64")


def test_compare_shows_only_what_differs(cli: Cli, sweep) -> None:
    result = cli("compare", str(sweep["slow"]), str(sweep["fast"]))
    assert result.code == 0, result.err
    out = result.out
    assert "lr" in out and "units" not in out.split("code")[0]  # units is the same: not shown
    assert "-lr = 0.001" in out and "+lr = 0.003" in out  # the code, as a unified diff
    assert "X_train" not in out  # the same data
    metrics = out.split("metric (final)")[1]
    assert "0.91" in metrics and "0.97" in metrics and "0.06" in metrics
    assert "needs 2 more repeats" in metrics  # one run a side: the rule says how many more
    everything = cli("compare", str(sweep["slow"]), str(sweep["fast"]), "--json", "--all").json()
    assert [p["name"] for p in everything["params"]] == ["lr", "units"]
    accuracy = next(m for m in everything["metrics"] if m["name"] == "val_accuracy")
    assert accuracy["values"] == [0.91, 0.97]


def test_experiments_grids_and_db(cli: Cli, sweep) -> None:
    experiments = cli("experiments", "--json").json()["experiments"]
    assert {e["name"]: e["runs"] for e in experiments} == {"digits-mlp": 3, "other": 1}
    assert "digits-mlp" in cli("experiments").out
    assert cli("grids", "--json").json() == {"grids": []}
    assert "the newest this nbjournal knows" in cli("db", "current").out


def test_help_everywhere(cli: Cli) -> None:
    top = cli("--help")
    assert top.code == 0 and "runs" in top.out and "compare" in top.out
    for command in ("runs", "show", "compare", "experiments", "grids", "grid", "insights", "db"):
        result = cli(command, "--help")
        assert result.code == 0 and "--journal" in result.out, command


def test_compare_gives_the_rules_verdict_on_groups_of_repeats(cli: Cli, store) -> None:
    # Given two configurations, three seeds each, planted 0.06 apart with little noise
    from tests.store.helpers import new_run, record

    groups = {}
    for name, base in (("small", 0.90), ("large", 0.96)):
        groups[name] = []
        for seed, noise in enumerate((0.0, 0.004, -0.003)):
            run_id = new_run(store, "sizes", params={"units": name, "seed": seed})
            record(store, run_id, {"val_accuracy": [base + noise]})
            store.finish_run(run_id, "finished")
            groups[name].append(str(run_id))

    # When the user compares the groups
    result = cli("compare", ",".join(groups["small"]), ",".join(groups["large"]), "--json")

    # Then the first group is worse, paired by seed, 3 runs a side (first − other, as the
    # notebook and the REST API say it)
    (accuracy,) = [m for m in result.json()["metrics"] if m["name"] == "val_accuracy"]
    (verdict,) = accuracy["comparisons"]
    assert verdict["verdict"] == "worse" and verdict["paired"] is True
    assert (verdict["n_a"], verdict["n_b"]) == (3, 3)
    assert abs(verdict["difference"] + 0.06) < 1e-9
    text = cli("compare", ",".join(groups["small"]), ",".join(groups["large"])).out
    assert "worse" in text

    # And a run against a run borrows the noise of their configurations' repeats, as
    # %journal compare does (the command line gave no interval, the other sign)
    import nbjournal

    one, other = int(groups["small"][0]), int(groups["large"][0])
    shown = nbjournal.Journal(store.url).compare(one, other).result
    said = cli("compare", str(one), str(other), "--json").json()
    (single,) = next(m for m in said["metrics"] if m["name"] == "val_accuracy")["comparisons"]
    assert single["borrowed"] and single["borrowed"] == shown.borrowed
    assert single["verdict"] == shown.verdict and single["interval"] == list(shown.interval)
    text = cli("compare", str(one), str(other)).out
    assert f"noise of a run alone on its side: from {shown.borrowed}" in text


def test_insights_prints_the_view_the_notebook_prints(cli: Cli, sweep, store) -> None:
    # the data class's repr (DataFrames inline) was printed since the view moved to display/
    from nbjournal.analysis.insights import insights
    from nbjournal.display.insights_view import InsightsView

    result = cli("insights", "digits-mlp")
    assert result.code == 0, result.err
    assert result.out.startswith("Insights: digits-mlp")
    assert "DataFrame" not in result.out and "Insights(" not in result.out
    assert result.out.rstrip("\n") == InsightsView(insights(store, "digits-mlp")).text()
    assert cli("insights", "digits-mlp", "--md").out.startswith("```\nInsights: digits-mlp")
