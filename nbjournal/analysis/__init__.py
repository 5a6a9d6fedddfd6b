"""Readings of recorded curves: diagnoses now; grid summaries and insights later.

Pure Python over plain numbers, so the recorder can call it at every epoch end
and the tests can feed it synthetic curves with known answers.
"""

from __future__ import annotations
