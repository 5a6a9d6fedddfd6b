"""The import contract: the layers of ``nbjournal/`` hold (no import runs up a layer, no
circle, the server imports nothing kernel-side) and its files stay small.

Read from the source, lazy imports included (see :mod:`tests.walls`); the second test
plants an upward import in a copy of the package to show the check fails when a wall
is broken.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbjournal
from tests.walls import violations

PACKAGE = Path(nbjournal.__file__).parent


def test_the_package_keeps_its_walls() -> None:
    assert violations(PACKAGE) == []


def test_a_planted_upward_import_a_circle_and_a_server_reaching_the_kernel_are_caught(
    tmp_path: Path,
) -> None:
    copy = tmp_path / "nbjournal"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("labextension", "__pycache__"))
    assert violations(copy) == []
    # a lazy import from the store up into the grids, inside a function
    with (copy / "store" / "limits.py").open("a") as module:
        module.write("\n\ndef _planted() -> None:\n    from ..grids import expand  # noqa\n")
    # the server reaching the live view
    with (copy / "server" / "downsample.py").open("a") as module:
        module.write("\n\nfrom ..live import state  # noqa\n")
    # two rules importing each other
    with (copy / "rules" / "palette.py").open("a") as module:
        module.write("\n\nfrom . import format  # noqa\n")
    with (copy / "rules" / "format.py").open("a") as module:
        module.write("\n\nfrom . import palette  # noqa\n")
    found = violations(copy)
    assert any(
        "nbjournal/store/limits.py" in line and "nbjournal.grids.expand, a higher layer" in line
        for line in found
    ), found
    assert any(
        "the server imports nbjournal.live.state, which is kernel-side" in line for line in found
    )
    assert "import circle: nbjournal.rules.format ↔ nbjournal.rules.palette" in found, found
    assert len(found) == 3, found
