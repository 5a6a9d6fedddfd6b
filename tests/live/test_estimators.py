"""A cell that fits scikit-learn estimators shows a compact card instead of curves."""

from __future__ import annotations

import base64
import re
from typing import Any

from .conftest import TINY_DATA, is_run_card, run_captured

WIDGET = "application/vnd.jupyter.widget-view+json"

LOGISTIC = """%%experiment logistic
# Hypothesis: a linear model is enough for the threshold.
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
clf = LogisticRegression(C=0.5, max_iter=200)
clf.fit(X[:120], y[:120])
accuracy_score(y[120:], clf.predict(X[120:]))
"""

SGD_CURVE = """%%experiment sgd-curve
import nbjournal
from sklearn.linear_model import SGDClassifier
clf = SGDClassifier(loss="log_loss", random_state=0)
for step in range(6):
    clf.partial_fit(X, y, classes=[0, 1])
    nbjournal.log_metric("train_accuracy", clf.score(X, y), step=step)
"""


def _cards(captured: Any) -> list[str]:
    return [
        o.data["text/html"] for o in captured.outputs if "nbj-view" in o.data.get("text/html", "")
    ]


def test_an_estimator_cell_shows_a_card_with_estimator_parameters_time_and_results(
    widget_shell: Any,
) -> None:
    widget_shell.run_cell(TINY_DATA)
    captured = run_captured(widget_shell, LOGISTIC)
    assert captured.error is None
    assert not [o for o in captured.outputs if WIDGET in o.data]  # no curves to draw
    (card,) = _cards(captured)
    assert "LogisticRegression" in card and "took" in card
    assert "C=0.5" in card and "max_iter=200" in card
    assert "penalty" not in card  # a default: not one of the parameters the person chose
    assert "accuracy_score" in card  # the cell's result
    assert not [o for o in captured.outputs if is_run_card(o.data)]  # the card is the summary


def test_a_partial_fit_loop_that_logs_a_curve_draws_it(widget_shell: Any) -> None:
    widget_shell.run_cell(TINY_DATA)
    captured = run_captured(widget_shell, SGD_CURVE)
    assert captured.error is None
    (card,) = _cards(captured)
    assert "SGDClassifier" in card and "train_accuracy" in card
    (encoded,) = re.findall(r"src='data:image/svg\+xml;base64,([^']+)'", card)
    svg = base64.b64decode(encoded).decode()
    assert "<svg" in svg and svg.count("<path") > 3  # the logged curve, drawn


def test_a_cell_with_nothing_to_draw_shows_only_the_run_summary(widget_shell: Any) -> None:
    captured = run_captured(widget_shell, "%%experiment plain\nvalue = 1 + 1")
    assert captured.error is None and _cards(captured) == []
    (summary,) = [o.data for o in captured.outputs if is_run_card(o.data)]
    assert "#1" in summary["text/html"] and "finished" in summary["text/plain"]
