"""The import contract: the layers of ``nbjournal/`` hold (no import runs up a layer, no
circle, the server imports nothing kernel-side) and its files stay small, the lab
extension's TypeScript files too.

Read from the source, lazy imports included (see :mod:`tests.walls`); the second test
plants an upward import in a copy of the package to show the check fails when a wall
is broken. ``Any`` stays in fewer than 150 function signatures (scripts/count_any.py, an
alias of ``Any`` counted where it is used); a planted module shows that check failing too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbjournal
from tests.walls import (
    ANY_SIGNATURES_BELOW,
    MAX_LINES,
    any_signatures,
    lab_extension_size_problems,
    too_much_any,
    violations,
)

PACKAGE = Path(nbjournal.__file__).parent


def test_the_package_keeps_its_walls() -> None:
    assert violations(PACKAGE) == []


def test_the_lab_extension_keeps_its_files_small(tmp_path: Path) -> None:
    assert lab_extension_size_problems() == []
    planted = tmp_path / "src" / "charts" / "planted.ts"
    planted.parent.mkdir(parents=True)
    planted.write_text("export const a = 1;\n" * (MAX_LINES + 1))
    (tmp_path / "src" / "small.tsx").write_text("export const b = 2;\n")
    assert lab_extension_size_problems(tmp_path / "src") == [
        f"src/charts/planted.ts: {MAX_LINES + 1} lines, at most {MAX_LINES}"
    ]


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


def test_any_is_in_fewer_than_150_signatures() -> None:
    assert too_much_any(PACKAGE) == []


def test_planted_any_signatures_and_an_alias_hiding_any_are_counted(tmp_path: Path) -> None:
    copy = tmp_path / "nbjournal"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("labextension", "__pycache__"))
    before, _ = any_signatures(copy)
    room = ANY_SIGNATURES_BELOW - 1 - before  # signatures of Any left before the limit
    planted = "".join(f"\n\ndef planted_{i}(value: Any) -> None: ...\n" for i in range(room))
    (copy / "rules" / "planted_any.py").write_text(
        "from typing import Any\n\nThing = Any\n" + planted
    )
    assert any_signatures(copy)[0] == ANY_SIGNATURES_BELOW - 1
    assert too_much_any(copy) == []
    # one more, through an alias of Any imported from another module: it counts too
    (copy / "store" / "planted_alias.py").write_text(
        "from ..rules.planted_any import Thing\n\n\n"
        "def hidden(value: Thing) -> None: ...\n\n\n"
        "def plain(value: int) -> int:\n    return value\n"
    )
    after, named = any_signatures(copy)
    assert after == ANY_SIGNATURES_BELOW
    in_alias = [line.rsplit("/", 1)[-1] for line in named if "planted_alias.py" in line]
    assert in_alias == ["planted_alias.py:4 hidden (1)"], named  # not plain(value: int)
    assert too_much_any(copy) == [
        f"Any in {ANY_SIGNATURES_BELOW} function signatures, fewer than "
        f"{ANY_SIGNATURES_BELOW} allowed: give them their real types "
        "(python scripts/count_any.py --list nbjournal)"
    ]
