"""Numeric bulk samplers shared by the column kinds: quantiles to whole numbers and floats.

Pure numpy over a canonical column's bounds and simplest value; the kinds' ``raw_column``
hooks call them (see :mod:`hypo_contracts._bulk` for the quantile model: ``q`` near 0 gives
values near the simplest one).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # Canonical sits above the kinds, and so above this module
    from .constraints import Canonical

__all__ = ["P_EDGE", "floats", "from_u64", "integers"]

#: Share of bulk cells replaced by an edge value of their column.
P_EDGE = 0.04
_LOG_SPAN = 1e6  # sides wider than this are sampled log-uniformly
_FLOAT_UNBOUNDED = 1e12  # magnitude scale for unbounded float sides


def _offsets(q: np.ndarray, width: float) -> np.ndarray:
    """Distances from the simplest value, increasing with ``q``, within ``[0, width]``
    (a new array)."""
    if width <= _LOG_SPAN:
        return q * width
    out = q * math.log1p(width)
    return np.expm1(out, out=out)


def _sides(n: int, rng: np.random.Generator, up: float, down: float) -> bool | np.ndarray:
    """True where a cell lies below the simplest value (chosen in proportion to log-width);
    a plain bool when every cell lies on the same side (no draw then)."""
    if down <= 0:
        return False
    if up <= 0:
        return True
    lu, ld = math.log1p(min(up, 1e300)), math.log1p(min(down, 1e300))
    if lu == ld:
        return rng.integers(0, 2, size=n, dtype=bool)
    return rng.random(n) < ld / (lu + ld)


def integers(
    c: Canonical, q: np.ndarray, rng: np.random.Generator, log: bool, dtype: np.dtype
) -> np.ndarray:
    """Whole numbers in ``[c.lo, c.hi]`` for quantiles ``q``, as ``dtype``; ``log``: wide
    sides spread log-uniformly."""
    c0 = int(c.simplest)
    up, down = c.hi - c0, c0 - c.lo
    below = _sides(len(q), rng, up, down)
    base = np.uint64(c0 % 2**64)
    if isinstance(below, bool):  # one side only: scalar widths, in-place arithmetic
        side = down if below else up
        if log and side > _LOG_SPAN:
            off = _offsets(q, float(side))
        else:
            off = q * (float(side) + 1.0)
        np.floor(off, out=off)
        np.minimum(off, np.nextafter(2.0**64, 0), out=off)
        whole = off.astype(np.uint64)
        np.minimum(whole, np.uint64(side), out=whole)
        with np.errstate(over="ignore"):
            if below:
                np.subtract(base, whole, out=whole)
            else:
                np.add(whole, base, out=whole)
        return from_u64(whole, dtype)
    width = np.where(below, float(down), float(up))
    if log:
        off = np.where(width > _LOG_SPAN, np.expm1(q * np.log1p(width)), q * (width + 1))
    else:
        off = q * (width + 1)
    off = np.minimum(np.floor(off), np.nextafter(2.0**64, 0)).astype(np.uint64)
    off = np.minimum(off, np.where(below, np.uint64(down), np.uint64(up)))
    with np.errstate(over="ignore"):
        raw = np.where(below, base - off, base + off)
    return from_u64(raw, dtype)


def from_u64(raw: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Whole numbers computed modulo 2**64 as ``dtype`` (unsigned: as they are; signed: read
    as int64 first)."""
    if dtype.kind == "u":
        return raw.astype(dtype, copy=False)
    return raw.view(np.int64).astype(dtype, copy=False)


def floats(c: Canonical, q: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Floats in ``[c.lo, c.hi]`` for quantiles ``q``, as the column's dtype."""
    c0 = float(c.simplest)
    up = c.hi - c0 if math.isfinite(c.hi) else math.inf
    down = c0 - c.lo if math.isfinite(c.lo) else math.inf
    below = _sides(len(q), rng, up, down)
    w_up = _FLOAT_UNBOUNDED if math.isinf(up) else up
    w_down = _FLOAT_UNBOUNDED if math.isinf(down) else down
    if isinstance(below, bool):  # one side only
        out = _offsets(q, w_down if below else w_up)
        if below:
            np.negative(out, out=out)
    elif w_up == w_down:  # symmetric: one pass, then flip the sign of the cells below
        out = _offsets(q, w_up)
        np.copysign(out, 0.5 - below, out=out)
    else:
        out = np.empty(len(q), dtype=np.float64)
        for mask, width, sign in ((below, w_down, -1.0), (~below, w_up, 1.0)):
            if mask.any():
                out[mask] = sign * _offsets(q[mask], width)
    out += c0  # also turns -0.0 into 0.0
    if math.isfinite(c.lo):
        np.maximum(out, c.lo, out=out)
    if math.isfinite(c.hi):
        np.minimum(out, c.hi, out=out)
    return out.astype(c.dtype_name, copy=False)
