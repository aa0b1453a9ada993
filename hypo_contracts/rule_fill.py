"""Rules by construction: a pass over a frame's raw columns, in dependency order.

``Contract.example`` and :func:`hypo_contracts.frames` fill every column on its own
(:mod:`hypo_contracts._bulk`), then :func:`apply_rules` derives each rule's column from the
columns it reads, never filtering or resampling:

* **order** (``b.at_least("a", gap=g)``): ``b = max(a + g, b.lo) + offset``, the offset taken
  from ``b``'s own quantile (0 gives ``b == a + g`` where ``b``'s lower bound allows it, so
  shrinking ``b``'s mask makes it equal its reference; the top quantiles reach ``b``'s upper
  bound, which the implied bounds keep above ``a + g``). Where ``a`` is null ``b`` keeps its
  own value.
* **present_when**: the null mask is exactly "the condition column is not in the values".
* **computed**: ``fn`` of the used columns as a frame, cast back to the column and checked
  (:class:`~hypo_contracts.errors.GenerationError` for a result that breaks the column).
* **unique_together**: repeated combinations (after the first, rows with explicit cells first) are
  replaced by the simplest unused ones, enumerating the columns' simplest values as a
  mixed-radix number (the first combination is every column's simplest value).
* **increasing/decreasing**: each group starts at its first row's own value and moves by
  non-negative steps from the column's quantiles, each at most the group's remaining room
  shared out over its remaining rows, so the whole group fits (quantile 0: constant steps).

>>> from hypo_contracts import data_contract, Int64
>>> @data_contract
... class Steps:
...     a = Int64().bounded_between(0, 5)
...     b = Int64().bounded_between(0, 9).at_least("a", gap=2)
>>> df = Steps.example(200, seed=1)
>>> bool((df["b"] >= df["a"] + 2).all())
True
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from . import _bulk
from ._sampling import FLOAT_UNBOUNDED, LOG_SPAN, offsets, simplest_between
from .constraints import Canonical
from .errors import ContractError, GenerationError, InvalidArgument
from .kinds import kind_of
from .rule_values import from_result, series_to_raw
from .rules import Rule

__all__ = [
    "apply_rules",
    "apply_to_row",
    "enforce",
    "example",
    "group_codes",
    "row_limit",
    "rule_rows",
    "writes",
]

_SIGN = np.uint64(2**63)
_MAX_U64_FLOAT = float(np.nextafter(2.0**64, 0))


def example(info: Any, n: int, *, seed: _bulk.Seed = None, overrides: Any = None) -> pd.DataFrame:
    """``Contract.example``: :func:`hypo_contracts._bulk.example` with the contract's rules
    applied (see the module docstring)."""
    rules = tuple(getattr(info, "rules", ()))
    if not rules:
        return _bulk.example(info, n, seed=seed, overrides=overrides)
    limit = row_limit(info.name, list(info.canonical.values()), rules)
    if limit is not None and isinstance(n, (int, np.integer)) and n > limit[0]:
        raise GenerationError(f"{limit[1]}; example({n}) asked for more. Ask for fewer rows.")
    return _bulk.example(
        info, n, seed=seed, post=functools.partial(_post, rules), overrides=overrides
    )


def _post(
    rules: Sequence[Rule],
    cols: Sequence[Canonical],
    raws: list[Any],
    nulls: list[Any],
    qs: list[Any],
) -> None:
    apply_rules(rules, cols, raws, nulls, qs)


def row_limit(
    contract: str, cols: Sequence[Canonical], rules: Sequence[Rule]
) -> tuple[int, str] | None:
    """The most rows the rules allow (and why), or None: ``unique_together`` has as many
    rows as combinations, a ``strictly`` monotone column over the whole frame as values."""
    by_name = {c.name: c for c in cols}
    best: tuple[int, str] | None = None
    for r in rules:
        if any(col not in by_name for col in r.columns):
            continue
        room: int | None = None
        if r.kind == "unique_together":
            if any(by_name[u].unique for u in r.uses):
                continue
            total = 1
            for u in r.uses:
                cap = by_name[u].capacity
                if cap is None:
                    total = -1
                    break
                total *= cap + (1 if by_name[u].nullable else 0)
            room = None if total < 0 else total
        elif r.kind == "monotone" and r.strict and not r.uses:
            c = by_name[r.column or ""]
            room = None if c.capacity is None else c.capacity + (1 if c.nullable else 0)
            if c.nullable:
                room = None  # nulls are skipped: any number of rows fits
        if room is not None and (best is None or room < best[0]):
            best = (room, f"{contract}: {r.text} allows at most {room} rows")
    return best


def rule_rows(
    info: Any, cols: Sequence[Canonical], lo: int, hi: int, default_hi: bool, head: str
) -> int:
    """``frames()``'s largest row count after the rules' :func:`row_limit` (lowered when
    ``hi`` is only the default), or ``InvalidArgument`` when the rows asked for cannot fit."""
    limit = row_limit(info.name, cols, getattr(info, "rules", ()))
    if limit is None:
        return hi
    room, why = limit
    if lo > room:
        raise InvalidArgument(f"{head}{why}, so frames of {lo} rows cannot exist.")
    if hi > room and default_hi:
        return max(lo, room)
    if hi > room:
        raise InvalidArgument(f"{head}max_rows={hi}: {why}. Pass max_rows={room} or fewer.")
    return hi


def apply_rules(
    rules: Sequence[Rule],
    cols: Sequence[Canonical],
    raws: list[Any],
    nulls: list[Any],
    qs: list[Any],
    *,
    fixed: np.ndarray | None = None,
    below: Callable[[int], np.ndarray] | None = None,
) -> None:
    """Apply ``rules`` (in dependency order) to the raw columns ``raws`` (with their null
    masks and quantiles, all indexed like ``cols``) in place. ``fixed`` (a boolean array of
    one row per column, one column per row) marks the cells drawn explicitly: such a cell
    keeps its own value when it already satisfies its rule. ``below(j)``: the lower ends of
    column ``j``'s quantile bands (``frames()``), so that a float a rule derives is the
    shortest number in its band, like the bulk's. Rules naming a column not in ``cols``
    are skipped."""
    index = {c.name: j for j, c in enumerate(cols)}
    for rule in rules:
        if any(col not in index for col in rule.columns):
            continue
        if rule.kind == "unique_together":
            js = [index[u] for u in rule.uses]
            first = None if fixed is None else np.asarray(fixed[js].any(axis=0))
            _unique_together(rule, js, cols, raws, nulls, first)
            continue
        j = index[rule.column or ""]
        c = cols[j]
        if rule.kind == "order":
            k = index[rule.uses[0]]
            keep = None if fixed is None else fixed[j]
            band = None if below is None or c.unique or c.values is not None else below(j)
            raws[j] = _order(rule, c, raws[j], qs[j], raws[k], nulls[k], keep, band)
        elif rule.kind == "present_when":
            k = index[rule.uses[0]]
            inside = _isin(raws[k], rule.values)
            if nulls[k] is not None:
                inside &= ~nulls[k]
            nulls[j] = ~inside
        elif rule.kind == "computed":
            used = [cols[index[u]] for u in rule.uses]
            frame = _bulk.frame_from_values(
                used,
                [
                    _bulk.column_values(u, raws[index[u.name]].copy(), nulls[index[u.name]])
                    for u in used
                ],
            )
            raws[j], nulls[j] = from_result(c, rule, frame)
        elif rule.kind == "monotone":
            groups = [index[u] for u in rule.uses]
            raws[j] = _monotone(
                rule, c, raws[j], nulls[j], qs[j], [(raws[g], nulls[g]) for g in groups]
            )


def writes(rule: Rule) -> tuple[str, ...]:
    """The columns a rule sets (``unique_together``: all of its columns)."""
    return rule.uses if rule.kind == "unique_together" else (rule.column or "",)


def enforce(
    rules: Sequence[Rule],
    cols: Sequence[Canonical],
    df: pd.DataFrame,
    pinned: Iterable[str],
) -> pd.DataFrame:
    """``df`` (columns ``cols``, exact dtypes) with every rule that sets no ``pinned``
    column applied: what patterns do after pinning. A dependent keeps its value where it
    already satisfies its rule, else it takes the simplest value the rule allows.

    >>> import pandas as pd
    >>> from hypo_contracts import data_contract, Int64
    >>> @data_contract
    ... class Pair:
    ...     a = Int64().bounded_between(0, 9)
    ...     b = Int64().bounded_between(0, 9).at_least("a")
    >>> info = Pair.__contract__
    >>> df = pd.DataFrame({"a": [3, 5], "b": [4, 0]})
    >>> enforce(info.rules, list(info.canonical.values()), df, ["a"])["b"].tolist()
    [4, 5]
    """
    fixed_cols = set(pinned)
    todo = [r for r in rules if not set(writes(r)) & fixed_cols]
    if not todo or len(df) == 0:
        return df
    raws: list[Any] = []
    nulls: list[Any] = []
    for c in cols:
        raw, null = series_to_raw(c, df[c.name], f"{c.where}: value", ContractError)
        raws.append(raw)
        nulls.append(null if null is not None else None)
    qs = [np.zeros(len(df)) for _ in cols]
    apply_rules(todo, cols, raws, nulls, qs, fixed=np.ones((len(cols), len(df)), dtype=bool))
    values = [_bulk.column_values(c, r, m) for c, r, m in zip(cols, raws, nulls, strict=True)]
    return _bulk.frame_from_values(cols, values)


def _isin(raw: np.ndarray, values: Sequence[Any]) -> np.ndarray:
    if raw.dtype == object:
        return pd.Series(raw, dtype=object).isin(list(values)).to_numpy(dtype=bool)
    return np.isin(raw, np.array(list(values))) if values else np.zeros(len(raw), dtype=bool)


def apply_to_row(cols: Sequence[Canonical], rules: Sequence[Rule], row: Sequence[Any]) -> list[Any]:
    """One drawn row (raw cells, ``None`` for null) with ``rules`` applied, as ``records()``
    does with the row-wise rules: a dependent keeps its drawn value when that satisfies its
    rule, else it takes the simplest value the rule allows.

    >>> from hypo_contracts import data_contract, Int64
    >>> @data_contract
    ... class Pair:
    ...     a = Int64().bounded_between(0, 9)
    ...     b = Int64().bounded_between(0, 9).greater_than("a")
    >>> info = Pair.__contract__
    >>> [int(v) for v in apply_to_row(list(info.canonical.values()), info.rules, [4, 2])]
    [4, 5]
    """
    if not rules:
        return list(row)
    raws: list[Any] = []
    nulls: list[Any] = []
    for c, v in zip(cols, row, strict=True):
        raw = _bulk.simplest_raw(c, 1)
        if v is not None:
            raw[0] = v
        raws.append(raw)
        nulls.append(np.array([v is None]) if c.nullable else None)
    qs = [np.zeros(1) for _ in cols]
    apply_rules(rules, cols, raws, nulls, qs, fixed=np.ones((len(cols), 1), dtype=bool))
    return [
        None if null is not None and null[0] else raw[0]
        for raw, null in zip(raws, nulls, strict=True)
    ]


# ------------------------------------------------------------------------------------------
# integers in an order-preserving unsigned domain


def _to_u(c: Canonical, a: np.ndarray) -> np.ndarray:
    if c.dtype_name == "uint64":
        return np.asarray(a).astype(np.uint64)
    return np.asarray(a).astype(np.int64).view(np.uint64) ^ _SIGN


def _u(c: Canonical, v: int) -> np.uint64:
    return np.uint64(v if c.dtype_name == "uint64" else v + 2**63)


def _from_u(c: Canonical, u: np.ndarray) -> np.ndarray:
    if c.dtype_name == "uint64":
        return u.astype(np.uint64)
    signed = (u ^ _SIGN).view(np.int64)
    return signed.astype(_bulk.simplest_raw(c, 0).dtype)  # a copy in the raw dtype


def _offsets_u(q: np.ndarray, width: np.ndarray, log: bool) -> np.ndarray:
    """Offsets in ``[0, width]`` growing with ``q`` (0 for ``q == 0``)."""
    w = width.astype(np.float64)
    if log:
        with np.errstate(over="ignore"):
            off = np.where(w > LOG_SPAN, np.expm1(q * np.log1p(w)), q * (w + 1.0))
    else:
        off = q * (w + 1.0)
    np.floor(off, out=off)
    np.minimum(off, _MAX_U64_FLOAT, out=off)
    out = off.astype(np.uint64)
    np.minimum(out, width, out=out)
    return out


def _order(
    rule: Rule,
    c: Canonical,
    raw: np.ndarray,
    q: np.ndarray,
    ref: np.ndarray,
    ref_null: np.ndarray | None,
    fixed: np.ndarray | None,
    band: np.ndarray | None = None,
) -> np.ndarray:
    up = rule.op[0] == ">"
    kind = kind_of(c)
    if not kind.integer_raw:  # floats: the next float for a strict rule, no whole steps
        return _order_float(rule, c, raw, q, ref, ref_null, fixed, up, band)
    g = np.uint64(int(rule.gap) + (1 if rule.strict else 0))
    r, x = _to_u(c, ref), _to_u(c, raw)
    with np.errstate(over="ignore"):
        if up:  # from the reference + gap, or the dependent's own bound when that is higher
            base = np.maximum(r + g, _u(c, c.lo))
            width = _u(c, c.hi) - base
            val = base + _offsets_u(q, width, kind.log_spread)
            ok = x >= base
        else:
            base = np.minimum(r - g, _u(c, c.hi))
            width = base - _u(c, c.lo)
            val = base - _offsets_u(q, width, kind.log_spread)
            ok = x <= base
    keep = np.zeros(len(x), dtype=bool) if fixed is None else fixed & ok
    if ref_null is not None:
        keep |= ref_null
    val = np.where(keep, x, val)
    return _from_u(c, val)


def _order_float(
    rule: Rule,
    c: Canonical,
    raw: np.ndarray,
    q: np.ndarray,
    ref: np.ndarray,
    ref_null: np.ndarray | None,
    fixed: np.ndarray | None,
    up: bool,
    band: np.ndarray | None = None,
) -> np.ndarray:
    sign = 1.0 if up else -1.0
    base = ref.astype(np.float64) + sign * float(rule.gap)
    if rule.strict:
        base = np.nextafter(base, sign * math.inf)
    base = np.maximum(base, c.lo) if up else np.minimum(base, c.hi)  # the dependent's bound
    limit = c.hi if up else c.lo
    width = sign * (limit - base) if math.isfinite(limit) else np.full(len(base), FLOAT_UNBOUNDED)
    width = np.maximum(width, 0.0)
    with np.errstate(over="ignore", invalid="ignore"):
        off = offsets(q, width)
        if band is not None:  # the shortest offset in the cell's band
            off = simplest_between(offsets(band, width), off)
    val = base + sign * off
    if up:
        val = np.maximum(np.minimum(val, c.hi), base)
    else:
        val = np.minimum(np.maximum(val, c.lo), base)
    x = raw.astype(np.float64)
    ok = x >= base if up else x <= base
    keep = np.zeros(len(x), dtype=bool) if fixed is None else fixed & ok
    if ref_null is not None:
        keep |= ref_null
    val = np.where(keep, x, val)
    out = val.astype(c.dtype_name)
    if c.dtype_name == "float32":  # rounding to float32 may cross the reference
        wrong = (out.astype(np.float64) < base) if up else (out.astype(np.float64) > base)
        wrong &= ~keep
        if wrong.any():
            out[wrong] = np.nextafter(out[wrong], np.float32(sign * math.inf))
    return out


# ------------------------------------------------------------------------------------------
# unique_together


def group_codes(arrays: Sequence[np.ndarray], nulls: Sequence[np.ndarray | None]) -> np.ndarray:
    """One int64 code per row, equal exactly where every array (and null mask) is equal
    (null cells count as one value), without pandas frames: factorize each array, combine
    the codes as mixed-radix numbers, refactorize."""
    n = len(arrays[0]) if arrays else 0
    combined = np.zeros(n, dtype=np.int64)
    bound = 1  # combined < bound
    for arr, null in zip(arrays, nulls, strict=True):
        codes, uniques = pd.factorize(arr)
        radix = len(uniques) + 1
        codes = codes.astype(np.int64, copy=False)
        if null is not None:
            codes[null] = radix - 1
        if bound * radix >= 2**62:  # compact before the codes could overflow
            combined = pd.factorize(combined)[0].astype(np.int64)
            bound = n + 1
        combined = combined * radix + codes
        bound *= radix
    return combined


def _unique_together(
    rule: Rule,
    js: list[int],
    cols: Sequence[Canonical],
    raws: list[Any],
    nulls: list[Any],
    fixed: np.ndarray | None,
) -> None:
    if any(cols[j].unique for j in js):
        return  # one unique column makes the combination unique
    n = len(raws[js[0]])
    if n < 2:
        return
    for j in js:  # a null's raw value is arbitrary: make it one value
        if nulls[j] is not None and nulls[j].any():
            raws[j] = raws[j].copy()
            raws[j][nulls[j]] = _bulk.simplest_raw(cols[j], 1)[0]
    codes = group_codes([raws[j] for j in js], [nulls[j] for j in js])
    if fixed is None:
        order = np.arange(n)
    else:
        order = np.concatenate([np.flatnonzero(fixed), np.flatnonzero(~fixed)])
    _, first = np.unique(codes[order], return_index=True)
    dup_sorted = np.ones(n, dtype=bool)
    dup_sorted[first] = False
    dup = np.zeros(n, dtype=bool)
    dup[order] = dup_sorted
    need = int(dup.sum())
    if need == 0:
        return
    kept = np.flatnonzero(~dup)
    count = need + len(kept)
    lists = []
    for j in js:
        cap = cols[j].capacity
        lists.append(_bulk.enumerate_simplest(cols[j], count if cap is None else min(cap, count)))
    total = math.prod(len(v) for v in lists)
    if total < n:
        raise GenerationError(
            f"{cols[js[0]].contract}: {rule.text} has only {total} combinations for {n} rows; "
            "ask for fewer rows or widen the columns."
        )
    k_all = np.arange(min(count, total), dtype=np.int64)
    cand: list[np.ndarray] = [np.empty(0)] * len(js)
    stride = 1
    for k in range(len(js) - 1, -1, -1):  # the last column counts fastest
        m = len(lists[k])
        digits = (k_all // stride) % m if stride <= count else np.zeros_like(k_all)
        cand[k] = np.array(lists[k], dtype=raws[js[k]].dtype)[digits]
        stride *= m
    both = group_codes(
        [np.concatenate([raws[j][kept], cand[k]]) for k, j in enumerate(js)],
        [
            None
            if nulls[j] is None
            else np.concatenate([nulls[j][kept], np.zeros(len(k_all), bool)])
            for j in js
        ],
    )
    fresh = ~np.isin(both[len(kept) :], both[: len(kept)])
    chosen = np.flatnonzero(fresh)[:need]
    rows = np.flatnonzero(dup)
    for k, j in enumerate(js):
        raws[j] = raws[j].copy()
        raws[j][rows] = cand[k][chosen]
        if nulls[j] is not None:
            nulls[j] = nulls[j].copy()
            nulls[j][rows] = False


# ------------------------------------------------------------------------------------------
# increasing / decreasing


def _monotone(
    rule: Rule,
    c: Canonical,
    raw: np.ndarray,
    null: np.ndarray | None,
    q: np.ndarray,
    groups: list[tuple[np.ndarray, np.ndarray | None]],
) -> np.ndarray:
    n = len(raw)
    rows = np.arange(n) if null is None else np.flatnonzero(~null)
    if len(rows) < 2:
        return raw
    if groups:
        codes = group_codes(
            [g[rows] for g, _ in groups], [None if gn is None else gn[rows] for _, gn in groups]
        )
    else:
        codes = np.zeros(len(rows), dtype=np.int64)
    order = np.argsort(codes, kind="stable")
    r, cg = rows[order], codes[order]
    first = np.r_[True, cg[1:] != cg[:-1]]
    first_at = np.maximum.accumulate(np.where(first, np.arange(len(r)), 0))
    pos = np.arange(len(r)) - first_at
    sizes = np.bincount(cg)[cg]
    s = 1 if rule.strict else 0
    down = rule.op == "decreasing"
    out = raw.copy()
    if not kind_of(c).integer_raw:
        out[r] = _monotone_float(rule, c, raw[r], q[r], first, first_at, pos, sizes, down)
        return out
    span = int(c.hi) - int(c.lo)
    longest = int(sizes.max())
    if s and longest - 1 > span:
        raise GenerationError(
            f"{c.where}: {rule.text} needs {longest} distinct values in one group but the "
            f"column has {span + 1}; ask for fewer rows or widen the column."
        )
    with np.errstate(over="ignore"):
        u = _to_u(c, raw[r]) - _u(c, c.lo)  # offsets from the lower bound
        if down:
            u = np.uint64(span) - u
        need = (sizes - 1).astype(np.uint64) * np.uint64(s)
        start = np.minimum(u[first_at], np.uint64(span) - need)
        room = np.uint64(span) - start - need
        share = room.astype(np.float64) / np.maximum(sizes - 1, 1)
        steps = np.floor(q[r] * share)
        np.minimum(steps, _MAX_U64_FLOAT, out=steps)
        st = steps.astype(np.uint64)
        st[first] = 0
        cs = np.cumsum(st, dtype=np.uint64)
        cum = np.minimum(cs - cs[first_at], room)
        val = start + np.uint64(s) * pos.astype(np.uint64) + cum
        if down:
            val = np.uint64(span) - val
        out[r] = _from_u(c, val + _u(c, c.lo))
    return out


def _monotone_float(
    rule: Rule,
    c: Canonical,
    x: np.ndarray,
    q: np.ndarray,
    first: np.ndarray,
    first_at: np.ndarray,
    pos: np.ndarray,
    sizes: np.ndarray,
    down: bool,
) -> np.ndarray:
    sign = -1.0 if down else 1.0
    v = sign * x.astype(np.float64)
    limit = -c.lo if down else c.hi
    start = v[first_at]
    upper = np.full(len(v), limit) if math.isfinite(limit) else start + FLOAT_UNBOUNDED
    if rule.strict:  # keep a few floats per row free at the top for steps that round to 0
        gaps = np.spacing(np.abs(upper).astype(c.dtype_name)).astype(np.float64)
        upper = upper - 4.0 * gaps * (sizes - 1)
        start = np.minimum(start, upper)
    room = np.maximum(upper - start, 0.0)
    share = room / np.maximum(sizes - 1, 1)
    steps = q * share
    steps[first] = 0.0
    cs = np.cumsum(steps)
    val = np.minimum(start + (cs - cs[first_at]), upper)
    out = (sign * val).astype(c.dtype_name)
    if rule.strict:  # steps that rounded to nothing: one float further, in order
        toward = out.dtype.type(-math.inf if down else math.inf)
        tied = (pos[1:] > 0) & ((out[1:] >= out[:-1]) if down else (out[1:] <= out[:-1]))
        start_at = int(np.flatnonzero(tied)[0]) + 1 if tied.any() else len(out)
        for i in range(start_at, len(out)):
            if pos[i] and (out[i] >= out[i - 1] if down else out[i] <= out[i - 1]):
                out[i] = np.nextafter(out[i - 1], toward)
                if not c.lo <= float(out[i]) <= c.hi:
                    raise GenerationError(
                        f"{c.where}: {rule.text} ran out of room in a group of "
                        f"{int(sizes[i])} rows; widen the column or ask for fewer rows."
                    )
    return out
