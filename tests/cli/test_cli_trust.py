"""``nbjournal trust``: the user's key, and the teammates' keys whose signed pickles load."""

from __future__ import annotations

TEAMMATE = "ed25519:" + "Q" * 43


def test_trust_shows_the_own_key_adds_and_removes_a_teammates(cli):
    shown = cli("trust")
    assert shown.code == 0 and "(you)" in shown.out
    own = shown.out.split("nbjournal trust add ")[-1].strip()
    assert own.startswith("ed25519:") and own != TEAMMATE
    added = cli("trust", "add", TEAMMATE, "bob", "at", "the", "lab")
    assert added.code == 0 and TEAMMATE in added.out
    listed = cli("trust", "list")
    assert f"{TEAMMATE}  bob at the lab" in listed.out and own in listed.out
    assert cli("trust", "remove", TEAMMATE).code == 0
    assert TEAMMATE not in cli("trust", "list").out
    again = cli("trust", "remove", TEAMMATE)
    assert again.code == 1 and "was not trusted: nothing changed" in again.err


def test_a_malformed_key_is_one_line_and_changes_nothing(cli):
    refused = cli("trust", "add", "ssh-ed25519 AAAAC3Nza")
    assert refused.code == 1 and refused.err.count("\n") == 1 and "not a key" in refused.err
    assert cli("trust").out.count("ed25519:") == 2  # the own key, in the list and the hint
