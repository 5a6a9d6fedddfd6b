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
    return len(value) >= _MIN_ENV_LENGTH and value in _environment_values()


def _environment_values() -> set[str]:
    return {v for v in os.environ.values() if len(v) >= _MIN_ENV_LENGTH}


_MAX_DEPTH = 8
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
