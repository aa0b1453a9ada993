"""pandera interop: every contract is also a ``pandera.pandas.DataFrameSchema``.

``Contract.validate`` delegates to pandera (lazy validation, so every failure is collected)
and turns pandera's failure cases into one readable :class:`ContractViolation`.

>>> import pandas as pd
>>> from hypo_contracts import data_contract, Float64, Int64
>>> @data_contract
... class Wine:
...     pH = Float64().bounded_between(0, 14)
...     quality = Int64().bounded_between(0, 10)
>>> Wine.validate(pd.DataFrame({"pH": [3.1, 15.0], "quality": [5, 11]}))
Traceback (most recent call last):
...
hypo_contracts.errors.ContractViolation: Wine: 2 failing checks in 2 columns
  - pH: less_than_or_equal_to(14.0) failed for 1 row: 15.0 (row 1)
  - quality: less_than_or_equal_to(10) failed for 1 row: 11 (row 1)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from .constraints import DAY_MAX, DAY_MIN, NS_MAX, NS_MIN, NS_PER_DAY, Canonical
from .declaration import _ContractInfo
from .errors import ContractViolation

__all__ = ["to_pandera", "validate"]

_SHOW = 5  # failing values shown per check


def _bound(c: Canonical, value: Any) -> Any:
    if c.kind == "timestamp":
        ts = pd.Timestamp(int(value), unit="ns")
        return ts.tz_localize("UTC").tz_convert(c.tz) if c.tz else ts
    if c.kind == "date":
        return pd.Timestamp(int(value) * NS_PER_DAY, unit="ns")
    return value


def _checks(c: Canonical) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if c.values is not None and c.kind != "category":
        checks.append(pa.Check.isin(list(c.values)))
    if c.kind in ("int", "float", "timestamp", "date"):
        if c.kind == "int":
            info = np.iinfo(c.dtype_name)
            has_lo, has_hi = c.lo > info.min, c.hi < info.max
        elif c.kind == "float":
            has_lo, has_hi = math.isfinite(c.lo), math.isfinite(c.hi)
        else:  # timestamps and dates: the dtype's own range needs no check
            lo_limit, hi_limit = (NS_MIN, NS_MAX) if c.kind == "timestamp" else (DAY_MIN, DAY_MAX)
            has_lo, has_hi = c.lo > lo_limit, c.hi < hi_limit
        if has_lo:
            checks.append(pa.Check.ge(_bound(c, c.lo)))
        if has_hi:
            checks.append(pa.Check.le(_bound(c, c.hi)))
    if c.kind == "float" and not c.allow_inf:
        checks.append(pa.Check(lambda s: s.abs() < np.inf, name="finite"))
    if c.kind == "date":
        checks.append(pa.Check(lambda s: s == s.dt.normalize(), name="date_at_midnight"))
    if c.kind == "string":
        if c.min_len or c.max_len is not None:
            checks.append(pa.Check.str_length(c.min_len or None, c.max_len))
        if c.compiled_regex is not None:
            rx = c.compiled_regex
            checks.append(
                pa.Check(
                    lambda v: isinstance(v, str) and rx.fullmatch(v) is not None,
                    element_wise=True,
                    name=f"str_fullmatch({c.regex!r})",
                )
            )
    return checks


def to_pandera(info: _ContractInfo) -> pa.DataFrameSchema:
    """The contract as a pandera schema (dtypes, bounds, accepted values, lengths, regex,
    nullability, uniqueness; ``strict`` as declared)."""
    columns = {
        c.name: pa.Column(
            c.dtype, _checks(c), nullable=c.nullable, unique=c.unique, required=True, name=c.name
        )
        for c in info.canonical.values()
    }
    return pa.DataFrameSchema(columns, strict=info.strict, name=info.name, coerce=False)


def _show(value: Any, dtype: Any) -> str:
    if (
        isinstance(value, float)
        and value.is_integer()
        and dtype is not None
        and pd.api.types.is_integer_dtype(dtype)
    ):
        return repr(int(value))
    return repr(value)


def _describe(group: pd.DataFrame, dtype: Any) -> str:
    parts = []
    for _, row in group.head(_SHOW).iterrows():
        where = "" if row["index"] is None or pd.isna(row["index"]) else f" (row {row['index']})"
        parts.append(f"{_show(row['failure_case'], dtype)}{where}")
    more = f", ... {len(group) - _SHOW} more" if len(group) > _SHOW else ""
    return ", ".join(parts) + more


_FRAME_CHECKS = {
    "column_in_dataframe": "missing column",
    "column_in_schema": "column not in the contract (strict=True)",
}


def _message(name: str, failures: pd.DataFrame, df: pd.DataFrame) -> str:
    lines = []
    frame_level = failures["check"].isin(list(_FRAME_CHECKS))
    for _, row in failures[frame_level].iterrows():
        lines.append(f"  - {row['failure_case']}: {_FRAME_CHECKS[row['check']]}")
    columns = {str(row["failure_case"]) for _, row in failures[frame_level].iterrows()}
    for (column, check), group in failures[~frame_level].groupby(
        ["column", "check"], sort=False, dropna=False
    ):
        columns.add(str(column))
        n = len(group)
        if str(check).startswith("dtype("):
            lines.append(f"  - {column}: expected {check}, got {group['failure_case'].iloc[0]}")
            continue
        dtype = df[column].dtype if column in df.columns else None
        rows = f"{n} row{'s' if n != 1 else ''}"
        lines.append(f"  - {column}: {check} failed for {rows}: {_describe(group, dtype)}")
    checks = f"{len(lines)} failing check{'s' if len(lines) != 1 else ''}"
    head = f"{name}: {checks} in {len(columns)} column{'s' if len(columns) != 1 else ''}"
    return "\n".join([head, *lines])


def validate(info: _ContractInfo, df: pd.DataFrame) -> pd.DataFrame:
    """Return ``df`` itself if it satisfies the contract, else raise ContractViolation."""
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{info.name}.validate expects a pandas DataFrame, not {type(df).__name__}")
    schema = to_pandera(info)
    try:
        schema.validate(df, lazy=True)
    except SchemaErrors as exc:
        failures = exc.failure_cases
        raise ContractViolation(_message(info.name, failures, df), failures=failures) from None
    except SchemaError as exc:  # pragma: no cover - lazy validation collects these
        raise ContractViolation(f"{info.name}: {exc}") from None
    return df
