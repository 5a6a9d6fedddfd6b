"""The hypothesis: the option, else the leading comment block, else a leading string."""

from __future__ import annotations

from nbjournal.capture.hypothesis import hypothesis_from_cell


def test_the_option_wins_and_loses_its_prefix() -> None:
    assert hypothesis_from_cell("# Hypothesis: ignored\nx = 1", "Hypothesis: wider helps") == (
        "wider helps"
    )


def test_the_leading_comment_block() -> None:
    body = "\n# Hypothesis: one hidden layer\n# beats logistic regression.\nx = 1\n# not this\n"
    assert hypothesis_from_cell(body) == "one hidden layer\nbeats logistic regression."


def test_a_leading_string() -> None:
    assert hypothesis_from_cell('"""hypothesis: dropout helps"""\nx = 1') == "dropout helps"


def test_no_hypothesis() -> None:
    assert hypothesis_from_cell("x = 1  # a comment after code") == ""
    assert hypothesis_from_cell("def broken(:") == ""
