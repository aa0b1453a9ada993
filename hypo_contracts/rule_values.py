"""Values of a column from pandas, checked: what ``computed`` columns and patterns derive.

:func:`from_result` evaluates a ``computed`` rule's function on the columns it uses and
returns the column's raw values (:mod:`hypo_contracts._bulk`), raising
:class:`~hypo_contracts.errors.GenerationError` for a result the column cannot hold;
:func:`series_to_raw` is the cast and check on their own.

>>> import pandas as pd
>>> from hypo_contracts import data_contract, Float64
>>> @data_contract
... class Order:
...     price = Float64().bounded_between(0, 10)
...     total = Float64().computed(lambda df: df["price"] * 2, uses=["price"])
>>> rule = Order.__contract__.rules[0]
>>> total = Order.__contract__.canonical["total"]
>>> raw, null = from_result(total, rule, pd.DataFrame({"price": [1.5]}))
>>> raw.tolist()
[3.0]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .constraints import Canonical
from .errors import ContractError, GenerationError
from .kinds import kind_of
from .rules import Rule

__all__ = ["from_result", "series_to_raw"]


def _computed_text(rule: Rule) -> str:
    name = getattr(rule.fn, "__name__", "fn")
    return f"computed({name}, uses={list(rule.uses)!r})"


def from_result(
    c: Canonical, rule: Rule, frame: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray | None]:
    """``rule.fn(frame)`` as column ``c``'s raw values and null mask; GenerationError naming
    the first row whose result breaks the column."""
    assert rule.fn is not None
    n = len(frame)
    result = rule.fn(frame)
    where = f"{c.where}: {_computed_text(rule)}"
    if np.ndim(result) == 0:
        s = pd.Series([result] * n)
    else:
        if c.values is None and isinstance(result, (pd.Series, np.ndarray)):
            fast = kind_of(c).raw_of_result(c, result, n)  # the common case, without pandas
            if fast is not None:
                return fast
        s = pd.Series(result)
    if len(s) != n:
        raise GenerationError(f"{where} returned {len(s)} values for {n} rows.")
    return series_to_raw(c, s, f"{where} gave")


def series_to_raw(
    c: Canonical, s: pd.Series, where: str, error: type[ContractError] = GenerationError
) -> tuple[np.ndarray, np.ndarray | None]:
    """Values of column ``c`` (any Series pandas can cast) as raw values and a null mask
    (``None`` for a required column); ``error`` (``where`` + the value, its row and why) for
    the first value the column cannot hold.

    >>> import pandas as pd
    >>> from hypo_contracts import data_contract, Int64
    >>> @data_contract
    ... class C:
    ...     n = Int64().bounded_between(0, 9)
    >>> raw, null = series_to_raw(C.__contract__.canonical["n"], pd.Series([1.0, 7]), "n")
    >>> raw.tolist(), null
    ([1, 7], None)
    """
    n = len(s)
    s = s.reset_index(drop=True)
    null = s.isna().to_numpy(dtype=bool)

    def bad(mask: np.ndarray, why: str) -> ContractError:
        i = int(np.flatnonzero(mask)[0])
        value = s.iloc[i]
        shown = value.item() if isinstance(value, np.generic) else value
        return error(f"{where} {shown!r} (row {i}), which {why}.")

    if null.any() and not c.nullable:
        return_null = null
        raise bad(return_null, "is null, but the column is not optional")
    try:
        raw = _cast(c, s, null)
    except (TypeError, ValueError, OverflowError) as exc:
        first = np.zeros(n, dtype=bool)
        first[getattr(exc, "row", 0)] = True  # a kind's BadValue names its row
        raise bad(first, f"cannot be cast to {c.dtype_name} ({exc})") from None
    if c.values is not None:
        missing = (raw < 0) & ~null
        if missing.any():
            raise bad(missing, f"is not among the accepted values {list(c.values)!r}")
        raw = np.where(null, 0, raw)
    else:
        fault = kind_of(c).raw_fault(c, raw, null)
        if fault is not None:
            raise bad(*fault)
    return raw, (null if c.nullable else None)


def _cast(c: Canonical, s: pd.Series, null: np.ndarray) -> np.ndarray:
    if c.values is not None:
        values = s.astype(object).where(~null, None)
        return pd.Index(list(c.values), dtype=object).get_indexer(values.to_numpy(dtype=object))
    return kind_of(c).raw_of_series(c, s, null)
