"""Running code right after a library is imported by the cell itself (``import keras``).

The fit hooks wrap ``fit`` of what is loaded when the cell starts; a library the
cell imports later is wrapped by this finder as soon as its module has run.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from types import ModuleType


class ImportHook(importlib.abc.MetaPathFinder):
    """Calls ``after(module)`` right after a module that ``wanted`` names is imported in the
    cell (``import keras``, a scikit-learn module); ``around`` holds both, the module's own
    code and ``after`` (TensorFlow's start-up notes kept out of the cell)."""

    def __init__(
        self,
        wanted: Callable[[str], bool],
        after: Callable[[ModuleType], None],
        around: Callable[[], AbstractContextManager[object]] = contextlib.nullcontext,
    ) -> None:
        self.wanted = wanted
        self.after = after
        self.around = around
        self.busy = False

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if self.busy or not self.wanted(fullname):
            return None
        self.busy = True
        try:
            spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        finally:
            self.busy = False
        if spec is None or spec.loader is None:
            return None
        loader = spec.loader
        after, around = self.after, self.around

        class _Loader(importlib.abc.Loader):
            def __getattr__(self, name: str) -> object:  # resource readers and the like
                return getattr(loader, name)

            def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
                return loader.create_module(spec)

            def exec_module(self, module: ModuleType) -> None:
                with around():
                    loader.exec_module(module)
                    with contextlib.suppress(Exception):  # never break the user's import
                        after(module)

        spec.loader = _Loader()
        return spec
