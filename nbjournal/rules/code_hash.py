"""The hash a cell's code is compared by: the kernel records it, the notebook is checked by it."""

from __future__ import annotations

import hashlib


def code_hash(code: str) -> str:
    """Sixteen hex digits of SHA-256 of the cell's text, trailing blanks ignored (an editor's
    final newline is not an edit)."""
    return hashlib.sha256(code.rstrip().encode()).hexdigest()[:16]
