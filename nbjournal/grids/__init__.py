"""Grids: expand a product of parameter values, skip every point the journal already holds,
claim each other point atomically, run it as an ordinary run, and summarise.

``expand`` (the points), ``point`` (one point, a plain function that could run in
another process), ``runner`` (skip, claim, run), ``progress``/``view`` (live),
``summary`` (the record that stays), ``cell_grid`` (from a cell), ``api``
(:func:`run_grid` for scripts), ``frames`` (grids as DataFrames), ``dask_engine`` (the
points as tasks on a Dask cluster, watched through the journal) and ``dask_task`` (what
a worker runs).
"""

from __future__ import annotations
