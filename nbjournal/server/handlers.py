"""HTTP handlers of the REST API (docs/rest-api.md): parse, run a view off the loop, answer JSON.

Thin on purpose: what an endpoint answers lives in :mod:`.endpoints`, how records
become JSON in :mod:`.payloads`. Every verb goes through Jupyter Server's
authentication and authorization, so the sidebar is exactly as protected as the
rest of Jupyter (token or cookie, XSRF on POST).
"""

from __future__ import annotations

import json
import math
import urllib.parse
from collections.abc import Callable
from http.client import responses
from typing import TYPE_CHECKING, Any

import tornado.web
from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler

from ..errors import (
    BadInput,
    BadJournalURL,
    JournalError,
    JournalUnavailable,
    TooLarge,
    TooSlow,
    UnknownArtifact,
    UnknownExperiment,
    UnknownGrid,
    UnknownInference,
    UnknownRun,
)
from ..store import limits
from . import endpoints
from .downsample import MIN_POINTS
from .service import SETTINGS_KEY, JournalService

if TYPE_CHECKING:
    from ..store import Store

#: The resource named to Jupyter Server's authorizer.
AUTH_RESOURCE = "nbjournal"
DEFAULT_LIMIT = 50
MAX_LIMIT = 500
DEFAULT_MAX_POINTS = 1000
DEFAULT_SUGGESTIONS = 5
#: Insights (PED-ANOVA, optuna) and the comparison rule (compare, configurations) import
#: scipy and compute: given their own time, so a first request under load is not 503.
INSIGHTS_BUDGET_S = 60.0
MAX_SUGGESTIONS = 50
#: Bytes written at a time when a report is sent.
REPORT_CHUNK = 64 * 1024
DEFAULT_TABLE_LIMIT = 100
MAX_TABLE_LIMIT = 1000
_MAX_ID = 2**63 - 1
#: Runs one ``POST trash`` (or restore) names at most: a page's selection, not a journal.
MAX_RUN_IDS = 1000
#: A request body larger than this is refused (413) before it is parsed.
MAX_BODY_BYTES = 6 * limits.INFERENCE_MAX + 1024
#: All an API client is told of an outage; the detail (URL, file, reason) goes to the log.
UNAVAILABLE = "the journal is unavailable"

_STATUS_OF_ERROR: tuple[tuple[type[JournalError], int], ...] = (
    (UnknownRun, 404),
    (UnknownExperiment, 404),
    (UnknownGrid, 404),
    (UnknownArtifact, 404),
    (UnknownInference, 404),
    (TooLarge, 413),
    (BadInput, 400),
    (TooSlow, 503),  # this request only: its own message, no back-off
    (JournalUnavailable, 503),
    (BadJournalURL, 503),  # the server's configuration, not the request, is wrong
)


def http_error(error: JournalError) -> tornado.web.HTTPError:
    """The HTTP answer to a domain error: the client's mistakes in its own words, outages not.

    Where the journal lives (its URL, its file) is not the client's business:
    a 503 says only that the journal is unavailable, and the server logs why.
    """
    status = next((code for kind, code in _STATUS_OF_ERROR if isinstance(error, kind)), 500)
    if status == 503 and not isinstance(error, TooSlow):
        return bad(503, UNAVAILABLE)
    return bad(status, str(error))


def bad(status: int, message: str) -> tornado.web.HTTPError:
    # The message is an argument, not the format: user text may hold a "%".
    return tornado.web.HTTPError(status, "%s", message)


def _encoded(store: Store, view: Callable[..., object], *args: object, **kwargs: object) -> str:
    """The view's payload as strict JSON, made in the worker thread too (a page can be big)."""
    return json.dumps(view(store, *args, **kwargs), allow_nan=False)


class JournalHandler(APIHandler):
    """Base of every nbjournal handler: the journal, argument parsing, JSON errors."""

    auth_resource = AUTH_RESOURCE

    @property
    def journal(self) -> JournalService:
        return self.settings[SETTINGS_KEY]  # type: ignore[no-any-return]

    async def answer(
        self, view: Callable[..., object], *args: object, http_status: int = 200, **kwargs: Any
    ) -> None:
        """Run ``view(store, ...)`` in a worker thread and send its payload as JSON."""
        try:
            text = await self.journal.run(_encoded, view, *args, **kwargs)
        except JournalError as error:
            if isinstance(error, (JournalUnavailable, BadJournalURL)) and not isinstance(
                error, TooSlow
            ):
                self.log.warning("nbjournal: %s", error)
            raise http_error(error) from None
        self.set_status(http_status)
        await self.finish(text)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Every error as ``{code, message}``, Jupyter's own 403s included."""
        error = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(error, tornado.web.HTTPError) and error.log_message:
            message = error.log_message % error.args if error.args else error.log_message
        elif error is not None and not isinstance(error, tornado.web.HTTPError):
            message = "internal error in nbjournal; the server log has the details"
        else:
            message = responses.get(status_code, "error")
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"code": status_code, "message": message}))

    # -- request parsing -----------------------------------------------------

    def text_argument(self, name: str) -> str | None:
        """A query argument, ``None`` when absent or blank (``?experiment=`` means no filter)."""
        value = self.get_query_argument(name, "").strip()
        return value or None

    def int_argument(self, name: str, default: int | None, low: int, high: int) -> int | None:
        raw = self.text_argument(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise bad(400, f"{name} must be an integer, not {raw!r}") from None
        if not low <= value <= high:
            raise bad(400, f"{name} must be between {low} and {high}, not {value}")
        return value

    def token_argument(self, name: str) -> int | None:
        """A change token: the integer an earlier answer gave.

        A number with a fraction is a token from before the journal counted its
        changes (a wall-clock time): it is taken as newer than any, so the answer
        hands over a current token and the client carries on from there.
        """
        raw = self.text_argument(name)
        if raw is None:
            return None
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise bad(400, f"{name} must be a token from an earlier answer, not {raw!r}")
        if not value.is_integer():
            return _MAX_ID
        return min(int(value), _MAX_ID)

    def inference_body(self) -> tuple[str, str | None]:
        """``{text, verdict}`` of a POSTed inference, checked for types."""
        body = self.json_body()
        text, verdict = body.get("text"), body.get("verdict")
        if not isinstance(text, str):
            raise bad(400, "an inference needs a text (a string)")
        if verdict is not None and not isinstance(verdict, str):
            raise bad(400, "verdict must be a string or null")
        return text, verdict

    def inference_edit_body(self) -> tuple[str, str | None]:
        """``{text, verdict}`` of a PATCHed inference: no ``verdict`` key keeps the verdict."""
        from ..store.inference_edits import KEEP

        text, verdict = self.inference_body()
        return text, verdict if "verdict" in self.json_body() else KEEP

    def run_ids_body(self) -> list[int]:
        """``{"runs": [12, 13]}`` of a POST, checked: integers naming possible runs."""
        runs = self.json_body().get("runs")
        if not isinstance(runs, list) or not runs:
            raise bad(400, 'the body must name runs: {"runs": [12, 13]}')
        if len(runs) > MAX_RUN_IDS:
            raise bad(
                400,
                f"{len(runs):,} runs named: {MAX_RUN_IDS:,} at most at once "
                "(nbjournal delete --query … takes any number)",
            )
        if not all(type(r) is int and limits.known_run_id(r) for r in runs):
            raise bad(400, "runs must be run ids (positive integers)")
        return runs

    async def send_chunks(self, data: bytes) -> None:
        """A file's bytes, streamed a chunk at a time (not as JSON: ``APIHandler.finish``
        would label it so)."""
        for start in range(0, len(data), REPORT_CHUNK):
            self.write(data[start : start + REPORT_CHUNK])
            await self.flush()
        await super(APIHandler, self).finish()

    def json_body(self) -> dict[str, object]:
        if len(self.request.body or b"") > MAX_BODY_BYTES:
            raise bad(
                413,
                f"the request body is over {MAX_BODY_BYTES:,} bytes: an inference holds "
                f"{limits.INFERENCE_MAX:,} characters at most",
            )
        try:
            body = json.loads(self.request.body or b"null")
        except (ValueError, RecursionError):
            raise bad(400, "the request body is not valid JSON (or is nested too deep)") from None
        if not isinstance(body, dict):
            raise bad(400, "the request body must be a JSON object")
        return body


def parse_grid_id(raw: str) -> int:
    """The grid id of a URL; anything else names no grid (404)."""
    try:
        grid_id = int(raw)
    except ValueError:
        raise http_error(UnknownGrid(raw)) from None
    if not 0 < grid_id <= _MAX_ID:
        raise http_error(UnknownGrid(raw))
    return grid_id


def parse_run_id(raw: str) -> int:
    """The run id of a URL; anything else names no run (404, like an id not in the journal)."""
    try:
        run_id = int(raw)
    except ValueError:
        raise http_error(UnknownRun(raw)) from None
    if not limits.known_run_id(run_id):
        raise http_error(UnknownRun(raw))
    return run_id


def parse_inference_id(raw: str, owner_id: str, on: str = "run") -> int:
    """The inference id of a URL (of a run, or grid); anything else names none (404)."""
    if not raw.isdigit() or not 0 < int(raw) <= _MAX_ID:
        raise http_error(UnknownInference(raw, owner_id, on=on))
    return int(raw)


def _clamped_cursor(cursor: int | None) -> int | None:
    """A cursor above every possible run id pages from the newest run, as no cursor does."""
    return None if cursor is None or cursor > limits.RUN_ID_MAX else cursor


class ExperimentsHandler(JournalHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        await self.answer(endpoints.experiments)


class InsightsHandler(JournalHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self, name: str) -> None:
        # Names hold no "%" (the magic refuses it), so decoding once more is safe: a client
        # may send "a%2Fb" for the experiment "a/b".
        await self.answer(
            endpoints.insights,
            urllib.parse.unquote(name),
            budget=INSIGHTS_BUDGET_S,
            same_data=self.text_argument("data") in ("1", "true", "yes"),
            metric=self.text_argument("metric"),
            suggestions=self.int_argument("suggestions", DEFAULT_SUGGESTIONS, 0, MAX_SUGGESTIONS),
        )


class ConfigurationsHandler(JournalHandler):
    """An experiment's configurations and their repeats (``?metric=NAME[:max|min]``)."""

    @tornado.web.authenticated
    @authorized
    async def get(self, name: str) -> None:
        await self.answer(
            endpoints.configurations,
            urllib.parse.unquote(name),
            budget=INSIGHTS_BUDGET_S,
            metric=self.text_argument("metric"),
        )


class GroupsHandler(JournalHandler):
    """The runs grouped by parameters: ``?by=lr&by=units`` (or ``by=lr,units``; none: by
    configuration), ``q`` (the query grammar), ``metric=NAME[:max|min]``; the first
    ``limit`` groups (at most 500) by the metric's mean, ``order=desc|asc`` (none: best first)."""

    @tornado.web.authenticated
    @authorized
    async def get(self, name: str) -> None:
        by = [n for raw in self.get_arguments("by") for n in raw.split(",")]
        await self.answer(
            endpoints.groups,
            urllib.parse.unquote(name),
            budget=INSIGHTS_BUDGET_S,
            by=by,
            q=self.text_argument("q"),
            metric=self.text_argument("metric"),
            order=self.text_argument("order"),
            limit=self.int_argument("limit", endpoints.GROUPS_LIMIT, 1, endpoints.GROUPS_LIMIT),
        )


class CompareHandler(JournalHandler):
    """``?runs=41,42`` (run against run), or one ``runs`` per side for repeats
    (``?runs=1,2,3&runs=4,5,6``), or ``?runs=1,2,3,4&group=repeats`` (the runs grouped
    by configuration): the comparison rule's verdict on every shared metric."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        given = [v.strip() for v in self.get_query_arguments("runs") if v.strip()]
        try:
            ids = [
                [parse_run_id(i.strip()) for i in side.split(",") if i.strip()] for side in given
            ]
        except tornado.web.HTTPError:
            raise bad(400, f"runs must be run ids: {given!r}") from None
        sides = [[i] for i in ids[0]] if len(ids) == 1 else ids
        if len(sides) < 2 or not all(sides):
            raise bad(400, "compare needs runs=A,B, or one runs=… per side (at least two)")
        group = self.text_argument("group")
        if group not in (None, "repeats"):
            raise bad(400, f"group must be 'repeats', not {group!r}")
        await self.answer(
            endpoints.compare, sides, budget=INSIGHTS_BUDGET_S, group=group == "repeats"
        )


class ExperimentTableHandler(JournalHandler):
    """The experiment page's runs table, a page at a time."""

    @tornado.web.authenticated
    @authorized
    async def get(self, name: str) -> None:
        await self.answer(
            endpoints.experiment_table,
            experiment_name(name),
            q=self.text_argument("q"),
            sort=self.text_argument("sort"),
            order=self.text_argument("order"),
            offset=self.int_argument("offset", 0, 0, _MAX_ID),
            limit=self.int_argument("limit", DEFAULT_TABLE_LIMIT, 1, MAX_TABLE_LIMIT),
        )


class VocabularyHandler(JournalHandler):
    """What an experiment's query box completes: names, values, tags."""

    @tornado.web.authenticated
    @authorized
    async def get(self, name: str) -> None:
        await self.answer(endpoints.vocabulary, experiment_name(name))


class QueryCheckHandler(JournalHandler):
    """``GET query?q=…&experiment=…``: ``{"q", "error"}``, 200 whether the query is good or not."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        await self.answer(
            endpoints.query_check, self.text_argument("q"), self.text_argument("experiment")
        )


def experiment_name(raw: str) -> str:
    """The experiment of a URL (Tornado has decoded it: ``a%2Fb`` is ``a/b``)."""
    name = raw.strip()
    if not name:
        raise bad(400, "an experiment needs a name")
    return name


class RunsHandler(JournalHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        await self.answer(
            endpoints.runs_page,
            limit=self.int_argument("limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
            cursor=_clamped_cursor(self.int_argument("cursor", None, 1, _MAX_ID)),
            experiment=self.text_argument("experiment"),
            status=self.text_argument("status"),
            tag=self.text_argument("tag"),
            q=self.text_argument("q"),
            trashed=self.text_argument("trashed") in ("1", "true", "yes"),
        )


class RunHandler(JournalHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self, run_id: str) -> None:
        root = self.settings.get("server_root_dir")
        await self.answer(endpoints.run_detail, parse_run_id(run_id), root)


class MetricsHandler(JournalHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self, run_id: str) -> None:
        max_points = self.int_argument("max_points", DEFAULT_MAX_POINTS, MIN_POINTS, _MAX_ID)
        await self.answer(endpoints.metrics, parse_run_id(run_id), max_points)


class ChangesHandler(JournalHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        await self.answer(endpoints.changes, self.token_argument("since"))


class GridsHandler(JournalHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        await self.answer(endpoints.grids, experiment=self.text_argument("experiment"))


class GridHandler(JournalHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self, grid_id: str) -> None:
        await self.answer(endpoints.grid_detail, parse_grid_id(grid_id))
