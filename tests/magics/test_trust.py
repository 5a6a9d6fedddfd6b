"""A shared journal never runs a teammate's code: the planted-artifact attacks of issue 19.

The attacker has only what every recording teammate has: the public store API
(and plain SQL) on the shared journal, and write access to the artifact store.
Their payload is a pickle whose loading writes a marker file; every test
asserts the marker never appears, and that the victim's cell still runs (or
restores from the victim's own run) with one line saying why. SQLite and
PostgreSQL journals.
"""

from __future__ import annotations

import pickle
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa
from IPython.utils.capture import capture_output

from nbjournal.errors import JournalWarning
from tests.pg_schemas import backend_params

CELL = """runs = globals().get("runs", 0) + 1
from fractions import Fraction
ratio = Fraction(1, 3) * factor
float(ratio)
"""


@pytest.fixture(params=backend_params("sqlite"))
def victim(request, shell, monkeypatch):
    """A shell on a journal of ``request.param``, its cell already run once (run #1)."""
    monkeypatch.delenv("NBJOURNAL_ARTIFACTS", raising=False)
    if request.param == "postgresql":
        from nbjournal.store import forget_stores

        monkeypatch.setenv("NBJOURNAL_URL", request.getfixturevalue("pg_url"))
        forget_stores()
    shell.run_cell("factor = 2")
    run(shell)
    restart(shell)
    yield shell
    from nbjournal.artifacts import wait_for_saves

    wait_for_saves()  # before pg_url drops the schema


def run(shell):
    with capture_output() as captured:
        shell.run_cell(f"%%experiment shared\n{CELL}")
    return captured


def restart(shell):
    from nbjournal.artifacts import wait_for_saves

    wait_for_saves()
    shell.reset(new_session=True)
    shell.run_cell("factor = 2")


def said(captured) -> str:
    return captured.stdout + "".join(str(o.data.get("text/plain", "")) for o in captured.outputs)


class _Boom:
    """Loading its pickle writes the marker: what an attacker's code would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return (exec, (f"open({self.marker!r}, 'w').write('ran')",))


@pytest.fixture
def marker(tmp_path) -> Path:
    return tmp_path / "PWNED"


def _store_and_blobs():
    from nbjournal.artifacts import open_blobs
    from nbjournal.store import open_store

    return open_store(), open_blobs()


def _attacker():
    """A teammate's key: never added to the victim's trusted keys unless a test says so."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from nbjournal.artifacts.signing import Signer

    return Signer(Ed25519PrivateKey.generate(), "mallory@elsewhere")


def plant_twin(payload: bytes | None, *, signer=None, kind: str = "pickle", name: str = "ratio",
               extra: dict | None = None) -> int:  # fmt: skip
    """Insert a finished run with run #1's fingerprint whose ``name`` holds ``payload``."""
    store, blobs = _store_and_blobs()
    original = store.get_run(1)
    twin = store.create_run(experiment="shared", fingerprint=original.fingerprint, code=CELL)
    store.finish_run(twin, "finished")
    records = []
    for artifact in store.artifacts(1):
        kept = {k: v for k, v in artifact.extra.items() if k != "signature"}
        artifact = replace(artifact, run_id=twin, extra=kept)
        if artifact.name == name and payload is not None:
            digest, _ = blobs.put(payload)
            artifact = replace(artifact, kind=kind, hash=digest, size=len(payload),
                               extra={**kept, **(extra or {})})  # fmt: skip
        if signer is not None and artifact.stored:
            signature = signer.sign(original.fingerprint, artifact.role, artifact.name,
                                    artifact.kind, artifact.hash)  # fmt: skip
            artifact = replace(artifact, extra={**artifact.extra,
                                                "signature": signature.as_extra()})  # fmt: skip
        records.append(artifact)
    store.add_artifacts(twin, records)
    return twin


def forget_own_run():
    """Run #1 keeps nothing to restore: the planted twin is the only candidate."""
    store, _ = _store_and_blobs()
    store.add_artifacts(1, [])


# -- attack 1: an inserted twin -------------------------------------------------------------


def test_an_inserted_unsigned_twin_runs_no_code_and_the_users_own_run_restores(victim, marker):
    twin = plant_twin(pickle.dumps(_Boom(marker)))
    captured = run(victim)
    assert not marker.exists()
    assert "Restored from run #1" in said(captured) and f"#{twin}" not in said(captured)
    assert victim.user_ns["ratio"] * 3 == 2 and victim.user_ns["runs"] == 1


def test_an_inserted_twin_signed_by_an_untrusted_key_says_whose_and_how_to_trust(victim, marker):
    attacker = _attacker()
    twin = plant_twin(pickle.dumps(_Boom(marker)), signer=attacker)
    forget_own_run()
    captured = run(victim)
    assert not marker.exists()
    assert victim.user_ns["runs"] == 1  # the cell ran
    line = [
        x for x in said(captured).splitlines() if x.startswith(f"Not restored from run #{twin}")
    ]
    assert len(line) == 1, said(captured)
    assert "'mallory@elsewhere'" in line[0] and f"nbjournal trust add {attacker.public}" in line[0]


def test_a_module_row_naming_a_planted_module_is_not_imported(victim, marker, tmp_path,
                                                              monkeypatch):  # fmt: skip
    (tmp_path / "nbj_planted_module.py").write_text(f"open({str(marker)!r}, 'w').write('ran')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    # the row claims "os" (imported, so it would load from anyone) but its bytes name the plant
    plant_twin(b"nbj_planted_module", kind="module", extra={"module": "os"})
    forget_own_run()
    captured = run(victim)
    assert not marker.exists() and "nbj_planted_module" not in sys.modules
    assert "ratio (module) is not signed" in said(captured)


# -- attack 2: a tampered row of the user's own run -----------------------------------------


def test_a_tampered_row_of_the_users_own_run_runs_no_code(victim, marker, journal):
    from nbjournal.artifacts import Untrusted
    from nbjournal.store.schema import artifacts as ART

    store, blobs = _store_and_blobs()
    digest, _ = blobs.put(pickle.dumps(_Boom(marker)))
    with store.engine.begin() as connection:
        connection.execute(
            sa.update(ART).where(ART.c.run_id == 1, ART.c.name == "ratio").values(hash=digest)
        )
    captured = run(victim)
    assert not marker.exists()
    assert victim.user_ns["runs"] == 1  # the cell ran again
    assert "ratio (pickle) does not match its signature" in said(captured)
    with pytest.raises(Untrusted, match="does not match its signature"):
        journal.load(1, "ratio")
    assert not marker.exists()


# -- attack 3: a renamed pickle under a data kind -------------------------------------------


@pytest.mark.parametrize("kind", ["numpy", "json", "frame", "keras-history"])
def test_a_pickle_relabelled_as_data_runs_no_code(victim, marker, kind):
    # the class it names is renamed (exec for Fraction), and the row calls it data, which
    # loads from anyone: the data codecs never unpickle
    payload = pickle.dumps(_Boom(marker))
    plant_twin(payload, kind=kind)
    forget_own_run()
    with pytest.warns(JournalWarning, match="ratio of run #2 could not be loaded"):
        run(victim)
    assert not marker.exists()
    assert victim.user_ns["runs"] == 1


# -- trust by choice --------------------------------------------------------------------------


def test_a_trusted_teammates_pickle_restores(victim, monkeypatch):
    from nbjournal.artifacts.trust import trust_add, trust_list, trust_remove

    teammate = _attacker()
    twin = plant_twin(None, signer=teammate)  # the same values, stored and signed by them
    forget_own_run()
    trust_add(teammate.public, "mallory")
    assert [k.key for k in trust_list()][1:] == [teammate.public]
    captured = run(victim)
    assert f"Restored from run #{twin}" in said(captured)
    assert victim.user_ns["ratio"] * 3 == 2
    assert trust_remove(teammate.public) is True
    restart(victim)
    captured = run(victim)
    assert f"Not restored from run #{twin}" in said(captured)
    assert victim.user_ns["runs"] == 1


def test_journal_trust_magic_prints_the_own_key_and_adds_one(shell):
    from nbjournal.artifacts.signing import own_key

    teammate = _attacker()
    with capture_output() as captured:
        shell.run_line_magic("journal", "trust")
    assert own_key() in captured.stdout
    with capture_output() as captured:
        shell.run_line_magic("journal", f"trust add {teammate.public} mallory")
    assert teammate.public in captured.stdout
    with capture_output() as captured:
        shell.run_line_magic("journal", "trust list")
    assert teammate.public in captured.stdout and "mallory" in captured.stdout
