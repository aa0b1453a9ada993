"""String columns from code points: UTF-8 and Arrow buffers, with no Python ``str`` per cell.

The bulk samplers build strings as a ``uint32`` matrix of code points, one row per cell
padded with zeros, viewed as a numpy ``<U`` array (no copy). :func:`string_array` turns
such an array into the column's pandas array: for Arrow-backed string dtypes (pandas 3's
default ``str``) straight from an offsets and a UTF-8 buffer (:func:`utf8`, vectorised),
otherwise (pandas 2's ``object``, python storage) through ``str`` objects as before.

>>> raw = np.array(["a", "", "déf", "中😀"])
>>> offsets, data = utf8(raw.view(np.uint32).reshape(len(raw), -1))
>>> offsets.tolist(), bytes(data).decode()
([0, 1, 1, 5, 12], 'adéf中😀')
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["arrow_backed", "pick_strings", "string_array", "utf8"]

_SURROGATES = (0xD800, 0xDFFF)  # code points UTF-8 cannot encode (str objects may hold them)


def arrow_backed(dtype: Any) -> bool:
    """Whether ``dtype`` is a pandas string dtype stored in Arrow (``str`` on pandas 3)."""
    return isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"


def utf8(codes: np.ndarray, nulls: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The int64 offsets (``n + 1``) and uint8 UTF-8 bytes of the rows of a ``(n, w)``
    code-point matrix, each row's string ending at its last nonzero code point (as numpy's
    ``<U`` items do); rows where ``nulls`` is True are empty."""
    n, w = codes.shape
    nonzero = codes != 0
    if w == 0 or nonzero.all():
        lengths = np.full(n, w, dtype=np.int64)
        inside = None  # every position of every row
    else:
        last = w - np.argmax(nonzero[:, ::-1], axis=1)
        lengths = np.where(nonzero.any(axis=1), last, 0).astype(np.int64)
        inside = np.arange(w)[None, :] < lengths[:, None]
    if nulls is not None and nulls.any():
        lengths[nulls] = 0
        inside = np.arange(w)[None, :] < lengths[:, None]
    points = codes.reshape(-1) if inside is None else codes[inside]
    if not len(points) or int(points.max()) < 0x80:  # ASCII: one byte per code point
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        return offsets, points.astype(np.uint8)
    size = 1 + (points >= 0x80).astype(np.int64) + (points >= 0x800) + (points >= 0x10000)
    ends = np.cumsum(size)
    starts = ends - size
    data = np.empty(int(ends[-1]) if len(ends) else 0, dtype=np.uint8)
    lead = np.select(
        [size == 1, size == 2, size == 3],
        [points, 0xC0 | (points >> 6), 0xE0 | (points >> 12)],
        0xF0 | (points >> 18),
    )
    data[starts] = lead
    for k in (1, 2, 3):  # continuation bytes: six bits each, most significant first
        more = size > k
        if not more.any():
            break
        shift = 6 * (size[more] - 1 - k)
        data[starts[more] + k] = 0x80 | ((points[more] >> shift.astype(np.uint32)) & 0x3F)
    points_before = np.zeros(n + 1, dtype=np.int64)  # code points before each row
    np.cumsum(lengths, out=points_before[1:])
    bytes_before = np.concatenate([np.zeros(1, dtype=np.int64), ends])
    offsets = bytes_before[points_before]
    return offsets, data


def string_array(raw: np.ndarray, nulls: np.ndarray | None, dtype: Any) -> Any:
    """The pandas array of ``dtype`` (a string dtype) holding ``raw`` (a ``<U`` or object
    array of ``str``) with ``nulls`` missing: built from Arrow buffers when ``dtype`` is
    Arrow-backed and ``raw`` a ``<U`` array, from ``str`` objects otherwise."""
    has_nulls = nulls is not None and bool(nulls.any())
    if raw.dtype.kind == "U" and arrow_backed(dtype):
        codes = raw.view(np.uint32).reshape(len(raw), raw.dtype.itemsize // 4)
        lo, hi = _SURROGATES
        if not codes.size or not ((codes >= lo) & (codes <= hi)).any():
            import pyarrow as pa

            offsets, data = utf8(codes, nulls if has_nulls else None)
            validity = None
            if has_nulls:
                assert nulls is not None
                validity = pa.py_buffer(np.packbits(~nulls, bitorder="little"))
            arr = pa.LargeStringArray.from_buffers(
                len(raw),
                pa.py_buffer(offsets),
                pa.py_buffer(data),
                validity,
                int(nulls.sum()) if has_nulls and nulls is not None else 0,
            )
            return pd.array(arr, dtype=dtype)
    values = raw.astype(object)
    if has_nulls:
        values[nulls] = None
    return pd.array(values, dtype=dtype)


def pick_strings(
    values: tuple[str, ...] | list[str], idx: np.ndarray, nulls: np.ndarray | None, dtype: Any
) -> Any:
    """The Arrow-backed pandas array of ``dtype`` holding ``values[idx]`` (``nulls``
    missing), taken from an Arrow array of the values: no str object per cell."""
    import pyarrow as pa

    mask = nulls if nulls is not None and nulls.any() else None
    indices = pa.array(np.asarray(idx, dtype=np.int64), mask=mask)
    return pd.array(pa.array(list(values), type=pa.large_string()).take(indices), dtype=dtype)
