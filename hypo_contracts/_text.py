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

import math
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["arrow_backed", "pick_strings", "spell", "string_array", "utf8"]

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


def spell(
    tables: list[list[np.ndarray]],
    pidx: np.ndarray,
    local: np.ndarray,
    rng: np.random.Generator | None = None,
    lead: list[int] | None = None,
) -> np.ndarray:
    """Strings as a ``<U`` array, row ``i`` spelling offset ``local[i]`` into product
    ``pidx[i]``: ``tables[p][j]`` holds the code points position ``j`` of product ``p`` may
    take, and the offset is a mixed-radix number over them, last position least significant.
    With ``lead``, ``local`` only covers each product's first ``lead[p]`` positions and
    ``rng`` draws the others.

    >>> digits = np.arange(48, 58, dtype=np.uint32)
    >>> spell([[np.array([65], dtype=np.uint32), digits, digits]], np.zeros(3, int),
    ...       np.array([0, 7, 42])).tolist()
    ['A00', 'A07', 'A42']
    """
    n, many = len(pidx), len(tables) > 1
    width = max(1, max((len(p) for p in tables), default=0))
    out = np.zeros((width, n), dtype=np.uint32)  # a row per position: contiguous writes
    if many:  # the rows of each product, by one sort
        order = np.argsort(pidx, kind="stable")
        bounds = np.searchsorted(pidx[order], np.arange(len(tables) + 1))
    for p, product in enumerate(tables):
        rows = order[bounds[p] : bounds[p + 1]] if many else None
        if rows is not None and not len(rows):
            continue
        rest = local if rows is None else local[rows]
        stop = len(product) if lead is None else lead[p]
        if math.prod(len(table) for table in product[:stop]) <= 2**32:  # faster division
            rest = rest.astype(np.uint32)
        block = out if rows is None else np.zeros((width, len(rows)), dtype=np.uint32)
        for j in range(len(product) - 1, -1, -1):
            table = product[j]
            if len(table) == 1:  # a literal: no digit
                block[j] = table[0]
            elif j >= stop:
                assert rng is not None
                block[j] = table[rng.integers(0, len(table), size=len(rest))]
            else:
                radix = rest.dtype.type(len(table))
                quotient = rest // radix
                np.take(table, rest - quotient * radix, out=block[j])
                rest = quotient
        if rows is not None:
            out[:, rows] = block
    return np.ascontiguousarray(out.T).view(f"<U{width}").reshape(n)
