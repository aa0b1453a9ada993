"""Shrink a failing data frame that Hypothesis did not make: the production-CSV debugger.

Hypothesis shrinks what it generated. :func:`shrink` does the same job for a frame that came
from somewhere else (a production extract, a customer's CSV): given a frame on which
``test(frame)`` raises, it searches for the smallest frame on which ``test`` still raises the
same way, preferring (shortlex, like Hypothesis) fewer rows, then fewer columns that differ
from their simplest value, then simpler values. With a contract every candidate is validated
first, so the minimal frame is one the pipeline could really receive.

>>> import pandas as pd
>>> df = pd.DataFrame({"id": range(500), "price": [9.99] * 500, "note": ["ok"] * 500})
>>> df.loc[321, "price"] = -120.75
>>> def pipeline(frame):
...     if (frame["price"] < 0).any():
...         raise ValueError("negative price")
>>> result = shrink(df, pipeline)
>>> result.frame
   price
0   -1.0
>>> result.complete, result.error
(True, ValueError('negative price'))
"""

from __future__ import annotations

import cmath
import datetime as dt
import decimal
import hashlib
import math
import pickle
import textwrap
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import _bulk
from .compiled import contract_info
from .constraints import NS_PER_DAY, Canonical
from .errors import ContractViolation

__all__ = ["NothingToShrink", "ShrinkResult", "shrink"]

#: The clock used for ``timeout`` (a module attribute so that tests can replace it).
_now = time.monotonic

_NS_UNITS = (NS_PER_DAY, 3_600 * 10**9, 60 * 10**9, 10**9)  # days, hours, minutes, seconds
_MAX_VALUE_TRIES = 32  # earlier categories / accepted values tried per cell
_PASS, _FAIL, _INVALID = 0, 1, 2


class NothingToShrink(ValueError):
    """``test`` did not raise on the frame given to :func:`shrink`, so there is no failure to
    shrink.

    >>> import pandas as pd
    >>> try:
    ...     shrink(pd.DataFrame({"x": [1, 2]}), lambda df: None)
    ... except NothingToShrink as e:
    ...     print(e)
    test did not raise on the original frame (2 rows x 1 column), so there is nothing to
    shrink. shrink() needs a frame on which test(frame) raises.
    """


class _Stop(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# ------------------------------------------------------------------------------------------
# the result


@dataclass(frozen=True, eq=False)
class ShrinkResult:
    """What :func:`shrink` found.

    ``frame`` is the minimal frame (a new object), ``error`` the exception ``test`` raised on
    it, ``calls`` how many times ``test`` ran (the original frame included), ``complete``
    whether the search ran to its end (False when ``max_calls``, ``timeout`` or Ctrl-C stopped
    it; ``stopped_by`` then says which, and ``frame`` is the best found so far), ``elapsed``
    the wall time in seconds.

    >>> import pandas as pd
    >>> def train(df):
    ...     if (df["x"] < 0).any():
    ...         raise ValueError("negative x")
    >>> result = shrink(pd.DataFrame({"x": [3, -7, 5, 1]}), train)
    >>> result.frame.to_dict("list"), type(result.error).__name__, result.complete
    ({'x': [-1]}, 'ValueError', True)
    """

    frame: pd.DataFrame
    error: BaseException
    calls: int
    complete: bool
    stopped_by: str | None = None
    elapsed: float = 0.0
    test: Callable[[pd.DataFrame], Any] | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        state = "complete" if self.complete else f"stopped by {self.stopped_by}"
        return (
            f"ShrinkResult({_shape(self.frame)}, {type(self.error).__name__}, "
            f"calls={self.calls}, {state})"
        )

    def to_pytest(self, name: str = "test_regression", *, target: str | None = None) -> str:
        """The source of a pytest module with one test, ``name``, that rebuilds the minimal
        frame as a literal (dtypes preserved) and calls the user's function on it: the test
        fails the same way as the original frame until the bug is fixed, then passes and keeps
        the bug from coming back.

        The function is imported from ``test.__module__`` by its ``__qualname__``; pass
        ``target="module:function"`` when that is not importable (functions defined in
        ``__main__``, in a notebook or inside another function).

        >>> import pandas as pd
        >>> def pipeline(frame):
        ...     if (frame["n"] > 10).any():
        ...         raise OverflowError("too many")
        >>> result = shrink(pd.DataFrame({"n": [4, 19, 2]}), pipeline)
        >>> print(result.to_pytest(target="my_project.train:pipeline"))
        \"\"\"Regression test written by hypo_contracts.shrink: the minimal frame on which
        my_project.train:pipeline raised OverflowError. It fails until the bug is fixed.\"\"\"
        <BLANKLINE>
        import pandas as pd
        <BLANKLINE>
        from my_project.train import pipeline
        <BLANKLINE>
        <BLANKLINE>
        def test_regression() -> None:
            # raised OverflowError: too many
            df = pd.DataFrame(
                {
                    "n": pd.Series([11], dtype="int64"),
                }
            )
            pipeline(df)
        <BLANKLINE>
        """
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"to_pytest(name=...) needs a Python identifier, not {name!r}")
        module, qualname = _target(self.test, target)
        imports: set[str] = {"pandas as pd"}
        literal = frame_literal(self.frame, imports)
        exc_name = type(self.error).__name__
        message = _first_line(self.error)
        head = qualname.split(".")[0]
        lines = [
            '"""Regression test written by hypo_contracts.shrink: the minimal frame on which',
            f'{module}:{qualname} raised {exc_name}. It fails until the bug is fixed."""',
            "",
        ]
        plain = sorted(i for i in imports if not i.startswith("from "))
        lines += [f"import {i}" for i in plain]
        lines.append("")
        froms = sorted(i for i in imports if i.startswith("from "))
        froms.append(f"from {module} import {head}")
        lines += sorted(dict.fromkeys(froms))
        lines += ["", "", f"def {name}() -> None:"]
        lines.append(f"    # raised {message or exc_name}")
        lines.append("    df = " + textwrap.indent(literal, "    ").lstrip())
        lines.append(f"    {qualname}(df)")
        return "\n".join(lines) + "\n"


def _shape(df: pd.DataFrame) -> str:
    """``"1 row x 3 columns"``."""
    rows, cols = df.shape
    return f"{rows} row{'' if rows == 1 else 's'} x {cols} column{'' if cols == 1 else 's'}"


def _first_line(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= 90 else line[:87] + "..."


def _target(test: Any, target: str | None) -> tuple[str, str]:
    if target is not None:
        module, sep, qualname = target.partition(":")
        if not sep or not module or not qualname.replace(".", "_").isidentifier():
            raise ValueError(f"target must look like 'module:function', not {target!r}")
        return module, qualname
    found_module = getattr(test, "__module__", None)
    found_qualname = getattr(test, "__qualname__", None)
    if not isinstance(found_module, str) or not isinstance(found_qualname, str):
        raise ValueError(
            f"cannot tell where {test!r} is defined; pass to_pytest(target='module:function')"
        )
    module, qualname = found_module, found_qualname
    if "<" in qualname or module == "__main__":
        where = "in __main__" if module == "__main__" else f"as {qualname}"
        raise ValueError(
            f"{qualname} is defined {where}, so a test module cannot import it: move it to an "
            "importable module or pass to_pytest(target='module:function')"
        )
    return module, qualname


# ------------------------------------------------------------------------------------------
# frame literals


def frame_literal(df: pd.DataFrame, imports: set[str] | None = None) -> str:
    """Python source that rebuilds ``df`` exactly (values, dtypes, index, column names).

    ``imports`` collects the modules the source needs (``"numpy as np"``, ...).

    >>> import pandas as pd
    >>> df = pd.DataFrame({"k": pd.Categorical(["b", None], categories=["a", "b"])})
    >>> print(frame_literal(df))
    pd.DataFrame(
        {
            "k": pd.Series(["b", None], dtype=pd.CategoricalDtype(["a", "b"], ordered=False)),
        }
    )
    >>> pd.testing.assert_frame_equal(eval(frame_literal(df)), df)
    """
    imports = imports if imports is not None else set()
    imports.add("pandas as pd")
    n = len(df)
    names = list(df.columns)
    plain = df.columns.is_unique and all(_literal_ok(name) for name in names)  # dict keys
    if df.shape[1] == 0:
        rows = _index_literal(df.index, imports) or f"pd.RangeIndex({n})"
        columns = _index_literal(df.columns, imports)
        return f"pd.DataFrame(index={rows}" + (f", columns={columns})" if columns else ")")
    entries = []
    for pos, name in enumerate(names):
        key = _py_literal(name, imports) if plain else str(pos)
        entries.append(f"        {key}: {_series_literal(df.iloc[:, pos], imports)},")
    body = "pd.DataFrame(\n    {\n" + "\n".join(entries) + "\n    }\n)"
    if not plain or any(level is not None for level in df.columns.names):
        body += f".set_axis({_index_literal(df.columns, imports)}, axis=1)"
    index = _index_literal(df.index, imports)
    if index is not None:
        body += f".set_axis({index}, axis=0)"
    return body


def _literal_ok(value: Any) -> bool:
    try:
        _py_literal(value, set())
    except ValueError:
        return False
    return True


def _index_literal(index: pd.Index, imports: set[str]) -> str | None:
    if isinstance(index, pd.RangeIndex) and index.name is None:
        if index.start == 0 and index.step == 1:
            return None
        return f"pd.RangeIndex({index.start}, {index.stop}, {index.step})"
    if isinstance(index, pd.MultiIndex):
        levels = ", ".join(
            _series_literal(pd.Series(index.get_level_values(i)), imports)
            for i in range(index.nlevels)
        )
        names = ", ".join(_py_literal(nm, imports) for nm in index.names)
        return f"pd.MultiIndex.from_arrays([{levels}], names=[{names}])"
    name = f", name={_py_literal(index.name, imports)}" if index.name is not None else ""
    return f"pd.Index({_series_literal(pd.Series(index), imports)}{name})"


def _dtype_literal(dtype: Any, imports: set[str]) -> str:
    if isinstance(dtype, pd.CategoricalDtype):
        cats = ", ".join(_py_literal(c, imports) for c in dtype.categories)
        return f"pd.CategoricalDtype([{cats}], ordered={bool(dtype.ordered)})"
    text = str(dtype)
    try:
        same = pd.api.types.pandas_dtype(text) == dtype
    except TypeError:
        same = False
    if same:
        return f'"{text}"'
    if isinstance(dtype, pd.StringDtype):  # "string" means another storage than dtype's
        na_value = "pd.NA" if dtype.na_value is pd.NA else _py_literal(dtype.na_value, imports)
        return f'pd.StringDtype("{dtype.storage}", na_value={na_value})'
    raise ValueError(f"cannot write dtype {dtype!r} as a literal")


def _series_literal(s: pd.Series, imports: set[str]) -> str:
    none_for_missing = isinstance(s.dtype, pd.CategoricalDtype) or (
        pd.api.types.is_string_dtype(s.dtype) and s.dtype != object
    )
    values = ", ".join(
        "None" if none_for_missing and _is_null(v) else _py_literal(v, imports) for v in s.tolist()
    )
    return f"pd.Series([{values}], dtype={_dtype_literal(s.dtype, imports)})"


def _tz_name_ok(value: pd.Timestamp) -> bool:
    try:
        return pd.Timestamp(value.isoformat(), tz=str(value.tz)) == value
    except Exception:
        return False


def _py_literal(value: Any, imports: set[str]) -> str:
    if value is None or value is pd.NA:
        return "None" if value is None else "pd.NA"
    if value is pd.NaT:
        return "pd.NaT"
    if isinstance(value, (np.datetime64, np.timedelta64)):  # .item() may give a bare int
        imports.add("numpy as np")
        unit, count = np.datetime_data(value.dtype)
        args = f'"{value}"' if isinstance(value, np.datetime64) else str(value.astype(np.int64))
        if np.isnat(value):
            args = '"NaT"'
        unit_arg = "" if unit == "generic" else f', "{"" if count == 1 else count}{unit}"'
        return f"np.{type(value).__name__}({args}{unit_arg})"
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, str):
        text = repr(value)
        return f'"{text[1:-1]}"' if text.startswith("'") and '"' not in value else text
    if isinstance(value, (bool, int, bytes)):
        return repr(value)
    if isinstance(value, float):
        if math.isnan(value):
            imports.add("numpy as np")
            return "np.nan"
        if math.isinf(value):
            imports.add("numpy as np")
            return "np.inf" if value > 0 else "-np.inf"
        return repr(value)
    if isinstance(value, complex):
        if cmath.isfinite(value):
            return repr(value)
        return f"complex({_py_literal(value.real, imports)}, {_py_literal(value.imag, imports)})"
    if isinstance(value, pd.Timestamp):
        tz = ""
        if value.tz is not None and _tz_name_ok(value):
            tz = f', tz="{value.tz}"'
        return f'pd.Timestamp("{value.isoformat()}"{tz})'
    if isinstance(value, pd.Timedelta):
        return f'pd.Timedelta("{value}")'
    if isinstance(value, (pd.Period, pd.Interval)):
        return "pd." + repr(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        tzinfo = getattr(value, "tzinfo", None)
        if tzinfo is not None and not isinstance(tzinfo, dt.timezone):
            raise ValueError(
                f"cannot write the aware {type(value).__name__} {value!r} as a literal"
            )
        imports.add("datetime")
        return repr(value)
    if isinstance(value, decimal.Decimal):
        imports.add("decimal")
        return f"decimal.{value!r}"
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        inner = ", ".join(_py_literal(v, imports) for v in items)
        if isinstance(value, tuple):
            return f"({inner}{',' if len(value) == 1 else ''})"
        if isinstance(value, (set, frozenset)):
            text = "{" + inner + "}" if value else "()"
            return text if type(value) is set and value else f"{type(value).__name__}({text})"
        return f"[{inner}]"
    if isinstance(value, dict):
        inner = ", ".join(
            f"{_py_literal(k, imports)}: {_py_literal(v, imports)}" for k, v in value.items()
        )
        return "{" + inner + "}"
    raise ValueError(f"cannot write {value!r} ({type(value).__name__}) as a Python literal")


# ------------------------------------------------------------------------------------------
# failure identity


def _origin(exc: BaseException, depth: int = 0) -> tuple[Any, ...]:
    """Exception type and (file, line) of the innermost traceback frame, and the same for
    the exception it was raised from (Hypothesis's notion of "the same failure")."""
    tb = exc.__traceback__
    where: tuple[str, int] | None = None
    while tb is not None:
        where = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    chained = exc.__cause__
    if chained is None and not exc.__suppress_context__:
        chained = exc.__context__
    inner = _origin(chained, depth + 1) if chained is not None and depth < 4 else ()
    return (type(exc), where, inner)


def describe_failure(exc: BaseException) -> str:
    """``"ValueError at file.py:12: message"``: the failure as :func:`shrink` identifies it.

    >>> try:
    ...     int("x")
    ... except ValueError as e:
    ...     print(describe_failure(e).split(" at ")[0])
    ValueError
    """
    _, where, _ = _origin(exc)
    place = f" at {where[0]}:{where[1]}" if where else ""
    message = str(exc).strip().splitlines()
    return f"{type(exc).__name__}{place}" + (f": {message[0]}" if message else "")


# ------------------------------------------------------------------------------------------
# column models: what "simplest" means for each column


@dataclass(frozen=True)
class _Model:
    kind: str  # bool int float complex string values timestamp timedelta object opaque
    canonical: Canonical | None = None
    droppable: bool = True
    values: tuple[Any, ...] | None = None
    tz: Any = None
    unit_ns: int = 1


def _model(s: pd.Series, c: Canonical | None, droppable: bool) -> _Model:
    dtype = s.dtype
    unit = _unit_ns(dtype)
    if c is not None:
        if c.values is not None:
            return _Model("values", c, droppable, values=c.values)
        if c.kind in ("timestamp", "date"):
            return _Model("timestamp", c, droppable, tz=c.tz, unit_ns=unit)
        return _Model(c.kind, c, droppable)
    if isinstance(dtype, pd.CategoricalDtype):
        return _Model("values", None, droppable, values=tuple(dtype.categories))
    if pd.api.types.is_bool_dtype(dtype):
        return _Model("bool", None, droppable)
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return _Model("timestamp", None, droppable, tz=getattr(dtype, "tz", None), unit_ns=unit)
    if pd.api.types.is_timedelta64_dtype(dtype):
        return _Model("timedelta", None, droppable, unit_ns=unit)
    if pd.api.types.is_integer_dtype(dtype):
        return _Model("int", None, droppable)
    if pd.api.types.is_float_dtype(dtype):
        return _Model("float", None, droppable)
    if pd.api.types.is_complex_dtype(dtype):
        return _Model("complex", None, droppable)
    if dtype == np.dtype(object):
        return _Model("object", None, droppable)
    if pd.api.types.is_string_dtype(dtype):
        return _Model("string", None, droppable)
    return _Model("opaque", None, droppable)


def _unit_ns(dtype: Any) -> int:
    unit = getattr(dtype, "unit", None)
    if unit is None and isinstance(dtype, np.dtype) and dtype.kind in "mM":
        unit = np.datetime_data(dtype)[0]
    return {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}.get(str(unit), 1)


def _ts(ns: int, tz: Any) -> pd.Timestamp:
    ts = pd.Timestamp(int(ns), unit="ns")
    return ts.tz_localize("UTC").tz_convert(tz) if tz is not None else ts


def _simplest_of(model: _Model, value: Any = None) -> Any:
    """The simplest non-null value of a column (for ``object`` columns: of ``value``'s type);
    ``None`` when there is none."""
    c = model.canonical
    if c is not None:
        if c.kind == "timestamp":
            return _ts(c.simplest, c.tz)
        if c.kind == "date":
            return _ts(int(c.simplest) * NS_PER_DAY, None)
        return c.simplest
    kind = model.kind if model.kind != "object" else _py_kind(value)
    if kind == "values":
        return model.values[0] if model.values else None
    return {
        "bool": False,
        "int": 0,
        "float": 0.0,
        "complex": 0j,
        "string": "",
        "timestamp": _ts(0, model.tz),
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


def _is_null(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, (float, np.floating)) and math.isnan(value)


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:
        return False


def _simple_column(model: _Model, s: pd.Series, distinct: bool) -> pd.Series | None:
    """``s`` with every value simplest (``distinct``: the simplest distinct values), same
    index and dtype; ``None`` when that cannot be built."""
    n = len(s)
    c = model.canonical
    try:
        if c is not None:
            if distinct or c.unique:
                # the simplest value first: enumerate_simplest draws regex matches at random
                first = _bulk.simplest_raw(c, 1)
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


def _plain_simple_values(model: _Model, s: pd.Series, distinct: bool) -> list[Any] | None:
    n = len(s)
    kind = model.kind
    if kind == "object":
        if distinct:
            return None
        return [v if _is_null(v) else _simplest_of(model, v) for v in s.tolist()]
    if kind in ("opaque", "complex") and distinct:
        return None
    if not distinct:
        value = _simplest_of(model)
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
        return [_ts(i * NS_PER_DAY, model.tz) for i in range(n)]
    if kind == "timedelta":
        return [pd.Timedelta(seconds=i) for i in range(n)]
    return None


# ------------------------------------------------------------------------------------------
# value shrinkers: each calls ``attempt(candidate)`` (True when the candidate still fails and
# was accepted) from the simplest candidate upwards.

Attempt = Callable[[Any], bool]


def _int_search(v: int, c0: int, attempt: Attempt, cast: Callable[[int], Any] = int) -> None:
    """Binary search for the integer closest to ``c0`` that still fails, between ``c0``
    (assumed to pass) and ``v`` (known to fail); ``cast`` turns it into the candidate."""
    sign = 1 if v >= c0 else -1
    lo, hi = 0, abs(v - c0)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if attempt(cast(c0 + sign * mid)):
            hi = mid
        else:
            lo = mid


def _shrink_int(v: int, c0: int, attempt: Attempt) -> None:
    if attempt(c0):
        return
    _int_search(v, c0, attempt)


def _shrink_float(v: float, c0: float, attempt: Attempt, cast: Callable[[float], float]) -> None:
    if attempt(c0) or not math.isfinite(v):
        return
    if abs(v) >= 2.0**53:  # huge: the smallest power of ten (in magnitude) that still fails
        sign = 1.0 if v > 0 else -1.0
        top = math.floor(math.log10(abs(v)))
        if not attempt(cast(sign * 10.0**top)):
            return
        lo, hi = -1, top
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if attempt(cast(sign * 10.0**mid)):
                hi = mid
            else:
                lo = mid
        v = cast(sign * 10.0**hi)
    if v != math.trunc(v):
        tried: list[float] = []
        for raw in [float(math.trunc(v))] + [round(v, k) for k in range(17)]:
            cand = cast(raw)
            if cand == v or cand in tried or not math.isfinite(cand):
                continue
            tried.append(cand)
            if attempt(cand):
                v = cand
                break
    if v == math.trunc(v) and c0 == math.trunc(c0) and abs(v - c0) >= 2:
        _int_search(int(v), int(c0), attempt, cast=lambda i: cast(float(i)))


def _shrink_string(v: str, c0: str, attempt: Attempt) -> None:
    if not attempt(c0):  # else the shortest prefix that still fails
        _int_search(len(v), 0, attempt, cast=lambda k: v[:k])


def _shrink_ns(v: int, c0: int, attempt: Attempt, unit_ns: int) -> None:
    """Timestamps and timedeltas as integer nanoseconds: the smallest distance from ``c0`` that
    still fails in whole days, then refined in whole hours, minutes and seconds (sub-second
    values are kept only when no whole second fails)."""
    if attempt(c0):
        return
    sign = 1 if v >= c0 else -1
    lo, d = 0, abs(v - c0)  # lo: a distance assumed to pass; d: a distance known to fail
    for unit in _NS_UNITS:
        if unit < unit_ns:
            break
        hi_k = d // unit
        if hi_k * unit <= lo:
            continue
        if hi_k * unit != d:
            if not attempt(c0 + sign * hi_k * unit):
                lo = hi_k * unit
                continue
            d = hi_k * unit
        lo_k = lo // unit
        while hi_k - lo_k > 1:
            mid = (lo_k + hi_k) // 2
            if attempt(c0 + sign * mid * unit):
                hi_k = mid
            else:
                lo_k = mid
        d, lo = hi_k * unit, max(lo, lo_k * unit)


# ------------------------------------------------------------------------------------------
# the shrinker


def _row_hashes(df: pd.DataFrame) -> np.ndarray | None:
    """One hash per row (values and index label); ``None`` for unhashable cells. The hashes
    of ``df.iloc[rows]`` are ``_row_hashes(df)[rows]``, so row subsets are keyed cheaply."""
    try:
        hashes = pd.util.hash_pandas_object(df, index=True).to_numpy()
        for j, dtype in enumerate(df.dtypes):  # objects are hashed by str(): tell 1, "1" apart
            if dtype == np.dtype(object):
                types = np.array([type(v).__qualname__ for v in df.iloc[:, j].to_numpy()])
                hashes = hashes ^ (pd.util.hash_array(types) * np.uint64(j + 1))
        return hashes
    except (TypeError, ValueError):
        return None


def _key(df: pd.DataFrame, row_hashes: np.ndarray | None = None) -> bytes:
    """The cache key of a candidate: a digest of its shape, dtypes, column names and rows
    (``row_hashes``: ``_row_hashes(df)`` when already known)."""
    h = hashlib.blake2b(digest_size=20)
    h.update(repr((df.shape, [str(t) for t in df.dtypes])).encode())
    h.update(pickle.dumps(list(df.columns)))
    rows = row_hashes if row_hashes is not None else _row_hashes(df)
    if rows is not None:
        h.update(rows.tobytes())
    else:
        try:
            h.update(pickle.dumps(df))
        except Exception:
            h.update(repr(id(df)).encode())
    return h.digest()


class _Display:
    """A rich progress line on stderr (rows, columns, calls, elapsed), or nothing."""

    def __init__(self, enabled: bool | None) -> None:
        self._progress: Any = None
        self._task: Any = None
        if enabled is False:
            return
        from rich.console import Console

        console = Console(stderr=True)
        if enabled is None and not console.is_terminal:
            return
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("shrinking [bold]{task.fields[phase]}[/bold]"),
            TextColumn("rows {task.fields[rows]}  columns {task.fields[cols]}"),
            TextColumn("calls {task.fields[calls]}"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )

    def __enter__(self) -> _Display:
        if self._progress is not None:
            self._progress.start()
            self._task = self._progress.add_task(
                "shrink", total=None, phase="", rows="?", cols="?", calls=0
            )
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def update(self, phase: str, rows: int, cols: int, calls: int) -> None:
        if self._progress is not None:
            self._progress.update(self._task, phase=phase, rows=rows, cols=cols, calls=calls)


Candidate = tuple[pd.DataFrame, bool, list[int] | None, np.ndarray | None]
Make = Callable[[np.ndarray], Candidate]  # kept items -> the arguments of _Shrinker.attempt


class _Shrinker:
    def __init__(
        self,
        test: Callable[[pd.DataFrame], Any],
        schema: Any,
        same_failure: bool,
        max_calls: int | None,
        timeout: float | None,
        display: _Display,
    ) -> None:
        self.test = test
        self.schema = schema
        self.same_failure = same_failure
        self.max_calls = max_calls
        self.timeout = timeout
        self.display = display
        self.cache: dict[bytes, int] = {}
        self.calls = 0
        self.changes = 0
        self.phase = "start"
        self.start = _now()
        self.origin: tuple[Any, ...] = ()
        self.cur = pd.DataFrame()
        self.cur_key = b""
        self.error: BaseException | None = None
        self.colids: list[int] = []
        self.models: list[_Model] = []

    # -- running the test ---------------------------------------------------------------

    def call(self, df: pd.DataFrame) -> BaseException | None:
        if self.max_calls is not None and self.calls >= self.max_calls:
            raise _Stop("max_calls")
        if self.timeout is not None and self.calls and _now() - self.start >= self.timeout:
            raise _Stop("timeout")
        self.calls += 1
        try:
            self.test(df.copy())
        except KeyboardInterrupt:
            raise _Stop("interrupt") from None
        except BaseException as exc:
            return exc
        finally:
            self.display.update(self.phase, len(self.cur), self.cur.shape[1], self.calls)
        return None

    def valid(self, df: pd.DataFrame) -> bool:
        try:
            self.schema.validate(df, lazy=False)
        except Exception:
            return False
        return True

    def attempt(
        self,
        df: pd.DataFrame,
        validate: bool,
        colids: list[int] | None = None,
        row_hashes: np.ndarray | None = None,
    ) -> bool:
        """Run ``test`` on a candidate (unless cached); accept it when it fails the same way."""
        key = _key(df, row_hashes)
        if key == self.cur_key:
            return False
        outcome = self.cache.get(key)
        error: BaseException | None = None
        if outcome is None:
            if validate and self.schema is not None and not self.valid(df):
                self.cache[key] = _INVALID
                return False
            error = self.call(df)
            fails = error is not None and (not self.same_failure or _origin(error) == self.origin)
            outcome = _FAIL if fails else _PASS
            self.cache[key] = outcome
        if outcome != _FAIL or error is None:
            return False  # passes, or a frame accepted earlier (never go back)
        self.cur, self.cur_key, self.error = df, key, error
        if colids is not None:
            self.colids = colids
        self.changes += 1
        return True

    # -- the search -----------------------------------------------------------------------

    def run(self, frame: pd.DataFrame) -> None:
        self.cur = frame
        self.colids = list(range(frame.shape[1]))
        error = self.call(frame)
        if error is None:
            raise NothingToShrink(
                f"test did not raise on the original frame ({_shape(frame)}), so there is "
                "nothing to\nshrink. shrink() needs a frame on which test(frame) raises."
            )
        self.origin = _origin(error)
        self.error = error
        self.cur_key = _key(frame)
        self.cache[self.cur_key] = _FAIL
        first = True
        while True:
            before = self.changes
            self.rows(first)
            first = False
            self.index()
            self.columns()
            self.values()
            if self.changes == before:
                return

    def reduce(self, items: np.ndarray, make: Make, chunk: int) -> np.ndarray:
        """Delete chunks of ``items`` (halving the chunk size) while the candidate still fails,
        ending 1-minimal: no single item can be removed."""
        chunk = max(1, min(chunk, len(items)))
        while len(items):
            i, changed = 0, False
            while i < len(items):
                keep = np.concatenate([items[:i], items[i + chunk :]])
                if self.attempt(*make(keep)):
                    items, changed = keep, True
                else:
                    i += chunk
            if chunk == 1 and not changed:
                break
            chunk = max(1, min(chunk // 2, len(items) // 2))
        return items

    def bisect(self, items: np.ndarray, make: Make) -> np.ndarray:
        """Halve while one half fails on its own. When the first half passes, assume the second
        fails and descend into it untested; the assumption is checked at the end, so a single
        culprit in n rows costs about log2(n) + 1 calls."""
        verified, cur, checked = items, items, True
        while len(cur) > 1:
            half = (len(cur) + 1) // 2
            first, second = cur[:half], cur[half:]
            if self.attempt(*make(first)):
                verified, cur, checked = first, first, True
            else:
                cur, checked = second, False
        if not checked and self.attempt(*make(cur)):
            verified = cur
        return verified

    def rows(self, first: bool) -> None:
        """Bisection, then chunk deletion. After the first round the rows were 1-minimal, and
        usually still are: unless bisection found fewer, check one row at a time (n calls,
        not 2n)."""
        self.phase = "rows"
        base, ids = self.cur, self.colids
        hashes = _row_hashes(base)

        def make(keep: np.ndarray) -> Candidate:
            return base.iloc[keep], False, ids, None if hashes is None else hashes[keep]

        n = len(base)
        if n == 0 or self.attempt(*make(np.arange(0))):
            return
        items = self.bisect(np.arange(n), make) if n > 1 else np.arange(n)
        self.reduce(items, make, len(items) // 2 if first or len(items) < n else 1)

    def index(self) -> None:
        idx = self.cur.index
        if isinstance(idx, pd.RangeIndex) and idx.start == 0 and idx.step == 1 and idx.name is None:
            return
        self.phase = "index"
        self.attempt(self.cur.reset_index(drop=True), False)

    def columns(self) -> None:
        self.phase = "columns"
        base, ids = self.cur, self.colids
        ncols = base.shape[1]
        droppable = np.array(
            [j for j in range(ncols) if self.models[ids[j]].droppable], dtype=np.int64
        )
        fixed = [j for j in range(ncols) if not self.models[ids[j]].droppable]

        def drop(keep: np.ndarray) -> Candidate:
            pos = sorted(fixed + keep.tolist())
            return base.iloc[:, pos], False, [ids[p] for p in pos], None

        if len(droppable):
            self.reduce(droppable, drop, len(droppable))

        base, ids = self.cur, self.colids
        simple: dict[int, pd.Series] = {}
        for j in range(base.shape[1]):
            model = self.models[ids[j]]
            column = base.iloc[:, j]
            const = _simple_column(model, column, distinct=False)
            if const is not None and not column.equals(const):
                simple[j] = const

        def simplify(keep: np.ndarray) -> Candidate:
            cand = base.copy()
            kept = set(keep.tolist())
            for j, col in simple.items():
                if j not in kept:
                    cand.isetitem(j, col.array)
            return cand, True, None, None

        if simple:
            self.reduce(np.array(sorted(simple), dtype=np.int64), simplify, len(simple))

        # columns that look like keys (all distinct): the simplest distinct values
        for j in range(self.cur.shape[1]):
            model = self.models[self.colids[j]]
            column = self.cur.iloc[:, j]
            if len(column) < 2 or (model.canonical is not None and model.canonical.unique):
                continue
            try:
                if column.isna().any() or column.duplicated().any():
                    continue
            except TypeError:
                continue
            distinct = _simple_column(model, column, distinct=True)
            if distinct is not None and not column.equals(distinct):
                cand = self.cur.copy()
                cand.isetitem(j, distinct.array)
                self.attempt(cand, True)

    def set_cells(self, j: int, rows: Sequence[int], value: Any) -> bool:
        cand = self.cur.copy()
        try:
            cand.iloc[list(rows), j] = value
        except (TypeError, ValueError, OverflowError, KeyError):
            return False
        if cand.dtypes.iloc[j] != self.cur.dtypes.iloc[j]:
            return False
        return self.attempt(cand, True)

    def values(self) -> None:
        self.phase = "values"
        for j in range(self.cur.shape[1]):
            model = self.models[self.colids[j]]
            if model.kind == "opaque":
                continue
            column = self.cur.iloc[:, j]
            try:  # values repeated in several rows are first shrunk together
                groups = [
                    np.flatnonzero((column == value).to_numpy(dtype=bool, na_value=False))
                    for value in pd.unique(column.dropna())
                ]
            except (TypeError, ValueError):
                groups = []
            targets = [g.tolist() for g in groups if len(g) > 1]
            for rows in targets + [[r] for r in range(len(column))]:
                value = self.cur.iat[rows[0], j]
                self.shrink_value(model, j, rows, value)

    def shrink_value(self, model: _Model, j: int, rows: Sequence[int], value: Any) -> None:
        c0 = _simplest_of(model, value)
        if c0 is None or (not _is_null(value) and _same(value, c0)):
            return
        dtype = self.cur.dtypes.iloc[j]

        def attempt(candidate: Any) -> bool:
            return self.set_cells(j, rows, candidate)

        if _is_null(value):
            attempt(c0)
            return
        kind = model.kind if model.kind != "object" else _py_kind(value)
        if kind == "bool":
            attempt(c0)
        elif kind == "int":
            _shrink_int(int(value), int(c0), attempt)
        elif kind == "float":
            np_type = dtype.type if isinstance(dtype, np.dtype) and dtype.kind == "f" else float

            def cast(x: float) -> float:
                return float(np_type(x))

            _shrink_float(float(value), cast(float(c0)), attempt, cast)
        elif kind == "string":
            _shrink_string(str(value), str(c0), attempt)
        elif kind == "values" and model.values is not None:
            try:
                idx = model.values.index(value)
            except ValueError:
                return
            for cand in model.values[: min(idx, _MAX_VALUE_TRIES)]:
                if attempt(cand):
                    return
        elif kind == "timestamp":
            tz = model.tz

            def attempt_ts(ns: int) -> bool:
                return attempt(_ts(ns, tz))

            _shrink_ns(int(pd.Timestamp(value).value), int(c0.value), attempt_ts, model.unit_ns)
        elif kind == "timedelta":

            def attempt_td(ns: int) -> bool:
                return attempt(pd.Timedelta(int(ns), unit="ns"))

            _shrink_ns(int(pd.Timedelta(value).value), 0, attempt_td, model.unit_ns)
        elif kind == "complex":
            attempt(c0)


# ------------------------------------------------------------------------------------------
# the public function


def shrink(
    frame: pd.DataFrame,
    test: Callable[[pd.DataFrame], Any],
    *,
    contract: Any = None,
    same_failure: bool = True,
    max_calls: int | None = None,
    timeout: float | None = None,
    progress: bool | None = None,
) -> ShrinkResult:
    """Find the smallest frame on which ``test`` still fails the way it fails on ``frame``.

    ``test(df)`` is the user's pipeline: a candidate fails when it raises (a return value is
    ignored). With ``same_failure=True`` only an exception of the same type raised at the
    same place (file and line of the innermost traceback frame, and the same for a chained
    cause) counts, so the search never slides to another bug; ``same_failure=False`` accepts
    any exception.

    Candidates are tried in shortlex order of preference, like Hypothesis: fewer rows
    (bisection, then ddmin-style chunk deletion: one culprit row in n costs about log2(n)
    calls), then fewer columns that differ from their simplest value (columns are dropped
    when the failure survives, except the contract's), then simpler values. "Simplest" is the
    contract's when one is given (0 clamped into range, the first accepted value, the
    shortest valid string, non-null; distinct simple values in unique columns), otherwise the
    dtype's (0, ``""``, ``False``, the first category, 1970-01-01). With a contract ``frame``
    must satisfy it and every candidate is validated before it is run; invalid candidates do
    not count as calls. No candidate runs twice (a cache keyed by a hash of the frame).

    ``frame`` is never modified (``test`` receives copies). ``max_calls`` (calls of ``test``,
    the first one included), ``timeout`` (seconds, checked between calls) and Ctrl-C stop the
    search early and return the best frame so far with ``complete=False``. ``progress`` shows
    a rich progress line on stderr; by default only when stderr is a terminal.

    Raises :class:`NothingToShrink` when ``test`` does not raise on ``frame``, and
    :class:`~hypo_contracts.ContractViolation` when ``frame`` breaks ``contract``.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"day": range(1000), "sensor": ["a"] * 1000, "reading": 0.5})
    >>> df.loc[801, "day"] = 17  # a duplicated (day, sensor) key
    >>> def pipeline(frame):
    ...     frame.pivot(index="day", columns="sensor", values="reading")
    >>> result = shrink(df, pipeline)
    >>> result.frame
       day sensor  reading
    0    0             0.0
    1    0             0.0
    >>> result.calls
    63
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"shrink() expects a pandas DataFrame, not {type(frame).__name__}")
    if not callable(test):
        raise TypeError(f"shrink(test=...) must be callable, not {test!r}")
    if max_calls is not None and (
        isinstance(max_calls, bool) or not isinstance(max_calls, (int, np.integer)) or max_calls < 1
    ):
        raise ValueError(f"max_calls must be a whole number >= 1 or None, not {max_calls!r}")
    if timeout is not None and (
        isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0
    ):
        raise ValueError(f"timeout must be a number of seconds > 0 or None, not {timeout!r}")
    if progress is not None and not isinstance(progress, bool):
        raise TypeError(f"progress must be True, False or None, not {progress!r}")

    info = contract_info(contract, "shrink(contract=...)") if contract is not None else None
    original = frame.copy(deep=True)
    schema = None
    if info is not None:
        from .interop import to_pandera, validate

        try:
            validate(info, original)
        except ContractViolation as exc:
            raise ContractViolation(
                f"shrink(): the frame to shrink does not satisfy its contract, so no valid "
                f"smaller frame can be derived from it.\n{exc}",
                failures=exc.failures,
            ) from None
        schema = to_pandera(info)

    with _Display(progress) as display:
        shrinker = _Shrinker(
            test,
            schema,
            same_failure,
            None if max_calls is None else int(max_calls),
            timeout,
            display,
        )
        canonical = info.canonical if info is not None else {}
        shrinker.models = [
            _model(
                original.iloc[:, j],
                canonical.get(name) if isinstance(name, str) else None,
                droppable=name not in canonical,
            )
            for j, name in enumerate(original.columns)
        ]
        stopped_by: str | None = None
        try:
            shrinker.run(original)
        except _Stop as stop:
            if shrinker.error is None:  # interrupted on the original frame
                raise KeyboardInterrupt from None
            stopped_by = stop.reason
        except KeyboardInterrupt:
            if shrinker.error is None:
                raise
            stopped_by = "interrupt"
    assert shrinker.error is not None
    return ShrinkResult(
        frame=shrinker.cur.copy(deep=True),
        error=shrinker.error,
        calls=shrinker.calls,
        complete=stopped_by is None,
        stopped_by=stopped_by,
        elapsed=_now() - shrinker.start,
        test=test,
    )
