"""Give a loaded frame the contract's dtypes: the one home of the casting rules used by
``Contract.coerce`` / ``read_csv`` / ``read_parquet`` and by ``hypo-contracts shrink``.

CSV keeps no dtypes: numbers, booleans, timestamps and categories come back as text or as
pandas' guesses (an integer column with a blank becomes ``float64``). :func:`coerce` casts
every contract column to the contract's exact dtype and raises
:class:`~hypo_contracts.ContractViolation` naming each column that cannot be cast. It does not
check the values: call ``validate`` on the result for that. ``contract`` is a
``@data_contract`` class (a bad one is Hypothesis' ``InvalidArgument``, as for ``frames``).

>>> import io
>>> from hypo_contracts import data_contract, Bool, Int64, Timestamp
>>> @data_contract
... class Events:
...     n = Int64().is_optional()
...     ok = Bool()
...     at = Timestamp(time_zone="UTC")
>>> text = "n,ok,at\\n1,true,2024-01-01 10:00\\n,False,2024-01-02T00:00:00+01:00\\n"
>>> df = read_csv(Events, io.StringIO(text))
>>> df.dtypes.astype(str).tolist()
['Int64', 'bool', 'datetime64[ns, UTC]']
>>> df["at"].tolist()
[Timestamp('2024-01-01 10:00:00+0000', tz='UTC'), Timestamp('2024-01-01 23:00:00+0000', tz='UTC')]
"""

from __future__ import annotations

import os
from typing import IO, Any

import pandas as pd

from .compiled import ContractInfo, contract_info
from .errors import ContractViolation, InvalidArgument
from .kinds import kind_of

__all__ = ["coerce", "csv_dtypes", "read_csv", "read_parquet"]


def _info(contract: Any, where: str) -> ContractInfo:
    """``contract``'s compiled information: a ``@data_contract`` class or its info."""
    if isinstance(contract, ContractInfo):
        return contract
    if isinstance(contract, pd.DataFrame):  # not its repr: it can be thousands of lines
        rows, cols = contract.shape
        raise InvalidArgument(
            f"{where} expects a class decorated with @data_contract first, but got a "
            f"DataFrame ({rows} rows x {cols} columns); pass the contract, then the frame."
        )
    return contract_info(contract, where)


def csv_dtypes(contract: Any) -> dict[str, Any]:
    """The ``dtype=`` for ``pandas.read_csv`` that keeps text as text: string columns (so
    ``"007"`` stays ``"007"``), integer columns (no detour through ``float64``, exact beyond
    2**53) and categories of strings are read as ``str``.

    >>> from hypo_contracts import data_contract, Float64, Int64
    >>> @data_contract
    ... class C:
    ...     n = Int64()
    ...     x = Float64()
    >>> csv_dtypes(C)
    {'n': <class 'str'>}
    """
    info = _info(contract, "csv_dtypes()")
    dtypes: dict[str, Any] = {}
    for name, c in info.canonical.items():
        if kind_of(c).reads_as_text(c):
            dtypes[name] = str
    return dtypes


def coerce(contract: Any, df: pd.DataFrame, *, blank_strings: bool = True) -> pd.DataFrame:
    """A new frame in which every column of ``contract`` (a ``@data_contract`` class)
    present in ``df`` has the contract's dtype; other columns, and ``df`` itself, are left
    alone. Missing contract columns are left for ``validate`` to report.

    Text is parsed: ``"true"``/``"false"``/``"1"``/``"0"`` (any case) for booleans, ISO
    timestamps, each with or without an offset (naive times in an aware column are in the
    column's time zone; aware ones in a naive column are converted to UTC, then made
    naive), ``"3"``, ``"3.0"`` or ``"3e0"`` for integers (exact beyond 2**53). With
    ``blank_strings`` (the default, right for CSV, which writes an empty string and a
    missing value alike), nulls in a required String column become ``""``. A column that
    cannot be cast raises ContractViolation naming it and the reason.

    >>> import pandas as pd
    >>> from hypo_contracts import data_contract, Int64, String
    >>> @data_contract
    ... class C:
    ...     n = Int64()
    ...     s = String()
    >>> out = coerce(C, pd.DataFrame({"n": [1.0, 2.0], "s": ["a", None]}))
    >>> out.dtypes.astype(str).tolist(), out["s"].tolist()
    (['int64', 'str'], ['a', ''])
    >>> coerce(C, pd.DataFrame({"n": ["one"], "s": ["a"]}))
    Traceback (most recent call last):
    ...
    hypo_contracts.errors.ContractViolation: C: column 'n' cannot be read as int64 as C.n ...
    """
    info = _info(contract, "coerce()")
    if not isinstance(df, pd.DataFrame):
        raise InvalidArgument(
            f"coerce({info.name}, ...): expects a pandas DataFrame, not {type(df).__name__}"
        )
    out = df.copy()
    problems: list[str] = []
    for name, c in info.canonical.items():
        if name not in out.columns or isinstance(out[name], pd.DataFrame):
            continue  # missing or repeated: validate reports it
        s = out[name]
        kind = kind_of(c)
        blanks = blank_strings and kind.blank_strings and not c.nullable
        if s.dtype == c.dtype and kind.trusts_dtype and not (blanks and bool(s.isna().any())):
            continue
        try:
            out[name] = kind.coerce_series(c, s, blanks)
        except (TypeError, ValueError, OverflowError) as exc:
            problems.append(
                f"column {name!r} cannot be read as {c.dtype_name} as {info.name}.{name} declares: "
                f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
            )
    if len(problems) == 1:
        raise ContractViolation(f"{info.name}: {problems[0]}")
    if problems:
        raise ContractViolation(
            "\n".join([f"{info.name}: {len(problems)} columns cannot be cast", *problems])
        )
    return out


def read_csv(contract: Any, path: str | os.PathLike[str] | IO[str], **kw: Any) -> pd.DataFrame:
    """``pandas.read_csv(path, **kw)`` with text kept as text (:func:`csv_dtypes`; a
    ``dtype=`` you pass wins, column by column), then :func:`coerce`. Raises
    ContractViolation for a column that cannot be cast; the values are not validated.

    >>> import io
    >>> from hypo_contracts import data_contract, Int64, String
    >>> @data_contract
    ... class C:
    ...     zip_code = String()
    ...     n = Int64()
    >>> text = io.StringIO("zip_code,n\\n00501,9007199254740993\\n")
    >>> read_csv(C, text).to_dict("records")
    [{'zip_code': '00501', 'n': 9007199254740993}]
    """
    info = _info(contract, "read_csv()")
    dtypes = csv_dtypes(info)
    given = kw.pop("dtype", None)
    if isinstance(given, dict):
        dtypes.update(given)
    elif given is not None:
        dtypes = given
    df = pd.read_csv(path, dtype=dtypes or None, **kw)
    return coerce(info, df)


def read_parquet(
    contract: Any, path: str | os.PathLike[str] | IO[bytes], **kw: Any
) -> pd.DataFrame:
    """``pandas.read_parquet(path, **kw)``, then :func:`coerce` without ``blank_strings``
    (Parquet tells nulls from empty strings). Parquet keeps most dtypes; this fixes the
    rest (e.g. categories of numbers, timestamps in another unit). Raises ContractViolation
    for a column that cannot be cast; the values are not validated.

    >>> import io
    >>> from hypo_contracts import data_contract, Category
    >>> @data_contract
    ... class C:
    ...     grade = Category([1, 2, 3])
    >>> buffer = io.BytesIO()
    >>> C.example(3, seed=0).to_parquet(buffer)
    >>> read_parquet(C, buffer)["grade"].dtype
    CategoricalDtype(categories=[1, 2, 3], ordered=False, categories_dtype=int64)
    """
    info = _info(contract, "read_parquet()")
    return coerce(info, pd.read_parquet(path, **kw), blank_strings=False)
