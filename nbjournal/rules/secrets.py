"""Never record a secret: values whose name says "secret" or that equal an environment variable.

A notebook that did ``API_KEY = "sk-..."`` or ``aws = os.environ["AWS_SECRET_ACCESS_KEY"]``
and then reads the name in an experiment would otherwise put the key among the
run's parameters and data, shown by ``%journal show`` and served by the REST API
to everyone who reads a team journal. The rule (documented in the README's
"What is recorded"): a text value is recorded as :data:`REDACTED` when its name
has a part like ``key``, ``token``, ``secret``, ``password`` or ``credential``,
or when it equals the value of an environment variable (of 8 characters or
more). The name stays, so the run still says the cell used it; numbers are
never secrets (``key_size = 128`` is a parameter). The rule reaches inside
dicts and lists: ``client_cfg = {"password": ...}`` is recorded as
``client_cfg.password = <redacted>``, and every text inside a secret-named
container (``creds = {"user": ..., "pw": ...}``) is redacted.

Artifacts follow the same rule (:func:`secret_inside`): a value that holds a
secret is not saved at all, and a stored blob may not contain the value of a
secret-named environment variable (:func:`secret_environment_values`; an
object that keeps ``os.environ["OPENAI_API_KEY"]`` inside is found in its
bytes).
"""

from __future__ import annotations

import ast
import functools
import os
import re
from collections.abc import Mapping

REDACTED = "<redacted>"
#: Parts of a name (split at ``_``, ``-``, ``.`` and case changes) that mark a secret.
SECRET_PARTS = frozenset(
    {
        "key", "apikey", "token", "secret", "secrets", "password", "passwd", "pwd", "passphrase",
        "credential", "credentials", "creds", "auth", "bearer", "cookie", "private",
    }
)  # fmt: skip
_PARTS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_MIN_ENV_LENGTH = 8


def secret_name(name: str) -> bool:
    return any(part.lower() in SECRET_PARTS for part in _PARTS.findall(name))


def is_secret(name: str, value: object) -> bool:
    """Whether ``value``, read under ``name``, must not be recorded."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return False
    if secret_name(name):
        return True
    if _equals_environment(value):
        return True
    return len(value) < _MAX_TEXT and _in_text(value) != value  # a URL's password, a token


def _equals_environment(value: str) -> bool:
    return len(value) >= _MIN_ENV_LENGTH and value in _environment_values()


def _environment_values() -> set[str]:
    return _environment()[0]


_snapshot: tuple[object, set[str], list[str]] = (None, set(), [])


def _environment() -> tuple[set[str], list[str]]:
    """The environment's values of 8 characters or more, and those of secret-named
    variables: read again only when the environment changed (a cell's code and each of
    its values are checked against them)."""
    global _snapshot
    data = getattr(os.environ, "_data", None)
    key = tuple(data.items()) if isinstance(data, dict) else None
    if key is None or key != _snapshot[0]:
        items = [(k, v) for k, v in os.environ.items() if len(v) >= _MIN_ENV_LENGTH]
        _snapshot = (key, {v for _, v in items}, [v for k, v in items if secret_name(k)])
    return _snapshot[1], _snapshot[2]


_MAX_DEPTH = 8
#: Texts longer than this are not searched for a token inside (a data set read as text).
_MAX_TEXT = 100_000
_MAX_ITEMS = 10_000


def redact(name: str, value: object, *, inherited: bool = False, depth: int = 0) -> object:
    """``value`` with every secret text inside replaced by :data:`REDACTED` (dict keys name
    their values; everything under a secret-named container counts as secret)."""
    inherited = inherited or secret_name(str(name))
    if isinstance(value, (str, bytes)):
        return REDACTED if inherited or is_secret(str(name), value) else value
    if depth >= _MAX_DEPTH:
        return value
    if isinstance(value, dict):
        return {
            k: redact(str(k), v, inherited=inherited, depth=depth + 1) for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        items = [redact(str(name), v, inherited=inherited, depth=depth + 1) for v in value]
        return items if isinstance(value, list) else tuple(items)
    return value


def secret_inside(name: str, value: object) -> bool:
    """Whether ``value`` (bound to ``name``) is or holds a secret by the rule above."""
    return _holds(str(name), value, secret_name(str(name)), 0, [0])


def _holds(name: str, value: object, inherited: bool, depth: int, seen: list[int]) -> bool:
    seen[0] += 1
    if seen[0] > _MAX_ITEMS or depth > _MAX_DEPTH:
        return False
    if isinstance(value, (str, bytes)):
        return inherited or is_secret(name, value)
    if isinstance(value, dict):
        return any(
            _holds(str(k), v, inherited or secret_name(str(k)), depth + 1, seen)
            for k, v in value.items()
        )
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(_holds(name, v, inherited, depth + 1, seen) for v in value)
    return False


def secret_environment_values() -> list[bytes]:
    """The values of secret-named environment variables (``OPENAI_API_KEY``…): no stored
    blob may contain one."""
    return [
        v.encode() for k, v in os.environ.items() if len(v) >= _MIN_ENV_LENGTH and secret_name(k)
    ]


def redact_params(params: Mapping[str, object]) -> dict[str, object]:
    """``params`` with every secret value replaced by :data:`REDACTED`, nested ones too."""
    return {name: redact(name, value) for name, value in params.items()}


def redact_entry(entry: dict[str, object], value: object) -> dict[str, object]:
    """A data entry of the value ``value``, without the value's text when it is a secret."""
    if "value" in entry and secret_inside(str(entry.get("name", "")), value):
        return {**entry, "value": REDACTED}
    return entry


# -- code ----------------------------------------------------------------------------
# A cell's code (the run's own and its upstream cells') goes through :func:`redact_code`
# before it is stored: the literal a secret-named name, keyword, dict key or argument is
# given becomes ``"<redacted>"``, as does a literal equal to an environment variable's value;
# in any text, a URL's password, a secret-named query parameter, a ``Bearer`` token, a
# well-known token shape (``sk-…``, ``ghp_…``, ``AKIA…``) and the value of a secret-named
# environment variable. Magic and shell lines (``%env API_KEY=…``) get the ``name=value``
# reading; code that does not parse gets it on every line.

#: What a redacted literal becomes in code: still Python, and never run by a replay.
REDACTED_LITERAL = f'"{REDACTED}"'
_LINES = re.compile(r"\r\n|\r|\n")
_MAGIC_LINE = re.compile(r"^(\s*)(?:[%!?]|[\w.,\s\[\]*]+=\s*[%!])")
_ENV_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
_URL_PASSWORD = re.compile(r"(\b[A-Za-z][\w+.-]*://[^/\s:@'\"]*:)([^@\s/'\"]+)(@)")
_QUERY = re.compile(r"([?&;]([\w.-]+)=)([^&#\s'\"]+)")
#: ``Authorization: Basic …`` (any credential), or ``Bearer …`` with a digit in it (a credential
#: has one; "bearer instruments" is prose)
_BEARER = re.compile(
    r"\b(Authorization:[ \t]*)?(Bearer|Basic|Token)([ \t]+)([\w.~+/=-]{8,})", re.IGNORECASE
)
_TOKEN_SHAPES = re.compile(
    r"\b(?:sk-(?:proj-|ant-)?[\w-]{16,}|gh[pousr]_\w{20,}|github_pat_\w{20,}|glpat-[\w-]{20,}"
    r"|xox[abprs]-[\w-]{10,}|AKIA[0-9A-Z]{16}|AIza[\w-]{30,}|hf_[A-Za-z0-9]{20,})"
)
_VALUE = r"(\"[^\"]*\"|'[^']*'|[^\s,;&)'\"]+)"
#: ``NAME=value``, ``name: value``; ``--name value``, ``%env NAME value``
_NAME_VALUE = re.compile(r"([A-Za-z_][\w.-]*)(['\"]?\s*[=:]\s*)" + _VALUE)
_NAME_SPACE = re.compile(r"(?:(?<=\s)--?|%(?:set_)?env\s+)([A-Za-z_][\w.-]*)(\s+)" + _VALUE)


def redact_code(code: str) -> str:
    """``code`` with its secrets replaced (see above); everything else as written. Kept per
    code while the environment is unchanged: an upstream cell is kept by many runs."""
    data = getattr(os.environ, "_data", None)
    if not isinstance(data, dict):
        return _redact_code(code, None)
    return _redact_code(code, tuple(data.items()))


@functools.lru_cache(maxsize=2048)
def _redact_code(code: str, environment: object) -> str:
    pieces = _LINES.split(code)
    separators = [*_LINES.findall(code), ""]
    magic = [_MAGIC_LINE.match(line) for line in pieces]
    masked = [(m.group(1) + "pass") if m else line for m, line in zip(magic, pieces, strict=True)]
    try:
        tree: ast.Module | None = ast.parse("\n".join(masked))
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        tree = None
    # magic and shell lines (every line when the code is not Python): the name=value reading
    lines = [
        _NAME_SPACE.sub(_name_value, _NAME_VALUE.sub(_name_value, line))
        if tree is None or m
        else line
        for m, line in zip(magic, pieces, strict=True)
    ]
    if tree is not None:
        lines = _splice(lines, _secret_literals(tree, _environment_values()))
    return _in_text("".join(line + sep for line, sep in zip(lines, separators, strict=True)))


def _in_text(text: str) -> str:
    text = _URL_PASSWORD.sub(lambda m: m.group(1) + REDACTED + m.group(3), text)
    text = _QUERY.sub(lambda m: m.group(1) + REDACTED if secret_name(m.group(2)) else m[0], text)
    text = _BEARER.sub(_credential, text)
    text = _TOKEN_SHAPES.sub(REDACTED, text)
    for value in _environment()[1]:
        if value in text:
            text = text.replace(value, REDACTED)
    return text


def _credential(match: re.Match[str]) -> str:
    header, scheme, space, value = match.groups()
    bearer = scheme.lower() == "bearer" and any(c.isdigit() for c in value)
    return f"{header or ''}{scheme}{space}{REDACTED}" if header or bearer else match[0]


def _name_value(match: re.Match[str]) -> str:
    name, between, value = match.groups()
    if not secret_name(name) or REDACTED in value:
        return match[0]
    quote = value[0] if value[:1] in {"'", '"'} else ""
    return f"{name}{between}{quote}{REDACTED}{quote}"


def _secret_literals(tree: ast.Module, environment: set[str]) -> list[ast.expr]:
    """The literals of ``tree`` that hold a secret by their name or their value."""
    found: list[ast.expr] = []
    for node in ast.walk(tree):
        for named, value in _named_values(node):
            if secret_name(named):
                found += _literals(value)
        # a whole literal equal to an environment variable; tokens inside a text: _in_text
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found += [node] if node.value in environment else []
    return found


def _named_values(node: ast.AST) -> list[tuple[str, ast.expr]]:
    """The (name, value) pairs ``node`` makes: assignments, keywords, dict items, defaults,
    ``f("API_KEY", value)``, comparisons with a name."""
    if isinstance(node, ast.Assign):
        return [(n, node.value) for t in node.targets for n in _labels(t)]
    if isinstance(node, (ast.AnnAssign, ast.AugAssign)) and node.value is not None:
        return [(n, node.value) for n in _labels(node.target)]
    if isinstance(node, ast.keyword) and node.arg:
        return [(node.arg, node.value)]
    if isinstance(node, ast.Dict):
        items = zip(node.keys, node.values, strict=True)
        return [
            (k.value, v)
            for k, v in items
            if isinstance(k, ast.Constant) and isinstance(k.value, str)
        ]
    if isinstance(node, ast.Call):
        given = zip(node.args, node.args[1:], strict=False)
        return [
            (a.value, b)
            for a, b in given
            if isinstance(a, ast.Constant) and isinstance(a.value, str)
        ]
    if isinstance(node, ast.arguments):
        positional = [*node.posonlyargs, *node.args]
        defaults: list[tuple[ast.arg, ast.expr]] = list(
            zip(positional[len(positional) - len(node.defaults) :], node.defaults, strict=True)
        )
        defaults += [
            (a, d) for a, d in zip(node.kwonlyargs, node.kw_defaults, strict=True) if d is not None
        ]
        return [(a.arg, d) for a, d in defaults]
    if isinstance(node, ast.Compare):
        parts = [node.left, *node.comparators]
        return [(n, p) for part in parts for n in _labels(part) for p in parts if p is not part]
    return []


def _labels(target: ast.AST) -> list[str]:
    """The names an assignment target gives its value: ``x``, ``o.x``, ``d["x"]``, tuples."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Attribute):
        return [target.attr]
    if isinstance(target, ast.Subscript) and _text(target.slice):
        return [target.slice.value]  # type: ignore[attr-defined]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for element in target.elts for n in _labels(element)]
    return []


def _text(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _literals(value: ast.expr) -> list[ast.expr]:
    """The text literals that make up ``value`` (not an environment variable's name)."""
    if _text(value) or isinstance(value, ast.JoinedStr):
        return [value]
    if isinstance(value, (ast.Tuple, ast.List, ast.Set)):
        return [n for element in value.elts for n in _literals(element)]
    if isinstance(value, ast.Dict):
        return [n for element in value.values for n in _literals(element)]
    if isinstance(value, ast.BinOp):
        return _literals(value.left) + _literals(value.right)
    if isinstance(value, ast.BoolOp):
        return [n for element in value.values for n in _literals(element)]
    if isinstance(value, ast.IfExp):
        return _literals(value.body) + _literals(value.orelse)
    if isinstance(value, ast.Call):
        parts = [*value.args, *(k.value for k in value.keywords)]
        return [
            n
            for part in parts
            for n in _literals(part)
            if not (_text(n) and _ENV_NAME.match(n.value))  # type: ignore[attr-defined]
        ]
    return []


def _splice(lines: list[str], nodes: list[ast.expr]) -> list[str]:
    """``lines`` with each node's source replaced by :data:`REDACTED_LITERAL` (outermost
    spans only; ast's columns count UTF-8 bytes). A literal over several lines becomes one
    placeholder on its first line and leaves the others empty, so lines keep their numbers."""
    data = [line.encode() for line in lines]
    spans = sorted(
        {
            (n.lineno - 1, n.col_offset, n.end_lineno - 1, n.end_col_offset)
            for n in nodes
            if n.end_lineno is not None and n.end_col_offset is not None
        }
    )
    kept: list[tuple[int, int, int, int]] = []
    for span in spans:
        if kept and span[:2] < kept[-1][2:]:
            continue  # inside the span before
        kept.append(span)
    for first, start, last, end in reversed(kept):
        head, tail = data[first][:start], data[last][end:]
        data[first] = head + REDACTED_LITERAL.encode() + (tail if first == last else b"")
        if first != last:
            data[last] = tail
            for between in range(first + 1, last):
                data[between] = b""
    return [line.decode() for line in data]
