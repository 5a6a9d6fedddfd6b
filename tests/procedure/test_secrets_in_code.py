"""Never store a secret: the code of a run's upstream cells (and its own) goes through the
one secrets rule (rules/secrets.py ``redact_code``) before the journal keeps it.

The attack: a notebook assigns a key, a database URL with its password and a password
keyword in cells above an experiment that uses them. Planted truth: six secret literals;
after the run none of them is in any byte of the journal's files, nor in ``nbjournal
export``; the procedure still lists every upstream cell, and a replay refuses to run a
placeholder.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from nbjournal.errors import ReplayStopped
from nbjournal.rules.secrets import REDACTED, redact_code

from .kernel_driver import PlantedKernel

KEY = "sk-live-4f9a8b7c6d5e4f3a2b1c0d9e"
DB_PASSWORD = "Tr0ub4dor-and-3"
KEYWORD_PASSWORD = "correct-horse-battery"
URL_TOKEN = "qwe123rty456"
ENV_TOKEN = "hf_AbCdEfGhIjKlMnOpQrStUvWx"
OWN_TOKEN = "ghp_0123456789abcdefghijABCDEFGHIJ"
SECRETS = [KEY, DB_PASSWORD, KEYWORD_PASSWORD, URL_TOKEN, ENV_TOKEN, OWN_TOKEN]

CELLS = [
    ("key", f'api_key = "{KEY}"'),
    ("db", f'db_url = "postgresql://bob:{DB_PASSWORD}@db.example.org/lab"'),
    ("client", f'client = dict(user="bob", password="{KEYWORD_PASSWORD}")'),
    ("endpoint", f'endpoint = "https://api.example.org/v1/data?token={URL_TOKEN}&page=2"'),
    ("env", f"%env HF_TOKEN={ENV_TOKEN}"),
    (
        "exp",
        "%%experiment leaky\n"
        f'github = "{OWN_TOKEN}"\n'
        "parts = [len(api_key), len(db_url), len(client), len(endpoint)]\n"
        "score = sum(parts) / 100\nscore",
    ),
]


@pytest.mark.parametrize(
    ("code", "secret", "kept"),
    [
        ('api_key = "abc-123-def"', "abc-123-def", "api_key = "),
        ('openai.api_key = "whatever1"', "whatever1", "openai.api_key = "),
        ('os.environ["DB_PASSWORD"] = "pw-pw-pw"', "pw-pw-pw", 'os.environ["DB_PASSWORD"]'),
        ('connect(host="h", password="pw-pw-pw")', "pw-pw-pw", 'host="h"'),
        ('cfg = {"user": "bob", "token": "tok-tok"}', "tok-tok", '"user": "bob"'),
        ('def f(x, secret="s3cr3t-value"):\n    return x', "s3cr3t-value", "def f(x, secret="),
        ('url = "https://u:hunter22@h.org/x"', "hunter22", "https://u:"),
        ('get("https://h.org/?api_key=zz99zz&q=1")', "zz99zz", "&q=1"),
        ('h = {"Authorization": "Bearer abcdefgh1234"}', "abcdefgh1234", '"Authorization"'),
        ('!curl -H "Authorization: Basic dXNlcjpwYXNzMQ=="', "dXNlcjpwYXNzMQ", "!curl -H"),
        ('client = Client("sk-proj-abcdefghijklmnop1234")', "abcdefghijklmnop1234", "Client("),
        ("%env OPENAI_API_KEY=sk-zzzzzzzzzzzzzzzzzzzz\nx = 1", "zzzzzzzz", "x = 1"),
        ("%%bash\nexport DB_PASSWORD=pw-in-bash\necho ok", "pw-in-bash", "echo ok"),
        ('password = """two\nlines"""\nn = 1', "two", "n = 1"),
        ('é = "ü"; password = "pässwörd"; y = 2', "pässwörd", 'é = "ü"; '),
    ],
)
def test_the_rule_redacts_secrets_in_code_and_keeps_the_rest(
    code: str, secret: str, kept: str
) -> None:
    redacted = redact_code(code)
    assert secret not in redacted and REDACTED in redacted and kept in redacted
    if not code.startswith(("%", "!")):
        ast.parse(redacted)  # still Python: the procedure still reads it


@pytest.mark.parametrize(
    "code",
    [
        'key = os.environ["OPENAI_API_KEY"]',
        "key_size = 128\nkeys = list(d)",
        'frame = pd.read_csv("data.csv")\nX = frame.drop(columns=["label"])',
        'tokenizer = Tokenizer(num_words=5000)\nmodel.compile(loss="mse")',
        "%matplotlib inline\n!pip install scikit-learn",
        "# Hypothesis: Basic augmentation helps; a bearer instrument\nx = 1",
    ],
)
def test_code_without_secrets_is_kept_as_written(code: str) -> None:
    assert redact_code(code) == code


@pytest.fixture(scope="module")
def attacked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, int]]:
    """The notebook above, run once in a real kernel with JupyterLab's cell ids."""
    import nbjournal
    from nbjournal.store import forget_stores

    folder = tmp_path_factory.mktemp("secrets")
    url = f"sqlite:///{folder / 'journal.db'}"
    env = {"NBJOURNAL_URL": url, "NBJOURNAL_LIVE": "off", "NBJOURNAL_HOME": str(folder / "h")}
    kernel = PlantedKernel(env, folder)
    try:
        kernel.fresh(folder / "keys.ipynb")
        for cell_id, code in CELLS:
            assert kernel.run(code, cell_id).error is None
    finally:
        kernel.close()
    forget_stores()
    runs = nbjournal.Journal(url).runs(experiment="leaky")
    assert len(runs) == 1
    yield folder, url, int(runs["id"].iloc[0])
    forget_stores()


def test_no_secret_is_in_any_byte_of_the_journal(attacked: tuple[Path, str, int]) -> None:
    folder = attacked[0]
    stored = b"".join(
        path.read_bytes() for path in folder.rglob("*") if path.is_file() and "journal" in path.name
    )
    assert stored  # the database file (and its -wal, if any) was read
    for secret in SECRETS:
        assert secret.encode() not in stored, secret


def test_the_procedure_still_lists_every_upstream_cell_redacted(
    attacked: tuple[Path, str, int],
) -> None:
    import nbjournal

    _, url, run_id = attacked
    frame = nbjournal.Journal(url).procedure(run_id)
    # %env may set anything: an opaque cell, kept
    assert list(frame["cell_id"]) == ["key", "db", "client", "endpoint", "env"]
    codes = "\n".join(frame["code"])
    assert 'api_key = "<redacted>"' in codes and "bob:<redacted>@db.example.org" in codes
    assert 'password="<redacted>"' in codes and "token=<redacted>&page=2" in codes
    assert "%env HF_TOKEN=<redacted>" in codes
    assert 'github = "<redacted>"' in frame.cell["code"]


def test_nbjournal_export_holds_no_secret(attacked: tuple[Path, str, int]) -> None:
    folder, url, _ = attacked
    for form in ("md", "html"):
        shown = subprocess.run(
            [sys.executable, "-m", "nbjournal", "export", "leaky", "--format", form],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "NBJOURNAL_URL": url, "NBJOURNAL_HOME": str(folder / "h")},
        ).stdout
        assert "leaky" in shown
        for secret in SECRETS:
            assert secret not in shown, (form, secret)


def test_a_replay_refuses_to_run_a_placeholder(
    attacked: tuple[Path, str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    import nbjournal

    folder, url, run_id = attacked
    monkeypatch.setenv("NBJOURNAL_HOME", str(folder / "h"))  # the key that recorded it
    with pytest.raises(ReplayStopped, match=r"cell \[1\] held a secret the journal did not keep"):
        nbjournal.Journal(url).replay(run_id)
