"""Plain values as JSON: numbers, text, lists, tuples, dicts, sets and numpy scalars.

A journal shared by a team is read by everyone, so what a cell bound must come
back without running anyone's code: JSON cannot. The encoding is exact (types
are kept: a tuple comes back a tuple, ``np.float64`` stays one, ``nan`` and
``-0.0`` survive); a value with anything else inside is not plain and is left
to the other codecs.
"""

from __future__ import annotations

import base64
import json
import sys

_MAX_DEPTH = 64


class NotPlain(ValueError):
    """The value holds something JSON cannot give back exactly."""


def encode_plain(value: object) -> bytes:
    """``value`` as JSON bytes; :class:`NotPlain` when it is not a plain value."""
    return json.dumps(_to(value, 0), separators=(",", ":"), allow_nan=True).encode()


def decode_plain(data: bytes) -> object:
    return _from(json.loads(data))


def _to(value: object, depth: int) -> object:
    if depth > _MAX_DEPTH:
        raise NotPlain("nested too deeply")
    kind = type(value)
    if value is None or kind in (bool, int, float, str):
        return value
    if type(value) is list:
        return [_to(v, depth + 1) for v in value]
    if type(value) is tuple:
        return {"t": [_to(v, depth + 1) for v in value]}
    if type(value) is dict:
        return {"d": [[_to(k, depth + 1), _to(v, depth + 1)] for k, v in value.items()]}
    if type(value) is set or type(value) is frozenset:
        tag = "s" if kind is set else "f"
        return {tag: [_to(v, depth + 1) for v in value]}
    if type(value) is bytes:
        return {"b": base64.b64encode(value).decode()}
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(value, numpy.generic) and value.dtype.kind in "biuf":
        return {"n": [value.dtype.str, value.item()]}
    raise NotPlain(f"a {kind.__name__} is not a plain value")


def _from(node: object) -> object:
    if isinstance(node, list):
        return [_from(v) for v in node]
    if not isinstance(node, dict):
        return node
    (tag, body), *_ = node.items()
    if tag == "t":
        return tuple(_from(v) for v in body)
    if tag == "d":
        return {_from(k): _from(v) for k, v in body}
    if tag == "s":
        return {_from(v) for v in body}
    if tag == "f":
        return frozenset(_from(v) for v in body)
    if tag == "b":
        return base64.b64decode(body)
    if tag == "n":
        import numpy

        dtype = numpy.dtype(body[0])
        if dtype.kind not in "biuf":
            raise ValueError(f"not a numeric dtype: {body[0]!r}")
        return dtype.type(body[1])
    raise ValueError(f"unknown tag {tag!r}")
