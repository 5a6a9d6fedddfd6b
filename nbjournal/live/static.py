"""The static chart saved with the notebook: SVG made offline by vl-convert.

A widget needs a kernel (or saved widget state and JavaScript) to show
anything; the SVG shows in nbconvert's HTML, in viewers that run no
JavaScript, and in JupyterLab when the notebook is reopened without a kernel.
A PNG of it travels in the same output: JupyterLab renders no SVG in a
notebook it does not trust (one written by someone else), but does render PNG.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, cast

from ..display.offline import vega_lite_version
from .spec import chart_height, static_spec

if TYPE_CHECKING:
    from .series import Row

#: Marks the image as the live view's record, so the view's style sheet can hide it while
#: the live widget itself is on screen.
MARKER = "nbj-static"

_GEOMETRY = re.compile(r'( (?:d|transform|points)=")([^"]*)(")')
_DECIMALS = re.compile(r"(\d\.\d\d)\d+")
_BACKGROUND = re.compile(r'^(<svg [^>]*><rect [^>]*?)fill="white"')
#: The root element's size and the background rectangle that follows it.
_SIZE = re.compile(
    r'^(<svg [^>]*?height=")(\d+(?:\.\d+)?)("[^>]*?viewBox="0 0 [\d.]+ )([\d.]+)("[^>]*>'
    r'(?:<rect [^>]*?height=")?)([\d.]+)?'
)


def chart_svg(spec: Mapping[str, object], rows: list[Row]) -> str:
    """``spec`` with ``rows`` inlined, as an SVG document (coordinates to 0.01 px)."""
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(static_spec(spec, rows), vl_version=vega_lite_version())
    svg = _GEOMETRY.sub(lambda m: m[1] + _DECIMALS.sub(r"\1", m[2]) + m[3], svg)
    svg = _reserve(svg, chart_height(len(cast("list[object]", spec.get("concat") or [spec]))))
    return svg.replace("<svg ", f'<svg data-role="{MARKER}" ', 1)


def see_through(svg: str) -> str:
    """``svg`` without its white background: over a dark theme, inverted by the view's style
    sheet, it is light lines on the page's own colour rather than a box (the PNG made from the
    SVG before this keeps the white, as a notebook that is not trusted shows it unstyled)."""
    return _BACKGROUND.sub(r'\1fill="none"', svg, count=1)


def _reserve(svg: str, height: int) -> str:
    """The SVG made as tall as the live chart's reserved room (blank below the axes), so that
    the static copy that replaces the live view at the run's end moves nothing after it."""
    match = _SIZE.match(svg)
    if match is None or float(match[2]) >= height:
        return svg
    rect = str(height) if match[6] is not None else ""
    return match[1] + str(height) + match[3] + str(height) + match[5] + rect + svg[match.end() :]
