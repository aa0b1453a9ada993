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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..arguments import check_backend_name
from ..compiled import ContractInfo
from ..constraints import Canonical, has_bounds
from ..errors import ContractViolation, InvalidArgument, bad_argument
from ..kinds import kind_of

__all__ = [
    "check_polars",
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
    """The polars dtype of column ``c`` in generated frames (an InvalidArgument for a kind
    polars frames do not hold, :func:`check_polars`).

    >>> from hypo_contracts import data_contract, Timestamp, UInt16
    >>> @data_contract
    ... class Log:
    ...     at = Timestamp(time_zone="UTC")
    ...     port = UInt16()
    >>> [polars_dtype(c) for c in Log.__contract__.canonical.values()]
    [Datetime(time_unit='ns', time_zone='UTC'), UInt16]
    """
    return _polars_kind(c, "polars_dtype()").dtype(import_polars(), c)


def _category_dtype(pl: Any, c: Canonical) -> Any:
    if _string_categories(c):
        return pl.Enum(list(c.values or ()))
    return pl.Series(list(c.values or ())).dtype


def _numeric_dtype(pl: Any, c: Canonical) -> Any:
    names = {"float32": "Float32", "float64": "Float64"}
    name = names.get(c.dtype_name) or c.dtype_name.replace("uint", "UInt").replace("int", "Int")
    return getattr(pl, name)


def _category_column(pl: Any, c: Canonical, s: pd.Series, dtype: Any) -> Any:
    import pyarrow as pa

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


def _float_column(pl: Any, c: Canonical, s: pd.Series, dtype: Any) -> Any:
    return pl.Series(s.name, s.to_numpy(), dtype=dtype, nan_to_null=True)


def _numpy_column(pl: Any, c: Canonical, s: pd.Series, dtype: Any) -> Any:
    """A numpy column as it is; None for a nullable (masked) one: the Arrow path."""
    return None if c.nullable else pl.Series(s.name, s.to_numpy(), dtype=dtype)


def _duration_column(pl: Any, c: Canonical, s: pd.Series, dtype: Any) -> Any:
    import pyarrow as pa

    ns = s.to_numpy(dtype="timedelta64[ns]").view(np.int64)
    missing = s.isna().to_numpy()
    arr = pa.array(ns, mask=missing if missing.any() else None)
    return pl.Series(s.name, arr).cast(pl.Duration("ns"))


def _naive_datetimes(pl: Any, c: Canonical, s: pd.Series) -> Any:
    """A timestamp or date column as a naive ``Datetime("ns")`` of UTC wall times (from ns
    since the epoch)."""
    import pyarrow as pa

    utc = s.dt.tz_convert(None) if c.tz else s
    ns = utc.to_numpy(dtype="datetime64[ns]").view(np.int64)
    missing = s.isna().to_numpy()
    arr = pa.array(ns, mask=missing if missing.any() else None)
    return pl.Series(s.name, arr).cast(pl.Datetime("ns"))


def _datetime_column(pl: Any, c: Canonical, s: pd.Series, dtype: Any) -> Any:
    out = _naive_datetimes(pl, c, s)
    return out.dt.replace_time_zone("UTC").dt.convert_time_zone(c.tz) if c.tz else out


def _date_column(pl: Any, c: Canonical, s: pd.Series, dtype: Any) -> Any:
    return _naive_datetimes(pl, c, s).cast(pl.Date)


def _column(c: Canonical, s: pd.Series) -> Any:
    """One pandas column of the contract's exact dtype as a polars Series."""
    import pyarrow as pa

    pl = import_polars()
    entry = _polars_kind(c, "to_polars()")
    dtype = entry.dtype(pl, c)
    out = None if entry.column is None else entry.column(pl, c, s, dtype)
    if out is not None:
        return out
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


_BoundCheck = Callable[[Canonical, Any, str], Any]
"""(column, raw bound, ``">="`` or ``"<="``) -> the pandera check of one bound."""


def _compared(shown: Callable[[Canonical, Any], Any]) -> _BoundCheck:
    """pandera's ``ge``/``le`` with the bound as the polars value ``shown`` makes of it."""

    def check(c: Canonical, raw: Any, op: str) -> Any:
        import pandera.polars as pap

        value = shown(c, raw)
        return pap.Check.ge(value) if op == ">=" else pap.Check.le(value)

    return check


def _in_ns(shown: Callable[[Canonical, Any], Any], ns: Callable[[Any], Any]) -> _BoundCheck:
    """A bound on a Datetime (nanoseconds since the epoch, UTC) or Duration column, compared
    in nanoseconds (``ns``: the column expression in ns; Python's datetimes stop at µs)."""

    def check(c: Canonical, raw: Any, op: str) -> Any:
        import pandera.polars as pap

        pl = import_polars()
        name = "greater_than_or_equal_to" if op == ">=" else "less_than_or_equal_to"

        def compare(data: Any) -> Any:
            col = ns(pl.col(data.key))
            return data.lazyframe.select(col >= raw if op == ">=" else col <= raw)

        return pap.Check(compare, name=f"{name}({shown(c, raw)})")

    return check


def _timestamp_value(c: Canonical, raw: Any) -> Any:
    ts = pd.Timestamp(int(raw), unit="ns").tz_localize("UTC")
    return ts.tz_convert(c.tz) if c.tz else ts.tz_localize(None)


def _date_value(c: Canonical, raw: Any) -> Any:
    return dt.date(1970, 1, 1) + dt.timedelta(days=int(raw))


def _timedelta_value(c: Canonical, raw: Any) -> Any:
    return pd.Timedelta(int(raw), unit="ns")


def _finite_checks(c: Canonical) -> list[Any]:
    import pandera.polars as pap

    pl = import_polars()
    if c.allow_inf:
        return []
    return [
        pap.Check(lambda data: data.lazyframe.select(pl.col(data.key).is_finite()), name="finite")
    ]


def _string_checks(c: Canonical) -> list[Any]:
    import pandera.polars as pap

    pl = import_polars()
    checks: list[Any] = []
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


@dataclass(frozen=True)
class _PolarsKind:
    """How polars frames hold one column kind.

    ``dtype``: ``(pl, c)`` -> the polars dtype; ``column``: ``(pl, c, series, dtype)`` ->
    the polars Series of a pandas column, or None for the Arrow conversion of its values
    (masked and string columns); ``bound``: the check of one bound (None: no bounds);
    ``checks``: the kind's own checks after the bounds; ``listed``: whether accepted values
    need an ``isin`` check (an ``Enum``'s categories are its dtype's).
    """

    dtype: Callable[[Any, Canonical], Any]
    column: Callable[[Any, Canonical, pd.Series, Any], Any] | None = None
    bound: _BoundCheck | None = None
    checks: Callable[[Canonical], list[Any]] = lambda c: []
    listed: Callable[[Canonical], bool] = lambda c: c.values is not None


_POLARS: dict[str, _PolarsKind] = {
    "int": _PolarsKind(_numeric_dtype, _numpy_column, _compared(lambda c, raw: raw)),
    "float": _PolarsKind(
        _numeric_dtype, _float_column, _compared(lambda c, raw: raw), _finite_checks
    ),
    "bool": _PolarsKind(lambda pl, c: pl.Boolean, _numpy_column),
    "string": _PolarsKind(lambda pl, c: pl.String, checks=_string_checks),
    "category": _PolarsKind(
        _category_dtype,
        _category_column,
        listed=lambda c: c.values is not None and not _string_categories(c),
    ),
    "timestamp": _PolarsKind(
        lambda pl, c: pl.Datetime("ns", c.tz),
        _datetime_column,
        _in_ns(_timestamp_value, lambda col: col.dt.epoch("ns")),
    ),
    "date": _PolarsKind(lambda pl, c: pl.Date, _date_column, _compared(_date_value)),
    "timedelta": _PolarsKind(
        lambda pl, c: pl.Duration("ns"),
        _duration_column,
        _in_ns(_timedelta_value, lambda col: col.dt.total_nanoseconds()),
    ),
}
"""Column kind -> how polars frames hold it; a kind not here is refused (:func:`check_polars`)."""

#: What to use instead of polars for a kind missing from :data:`_POLARS`
_INSTEAD = {"decimal": "object columns of decimal.Decimal"}


def _refusal(where: str, contract: str, columns: list[Canonical]) -> InvalidArgument:
    c = columns[0]
    instead = _INSTEAD.get(c.kind)
    return bad_argument(
        where[:-2],
        contract,
        f"backend='polars' does not support {kind_of(c).declaration_name(c)} columns yet "
        f"({', '.join(x.name for x in columns)}); use backend='pandas'"
        + (f" ({instead})." if instead else "."),
    )


def check_backend(where: str, info: ContractInfo, backend: Any) -> str:
    """``backend`` checked (:func:`hypo_contracts.arguments.check_backend_name`) and, for
    ``'polars'``, every column of a kind polars frames hold (:func:`check_polars`): what
    ``example``, ``frames``, the patterns and ``tables`` call with their ``backend=``.

    >>> from hypo_contracts.examples import WineQuality
    >>> check_backend("frames()", WineQuality.__contract__, "polars")
    'polars'
    """
    backend = check_backend_name(where, info, backend)
    if backend == "polars":
        check_polars(where, info)
    return backend


def check_polars(where: str, info: ContractInfo) -> None:
    """An InvalidArgument naming the contract's columns of a kind polars frames do not hold
    (one missing from the table of polars kinds), for the call ``where`` (``"example()"``).

    >>> from hypo_contracts import data_contract, Decimal
    >>> @data_contract
    ... class Ledger:
    ...     amount = Decimal(7, 2)
    >>> check_polars("example()", Ledger.__contract__)
    Traceback (most recent call last):
    ...
    hypo_contracts.errors.InvalidArgument: example(Ledger, ...): backend='polars' does not \
support Decimal columns yet (amount); use backend='pandas' (object columns of decimal.Decimal).
    """
    missing = [c for c in info.canonical.values() if c.kind not in _POLARS]
    if missing:
        raise _refusal(where, info.name, [c for c in missing if c.kind == missing[0].kind])


def _polars_kind(c: Canonical, where: str) -> _PolarsKind:
    """``c``'s entry in :data:`_POLARS`, or the InvalidArgument of :func:`check_polars`."""
    entry = _POLARS.get(c.kind)
    if entry is None:
        raise _refusal(where, c.contract, [c])
    return entry


def _checks(c: Canonical) -> list[Any]:
    import pandera.polars as pap

    entry = _polars_kind(c, "to_pandera_polars()")
    checks: list[Any] = []
    if entry.listed(c):
        checks.append(pap.Check.isin(list(c.values or ())))
    if entry.bound is not None:
        has_lo, has_hi = has_bounds(c)
        if has_lo:
            checks.append(entry.bound(c, c.lo, ">="))
        if has_hi:
            checks.append(entry.bound(c, c.hi, "<="))
    return checks + entry.checks(c)


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

    check_polars("to_pandera_polars()", info)
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

    check_polars("validate()", info)
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
