"""Value rules: one value cast to its column's raw form and checked against every constraint.

This is the one home of "does this value belong in this column?". Pinned pattern values, rule
outputs, the pipeline checks' predicted targets and the shrinker all ask it, and pandera's
checks (:mod:`hypo_contracts.interop`) agree with it on every cell (a property test over
generated contracts says so). The raw form is the sampler's (:mod:`hypo_contracts._bulk`):
an index into accepted values or categories, nanoseconds for timestamps, days for dates.

>>> from hypo_contracts import Int64
>>> from hypo_contracts.constraints import canonicalise
>>> c = canonicalise(Int64().bounded_between(1, 10), contract="C", name="n")
>>> cast_value(c, 3.0)
3
>>> cast_value(c, 11)
Traceback (most recent call last):
...
hypo_contracts.values.BadValue: is above the upper bound 10
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from .bounds import is_number
from .constraints import Canonical
from .times import (
    date_from_days,
    days_since_epoch,
    duration_ns,
    parse_date,
    parse_time,
    timestamp_from_ns,
)

__all__ = [
    "BadValue",
    "accept_array",
    "bound_text",
    "cast_value",
    "is_null",
    "lookup_table",
    "show_value",
]


class BadValue(ValueError):
    """One value breaks its column; the message says how (``is above the upper bound 10``)."""


def show_value(value: Any) -> str:
    """``repr`` of a value, numpy scalars shown as the Python value they hold."""
    if isinstance(value, np.generic):
        value = value.item()
    return repr(value)


def is_null(v: Any) -> bool:
    """Whether ``v`` is a null of any kind pandas uses: None, NA, NaT, NaN."""
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, (float, np.floating)):
        return math.isnan(v)
    if isinstance(v, (np.datetime64, np.timedelta64)):
        return bool(np.isnat(v))
    return False


def bound_text(c: Canonical, value: Any) -> str:
    """A raw bound of ``c`` as the user would write it."""
    if c.kind == "timestamp":
        return str(timestamp_from_ns(int(value), c.tz))
    if c.kind == "date":
        return str(date_from_days(int(value)))
    if c.kind == "timedelta":
        return str(pd.Timedelta(int(value)))
    return repr(value)


def _check_range(c: Canonical, x: Any) -> None:
    if c.kind == "int":
        info = np.iinfo(c.dtype_name)
        if x < c.lo:
            if c.lo == info.min:
                raise BadValue(f"is below {c.dtype_name}'s minimum {c.lo}")
            raise BadValue(f"is below the lower bound {c.lo}")
        if x > c.hi:
            if c.hi == info.max:
                raise BadValue(f"is above {c.dtype_name}'s maximum {c.hi}")
            raise BadValue(f"is above the upper bound {c.hi}")
        return
    if x < c.lo:
        raise BadValue(f"is below the lower bound {bound_text(c, c.lo)}")
    if x > c.hi:
        raise BadValue(f"is above the upper bound {bound_text(c, c.hi)}")


def lookup_table(c: Canonical) -> dict[Any, int] | None:
    """Value -> index for columns with accepted values or categories (``None`` otherwise);
    build it once per column and pass it to :func:`cast_value`."""
    if c.values is None:
        return None
    return {v: i for i, v in enumerate(c.values)}


def _member(c: Canonical, lookup: dict[Any, int], x: Any) -> int:
    """The index of ``x`` among ``c``'s values; a bool is only a bool member (``True == 1``
    in a dict, but pandas' categorical of ``[1, 2]`` does not hold ``True``)."""
    try:
        i = lookup[x]
    except (KeyError, TypeError):
        i = None
    values = c.values or ()
    if i is None or isinstance(x, (bool, np.bool_)) != isinstance(values[i], (bool, np.bool_)):
        what = "categories" if c.kind == "category" else "accepted values"
        raise BadValue(f"is not one of the {what} {list(values)!r}") from None
    return i


def cast_value(c: Canonical, v: Any, lookup: dict[Any, int] | None = None) -> Any:
    """``v`` (not null) cast to ``c``'s raw representation, or :class:`BadValue` saying which
    constraint it breaks. ``lookup`` is :func:`lookup_table` ``(c)`` (computed when omitted)."""
    kind = c.kind
    if lookup is None and c.values is not None:
        lookup = lookup_table(c)
    if kind == "category":
        assert lookup is not None
        return _member(c, lookup, v.item() if isinstance(v, np.generic) else v)
    if kind == "bool":
        if isinstance(v, (bool, np.bool_)):
            return bool(v)
        raise BadValue("is not a bool (the column is a Bool column)")
    if kind == "int":
        if not is_number(v):
            raise BadValue(f"is not an integer (the column is {c.dtype_name})")
        if isinstance(v, (float, np.floating)) and (not math.isfinite(v) or v != math.floor(v)):
            raise BadValue(f"is not a whole number (the column is {c.dtype_name})")
        iv = int(v)
        if lookup is not None:  # accepted values already lie within the bounds
            return _member(c, lookup, iv)
        _check_range(c, iv)
        return iv
    if kind == "float":
        return _float(c, v)
    if kind == "string":
        return _string(c, v, lookup)
    if kind == "timestamp":
        return _timestamp(c, v)
    if kind == "date":
        return _date(c, v)
    if kind == "timedelta":
        return _timedelta(c, v)
    raise AssertionError(kind)  # pragma: no cover


def _float(c: Canonical, v: Any) -> float:
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
    _check_range(c, fv)
    return fv


def _string(c: Canonical, v: Any, lookup: dict[Any, int] | None) -> Any:
    if not isinstance(v, str):
        raise BadValue("is not a string")
    if lookup is not None:
        return _member(c, lookup, str(v))
    if len(v) < c.min_len:
        raise BadValue(f"has {len(v)} characters, fewer than min_length({c.min_len})")
    if c.max_len is not None and len(v) > c.max_len:
        raise BadValue(f"has {len(v)} characters, more than max_length({c.max_len})")
    if c.compiled_regex is not None and c.compiled_regex.fullmatch(v) is None:
        raise BadValue(f"does not fully match regex({c.regex!r})")
    return str(v)


def _timestamp(c: Canonical, v: Any) -> int:
    try:
        ts = parse_time(v)
    except ValueError as exc:
        raise BadValue(str(exc)) from None
    if c.tz is not None and ts.tz is None:
        raise BadValue(f"is naive, but the column is in time zone {c.tz}")
    if c.tz is None and ts.tz is not None:
        raise BadValue(f"has time zone {ts.tz}, but the column is naive")
    try:
        ns = int(ts.as_unit("ns").value)
    except Exception:
        raise BadValue("is outside datetime64[ns]'s range") from None
    _check_range(c, ns)
    return ns


def _date(c: Canonical, v: Any) -> int:
    try:
        day = parse_date(v)
    except ValueError as exc:
        raise BadValue(str(exc).replace("timestamp", "date")) from None
    if isinstance(day, pd.Timestamp):
        if day != day.normalize():
            raise BadValue("has a time of day, but a Date column holds dates (midnight)")
        day = day.date()
    days = days_since_epoch(day)
    _check_range(c, days)
    return days


def _timedelta(c: Canonical, v: Any) -> int:
    try:
        ns = duration_ns(v)
    except ValueError as exc:
        raise BadValue(str(exc)) from None
    except OverflowError:
        raise BadValue("is outside timedelta64[ns]'s range") from None
    _check_range(c, ns)
    return ns


def accept_array(c: Canonical, out: Any) -> tuple[np.ndarray, np.ndarray | None] | None:
    """Vectorised :func:`cast_value` for a numeric array already in the column's dtype: raw
    values and a null mask, or ``None`` when the per-value path must run (other types, or
    some value breaks the column, so that the caller can name it)."""
    if c.values is not None or c.kind not in ("int", "float", "bool"):
        return None
    arr = out.to_numpy() if isinstance(out, pd.Series) else out
    if not isinstance(arr, np.ndarray) or arr.dtype != np.dtype(c.dtype_name):
        return None
    nulls = np.isnan(arr) if c.kind == "float" else np.zeros(len(arr), dtype=bool)
    if nulls.any() and (not c.nullable or (c.unique and nulls.sum() > 1)):
        return None
    if c.kind != "bool":
        present = arr[~nulls]
        if ((present < c.lo) | (present > c.hi)).any():
            return None
        if c.kind == "float" and not c.allow_inf and np.isinf(present).any():
            return None
    if c.unique and pd.Series(arr[~nulls]).duplicated().any():
        return None
    raw = np.where(nulls, 0, arr).astype(c.dtype_name) if nulls.any() else arr.copy()
    return raw, (nulls if c.nullable else None)
