"""The REST API's writes: trash and restore, tags, and inferences added, edited or deleted
(each a store rule called through :mod:`.endpoints`; the reads are in :mod:`.handlers`)."""

from __future__ import annotations

import tornado.web
from jupyter_server.auth.decorator import authorized

from . import endpoints
from .handlers import JournalHandler, bad, parse_grid_id, parse_inference_id, parse_run_id


class TrashHandler(JournalHandler):
    """``POST trash {"runs": [ids]}`` sends runs to the trash (the sidebar's delete)."""

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        await self.answer(endpoints.trash, self.run_ids_body())


class RestoreHandler(JournalHandler):
    """``POST trash/restore {"runs": [ids]}`` brings them back (the sidebar's undo)."""

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        await self.answer(endpoints.restore, self.run_ids_body())


class TagsHandler(JournalHandler):
    """``PATCH runs/{id}/tags {"add": [...], "remove": [...]}``: tags edited after the fact."""

    @tornado.web.authenticated
    @authorized
    async def patch(self, run_id: str) -> None:
        body = self.json_body()
        lists = [body.get("add", []), body.get("remove", [])]
        if not all(isinstance(v, list) and all(isinstance(t, str) for t in v) for v in lists):
            raise bad(400, "add and remove must be lists of tags (strings)")
        await self.answer(endpoints.edit_tags, parse_run_id(run_id), *lists)


class InferencesHandler(JournalHandler):
    @tornado.web.authenticated
    @authorized
    async def post(self, run_id: str) -> None:
        text, verdict = self.inference_body()
        await self.answer(
            endpoints.add_inference, parse_run_id(run_id), text, verdict, http_status=201
        )


class InferenceHandler(JournalHandler):
    """``PATCH`` (``{text, verdict}``; no ``verdict`` key keeps it) and ``DELETE`` one
    inference of a run: the earlier version stays in the run's ``inference_history``."""

    @tornado.web.authenticated
    @authorized
    async def patch(self, run_id: str, inference_id: str) -> None:
        text, verdict = self.inference_edit_body()
        run, inference = parse_run_id(run_id), parse_inference_id(inference_id, run_id)
        await self.answer(endpoints.edit_inference, run, inference, text, verdict)

    @tornado.web.authenticated
    @authorized
    async def delete(self, run_id: str, inference_id: str) -> None:
        run, inference = parse_run_id(run_id), parse_inference_id(inference_id, run_id)
        await self.answer(endpoints.delete_inference, run, inference)


class GridInferencesHandler(JournalHandler):
    @tornado.web.authenticated
    @authorized
    async def post(self, grid_id: str) -> None:
        text, verdict = self.inference_body()
        await self.answer(
            endpoints.add_grid_inference, parse_grid_id(grid_id), text, verdict, http_status=201
        )


class GridInferenceHandler(JournalHandler):
    """``PATCH`` (``{text, verdict}``; no ``verdict`` key keeps it) and ``DELETE`` one
    inference of a grid: the earlier version stays in the grid's ``inference_history``."""

    @tornado.web.authenticated
    @authorized
    async def patch(self, grid_id: str, inference_id: str) -> None:
        text, verdict = self.inference_edit_body()
        grid, inference = parse_grid_id(grid_id), parse_inference_id(inference_id, grid_id, "grid")
        await self.answer(endpoints.edit_grid_inference, grid, inference, text, verdict)

    @tornado.web.authenticated
    @authorized
    async def delete(self, grid_id: str, inference_id: str) -> None:
        grid, inference = parse_grid_id(grid_id), parse_inference_id(inference_id, grid_id, "grid")
        await self.answer(endpoints.delete_grid_inference, grid, inference)
