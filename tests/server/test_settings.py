"""``c.NbJournal.url`` in the server's config: the journal a JupyterHub admin sets for all."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from nbjournal.store import Store
from tests.store.helpers import new_run

TEAM = "team-journal.db"


@pytest.fixture
def jp_server_config(journal_home: Path, tmp_path: Path, monkeypatch) -> dict[str, Any]:
    monkeypatch.setenv("NBJOURNAL_URL", "placeholder")
    monkeypatch.delenv("NBJOURNAL_URL")  # restored (absent) after the test
    monkeypatch.setenv("NBJOURNAL_TIMEOUT", "1")
    monkeypatch.delenv("NBJOURNAL_TIMEOUT")
    return {
        "ServerApp": {"jpserver_extensions": {"nbjournal": True}},
        "NbJournal": {"url": f"sqlite:///{tmp_path / TEAM}", "timeout": 7.5},
    }


async def test_the_configured_journal_is_the_server_s_and_its_kernels(
    tmp_path: Path, get_json
) -> None:
    # Given a run in the journal the server's config names (not the default one)
    team = Store(f"sqlite:///{tmp_path / TEAM}")
    run_id = new_run(team, "shared", hypothesis="set once for everyone")
    team.finish_run(run_id, "finished")

    # When the sidebar asks the server
    body = await get_json("runs")

    # Then it answers from that journal, and kernels started by the server inherit it
    assert [r["id"] for r in body["runs"]] == [run_id]
    assert os.environ["NBJOURNAL_URL"] == f"sqlite:///{tmp_path / TEAM}"
    assert os.environ["NBJOURNAL_TIMEOUT"] == "7.5"


def test_an_environment_variable_wins_over_the_config() -> None:
    from nbjournal.server.settings import NbJournal

    environ = {"NBJOURNAL_URL": "sqlite:////mine.db"}
    settings = NbJournal(url="sqlite:////team.db", artifacts="s3://bucket/artifacts")
    assert settings.apply(environ) == {"NBJOURNAL_ARTIFACTS": "s3://bucket/artifacts"}
    assert environ["NBJOURNAL_URL"] == "sqlite:////mine.db"
