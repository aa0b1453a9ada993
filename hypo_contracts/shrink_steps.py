"""The per-value searches of :func:`hypo_contracts.shrinking.shrink`: integers by binary
search, floats to fewer digits, strings to prefixes, timestamps and timedeltas to the coarsest
whole unit that still fails.

Each calls ``attempt(candidate)`` (True when the candidate still fails and was accepted) from
the simplest candidate upwards. They sit below the column kinds, so that each kind's
``shrink_value`` hook picks its search here, and :mod:`hypo_contracts.shrink_models` uses the
same ones for frame columns without a contract.

>>> tried = []
>>> shrink_int(100, 0, lambda v: tried.append(v) or v >= 37)
>>> tried
[0, 50, 25, 37, 31, 34, 35, 36]
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from .times import NS_PER_DAY, timestamp_from_ns

__all__ = [
    "Attempt",
    "int_search",
    "shrink_float",
    "shrink_int",
    "shrink_ns",
    "shrink_string",
    "shrink_timedelta",
    "shrink_timestamp",
    "unit_name",
]

Attempt = Callable[[Any], bool]

# days, hours, minutes, seconds, then milli-, micro- and nanoseconds
_NS_UNITS = (NS_PER_DAY, 3_600 * 10**9, 60 * 10**9, 10**9, 10**6, 10**3, 1)


def unit_name(dtype: Any) -> str | None:
    """``"us"`` for ``datetime64[us]``, ``datetime64[us, UTC]`` or ``timedelta64[us]``."""
    unit = getattr(dtype, "unit", None)
    if unit is None and isinstance(dtype, np.dtype) and dtype.kind in "mM":
        unit = np.datetime_data(dtype)[0]
    return None if unit is None else str(unit)


def int_search(v: int, c0: int, attempt: Attempt, cast: Callable[[int], Any] = int) -> None:
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


def shrink_int(v: int, c0: int, attempt: Attempt) -> None:
    """``c0``, else the integer closest to it that still fails."""
    if attempt(c0):
        return
    int_search(v, c0, attempt)


def _float_search(v: float, c0: float, attempt: Attempt, cast: Callable[[float], float]) -> None:
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
        int_search(int(v), int(c0), attempt, cast=lambda i: cast(float(i)))


def shrink_float(value: Any, c0: Any, dtype: Any, attempt: Attempt) -> None:
    """``c0``, else fewer digits (a whole number, then rounded), then the whole number
    closest to ``c0``; candidates as floats of the column's width (``dtype``)."""
    np_type = dtype.type if isinstance(dtype, np.dtype) and dtype.kind == "f" else float

    def cast(x: float) -> float:
        return float(np_type(x))

    _float_search(float(value), cast(float(c0)), attempt, cast)


def shrink_string(v: str, c0: str, attempt: Attempt) -> None:
    """``c0``, else the shortest prefix of ``v`` that still fails."""
    if not attempt(c0):
        int_search(len(v), 0, attempt, cast=lambda k: v[:k])


def shrink_ns(v: int, c0: int, attempt: Attempt, unit_ns: int) -> None:
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


def shrink_timestamp(
    value: Any, c0: pd.Timestamp, dtype: Any, tz: Any, step_ns: int, attempt: Attempt
) -> None:
    """:func:`shrink_ns` from the simplest timestamp ``c0`` in steps of at least ``step_ns``;
    candidates in the column's own time zone (``dtype``'s, else ``tz``) and unit."""
    zone = dtype.tz if isinstance(dtype, pd.DatetimeTZDtype) else tz
    unit: Any = unit_name(dtype) if getattr(dtype, "kind", "") == "M" else None

    def attempt_ts(ns: int) -> bool:
        ts = timestamp_from_ns(ns, zone)
        if unit is not None:
            try:
                ts = ts.as_unit(unit, round_ok=False)
            except ValueError:  # not a value of this column
                return False
        return attempt(ts)

    shrink_ns(int(pd.Timestamp(value).value), int(c0.value), attempt_ts, step_ns)


def shrink_timedelta(value: Any, step_ns: int, attempt: Attempt, c0: Any = None) -> None:
    """:func:`shrink_ns` from the simplest duration ``c0`` (None: a zero duration) in steps
    of at least ``step_ns``."""

    def attempt_td(ns: int) -> bool:
        return attempt(pd.Timedelta(int(ns), unit="ns"))

    start = 0 if c0 is None else int(pd.Timedelta(c0).value)
    shrink_ns(int(pd.Timedelta(value).value), start, attempt_td, step_ns)
