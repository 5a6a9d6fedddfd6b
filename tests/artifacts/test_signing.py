"""Each user's key is made on first use, kept private, and signs what decides how a row loads."""

from __future__ import annotations

import stat

import pytest

from nbjournal.artifacts.signing import forget_keys, own_key, own_signer, verify
from nbjournal.artifacts.trust import trust_add, trust_list, trust_remove
from nbjournal.errors import BadInput

FIELDS = ("fp", "name", "model", "pickle", "ab" * 16)


def test_the_key_is_made_on_first_use_readable_by_its_owner_only(journal_home):
    key = own_key()
    path = journal_home / "keys" / "signing_key.pem"
    assert key.startswith("ed25519:") and path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    forget_keys()
    assert own_key() == key  # the same key in the next process


def test_a_signature_covers_fingerprint_role_name_kind_and_hash(journal_home):
    signature = own_signer().sign(*FIELDS)
    assert verify(signature, *FIELDS)
    for position, other in enumerate(["fp2", "result", "model2", "numpy", "cd" * 16]):
        changed = list(FIELDS)
        changed[position] = other
        assert not verify(signature, *changed)


def test_trusting_a_key_adds_lists_and_removes_it(journal_home):
    teammate = "ed25519:" + "A" * 43
    assert [k.mine for k in trust_list()] == [True]
    trust_add(teammate, "  bob  at the lab ")
    assert [(k.key, k.name) for k in trust_list()[1:]] == [(teammate, "bob at the lab")]
    assert trust_remove(teammate) is True and trust_remove(teammate) is False
    assert len(trust_list()) == 1


@pytest.mark.parametrize("key", ["", "ssh-ed25519 AAAA", "ed25519:short", "ed25519:" + "!" * 43])
def test_a_malformed_key_is_refused_and_nothing_changes(journal_home, key):
    with pytest.raises(BadInput, match="not a key"):
        trust_add(key)
    assert len(trust_list()) == 1


def test_the_own_key_cannot_be_removed(journal_home):
    with pytest.raises(BadInput, match="your own key"):
        trust_remove(own_key())
