"""Which executed cells bind, may change or hide each name: the index the backward slice
asks (pure: no IPython).

It reads a cell only when a name the slice follows appears in the cell's text (a cell
that never spells ``x`` cannot bind or change ``x``), plus every cell that may be opaque
(magics, ``exec``, ``import *``...). The answers are those of an index over every cell:
a name's alias group, the functions that change it and their callers, and the modules
among its aliases are followed until nothing new is read. A 300-cell history whose
experiment reads a few names parses a few dozen cells, not 300.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Mapping, Sequence

from .cell_facts import SETTING_CALLS, CellFacts

#: Text that may make a cell opaque (cell_facts' ``opaque``): read up front.
_MAYBE_OPAQUE = re.compile(r"get_ipython|exec|eval|globals|vars|setattr|locals|import\s*\*")


class SliceIndex:
    """Per name, the execution counts that bind it, change it, or are opaque (sorted)."""

    def __init__(self, texts: Mapping[int, str], read: Callable[[int], CellFacts]) -> None:
        self.texts, self.read = texts, read
        self.counts = sorted(texts)
        self.facts: dict[int, CellFacts] = {}
        self.binders: dict[str, list[int]] = {}
        self.changers: dict[str, list[int]] = {}
        self.module_changers: dict[str, list[int]] = {}
        self.opaque: list[int] = []
        self._modules: set[str] = set()
        self._aliases: list[tuple[str, str]] = []
        self._changed_by: dict[str, set[str]] = {}
        self._callers: dict[str, list[int]] = {}
        self._ensured: set[str] = set()
        #: per module name, the cells that only read its attributes: read on demand
        self._unread: dict[str, list[int]] = {}
        self._group: dict[str, set[str]] | None = None
        for count in self.counts:
            if count not in self.facts and _MAYBE_OPAQUE.search(texts[count]):
                for function in self._load(count):
                    self.ensure(function)

    @classmethod
    def of(cls, history: Sequence[tuple[int, CellFacts]]) -> SliceIndex:
        """An index over facts already read (every cell counts as naming every name)."""
        facts = dict(history)
        index = cls(dict.fromkeys(facts, ""), facts.__getitem__)
        for count in index.counts:
            index._load(count)
        index._ensured = _Everything()
        return index

    # -- reading cells ---------------------------------------------------------------

    def fact(self, count: int) -> CellFacts:
        if count not in self.facts:
            for function in self._load(count):
                self.ensure(function)
        return self.facts[count]

    def ensure(self, name: str) -> None:
        """Read every cell whose text names ``name`` (and what that brings in)."""
        pending = [name]
        while pending:
            current = pending.pop()
            if current in self._ensured:
                continue
            self._ensured.add(current)
            attributes_only: list[int] = []
            for count in self.counts:
                if count in self.facts:
                    continue
                reach = touch(self.texts[count], current)
                if reach == "attributes":
                    attributes_only.append(count)
                elif reach:
                    pending += self._load(count)
            if self._only_imported(current):  # a module: np.pi, np.sum(x) change nothing
                self._unread[current] = attributes_only
            else:
                for count in attributes_only:
                    pending += self._load(count)

    def complete(self, name: str) -> None:
        """Read the cells :meth:`ensure` left because ``name`` looked like a module: asked
        when the slice follows it as something else (read before its import)."""
        for count in self._unread.pop(name, []):
            if count not in self.facts:
                for function in self._load(count):
                    self.ensure(function)

    def _only_imported(self, name: str) -> bool:
        """Whether every cell read so far that binds ``name`` imports it (and one does)."""
        binding = [f for f in self.facts.values() if name in f.binds]
        return bool(binding) and all(name in f.modules for f in binding)

    def members(self, name: str) -> set[str]:
        """``name``'s alias group (names that may be one object), every member read."""
        self.ensure(name)
        while True:
            if self._group is None:
                pairs = [
                    (a, b)
                    for a, b in self._aliases
                    if a not in self._modules and b not in self._modules
                ]
                self._group = _groups(pairs)
            group = self._group.get(name, {name})
            fresh = [member for member in group if member not in self._ensured]
            if not fresh:
                return group
            for member in fresh:
                self.ensure(member)

    def _load(self, count: int) -> list[str]:
        """Index one cell; returns the function names whose callers must be read too."""
        facts = self.facts[count] = self.read(count)
        self._group = None
        self._modules |= facts.modules
        self._aliases.extend(facts.aliases)
        for function in facts.calls:
            self._callers.setdefault(function, []).append(count)
            for name in self._changed_by.get(function, ()):
                self._changes(name, count)
        for function, names in facts.function_changes:
            self._changed_by.setdefault(function, set()).update(names)
            for caller in self._callers.get(function, ()):
                for name in names:
                    self._changes(name, caller)
        for name in facts.binds:
            if name in facts.sure:
                bisect.insort(self.binders.setdefault(name, []), count)
            else:
                self._changes(name, count)
        for name in facts.changes:
            bisect.insort(self.changers.setdefault(name, []), count)
        for name in facts.module_changes:
            bisect.insort(self.module_changers.setdefault(name, []), count)
        if facts.opaque:
            bisect.insort(self.opaque, count)
        return [function for function, _ in facts.function_changes]

    def _changes(self, name: str, count: int) -> None:
        bisect.insort(self.changers.setdefault(name, []), count)
        bisect.insort(self.module_changers.setdefault(name, []), count)

    # -- questions -------------------------------------------------------------------

    def binder(self, name: str, before: int) -> int | None:
        counts = self.binders.get(name, [])
        at = bisect.bisect_left(counts, before)
        return counts[at - 1] if at else None

    def between(self, counts: list[int], after: int, before: int) -> list[int]:
        return counts[bisect.bisect_right(counts, after) : bisect.bisect_left(counts, before)]


#: after a name: a binary operator (not an augmented assignment) — the name is an operand
_OPERAND_AFTER = re.compile(r"[ \t]*(?:==|!=|<=|>=|[*+\-/%<>&|^@]+(?![=*+\-/%<>&|^@]))")
#: before a name: an operand, then a binary operator
_OPERAND_BEFORE = re.compile(r"[\w)\]][ \t]*(?:\*\*|//|<<|>>|==|!=|<=|>=|[*+\-/%<>&|^@])[ \t]*$")
#: after a name: an attribute, an item or a call of it (a method may change it)
_REACHED_INTO = re.compile(r"[ \t]*[.\[(]")


#: after a name: ``.a.b`` then a call ``(`` or anything but an assignment or an item
_ATTRIBUTE_READ = re.compile(
    r"(?:[ \t]*\.[ \t]*\w+)*[ \t]*\.[ \t]*(\w+)"
    r"(?!\w|[ \t]*(?:[\[.]|(?:[-+*/%&|^@<>]{0,2}|//|\*\*)=(?!=)))"
)
_DEFINES = re.compile(r"\b(?:def|lambda|class)\b")


@functools.lru_cache(maxsize=4096)
def _spelled(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w.]){re.escape(name)}(?!\w)")


def may_touch(text: str, name: str) -> bool:
    """Whether the cell ``text`` may bind, change, alias or pass ``name`` (see :func:`touch`)."""
    return bool(touch(text, name))


def touch(text: str, name: str) -> str:
    """How the cell ``text`` may reach ``name``: ``""`` when it spells it only as an
    attribute of something else (``o.x``) or a plain operand (``x * 2``, ``x > 0``), which
    neither binds nor changes it; ``"attributes"`` when also as ``x.a`` read or
    ``x.f(...)`` called with ``f`` not a setting (``seed``, ``set_…``) and the cell defines
    no function — that changes no *module*; ``"yes"`` otherwise. Too much is harmless (the
    cell is read), too little never happens for the forms cell_facts reads."""
    if name not in text:
        # Python reads identifiers in NFKC form: a cell spelling ｘ binds x
        return "" if text.isascii() else "yes"
    found = ""
    for spelled in _spelled(name).finditer(text):
        start, end = spelled.span()
        if _REACHED_INTO.match(text, end):
            chain = _ATTRIBUTE_READ.match(text, end)
            if chain is None or SETTING_CALLS.match(chain.group(1)) or _DEFINES.search(text):
                return "yes"
            found = "attributes"
        elif not (
            _OPERAND_AFTER.match(text, end)
            or _OPERAND_BEFORE.search(text, max(0, start - 8), start)
        ):
            return "yes"
    return found


class _Everything(set[str]):
    """Every name is already read (an index built from facts)."""

    def __contains__(self, name: object) -> bool:
        return True


def _groups(pairs: Sequence[tuple[str, str]]) -> dict[str, set[str]]:
    """Names that may be one object, by union of alias pairs."""
    parent: dict[str, str] = {}

    def find(name: str) -> str:
        parent.setdefault(name, name)
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    groups: dict[str, set[str]] = {}
    for name in list(parent):
        groups.setdefault(find(name), set()).add(name)
    return {name: groups[find(name)] for name in parent}
