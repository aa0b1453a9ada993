"""Bring your pandera schema: :func:`from_pandera` turns it into a data contract.

Read: dtypes (numpy, pandas nullable, categories, naive and aware timestamps, pandera's
``Date``), ``nullable``, ``unique``, the built-in checks ``ge gt le lt in_range eq isin
str_matches str_contains str_startswith str_endswith str_length`` and ``strict``, and every
check :meth:`Contract.to_pandera` writes, so ``from_pandera(C.to_pandera())`` is ``C`` again.
A frame-level ``unique=[a, b]`` (and the check ``to_pandera`` writes for it) is
``unique_together``. Everything else (custom checks and lambdas, other frame-wide checks,
index schemas other than a plain int64 index, optional columns, regex column names) is
listed in one ContractError, or dropped with a warning listing it under
``unsupported="ignore"``.

>>> import pandera.pandas as pa
>>> schema = pa.DataFrameSchema(
...     {
...         "pH": pa.Column(float, pa.Check.in_range(0, 14)),
...         "grade": pa.Column(str, pa.Check.isin(["a", "b"]), nullable=True),
...     },
...     name="Wine",
... )
>>> Wine = from_pandera(schema)
>>> Wine.pH, Wine.grade
(Float64().lower_bound(0).upper_bound(14), String().accepted_values(['a', 'b']).is_optional())
>>> schema.validate(Wine.example(100, seed=0)).shape
(100, 2)
"""

from __future__ import annotations

import ast
import decimal
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine

from .. import declaration as d
from ..contract import Contract
from ..errors import ContractError
from ..interop import ContractDtype
from ..kinds import kind_of
from ..kinds.decimal import MAX_PRECISION, units_to_decimal
from .build import (
    Unsupported,
    Untranslatable,
    after,
    before,
    build_contract,
    ends_anchored,
    strip_anchors,
)

__all__ = ["from_pandera"]

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
#: checks that Contract.to_pandera writes and that are implied by the column itself
_IMPLIED = {"finite", "date_at_midnight", "categories_in_declared_order"}
_ANY_TEXT = "(?s:.*)"


def _load(source: Any) -> tuple[pa.DataFrameSchema, str]:
    if isinstance(source, pa.DataFrameSchema):
        return source, f"pandera schema {source.name or ''}".rstrip()
    if isinstance(source, type) and issubclass(source, pa.DataFrameModel):
        return source.to_schema(), f"pandera model {source.__name__}"
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.exists():
            raise FileNotFoundError(f"{path}: no such pandera schema file.")
        try:
            if path.suffix.lower() == ".json":
                return pa.DataFrameSchema.from_json(path), str(path)
            return pa.DataFrameSchema.from_yaml(path), str(path)
        except Exception as exc:
            raise ContractError(
                f"{path}: not a pandera schema ({type(exc).__name__}: {exc})"
            ) from None
    raise TypeError(
        "from_pandera takes a pandera DataFrameSchema, a DataFrameModel class or the path "
        f"of a pandera YAML/JSON file, not {type(source).__name__}."
    )


def _column_type(name: str, column: pa.Column, notes: Untranslatable) -> tuple[Any, str] | None:
    """The contract column (without constraints) and its kind, or None when untranslatable."""
    dtype = column.dtype
    if isinstance(dtype, ContractDtype):  # a schema written by Contract.to_pandera
        c = dtype.canonical
        kind = kind_of(c)
        col: Any = kind.declare(c)
        if kind.element_check(c) is not None:  # its bounds are in that check, not pandera's
            col = col.bounded_between(*(kind.pandas_value(c, b) for b in (c.lo, c.hi)))
        return col, c.kind
    if dtype is None:
        notes.add(name, "no dtype (a contract column has one)")
        return None
    if isinstance(dtype, pandas_engine.Decimal):
        return _pandera_decimal(name, dtype, notes)
    if type(dtype).__name__ == "Date":
        return d.Date(), "date"
    native = getattr(dtype, "type", dtype)
    if isinstance(native, pd.CategoricalDtype):
        cats = native.categories
        if cats is None:
            notes.add(name, "a category dtype without categories")
            return None
        return d.Category(list(cats)), "category"
    if isinstance(native, pd.DatetimeTZDtype):
        return d.Timestamp(time_zone=str(native.tz)), "timestamp"
    try:
        native = pd.api.types.pandas_dtype(native)
    except TypeError:
        notes.add(name, f"dtype {dtype} has no contract column type")
        return None
    # pandera maps ``str`` to numpy's unicode dtype on pandas 2 (``string[pyarrow]`` on 3)
    if isinstance(native, pd.StringDtype) or native == np.dtype(object) or native.kind == "U":
        return d.String(), "string"
    equivalent = getattr(native, "numpy_dtype", native)
    if native == pd.BooleanDtype() or equivalent == np.dtype(bool):
        return d.Bool(), "bool"
    if isinstance(equivalent, np.dtype):
        if equivalent.kind in "iu" and equivalent.name in _INTS:
            return _INTS[equivalent.name](), "int"
        if equivalent.name == "float64":
            return d.Float64(), "float"
        if equivalent.name == "float32":
            return d.Float32(), "float"
        if equivalent.kind == "M":
            return d.Timestamp(), "timestamp"
    notes.add(name, f"dtype {dtype} has no contract column type")
    return None


def _pandera_decimal(
    name: str, dtype: pandas_engine.Decimal, notes: Untranslatable
) -> tuple[Any, str] | None:
    """pandera's ``Decimal(p, s)`` counts the characters of ``str(value)``, a sign and the
    ``0`` of ``0.5`` included, so it reads as ``Decimal(p - 1, s)``, every value of which
    pandera accepts (``-9.9`` and ``-0.5`` are 4 characters), when ``s <= p - 2``."""
    p, s = dtype.precision, dtype.scale
    if not 2 <= p <= MAX_PRECISION + 1 or not 0 <= s <= p - 2:
        notes.add(
            name,
            f"dtype Decimal({p}, {s}) (pandera counts a sign and a leading 0 as digits, so it "
            f"reads as a contract Decimal(p - 1, s), which needs 2 <= p <= {MAX_PRECISION + 1} "
            "and s <= p - 2)",
        )
        return None
    return d.Decimal(p - 1, s), "decimal"


def _pattern(value: Any) -> tuple[str, bool]:
    if isinstance(value, re.Pattern):
        return value.pattern, not (value.flags & re.ASCII)
    return str(value), True  # pandas' str methods match Unicode classes


def _bound(kind: str, value: Any) -> Any:
    value = value.item() if isinstance(value, np.generic) else value
    if kind == "int" and isinstance(value, float) and value.is_integer():
        return int(value)  # pandera.infer_schema writes ge(0.0) for integer columns
    return value


def _exclusive(col: Any, kind: str, value: Any, upper: bool) -> Any:
    """The inclusive bound next to the exclusive bound ``value`` (beyond it, inwards)."""
    if kind != "decimal":
        return before(value, kind) if upper else after(value, kind)
    step = decimal.Decimal(1).scaleb(-col.scale)
    units = decimal.Decimal(str(value)).scaleb(col.scale)
    whole = units.to_integral_value(rounding=decimal.ROUND_FLOOR)
    if upper:
        whole = whole - 1 if whole == units else whole
        return units_to_decimal(int(whole), col.scale)
    return units_to_decimal(int(whole), col.scale) + step


def _apply_check(
    col: Any, kind: str, check: Any, where: str, notes: Untranslatable, state: dict[str, Any]
) -> Any:
    name = check.name
    stats = dict(check.statistics or {})
    numeric = kind in ("int", "float", "timestamp", "date", "timedelta", "decimal")
    own = f"decimal({col.precision}, {col.scale})" if kind == "decimal" else None
    if own is not None and isinstance(name, str) and name.startswith(own):
        # the element check Contract.to_pandera writes: the column itself, and its bounds
        # when it has any (``decimal(7, 2) within [-500.50, ...]``)
        rest = name[len(own) :]
        if rest.startswith(" within [") and rest.endswith("]"):
            low, _, high = rest[len(" within [") : -1].partition(", ")
            if low != "...":
                col = col.lower_bound(low)
            if high != "...":
                col = col.upper_bound(high)
            return col
        if not rest:
            return col
    if name in _IMPLIED:
        if name == "finite":
            state["finite"] = True
        return col
    if isinstance(name, str) and name.startswith("str_fullmatch(") and kind == "string":
        state["regex"] = (ast.literal_eval(name[len("str_fullmatch(") : -1]), state["unicode"])
        return col
    if numeric and name in ("greater_than_or_equal_to", "greater_than"):
        lo = _bound(kind, stats["min_value"])
        state["lo"] = True
        return col.lower_bound(
            lo if name.endswith("equal_to") else _exclusive(col, kind, lo, False)
        )
    if numeric and name in ("less_than_or_equal_to", "less_than"):
        hi = _bound(kind, stats["max_value"])
        state["hi"] = True
        return col.upper_bound(hi if name.endswith("equal_to") else _exclusive(col, kind, hi, True))
    if numeric and name == "in_range":
        lo, hi = _bound(kind, stats["min_value"]), _bound(kind, stats["max_value"])
        state["lo"] = state["hi"] = True
        col = col.lower_bound(
            lo if stats.get("include_min", True) else _exclusive(col, kind, lo, False)
        )
        return col.upper_bound(
            hi if stats.get("include_max", True) else _exclusive(col, kind, hi, True)
        )
    if name == "equal_to" and kind in ("int", "float", "timestamp", "date", "decimal"):
        state["lo"] = state["hi"] = True
        return col.bounded_between(stats["value"], stats["value"])
    if name == "equal_to" and kind == "string":
        return col.accepted_values([stats["value"]])
    if name == "isin" and kind in ("int", "string", "decimal"):
        return col.accepted_values(list(stats["allowed_values"]))
    if kind == "string" and name in ("str_matches", "str_contains"):
        pattern, unicode = _pattern(stats["pattern"])
        if name == "str_matches" and ends_anchored(pattern):
            state["regex"] = (strip_anchors(pattern), unicode)  # anchored at the end already
            return col
        inner = f"(?:{pattern}){_ANY_TEXT}"
        state["regex"] = (inner if name == "str_matches" else _ANY_TEXT + inner, unicode)
        return col
    if kind == "string" and name in ("str_startswith", "str_endswith"):
        text = re.escape(str(stats["string"]))
        regex = text + _ANY_TEXT if name == "str_startswith" else _ANY_TEXT + text
        state["regex"] = (regex, True)
        return col
    if kind == "string" and name == "str_length":
        exact = stats.get("exact_value")
        lo = exact if exact is not None else stats.get("min_value")
        hi = exact if exact is not None else stats.get("max_value")
        if lo is not None:
            col = col.min_length(int(lo))
        if hi is not None:
            col = col.max_length(int(hi))
        return col
    label = f"{name}({', '.join(f'{k}={v!r}' for k, v in stats.items())})" if stats else name
    notes.add(where, f"check {label} (on a column of kind {kind})")
    return col


def _column(name: str, column: pa.Column, notes: Untranslatable, origin: str) -> d.Column | None:
    found = _column_type(name, column, notes)
    if found is None:
        return None
    col, kind = found
    unicode = isinstance(column.dtype, ContractDtype) and column.dtype.canonical.unicode
    state: dict[str, Any] = {"finite": False, "regex": None, "unicode": unicode}
    regexes = []
    for check in column.checks:
        col = _apply_check(col, kind, check, name, notes, state)
        if state["regex"] is not None:
            regexes.append(state.pop("regex"))
            state["regex"] = None
    if len(regexes) > 1:
        notes.add(name, f"{len(regexes)} pattern checks (a contract column has one regex)")
    elif regexes:
        col = col.regex(regexes[0][0], unicode=regexes[0][1])
    if kind == "float" and not state["finite"]:
        canon_lo, canon_hi = _float_limits(col)
        if not (math.isfinite(canon_lo) and math.isfinite(canon_hi)):
            col = col.allow_infinity()  # pandera accepts inf unless bounded or checked
    if getattr(column, "regex", False):
        notes.add(name, "regex=True (a column pattern, not a column name)")
    if not column.required:
        notes.add(name, "required=False (contract columns are always present)")
    if column.nullable:
        col = col.is_optional()
    if column.unique:
        col = col.is_unique()
    return col


def _float_limits(col: Any) -> tuple[float, float]:
    lo, hi = -math.inf, math.inf
    for cname, args in col.constraints:
        if cname == "lower_bound":
            lo = max(lo, float(args[0]))
        elif cname == "upper_bound":
            hi = min(hi, float(args[0]))
    return lo, hi


def _range_index_fits(index: Any) -> bool:
    """Whether the RangeIndex of every generated frame satisfies the index schema (what
    ``pandera.infer_schema`` writes: an int64 index without checks)."""
    if isinstance(index, pa.MultiIndex) or index.checks:
        return False
    dtype = getattr(index.dtype, "type", index.dtype)
    return dtype is None or str(dtype) == "int64"


def _unique_together_check(name: Any, columns: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The columns of a frame-wide check ``to_pandera`` writes for ``unique_together``
    (named by the rule's text, ``"(a, b) unique together"``), or None for any other check."""
    found = re.fullmatch(r"\((.+)\) unique together", str(name))
    cols = tuple(found.group(1).split(", ")) if found else ()
    return cols if len(cols) > 1 and all(c in columns for c in cols) else None


def from_pandera(
    schema: Any, *, name: str | None = None, unsupported: Unsupported = "error"
) -> type[Contract]:
    """A data contract equal to a pandera schema: a ``pandera.pandas.DataFrameSchema``, a
    ``DataFrameModel`` class, or the path of a YAML/JSON file pandera wrote
    (``schema.to_yaml()``). ``name`` defaults to the schema's name. Untranslatable checks are
    a ContractError listing all of them; ``unsupported="ignore"`` drops them with one warning.

    >>> import pandera.pandas as pa
    >>> from_pandera(pa.DataFrameSchema({"x": pa.Column(int, pa.Check(lambda s: s > 0))}))
    Traceback (most recent call last):
    ...
    hypo_contracts.errors.ContractError: pandera schema: ...: x: check <lambda>...
    """
    loaded, origin = _load(schema)
    notes = Untranslatable(origin)
    columns: dict[str, d.Column] = {}
    for key, column in loaded.columns.items():
        col = _column(str(key), column, notes, origin)
        if col is not None:
            columns[str(key)] = col
    unique = loaded.unique
    together: list[tuple[str, ...]] = []
    if unique:
        names = [unique] if isinstance(unique, str) else [str(n) for n in unique]
        missing = [n for n in names if n not in columns]
        if missing:
            notes.add("schema", f"unique={names!r} over columns it does not have {missing!r}")
        elif len(names) == 1:
            columns[names[0]] = columns[names[0]].is_unique()
        else:
            together.append(tuple(names))
    for check in loaded.checks:
        combo = _unique_together_check(check.name, columns)
        if combo is not None and combo not in together:
            together.append(combo)
        elif combo is None:
            notes.add("schema", f"frame-wide check {check.name}")
    if loaded.index is not None and not _range_index_fits(loaded.index):
        notes.add("schema", f"index schema {loaded.index} (contracts describe columns only)")
    strict = loaded.strict
    if strict == "filter":
        notes.add("schema", "strict='filter' (validation does not drop columns)")
    return build_contract(
        name or loaded.name or "FromPandera",
        columns,
        origin=origin,
        notes=notes,
        unsupported=unsupported,
        strict=strict is True,
        unique_together=together,
    )
