"""Hypothesis strategies that generate random *contracts*, and an independent checker.

Used to property-test the compiler: every satisfiable combination of column type and
constraints must compile, and every frame it produces must pass both pandera validation and
``independent_violations`` below, which re-implements the rules without any library code.
"""

from __future__ import annotations

import datetime as dt
import decimal
import itertools
import math
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import strategies as st

import hypo_contracts as hc

INT_TYPES = {
    "int8": hc.Int8,
    "int16": hc.Int16,
    "int32": hc.Int32,
    "int64": hc.Int64,
    "uint8": hc.UInt8,
    "uint16": hc.UInt16,
    "uint32": hc.UInt32,
    "uint64": hc.UInt64,
}
# (pattern, shortest match, longest match or None for unbounded)
REGEXES = [
    (r"[A-Z]{3}-\d{4}", 8, 8),
    (r"\d+", 1, None),
    (r"(ab|cde)*", 0, None),
    (r"[a-f0-9]{2,6}", 2, 6),
    (r"x\w?y", 2, 3),
    (r"(red|green|blue)", 3, 5),
]
TZS = [None, "UTC", "Europe/Paris"]
T0 = pd.Timestamp("1990-01-01").value
T1 = pd.Timestamp("2030-01-01").value
MAX_ROWS = 12

#: pandas' default string dtype: "str" on pandas 3, "object" on pandas 2.
STR = str(pd.Series(["a"]).dtype)


@dataclass
class Spec:
    """What the test expects of one generated column, independently of the library."""

    column: Any
    dtype: str
    lo: Any = None
    hi: Any = None
    values: list[Any] | None = None
    min_len: int = 0
    max_len: int | None = None
    regex: str | None = None
    nullable: bool = False
    unique: bool = False
    allow_inf: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _finish(draw: Any, column: Any, spec: Spec, capacity: float) -> Spec:
    if draw(st.booleans()):
        column = column.is_optional()
        spec.nullable = True
    if capacity >= MAX_ROWS and draw(st.integers(0, 3)) == 0:
        column = column.is_unique()
        spec.unique = True
    spec.column = column
    return spec


@st.composite
def int_columns(draw: Any) -> Spec:
    name = draw(st.sampled_from(sorted(INT_TYPES)))
    info = np.iinfo(name)
    lo, hi = sorted(
        draw(st.lists(st.integers(int(info.min), int(info.max)), min_size=2, max_size=2))
    )
    column = INT_TYPES[name]()
    how = draw(st.sampled_from(["none", "lower", "upper", "between", "both"]))
    slo, shi = int(info.min), int(info.max)
    if how in ("lower", "both"):
        column, slo = column.lower_bound(lo), lo
    if how in ("upper", "both"):
        column, shi = column.upper_bound(hi), hi
    if how == "between":
        column, slo, shi = column.bounded_between(lo, hi), lo, hi
    values = None
    if draw(st.integers(0, 3)) == 0:
        inside = draw(st.lists(st.integers(slo, shi), min_size=1, max_size=5, unique=True))
        outside = draw(st.lists(st.integers(int(info.min), int(info.max)), max_size=3))
        column = column.accepted_values(inside + outside)
        values = sorted({v for v in inside + outside if slo <= v <= shi})
    dtype = "Int" + name[3:] if name.startswith("int") else "UInt" + name[4:]
    spec = Spec(column, name, lo=slo, hi=shi, values=values, extra={"nullable_dtype": dtype})
    spec = _finish(draw, column, spec, len(values) if values else shi - slo + 1)
    if spec.nullable:
        spec.dtype = dtype
    return spec


@st.composite
def float_columns(draw: Any) -> Spec:
    width = draw(st.sampled_from(["float64", "float32"]))
    column = hc.Float64() if width == "float64" else hc.Float32()
    finite = st.floats(-1e30, 1e30, allow_nan=False).map(lambda x: float(np.float32(x)))
    a, b = sorted(draw(st.lists(finite, min_size=2, max_size=2)))
    how = draw(st.sampled_from(["none", "lower", "upper", "between"]))
    lo, hi = -math.inf, math.inf
    if how == "lower":
        column, lo = column.lower_bound(a), a
    elif how == "upper":
        column, hi = column.upper_bound(b), b
    elif how == "between":
        column, lo, hi = column.bounded_between(a, b), a, b
    allow_inf = how != "between" and draw(st.booleans())
    if allow_inf:
        column = column.allow_infinity()
    spec = Spec(column, width, lo=lo, hi=hi, allow_inf=allow_inf)
    t = np.dtype(width).type
    x = t(lo if math.isfinite(lo) else -1e30)
    for _ in range(MAX_ROWS):
        x = np.nextafter(x, t(math.inf))
    return _finish(draw, column, spec, math.inf if x <= hi else 1)


@st.composite
def string_columns(draw: Any) -> Spec:
    column = hc.String()
    spec = Spec(column, STR)
    how = draw(st.sampled_from(["plain", "lengths", "regex", "regex+lengths", "values"]))
    if how in ("regex", "regex+lengths"):
        pattern, rmin, rmax = draw(st.sampled_from(REGEXES))
        column = column.regex(pattern)
        spec.regex = pattern
        if how == "regex+lengths":
            top = rmax if rmax is not None else rmin + 6
            lo = draw(st.integers(0, top))
            hi = draw(st.integers(max(lo, rmin), max(lo, rmin) + 6))
            if pattern == r"(ab|cde)*" and hi == 1:  # no match has length 1
                hi = 2
            column = column.min_length(lo).max_length(hi)
            spec.min_len, spec.max_len = lo, hi
    if how == "lengths":
        lo = draw(st.integers(0, 5))
        hi = draw(st.integers(lo, lo + 10))
        column = column.min_length(lo).max_length(hi)
        spec.min_len, spec.max_len = lo, hi
    capacity: float = 1 if spec.max_len == 0 else math.inf
    if how == "values":
        values = draw(st.lists(st.text("abcxyz", max_size=4), min_size=1, max_size=6, unique=True))
        column = column.accepted_values(values)
        spec.values = values
        capacity = len(values)
    if how == "regex" and spec.regex == r"(red|green|blue)":
        capacity = 3
    if how == "regex+lengths":
        capacity = 0  # no uniqueness: the match language may be tiny
    spec.column = column
    return _finish(draw, column, spec, capacity)


@st.composite
def other_columns(draw: Any) -> Spec:
    kind = draw(st.sampled_from(["bool", "category", "timestamp", "date", "timedelta"]))
    if kind == "bool":
        spec = _finish(draw, hc.Bool(), Spec(hc.Bool(), "bool"), 2)
        spec.dtype = "boolean" if spec.nullable else "bool"
        return spec
    if kind == "category":
        cats = draw(
            st.one_of(
                st.lists(
                    st.text("pqrs", min_size=1, max_size=3), min_size=1, max_size=5, unique=True
                ),
                st.lists(st.integers(-5, 50), min_size=1, max_size=5, unique=True),
            )
        )
        weights = None
        if draw(st.booleans()):
            weights = draw(st.lists(st.integers(1, 100), min_size=len(cats), max_size=len(cats)))
        column = hc.Category(cats, weights=weights)
        return _finish(draw, column, Spec(column, "category", values=cats), len(cats))
    if kind == "timedelta":
        return _timedelta_column(draw)
    if kind == "timestamp":
        tz = draw(st.sampled_from(TZS))
        a, b = sorted(draw(st.lists(st.integers(T0, T1), min_size=2, max_size=2)))
        lo, hi = pd.Timestamp(a, tz="UTC"), pd.Timestamp(b, tz="UTC")
        if tz is None:
            lo, hi = lo.tz_localize(None), hi.tz_localize(None)
        else:
            lo, hi = lo.tz_convert(tz), hi.tz_convert(tz)
        column = hc.Timestamp(time_zone=tz).bounded_between(lo, hi)
        dtype = f"datetime64[ns, {tz}]" if tz else "datetime64[ns]"
        return _finish(draw, column, Spec(column, dtype, lo=lo, hi=hi), b - a + 1)
    a, b = sorted(
        draw(st.lists(st.dates(dt.date(1700, 1, 1), dt.date(2250, 1, 1)), min_size=2, max_size=2))
    )
    column = hc.Date().bounded_between(a, b)
    spec = Spec(column, "datetime64[ns]", lo=pd.Timestamp(a), hi=pd.Timestamp(b))
    return _finish(draw, column, spec, (b - a).days + 1)


def _timedelta_column(draw: Any) -> Spec:
    """A Timedelta column: no bounds, one, or both (as strings, pd.Timedelta or timedelta)."""
    a, b = sorted(draw(st.lists(st.integers(-(2**62), 2**62), min_size=2, max_size=2)))
    how = draw(st.sampled_from(["none", "lower", "upper", "between"]))
    as_bound = draw(st.sampled_from([pd.Timedelta, lambda ns: str(pd.Timedelta(ns))]))
    column = hc.Timedelta()
    lo, hi = pd.Timedelta.min, pd.Timedelta.max
    if how == "lower":
        column, lo = column.lower_bound(as_bound(a)), pd.Timedelta(a)
    elif how == "upper":
        column, hi = column.upper_bound(as_bound(b)), pd.Timedelta(b)
    elif how == "between":
        column, lo, hi = (
            column.bounded_between(as_bound(a), as_bound(b)),
            pd.Timedelta(a),
            pd.Timedelta(b),
        )
    capacity = int(hi.value) - int(lo.value) + 1 if how == "between" else math.inf
    return _finish(draw, column, Spec(column, "timedelta64[ns]", lo=lo, hi=hi), capacity)


def _decimal(units: int, scale: int) -> decimal.Decimal:
    """``units`` of ``10**-scale`` as a Decimal with ``scale`` digits after the point."""
    sign = "-" if units < 0 else ""
    digits = str(abs(units)).rjust(scale + 1, "0")
    return decimal.Decimal(f"{sign}{digits[: len(digits) - scale]}.{digits[len(digits) - scale :]}")


@st.composite
def decimal_columns(draw: Any) -> Spec:
    """A ``Decimal(precision, scale)`` column: random digits, bounds given as Decimals or
    strings (sometimes with one digit too many, which rounds inwards), accepted values."""
    precision = draw(st.integers(1, 18))
    scale = draw(st.integers(0, precision))
    top = 10**precision - 1
    a, b = sorted(draw(st.lists(st.integers(-top, top), min_size=2, max_size=2)))
    column = hc.Decimal(precision, scale)
    how = draw(st.sampled_from(["none", "lower", "upper", "between"]))
    extra = draw(st.booleans())  # one more digit than the scale: rounds inwards

    def bound(units: int, upper: bool) -> tuple[Any, int]:
        if extra:  # units + 0.5 (upper, rounds down to units) or units - 0.5 (rounds up)
            text = str(_decimal(10 * units + (5 if upper else -5), scale + 1))
            if abs(10 * units + (5 if upper else -5)) <= 10 * top:
                return text, units
        as_bound = draw(st.sampled_from([str, lambda d: d]))
        return as_bound(_decimal(units, scale)), units

    slo, shi = -top, top
    if how in ("lower", "between"):
        a_bound, slo = bound(a, upper=False)
    if how in ("upper", "between"):
        b_bound, shi = bound(b, upper=True)
    if how == "lower":
        column = column.lower_bound(a_bound)
    elif how == "upper":
        column = column.upper_bound(b_bound)
    elif how == "between":
        column = column.bounded_between(a_bound, b_bound)
    values = None
    if draw(st.integers(0, 3)) == 0:
        inside = draw(st.lists(st.integers(slo, shi), min_size=1, max_size=5, unique=True))
        outside = draw(st.lists(st.integers(-top, top), max_size=3))
        as_value = draw(st.sampled_from([str, lambda d: d]))
        column = column.accepted_values([as_value(_decimal(u, scale)) for u in inside + outside])
        values = [
            _decimal(u, scale) for u in sorted({u for u in inside + outside if slo <= u <= shi})
        ]
    spec = Spec(
        column,
        "object",
        lo=_decimal(slo, scale),
        hi=_decimal(shi, scale),
        values=values,
        extra={"precision": precision, "scale": scale},
    )
    return _finish(draw, column, spec, len(values) if values else shi - slo + 1)


column_specs = st.one_of(
    int_columns(), float_columns(), string_columns(), other_columns(), decimal_columns()
)


#: the column kinds without Decimal, for formats that refuse Decimal columns (to_odcs)
column_specs_without_decimals = st.one_of(
    int_columns(), float_columns(), string_columns(), other_columns()
)


@st.composite
def contracts(
    draw: Any, min_columns: int = 1, max_columns: int = 6, decimals: bool = True
) -> tuple[Any, dict[str, Spec]]:
    """A freshly declared contract and the independent expectations for each column
    (``decimals=False``: no Decimal columns)."""
    kinds = column_specs if decimals else column_specs_without_decimals
    specs = draw(st.lists(kinds, min_size=min_columns, max_size=max_columns))
    named = {f"c{i}": spec for i, spec in enumerate(specs)}
    body = {name: spec.column for name, spec in named.items()}
    contract = hc.data_contract(type("Generated", (), body))
    return contract, named


def independent_violations(df: pd.DataFrame, specs: dict[str, Spec]) -> list[str]:
    """Everything wrong with ``df`` for ``specs``, checked without the library."""
    problems = []
    if list(df.columns) != list(specs):
        problems.append(f"columns {list(df.columns)} != {list(specs)}")
        return problems
    if not isinstance(df.index, pd.RangeIndex) or df.index.start != 0:
        problems.append(f"index is {df.index!r}")
    for name, spec in specs.items():
        s = df[name]
        if str(s.dtype) != spec.dtype:
            problems.append(f"{name}: dtype {s.dtype} != {spec.dtype}")
        nulls = s.isna()
        if nulls.any() and not spec.nullable:
            problems.append(f"{name}: nulls in a required column")
        values = s[~nulls]
        if (spec.unique and values.duplicated().any()) or (spec.unique and nulls.sum() > 1):
            problems.append(f"{name}: repeated values in a unique column")
        for v in values:
            problems += [f"{name}: {v!r} {p}" for p in _cell_problems(v, spec)]
    return problems


def _cell_problems(v: Any, spec: Spec) -> list[str]:
    out = []
    if spec.values is not None and v not in spec.values:
        out.append("not accepted")
    if spec.dtype.startswith("float"):
        if math.isnan(v):
            out.append("is NaN outside a null")
        if math.isinf(v) and not spec.allow_inf:
            out.append("is infinite")
    if spec.lo is not None and v < spec.lo:
        out.append(f"< {spec.lo!r}")
    if spec.hi is not None and v > spec.hi:
        out.append(f"> {spec.hi!r}")
    if spec.dtype == STR and "scale" not in spec.extra:  # pandas 2: Decimal is object too
        if not isinstance(v, str):
            out.append("is not a str")
            return out
        if len(v) < spec.min_len or (spec.max_len is not None and len(v) > spec.max_len):
            out.append("has the wrong length")
        if spec.regex is not None and not re.fullmatch(spec.regex, v, re.ASCII):
            out.append(f"does not match {spec.regex}")
    if "scale" in spec.extra:
        out += _decimal_problems(v, spec.extra["precision"], spec.extra["scale"])
    if spec.dtype == "datetime64[ns]" and spec.lo is not None and spec.lo.tz is None:
        if isinstance(spec.column, hc.Date) and v != v.normalize():
            out.append("is not at midnight")
    return out


def _decimal_problems(v: Any, precision: int, scale: int) -> list[str]:
    """What is wrong with ``v`` as a cell of a ``Decimal(precision, scale)`` column."""
    if type(v) is not decimal.Decimal:
        return ["is not a decimal.Decimal"]
    if not v.is_finite():
        return ["is not finite"]
    _, digits, exponent = v.as_tuple()
    assert isinstance(exponent, int)
    after = max(0, -exponent)
    before = max(0, len(digits) + exponent) if any(digits) else 0
    out = []
    if after > scale:
        out.append(f"has {after} digits after the point (scale {scale})")
    if before + scale > precision:
        out.append(f"has {before} digits before the point (precision {precision})")
    return out


@st.composite
def contradictions(draw: Any) -> tuple[Any, str]:
    """A column that can never be satisfied, and a word its error message must contain."""
    which = draw(st.sampled_from(["bounds", "values", "lengths", "regex", "dtype", "fbounds"]))
    if which == "bounds":
        a = draw(st.integers(-100, 100))
        return hc.Int64().lower_bound(a + 1).upper_bound(a), "lower bound"
    if which == "fbounds":
        a = draw(st.floats(-1e6, 1e6))
        return hc.Float64().bounded_between(a + 1, a), "lower bound"
    if which == "values":
        return hc.Int32().bounded_between(0, 9).accepted_values([10, 11]), "accepted_values"
    if which == "lengths":
        n = draw(st.integers(1, 10))
        return hc.String().min_length(n + 1).max_length(n), "min_length"
    if which == "regex":
        return hc.String().regex(r"\d{5}").max_length(3), "regex"
    return hc.UInt8().upper_bound(256 + draw(st.integers(0, 100))), "range"


# ------------------------------------------------------------------------------------------
# contracts with cross-column rules (issue 12)

#: kind -> (column type, root lower, root upper, a gap strategy, the gap in frame units)
_ORDER_OPS = ["at_least", "greater_than", "at_most", "less_than"]
_TS0, _TS1 = pd.Timestamp("2020-01-01"), pd.Timestamp("2030-01-01")


@dataclass
class RuleSpec:
    """One rule as the test understands it, checked by :func:`independent_rule_violations`."""

    kind: str
    column: str = ""
    other: str = ""
    op: str = ""
    gap: Any = 0
    values: list[Any] = field(default_factory=list)
    columns: tuple[str, ...] = ()
    within: str | None = None
    strictly: bool = False
    fn: Any = None


def _root(kind: str, tz: str | None, lo: Any, hi: Any) -> Any:
    if kind == "int":
        return hc.Int64().bounded_between(lo, hi)
    if kind == "float":
        return hc.Float64().bounded_between(lo, hi)
    if kind == "date":
        return hc.Date().bounded_between(lo.date(), hi.date())
    return hc.Timestamp(time_zone=tz).bounded_between(*(_tz(t, tz) for t in (lo, hi)))


def _tz(t: pd.Timestamp, tz: str | None) -> pd.Timestamp:
    return t if tz is None else t.tz_localize(tz)


def _blank(kind: str, tz: str | None) -> Any:
    return {
        "int": hc.Int64,
        "float": hc.Float64,
        "date": hc.Date,
    }.get(kind, lambda: hc.Timestamp(time_zone=tz))()


@st.composite
def rule_contracts(draw: Any) -> tuple[Any, list[RuleSpec], dict[str, Spec]]:
    """A contract with one or more rules of every kind (order chains of 2-3 columns of one
    kind, present_when, computed, unique_together, increasing/decreasing), satisfiable by
    construction; the rules as :class:`RuleSpec` and the plain columns' specs."""
    body: dict[str, Any] = {}
    rules: list[RuleSpec] = []
    specs: dict[str, Spec] = {}
    body["status"] = hc.String().accepted_values(["p", "s", "r"])
    specs["status"] = Spec(body["status"], STR, values=["p", "s", "r"])
    # an order chain
    kind = draw(st.sampled_from(["int", "float", "timestamp", "date"]))
    tz = draw(st.sampled_from([None, "UTC", "Europe/Paris"])) if kind == "timestamp" else None
    if kind == "int":
        lo = draw(st.integers(-(10**9), 10**9))
        hi = lo + draw(st.integers(0, 10**6))
        gaps = st.integers(0, 100)
    elif kind == "float":
        lo = draw(st.floats(-1e6, 1e6))
        hi = lo + draw(st.floats(0, 1e3))
        gaps = st.floats(0, 10)
    else:
        lo = _TS0 + pd.Timedelta(days=draw(st.integers(0, 1000)))
        hi = lo + pd.Timedelta(days=draw(st.integers(0, 1000)))
        gaps = st.integers(0, 48).map(
            lambda h: pd.Timedelta(days=h) if kind == "date" else pd.Timedelta(hours=h)
        )
    body["o0"] = _root(kind, tz, lo, hi)
    if draw(st.booleans()):
        body["o0"] = body["o0"].is_optional()
    for i in range(1, draw(st.integers(2, 3))):
        op = draw(st.sampled_from(_ORDER_OPS))
        gap = draw(st.one_of(st.none(), gaps))
        col = getattr(_blank(kind, tz), op)(f"o{i - 1}", **({} if gap is None else {"gap": gap}))
        if draw(st.booleans()):
            col = col.is_optional()
        body[f"o{i}"] = col
        rules.append(RuleSpec("order", f"o{i}", f"o{i - 1}", op, 0 if gap is None else gap))
    # present_when
    if draw(st.booleans()):
        values = draw(st.lists(st.sampled_from(["p", "s", "r"]), min_size=1, unique=True))
        body["pw"] = hc.Int64().bounded_between(0, 50).present_when(status=values)
        rules.append(RuleSpec("present_when", "pw", "status", values=values))
    # computed
    if draw(st.booleans()):
        body["x"] = hc.Int64().bounded_between(-1000, 1000)
        body["y"] = hc.Float64().bounded_between(0, 10)
        specs["x"] = Spec(body["x"], "int64", lo=-1000, hi=1000)
        specs["y"] = Spec(body["y"], "float64", lo=0.0, hi=10.0)

        def fn(df: pd.DataFrame) -> pd.Series:
            return df["x"] * df["y"] + 1

        body["z"] = hc.Float64().bounded_between(-10_001, 10_001).computed(fn, uses=["x", "y"])
        rules.append(RuleSpec("computed", "z", fn=fn, columns=("x", "y")))
    # unique_together
    together: list[tuple[str, ...]] = []
    if draw(st.booleans()):
        a = draw(st.integers(2, 6))
        body["k"] = hc.Int64().bounded_between(0, a - 1)
        specs["k"] = Spec(body["k"], "int64", lo=0, hi=a - 1)
        if kind == "int":
            root_capacity = hi - lo + 1
        elif kind == "date":
            root_capacity = (hi - lo).days + 1
        else:
            root_capacity = MAX_ROWS if hi > lo else 1
        together = [("k", "status")] if 3 * a >= MAX_ROWS else [("k", "status", "o0")]
        if 3 * a < MAX_ROWS and 3 * a * root_capacity < MAX_ROWS:
            together = []
        if together:
            rules.append(RuleSpec("unique_together", columns=together[0]))
    # increasing / decreasing
    if draw(st.booleans()):
        direction = draw(st.sampled_from(["increasing", "decreasing"]))
        strictly = draw(st.booleans())
        within = draw(st.sampled_from([None, "status"]))
        mkind = draw(st.sampled_from(["int", "float", "timestamp"]))
        base = {
            "int": hc.Int64().bounded_between(0, 10**6),
            "float": hc.Float64().bounded_between(-1.0, 1.0),
            "timestamp": hc.Timestamp().bounded_between(_TS0, _TS1),
        }[mkind]
        body["m"] = getattr(base, direction)(within=within, strictly=strictly)
        rules.append(RuleSpec("monotone", "m", op=direction, within=within, strictly=strictly))
    contract = hc.data_contract(unique_together=together)(type("WithRules", (), body))
    return contract, rules, specs


def independent_rule_violations(df: pd.DataFrame, rules: list[RuleSpec]) -> list[str]:
    """Every rule ``df`` breaks, checked with plain pandas (no library code)."""
    problems = []
    for r in rules:
        if r.kind == "order":
            a, b = df[r.column], df[r.other]
            both = a.notna() & b.notna()
            a, b = a[both], b[both]
            gap = r.gap
            if pd.api.types.is_datetime64_any_dtype(a.dtype) and not isinstance(gap, pd.Timedelta):
                gap = pd.Timedelta(gap)
            if r.op == "at_least":
                ok = a >= b + gap
            elif r.op == "greater_than":
                ok = a > b + gap
            elif r.op == "at_most":
                ok = a <= b - gap
            else:
                ok = a < b - gap
            if not ok.all():
                problems.append(f"{r.column} {r.op} {r.other} (gap {r.gap}) fails")
        elif r.kind == "present_when":
            if not (df[r.column].notna() == df[r.other].isin(r.values)).all():
                problems.append(f"{r.column} present_when {r.values} fails")
        elif r.kind == "computed":
            expected = r.fn(df[list(r.columns)])
            if not np.allclose(df[r.column], expected, rtol=1e-9, atol=1e-9):
                problems.append(f"{r.column} != fn({r.columns})")
        elif r.kind == "unique_together":
            if df.duplicated(list(r.columns)).any():
                problems.append(f"{r.columns} repeat")
        else:
            groups = [df] if r.within is None else [g for _, g in df.groupby(r.within)]
            for g in groups:
                v = g[r.column].dropna().tolist()
                pairs = list(itertools.pairwise(v))
                if r.op == "increasing":
                    bad = [y <= x if r.strictly else y < x for x, y in pairs]
                else:
                    bad = [y >= x if r.strictly else y > x for x, y in pairs]
                if any(bad):
                    problems.append(f"{r.column} not {r.op} (strictly={r.strictly})")
    return problems


@st.composite
def rule_contradictions(draw: Any) -> tuple[dict[str, Any], list[str]]:
    """Column attributes whose rules can never hold (or name what does not exist), and the
    words the ContractError must contain (the columns and the problem)."""
    which = draw(st.sampled_from(["bounds", "unknown", "cycle", "kinds", "self"]))
    if which == "bounds":
        a = draw(st.integers(-1000, 1000))
        gap = draw(st.integers(0, 5))
        body = {
            "x": hc.Int64().upper_bound(a + gap).greater_than("y", gap=gap),
            "y": hc.Int64().lower_bound(a + draw(st.integers(0, 5))),
        }
        return body, ["x > y", "can never hold", "(x, y)"]
    if which == "unknown":
        return {"x": hc.Int64().at_most("nope")}, ["'nope'", "not a column"]
    if which == "cycle":
        n = draw(st.integers(2, 4))
        body = {f"v{i}": hc.Int64().at_least(f"v{(i + 1) % n}") for i in range(n)}
        return body, ["cycle", "v0 >= v1"]
    if which == "kinds":
        return {"x": hc.Int64().at_least("t"), "t": hc.Timestamp()}, ["not comparable", "x", "t"]
    return {"x": hc.Int64().less_than("x")}, ["itself"]
