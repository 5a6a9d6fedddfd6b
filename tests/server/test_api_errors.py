"""A journal that cannot be opened is a 503 with a reason, not a crash or a hang."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nbjournal.store import forget_stores

from .helpers import error_of


async def test_an_unreachable_journal_is_503_then_recovers(
    journal_home: Path, monkeypatch: pytest.MonkeyPatch, api, get_json
) -> None:
    # Given NBJOURNAL_HOME names a path under a regular file (no folder can be made there)
    blocker = journal_home.parent / "not-a-folder"
    blocker.write_text("a file")
    monkeypatch.setenv("NBJOURNAL_HOME", str(blocker / "journal"))

    # When the sidebar asks for anything
    for path in (("experiments",), ("runs",), ("runs", 1), ("changes",)):
        response = await api(*path)

        # Then the journal is reported unavailable, and where it lives is not told
        assert response.code == 503
        assert error_of(response)["message"] == "the journal is unavailable"
        assert str(blocker) not in response.body.decode()

    # When the folder problem is fixed
    blocker.unlink()
    blocker.mkdir()
    forget_stores()

    # Then the next request opens the journal (a failure is not remembered)
    assert await get_json("runs") == {"runs": [], "next_cursor": None}


async def test_an_unsupported_journal_url_is_503_without_naming_it(
    journal_home: Path, monkeypatch: pytest.MonkeyPatch, api
) -> None:
    # Given NBJOURNAL_URL names a backend the journal does not speak
    monkeypatch.setenv("NBJOURNAL_URL", "mysql://someone@db/journal")

    # When the sidebar lists runs
    response = await api("runs")

    # Then 503 says the journal is unavailable, and the URL stays in the server's log
    assert response.code == 503
    assert error_of(response)["message"] == "the journal is unavailable"
    assert "someone" not in response.body.decode()


async def test_a_journal_that_never_answers_is_503_within_the_timeout(
    journal_home: Path, monkeypatch: pytest.MonkeyPatch, api, black_hole, short_timeout
) -> None:
    # Given a journal server that accepts connections and never answers
    monkeypatch.setenv("NBJOURNAL_URL", black_hole.url)

    # When the sidebar asks twice
    first = await api("runs")
    tried = black_hole.accepted
    second = await api("experiments")

    # Then both are answered 503 (not hung), and the second did not wait on the journal again
    assert first.code == 503 and second.code == 503
    assert error_of(second)["message"] == "the journal is unavailable"
    assert str(black_hole.port) not in first.body.decode()
    assert tried >= 1 and black_hole.accepted == tried


async def test_unknown_paths_under_the_api_are_404(journal_home: Path, api) -> None:
    # Given a running server, When a path outside the API table is asked
    response = await api("runs", 1, "artifacts")

    # Then 404
    assert response.code == 404


def test_the_extension_is_enabled_by_shipped_config() -> None:
    # Given the config file the package installs into etc/jupyter/jupyter_server_config.d
    path = Path(__file__).parents[2] / "jupyter-config" / "server-config" / "nbjournal.json"

    # When Jupyter reads it, Then it enables the nbjournal server extension
    config = json.loads(path.read_text())
    assert config == {"ServerApp": {"jpserver_extensions": {"nbjournal": True}}}
