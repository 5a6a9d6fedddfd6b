"""Never record a secret: values whose name says "secret" or that equal an environment variable.

A notebook that did ``API_KEY = "sk-..."`` or ``aws = os.environ["AWS_SECRET_ACCESS_KEY"]``
and then reads the name in an experiment would otherwise put the key among the
run's parameters and data, shown by ``%journal show`` and served by the REST API
to everyone who reads a team journal. The rule (documented in the README's
"What is recorded"): a text value is recorded as :data:`REDACTED` when its name
has a part like ``key``, ``token``, ``secret``, ``password`` or ``credential``,
or when it equals the value of an environment variable (of 8 characters or
more). The name stays, so the run still says the cell used it; numbers are
never secrets (``key_size = 128`` is a parameter).
"""

from __future__ import annotations

import os
import re
from typing import Any

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


def is_secret(name: str, value: Any) -> bool:
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


def redact_params(params: dict[str, Any]) -> dict[str, Any]:
    """``params`` with every secret value replaced by :data:`REDACTED`."""
    return {name: REDACTED if is_secret(name, value) else value for name, value in params.items()}


def redact_entry(entry: dict[str, Any], value: Any) -> dict[str, Any]:
    """A data entry of the value ``value``, without the value's text when it is a secret."""
    if "value" in entry and is_secret(str(entry.get("name", "")), value):
        return {**entry, "value": REDACTED}
    return entry
