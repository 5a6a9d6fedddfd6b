"""The backward slice of an experiment cell over the kernel's history (pure: no IPython).

A run's result depends on more than its cell: on the cells that loaded, cleaned
and split the data before it. From the names the experiment cell reads, the
slice takes the latest earlier executed cell that bound each name, every cell
after it that may have changed the name, and, recursively, what those cells
read. Everything is read from the code (the AST), never traced:

- **bindings**: assignments (also augmented and annotated), imports, ``def``,
  ``class``, ``for`` and ``with`` targets, ``del``;
- **possible changes**: a method called on a name (``x.append(1)``), an item or
  attribute assigned into it (``x[i] = v``, ``x.a = v``), the name passed to a
  call (``shuffle(x)``); for a name bound by ``import`` only attribute
  assignments and setting calls (``np.random.seed``) count;
- **aliases**: ``b = a``, ``b = a[1:]``, ``b = a.values``, ``for row in rows``
  and containers of those make ``a`` and ``b`` one object: a change of one is a
  change of the other;
- **opaque cells** (``%run``, ``exec``, ``import *``, ``globals()``, unknown
  magics) may bind anything: they are kept between a name's binding and its read,
  and a name nothing bound is *hidden state*.

The slice may be larger than needed, never smaller for these forms. What a static
reading cannot see (a function returning its argument, mutation through an
object reached another way, side effects on files) is listed in the README.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .cell_facts import BUILTINS, CellFacts, cell_facts
from .slice_index import SliceIndex

__all__ = ["CellFacts", "Slice", "backward_slice", "cell_facts"]


@dataclass(frozen=True)
class Slice:
    """The upstream cells of one experiment cell and the names nothing recorded bound."""

    #: execution counts of the upstream cells, in execution order
    cells: tuple[int, ...]
    #: per upstream cell, the names it bound or may have changed that the slice follows
    names: dict[int, tuple[str, ...]] = field(default_factory=dict)
    #: names read that no recorded cell bound (hidden state), with opaque cells that may have
    hidden: tuple[str, ...] = ()
    #: execution counts of opaque cells kept in the slice (``%run``, ``exec``...)
    opaque: tuple[int, ...] = ()
    #: per upstream cell, earlier cells outside the slice that bound the same names: run
    #: top to bottom, one sitting below it would win
    shadows: dict[int, tuple[int, ...]] = field(default_factory=dict)


def backward_slice(
    history: Sequence[tuple[int, CellFacts]] | SliceIndex,
    cell: CellFacts,
    count: int,
    *,
    known: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
) -> Slice:
    """The upstream cells of the cell executed as ``count`` (``history``: earlier cells, or
    an index that reads them as the slice asks).

    ``known`` are the names the namespace holds now: a name read that no cell bound
    is hidden state only when the namespace has it (else the code would fail, not
    mislead). ``ignore``: names the experiment binds itself (``-p``) or IPython's own.
    """
    index = history if isinstance(history, SliceIndex) else SliceIndex.of(history)
    known_names = None if known is None else set(known)
    skip = set(ignore)
    kept: dict[int, set[str]] = {}
    hidden: dict[str, None] = {}
    opaque_kept: set[int] = set()
    seen: set[tuple[str, int, int]] = set()
    # (name, read at, called until): a name read when ``read at`` ran, or, inside a function
    # defined then, whenever the function was called: up to the experiment cell, since a
    # function kept in an object may be called by any later cell
    work: list[tuple[str, int, int]] = [(n, count, count) for n in cell.reads | cell.deferred]
    outputs = list(cell.outputs)

    def keep(at: int, name: str) -> None:
        fresh = at not in kept
        kept.setdefault(at, set()).add(name)
        if fresh:
            facts = index.fact(at)
            work.extend((n, at, at) for n in facts.reads)
            work.extend((n, at, count) for n in facts.deferred)
            outputs.extend(facts.outputs)

    while work or outputs:
        while outputs:
            out = outputs.pop()
            if out in index.texts and out < count:
                keep(out, f"_{out}")
        if not work:
            break
        item = work.pop()
        name, read_at, until = item
        if name in skip or item in seen:
            continue
        seen.add(item)
        candidates, unbound = _candidates(index, name, read_at, until)
        if unbound and (known_names is None or name in known_names) and name not in BUILTINS:
            hidden.setdefault(name, None)
        for at in candidates:
            if at < count:
                if at in index.opaque:
                    opaque_kept.add(at)
                keep(at, name)
    cells = tuple(sorted(kept))
    shadows = _shadows(index, kept)
    return Slice(
        cells=cells,
        names={at: tuple(sorted(kept[at])) for at in cells},
        hidden=tuple(sorted(hidden)),
        opaque=tuple(sorted(opaque_kept)),
        shadows=shadows,
    )


def _candidates(index: SliceIndex, name: str, read_at: int, until: int) -> tuple[list[int], bool]:
    """The cells that bound or may have changed ``name`` as read at ``read_at`` (and until
    ``until``), and whether no recorded cell bound it (then opaque cells may have)."""
    group = index.members(name)  # reads every cell that names one of them
    binder = index.binder(name, read_at)
    is_module = binder is not None and name in index.facts[binder].modules
    for member in group:
        if member != name or not is_module:
            index.complete(member)  # not a module here: its attribute reads may change it
    binders = index.between(index.binders.get(name, []), read_at - 1, until)
    candidates = ([binder] if binder is not None else []) + binders
    start = binder if binder is not None else 0
    maybe = index.between(index.changers.get(name, []), 0, until)
    unbound = not candidates and not any(name in index.fact(c).binds for c in maybe)
    if unbound:
        candidates = [c for c in index.opaque if c < until]  # may have bound it
    for member in group:
        table = index.module_changers if is_module and member == name else index.changers
        candidates += index.between(table.get(member, []), start, until)
    candidates += index.between(index.opaque, start, until)
    return candidates, unbound


def _shadows(index: SliceIndex, kept: dict[int, set[str]]) -> dict[int, tuple[int, ...]]:
    """Per kept cell, earlier cells outside the slice that bound the same names."""
    shadows = {
        at: tuple(
            sorted(
                {
                    earlier
                    for name in kept[at]
                    for earlier in index.binders.get(name, [])
                    if earlier < at and earlier not in kept
                }
            )
        )
        for at in sorted(kept)
    }
    return {at: found for at, found in shadows.items() if found}
