"""The live charts' library: Vega, Vega-Lite and vega-embed, bundled offline.

``JupyterChart`` would import vega-embed from a CDN: with no network the chart
is blank. vl-convert ships those libraries and bundles a snippet with them
(what ``alt.JupyterChart.enable_offline()`` does), but bundling takes a few
seconds, so the result is cached on disk, keyed by the source and the
versions it was made from, and in memory for the life of the kernel. The
front end receives it once per kernel (see :mod:`nbjournal.live.library`).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path

from ..display.offline import vega_lite_version

SOURCE = Path(__file__).parent / "js" / "chart_library.js"

_lock = threading.Lock()
_bundled: str | None = None


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/nbjournal`` (default ``~/.cache/nbjournal``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "nbjournal"


def library_code() -> str:
    """The library as an ES module, self-contained (about 900 kB); made once per process."""
    global _bundled
    with _lock:  # the warm-up thread and the first view may ask at the same time
        if _bundled is None:
            _bundled = _make_bundle()
        return _bundled


def _make_bundle() -> str:
    try:
        import vl_convert as vlc
    except ImportError as missing:
        raise ImportError(
            "nbjournal's live chart needs vl-convert-python to work offline: "
            "pip install vl-convert-python"
        ) from missing
    source = SOURCE.read_text(encoding="utf-8")
    version = vega_lite_version()
    made_by = getattr(vlc, "__version__", "")
    key = hashlib.sha256(f"{made_by}|{version}|{source}".encode()).hexdigest()[:16]
    cached = cache_dir() / f"chart-library-{key}.js"
    try:
        return cached.read_text(encoding="utf-8")
    except OSError:
        pass
    bundled = vlc.javascript_bundle(source, vl_version=version)
    _write_quietly(cached, bundled)
    return bundled


def _write_quietly(path: Path, text: str) -> None:
    """Atomically, and never an error: without a cache the bundle is only made again."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except OSError:
        pass
