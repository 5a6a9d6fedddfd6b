"""The static chart saved with the notebook: SVG made offline by vl-convert.

A widget needs a kernel (or saved widget state and JavaScript) to show
anything; the SVG shows in nbconvert's HTML, in viewers that run no
JavaScript, and in JupyterLab when the notebook is reopened without a kernel.
A PNG of it travels in the same output: JupyterLab renders no SVG in a
notebook it does not trust (one written by someone else), but does render PNG.
"""

from __future__ import annotations

import base64
import re
from typing import Any

from .bundle import vega_lite_version
from .spec import static_spec

#: Marks the image as the live view's record, so the view's style sheet can hide it while
#: the live widget itself is on screen.
MARKER = "nbj-static"

_GEOMETRY = re.compile(r'( (?:d|transform|points)=")([^"]*)(")')
_DECIMALS = re.compile(r"(\d\.\d\d)\d+")


def chart_png(svg: str) -> str:
    """The same chart as PNG (base64): what JupyterLab shows of a notebook it does not trust,
    where SVG is not rendered."""
    import vl_convert as vlc

    return base64.b64encode(vlc.svg_to_png(svg, scale=1)).decode("ascii")


def chart_svg(spec: dict[str, Any], rows: list[list[Any]]) -> str:
    """``spec`` with ``rows`` inlined, as an SVG document (coordinates to 0.01 px)."""
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(static_spec(spec, rows), vl_version=vega_lite_version())
    svg = _GEOMETRY.sub(lambda m: m[1] + _DECIMALS.sub(r"\1", m[2]) + m[3], svg)
    return svg.replace("<svg ", f'<svg data-role="{MARKER}" ', 1)
