"""The float kinds (``Float32``, ``Float64``): raw values are the floats; bounds may be
infinite."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from .._sampling import FloatPlan, floats
from ..bounds import Clash, float32_inwards, float_bound, in_float32, is_number
from ..shrink_steps import Attempt, shrink_float
from .base import BadValue, Kind, check_range

if TYPE_CHECKING:
    from ..constraints import Canonical


def float_ordinal(x: float, dtype_name: str) -> int:
    """Position of ``x`` among the representable floats of its width (monotone)."""
    wide = dtype_name != "float32"
    bits = int(np.array(x, dtype=dtype_name).view("i8" if wide else "i4"))
    return bits if bits >= 0 else -(bits & ((2**63 if wide else 2**31) - 1))


def _from_ordinal(ordinals: np.ndarray, dtype_name: str) -> np.ndarray:
    """The floats at ``ordinals`` (:func:`float_ordinal`'s inverse; 0 is +0.0), as float64."""
    wide = dtype_name != "float32"
    sign = np.int64(-(2**63)) if wide else np.int64(-(2**31))
    bits = np.where(ordinals >= 0, ordinals, (-ordinals) | sign)
    if wide:
        return bits.view(np.float64)
    return bits.astype(np.int32).view(np.float32).astype(np.float64)


def _walk(f0: Any, c: Canonical, count: int) -> np.ndarray:
    """The representable floats next to ``f0`` (of the column's width), one up then one
    down in turn, each side stopping at its bound: the order in which a walk with
    ``nextafter`` meets them, at most ``count`` on each side."""
    o0 = float_ordinal(float(f0), c.dtype_name)
    ups = min(count, max(0, float_ordinal(c.hi, c.dtype_name) - o0))
    downs = min(count, max(0, o0 - float_ordinal(c.lo, c.dtype_name)))
    up = _from_ordinal(o0 + np.arange(1, ups + 1, dtype=np.int64), c.dtype_name)
    down = _from_ordinal(o0 - np.arange(1, downs + 1, dtype=np.int64), c.dtype_name)
    both = min(ups, downs)
    out = np.empty(ups + downs, dtype=np.float64)
    out[0 : 2 * both : 2], out[1 : 2 * both : 2] = up[:both], down[:both]
    out[2 * both :] = up[both:] if ups > both else down[both:]
    return out


class FloatKind(Kind):
    name = "float"

    def simplest(self, c: Canonical) -> Any:
        return float(min(max(0.0, c.lo), c.hi))

    def capacity(self, c: Canonical) -> int | None:
        if math.isinf(c.lo) or math.isinf(c.hi):
            return None
        return float_ordinal(c.hi, c.dtype_name) - float_ordinal(c.lo, c.dtype_name) + 1

    def dtype_range(self, c: Canonical) -> tuple[Any, Any] | None:
        return -math.inf, math.inf

    def has_bounds(self, c: Canonical) -> tuple[bool, bool]:
        return math.isfinite(c.lo), math.isfinite(c.hi)

    def cast(self, c: Canonical, v: Any, lookup: dict[Any, int] | None) -> Any:
        if not is_number(v):
            raise BadValue(f"is not a number (the column is {c.dtype_name})")
        try:
            with np.errstate(over="ignore"):
                fv = float(np.dtype(c.dtype_name).type(v))
        except OverflowError:
            fv = math.inf if v > 0 else -math.inf
        if math.isinf(fv) and not (isinstance(v, (float, np.floating)) and math.isinf(v)):
            raise BadValue(f"overflows {c.dtype_name} to {fv}")
        if math.isinf(fv) and not c.allow_inf:
            raise BadValue("is infinite, but the column does not declare allow_infinity()")
        check_range(c, fv)
        return fv

    def cell(self, c: Canonical) -> st.SearchStrategy[Any]:
        return st.floats(
            min_value=c.lo if math.isfinite(c.lo) else None,
            max_value=c.hi if math.isfinite(c.hi) else None,
            allow_nan=False,
            allow_infinity=c.allow_inf,
            width=32 if c.dtype_name == "float32" else 64,
        )

    # -- canonicalisation (constraints, bounds, narrowing) --

    def bound(self, c: Canonical, value: Any, text: str, clash: Clash, upper: bool) -> Any:
        return float_bound(value, text, clash, upper)

    def check_bound(self, c: Canonical, v: Any, text: str, clash: Clash) -> None:
        in_float32(v, text, c.dtype_name, clash)

    def settle_bounds(
        self, c: Canonical, lo: Any, hi: Any, texts: tuple[str | None, str | None], clash: Clash
    ) -> tuple[Any, Any]:
        if c.dtype_name != "float32":
            return lo, hi
        lo32, hi32 = float32_inwards(lo, hi)
        if lo <= hi and lo32 > hi32:
            raise clash.fail(
                f"{' and '.join(dict.fromkeys(t for t in texts if t))}: no float32 lies in "
                f"[{lo!r}, {hi!r}] (the nearest are {float(np.float32(lo))!r} and "
                f"{float(np.float32(hi))!r}). Widen the bounds or use Float64."
            )
        return lo32, hi32

    # -- bulk sampling and columns (_bulk, _regex) --

    def raw_dtype(self, c: Canonical) -> np.dtype[Any]:
        return np.dtype(c.dtype_name)

    def raw_column(self, c: Canonical, q: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        return floats(c, q, rng)

    fills_columns = True

    def columns_plan(self, cs: Sequence[Canonical]) -> Any:
        return FloatPlan(cs)

    def fill_columns(
        self, plan: Any, q: np.ndarray, rng: np.random.Generator, prev: np.ndarray | None
    ) -> list[np.ndarray]:
        return plan.fill(q, rng, prev)

    def edge_values(self, c: Canonical) -> list[Any]:
        c0 = float(c.simplest)
        info = np.finfo(c.dtype_name)
        cand = [c.lo, c.hi, c0, -c0, 1.0, -1.0, 0.5, 1e-300, -1e-300, 5e-324, 1e300, -1e300]
        cand += [float(info.max), -float(info.max), float(info.tiny)]
        top = float(info.max)
        vals = [v for v in cand if c.lo <= v <= c.hi and abs(v) <= top]
        if c.allow_inf:
            vals += [v for v in (math.inf, -math.inf) if c.lo <= v <= c.hi]
        return sorted(set(vals))

    def enumerate_simplest(self, c: Canonical, count: int, avoid: frozenset[Any]) -> list[Any]:
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
        for x in _walk(t(f0), c, count).tolist():  # the representable floats, up and down
            if len(seen) >= count:
                break
            seen.add(x)
        ordered = list(dict.fromkeys(float(t(v)) for v in vals)) + sorted(
            seen - {float(t(v)) for v in vals}, key=lambda v: abs(v - f0)
        )
        return ordered[:count]

    def series(
        self, c: Canonical, raw: np.ndarray, nulls: np.ndarray | None, name: str
    ) -> pd.Series:
        raw = self.lookup(c, raw)
        if nulls is not None and nulls.any():
            raw = raw.copy()
            raw[nulls] = np.nan
        return pd.Series(raw, name=name, dtype=c.dtype)

    def bulk_array(self, c: Canonical, raw: np.ndarray, nulls: np.ndarray | None) -> Any:
        if c.values is None and isinstance(c.dtype, np.dtype) and nulls is not None:
            if nulls.any():
                raw[nulls] = np.nan
        return self.numeric_array(c, raw)

    # -- validation and coercion (values, interop, coercion) --

    array_checked = True

    def array_nulls(self, c: Canonical, arr: np.ndarray) -> np.ndarray:
        return np.isnan(arr)

    def array_breaks(self, c: Canonical, present: np.ndarray) -> bool:
        return super().array_breaks(c, present) or (
            not c.allow_inf and bool(np.isinf(present).any())
        )

    def pandera_checks(self, c: Canonical, check: Any) -> list[Any]:
        checks = super().pandera_checks(c, check)
        if not c.allow_inf:
            checks.append(check(lambda s: s.abs() < np.inf, name="finite"))
        return checks

    # -- cross-column rules (rules, rule_values, rule_fill) --

    ordered = True

    def rule_value(self, c: Canonical, value: Any) -> Any:
        return float(value)

    def rule_gap(self, c: Canonical, gap: Any) -> Any:
        return float(self._number_gap(c, gap))

    def rule_shift(self, c: Canonical, value: Any, gap: Any, strict: bool, up: bool) -> Any:
        # a strict rule steps to the next float; float32 columns round inwards to a float32
        out = value + float(gap) if up else value - float(gap)
        if strict:
            out = float(np.nextafter(out, math.inf if up else -math.inf))
        if c.dtype_name == "float32" and math.isfinite(out):
            out32 = float(np.float32(out))
            if (out32 < out) if up else (out32 > out):
                out32 = float(
                    np.nextafter(np.float32(out32), np.float32(math.inf if up else -math.inf))
                )
            out = out32
        return out

    def raw_of_result(
        self, c: Canonical, result: Any, n: int
    ) -> tuple[np.ndarray, np.ndarray | None] | None:
        # numeric results checked with numpy alone; None (the general path, for its
        # messages) for a wrong length, non-numeric values or a value that breaks the column
        try:
            if isinstance(result, np.ndarray):
                arr = np.asarray(result, dtype=np.float64)
            else:  # a Series
                arr = result.to_numpy(dtype=np.float64, na_value=np.nan)
        except (TypeError, ValueError):
            return None
        if arr.shape != (n,):
            return None
        null = np.isnan(arr)
        has_null = bool(null.any())
        with np.errstate(invalid="ignore"):
            ok = (arr >= c.lo) & (arr <= c.hi) | null
        if (has_null and not c.nullable) or not ok.all():
            return None
        if not c.allow_inf and np.isinf(arr).any():
            return None
        out = arr.astype(c.dtype_name)  # a copy
        if has_null:
            out[null] = 0.0
        return out, (null if c.nullable else None)

    def raw_fault(self, c: Canonical, raw: Any, null: np.ndarray) -> tuple[Any, str] | None:
        fault = super().raw_fault(c, raw, null)
        if fault is None and not c.allow_inf and np.isinf(raw[~null]).any():
            return np.isinf(raw) & ~null, "is infinite (declare allow_infinity())"
        return fault

    # -- shrinking and sklearn (shrink_models, sklearn) --

    numeric_target = True
    threshold_probe = True

    def shrink_value(
        self, c: Canonical, value: Any, simplest: Any, dtype: Any, attempt: Attempt, step_ns: int
    ) -> None:
        shrink_float(value, simplest, dtype, attempt)

    def probe_threshold(self, c: Canonical, sample: pd.Series) -> tuple[Any, str]:
        threshold = sample.median()
        return threshold, f"{threshold:.6g}"

    # -- source text and formats (source, odcs_doc, formats, engines) --

    def declaration_name(self, c: Canonical) -> str:
        return "Float32" if c.dtype_name == "float32" else "Float64"

    def bound_source(self, c: Canonical, value: Any) -> str:
        return repr(float(value))

    def gap_source(self, c: Canonical, gap: Any) -> str:
        return repr(float(gap))
