"""The journal store: one database, opened (and migrated) once per process and URL.

Each public method is one short block inside :meth:`~.base.StoreBase._transaction`,
which commits, or rolls back and raises a domain error. Methods return the frozen
records of :mod:`.records`. The store knows nothing of IPython or Keras. Its
parts, one job per file: :mod:`.writes`, :mod:`.run_reads`,
:mod:`.analysis_queries`, :mod:`.grid_queries`, :mod:`.liveness`, over :mod:`.base`.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError

from ..config import resolve_url
from ..errors import JournalUnavailable
from . import table as runs_table_page
from .analysis_queries import AnalysisQueries
from .base import describe, safe_url
from .curve_reads import CurveReads
from .engine import create_engine, migrate
from .grid_inference_edits import GridInferenceEdits
from .grid_queries import GridQueries
from .inference_edits import InferenceEdits
from .listing import RunListing
from .listing_cache import DiskCopy
from .liveness import Liveness
from .retire import Retiring
from .run_reads import RunReads
from .similar_queries import SimilarQueries
from .writes import RunWrites

_log = logging.getLogger(__name__)


class Store(
    RunWrites, RunReads, CurveReads, InferenceEdits, GridInferenceEdits, AnalysisQueries,
    GridQueries, Liveness, Retiring, SimilarQueries,
):  # fmt: skip
    """One journal database, opened (and migrated) once per process and URL.

    Reads never write: crashed runs are reaped when a store is opened (a kernel's
    first cell) and on the Jupyter server's timer, never inside a query, so a
    journal this process may only read can still be browsed.
    """

    def __init__(self, url: str | None = None) -> None:
        self.url = resolve_url(url)
        self.engine = create_engine(self.url)
        self._experiments_cache = None
        self._listing = RunListing(DiskCopy.for_url(self.url))
        self._table_columns = runs_table_page.Columns()
        try:
            ran = migrate(self.engine)
        except SQLAlchemyError as error:
            raise JournalUnavailable(describe(error, self.url)) from None
        if ran and self.backend != "sqlite":  # a team journal: its keepers want to know
            _log.warning(
                "nbjournal: journal %s now at schema %s (ran %s)",
                safe_url(self.url), ran[-1].split()[0], ", ".join(ran),
            )  # fmt: skip
        self.reap_crashed()
