"""The REST API's downloads: files to save rather than JSON to read — an experiment's table
as CSV, its lab-notebook report, a run's artifact. Each streams its bytes a chunk at a time,
behind the same authentication as every handler (docs/rest-api.md)."""

from __future__ import annotations

import tornado.web
from jupyter_server.auth.decorator import authorized

from ..errors import JournalError
from . import endpoints
from .handlers import (
    INSIGHTS_BUDGET_S,
    JournalHandler,
    bad,
    experiment_name,
    http_error,
    parse_run_id,
)


class ExperimentCSVHandler(JournalHandler):
    """The whole table as a CSV file, filtered and sorted as on the page."""

    @tornado.web.authenticated
    @authorized
    async def get(self, name: str) -> None:
        experiment = experiment_name(name)
        try:
            text = await self.journal.run(
                endpoints.experiment_csv,
                experiment,
                q=self.text_argument("q"),
                sort=self.text_argument("sort"),
                order=self.text_argument("order"),
            )
        except JournalError as error:
            raise http_error(error) from None
        self.update_api_activity()
        self.set_header("Content-Type", "text/csv; charset=utf-8")
        self.set_header(
            "Content-Disposition", f'attachment; filename="{_file_stem(experiment)}.csv"'
        )
        await self.send_chunks(text.encode("utf-8"))


class ReportHandler(JournalHandler):
    """``?format=html|md``: the experiment's lab-notebook report as a file to save, the one
    ``nbjournal export NAME`` writes (bounded: :data:`endpoints.REPORT_MAX_RUNS`)."""

    @tornado.web.authenticated
    @authorized
    async def get(self, name: str) -> None:
        experiment = experiment_name(name)
        form = self.text_argument("format") or "html"
        if form not in endpoints.REPORT_FORMS:
            raise bad(400, f"format must be html or md, not {form[:20]!r}")
        try:
            text = await self.journal.run(
                endpoints.report, experiment, form, budget=INSIGHTS_BUDGET_S
            )
        except JournalError as error:
            raise http_error(error) from None
        self.update_api_activity()
        self.set_header("Content-Type", f"{endpoints.REPORT_FORMS[form]}; charset=utf-8")
        self.set_header(
            "Content-Disposition", f'attachment; filename="{_file_stem(experiment)}.{form}"'
        )
        self.set_header("X-Content-Type-Options", "nosniff")
        await self.send_chunks(text.encode("utf-8"))


def _file_stem(experiment: str) -> str:
    """A file name from an experiment's name: letters, digits, ``-_.`` kept, the rest ``_``."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in experiment) or "runs"


class ArtifactHandler(JournalHandler):
    """``GET runs/{id}/artifacts/{name}?role=name|result``: what a run's cell made, as a file
    (a Keras model is its ``.keras`` file), bounded by :data:`endpoints.ARTIFACT_MAX_BYTES`."""

    @tornado.web.authenticated
    @authorized
    async def get(self, run_id: str, name: str) -> None:
        role = self.text_argument("role") or "name"
        if role not in ("name", "result"):
            raise bad(400, f"role must be name or result, not {role[:20]!r}")
        try:
            data, filename, media = await self.journal.run(
                endpoints.artifact_file, parse_run_id(run_id), name, role
            )
        except JournalError as error:
            raise http_error(error) from None
        self.update_api_activity()
        self.set_header("Content-Type", media)
        self.set_header("Content-Disposition", f'attachment; filename="{filename}"')
        self.set_header("X-Content-Type-Options", "nosniff")
        await self.send_chunks(data)
