"""A contract from a data frame: :func:`infer`, tighter than pandera's ``infer_schema``.

Per column: the dtype's column type (the width of integers and floats kept); bounds from the
observed minimum and maximum (widened by ``margin`` times the range, rounded outwards and
kept inside the dtype); accepted values for integers and strings with few distinct values
that repeat; ``Category`` for categoricals; ``is_optional()`` where nulls occur;
``is_unique()`` where every value differs; the time zone of aware timestamps; naive
timestamps that are all at midnight become ``Date`` columns; string lengths; an ``object``
column of :class:`decimal.Decimal` values is a ``Decimal(precision, scale)`` with the most
digits seen before and after the point (bounds widened inside that precision).

>>> import pandas as pd
>>> df = pd.DataFrame({
...     "n": [1, 5, 3, 7],
...     "colour": ["red", "red", "white", None],
...     "day": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-02", "2024-01-05"]),
... })
>>> C = infer(df, name="Sample")
>>> for column in C.columns.values():
...     print(column)
Int64().bounded_between(1, 7).is_unique()
String().accepted_values(['red', 'white']).is_optional()
Date().bounded_between('2024-01-01', '2024-01-05').is_unique()
>>> C.validate(df) is df
True
"""

from __future__ import annotations

import decimal
import math
from typing import Any

import numpy as np
import pandas as pd

from .. import declaration as d
from ..constraints import ns_limits
from ..contract import Contract
from ..errors import ContractError
from ..kinds.decimal import MAX_PRECISION, decimal_units, units_to_decimal
from .build import build_contract

__all__ = ["infer"]

_INTS = {
    "int8": d.Int8,
    "int16": d.Int16,
    "int32": d.Int32,
    "int64": d.Int64,
    "uint8": d.UInt8,
    "uint16": d.UInt16,
    "uint32": d.UInt32,
    "uint64": d.UInt64,
}


def _widen(lo: float, hi: float, margin: float) -> tuple[float, float]:
    pad = (hi - lo) * margin
    return lo - pad, hi + pad


def _few(series: pd.Series, max_values: int) -> list[Any] | None:
    """The distinct values, most frequent first, when there are few and they repeat."""
    present = series.dropna()
    counts = present.value_counts(sort=True)
    if 0 < len(counts) <= max_values and len(present) > len(counts):
        return [v.item() if isinstance(v, np.generic) else v for v in counts.index]
    return None


def _int_column(series: pd.Series, dtype: np.dtype[Any], margin: float, max_values: int) -> Any:
    col: Any = _INTS[dtype.name]()
    present = series.dropna()
    if not len(present):
        return col, False
    info = np.iinfo(dtype)
    lo, hi = int(present.min()), int(present.max())
    if margin:
        pad = math.ceil((hi - lo) * margin)
        lo, hi = max(int(info.min), lo - pad), min(int(info.max), hi + pad)
    col = col.bounded_between(lo, hi)
    values = _few(series, max_values)
    if values is not None:
        col = col.accepted_values(sorted(int(v) for v in values))
    return col, values is not None


def _float_column(series: pd.Series, dtype: np.dtype[Any], margin: float) -> Any:
    col: Any = d.Float32() if dtype.name == "float32" else d.Float64()
    present = series.dropna().astype(np.float64)
    finite = present[np.isfinite(present.to_numpy())]
    if len(finite):
        lo, hi = _widen(float(finite.min()), float(finite.max()), margin)
        if dtype.name == "float32":  # widened bounds may leave float32's range
            top = float(np.finfo(np.float32).max)
            lo, hi = max(lo, -top), min(hi, top)
        has_neg_inf = bool((present == -math.inf).any())
        has_pos_inf = bool((present == math.inf).any())
        if not has_neg_inf:
            col = col.lower_bound(lo)
        if not has_pos_inf:
            col = col.upper_bound(hi)
        if has_neg_inf or has_pos_inf:
            col = col.allow_infinity()
    elif len(present):  # only infinities
        col = col.allow_infinity()
    return col


def _string_column(series: pd.Series, name: str, margin: float, max_values: int) -> Any:
    present = series.dropna()
    if len(present) and all(isinstance(v, (bool, np.bool_)) for v in present):
        raise ContractError(
            f"infer: column {name!r} holds booleans in an object column (a CSV column with "
            f"blanks?); convert it first: df[{name!r}] = df[{name!r}].astype('boolean')."
        )
    bad = next((v for v in present if not isinstance(v, str)), None)
    if bad is not None:
        raise ContractError(
            f"infer: column {name!r} holds {type(bad).__name__} values such as {bad!r} among "
            "its strings; a contract column has one type (convert the column first)."
        )
    col: Any = d.String()
    values = _few(series, max_values)
    if values is not None:
        return col.accepted_values(values), True
    if len(present):
        lengths = present.str.len()
        lo, hi = _widen(float(lengths.min()), float(lengths.max()), margin)
        col = col.min_length(max(0, math.floor(lo))).max_length(math.ceil(hi))
    return col, False


def _digits(v: decimal.Decimal) -> tuple[int, int]:
    """(digits before the point, digits after it) of a finite Decimal, as written."""
    _, digits, exponent = v.as_tuple()
    assert isinstance(exponent, int)
    before = max(0, len(digits) + exponent) if any(digits) else 0
    return before, max(0, -exponent)


def _decimal_column(series: pd.Series, name: str, margin: float, max_values: int) -> Any:
    present = series.dropna().tolist()
    bad = next((v for v in present if not isinstance(v, decimal.Decimal)), None)
    if bad is not None:
        raise ContractError(
            f"infer: column {name!r} holds {type(bad).__name__} values such as {bad!r} among "
            "its Decimals; a contract column has one type (convert the column first)."
        )
    odd = next((v for v in present if not v.is_finite()), None)
    if odd is not None:
        raise ContractError(
            f"infer: column {name!r} holds {odd!r}; a Decimal column holds finite Decimals "
            "(replace it by None for a null)."
        )
    digits = [_digits(v) for v in present]
    scale = max(after for _, after in digits)
    precision = max(1, max(before for before, _ in digits) + scale)
    if precision > MAX_PRECISION:
        raise ContractError(
            f"infer: column {name!r} holds Decimals with {precision} digits, and a Decimal "
            f"column holds at most {MAX_PRECISION}; round the column or convert it to float."
        )
    units = [decimal_units(v, scale) for v in present]
    lo, hi = min(u for u in units if u is not None), max(u for u in units if u is not None)
    top = 10**precision - 1
    pad = math.ceil((hi - lo) * margin)
    lo, hi = max(-top, lo - pad), min(top, hi + pad)
    col: Any = d.Decimal(precision, scale)
    col = col.bounded_between(*(str(units_to_decimal(u, scale)) for u in (lo, hi)))
    values = _few(series, max_values)
    if values is not None:
        exact = [units_to_decimal(decimal_units(v, scale) or 0, scale) for v in sorted(values)]
        col = col.accepted_values([str(v) for v in exact])
    return col, values is not None


def _is_decimal_column(series: pd.Series) -> bool:
    present = series.dropna()
    return series.dtype == np.dtype(object) and isinstance(
        present.iloc[0] if len(present) else None, decimal.Decimal
    )


def _time_column(series: pd.Series, margin: float) -> Any:
    dtype = series.dtype
    tz = str(dtype.tz) if isinstance(dtype, pd.DatetimeTZDtype) else None
    present = series.dropna()
    if tz is None and len(present) and (present == present.dt.normalize()).all():
        col: Any = d.Date()
        days = present.dt.normalize()
        lo, hi = days.min(), days.max()
        widen = pd.Timedelta(days=math.ceil((hi - lo).days * margin))
        lo = max(lo - widen, pd.Timestamp("1677-09-22"))
        hi = min(hi + widen, pd.Timestamp("2262-04-11"))
        return col.bounded_between(lo.date().isoformat(), hi.date().isoformat())
    col = d.Timestamp(time_zone=tz)
    if not len(present):
        return col
    ns = present.dt.tz_convert("UTC") if tz else present
    lo_ns = int(ns.min().as_unit("ns").value)
    hi_ns = int(ns.max().as_unit("ns").value)
    pad = math.ceil((hi_ns - lo_ns) * margin)
    limit_lo, limit_hi = ns_limits(tz)
    lo_ns, hi_ns = max(limit_lo, lo_ns - pad), min(limit_hi, hi_ns + pad)
    lo_ts, hi_ts = pd.Timestamp(lo_ns, unit="ns"), pd.Timestamp(hi_ns, unit="ns")
    if tz:
        lo_ts, hi_ts = lo_ts.tz_localize("UTC").tz_convert(tz), hi_ts.tz_localize("UTC")
        hi_ts = hi_ts.tz_convert(tz)
    return col.bounded_between(lo_ts, hi_ts)


def _numpy(dtype: Any) -> np.dtype[Any]:
    """The numpy dtype of a numpy or pandas nullable (``Int64``, ``Float32``) dtype."""
    found: Any = getattr(dtype, "numpy_dtype", None) or dtype
    return np.dtype(found)


def _column(series: pd.Series, name: str, margin: float, max_values: int) -> Any:
    dtype = series.dtype
    listed = False
    if isinstance(dtype, pd.CategoricalDtype):
        col: Any = d.Category(list(dtype.categories))
    elif pd.api.types.is_bool_dtype(dtype):
        col = d.Bool()
        listed = True
    elif pd.api.types.is_integer_dtype(dtype):
        col, listed = _int_column(series, _numpy(dtype), margin, max_values)
    elif pd.api.types.is_float_dtype(dtype):
        col = _float_column(series, _numpy(dtype), margin)
    elif pd.api.types.is_datetime64_any_dtype(dtype):
        col = _time_column(series, margin)
    elif _is_decimal_column(series):
        col, listed = _decimal_column(series, name, margin, max_values)
    elif pd.api.types.is_string_dtype(dtype) or dtype == np.dtype(object):
        col, listed = _string_column(series, name, margin, max_values)
    else:
        raise ContractError(
            f"infer: column {name!r} has dtype {dtype}, which no contract column type holds."
        )
    present = series.dropna()
    if len(present) < len(series):
        col = col.is_optional()
    if len(present) >= 2 and not listed and present.is_unique and len(series) - len(present) <= 1:
        col = col.is_unique()
    return col


def infer(
    df: pd.DataFrame, *, name: str = "Inferred", margin: float = 0.0, max_values: int = 10
) -> type[Contract]:
    """A data contract that ``df`` satisfies, as tight as its values allow (see the module
    docstring); ``margin`` widens every range by that fraction of itself on each side, and
    strings and integers with at most ``max_values`` distinct, repeating values get
    ``accepted_values`` (most frequent first for strings). Column names become strings.

    >>> import pandas as pd
    >>> infer(pd.DataFrame({"x": [0.0, 10.0]}), margin=0.1).x
    Float64().lower_bound(-1.0).upper_bound(11.0).is_unique()
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"infer takes a pandas DataFrame, not {type(df).__name__}.")
    if not (isinstance(margin, (int, float)) and margin >= 0 and math.isfinite(margin)):
        raise ValueError(f"infer(margin={margin!r}): the margin is a number >= 0.")
    columns = {
        str(col): _column(df[col], str(col), float(margin), max_values) for col in df.columns
    }
    return build_contract(name, columns, origin=f"infer({name})")
