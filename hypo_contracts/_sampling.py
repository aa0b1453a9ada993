"""Numeric bulk samplers shared by the column kinds: quantiles to whole numbers and floats.

Pure numpy over a canonical column's bounds and simplest value; the kinds' ``raw_column``
hooks call them (see :mod:`hypo_contracts._bulk` for the quantile model: ``q`` near 0 gives
values near the simplest one).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # Canonical sits above the kinds, and so above this module
    from .constraints import Canonical

__all__ = [
    "FLOAT_UNBOUNDED",
    "LOG_SPAN",
    "P_EDGE",
    "FloatPlan",
    "floats",
    "from_u64",
    "integers",
    "offsets",
    "simplest_between",
]

#: Share of bulk cells replaced by an edge value of their column.
P_EDGE = 0.04
LOG_SPAN = 1e6  # sides wider than this are sampled log-uniformly
FLOAT_UNBOUNDED = 1e12  # magnitude scale for unbounded float sides


def offsets(q: np.ndarray, width: float | np.ndarray) -> np.ndarray:
    """Distances from the simplest value, increasing with ``q``, within ``[0, width]``
    (a new array): linear up to a width of ``LOG_SPAN``, log-uniform beyond. ``width``
    may be an array (one per cell)."""
    if isinstance(width, np.ndarray):  # finite widths: no overflow
        wide = width > LOG_SPAN
        if not wide.any():
            return q * width
        out = q * np.log1p(width)
        np.expm1(out, out=out)
        return out if wide.all() else np.where(wide, out, q * width)
    if width <= LOG_SPAN:
        return q * width
    out = q * math.log1p(width)
    return np.expm1(out, out=out)


def simplest_between(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Per cell, a short number in ``(lo, hi]`` (for ``0 <= lo <= hi``): the smallest
    multiple above ``lo`` of the largest power of ten not wider than the interval, so with
    at most one more significant digit than any number in it; ``hi`` itself where the
    interval is empty or not finite.

    >>> simplest_between(np.array([12.36, 0.0, 3.0]), np.array([12.71, 0.0042, 3.0])).tolist()
    [12.4, 0.001, 3.0]
    """
    out = hi.copy()
    width = hi - lo
    live = (width > _TINY) & (width < math.inf)
    if not live.all():
        if not live.any():
            return out
        lo, hi, width = lo[live], hi[live], width[live]
    np.log10(width, out=width)
    exponent = np.floor(width, out=width).astype(np.int64)
    exponent += _MID  # 10**(exponent - _MID) fits in the interval
    k = _POWERS.take(2 * _MID - exponent)
    np.multiply(k, lo, out=k)
    np.floor(k, out=k)
    k += 1.0
    divide, multiply = _DIVIDE.take(exponent), _MULTIPLY.take(exponent)
    pick = k / divide  # k / 10**3 rather than k * 0.001: it prints short
    pick *= multiply
    on_lo = pick <= lo  # rounding put the pick on lo, itself a multiple: the next one
    if on_lo.any():
        pick[on_lo] = (k[on_lo] + 1.0) / divide[on_lo] * multiply[on_lo]
    # a pick past hi (the power of ten as wide as the interval, rounded up): keep hi
    keep = (pick > lo) & (pick <= hi)
    if live.all():
        np.copyto(out, pick, where=keep)
    else:
        out[live] = np.where(keep, pick, hi)
    return out


_TINY = 1e-300  # narrower intervals (subnormal steps) are left alone
#: Indexed by ``_MID + e``: ``10.0**e`` (correctly rounded), and two tables whose
#: ``k / _DIVIDE * _MULTIPLY`` is ``k * 10**e`` computed exactly where it can be.
_MID = 340
_POWERS = np.array([float(f"1e{e}") for e in range(-_MID, _MID + 1)])
_DIVIDE = np.where(np.arange(-_MID, _MID + 1) < 0, _POWERS[::-1], 1.0)
_MULTIPLY = np.where(np.arange(-_MID, _MID + 1) < 0, 1.0, _POWERS)


def _sides(n: int, rng: np.random.Generator, up: float, down: float) -> bool | np.ndarray:
    """True where a cell lies below the simplest value (:func:`_share_below` of them); a
    plain bool when every cell lies on the same side (no draw then)."""
    share = _share_below(up, down)
    if share in (0.0, 1.0):
        return share == 1.0
    return _draw_sides(rng, n, share)


def _draw_sides(
    rng: np.random.Generator, shape: int | tuple[int, ...], share: float | np.ndarray
) -> np.ndarray:
    """True where a cell lies below the simplest value, for ``share`` of the cells (a float,
    or one per row): random bits when that is one half."""
    if isinstance(share, float) and share == 0.5:
        return rng.integers(0, 2, size=shape, dtype=bool)
    return rng.random(shape) < share


def _share_below(up: float, down: float) -> float:
    """The share of cells below the simplest value, given the widths above and below it: in
    proportion to log-width."""
    if down <= 0:
        return 0.0
    if up <= 0:
        return 1.0
    lu, ld = math.log1p(min(up, 1e300)), math.log1p(min(down, 1e300))
    return ld / (lu + ld)


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
        if log and side > LOG_SPAN:
            off = offsets(q, float(side))
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
        off = np.where(width > LOG_SPAN, np.expm1(q * np.log1p(width)), q * (width + 1))
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
    return _plan_of(c).fill(q[None, :], rng)[0]


@functools.lru_cache(maxsize=1024)
def _plan_of(c: Canonical) -> FloatPlan:
    return FloatPlan([c])


class FloatPlan:
    """How float columns are sampled, several at once (a row of quantiles per column):
    each column's simplest value ``c0``, the widths sampled above and below it (unbounded
    sides: a magnitude scale), the share of cells below it (in proportion to log-width),
    and its bounds. Built once per column list: small frames pay numpy's cost per call, so
    their float columns go through one set of calls; large ones go in chunks of columns of
    about :data:`CHUNK_CELLS` cells, so that the temporaries stay small."""

    def __init__(self, cs: Sequence[Canonical]) -> None:
        self.table = np.array([_float_sides(c) for c in cs], dtype=np.float64).reshape(-1, 6)
        self.is32 = [c.dtype_name == "float32" for c in cs]
        #: per column: a finite bound to clip to
        self.bounded: np.ndarray = np.asarray(np.isfinite(self.table[:, 4:6]).any(axis=1))
        p_down = self.table[:, 3:4]
        self.down = p_down == 1.0  # below the simplest value only
        self.two_sided = (p_down > 0.0) & (p_down < 1.0)
        #: every two-sided column as likely below as above: random bits are enough
        self.halves = bool((p_down[self.two_sided] == 0.5).all())
        #: one width per column (one side, or as wide below as above): none per cell
        w_up, w_down = self.table[:, 1:2], self.table[:, 2:3]
        self.width = None
        if bool((~self.two_sided | (w_up == w_down)).all()):
            self.width = np.where(self.down, w_down, w_up)

    def fill(
        self, q: np.ndarray, rng: np.random.Generator, prev: np.ndarray | None = None
    ) -> list[np.ndarray]:
        """A float array per row of quantiles ``q``; with ``prev`` (quantiles at most
        ``q``'s), each cell the short number (:func:`simplest_between`) between the values
        at the two on the cell's side."""
        k, n = q.shape
        if prev is None or k * n <= CHUNK_CELLS:  # shortening is what needs the chunks
            return self._fill(slice(0, k), q, rng, prev)
        out = [np.empty(n, dtype=np.float32 if f32 else np.float64) for f32 in self.is32]
        span = max(1, CHUNK_CELLS // n)  # columns per chunk, or cells of one column
        step = CHUNK_CELLS if span == 1 else n
        for start in range(0, k, span):
            rows = slice(start, start + span)
            for at in range(0, n, step):
                cells = slice(at, at + step)
                part = prev[rows, cells]
                for r, values in enumerate(self._fill(rows, q[rows, cells], rng, part)):
                    out[start + r][cells] = values
        return out

    def _fill(
        self, rows: slice, q: np.ndarray, rng: np.random.Generator, prev: np.ndarray | None
    ) -> list[np.ndarray]:
        c0, w_up, w_down, p_down, lo, hi = (self.table[rows, k : k + 1] for k in range(6))
        down: np.ndarray = self.down[rows]  # a row per column until sides are drawn
        two = self.two_sided[rows]
        if two.any():
            side = _draw_sides(rng, q.shape, 0.5 if self.halves else p_down)
            down = side if two.all() else (side & two) | down
        width = np.where(down, w_down, w_up) if self.width is None else self.width[rows]
        scalar = float(width[0, 0]) if width.size == 1 else None  # one column: no arrays
        out = offsets(q, width if scalar is None else scalar)
        if prev is not None:
            live = prev < q  # cells whose band is not empty
            if live.any():
                cells = scalar if scalar is not None else np.broadcast_to(width, q.shape)[live]
                out[live] = simplest_between(offsets(prev[live], cells), out[live])
        if down.shape[1] == 1:  # whole columns below the simplest value
            out[down[:, 0]] *= -1.0
        else:
            np.copysign(out, 0.5 - down, out=out)
        out += c0  # also turns -0.0 into 0.0
        bounded: np.ndarray = self.bounded[rows]
        if bounded.any():
            np.clip(out, lo, hi, out=out)
        f32 = self.is32[rows]
        return [r.astype(np.float32) if is32 else r for r, is32 in zip(out, f32, strict=True)]


#: About how many cells :class:`FloatPlan` fills in one set of numpy calls.
CHUNK_CELLS = 2**16


@functools.lru_cache(maxsize=1024)
def _float_sides(c: Canonical) -> tuple[float, float, float, float, float, float]:
    """A float column's row of :class:`FloatPlan`."""
    c0 = float(c.simplest)
    up = c.hi - c0 if math.isfinite(c.hi) else math.inf
    down = c0 - c.lo if math.isfinite(c.lo) else math.inf
    return (
        c0,
        FLOAT_UNBOUNDED if math.isinf(up) else up,
        FLOAT_UNBOUNDED if math.isinf(down) else down,
        _share_below(up, down),
        float(c.lo),
        float(c.hi),
    )
