"""The one run body: what a cell, a grid point in the kernel and a grid point on a Dask worker
do once they know what to run.

Start the run (:mod:`.lifecycle`), attach the fit hooks
(:func:`~nbjournal.recording.fit_hook.recording_fits`), execute the code and keep its last
expression's value (as a cell does), record the results, save what it made, finish. The
callers only decide what to run and how a failure reaches the person: a cell lets the
exception through, a grid point records it and goes on.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field
from types import CodeType
from typing import TYPE_CHECKING, cast

from ..capture import code as cellcode
from ..capture.results import record_results
from ..recording.check_hook import CheckOptions
from ..recording.fit_hook import recording_fits
from ..recording.recorder import RunRecorder
from ..recording.upstream import keep_procedure
from ..store import Store
from .lifecycle import RunSpec, recorded, start_run
from .restore import save_what_it_made

if TYPE_CHECKING:
    from IPython.core.interactiveshell import InteractiveShell

    from ..recording.recorder import Sink

#: The file name a body without a cell of its own (a grid point on a worker) is compiled as.
POINT_FILE = "<grid point>"


@dataclass
class Body:
    """What a run executes and where: the code, its namespace, and what it binds."""

    #: The code as it is executed (a cell's after IPython's transforms).
    source: str
    namespace: dict[str, object]
    #: The code parsed: the names it binds and its last expression (``None`` for a function).
    cell: cellcode.CellCode | None = None
    #: The names bound before the body (``-p`` values, a grid point's values).
    bound: dict[str, object] = field(default_factory=dict)
    #: How to run it, when not :func:`execute` of ``source`` (IPython's, a function's call).
    run: Callable[[], object] | None = None

    def __call__(self) -> object:
        __tracebackhide__ = True
        if self.run is not None:
            return self.run()
        return execute(self.source, self.namespace)


def run_body(
    spec: RunSpec | None,
    body: Body,
    *,
    journal: str | Store | None,
    live: bool = True,
    sinks: list[Sink] | None = None,
    known_down: bool = False,
    checks: CheckOptions | None = None,
    card: bool = False,
    save: bool = True,
    started: Callable[[RunRecorder], None] | None = None,
) -> tuple[RunRecorder | None, object]:
    """Run ``body`` as the recorded run ``spec`` (unrecorded when ``spec`` is ``None``); its
    recorder (``None`` when nothing was recorded) and the body's value.

    ``started`` is told the run as soon as it exists (a grid links it); ``checks`` run before
    each fit; ``save`` keeps what the body bound, for a later identical cell to restore. The
    body's exception propagates unchanged once the run is recorded as failed or interrupted.
    """
    __tracebackhide__ = True
    recorder = None
    if spec is not None:
        recorder = start_run(spec, journal, live=live, sinks=sinks, known_down=known_down)
    if recorder is not None and spec is not None and spec.procedure is not None:
        keep_procedure(recorder, spec.procedure)
    if recorder is not None and started is not None:
        started(recorder)
    with recorded(recorder, card=card):
        if recorder is None:
            return None, body()
        with recording_fits(recorder, checks):
            result = body()
        record_results(recorder, body.cell, body.namespace, result)
    if save and body.cell is not None:
        save_what_it_made(recorder, [*body.bound, *body.cell.bound_names], body.namespace, result)
    return recorder, result


def execute(
    source: str,
    namespace: dict[str, object],
    *,
    shell: InteractiveShell | None = None,
    raw: str = "",
) -> object:
    """Run ``source`` in ``namespace``; the last expression's value, as a cell gives it
    (``None`` after a trailing ``;``).

    With ``shell`` (IPython), the code is compiled as the shell compiles a cell: its
    tracebacks show the cell's lines (``raw``, the cell as typed) and its AST transformers
    apply; its globals are the shell's.
    """
    __tracebackhide__ = True
    if shell is not None:
        filename = shell.compile.cache(source, shell.execution_count, raw_code=raw or source)
        tree = shell.transform_ast(ast.parse(source, filename=filename))
        # typeshed's codeop.Compile takes a str only; like compile(), it takes an AST too
        compiler = cast("Callable[..., CodeType]", shell.compile)
        global_ns = shell.user_global_ns
    else:
        filename = POINT_FILE
        tree = ast.parse(source, filename=filename)
        compiler, global_ns = compile, namespace
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compiler(tree, filename, "exec"), global_ns, namespace)
    if last is None:
        return None
    value = eval(compiler(ast.Expression(last.value), filename, "eval"), global_ns, namespace)
    return None if source.rstrip().endswith(";") else value
