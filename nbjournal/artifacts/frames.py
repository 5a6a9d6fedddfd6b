"""pandas frames and series as ``.npy`` columns: data that loads without running code.

A pickled frame runs whatever its bytes name when loaded; a frame of numbers,
booleans, dates and text needs none of that. The blob is a small JSON header
(labels, dtypes, where each column's bytes are) followed by each column as an
``.npy`` array written and read with ``allow_pickle=False``; text columns are
JSON lists. A frame with anything else (categoricals, objects of other types, a
``MultiIndex``) or one that does not come back equal is :class:`NotFrame`, and
the caller stores it another way.
"""

from __future__ import annotations

import io
import json
import struct
from typing import TYPE_CHECKING, Any

from .plain import NotPlain, _from, _to

if TYPE_CHECKING:
    import pandas as pd

MAGIC = b"NBJFRAME1\n"
_NPY_KINDS = "biufcmM"
_TEXT_DTYPES = ("str", "string", "object")


class NotFrame(ValueError):
    """A frame these columns cannot hold exactly."""


def encode_frame(value: pd.DataFrame | pd.Series) -> bytes:
    import pandas as pd

    series = isinstance(value, pd.Series)
    frame = value.to_frame() if series else value
    if type(frame) is not pd.DataFrame or not frame.columns.is_unique:
        raise NotFrame("not a plain DataFrame")
    chunks: list[bytes] = []
    header: dict[str, Any] = {
        "series": series,
        "name": _label(value.name) if series else None,
        "range": _range(frame.index),
        "index": None if _range(frame.index) else _column(frame.index.to_series(), chunks),
        "index_name": _label(frame.index.name),
        "columns": [[_label(c), _column(frame[c], chunks)] for c in frame.columns],
        "columns_name": _label(frame.columns.name),
    }
    head = json.dumps(header, separators=(",", ":")).encode()
    data = MAGIC + struct.pack("<Q", len(head)) + head + b"".join(chunks)
    back = decode_frame(data)
    if not _same(value, back):
        raise NotFrame("it does not come back equal")
    return data


def decode_frame(data: bytes) -> pd.DataFrame | pd.Series:
    import pandas as pd

    if not data.startswith(MAGIC):
        raise ValueError("not an nbjournal frame")
    start = len(MAGIC) + 8
    (length,) = struct.unpack("<Q", data[len(MAGIC) : start])
    header = json.loads(data[start : start + length])
    body = memoryview(data)[start + length :]
    name = _from(header["index_name"])
    if header["range"] is not None:
        index: Any = pd.RangeIndex(*header["range"], name=name)
    else:
        values, dtype = _read(header["index"], body)
        index = pd.Index(values, dtype=dtype, name=name)
    columns = {}
    for label, spec in header["columns"]:
        values, dtype = _read(spec, body)
        columns[_from(label)] = pd.Series(values, dtype=dtype, index=index, copy=False)
    frame = pd.DataFrame(columns, index=index)
    if not columns:
        frame = pd.DataFrame(index=index)
    frame.columns.name = _from(header["columns_name"])
    if header["series"]:
        series = frame.iloc[:, 0]
        series.name = _from(header["name"])
        return series
    return frame


def _label(label: object) -> object:
    try:
        return _to(label, 0)
    except NotPlain:
        raise NotFrame("a label that is not a plain value") from None


def _range(index: pd.Index) -> list[int] | None:
    import pandas as pd

    if type(index) is pd.RangeIndex:
        return [index.start, index.stop, index.step]
    return None


def _column(column: pd.Series, chunks: list[bytes]) -> dict[str, object]:
    import numpy

    dtype = column.dtype
    if isinstance(dtype, numpy.dtype) and dtype.kind in _NPY_KINDS:
        buffer = io.BytesIO()
        numpy.lib.format.write_array(buffer, column.to_numpy(), allow_pickle=False)
        chunks.append(buffer.getvalue())
        return {"npy": len(chunks[-1]), "at": sum(len(c) for c in chunks[:-1])}
    if str(dtype) in _TEXT_DTYPES:
        values = column.tolist()
        if all(v is None or type(v) is str or v != v for v in values):
            text = [v if type(v) is str else None for v in values]
            missing = [i for i, v in enumerate(values) if v is not None and type(v) is not str]
            return {"text": text, "nan": missing, "dtype": str(dtype)}
    raise NotFrame(f"a column of {dtype}")


def _read(spec: dict[str, Any], body: memoryview) -> tuple[object, object]:
    """A column's values and the dtype to give them (``None``: the array's own)."""
    import numpy

    if "npy" in spec:
        at, size = int(spec["at"]), int(spec["npy"])
        array = numpy.lib.format.read_array(io.BytesIO(body[at : at + size]), allow_pickle=False)
        return array, None
    if spec.get("dtype") not in _TEXT_DTYPES:
        raise ValueError(f"unknown column dtype {spec.get('dtype')!r}")
    values: list[Any] = list(spec["text"])
    for i in spec["nan"]:
        values[i] = float("nan")
    return values, spec["dtype"]


def _same(value: pd.DataFrame | pd.Series, back: pd.DataFrame | pd.Series) -> bool:
    import pandas as pd

    if type(value) is not type(back) or not value.equals(back):
        return False
    if not (type(value.index) is type(back.index) and value.index.equals(back.index)):
        return False
    if value.index.dtype != back.index.dtype or value.index.name != back.index.name:
        return False
    if isinstance(value, pd.Series):
        return bool(value.dtype == back.dtype and value.name == back.name)
    return bool(
        list(value.columns) == list(back.columns)
        and (value.dtypes == back.dtypes).all()
        and value.columns.name == back.columns.name
        and value.columns.dtype == back.columns.dtype
    )
