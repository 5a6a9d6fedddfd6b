"""Retiring runs from a shell: the trash, restore, purge (which keeps cited runs), tags."""

from __future__ import annotations

from pathlib import Path

import pytest

from nbjournal.artifacts.blobs import BlobStore
from nbjournal.store import Artifact, Store
from tests.cli.conftest import Cli
from tests.store.helpers import new_run, record


def _kept(cli: Cli) -> list[int]:
    return [r["id"] for r in cli("runs", "--json").json()["runs"]]


def test_a_deleted_run_leaves_every_listing_and_comes_back(cli: Cli, sweep, store: Store) -> None:
    slow, fast, broken = sweep["slow"], sweep["fast"], sweep["broken"]
    assert store.runs_table().id == [sweep["other"], broken, fast, slow]  # the listing is warm

    # When the user deletes a run
    result = cli("delete", str(slow))

    # Then it is in the trash, and no listing shows it
    assert result.code == 0 and f"undo: nbjournal restore {slow}" in result.out
    assert slow not in _kept(cli)
    assert [r["id"] for r in cli("trash", "--json").json()["runs"]] == [slow]
    assert slow not in store.runs_table().id  # Journal().runs(), refreshed by change numbers
    assert slow not in [r.id for r in store.list_runs(experiment="digits-mlp")]  # sidebar REST
    assert {e.name: e.runs for e in store.experiments()}["digits-mlp"] == 2
    assert slow not in [r.id for r in store.history("digits-mlp").runs]  # insights
    assert slow not in [c[0] for c in store.nearest_candidates("digits-mlp", None)]
    assert store.experiment_table("digits-mlp").total == 2  # the experiment page
    fingerprint = store.get_run(slow).fingerprint
    assert store.finished_fingerprints([fingerprint]) == {}  # a grid runs the point again
    assert store.list_runs(fingerprint=fingerprint, status="finished") == []  # no duplicate
    assert store.get_run(slow).deleted_at is not None  # still whole
    assert len(store.metric_points(slow)) == 6

    # And restore brings it back everywhere
    assert cli("restore", str(slow)).code == 0
    assert _kept(cli) == [sweep["other"], broken, fast, slow]
    assert store.runs_table().id == [sweep["other"], broken, fast, slow]
    assert cli("trash", "--json").json()["runs"] == []


def test_delete_by_query_takes_every_match(cli: Cli, sweep) -> None:
    result = cli("delete", "--query", "experiment:digits-mlp", "--json")
    assert sorted(result.json()["trashed"]) == sorted(
        [sweep["slow"], sweep["fast"], sweep["broken"]]
    )
    assert _kept(cli) == [sweep["other"]]
    assert "digits-mlp" not in cli("experiments").out


def test_purge_removes_points_and_unshared_blobs_and_keeps_a_cited_run(
    cli: Cli, sweep, store: Store, tmp_path: Path
) -> None:
    # Given artifacts: slow and other share one blob; slow has one of its own
    blobs = BlobStore(str(tmp_path / "artifacts"))
    shared, _ = blobs.put(b"shared bytes")
    own, _ = blobs.put(b"slow's own bytes")

    def artifact(run_id: int, name: str, digest: str) -> Artifact:
        return Artifact(run_id=run_id, name=name, kind="pickle", type="bytes", size=1, hash=digest)

    store.add_artifacts(sweep["slow"], [artifact(sweep["slow"], "a", shared),
                                        artifact(sweep["slow"], "b", own)])  # fmt: skip
    store.add_artifacts(sweep["other"], [artifact(sweep["other"], "a", shared)])
    # and an inference on a kept run that cites the broken run
    store.add_inference(sweep["other"], f"#{sweep['broken']} shows lr 0.1 diverges")
    env = {"NBJOURNAL_ARTIFACTS": str(tmp_path / "artifacts")}
    assert cli("delete", str(sweep["slow"]), str(sweep["fast"]), str(sweep["broken"])).code == 0

    # When the trash is purged
    result = cli("purge", env=env)

    # Then only the uncited run went, with its points and its own blob
    assert result.code == 0, result.err
    assert f"purged 1 run (#{sweep['slow']}), 6 metric points, 1 artifact blobs" in result.out
    assert f"kept run #{sweep['fast']}: inference #1 on it rests on it" in result.out
    assert (
        f"kept run #{sweep['broken']}: inference #2 on run #{sweep['other']} cites it" in result.out
    )
    assert not Path(blobs.path(own)).exists() and Path(blobs.path(shared)).exists()
    assert [r["id"] for r in cli("trash", "--json").json()["runs"]] == [
        sweep["broken"],
        sweep["fast"],
    ]
    with pytest.raises(Exception, match="no run"):
        store.get_run(sweep["slow"])

    # And --force purges the held ones too
    forced = cli("purge", "--force", "--json", env=env).json()
    assert sorted(forced["purged"]) == sorted([sweep["fast"], sweep["broken"]])
    assert cli("trash", "--json").json()["runs"] == []
    assert _kept(cli) == [sweep["other"]]


def test_purge_keeps_a_run_an_inference_s_evidence_rests_on(cli: Cli, sweep, store: Store) -> None:
    # Given an inference on the kept run whose evidence (``%inference --runs``) names slow
    evidence = {"runs": [[sweep["other"]], [sweep["slow"]]], "verdict": "better"}
    held = store.add_inference(
        sweep["other"], "other beats the sweep", "supported", evidence=evidence
    )
    assert cli("delete", str(sweep["slow"])).code == 0

    # When the trash is purged, slow stays (the text never names it: the evidence does)
    result = cli("purge")
    assert result.code == 0, result.err
    assert (
        f"kept run #{sweep['slow']}: inference #{held.id} on run #{sweep['other']} rests on it"
        in result.out
    )
    assert [r["id"] for r in cli("trash", "--json").json()["runs"]] == [sweep["slow"]]


def test_purge_older_than_leaves_recent_deletions(cli: Cli, sweep) -> None:
    cli("delete", str(sweep["slow"]))
    assert cli("purge", "--older-than", "30d", "--json").json()["purged"] == []
    assert cli("purge", "--older-than", "30x").code == 2
    assert [r["id"] for r in cli("trash", "--json").json()["runs"]] == [sweep["slow"]]


def test_tags_are_edited_after_the_fact(cli: Cli, sweep) -> None:
    run = str(sweep["slow"])
    assert cli("tag", run, "+keep", "+draft").out.strip() == f"run #{run} tags: draft, keep"
    assert cli("tag", run, "-draft").out.strip() == f"run #{run} tags: keep"
    assert [r["id"] for r in cli("runs", "#keep", "--json").json()["runs"]] == [sweep["slow"]]
    assert [r["id"] for r in cli("runs", "tag:draft", "--json").json()["runs"]] == []


def test_options_after_the_tags_are_options(cli: Cli, sweep, journal_url: str) -> None:
    run = str(sweep["slow"])
    # written after the tags, --journal still names the journal and --json still formats
    done = cli("tag", run, "+late", "-keep", "--journal", journal_url, "--json", journal=None)
    assert done.code == 0, done.err
    assert done.json() == {"run_id": sweep["slow"], "tags": ["late"]}


@pytest.mark.parametrize(
    ("words", "says"),
    [
        (("delete", "999999"), "no run #999999"),
        (("delete",), "one of them"),
        (("delete", "--query", "units>abc"), "not a number"),
        (("delete", "--query", "experiment:nothing"), "nothing deleted"),
        (("restore",), "--all"),
        (("tag", "1"), "no tag named"),
        (("tag", "999999", "+x"), "no run #999999"),
    ],
)
def test_bad_retiring_input_changes_nothing(cli: Cli, sweep, store: Store, words, says) -> None:
    before = store.changes(0)[0]
    result = cli(*words)
    assert result.code != 0 and result.err.count("\n") == 1 and says in result.err, result.err
    assert store.changes(0)[0] == before


def test_a_running_run_is_not_deleted(cli: Cli, store: Store) -> None:
    running = new_run(store, "live")
    record(store, running, {"loss": [1.0]})
    result = cli("delete", str(running))
    assert result.code == 1 and "is running" in result.err
    assert store.get_run(running).deleted_at is None


def test_the_trash_is_listed_by_query_and_an_experiment_all_in_it_says_so(cli: Cli, sweep) -> None:
    # Given the only run of "other" in the trash
    assert cli("delete", str(sweep["other"])).code == 0

    # Then its experiment is still known: no run kept, and where its run went
    kept = cli("runs", "other")
    assert kept.code == 0, kept.err
    assert kept.out.splitlines()[-1] == (
        "0 runs (1 run of other in the trash: nbjournal runs other status:trashed)"
    )
    # and the query lists the trash with its rows (the table was empty: "0 of 1 runs")
    trashed = cli("runs", "other", "status:trashed")
    assert [int(line.split()[0]) for line in trashed.out.splitlines()[2:-1]] == [sweep["other"]]
    assert trashed.out.splitlines()[-1] == "1 run"
    assert "no experiment named 'nowhere'" in cli("runs", "nowhere").err
