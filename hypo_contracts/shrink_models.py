"""Value models for :func:`hypo_contracts.shrinking.shrink`: what "simplest" means for each
column, the simplest column as a whole, and the per-cell value shrinkers (integers by binary
search, floats to fewer digits, strings to prefixes, timestamps and timedeltas to the coarsest
whole unit that still fails)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from . import _bulk
from .constraints import NS_PER_DAY, Canonical
from .kinds import kind_of
from .values import BadValue, cast_value, is_null

__all__ = [
    "Model",
    "column_model",
    "same_value",
    "shrink_cell",
    "simple_column",
    "simplest_of",
]

# days, hours, minutes, seconds, then milli-, micro- and nanoseconds
_NS_UNITS = (NS_PER_DAY, 3_600 * 10**9, 60 * 10**9, 10**9, 10**6, 10**3, 1)
_MAX_VALUE_TRIES = 32  # earlier categories / accepted values tried per cell

# ------------------------------------------------------------------------------------------
# column models: what "simplest" means for each column


@dataclass(frozen=True)
class Model:
    """How one column shrinks: its kind, the contract's column (if any), whether it may be
    dropped, its values in order of simplicity, its time zone and its time unit."""

    kind: str  # bool int float complex string values timestamp timedelta decimal object opaque
    canonical: Canonical | None = None
    droppable: bool = True
    values: tuple[Any, ...] | None = None
    tz: Any = None
    unit_ns: int = 1


def column_model(s: pd.Series, c: Canonical | None, droppable: bool) -> Model:
    """The model of column ``s``: from the contract's column ``c`` when given, else from the
    dtype."""
    dtype = s.dtype
    unit = _unit_ns(dtype)
    if c is not None:
        if c.values is not None:
            return Model("values", c, droppable, values=c.values)
        if c.kind in ("timestamp", "date"):  # dates: whole days only
            step = max(unit, NS_PER_DAY) if c.kind == "date" else unit
            return Model("timestamp", c, droppable, tz=c.tz, unit_ns=step)
        return Model(c.kind, c, droppable)
    if isinstance(dtype, pd.CategoricalDtype):
        return Model("values", None, droppable, values=tuple(dtype.categories))
    if pd.api.types.is_bool_dtype(dtype):
        return Model("bool", None, droppable)
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return Model("timestamp", None, droppable, tz=getattr(dtype, "tz", None), unit_ns=unit)
    if pd.api.types.is_timedelta64_dtype(dtype):
        return Model("timedelta", None, droppable, unit_ns=unit)
    if pd.api.types.is_integer_dtype(dtype):
        return Model("int", None, droppable)
    if pd.api.types.is_float_dtype(dtype):
        return Model("float", None, droppable)
    if pd.api.types.is_complex_dtype(dtype):
        return Model("complex", None, droppable)
    if dtype == np.dtype(object):
        return Model("object", None, droppable)
    if pd.api.types.is_string_dtype(dtype):
        return Model("string", None, droppable)
    return Model("opaque", None, droppable)


def _unit_name(dtype: Any) -> str | None:
    """``"us"`` for ``datetime64[us]``, ``datetime64[us, UTC]`` or ``timedelta64[us]``."""
    unit = getattr(dtype, "unit", None)
    if unit is None and isinstance(dtype, np.dtype) and dtype.kind in "mM":
        unit = np.datetime_data(dtype)[0]
    return None if unit is None else str(unit)


def _unit_ns(dtype: Any) -> int:
    return {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}.get(str(_unit_name(dtype)), 1)


def _ts(ns: int, tz: Any) -> pd.Timestamp:
    ts = pd.Timestamp(int(ns), unit="ns")
    return ts.tz_localize("UTC").tz_convert(tz) if tz is not None else ts


def simplest_of(model: Model, value: Any = None) -> Any:
    """The simplest non-null value of a column (for ``object`` columns: of ``value``'s type);
    ``None`` when there is none."""
    c = model.canonical
    if c is not None:  # the raw simplest value as the pandas scalar of its kind
        return c.simplest if c.values is not None else kind_of(c).pandas_value(c, c.simplest)
    kind = model.kind if model.kind != "object" else _py_kind(value)
    if kind == "values":
        return model.values[0] if model.values else None
    return {
        "bool": False,
        "int": 0,
        "float": 0.0,
        "complex": 0j,
        "string": "",
        "timestamp": _ts(0, model.tz),
        "timedelta": pd.Timedelta(0),
    }.get(kind)


def _py_kind(value: Any) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    if isinstance(value, (int, np.integer)):
        return "int"
    if isinstance(value, (float, np.floating)):
        return "float"
    if isinstance(value, str):
        return "string"
    return "opaque"


def same_value(a: Any, b: Any) -> bool:
    """``a == b``, False when the comparison raises or is ambiguous."""
    try:
        return bool(a == b)
    except Exception:
        return False


def simple_column(model: Model, s: pd.Series, distinct: bool) -> pd.Series | None:
    """``s`` with every value simplest (``distinct``: the simplest distinct values), same
    index and dtype; ``None`` when that cannot be built."""
    n = len(s)
    c = model.canonical
    try:
        if c is not None:
            if distinct or c.unique:
                # the simplest value first: enumerate_simplest draws regex matches at random
                first = _bulk.simplest_raw(c, 1)
                found = _day_steps(c, n) if c.kind == "timestamp" else []
                if len(found) < n:
                    found = list(dict.fromkeys([first[0], *_bulk.enumerate_simplest(c, n)]))[:n]
                if len(found) < n:
                    return None
                raw = np.array(found, dtype=first.dtype)
            else:
                raw = _bulk.simplest_raw(c, n)
            out = _bulk.to_series(c, raw, None, "")
        else:
            values = _plain_simple_values(model, s, distinct)
            if values is None:
                return None
            out = pd.Series(values, dtype=s.dtype)
        out = out.set_axis(s.index)
        if out.dtype != s.dtype:
            out = out.astype(s.dtype)
    except (TypeError, ValueError, OverflowError):
        return None
    if distinct and (out.isna().any() or out.duplicated().any()):
        return None
    return out


def _day_steps(c: Canonical, n: int) -> list[int]:
    """The ``n`` distinct timestamps (raw nanoseconds) closest to the simplest one in whole
    days, the simplest first, within the column's bounds; fewer when the range is short."""
    c0 = int(c.simplest)
    ups = [c0 + k * NS_PER_DAY for k in range(n) if c0 + k * NS_PER_DAY <= c.hi]
    downs = [c0 - k * NS_PER_DAY for k in range(1, n) if c0 - k * NS_PER_DAY >= c.lo]
    return (ups + downs)[:n]


def _plain_simple_values(model: Model, s: pd.Series, distinct: bool) -> list[Any] | None:
    n = len(s)
    kind = model.kind
    if kind == "object":
        if distinct:
            return None
        return [v if is_null(v) else simplest_of(model, v) for v in s.tolist()]
    if kind in ("opaque", "complex") and distinct:
        return None
    if not distinct:
        value = simplest_of(model)
        return None if value is None else [value] * n
    if kind == "bool":
        return [False, True] if n == 2 else None
    if kind == "int":
        return list(range(n))
    if kind == "float":
        return [float(i) for i in range(n)]
    if kind == "string":
        fake = Canonical(contract="frame", name=str(s.name), kind="string", dtype_name="str")
        return list(_bulk.enumerate_simplest(fake, n))
    if kind == "values":
        return list(model.values[:n]) if model.values and len(model.values) >= n else None
    if kind == "timestamp":
        return [_ts(i * NS_PER_DAY, model.tz) for i in range(n)]
    if kind == "timedelta":
        return [pd.Timedelta(seconds=i) for i in range(n)]
    return None


# ------------------------------------------------------------------------------------------
# value shrinkers: each calls ``attempt(candidate)`` (True when the candidate still fails and
# was accepted) from the simplest candidate upwards.

Attempt = Callable[[Any], bool]


def _int_search(v: int, c0: int, attempt: Attempt, cast: Callable[[int], Any] = int) -> None:
    """Binary search for the integer closest to ``c0`` that still fails, between ``c0``
    (assumed to pass) and ``v`` (known to fail); ``cast`` turns it into the candidate."""
    sign = 1 if v >= c0 else -1
    lo, hi = 0, abs(v - c0)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if attempt(cast(c0 + sign * mid)):
            hi = mid
        else:
            lo = mid


def _shrink_int(v: int, c0: int, attempt: Attempt) -> None:
    if attempt(c0):
        return
    _int_search(v, c0, attempt)


def _shrink_float(v: float, c0: float, attempt: Attempt, cast: Callable[[float], float]) -> None:
    if attempt(c0) or not math.isfinite(v):
        return
    if abs(v) >= 2.0**53:  # huge: the smallest power of ten (in magnitude) that still fails
        sign = 1.0 if v > 0 else -1.0
        top = math.floor(math.log10(abs(v)))
        if not attempt(cast(sign * 10.0**top)):
            return
        lo, hi = -1, top
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if attempt(cast(sign * 10.0**mid)):
                hi = mid
            else:
                lo = mid
        v = cast(sign * 10.0**hi)
    if v != math.trunc(v):
        tried: list[float] = []
        for raw in [float(math.trunc(v))] + [round(v, k) for k in range(17)]:
            cand = cast(raw)
            if cand == v or cand in tried or not math.isfinite(cand):
                continue
            tried.append(cand)
            if attempt(cand):
                v = cand
                break
    if v == math.trunc(v) and c0 == math.trunc(c0) and abs(v - c0) >= 2:
        _int_search(int(v), int(c0), attempt, cast=lambda i: cast(float(i)))


def _shrink_string(v: str, c0: str, attempt: Attempt) -> None:
    if not attempt(c0):  # else the shortest prefix that still fails
        _int_search(len(v), 0, attempt, cast=lambda k: v[:k])


def _shrink_ns(v: int, c0: int, attempt: Attempt, unit_ns: int) -> None:
    """Timestamps and timedeltas as integer nanoseconds, in the coarsest whole unit that still
    fails: the value closest to ``c0`` that is ``c0`` plus whole days, if one fails; else
    whole hours, minutes, seconds, then milli-, micro- and nanoseconds (none finer than
    ``unit_ns``, the column's unit). ``v`` itself is known to fail."""
    if attempt(c0):
        return
    sign, d = (1 if v >= c0 else -1), abs(v - c0)
    for unit in _NS_UNITS:
        if unit < unit_ns:
            return
        hi_k = d // unit  # c0 + hi_k units: the farthest candidate on this unit's grid
        if hi_k == 0 or (hi_k * unit != d and not attempt(c0 + sign * hi_k * unit)):
            continue  # no whole number of these units fails: try a finer one
        lo_k = 0  # c0 passes
        while hi_k - lo_k > 1:
            mid = (lo_k + hi_k) // 2
            if attempt(c0 + sign * mid * unit):
                hi_k = mid
            else:
                lo_k = mid
        return


def shrink_cell(model: Model, value: Any, dtype: Any, attempt: Attempt) -> None:
    """Shrink one cell (or a group of equal cells) holding ``value`` in a column of ``dtype``:
    call ``attempt(candidate)`` from the simplest candidate upwards; ``attempt`` returns True
    when the candidate still fails and was accepted."""
    c0 = simplest_of(model, value)
    if c0 is None or (not is_null(value) and same_value(value, c0)):
        return
    if is_null(value):
        attempt(c0)
        return
    kind = model.kind if model.kind != "object" else _py_kind(value)
    if kind == "bool":
        attempt(c0)
    elif kind == "int":
        _shrink_int(int(value), int(c0), attempt)
    elif kind == "float":
        np_type = dtype.type if isinstance(dtype, np.dtype) and dtype.kind == "f" else float

        def cast(x: float) -> float:
            return float(np_type(x))

        _shrink_float(float(value), cast(float(c0)), attempt, cast)
    elif kind == "string":
        _shrink_string(str(value), str(c0), attempt)
    elif kind == "values" and model.values is not None:
        try:
            idx = model.values.index(value)
        except ValueError:
            return
        for cand in model.values[: min(idx, _MAX_VALUE_TRIES)]:
            if attempt(cand):
                return
    elif kind == "timestamp":  # candidates in the column's own time zone and unit
        tz = dtype.tz if isinstance(dtype, pd.DatetimeTZDtype) else model.tz
        unit: Any = _unit_name(dtype) if getattr(dtype, "kind", "") == "M" else None

        def attempt_ts(ns: int) -> bool:
            ts = _ts(ns, tz)
            if unit is not None:
                try:
                    ts = ts.as_unit(unit, round_ok=False)
                except ValueError:  # not a value of this column
                    return False
            return attempt(ts)

        _shrink_ns(int(pd.Timestamp(value).value), int(c0.value), attempt_ts, model.unit_ns)
    elif kind == "timedelta":

        def attempt_td(ns: int) -> bool:
            return attempt(pd.Timedelta(int(ns), unit="ns"))

        _shrink_ns(int(pd.Timedelta(value).value), 0, attempt_td, model.unit_ns)
    elif kind == "decimal" and model.canonical is not None:  # on the grid of the scale
        c = model.canonical
        try:
            units = cast_value(c, value)
        except BadValue:  # not a value of this column: only the simplest one is tried
            attempt(c0)
            return
        if not attempt(c0):
            decimals = kind_of(c)
            _int_search(units, int(c.simplest), attempt, lambda u: decimals.pandas_value(c, u))
    elif kind == "complex":
        attempt(c0)
