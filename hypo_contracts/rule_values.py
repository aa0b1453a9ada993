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

from typing import Any

import numpy as np
import pandas as pd

from .constraints import NS_PER_DAY, Canonical
from .errors import ContractError, GenerationError
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
    elif c.kind == "float" and c.values is None and isinstance(result, (pd.Series, np.ndarray)):
        fast = _float_result(c, result, n, where)  # the common case, without pandas
        if fast is not None:
            return fast
        s = pd.Series(result)
    else:
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
        first = np.ones(n, dtype=bool)
        raise bad(first, f"cannot be cast to {c.dtype_name} ({exc})") from None
    if c.values is not None:
        missing = (raw < 0) & ~null
        if missing.any():
            raise bad(missing, f"is not among the accepted values {list(c.values)!r}")
        raw = np.where(null, 0, raw)
    elif c.kind in ("int", "float", "timestamp", "date"):
        with np.errstate(invalid="ignore"):
            low = ~null & (raw < c.lo)
            high = ~null & (raw > c.hi)
        if low.any():
            raise bad(low, f"is below its lower bound {c.lo!r}")
        if high.any():
            raise bad(high, f"is above its upper bound {c.hi!r}")
        if c.kind == "float" and not c.allow_inf and np.isinf(raw[~null]).any():
            raise bad(np.isinf(raw) & ~null, "is infinite (declare allow_infinity())")
    elif c.kind == "string":
        lengths = np.array([len(v) if isinstance(v, str) else -1 for v in raw])
        wrong = ~null & (
            (lengths < c.min_len) | (lengths > (c.max_len if c.max_len is not None else 2**62))
        )
        rx = c.compiled_regex
        if rx is not None:
            wrong |= ~null & np.array(
                [not (isinstance(v, str) and rx.fullmatch(v)) for v in raw], dtype=bool
            )
        if wrong.any():
            raise bad(wrong, "breaks the column's length or regex constraints")
    return raw, (null if c.nullable else None)


def _float_result(
    c: Canonical, result: Any, n: int, where: str
) -> tuple[np.ndarray, np.ndarray | None] | None:
    """A numeric float result checked with numpy alone; None to take the general path
    (wrong length, non-numeric values or a value that breaks the column, for its message)."""
    try:
        if isinstance(result, pd.Series):
            arr = result.to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            arr = np.asarray(result, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if arr.shape != (n,):
        return None
    null = np.isnan(arr)
    has_null = bool(null.any())
    with np.errstate(invalid="ignore"):
        ok = (arr >= c.lo) & (arr <= c.hi) | null
    if (has_null and not c.nullable) or not ok.all():
        return None
    if not c.allow_inf and np.isinf(arr).any():
        return None
    out = arr.astype(c.dtype_name)  # a copy
    if has_null:
        out[null] = 0.0
    return out, (null if c.nullable else None)


def _cast(c: Canonical, s: pd.Series, null: np.ndarray) -> np.ndarray:
    if c.values is not None:
        values = s.astype(object).where(~null, None)
        return pd.Index(list(c.values), dtype=object).get_indexer(values.to_numpy(dtype=object))
    if c.kind == "bool":
        return s.where(~null, False).astype(bool).to_numpy()
    if c.kind == "string":
        out = s.astype(object).to_numpy(dtype=object).copy()
        out[null] = ""
        return out
    if c.kind in ("timestamp", "date"):
        t = pd.to_datetime(s)
        if isinstance(t.dtype, pd.DatetimeTZDtype):
            if c.kind == "date" or c.tz is None:
                raise ValueError("aware timestamps for a naive column")
            t = t.dt.tz_convert("UTC").dt.tz_localize(None)
        elif c.tz is not None:
            raise ValueError("naive timestamps for an aware column")
        ns = t.astype("datetime64[ns]").to_numpy().view(np.int64).copy()
        ns[null] = 0
        if c.kind == "date":
            if (ns % NS_PER_DAY != 0).any():
                raise ValueError("dates have a time of day")
            return ns // NS_PER_DAY
        return ns
    if c.kind == "int":
        f = pd.to_numeric(s.where(~null, 0))
        if pd.api.types.is_float_dtype(f.dtype):
            arr = f.to_numpy(dtype=np.float64)
            if not (np.isfinite(arr) & (arr == np.floor(arr))).all():
                raise ValueError("not whole numbers")
            if ((arr < float(c.lo)) | (arr > float(c.hi))).any():
                return arr  # out of range: reported as such
        return f.to_numpy().astype(c.dtype_name)
    arr = s.astype(np.float64).to_numpy(dtype=np.float64, na_value=np.nan).copy()
    arr[null] = 0.0
    return arr.astype(c.dtype_name)
