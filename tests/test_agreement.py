"""One home per rule (issue 10): ``values.cast_value``, the sklearn target check and pandera
agree on every cell of every generated contract.

For each column of a random contract (:func:`tests.contract_strategies.contracts`) the test
takes valid cells (from ``C.example``) and invalid candidates (just outside the bounds, wrong
types, strings breaking the lengths or the regex, non-members of accepted values and
categories, nulls, infinities), and asks three judges:

* **values**: a null is accepted iff the column is optional; any other value iff
  ``values.cast_value`` raises no ``BadValue``;
* **target**: ``sklearn.checks.check_target`` on a one-row prediction array raises no
  ``PipelineCheckFailed``;
* **pandera**: the column's schema (``C.to_pandera()``) accepts a one-row frame holding the
  cell *in the column's dtype*.

Deliberate differences, which the test states rather than hides:

* pandera checks dtypes, ``cast_value`` casts: pandera judges the cell *as stored* in the
  column's dtype (``1`` in a ``bool`` column is stored as ``True``), and ``cast_value`` must
  give that stored cell the same verdict. Cells the dtype cannot hold (``300`` in ``int8``,
  ``"a"`` in ``float64``, a non-member in a categorical) or change (``"x"`` is ``True`` in
  a ``bool`` column) are not shown to pandera; a null in a numpy ``bool`` or integer column is
  shown in the nullable twin (``boolean``, ``Int64``), which the dtype check accepts.
* for a categorical column, the categorical dtype is a fourth judge of membership: a value
  ``cast_value`` accepts is one pandas holds as a category, and the other way round.
* the target check accepts what scikit-learn returns for a valid label: ``0``/``1`` (ints
  or floats) for a boolean target, and bool predictions of a numeric target as ``0``/``1``;
  otherwise it must agree with ``cast_value`` on the raw cell.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandera.errors import SchemaError, SchemaErrors

from hypo_contracts.constraints import NS_PER_DAY, Canonical
from hypo_contracts.sklearn.checks import check_target
from hypo_contracts.sklearn.spec import PipelineCheckFailed
from hypo_contracts.times import TD_MAX, TD_MIN
from hypo_contracts.values import BadValue, cast_value, is_null
from tests.contract_strategies import contracts


def values_accepts(c: Canonical, v: Any) -> bool:
    if is_null(v):
        return c.nullable
    try:
        cast_value(c, v)
    except BadValue:
        return False
    return True


def target_accepts(c: Canonical, v: Any) -> bool:
    pred = np.empty(1, dtype=object) if isinstance(v, (tuple, list)) else np.array([v])
    if pred.dtype.kind == "O":
        pred[0] = v
    try:
        check_target(c, pred)
    except PipelineCheckFailed:
        return False
    return True


def expected_target(c: Canonical, v: Any) -> bool:
    """The values verdict, with the target check's two documented allowances."""
    if c.kind == "bool" and c.values is None and not is_null(v):
        if isinstance(v, (int, float, np.number)) and not isinstance(v, np.bool_) and v in (0, 1):
            return True
    if c.kind in ("int", "float") and isinstance(v, (bool, np.bool_)):
        return values_accepts(c, int(v))
    return values_accepts(c, v)


def stored(c: Canonical, v: Any) -> pd.Series | None:
    """A one-row series holding ``v`` in ``c``'s dtype, or ``None`` if the dtype can't (a
    null in a numpy ``bool`` or integer dtype is held in its nullable twin, which the
    column's dtype check accepts too)."""
    dtype = c.dtype
    if is_null(v) and c.kind in ("int", "bool") and isinstance(dtype, np.dtype):
        dtype = "boolean" if c.kind == "bool" else c.dtype_name.capitalize().replace("Ui", "UI")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            s = pd.Series([v], dtype=dtype)
        except Exception:
            return None
        held = s.iloc[0]
        if is_null(v) or is_null(held):
            return s if is_null(v) and is_null(held) else None
        try:
            same = bool(held == v)
        except Exception:
            same = False
    return s if same else None  # the dtype changed the value: not a question of values


def pandera_accepts(schema: pa.DataFrameSchema, name: str, s: pd.Series) -> bool:
    one = pa.DataFrameSchema({name: schema.columns[name]})
    try:
        one.validate(pd.DataFrame({name: s}), lazy=True)
    except (SchemaError, SchemaErrors):
        return False
    return True


def categorical_holds(c: Canonical, v: Any) -> bool:
    """Whether pandas' categorical dtype of ``c`` holds ``v`` (a non-member becomes NaN)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return not is_null(pd.Series([v], dtype=c.dtype).iloc[0])


def _timestamp(c: Canonical, ns: int) -> Any:
    ts = pd.Timestamp(ns, unit="ns")
    return ts.tz_localize("UTC").tz_convert(c.tz) if c.tz else ts


def candidates(c: Canonical) -> list[Any]:
    """Cells at and around every rule of ``c``."""
    out: list[Any] = [None, np.nan, "x", True, False, 0, 1, 1.5]
    if c.values is not None:
        members = list(c.values)
        out += members
        if all(isinstance(m, str) for m in members):
            out += ["zz", "", members[0] + "q", 5]
        else:
            out += [max(members) + 1, min(members) - 1, str(members[0]), float(members[0])]
            out += [bool(m) for m in members if m in (0, 1)]  # True == 1, but not a member
    if c.kind == "int":
        out += [c.lo, c.hi, c.lo - 1, c.hi + 1, float(c.lo), c.lo + 0.5, np.int64(0), math.inf]
    if c.kind == "float":
        t = np.dtype(c.dtype_name).type
        for b, away in ((c.lo, -math.inf), (c.hi, math.inf)):
            if math.isfinite(b):
                out += [t(b), np.nextafter(t(b), t(away)), float(b)]
        out += [math.inf, -math.inf, t(0.25), 1e300, "1.0"]
    if c.kind == "string" and c.values is None:
        out += ["", "a" * max(c.min_len - 1, 0), "a" * c.min_len, "7" * c.min_len, 5]
        if c.max_len is not None:
            out += ["a" * (c.max_len + 1), "1" * c.max_len]
        out += ["red", "ABC-1234", "abab", "xy", "ff00", "12", "red!", "x y"]
    if c.kind == "timestamp":
        for ns in (c.lo, c.hi):
            ts = _timestamp(c, ns)
            out += [ts, ts - pd.Timedelta(1), ts + pd.Timedelta(1)]
            out += [ts.tz_localize(None) if c.tz else ts.tz_localize("UTC")]
        out += [pd.NaT, "2000-01-01", c.lo]
    if c.kind == "date":
        for days in (c.lo, c.hi):
            ts = pd.Timestamp(days * NS_PER_DAY, unit="ns")
            out += [ts, ts - pd.Timedelta(days=1), ts + pd.Timedelta(days=1)]
            out += [ts + pd.Timedelta(hours=1), ts.date(), ts.tz_localize("UTC")]
        out += [pd.NaT, dt.date(2000, 1, 1), "2000-01-01"]
    if c.kind == "timedelta":
        for ns in (c.lo, c.hi):
            out += [pd.Timedelta(ns)]
            if TD_MIN < ns - 1:
                out += [pd.Timedelta(ns - 1)]
            if ns + 1 < TD_MAX:
                out += [pd.Timedelta(ns + 1)]
        out += [pd.NaT, "1h", pd.Timedelta(0), np.timedelta64(5, "s")]
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contracts(max_columns=4), st.integers(0, 2**32))
def test_values_target_check_and_pandera_agree_on_every_cell(generated: Any, seed: int) -> None:
    contract, _ = generated
    schema = contract.to_pandera()
    example = contract.example(3, seed=seed)
    for name, c in contract.__contract__.canonical.items():
        cells = [*example[name].tolist(), *candidates(c)]
        for v in cells:
            verdict = values_accepts(c, v)
            assert target_accepts(c, v) == expected_target(c, v), (c, v, verdict)
            s = stored(c, v)
            if s is None:
                continue
            held = s.iloc[0]
            assert pandera_accepts(schema, name, s) == values_accepts(c, held), (c, v, held)
            if c.kind == "category" and not is_null(v):
                assert values_accepts(c, v) == categorical_holds(c, v), (c, v)
        for v in example[name].tolist():
            assert values_accepts(c, v), (c, v)


def test_a_bool_is_not_a_member_of_integer_categories() -> None:
    """``True == 1`` and ``hash(True) == hash(1)``: a dict lookup alone took ``True`` for
    the category ``1``, which pandas' categorical dtype refuses (it holds NaN)."""
    from hypo_contracts import Category, data_contract

    @data_contract
    class K:
        k = Category([1, 2])
        b = Category([True, False])

    k, b = K.__contract__.canonical.values()
    for c, v in ((k, True), (k, np.True_), (b, 1), (b, 0)):
        assert not values_accepts(c, v) and not categorical_holds(c, v), (c, v)
        assert not target_accepts(c, v), (c, v)
    assert values_accepts(k, 1) and values_accepts(k, 1.0) and values_accepts(b, True)
