"""A Vega-Lite chart shown as images made offline, so it needs no network and survives saving.

Altair's default renderer loads Vega from a CDN: offline the chart is an error
message, and a saved notebook keeps only a script. vl-convert (a declared
dependency) draws the chart in the kernel instead; the output holds an SVG
(sharp, what JupyterLab and nbconvert show) and a PNG (what JupyterLab shows
in a notebook it does not trust), as the live view's saved record does.
"""

from __future__ import annotations

from typing import Any


class OfflineChart:
    """An Altair chart (or a Vega-Lite spec) displayed as SVG and PNG, with a text fallback."""

    def __init__(self, chart: Any, description: str = "chart") -> None:
        self.spec = chart if isinstance(chart, dict) else chart.to_dict()
        self.description = description
        self._svg: str | None = None

    def svg(self) -> str:
        if self._svg is None:
            import vl_convert as vlc

            from ..live.bundle import vega_lite_version

            self._svg = vlc.vegalite_to_svg(self.spec, vl_version=vega_lite_version())
        return self._svg

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        from ..live.static import chart_png

        svg = self.svg()
        return {"image/svg+xml": svg, "image/png": chart_png(svg), "text/plain": self.description}
