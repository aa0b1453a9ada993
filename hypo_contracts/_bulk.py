"""Vectorised column filling with numpy's ``Generator``: the bulk of every frame.

Every cell is driven by a *quantile* ``q`` in [0, 1): ``q`` near 0 gives values near the
column's simplest value (0 clamped into range, the first accepted value, the shortest
string), larger ``q`` values further away. ``Contract.example`` draws ``q`` uniformly;
:func:`hypo_contracts.frames` derives it from Hypothesis-drawn bytes so that Hypothesis can
shrink bulk cells towards the simplest value (see docs/design.md).

A few cells get edge values (bounds, zero, the empty string, infinities when allowed) and
optional columns get nulls, so large frames keep the cases that break pipelines.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ._permute import keys_for, permute
from ._regex import INDEX_LIMIT as _INDEXABLE
from .arguments import unique_room
from .constraints import ALPHABET, Canonical
from .errors import ContractError, InvalidArgument
from .kinds import kind_of
from .narrowing import narrow_columns
from .weights import pick_weighted

#: Share of bulk cells replaced by an edge value of their column.
P_EDGE = 0.04
#: Share of cells that are null in optional columns.
P_NULL = 0.05
_ALPHABET_CODES = np.array([ord(ch) for ch in ALPHABET], dtype=np.uint32)
_LOG_SPAN = 1e6  # sides wider than this are sampled log-uniformly
_FLOAT_UNBOUNDED = 1e12  # magnitude scale for unbounded float sides


# ------------------------------------------------------------------------------------------
# one column from quantiles


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


def _integers(c: Canonical, q: np.ndarray, rng: np.random.Generator, log: bool) -> np.ndarray:
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
        return _from_u64(whole, c)
    width = np.where(below, float(down), float(up))
    if log:
        off = np.where(width > _LOG_SPAN, np.expm1(q * np.log1p(width)), q * (width + 1))
    else:
        off = q * (width + 1)
    off = np.minimum(np.floor(off), np.nextafter(2.0**64, 0)).astype(np.uint64)
    off = np.minimum(off, np.where(below, np.uint64(down), np.uint64(up)))
    with np.errstate(over="ignore"):
        raw = np.where(below, base - off, base + off)
    return _from_u64(raw, c)


def _from_u64(raw: np.ndarray, c: Canonical) -> np.ndarray:
    if c.kind == "int" and c.dtype_name.startswith("u"):
        return raw.astype(c.dtype_name, copy=False)
    signed = raw.view(np.int64)
    return signed.astype(c.dtype_name, copy=False) if c.kind == "int" else signed


def _floats(c: Canonical, q: np.ndarray, rng: np.random.Generator) -> np.ndarray:
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


def _strings(c: Canonical, q: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    n, cap = len(q), c.length_cap
    lengths = c.min_len + np.floor(q * (cap - c.min_len + 1)).astype(np.int64)
    np.minimum(lengths, cap, out=lengths)
    if cap == 0:
        return np.full(n, "", dtype=object)
    codes = _ALPHABET_CODES[rng.integers(0, len(ALPHABET), size=(n, cap))]
    codes[np.arange(cap)[None, :] >= lengths[:, None]] = 0
    return codes.view(f"<U{cap}").reshape(n).astype(object)


def _pick(values: Sequence[Any], q: np.ndarray) -> np.ndarray:
    idx = np.minimum((q * len(values)).astype(np.int64), len(values) - 1)
    return idx


def edge_values(c: Canonical) -> list[Any]:
    """Boundary and special values of a column, in the raw representation of its kind."""
    if c.values is not None:
        return [0, len(c.values) - 1]  # indices
    if c.kind == "bool":
        return [False, True]
    if kind_of(c).integer_raw:
        i0 = int(c.simplest)
        return sorted({c.lo, c.hi, i0, min(i0 + 1, c.hi), max(i0 - 1, c.lo)})
    if c.kind == "float":
        c0 = float(c.simplest)
        info = np.finfo(c.dtype_name)
        cand = [c.lo, c.hi, c0, -c0, 1.0, -1.0, 0.5, 1e-300, -1e-300, 5e-324, 1e300, -1e300]
        cand += [float(info.max), -float(info.max), float(info.tiny)]
        top = float(info.max)
        vals = [v for v in cand if c.lo <= v <= c.hi and abs(v) <= top]
        if c.allow_inf:
            vals += [v for v in (math.inf, -math.inf) if c.lo <= v <= c.hi]
        return sorted(set(vals))
    if c.kind == "string":
        if c.regex is not None:
            return []
        return [ALPHABET[0] * c.min_len, ALPHABET[-1] * c.length_cap]
    return []  # pragma: no cover


def raw_column(c: Canonical, q: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Raw values for quantiles ``q``: indices for value lists, ints (ns / days) for
    timestamps and dates, numbers, bools or str objects otherwise."""
    n = len(q)
    if c.weights is not None:
        return pick_weighted(c.weights, q)
    if c.values is not None:
        return _pick(c.values, q)
    if c.kind == "bool":
        return q >= 0.5
    kind = kind_of(c)
    if kind.integer_raw:
        return _integers(c, q, rng, log=kind.log_spread)
    if c.kind == "float":
        return _floats(c, q, rng)
    if c.kind == "string":
        if c.regex_language is not None:
            if n == 0:
                return np.empty(0, dtype=object)
            try:  # unique: n distinct matches, simpler ones where q is small
                return c.regex_language.from_quantiles(q, rng, c.unique)
            except ContractError as exc:
                raise ContractError(f"{c.where}: {exc}") from None
        return _strings(c, q, rng)
    raise AssertionError(c.kind)  # pragma: no cover


def simplest_raw(c: Canonical, n: int) -> np.ndarray:
    """``n`` copies of the simplest value, raw."""
    if c.values is not None:
        return np.zeros(n, dtype=np.int64)
    if c.kind == "bool":
        return np.zeros(n, dtype=bool)
    if c.kind == "int":
        return np.full(n, c.simplest, dtype=c.dtype_name)
    if kind_of(c).integer_raw:  # ns, days, decimal units
        return np.full(n, c.simplest, dtype=np.int64)
    if c.kind == "float":
        return np.full(n, c.simplest, dtype=c.dtype_name)
    return np.full(n, c.simplest, dtype=object)


def fill(c: Canonical, q: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Raw values for quantiles ``q``: the top :data:`P_EDGE` of the quantiles are the
    column's edge values, ordered by distance from the simplest value; below that,
    :func:`raw_column` spread over ``[0, 1)``. Each cell's value moves towards the simplest
    one as its quantile falls (the frames' shrinking relies on it). Weighted value lists
    have no edge values: every quantile goes through the weights, so that the values come
    out with the declared frequencies."""
    if c.weights is not None:
        return raw_column(c, q, rng)
    top = q >= 1.0 - P_EDGE
    raw = raw_column(c, np.minimum(q / (1.0 - P_EDGE), _BELOW_ONE), rng)
    if top.any():
        edges = _edge_array(c, raw.dtype)
        if len(edges):
            k = ((q[top] - (1.0 - P_EDGE)) * (len(edges) / P_EDGE)).astype(np.int64)
            raw[top] = edges[np.minimum(k, len(edges) - 1)]
    return raw


_BELOW_ONE = np.nextafter(1.0, 0.0)


@functools.lru_cache(maxsize=1024)
def _edge_array(c: Canonical, dtype: np.dtype) -> np.ndarray:
    """:func:`edge_values` as an array of ``dtype``, nearest the simplest value first,
    computed once per column (read only)."""
    values = edge_values(c)
    if c.values is None and (c.kind == "float" or kind_of(c).integer_raw):
        c0 = c.simplest
        values = sorted(values, key=lambda v: (abs(v - c0), v))
    elif c.kind == "string" and c.values is None:
        values = sorted(values, key=lambda v: (len(v), v))
    out = np.array(values, dtype=dtype)
    out.flags.writeable = False
    return out


def draw_nulls(
    c: Canonical, n: int, rng: np.random.Generator, where: np.ndarray | None
) -> np.ndarray | None:
    if not c.nullable:
        return None
    nulls = rng.random(n) < P_NULL
    if where is not None:
        nulls &= where
    return nulls


# ------------------------------------------------------------------------------------------
# uniqueness


def enumerate_simplest(c: Canonical, count: int, avoid: frozenset[Any] = frozenset()) -> list[Any]:
    """The ``count`` simplest distinct raw values of ``c``, simplest first (regex columns:
    the simplest match, then sampled ones, none of them in ``avoid``)."""
    if count <= 0:
        return []
    if c.values is not None:
        return list(range(min(count, len(c.values))))
    if c.kind == "bool":
        return [False, True][:count]
    if kind_of(c).integer_raw:
        c0 = int(c.simplest)
        ups = range(c0, min(c.hi, c0 + count - 1) + 1)
        downs = range(c0 - 1, max(c.lo, c0 - count) - 1, -1)
        return (list(ups) + list(downs))[:count]
    if c.kind == "float":
        f0 = float(c.simplest)
        t = np.dtype(c.dtype_name).type
        steps = np.arange(count, dtype=np.float64)
        above, below = f0 + steps, f0 - steps[1:]
        stepped = np.concatenate([above[above <= c.hi], below[below >= c.lo]])
        cast = stepped.astype(t).astype(np.float64)  # whole steps as the column stores them
        _, first = np.unique(cast, return_index=True)
        if len(first) >= count:  # enough whole steps: no walk over representable floats
            return cast[np.sort(first)][:count].tolist()
        vals = stepped.tolist()
        seen = {float(t(v)) for v in vals}
        up = down = t(f0)
        while len(seen) < count and (up < c.hi or down > c.lo):  # walk representable floats
            for side, limit, toward in (("up", c.hi, math.inf), ("down", c.lo, -math.inf)):
                x = up if side == "up" else down
                if x != limit and len(seen) < count:
                    x = np.nextafter(x, t(toward))
                    seen.add(float(x))
                    if side == "up":
                        up = x
                    else:
                        down = x
        ordered = list(dict.fromkeys(float(t(v)) for v in vals)) + sorted(
            seen - {float(t(v)) for v in vals}, key=lambda v: abs(v - f0)
        )
        return ordered[:count]
    if c.kind == "string":
        if c.regex_language is not None:  # simplest first (then sampled ones if uncountable)
            return c.regex_language.first(count, avoid)
        out: list[Any] = []
        base = len(ALPHABET)
        for length in range(c.min_len, c.length_cap + 1):
            need = count - len(out)
            if need <= 0:
                break
            total = base**length
            k = np.arange(min(need, total), dtype=np.int64)
            if length == 0:
                out.append("")
                continue
            digits = (k[:, None] // (base ** np.arange(length - 1, -1, -1, dtype=np.int64))) % base
            codes = _ALPHABET_CODES[digits]
            out.extend(codes.view(f"<U{length}").reshape(len(k)).tolist())
        return out[:count]
    raise AssertionError(c.kind)  # pragma: no cover


def make_unique(c: Canonical, raw: np.ndarray, nulls: np.ndarray | None, order: np.ndarray) -> None:
    """Replace repeated values in place, keeping the first occurrence in ``order`` (a
    permutation of row numbers, highest priority first). Replacements are the simplest
    values not yet used, in row order. At most one null survives; with one row more than
    the column has distinct values, the lowest-priority repeat becomes that null."""
    n = len(raw)
    if n == 0:
        return
    ordered = pd.Series(raw[order], dtype=object if raw.dtype == object else raw.dtype)
    dup_sorted = ordered.duplicated(keep="first").to_numpy()
    dup = np.zeros(n, dtype=bool)
    dup[order] = dup_sorted
    if nulls is not None:
        null_rows = order[nulls[order]]
        dup[null_rows[1:]] = True  # extra nulls become values
        dup[null_rows[:1]] = False
        nulls[null_rows[1:]] = False
        taken_mask = ~dup & ~nulls
    else:
        taken_mask = ~dup
    need = int(dup.sum())
    if need == 0:
        return
    if nulls is not None and not nulls.any() and c.capacity is not None and n > c.capacity:
        # one more row than distinct values: the lowest-priority repeat becomes the null
        last = order[dup[order]][-1]
        dup[last], nulls[last] = False, True
        need -= 1
        if need == 0:
            return
    taken = set(raw[taken_mask].tolist())
    fresh: list[Any] = []
    if c.regex is not None and c.values is None:  # sampled matches: draw only what is missing
        pool = enumerate_simplest(c, need, avoid=frozenset(taken))
    else:
        pool = enumerate_simplest(c, need + len(taken))
    for v in pool:
        if v not in taken:
            fresh.append(v)
            if len(fresh) == need:
                break
    if len(fresh) < need:
        raise ContractError(
            f"{c.where}: is_unique() needs {n} distinct values but the column only has "
            f"{len(fresh) + len(taken)}; ask for fewer rows or widen the column."
        )
    raw[np.flatnonzero(dup)] = np.array(fresh, dtype=raw.dtype)


def permuted_unique(c: Canonical, q: np.ndarray, keys: list[int]) -> np.ndarray | None:
    """Distinct raw values for a unique integer, timestamp, date, timedelta or countable
    regex column by row index, with no repair: row ``i`` holds ``lo + p(i)`` (the ``p(i)``-th
    match for regexes), ``p`` the seeded bijection of the column's values keyed by ``keys``
    (:mod:`hypo_contracts._permute`), so values spread over the whole range. For numbers, the
    first row of each edge value's quantile band (as :func:`fill` has them) gets that edge
    value, swapped with the row that held it. None for other columns and when the rows
    outnumber the values (then :func:`make_unique` places the one null and the error)."""
    n = len(q)
    if c.values is not None or c.weights is not None or n == 0:
        return None
    if c.kind == "string" and c.regex_language is not None:
        lang = c.regex_language
        if lang.products is None or lang.size is None or not n <= lang.size < _INDEXABLE:
            return None
        ks = permute(np.arange(n, dtype=np.uint64), lang.size, keys)
        return lang.nth(ks.view(np.int64))
    if c.kind not in ("int", "timestamp", "date", "timedelta"):
        return None
    lo, size = int(c.lo), int(c.hi) - int(c.lo) + 1
    if n > size:
        return None
    ks = permute(np.arange(n, dtype=np.uint64), size, keys)
    top = np.flatnonzero(q >= 1.0 - P_EDGE)
    if len(top):
        c0 = int(c.simplest)
        edges = sorted(edge_values(c), key=lambda v: (abs(v - c0), v))
        band = ((q[top] - (1.0 - P_EDGE)) * (len(edges) / P_EDGE)).astype(np.int64)
        bands, first = np.unique(np.minimum(band, len(edges) - 1), return_index=True)
        for b, row in zip(bands.tolist(), top[first].tolist(), strict=True):
            k = np.uint64(int(edges[b]) - lo)
            held = np.flatnonzero(ks == k)
            if len(held):
                ks[held[0]] = ks[row]
            ks[row] = k
    with np.errstate(over="ignore"):
        ks += np.uint64(lo % 2**64)
    return _from_u64(ks, c)


def one_null(nulls: np.ndarray | None) -> None:
    """Keep only the first null of a unique column's mask (in place)."""
    if nulls is not None:
        nulls[np.flatnonzero(nulls)[1:]] = False


# ------------------------------------------------------------------------------------------
# to pandas


def to_series(c: Canonical, raw: np.ndarray, nulls: np.ndarray | None, name: str) -> pd.Series:
    """Turn raw values into a column of the contract's exact dtype."""
    own = kind_of(c).series(c, raw, nulls, name)
    if own is not None:
        return own
    has_nulls = nulls is not None and bool(nulls.any())
    if c.kind == "category":
        codes = raw.astype(np.int64)
        if nulls is not None and has_nulls:
            codes = np.where(nulls, -1, codes)
        return pd.Series(pd.Categorical.from_codes(codes, dtype=c.dtype), name=name)
    if c.values is not None:
        raw = np.array(c.values, dtype=object if c.kind == "string" else c.dtype_name)[raw]
    if c.kind in ("timestamp", "date"):
        unit = raw.astype(np.int64) * (86_400 * 10**9 if c.kind == "date" else 1)
        arr = unit.view("datetime64[ns]")
        if has_nulls:
            arr = arr.copy()
            arr[nulls] = np.datetime64("NaT", "ns")
        values = pd.DatetimeIndex(arr)
        if c.tz:
            values = values.tz_localize("UTC").tz_convert(c.tz)
        return pd.Series(values, name=name)
    if c.kind == "timedelta":
        durations = raw.astype(np.int64).view("timedelta64[ns]")
        if has_nulls:
            durations[nulls] = np.timedelta64("NaT", "ns")
        return pd.Series(durations, name=name)
    if c.kind == "float":
        if has_nulls:
            raw = raw.copy()
            raw[nulls] = np.nan
        return pd.Series(raw, name=name, dtype=c.dtype)
    if c.kind in ("int", "bool") and c.nullable:
        arr = pd.array(raw, dtype=c.dtype)
        if has_nulls:
            arr[nulls] = pd.NA
        return pd.Series(arr, name=name)
    if c.kind == "string":
        if has_nulls:
            raw = raw.astype(object)
            raw[nulls] = None
        return pd.Series(raw, name=name, dtype=c.dtype)
    return pd.Series(raw, name=name, dtype=c.dtype)


def assemble(columns: Sequence[Canonical], data: dict[str, pd.Series]) -> pd.DataFrame:
    """A frame from named columns, in ``columns`` order (see :func:`frame_from_values`)."""
    return frame_from_values(columns, [data[c.name] for c in columns])


def column_values(c: Canonical, raw: np.ndarray, nulls: np.ndarray | None) -> Any:
    """Like :func:`to_series`, but the bare array (numpy or pandas extension array) for
    ``pd.DataFrame({...}, copy=False)``, which skips per-column Series and index alignment.
    ``raw`` must be a fresh array the caller gives up: numeric columns reuse it."""
    numeric = c.kind == "float" or (c.kind in ("int", "bool") and not c.nullable)
    if c.values is None and numeric and isinstance(c.dtype, np.dtype):  # not a narrowed Int64
        if nulls is not None and c.kind == "float" and nulls.any():
            raw[nulls] = np.nan
        return raw.astype(c.dtype, copy=False)
    s = to_series(c, raw, nulls, c.name)
    return s.array if isinstance(s.dtype, pd.api.extensions.ExtensionDtype) else s.to_numpy()


def frame_from_values(columns: Sequence[Canonical], values: Sequence[Any]) -> pd.DataFrame:
    """A frame from :func:`column_values` arrays, in ``columns`` order, with a RangeIndex."""
    return pd.DataFrame({c.name: v for c, v in zip(columns, values, strict=True)}, copy=False)


# ------------------------------------------------------------------------------------------
# Contract.example


Seed = int | np.random.Generator | np.random.SeedSequence | None


#: ``post(columns, raws, nulls, quantiles)``: a pass over the raw columns before they become
#: a frame, changing them in place (``hypo_contracts.rule_fill`` applies rules with it).
PostPass = Callable[[Sequence[Canonical], list[Any], list[Any], list[Any]], None]


def example(
    info: Any, n: int, *, seed: Seed = None, post: PostPass | None = None, overrides: Any = None
) -> pd.DataFrame:
    """``n`` rows of ``info``'s contract, vectorised; deterministic for a given ``seed``: an
    int >= 0, a ``numpy.random.SeedSequence`` (the same one always gives the same frame) or
    a ``numpy.random.Generator`` (drawn from, so successive calls give new frames, and a
    generator seeded alike gives the same ones). ``post`` sees every raw column, null mask
    and quantile array before the frame is assembled."""
    name = getattr(info, "name", "Contract")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise InvalidArgument(
            f"example({name}, ...): n={n!r} must be a whole number of rows (an int >= 0)."
        )
    if isinstance(seed, np.random.SeedSequence):  # a copy: spawning changes the original
        root = np.random.SeedSequence(
            seed.entropy, spawn_key=seed.spawn_key, pool_size=seed.pool_size
        )
    elif isinstance(seed, np.random.Generator):
        root = np.random.SeedSequence(seed.integers(0, 2**63, size=4).tolist())
    elif seed is None or (
        isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0
    ):
        root = np.random.SeedSequence(None if seed is None else int(seed))
    else:
        raise InvalidArgument(
            f"example({name}, ...): seed={seed!r} must be an int >= 0, a "
            "numpy.random.Generator or SeedSequence (or None for a fresh frame each call)."
        )
    n = int(n)
    raws: list[Any] = []
    masks: list[Any] = []
    quantiles: list[Any] = []
    columns = narrow_columns(info, list(info.canonical.values()), overrides, "example()")
    for c, child in zip(columns, root.spawn(len(columns)), strict=True):
        room = unique_room(c, n)
        if room is not None and n > room:
            nulls_too = " and one null" if c.nullable else ""
            raise InvalidArgument(
                f"example({name}, ...): {c.where} is unique with only {room} possible values "
                f"({c.capacity} distinct value{'s' if c.capacity != 1 else ''}{nulls_too}), so "
                f"n={n} rows cannot exist. Ask for at most {room} rows or widen the column."
            )
        rng = np.random.default_rng(child)
        q = rng.random(n)
        raw = permuted_unique(c, q, keys_for(child)) if c.unique else None
        if raw is not None:
            nulls = draw_nulls(c, n, rng, None)
            one_null(nulls)
        else:
            raw = fill(c, q, rng)
            nulls = draw_nulls(c, n, rng, None)
            if c.unique:
                make_unique(c, raw, nulls, np.arange(n))
        raws.append(raw)
        masks.append(nulls)
        quantiles.append(q)
    if post is not None:
        post(columns, raws, masks, quantiles)
    values = [column_values(c, r, m) for c, r, m in zip(columns, raws, masks, strict=True)]
    return frame_from_values(columns, values)
