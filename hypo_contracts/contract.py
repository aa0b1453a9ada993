"""Contracts: ``@data_contract`` and the :class:`Contract` base class.

A contract is a class whose attributes are columns (:mod:`hypo_contracts.declaration`).
``@data_contract`` canonicalises every column (:mod:`hypo_contracts.constraints`), stores the
result as a :class:`~hypo_contracts.compiled.ContractInfo` and gives the class its API:
``example`` (the numpy sampler), ``validate`` and ``to_pandera`` (pandera), and
``st.from_type(C)`` (Hypothesis).

>>> from hypo_contracts import data_contract, Float64, Int64
>>> @data_contract
... class WineQuality:
...     pH = Float64().bounded_between(0, 14)
...     quality = Int64().bounded_between(0, 10)
>>> WineQuality.validate(WineQuality.example(10, seed=0)).shape
(10, 2)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, cast, overload

import numpy as np
import pandas as pd
import pandera.pandas as pa
from hypothesis import strategies as st

from . import coercion, interop, odcs_doc, rule_fill, source, strategies
from .compiled import ContractInfo, canonical_references, own_info
from .constraints import canonicalise
from .declaration import Column
from .engines import dask as dask_engine
from .engines import polars as polars_engine
from .engines.polars import check_backend
from .errors import ContractError
from .rules import compile_rules

__all__ = ["Contract", "data_contract"]

_RESERVED = frozenset(
    {
        "columns",
        "example",
        "validate",
        "to_pandera",
        "coerce",
        "read_csv",
        "read_parquet",
        "to_dask",
        "to_source",
        "to_odcs",
    }
)


class _AnyContract:
    """The one type registered with ``st.register_type_strategy`` for every contract.

    Registering each contract would keep it alive for as long as the process runs (the
    registry is a plain dict). Instead every contract counts this class as a subclass (see
    ``_ContractMeta.__subclasscheck__``), and ``st.from_type(C)`` uses the documented rule
    "the union of the strategies of ``C``'s subtypes in the lookup": the resolver gets ``C``
    and returns ``frames(C)``. Hypothesis's own strategy cache still holds a contract that
    was passed to ``st.from_type`` until the cache (an LRU of 1024 entries) drops it.
    """


def _resolve(requested: type) -> Any:
    if requested is Contract or not isinstance(requested, _ContractMeta):
        return NotImplemented  # e.g. st.from_type(object): not ours to answer
    # the requested type: an undecorated subclass gets a clear error
    return strategies.frames(requested)


class _ContractMeta(type):
    __contract__: ContractInfo

    def __subclasscheck__(cls, subclass: type) -> bool:
        return subclass is _AnyContract or type.__subclasscheck__(cls, subclass)

    @property
    def columns(cls) -> Mapping[str, Column]:
        """Ordered mapping of column name -> declared column."""
        return cls.__contract__.columns

    if TYPE_CHECKING:  # columns are class attributes of the contract

        def __getattr__(cls, name: str) -> Column: ...

    def __repr__(cls) -> str:
        info = cls.__contract__
        return f"<contract {info.name}: {', '.join(info.columns)}>"


class Contract(metaclass=_ContractMeta):
    """Base of every ``@data_contract`` class; the class itself is the contract.

    >>> from hypo_contracts import data_contract, Int64, String
    >>> @data_contract
    ... class Users:
    ...     user_id = Int64().lower_bound(1).is_unique()
    ...     name = String().min_length(1).max_length(12)
    >>> list(Users.columns)
    ['user_id', 'name']
    >>> Users.example(3, seed=0).dtypes.astype(str).tolist()
    ['int64', 'str']
    """

    __contract__: ClassVar[ContractInfo]

    def __init__(self) -> None:
        own_info(type(self), "__init__()")  # an undecorated subclass: say so first
        raise TypeError(
            f"{type(self).__name__} is a data contract: it describes frames and is not "
            "instantiated. Use .example(n), .validate(df) or hypo_contracts.frames(...)."
        )

    @classmethod
    def example(
        cls,
        n: int = 5,
        *,
        seed: int | np.random.Generator | np.random.SeedSequence | None = None,
        overrides: Mapping[str, Column] | None = None,
        backend: str = "pandas",
    ) -> Any:
        """``n`` rows that satisfy the contract, drawn with numpy (no Hypothesis); the same
        ``seed`` always gives the same frame (a ``Generator`` is drawn from and moves on).
        ``overrides`` narrows columns as in :func:`hypo_contracts.frames`.
        ``backend="polars"`` gives the same rows as a polars DataFrame (docs/engines.md).

        >>> from hypo_contracts import data_contract, Int64
        >>> @data_contract
        ... class People:
        ...     age = Int64().bounded_between(0, 120)
        >>> People.example(1_000, seed=0, overrides={"age": Int64().bounded_between(18, 30)})[
        ...     "age"
        ... ].between(18, 30).all()
        np.True_
        """
        info = own_info(cls, "example()")
        if check_backend("example()", info, backend) == "polars":
            polars_engine.import_polars("example(..., backend='polars')")
            df = rule_fill.example(info, n, seed=seed, overrides=overrides)
            return polars_engine.to_polars(info, df)
        return rule_fill.example(info, n, seed=seed, overrides=overrides)

    @classmethod
    def to_dask(cls, rows: int, *, seed: int, partition_rows: int = 1_000_000) -> Any:
        """A lazy ``dask.dataframe.DataFrame`` of ``rows`` rows in partitions of
        ``partition_rows``; row ``i`` depends only on ``seed`` and ``i`` (so the dataset
        can be regenerated or extended exactly), unique Int, Timestamp, Date, Timedelta and
        Decimal columns are unique across partitions (docs/engines.md, "Big datasets with Dask").

        >>> from hypo_contracts.examples import WineQuality
        >>> ddf = WineQuality.to_dask(250_000, seed=0, partition_rows=100_000)
        >>> ddf.npartitions, int(ddf["quality"].max().compute()) <= 10
        (3, True)
        """
        return dask_engine.to_dask(
            own_info(cls, "to_dask()"), rows, seed=seed, partition_rows=partition_rows
        )

    @classmethod
    def validate(cls, df: Any) -> Any:
        """Return ``df`` unchanged if it satisfies the contract, else raise ContractViolation
        naming every failing column and check. ``df`` is a pandas or a polars DataFrame
        (polars frames go through pandera's polars backend, docs/engines.md)."""
        return interop.validate(own_info(cls, "validate()"), df)

    @classmethod
    def to_pandera(cls) -> pa.DataFrameSchema:
        """The equivalent ``pandera.pandas.DataFrameSchema``."""
        return interop.to_pandera(own_info(cls, "to_pandera()"))

    @classmethod
    def to_source(cls, *, class_name: str | None = None) -> str:
        """The Python source of a ``@data_contract`` class that declares an equal contract
        (same canonical constraints and cross-column rules; a ``computed(fn)`` rule is an
        ``InvalidArgument``), see :mod:`hypo_contracts.source`.

        >>> from hypo_contracts import data_contract, Int64
        >>> @data_contract
        ... class Counts:
        ...     n = Int64().bounded_between(1, 9)
        >>> print(Counts.to_source().splitlines()[-1])
            n = Int64().bounded_between(1, 9)
        """
        return source.to_source(own_info(cls, "to_source()"), class_name=class_name)

    @classmethod
    def to_odcs(cls, *, as_dict: bool = False) -> Any:
        """The contract as an Open Data Contract Standard v3 document: YAML text, or the
        plain dict with ``as_dict=True`` (see :mod:`hypo_contracts.odcs_doc`). The contracts
        it references are schema objects of the same document, before it, so that
        ``from_odcs`` gives them back related (``hypo_contracts.to_odcs(A, B)`` writes several).

        >>> from hypo_contracts import data_contract, Int64
        >>> @data_contract
        ... class Counts:
        ...     n = Int64().bounded_between(1, 9)
        >>> Counts.to_odcs(as_dict=True)["schema"][0]["properties"][0]["logicalTypeOptions"]
        {'minimum': 1, 'maximum': 9}
        """
        info = own_info(cls, "to_odcs()")
        return odcs_doc.to_odcs(info) if as_dict else odcs_doc.to_odcs_yaml(info)

    @classmethod
    def coerce(cls, df: pd.DataFrame, *, blank_strings: bool = True) -> pd.DataFrame:
        """A new frame with every contract column of ``df`` cast to the contract's dtype (text
        is parsed: true/false/1/0, ISO timestamps with or without an offset, exact integers
        from "3" or "3.0"); other columns are left alone and values are not checked (follow
        with ``validate``). With ``blank_strings`` (right for CSV) nulls in a required String
        column become "". Raises ContractViolation naming each column that cannot be cast.

        >>> import pandas as pd
        >>> from hypo_contracts import data_contract, Int64
        >>> @data_contract
        ... class Counts:
        ...     n = Int64()
        >>> Counts.coerce(pd.DataFrame({"n": ["1", "2.0"]}))["n"].tolist()
        [1, 2]
        """
        return coercion.coerce(own_info(cls, "coerce()"), df, blank_strings=blank_strings)

    @classmethod
    def read_csv(cls, path: Any, **kw: Any) -> pd.DataFrame:
        """``pandas.read_csv(path, **kw)`` keeping string, integer and string-category columns
        as text (a ``dtype=`` you pass wins, column by column), then :meth:`coerce`. Raises
        ContractViolation for what cannot be cast; values are not validated.

        >>> import io
        >>> from hypo_contracts import data_contract, String, Timestamp
        >>> @data_contract
        ... class Visits:
        ...     zip_code = String()
        ...     at = Timestamp(time_zone="UTC")
        >>> text = "zip_code,at\\n00501,2024-05-01 09:30+02:00\\n"
        >>> Visits.read_csv(io.StringIO(text)).to_dict("records")
        [{'zip_code': '00501', 'at': Timestamp('2024-05-01 07:30:00+0000', tz='UTC')}]
        """
        return coercion.read_csv(own_info(cls, "read_csv()"), path, **kw)

    @classmethod
    def read_parquet(cls, path: Any, **kw: Any) -> pd.DataFrame:
        """``pandas.read_parquet(path, **kw)``, then :meth:`coerce` without ``blank_strings``
        (Parquet tells nulls from empty strings): fixes categories of numbers, timestamp
        units and nullable variants. Raises ContractViolation for what cannot be cast.

        >>> import io
        >>> from hypo_contracts import data_contract, String, Timestamp
        >>> @data_contract
        ... class Visits:
        ...     zip_code = String()
        ...     at = Timestamp(time_zone="UTC")
        >>> buffer = io.BytesIO()
        >>> Visits.example(2, seed=0).to_parquet(buffer)
        >>> Visits.read_parquet(buffer).dtypes.astype(str).tolist()
        ['str', 'datetime64[ns, UTC]']
        """
        return coercion.read_parquet(own_info(cls, "read_parquet()"), path, **kw)


def _collect(cls: type) -> dict[str, Column]:
    found: dict[str, Column] = {}
    for klass in reversed(cls.__mro__):
        for key, value in vars(klass).items():
            if klass is cls and not key.startswith("__"):
                _check_attribute(cls.__name__, key, value)
            if isinstance(value, Column):
                found[key] = value  # a redefined column keeps its position
            elif key in found and not key.startswith("__"):
                del found[key]  # a subclass replaced the column with something else
    return found


def _check_attribute(name: str, key: str, value: Any) -> None:
    """Catch column declarations that would otherwise be silently ignored."""
    if isinstance(value, type) and issubclass(value, Column):
        raise ContractError(
            f"{name}.{key}: {value.__name__} is a column type, not a column; write "
            f"{value.__name__}() with parentheses."
        )
    if isinstance(value, tuple) and any(isinstance(v, Column) for v in value):
        raise ContractError(
            f"{name}.{key}: a tuple of columns, not a column (a trailing comma after "
            f"{next(v for v in value if isinstance(v, Column))!r}?); remove the comma."
        )


def _inherited_unique_together(cls: type) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for klass in cls.__mro__[1:]:
        info = vars(klass).get("__contract__")
        if isinstance(info, ContractInfo):
            out += [c for c in info.unique_together if c not in out]
    return out


def _build(
    cls: type, strict: bool, unique_together: Sequence[Sequence[str]] = ()
) -> type[Contract]:
    name = cls.__name__
    columns = _collect(cls)
    if not columns:
        raise ContractError(f"{name}: a data contract needs at least one column attribute.")
    for col in columns:
        if col.startswith("__") and col.endswith("__"):
            raise ContractError(
                f"{name}.{col}: names with leading and trailing double underscores belong "
                f"to Python; rename the column (e.g. {col.strip('_')!r})."
            )
        if col in _RESERVED:
            raise ContractError(
                f"{name}.{col}: the name {col!r} is reserved for the contract's own API; "
                "rename the column."
            )
    canonical = {
        col: canonicalise(column, contract=name, name=col) for col, column in columns.items()
    }
    if isinstance(unique_together, str) or not isinstance(unique_together, Iterable):
        raise TypeError(
            f"@data_contract(unique_together={unique_together!r}): pass a list of tuples of "
            "column names."
        )
    combos = _inherited_unique_together(cls)
    for combo in unique_together:
        if isinstance(combo, str) or not isinstance(combo, Iterable):
            raise ContractError(
                f"{name}: unique_together entries are tuples of column names, not {combo!r}."
            )
        if tuple(combo) not in combos:
            combos.append(tuple(combo))
    canonical, rules = compile_rules(name, canonical, combos)
    info = ContractInfo(
        name,
        MappingProxyType(columns),
        MappingProxyType(canonical),
        strict,
        references=canonical_references(name, columns, canonical),
        rules=rules,
        unique_together=tuple(combos),
    )
    bases: tuple[type, ...] = (cls,) if issubclass(cls, Contract) else (cls, Contract)
    namespace: dict[str, Any] = {
        "__module__": cls.__module__,
        "__qualname__": cls.__qualname__,
        "__doc__": cls.__doc__,
        "__contract__": info,
    }
    return cast("type[Contract]", _ContractMeta(name, bases, namespace))


st.register_type_strategy(_AnyContract, _resolve)


@overload
def data_contract(cls: type, /) -> type[Contract]: ...
@overload
def data_contract(
    *, strict: bool = False, unique_together: Sequence[Sequence[str]] = ()
) -> Callable[[type], type[Contract]]: ...


def data_contract(
    cls: Any = None, /, *, strict: bool = False, unique_together: Sequence[Sequence[str]] = ()
) -> Any:
    """Turn a class whose attributes are columns into a data contract.

    Use it bare (``@data_contract``) or called (``@data_contract(strict=True)``). With
    ``strict=True``, :meth:`Contract.validate` also rejects columns the contract does not
    declare. Contracts can extend contracts: a subclass adds (or replaces) columns.

    >>> from hypo_contracts import data_contract, Float64, Int64
    >>> @data_contract()
    ... class WineQuality:
    ...     pH = Float64().bounded_between(0, 14)
    ...     quality = Int64().bounded_between(0, 10)
    >>> WineQuality
    <contract WineQuality: pH, quality>
    >>> WineQuality.pH
    Float64().bounded_between(0, 14)
    """
    if not isinstance(strict, bool):
        raise TypeError(f"@data_contract(strict={strict!r}): strict must be True or False.")
    if cls is None:
        return lambda c: (
            _build(c, strict, unique_together) if isinstance(c, type) else data_contract(c)
        )
    if not isinstance(cls, type):
        raise TypeError(f"@data_contract decorates a class, not {cls!r}")
    return _build(cls, strict, unique_together)
