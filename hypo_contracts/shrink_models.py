"""Value models for :func:`hypo_contracts.shrinking.shrink`: what "simplest" means for each
column, the simplest column as a whole, and the per-cell value shrinkers. A contract's column
asks its kind (``shrink_step_ns``, ``shrink_distinct``, ``shrink_value``); a frame column
without a contract shrinks by its dtype, with the same searches
(:mod:`hypo_contracts.shrink_steps`: integers by binary search, floats to fewer digits,
strings to prefixes, timestamps and timedeltas to the coarsest whole unit that still
fails)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from . import _bulk
from .constraints import NS_PER_DAY, Canonical
from .kinds import kind_of
from .shrink_steps import (
    Attempt,
    shrink_float,
    shrink_int,
    shrink_string,
    shrink_timedelta,
    shrink_timestamp,
    unit_name,
)
from .times import timestamp_from_ns
from .values import is_null

__all__ = [
    "Model",
    "column_model",
    "same_value",
    "shrink_cell",
    "simple_column",
    "simplest_of",
]

_MAX_VALUE_TRIES = 32  # earlier categories / accepted values tried per cell

# ------------------------------------------------------------------------------------------
# column models: what "simplest" means for each column


@dataclass(frozen=True)
class Model:
    """How one column shrinks: its kind, the contract's column (if any), whether it may be
    dropped, its values in order of simplicity, its time zone and its time unit."""

    kind: str  # a contract column's kind or values; else bool int float complex string
    # values timestamp timedelta object opaque (the dtype's)
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
        step = kind_of(c).shrink_step_ns(c, unit)
        return Model(c.kind, c, droppable, tz=c.tz, unit_ns=step)
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


def _unit_ns(dtype: Any) -> int:
    return {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}.get(str(unit_name(dtype)), 1)


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
        "timestamp": timestamp_from_ns(0, model.tz),
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
                found = kind_of(c).shrink_distinct(c, n)
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
        return [timestamp_from_ns(i * NS_PER_DAY, model.tz) for i in range(n)]
    if kind == "timedelta":
        return [pd.Timedelta(seconds=i) for i in range(n)]
    return None


# ------------------------------------------------------------------------------------------
# value shrinkers: each calls ``attempt(candidate)`` (True when the candidate still fails and
# was accepted) from the simplest candidate upwards.


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
    c = model.canonical
    if c is not None and c.values is None:  # the column's kind knows its candidates
        kind_of(c).shrink_value(c, value, c0, dtype, attempt, model.unit_ns)
        return
    kind = model.kind if model.kind != "object" else _py_kind(value)
    if kind == "bool":
        attempt(c0)
    elif kind == "int":
        shrink_int(int(value), int(c0), attempt)
    elif kind == "float":
        shrink_float(value, c0, dtype, attempt)
    elif kind == "string":
        shrink_string(str(value), str(c0), attempt)
    elif kind == "values" and model.values is not None:
        try:
            idx = model.values.index(value)
        except ValueError:
            return
        for cand in model.values[: min(idx, _MAX_VALUE_TRIES)]:
            if attempt(cand):
                return
    elif kind == "timestamp":  # candidates in the column's own time zone and unit
        shrink_timestamp(value, c0, dtype, model.tz, model.unit_ns, attempt)
    elif kind == "timedelta":
        shrink_timedelta(value, model.unit_ns, attempt)
    elif kind == "complex":
        attempt(c0)
