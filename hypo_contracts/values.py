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
hypo_contracts.kinds.core.BadValue: is above the upper bound 10
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from .constraints import Canonical
from .kinds import BadValue, kind_of

__all__ = [
    "BadValue",
    "accept_array",
    "bound_text",
    "cast_value",
    "is_null",
    "lookup_table",
    "show_value",
]


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
    return kind_of(c).bound_text(c, value)


def lookup_table(c: Canonical) -> dict[Any, int] | None:
    """Value -> index for columns with accepted values or categories (``None`` otherwise);
    build it once per column and pass it to :func:`cast_value`."""
    if c.values is None:
        return None
    return {v: i for i, v in enumerate(c.values)}


def cast_value(c: Canonical, v: Any, lookup: dict[Any, int] | None = None) -> Any:
    """``v`` (not null) cast to ``c``'s raw representation, or :class:`BadValue` saying which
    constraint it breaks. ``lookup`` is :func:`lookup_table` ``(c)`` (computed when omitted)."""
    if lookup is None and c.values is not None:
        lookup = lookup_table(c)
    return kind_of(c).cast(c, v, lookup)


def accept_array(c: Canonical, out: Any) -> tuple[np.ndarray, np.ndarray | None] | None:
    """Vectorised :func:`cast_value` for a numeric array already in the column's dtype: raw
    values and a null mask, or ``None`` when the per-value path must run (other types, or
    some value breaks the column, so that the caller can name it)."""
    kind = kind_of(c)
    if c.values is not None or not kind.array_checked:
        return None
    arr = out.to_numpy() if isinstance(out, pd.Series) else out
    if not isinstance(arr, np.ndarray) or arr.dtype != np.dtype(c.dtype_name):
        return None
    nulls = kind.array_nulls(c, arr)
    if nulls.any() and (not c.nullable or (c.unique and nulls.sum() > 1)):
        return None
    if kind.array_breaks(c, arr[~nulls]):
        return None
    if c.unique and pd.Series(arr[~nulls]).duplicated().any():
        return None
    raw = np.where(nulls, 0, arr).astype(c.dtype_name) if nulls.any() else arr.copy()
    return raw, (nulls if c.nullable else None)
