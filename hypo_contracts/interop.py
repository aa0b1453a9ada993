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

import warnings
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine
from pandera.errors import SchemaError, SchemaErrors

from .compiled import ContractInfo
from .constraints import Canonical
from .engines import polars as polars_engine
from .errors import ContractViolation, InvalidArgument
from .kinds import kind_of
from .rules import Rule, failing_rows

__all__ = ["ContractDtype", "dtype_matches", "to_pandera", "validate"]

_SHOW = 5  # failing values shown per check


def dtype_matches(c: Canonical, dtype: Any, series: pd.Series | None = None) -> bool:
    """Whether a column of ``dtype`` holds column ``c``'s kind of value the way pandas may
    store it: timestamps and dates in any unit, numpy or Arrow (the same time zone, or
    naive), booleans as
    ``bool``, ``boolean`` or ``bool[pyarrow]``, integers and floats of the declared width in
    numpy, nullable or Arrow dtypes, strings as ``object`` (of ``str`` values: ``series``
    is looked at), ``str``, ``string`` or Arrow strings, and categories exactly as declared
    (in any order here; the order is a check of its own). Nulls are the nullability
    check's business, not the dtype's.

    >>> import numpy as np, pandas as pd
    >>> from hypo_contracts import data_contract, Int64, Timestamp
    >>> @data_contract
    ... class Events:
    ...     at = Timestamp(time_zone="UTC")
    ...     n = Int64()
    >>> at, n = Events.__contract__.canonical.values()
    >>> dtype_matches(at, pd.DatetimeTZDtype("us", "UTC")), dtype_matches(at, np.dtype("<M8[ns]"))
    (True, False)
    >>> dtype_matches(n, pd.Int64Dtype()), dtype_matches(n, np.dtype("int32"))
    (True, False)
    """
    return kind_of(c).dtype_matches(c, dtype, series)


class ContractDtype(pandas_engine.DataType):
    """A pandera data type that accepts every dtype :func:`dtype_matches` accepts for one
    contract column, and coerces to the column's exact dtype. Its name (in pandera's
    ``dtype('...')`` check) is that exact dtype."""

    canonical: Canonical

    def __init__(self, c: Canonical) -> None:
        object.__setattr__(self, "type", c.dtype)
        object.__setattr__(self, "canonical", c)

    def check(self, pandera_dtype: Any, data_container: Any = None) -> bool:
        native = getattr(pandera_dtype, "type", pandera_dtype)
        series = data_container if isinstance(data_container, pd.Series) else None
        return dtype_matches(self.canonical, native, series)

    def coerce_value(self, value: Any) -> Any:
        """pandera's coercion of one value (used to list a wrong dtype's failure cases),
        without numpy's warning that aware timestamps lose their time zone."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return super().coerce_value(value)

    def __str__(self) -> str:
        return str(self.canonical.dtype)

    def __repr__(self) -> str:
        return f"ContractDtype({self.canonical.where}: {self})"


def to_pandera(info: ContractInfo) -> pa.DataFrameSchema:
    """The contract as a pandera schema (dtypes, bounds, accepted values, lengths, regex,
    nullability, uniqueness; ``strict`` as declared). It accepts and rejects exactly the
    frames :func:`validate` does: each column's dtype is a :class:`ContractDtype`, which
    accepts the dtypes pandas gives the same data (:func:`dtype_matches`), not only the
    exact dtype of generated frames."""
    columns = {
        c.name: pa.Column(
            ContractDtype(c),
            kind_of(c).pandera_checks(c, pa.Check),
            nullable=c.nullable,
            unique=c.unique,
            required=True,
            name=c.name,
        )
        for c in info.canonical.values()
    }
    return pa.DataFrameSchema(
        columns,
        checks=[_rule_check(rule) for rule in info.rules],
        strict=info.strict,
        name=info.name,
        coerce=False,
    )


def _rule_check(rule: Rule) -> pa.Check:
    """A frame-level pandera check of one rule, named by the rule's text (a frame missing
    one of its columns, or with a wrong dtype, fails the column checks instead)."""

    def check(df: pd.DataFrame) -> pd.Series:
        try:
            ok = ~failing_rows(rule, df)
        except Exception:
            ok = np.ones(len(df), dtype=bool)
        return pd.Series(ok, index=df.index)

    return pa.Check(check, name=rule.text)


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


def _got(series: pd.Series) -> str:
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return f"category with categories {list(dtype.categories)!r}"
    return str(dtype)


def _message(
    info: ContractInfo, failures: pd.DataFrame, df: pd.DataFrame, errors: list[SchemaError]
) -> str:
    lines = []
    rule_texts = {rule.text: rule for rule in info.rules}
    is_rule = failures["check"].isin(list(rule_texts)) & (
        failures["schema_context"] == "DataFrameSchema"
    )
    columns: set[str] = set()
    for text in dict.fromkeys(failures.loc[is_rule, "check"]):
        rule = rule_texts[text]
        lines.append(_rule_line(rule, df))
        columns.add(rule.columns[0])
    failures = failures[~is_rule]
    frame_level = failures["check"].isin(list(_FRAME_CHECKS))
    for _, row in failures[frame_level].iterrows():
        lines.append(f"  - {row['failure_case']}: {_FRAME_CHECKS[row['check']]}")
    columns |= {str(row["failure_case"]) for _, row in failures[frame_level].iterrows()}
    column_level = failures[~frame_level]
    wrong_dtype = set(
        column_level.loc[column_level["check"].astype(str).str.startswith("dtype("), "column"]
    )
    for (column, check), group in column_level.groupby(
        ["column", "check"], sort=False, dropna=False
    ):
        columns.add(str(column))
        n = len(group)
        c = info.canonical.get(str(column))
        if str(check).startswith("dtype("):
            if c is not None and column in df.columns:
                series = df[column]
                kind = kind_of(c)
                lines.append(
                    f"  - {column}: expected {kind.expected_dtype(c)}, got {_got(series)}"
                    f"{kind.dtype_hint(c, series)}"
                )
            else:  # pragma: no cover - pandera only checks dtypes of declared columns
                lines.append(f"  - {column}: expected {check}, got {group['failure_case'].iloc[0]}")
            continue
        if column in wrong_dtype and group["index"].isna().all():
            continue  # a check that could not run on the wrong dtype: the dtype line says it
        if check == "categories_in_declared_order" and c is not None and column in df.columns:
            lines.append(
                f"  - {column}: categories {list(df[column].cat.categories)!r} are not in the "
                f"declared order {list(c.values or ())!r} (the codes differ); use "
                f".cat.reorder_categories({list(c.values or ())!r})"
            )
            continue
        dtype = df[column].dtype if column in df.columns else None
        rows = f"{n} row{'s' if n != 1 else ''}"
        lines.append(f"  - {column}: {check} failed for {rows}: {_describe(group, dtype)}")
    # failures pandera reports without failure cases (repeated nulls in a unique column)
    for err in errors:
        column = getattr(err, "column_name", None)
        cases = err.failure_cases
        if column is None or str(column) in columns:
            continue
        if isinstance(cases, pd.DataFrame) and len(cases):
            continue
        columns.add(str(column))
        check = getattr(err.check, "name", err.check)
        if check == "field_uniqueness" and column in df.columns:
            nulls = np.flatnonzero(df[column].isna().to_numpy())
            shown = ", ".join(str(df.index[i]) for i in nulls[:_SHOW])
            more = f", ... {len(nulls) - _SHOW} more" if len(nulls) > _SHOW else ""
            lines.append(
                f"  - {column}: field_uniqueness failed: {len(nulls)} nulls (rows {shown}{more}); "
                "a unique column holds at most one null"
            )
        else:
            lines.append(f"  - {column}: {check} failed: {str(err).splitlines()[0]}")
    checks = f"{len(lines)} failing check{'s' if len(lines) != 1 else ''}"
    head = f"{info.name}: {checks} in {len(columns)} column{'s' if len(columns) != 1 else ''}"
    return "\n".join([head, *lines])


def _rule_line(rule: Rule, df: pd.DataFrame) -> str:
    """``- shipped_at >= placed_at failed for 2 rows: (shipped_at=..., placed_at=...) (row 3),
    ...``: the rule, how many rows break it, and the involved cells of the first few."""
    rows = np.flatnonzero(failing_rows(rule, df))
    shown = []
    for i in rows[:_SHOW]:
        cells = ", ".join(f"{col}={_cell(df[col].iloc[i])}" for col in rule.columns)
        shown.append(f"({cells}) (row {df.index[i]})")
    more = f", ... {len(rows) - _SHOW} more" if len(rows) > _SHOW else ""
    n = len(rows)
    return f"  - {rule.text} failed for {n} row{'s' if n != 1 else ''}: {', '.join(shown)}{more}"


def _cell(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "null"
    if isinstance(value, pd.Timestamp):
        return str(value)
    return repr(value.item() if isinstance(value, np.generic) else value)


def _check_flat(info: ContractInfo, df: pd.DataFrame) -> None:
    """MultiIndex columns are a TypeError; a contract column that appears more than once
    (or, with ``strict=True``, any repeated name) is a ContractViolation naming it."""
    if isinstance(df.columns, pd.MultiIndex):
        raise TypeError(
            f"{info.name}.validate expects a flat table with one name per column, but the "
            f"frame has MultiIndex columns ({df.columns.nlevels} levels, e.g. "
            f"{df.columns[0]!r}); flatten them first, e.g. "
            "df.columns = ['_'.join(map(str, c)) for c in df.columns]."
        )
    counts: dict[Any, int] = {}
    for name in df.columns:
        counts[name] = counts.get(name, 0) + 1
    repeated = [
        name for name, n in counts.items() if n > 1 and (info.strict or name in info.canonical)
    ]
    if repeated:
        lines = [
            f"  - {name}: repeated column name ({counts[name]} columns are called {name!r}); "
            "keep one"
            for name in repeated
        ]
        s = "s" if len(repeated) != 1 else ""
        head = f"{info.name}: {len(repeated)} repeated column name{s}"
        raise ContractViolation("\n".join([head, *lines]))


def validate(info: ContractInfo, df: Any) -> Any:
    """Return ``df`` itself if it satisfies the contract, else raise ContractViolation.

    This is ``to_pandera(info).validate(df, lazy=True)`` with pandera's failure cases turned
    into one readable message, so both accept the same frames: beyond generated frames'
    exact dtypes, the dtypes pandas gives the same data (see :func:`dtype_matches`).
    A frame with a repeated column name is a ContractViolation; one that is not a flat
    table (MultiIndex columns) a TypeError."""
    if polars_engine.is_polars_frame(df):
        return polars_engine.validate_polars(info, df)
    if not isinstance(df, pd.DataFrame):
        raise InvalidArgument(
            f"validate({info.name}, ...): expects a pandas DataFrame (or a polars one), not "
            f"{type(df).__name__}"
        )
    _check_flat(info, df)
    schema = to_pandera(info)
    try:
        schema.validate(df, lazy=True)
    except SchemaErrors as exc:
        failures = exc.failure_cases
        message = _message(info, failures, df, list(exc.schema_errors))
        raise ContractViolation(message, failures=failures) from None
    except SchemaError as exc:  # pragma: no cover - lazy validation collects these
        raise ContractViolation(f"{info.name}: {exc}") from None
    return df
