"""Polars frames: the contract's columns with exact polars dtypes, and validation through
pandera's polars backend.

Generated frames are built with pandas first (so shrinking, notes and seeds are the pandas
ones) and converted column by column from their numpy / Arrow buffers:

============================  ====================================================
contract column               polars dtype
============================  ====================================================
``Int8`` ... ``UInt64``       ``Int8`` ... ``UInt64`` (widths kept)
``Float32`` / ``Float64``     ``Float32`` / ``Float64`` (nulls are polars nulls)
``Bool``                      ``Boolean``
``String``                    ``String``
``Category`` of strings       ``Enum`` with the categories in declared order
``Category`` of other values  the values' own dtype (polars has no such categorical)
``Timestamp(time_zone=tz)``   ``Datetime("ns", tz)``
``Date``                      ``Date``
``Timedelta``                 ``Duration("ns")``
============================  ====================================================

>>> from hypo_contracts import data_contract, Category, Float64, Int32
>>> @data_contract
... class Wine:
...     pH = Float64().bounded_between(0, 14).is_optional()
...     quality = Int32().bounded_between(0, 10)
...     colour = Category(["red", "white"])
>>> df = Wine.example(4, seed=0, backend="polars")
>>> dict(df.schema)
{'pH': Float64, 'quality': Int32, 'colour': Enum(categories=['red', 'white'])}
>>> Wine.validate(df) is df
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..compiled import ContractInfo
from ..constraints import Canonical, has_bounds
from ..errors import ContractViolation

__all__ = [
    "import_polars",
    "is_polars_frame",
    "polars_dtype",
    "polars_like",
    "to_pandera_polars",
    "to_polars",
    "validate_polars",
]

_SHOW = 5  # failing values shown per check


def import_polars(where: str = "backend='polars'") -> Any:
    """The ``polars`` module, or an ImportError that names the extra to install."""
    try:
        import polars
    except ImportError:  # pragma: no cover - the extra is installed in the test venv
        raise ImportError(
            f"{where} needs polars, an optional extra: pip install 'hypo-contracts[polars]'"
        ) from None
    return polars


def is_polars_frame(df: Any) -> bool:
    """Whether ``df`` is a polars DataFrame (without importing polars when it is not)."""
    return type(df).__module__.split(".")[0] == "polars" and type(df).__name__ == "DataFrame"


def _string_categories(c: Canonical) -> bool:
    return all(isinstance(v, str) for v in c.values or ())


def polars_dtype(c: Canonical) -> Any:
    """The polars dtype of column ``c`` in generated frames.

    >>> from hypo_contracts import data_contract, Timestamp, UInt16
    >>> @data_contract
    ... class Log:
    ...     at = Timestamp(time_zone="UTC")
    ...     port = UInt16()
    >>> [polars_dtype(c) for c in Log.__contract__.canonical.values()]
    [Datetime(time_unit='ns', time_zone='UTC'), UInt16]
    """
    pl = import_polars()
    if c.kind == "category":
        if _string_categories(c):
            return pl.Enum(list(c.values or ()))
        return pl.Series(list(c.values or ())).dtype
    if c.kind == "string":
        return pl.String
    if c.kind == "bool":
        return pl.Boolean
    if c.kind == "timestamp":
        return pl.Datetime("ns", c.tz)
    if c.kind == "date":
        return pl.Date
    if c.kind == "timedelta":
        return pl.Duration("ns")
    names = {"float32": "Float32", "float64": "Float64"}
    name = names.get(c.dtype_name) or c.dtype_name.replace("uint", "UInt").replace("int", "Int")
    return getattr(pl, name)


def _column(c: Canonical, s: pd.Series) -> Any:
    """One pandas column of the contract's exact dtype as a polars Series."""
    import pyarrow as pa

    pl = import_polars()
    dtype = polars_dtype(c)
    if c.kind == "category":
        codes = s.cat.codes.to_numpy()
        missing = codes < 0
        mask = missing if missing.any() else None
        if _string_categories(c):  # codes and categories as an Arrow dictionary: no strings
            indices = pa.array(codes.astype(np.int32), mask=mask)
            arr = pa.DictionaryArray.from_arrays(indices, pa.array(list(c.values or ())))
            return pl.Series(s.name, arr).cast(dtype)
        table = np.array(list(c.values or ()), dtype=object)
        arr = pa.array(table[np.where(missing, 0, codes)], mask=mask)
        return pl.Series(s.name, arr).cast(dtype)
    if c.kind == "float":
        return pl.Series(s.name, s.to_numpy(), dtype=dtype, nan_to_null=True)
    if c.kind in ("int", "bool") and not c.nullable:
        return pl.Series(s.name, s.to_numpy(), dtype=dtype)
    if c.kind == "timedelta":
        ns = s.to_numpy(dtype="timedelta64[ns]").view(np.int64)
        missing = s.isna().to_numpy()
        arr = pa.array(ns, mask=missing if missing.any() else None)
        return pl.Series(s.name, arr).cast(pl.Duration("ns"))
    if c.kind in ("timestamp", "date"):  # from ns since the epoch (UTC)
        utc = s.dt.tz_convert(None) if c.tz else s
        ns = utc.to_numpy(dtype="datetime64[ns]").view(np.int64)
        missing = s.isna().to_numpy()
        arr = pa.array(ns, mask=missing if missing.any() else None)
        out = pl.Series(s.name, arr).cast(pl.Datetime("ns"))
        if c.kind == "date":
            return out.cast(pl.Date)
        return out.dt.replace_time_zone("UTC").dt.convert_time_zone(c.tz) if c.tz else out
    arr = pa.array(s.array, from_pandas=True)  # masked and string columns keep their nulls
    out = pl.Series(s.name, arr)
    return out.cast(dtype) if out.dtype != dtype else out


def to_polars(info: ContractInfo, df: pd.DataFrame) -> Any:
    """A pandas frame of the contract's exact dtypes (a generated one, or a subset of its
    columns) as a polars DataFrame of the exact polars dtypes (:func:`polars_dtype`).

    >>> from hypo_contracts.examples import WineQuality
    >>> pdf = WineQuality.example(3, seed=1)
    >>> to_polars(WineQuality.__contract__, pdf).to_pandas().equals(pdf)
    True
    """
    pl = import_polars()
    return pl.DataFrame([_column(info.canonical[str(name)], df[name]) for name in df.columns])


def polars_like(info: ContractInfo | None, df: pd.DataFrame, schema: Mapping[str, Any]) -> Any:
    """A pandas frame made from a polars one (a shrink candidate) back as polars: contract
    columns by :func:`to_polars`, the others by ``pl.from_pandas``, cast back to their dtype
    in ``schema`` (the original polars frame's) when every value fits.

    >>> import pandas as pd, polars as pl
    >>> polars_like(None, pd.DataFrame({"n": [1, 2]}), {"n": pl.Int16}).schema["n"]
    Int16
    """
    pl = import_polars()
    canonical = info.canonical if info is not None else {}
    columns = []
    for pos, name in enumerate(df.columns):
        if isinstance(name, str) and name in canonical:
            columns.append(_column(canonical[name], df.iloc[:, pos]))
            continue
        s = pl.from_pandas(df.iloc[:, pos]).rename(str(name))
        want = schema.get(str(name))
        if want is not None and s.dtype != want:
            try:
                s = s.cast(want)
            except Exception:  # a value that does not fit (a fraction in an Int column)
                pass
        columns.append(s)
    return pl.DataFrame(columns)


# ------------------------------------------------------------------------------------------
# validation


def _bound(c: Canonical, value: Any) -> Any:
    if c.kind == "timestamp":
        ts = pd.Timestamp(int(value), unit="ns").tz_localize("UTC")
        return ts.tz_convert(c.tz) if c.tz else ts.tz_localize(None)
    if c.kind == "date":
        return dt.date(1970, 1, 1) + dt.timedelta(days=int(value))
    if c.kind == "timedelta":
        return pd.Timedelta(int(value), unit="ns")
    return value


def _ns_check(bound: int, op: str, shown: Any, kind: str) -> Any:
    """A bound on a Datetime (nanoseconds since the epoch, UTC) or Duration column,
    compared in nanoseconds."""
    import pandera.polars as pap

    pl = import_polars()
    name = "greater_than_or_equal_to" if op == ">=" else "less_than_or_equal_to"

    def check(data: Any) -> Any:
        col = pl.col(data.key)
        ns = col.dt.epoch("ns") if kind == "timestamp" else col.dt.total_nanoseconds()
        return data.lazyframe.select(ns >= bound if op == ">=" else ns <= bound)

    return pap.Check(check, name=f"{name}({shown})")


def _checks(c: Canonical) -> list[Any]:
    import pandera.polars as pap

    pl = import_polars()
    checks: list[Any] = []
    if c.values is not None and not (c.kind == "category" and _string_categories(c)):
        checks.append(pap.Check.isin(list(c.values)))
    if c.kind in ("int", "float", "timestamp", "date", "timedelta"):
        has_lo, has_hi = has_bounds(c)
        if c.kind in ("timestamp", "timedelta"):  # in ns: Python's datetimes stop at µs
            if has_lo:
                checks.append(_ns_check(c.lo, ">=", _bound(c, c.lo), c.kind))
            if has_hi:
                checks.append(_ns_check(c.hi, "<=", _bound(c, c.hi), c.kind))
        else:
            if has_lo:
                checks.append(pap.Check.ge(_bound(c, c.lo)))
            if has_hi:
                checks.append(pap.Check.le(_bound(c, c.hi)))
    if c.kind == "float" and not c.allow_inf:
        checks.append(
            pap.Check(
                lambda data: data.lazyframe.select(pl.col(data.key).is_finite()), name="finite"
            )
        )
    if c.kind == "string":
        if c.min_len or c.max_len is not None:
            checks.append(pap.Check.str_length(c.min_len or None, c.max_len))
        if c.compiled_regex is not None:
            rx = c.compiled_regex

            def fullmatch(data: Any, rx: Any = rx) -> Any:
                return data.lazyframe.select(
                    pl.col(data.key).map_elements(
                        lambda v: rx.fullmatch(v) is not None, return_dtype=pl.Boolean
                    )
                )

            checks.append(pap.Check(fullmatch, name=f"str_fullmatch({c.regex!r})"))
    return checks


def to_pandera_polars(info: ContractInfo) -> Any:
    """The contract as a ``pandera.polars.DataFrameSchema``: exact polars dtypes
    (:func:`polars_dtype`; an ``Enum``'s categories and their order are part of it),
    nullability, uniqueness (at most one null), bounds, accepted values, lengths, and
    regexes checked with Python's ``re`` (the contract's semantics: polars' Rust regex
    engine reads ``\\d`` or ``\\w`` differently), ``strict`` as declared.

    >>> from hypo_contracts.examples import WineQuality
    >>> schema = to_pandera_polars(WineQuality.__contract__)
    >>> schema.validate(WineQuality.example(5, seed=0, backend="polars")).height
    5
    """
    import pandera.polars as pap

    columns = {
        c.name: pap.Column(
            polars_dtype(c),
            _checks(c),
            nullable=c.nullable,
            unique=c.unique,
            required=True,
            name=c.name,
        )
        for c in info.canonical.values()
    }
    return pap.DataFrameSchema(columns, strict=info.strict, name=info.name, coerce=False)


def _describe(values: Iterable[Any], rows: Iterable[Any]) -> str:
    parts = []
    pairs = list(zip(values, rows, strict=True))
    for value, row in pairs[:_SHOW]:
        parts.append(f"{value}" + ("" if row is None else f" (row {row})"))
    more = f", ... {len(pairs) - _SHOW} more" if len(pairs) > _SHOW else ""
    return ", ".join(parts) + more


def validate_polars(info: ContractInfo, df: Any) -> Any:
    """Return the polars frame ``df`` itself if it satisfies the contract (through
    :func:`to_pandera_polars`, lazily: every failure is collected), else raise
    ContractViolation naming each failing column and check.

    >>> import polars as pl
    >>> from hypo_contracts.examples import WineQuality
    >>> bad = WineQuality.example(3, seed=0, backend="polars").with_columns(
    ...     pl.lit(11, dtype=pl.Int64).alias("quality"))
    >>> WineQuality.validate(bad)
    Traceback (most recent call last):
    ...
    hypo_contracts.errors.ContractViolation: WineQuality: 1 failing check in 1 column
      - quality: less_than_or_equal_to(10) failed for 3 rows: 11 (row 0), 11 (row 1), 11 (row 2)
    """
    from pandera.errors import SchemaError, SchemaErrors

    try:
        to_pandera_polars(info).validate(df, lazy=True)
    except SchemaErrors as exc:
        failures = exc.failure_cases
        lines = []
        columns: set[str] = set()
        groups: dict[tuple[str, str], list[tuple[Any, Any]]] = {}
        for row in failures.iter_rows(named=True):
            frame_level = row["check"] in ("column_in_dataframe", "column_in_schema")
            column = row["failure_case"] if frame_level or row["column"] is None else row["column"]
            groups.setdefault((str(column), str(row["check"])), []).append(
                (row["failure_case"], row["index"])
            )
        for (column, check), cases in groups.items():
            columns.add(column)
            if check == "column_in_dataframe":
                lines.append(f"  - {column}: missing column")
            elif check == "column_in_schema":
                lines.append(f"  - {column}: column not in the contract (strict=True)")
            elif check.startswith("dtype("):
                c = info.canonical.get(column)
                want = polars_dtype(c) if c is not None else check
                lines.append(f"  - {column}: expected {want}, got {cases[0][0]}")
            else:
                n = len(cases)
                values = _describe((v for v, _ in cases), (i for _, i in cases))
                lines.append(f"  - {column}: {check} failed for {n} row{'s' * (n != 1)}: {values}")
        head = (
            f"{info.name}: {len(lines)} failing check{'s' * (len(lines) != 1)} in "
            f"{len(columns)} column{'s' * (len(columns) != 1)}"
        )
        raise ContractViolation("\n".join([head, *lines]), failures=failures) from None
    except SchemaError as exc:  # pragma: no cover - lazy validation collects these
        raise ContractViolation(f"{info.name}: {exc}") from None
    return df
