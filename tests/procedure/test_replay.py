"""Replaying a run in a fresh kernel: the recorded procedure proves (or not) the number."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from nbjournal.errors import ReplayStopped

from .kernel_driver import PlantedKernel

pytestmark = pytest.mark.slow

CELLS = [
    ("load", "import pandas as pd\nframe = pd.read_csv('data.csv')"),
    ("prep", "frame['c'] = frame['a'] * 2"),
    ("noise", "import random"),
    ("exp", "%%experiment replayed\nscore = float(frame['c'].sum() / frame['b'].sum())\nscore"),
    ("rnd", "%%experiment unseeded\nvalue = random.random()\nvalue"),
]


@pytest.fixture(scope="module")
def journal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, Path]]:
    """A notebook run once in a real kernel (cell ids as JupyterLab sends them), then its
    preprocessing cell edited in the saved copy."""
    import nbjournal
    from nbjournal.store import forget_stores

    folder = tmp_path_factory.mktemp("replay")
    (folder / "data.csv").write_text("a,b\n1,2\n3,4\n5,7\n")
    url = f"sqlite:///{folder / 'journal.db'}"
    env = {"NBJOURNAL_URL": url, "NBJOURNAL_LIVE": "off", "NBJOURNAL_HOME": str(folder / "h")}
    kernel = PlantedKernel(env, folder)
    path = folder / "analysis.ipynb"
    try:
        kernel.fresh(path)
        for cell_id, code in CELLS:
            assert kernel.run(code, cell_id).error is None
    finally:
        kernel.close()
    notebook = nbformat.v4.new_notebook()
    for cell_id, code in CELLS:
        cell = nbformat.v4.new_code_cell(
            "frame['c'] = frame['a'] * 3" if cell_id == "prep" else code
        )
        cell["id"] = cell_id
        notebook.cells.append(cell)
    nbformat.write(notebook, path)
    forget_stores()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NBJOURNAL_HOME", str(folder / "h"))
        yield nbjournal.Journal(url), folder
    forget_stores()


def test_an_edited_upstream_cell_is_flagged_and_the_replay_reproduces_what_ran(journal) -> None:
    j, _ = journal
    # Given run #1, whose preprocessing cell was edited after it ran
    before = j.procedure(1)
    assert (before.status, list(before["cell_id"])) == ("upstream edited", ["load", "prep"])
    # When it is replayed (the cells as they ran, in a fresh kernel)
    result = j.replay(1)
    # Then the number is the same, the replay is recorded as one, and #1 is reproduced
    assert result.matched and result.replay_id == 3
    assert result.metrics["score"]["verdict"] == "identical" and result.inputs_match
    assert j.run(3).repeat_of == 1
    after = j.procedure(1)
    assert after.reproduced is not None
    replayed = j.store  # the replay's own record names the run it replays
    from nbjournal.store.procedures import procedure

    assert procedure(replayed, 3).replay_of == 1 and procedure(replayed, 1).replays == (3,)
    assert "reproduced" in repr(result) and result.notebook is not None
    written = nbformat.read(result.notebook, as_version=4)
    assert [c.source for c in written.cells][1:3] == [CELLS[0][1], CELLS[1][1]]
    assert written.cells[-1].source.startswith("%%experiment replayed --force")


def test_a_number_that_does_not_come_back_is_not_reproduced(journal) -> None:
    j, _ = journal
    result = j.replay(2)  # random.random() without a seed
    assert not result.matched
    assert result.metrics["value"]["verdict"].startswith("differs")
    assert j.procedure(2).reproduced is None


def test_a_changed_data_file_stops_the_replay_before_anything_runs(journal) -> None:
    j, folder = journal
    runs_before = len(j.runs())
    original = (folder / "data.csv").read_text()
    (folder / "data.csv").write_text(original + "9,9\n")
    try:
        with pytest.raises(ReplayStopped, match=r"data file data.csv .* changed since run #1"):
            j.replay(1)
    finally:
        (folder / "data.csv").write_text(original)
    assert len(j.runs()) == runs_before


def test_a_run_without_a_procedure_says_so(journal) -> None:
    j, _ = journal
    run_id = j.store.create_run(experiment="script", fingerprint="f" * 16)
    with pytest.raises(ReplayStopped, match=rf"run #{run_id} recorded no procedure"):
        j.replay(run_id)
    frame = j.procedure(run_id)
    assert frame.status is None and frame.reason == "no procedure was recorded for this run"


def test_the_command_line_replays_and_says_so(journal, capsys) -> None:
    from nbjournal.cli import main

    j, _ = journal
    assert main(["replay", "#1", "--journal", j.url]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("replay of run #1 → run #") and line.endswith("reproduced")
    assert main(["replay", "999", "--journal", j.url]) == 1
    assert capsys.readouterr().err.strip() == "nbjournal: no run #999 in this journal"


# -- a replay never runs code whose author is not trusted (issue 19) -------------------------


def _planted(j, folder: Path, sign) -> tuple[int, Path]:
    """A run whose procedure row someone with the journal's access wrote: its cell would
    leave a file behind if it ever ran."""
    from nbjournal.store.procedures import save_procedure

    marker = folder / "planted-code-ran"
    run_id = j.store.create_run(experiment="planted", fingerprint="p" * 16)
    code = f"%%experiment planted\nopen({str(marker)!r}, 'w').write('ran')\n1"
    record = {"cell": {"execution_count": 1, "code": code}, "cells": [], "files": []}
    save_procedure(j.store, run_id, sign(record, run_id))
    return run_id, marker


def _teammate(record: dict, run_id: int) -> dict:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from nbjournal.artifacts.code_trust import KIND, ROLE, code_digest
    from nbjournal.artifacts.signing import Signer

    mallory = Signer(Ed25519PrivateKey.generate(), "mallory@elsewhere")
    signature = mallory.sign("", ROLE, str(run_id), KIND, code_digest(record))
    return {**record, "signature": signature.as_extra()}


def _mine_then_changed(record: dict, run_id: int) -> dict:
    from nbjournal.artifacts.code_trust import signed

    honest = signed({**record, "cell": {**record["cell"], "code": "%%experiment planted\n1"}},
                    run_id)  # fmt: skip
    return {**honest, "cell": record["cell"]}  # the code swapped under the user's signature


@pytest.mark.parametrize(
    ("sign", "said"),
    [
        (lambda record, run_id: record, "is not signed"),
        (_teammate, "recorded by mallory@elsewhere .* a key you do not trust"),
        (_mine_then_changed, "does not match its signature"),
    ],
    ids=["unsigned", "untrusted-key", "tampered"],
)
def test_planted_code_is_never_replayed(journal, sign, said) -> None:
    j, folder = journal
    run_id, marker = _planted(j, folder, sign)
    runs_before = len(j.runs())
    with pytest.raises(ReplayStopped, match=said):
        j.replay(run_id)
    assert not marker.exists() and len(j.runs()) == runs_before


def test_code_the_user_recorded_is_signed_by_their_key(journal) -> None:
    from nbjournal.artifacts.code_trust import code_refusal
    from nbjournal.artifacts.signing import own_key
    from nbjournal.store.procedures import procedure

    j, _ = journal
    record = procedure(j.store, 1).slice
    assert record["signature"]["key"] == own_key() and code_refusal(record, 1) is None
    assert code_refusal(record, 2) is not None  # bound to its run: not reusable on another
