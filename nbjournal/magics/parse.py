"""Parsing magic lines into validated options; every mistake is one clear ``UsageError``."""

from __future__ import annotations

import ast
import keyword
import re
import shlex
from collections.abc import Mapping
from typing import TYPE_CHECKING

from IPython.core.error import UsageError

if TYPE_CHECKING:
    from IPython.utils.text import DollarFormatter

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_EXPERIMENT = re.compile(r"^[\w.\-/+@]+$")
#: Characters in a magic line, at most: long text belongs in a cell (``%%inference``).
MAX_LINE = 10_000
#: Names IPython keeps for itself; binding one breaks every later cell.
_RESERVED = frozenset({"In", "Out", "get_ipython", "exit", "quit", "_", "_i", "_ii", "_iii", "_oh", "_dh", "_ih"})  # fmt: skip
_HISTORY = re.compile(r"^_i?\d+$")


def check_length(line: str) -> None:
    """Refuse a line longer than :data:`MAX_LINE` before any work is done on it."""
    if len(line) > MAX_LINE:
        raise UsageError(
            f"the magic line is {len(line):,} characters long, {MAX_LINE:,} at most: "
            "put long text in the cell form (%%inference, then the text on the lines below)"
        )


class CellSyntaxError(SyntaxError):
    """The cell's own SyntaxError, shown without nbjournal's frames (see ``magics.register``)."""


def split_line(line: str) -> list[str]:
    """Shell-like words, quotes removed, except in ``NAME=VALUE`` words: there the quotes
    belong to the Python literal (``-p act='relu'`` binds the string ``'relu'``)."""
    check_length(line)
    try:
        words = shlex.split(line, posix=True)
    except ValueError as error:
        raise UsageError(f"cannot read the magic line ({error}): check its quotes") from None
    raw = _raw_words(line)
    if len(raw) != len(words):
        return words
    return [
        kept if _ASSIGNMENT.match(kept) else word for word, kept in zip(words, raw, strict=True)
    ]


#: ``NAME=`` followed by a quote somewhere in the value: a literal with its own quotes.
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=.*['\"]")


def _raw_words(line: str) -> list[str]:
    """The words as :func:`shlex.split` finds them, with their quotes and escapes kept."""
    words: list[str] = []
    current: list[str] = []
    quote = ""
    escaped = False
    started = False
    for char in line:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\" and quote != "'":
            current.append(char)
            escaped = True
        elif quote:
            current.append(char)
            if char == quote:
                quote = ""
        elif char in "'\"":
            current.append(char)
            quote = char
            started = True
        elif char.isspace():
            if current or started:
                words.append("".join(current))
            current, started = [], False
        else:
            current.append(char)
    if current or started:
        words.append("".join(current))
    return words


def experiment_name(name: str | None) -> str:
    name = (name or "").strip()
    if not name:
        raise UsageError("%%experiment needs a name: %%experiment digits-mlp")
    if not _EXPERIMENT.match(name) or len(name) > 200:
        raise UsageError(
            f"bad experiment name {name!r}: use letters, digits and - _ . / (at most 200)"
        )
    return name


def assignments(items: list[str] | None, option: str, want_list: bool = False) -> dict[str, object]:
    """``NAME=VALUE`` pairs where VALUE is a Python literal (never evaluated as code)."""
    found: dict[str, object] = {}
    for item in items or []:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not _NAME.match(name):
            raise UsageError(f"{option} takes NAME=VALUE, got {item!r}")
        if (
            name.startswith("__")
            or keyword.iskeyword(name)
            or name in _RESERVED
            or _HISTORY.match(name)
        ):
            raise UsageError(
                f"{option} {name}: that name belongs to Python or IPython; choose another"
            )
        try:
            value = ast.literal_eval(text.strip())
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            hint = (
                f"; for text, quote it: {option} {name}='{text.strip()}'" if _is_word(text) else ""
            )
            raise UsageError(
                f"{option} {name}: {text.strip()!r} is not a Python literal "
                f"(numbers, strings, lists, dicts, True/False/None){hint}"
            ) from None
        if want_list and (not isinstance(value, (list, tuple)) or not value):
            raise UsageError(f"{option} {name}: give a non-empty list, e.g. {name}=[1, 2, 3]")
        if name in found:
            raise UsageError(f"{option} {name} is given twice")
        found[name] = list(value) if want_list else value
    return found


def _is_word(text: str) -> bool:
    return bool(re.fullmatch(r"[\w.\-]+", text.strip()))


def wants_help(words: list[str]) -> bool:
    """``-h`` or ``--help`` among the options (IPython's parsers have no help option)."""
    return any(word in ("-h", "--help") for word in words)


def id_words(words: list[str]) -> list[str]:
    """Ids as written, or as a filled-in list reads (``[3, 4]``, ``(3, 4)``, ``[3 4]``);
    ``3+4`` as ``%inference --runs`` and the evidence lines write a group."""
    return [part for word in words for part in re.split(r"[\s,+\[\]()]+", word) if part]


def run_id(text: str | int | None) -> int:
    try:
        value = int(str(text).lstrip("#"))
    except (TypeError, ValueError):
        raise UsageError(f"not a run id: {text!r} (run ids are numbers, like 12 or #12)") from None
    if value <= 0:
        raise UsageError(f"not a run id: {text!r}")
    return value


def export_words(words: list[str]) -> tuple[list[str], str]:
    """``[NAME…] -o FILE`` after ``%journal export``."""
    usage = "usage: %journal export [EXPERIMENT…] -o FILE(.md|.html)"
    names: list[str] = []
    output: str | None = None
    rest = list(words)
    while rest:
        word = rest.pop(0)
        if word in ("-o", "--output"):
            output = rest.pop(0) if rest else None
        elif word.startswith("-"):
            raise UsageError(f"unexpected {word!r}; {usage}")
        else:
            names.append(experiment_name(word))
    if not output:
        raise UsageError(usage)
    return names, output


def insights_words(words: list[str]) -> tuple[str, bool, str | None]:
    """``NAME [--data] [--metric M]`` after ``%journal insights``."""
    usage = "usage: %journal insights NAME [--data] [--metric METRIC]"
    name: str | None = None
    same_data = False
    metric: str | None = None
    rest = list(words)
    while rest:
        word = rest.pop(0)
        if word == "--data":
            same_data = True
        elif word == "--metric" or word.startswith("--metric="):
            value = word.partition("=")[2] if "=" in word else (rest.pop(0) if rest else "")
            if not value.strip():
                raise UsageError(f"--metric needs a metric name; {usage}")
            metric = value.strip()
        elif word.startswith("-") or name is not None:
            raise UsageError(f"unexpected {word!r}; {usage}")
        else:
            name = word
    if name is None:
        raise UsageError(usage)
    return experiment_name(name), same_data, metric


def compare_words(words: list[str]) -> tuple[list[list[int]], str | None, float | None]:
    """``A B… [--metric NAME[:max|min]] [--min-effect X]`` after ``%journal compare``.

    Each side is a run id or a group of repeats: ``41,42,43`` or ``41+42+43`` or a filled-in list
    (``$a $b`` with lists reads ``[41, 42] [43, 44]``). A single group is its runs
    side by side (``%journal compare $ids``).
    """
    usage = (
        "usage: %journal compare ID ID… (or groups of repeats: 1+2+3 4+5+6) "
        "[--metric NAME[:max|min]] [--min-effect X]"
    )
    metric: str | None = None
    min_effect: float | None = None
    kept: list[str] = []
    rest = list(words)
    while rest:
        word = rest.pop(0)
        option, _, value = word.partition("=")
        if option in ("--metric", "--min-effect"):
            value = value if "=" in word else (rest.pop(0) if rest else "")
            if not value.strip():
                raise UsageError(f"{option} needs a value; {usage}")
            if option == "--metric":
                metric = value.strip()
            else:
                min_effect = _positive(value)
        elif word.startswith("-") and not word.lstrip("-").isdigit():
            raise UsageError(f"unexpected {word!r}; {usage}")
        else:
            kept.append(word)
    groups = _GROUP.findall(" ".join(kept))
    sides = [[run_id(i) for i in id_words([group])] for group in groups]
    sides = [side for side in sides if side]
    if len(sides) == 1:
        sides = [[i] for i in sides[0]]
    if len(sides) < 2:
        raise UsageError(f"{usage} (two runs at least)")
    return sides, metric, min_effect


#: A side of ``%journal compare``: a bracketed list, or a word (``41`` or ``41,42,43``).
_GROUP = re.compile(r"\[[^\]]*\]|\([^)]*\)|[^\s\[\]()]+")


def _positive(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise UsageError(f"--min-effect takes a number, not {value!r}") from None
    if not (0 < number < float("inf")):
        raise UsageError(f"--min-effect takes a positive number, not {value!r}")
    return number


def check_names(names: list[str] | None) -> list[str]:
    """``--no-check`` names, each one of the known checks."""
    from ..checks.registry import ORDER

    chosen = []
    for name in names or []:
        for part in name.replace(",", " ").split():
            if part not in ORDER:
                raise UsageError(
                    f"--no-check {part}: no such check; the checks are {', '.join(ORDER)}"
                )
            chosen.append(part)
    return chosen


def expand(line: str, namespace: Mapping[str, object], magic: str) -> str:
    """Fill in ``{expression}`` and ``$name`` from the namespace, as IPython does for magics.

    IPython leaves the whole line untouched when one expression fails, and the
    braces would then be recorded as if they were the text; here that is one
    clear line instead, and nothing is recorded.
    """
    from IPython.utils.text import DollarFormatter

    check_length(line)  # expansion grows faster than the line

    formatter = DollarFormatter()
    try:
        return formatter.vformat(line, args=[], kwargs=namespace)
    except Exception as error:
        failed = _failing_field(formatter, line, namespace) or line.strip()
        raise UsageError(
            f"{magic}: cannot fill in {failed} ({type(error).__name__}: {error}); nothing recorded"
        ) from None


def _failing_field(
    formatter: DollarFormatter, line: str, namespace: Mapping[str, object]
) -> str | None:
    try:
        fields = [(text, name) for text, name, _, _ in formatter.parse(line) if name is not None]
    except Exception:
        return None
    for _, name in fields:
        piece = "{" + name + "}" if "{" + name + "}" in line else "$" + name
        try:
            formatter.vformat("{" + name + "}", args=[], kwargs=namespace)
        except Exception:
            return piece
    return None


def evidence_runs(text: str) -> list[list[int]]:
    """``--runs 41,42`` (run against run) or ``--runs 1+2+3,4+5+6`` (repeats against repeats)."""
    usage = "--runs takes runs to compare: 41,42 or, for repeats, 1+2+3,4+5+6"
    sides = [[run_id(i) for i in side.split("+") if i.strip()] for side in text.split(",")]
    if len(sides) < 2 or not all(sides):
        raise UsageError(f"{usage}, not {text!r}")
    return sides


def grid_id(text: str) -> int:
    try:
        value = int(str(text).lstrip("#"))
    except (TypeError, ValueError):
        raise UsageError(f"not a grid id: {text!r} (grid ids are numbers, like 3)") from None
    if value <= 0:
        raise UsageError(f"not a grid id: {text!r}")
    return value
