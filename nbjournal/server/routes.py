"""The REST API's URL table: one place to read what the server answers."""

from __future__ import annotations

from jupyter_server.utils import url_path_join

from . import downloads, edit_handlers, handlers, overlay

#: Where the API lives under the server's ``base_url``.
API_PREFIX = "nbjournal/api"

#: ``(pattern, handler)``, patterns relative to :data:`API_PREFIX`.
ROUTES: tuple[tuple[str, type[handlers.JournalHandler]], ...] = (
    (r"experiments", handlers.ExperimentsHandler),
    (r"experiments/(?P<name>.+)/insights", handlers.InsightsHandler),
    (r"experiments/(?P<name>.+)/configurations", handlers.ConfigurationsHandler),
    (r"experiments/(?P<name>[^/]+)/groups", handlers.GroupsHandler),
    (r"compare", handlers.CompareHandler),
    (r"curves", overlay.CurvesHandler),
    (r"experiments/(?P<name>[^/]+)/table", handlers.ExperimentTableHandler),
    (r"experiments/(?P<name>[^/]+)/table\.csv", downloads.ExperimentCSVHandler),
    (r"experiments/(?P<name>[^/]+)/report", downloads.ReportHandler),
    (r"experiments/(?P<name>[^/]+)/vocabulary", handlers.VocabularyHandler),
    (r"query", handlers.QueryCheckHandler),
    (r"runs", handlers.RunsHandler),
    (r"trash", edit_handlers.TrashHandler),
    (r"trash/restore", edit_handlers.RestoreHandler),
    (r"runs/(?P<run_id>[^/]+)", handlers.RunHandler),
    (r"runs/(?P<run_id>[^/]+)/metrics", handlers.MetricsHandler),
    (r"runs/(?P<run_id>[^/]+)/inferences", edit_handlers.InferencesHandler),
    (r"runs/(?P<run_id>[^/]+)/inferences/(?P<inference_id>[^/]+)", edit_handlers.InferenceHandler),
    (r"runs/(?P<run_id>[^/]+)/tags", edit_handlers.TagsHandler),
    (r"runs/(?P<run_id>[^/]+)/artifacts/(?P<name>[^/]+)", downloads.ArtifactHandler),
    (r"changes", handlers.ChangesHandler),
    (r"grids", handlers.GridsHandler),
    (r"grids/(?P<grid_id>[^/]+)", handlers.GridHandler),
    (r"grids/(?P<grid_id>[^/]+)/inferences", edit_handlers.GridInferencesHandler),
    (
        r"grids/(?P<grid_id>[^/]+)/inferences/(?P<inference_id>[^/]+)",
        edit_handlers.GridInferenceHandler,
    ),
)


def url_patterns(base_url: str) -> list[tuple[str, type[handlers.JournalHandler]]]:
    """The routes as Tornado wants them: absolute patterns under ``base_url``."""
    return [(url_path_join(base_url, API_PREFIX, pattern), handler) for pattern, handler in ROUTES]
