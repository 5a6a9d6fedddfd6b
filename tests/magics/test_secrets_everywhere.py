"""Secrets never reach the journal: not in parameters (nested dict keys too), data or artifacts.

Planted truth: two secret strings, one in a secret-named environment variable and
one in a nested dict parameter; after the cell, neither appears in anything the
journal or the artifact store holds (read back through the API and, on SQLite,
as raw bytes of the database files), and the identical cell restores the rest
and says what it did not. SQLite and PostgreSQL journals.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from IPython.utils.capture import capture_output

from nbjournal.rules.secrets import REDACTED
from tests.pg_schemas import backend_params

ENV_SECRET = "sk-live-0123456789abcdef"
DICT_SECRET = "hunter2-correct-horse"

# the dict with a password is a --param: the experiment's code, recorded as written, holds
# neither secret
PARAM = f"""client_cfg={{'host':'db.example.org','port':5432,'password':'{DICT_SECRET}'}}"""
CELL = """import os
from types import SimpleNamespace
service = os.environ["SERVICE_API_KEY"]
client = SimpleNamespace(endpoint="https://api.example.org", auth=service)
settings = dict(client_cfg, timeout=3)
units = 8
units * 2
"""


@pytest.fixture(params=backend_params("sqlite"))
def backend(request, shell, monkeypatch):
    monkeypatch.delenv("NBJOURNAL_ARTIFACTS", raising=False)
    monkeypatch.setenv("SERVICE_API_KEY", ENV_SECRET)
    if request.param == "sqlite":
        yield request.param
        return
    from nbjournal.artifacts import wait_for_saves
    from nbjournal.store import forget_stores

    monkeypatch.setenv("NBJOURNAL_URL", request.getfixturevalue("pg_url"))
    forget_stores()
    yield request.param
    wait_for_saves()  # before pg_url drops the schema


def run(shell):
    with capture_output() as captured:
        shell.run_cell(f'%%experiment secrets -p "{PARAM}"\n{CELL}')
    return captured


def everything_stored(journal, journal_home: Path, backend: str) -> bytes:
    """Every byte the journal and the artifact store hold that could carry the secrets."""
    from nbjournal.artifacts import wait_for_saves

    wait_for_saves()
    run = journal.run(1)
    texts = [run.code, repr(run.full_params), repr(run.data), repr(journal.runs().to_dict())]
    texts += [repr(a) for a in run.artifacts]
    found = "\n".join(texts).encode()
    files = [p for p in journal_home.rglob("*") if p.is_file() and "keys" not in p.parts]
    if backend == "postgresql":
        files = [p for p in files if "artifacts" in p.parts]
    return found + b"".join(p.read_bytes() for p in files)


def test_secrets_are_absent_from_params_data_and_artifacts(backend, shell, journal,
                                                           journal_home):  # fmt: skip
    run(shell)
    stored = everything_stored(journal, journal_home, backend)
    assert b"db.example.org" in stored and b"api.example.org" in stored  # the code
    assert ENV_SECRET.encode() not in stored and DICT_SECRET.encode() not in stored
    run_ = journal.run(1)
    assert run_.full_params["client_cfg"] == {"host": "db.example.org", "port": 5432,
                                              "password": REDACTED}  # fmt: skip
    listed = journal.artifacts(1).set_index("name")
    assert set(listed.index[listed["stored"]]) == {"units", "os", "SimpleNamespace", "Out"}
    assert listed.loc["client_cfg", "reason"] == "a secret: never stored"
    assert listed.loc["client", "reason"] == "a secret: never stored"  # found in its bytes
    assert listed.loc["settings", "reason"] == "a secret: never stored"  # its nested key


def test_an_identical_cell_restores_without_the_secrets_and_says_so(backend, shell, journal):
    from nbjournal.artifacts import ArtifactUnavailable, wait_for_saves

    run(shell)
    wait_for_saves()
    shell.reset(new_session=True)
    captured = run(shell)
    assert "Restored from run #1" in captured.outputs[0].data["text/plain"]
    assert "Not restored: client_cfg, service, client, settings (a secret is never stored)" in (
        captured.stdout
    )
    assert shell.user_ns["units"] == 8 and "service" not in shell.user_ns
    with pytest.raises(ArtifactUnavailable, match="was not stored"):
        journal.load(1, "service")


def test_nested_secret_keys_are_redacted_in_the_rule():
    from nbjournal.rules.secrets import redact_params

    params = {"cfg": {"db": {"password": "x" * 9, "port": 1}}, "creds": ["a", 1], "lr": 0.1}
    assert redact_params(params) == {
        "cfg": {"db": {"password": REDACTED, "port": 1}},
        "creds": [REDACTED, 1],
        "lr": 0.1,
    }
