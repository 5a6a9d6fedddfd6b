"""Grids: expand a product of parameter values, skip every point the journal already holds,
claim each other point atomically, run it as an ordinary run, and summarise.

``expand`` (the points), ``point`` (one point, a plain function that could run in
another process), ``runner`` (skip, claim, run), ``grid_progress``/``view`` (live),
``cell_grid`` (from a cell), ``api`` (:func:`run_grid` for scripts), ``frames`` (grids
as DataFrames) and ``dask/`` (the points as tasks on a Dask cluster, watched through
the journal). The summary that stays is :mod:`nbjournal.analysis.grid_table` (the
table) shown by :mod:`nbjournal.display.grid_summary_view`.
"""

from __future__ import annotations
