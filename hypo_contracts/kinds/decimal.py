"""The decimal kind: exact fixed-point numbers, ``Decimal(precision, scale)``.

Values are Python :class:`decimal.Decimal` objects in an ``object`` column (pandas' Arrow
decimal dtype is not used: pandera's pandas backend has no ``decimal128`` data type and
coercing to it rounds silently). Raw values are whole numbers of units of ``10**-scale``
(``Decimal("12.34")`` in a scale-2 column is 1234), so the integer machinery (sampler, edge
values, uniqueness repair, shrinking of Hypothesis integers) serves decimals unchanged; the
precision is at most 18 so that every raw value fits in an int64.

>>> from decimal import Decimal as D
>>> units_to_decimal(1234, 2), decimal_units(D("12.3"), 2)
(Decimal('12.34'), 1230)
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..bounds import Clash, is_number
from ..declaration import Column
from ..declaration import Decimal as DecimalColumn
from ..shrink_steps import Attempt, int_search
from .base import BadValue, Kind, check_range, member

if TYPE_CHECKING:
    from ..constraints import Canonical

#: The widest precision: ``10**18 - 1`` units still fit in an int64.
MAX_PRECISION = 18
_WIDE = decimal.Context(prec=1_000, Emax=10**6, Emin=-(10**6))


def units_to_decimal(units: int, scale: int) -> decimal.Decimal:
    """Raw units as the Decimal they stand for, with exactly ``scale`` digits after the point."""
    return decimal.Decimal(int(units)).scaleb(-scale, _WIDE)


def decimal_units(d: decimal.Decimal, scale: int) -> int | None:
    """``d`` in units of ``10**-scale``, or None when it has more digits after the point."""
    units = d.scaleb(scale, _WIDE)
    if units != units.to_integral_value(context=_WIDE):
        return None
    return int(units)


def as_decimal(v: Any) -> decimal.Decimal | None:
    """``v`` as a finite Decimal (Decimals, ints and decimal strings; floats by their
    shortest repr, so ``0.1`` is ``Decimal('0.1')``), or None."""
    if isinstance(v, (bool, np.bool_)):
        return None
    try:
        if isinstance(v, decimal.Decimal):
            d = v
        elif isinstance(v, str):
            d = decimal.Decimal(v.strip())
        elif is_number(v):
            d = decimal.Decimal(repr(float(v)) if isinstance(v, (float, np.floating)) else int(v))
        else:
            return None
    except (decimal.InvalidOperation, ValueError, OverflowError):
        return None
    return d if d.is_finite() else None


def check_digits(precision: Any, scale: Any, clash: Clash) -> tuple[int, int]:
    """A Decimal column's precision and scale, checked (ContractError otherwise)."""
    for what, n in (("precision", precision), ("scale", scale)):
        if not isinstance(n, (int, np.integer)) or isinstance(n, bool):
            raise clash.fail(f"Decimal({precision!r}, {scale!r}): the {what} is a whole number.")
    if not 1 <= precision <= MAX_PRECISION:
        raise clash.fail(
            f"Decimal({precision}, {scale}): the precision (total digits) is between 1 and "
            f"{MAX_PRECISION}."
        )
    if not 0 <= scale <= precision:
        raise clash.fail(
            f"Decimal({precision}, {scale}): the scale (digits after the point) is between 0 "
            "and the precision."
        )
    return int(precision), int(scale)


def bound_converter(precision: int, scale: int) -> Callable[[Any, str, Clash, bool], int]:
    """The bound converter of a ``Decimal(precision, scale)`` column: raw units, rounded
    inwards to the scale; a bound beyond the precision's range is a ContractError."""
    top = 10**precision - 1

    def convert(value: Any, text: str, clash: Clash, upper: bool) -> int:
        d = as_decimal(value)
        if d is None:
            raise clash.fail(
                f"{text}: bounds of a Decimal column are numbers, Decimals or decimal "
                f"strings, not {value!r}."
            )
        units = d.scaleb(scale, _WIDE)
        rounded = units.to_integral_value(
            rounding=decimal.ROUND_FLOOR if upper else decimal.ROUND_CEILING, context=_WIDE
        )
        raw = int(rounded)
        if abs(raw) > top:
            limit = units_to_decimal(top, scale)
            raise clash.fail(
                f"{text} is outside decimal({precision}, {scale})'s range [-{limit}, {limit}]."
            )
        return raw

    return convert


def accepted_converter(precision: int, scale: int, clash: Clash) -> Callable[[Any, str], int]:
    """An accepted value of a Decimal column as raw units (ContractError when it has more
    digits than the column holds)."""
    top = 10**precision - 1

    def convert(v: Any, text: str) -> int:
        d = as_decimal(v)
        units = None if d is None else decimal_units(d, scale)
        if units is None or abs(units) > top:
            raise clash.fail(
                f"{text}: {v!r} is not a decimal({precision}, {scale}) value (at most "
                f"{precision} digits, {scale} after the point)."
            )
        return units

    return convert


class DecimalKind(Kind):
    name = "decimal"
    integer_raw = True
    log_spread = True

    def dtype(self, c: Canonical) -> Any:
        return np.dtype(object)

    def dtype_matches(self, c: Canonical, dtype: Any, series: pd.Series | None) -> bool:
        return dtype == np.dtype(object)  # its cells are the element check's business

    def dtype_range(self, c: Canonical) -> tuple[Any, Any] | None:
        assert c.precision is not None
        return -(10**c.precision - 1), 10**c.precision - 1

    def pandas_value(self, c: Canonical, raw: Any) -> Any:
        return units_to_decimal(int(raw), c.scale)

    def pandera_bounds(self, c: Canonical) -> tuple[Any, Any]:
        return None, None  # the element check holds the bounds (cells may not be Decimals)

    def cast(self, c: Canonical, v: Any, lookup: dict[Any, int] | None) -> Any:
        units = self._units(c, v)
        if lookup is not None:
            return member(c, lookup, units_to_decimal(units, c.scale))
        check_range(c, units)
        return units

    def _units(self, c: Canonical, v: Any) -> int:
        """``v`` as a whole number of ``10**-scale`` units, or :class:`BadValue` when it is
        not a finite Decimal of the column's digits (bounds: the caller's)."""
        if isinstance(v, (float, np.floating)) or not isinstance(
            v, (decimal.Decimal, int, np.integer)
        ):
            raise BadValue(f"is not a decimal.Decimal (the column is {c.dtype_name})")
        d = as_decimal(v)
        if d is None:
            raise BadValue(f"is not a finite decimal (the column is {c.dtype_name})")
        units = decimal_units(d, c.scale)
        if units is None:
            raise BadValue(f"has more than {c.scale} digits after the point ({c.dtype_name})")
        assert c.precision is not None
        if abs(units) >= 10**c.precision:
            raise BadValue(
                f"has more than {c.precision} digits ({c.dtype_name}: at most "
                f"{c.precision - c.scale} before the point)"
            )
        return units

    def bound_text(self, c: Canonical, value: Any) -> str:
        return str(units_to_decimal(int(value), c.scale))

    def to_python(self, c: Canonical, raw: Any) -> Any:
        return units_to_decimal(int(raw), c.scale)

    def series(
        self, c: Canonical, raw: np.ndarray, nulls: np.ndarray | None, name: str
    ) -> pd.Series:
        if c.values is not None:
            out = np.array((*c.values, None), dtype=object)[raw]
        else:
            scale = c.scale
            out = np.array([units_to_decimal(r, scale) for r in raw.tolist()] + [None])[:-1]
        if nulls is not None and nulls.any():
            out[nulls] = None
        return pd.Series(out, name=name, dtype=object)

    def element_check(self, c: Canonical) -> tuple[str, Callable[[Any], bool]] | None:
        lookup = None if c.values is None else {x: i for i, x in enumerate(c.values)}

        def ok(v: Any) -> bool:
            if v is None or (isinstance(v, float) and math.isnan(v)):
                return True  # nulls are the nullability check's business
            try:
                self.cast(c, v, lookup)
            except BadValue:
                return False
            return True

        lo, hi = self.has_bounds(c)
        within = (
            f" within [{self.bound_text(c, c.lo) if lo else '...'}, "
            f"{self.bound_text(c, c.hi) if hi else '...'}]"
            if lo or hi
            else ""
        )  # so that a value out of bounds is not read as one with too many digits
        return f"decimal({c.precision}, {c.scale}){within}", ok

    # -- canonicalisation (constraints, bounds, narrowing) --

    def canonical_fields(self, column: Column, clash: Clash) -> dict[str, Any]:
        assert isinstance(column, DecimalColumn)
        p, scale = check_digits(column.precision, column.scale, clash)
        return {"precision": p, "scale": scale, "dtype_name": f"decimal({p}, {scale})"}

    def bound(self, c: Canonical, value: Any, text: str, clash: Clash, upper: bool) -> Any:
        assert c.precision is not None
        return bound_converter(c.precision, c.scale)(value, text, clash, upper)

    def rounded_away(self, c: Canonical, lo_raw: Any, hi_raw: Any) -> str | None:
        if not as_decimal(lo_raw) <= as_decimal(hi_raw):  # type: ignore[operator]
            return None
        return (
            f"no {c.dtype_name} value lies in [{lo_raw}, {hi_raw}] (bounds round inwards to "
            f"{c.scale} digits after the point). Widen the bounds or raise the scale."
        )

    def accepted_raw(self, c: Canonical, v: Any, text: str, clash: Clash) -> Any:
        assert c.precision is not None
        return accepted_converter(c.precision, c.scale, clash)(v, text)

    def admits(self, c: Canonical, value: Any) -> bool:
        d = as_decimal(value)
        units = None if d is None else decimal_units(d, c.scale)
        return units is not None and bool(c.lo <= units <= c.hi)

    # -- bulk sampling and columns (_bulk, _regex) --

    # -- validation and coercion (values, interop, coercion) --

    trusts_dtype = False  # object columns may hold anything (text too, on pandas 2)

    def coerce_series(self, c: Canonical, s: pd.Series, blanks: bool) -> pd.Series:
        # text, ints and floats (by their shortest repr) as Decimals
        return pd.Series([self.read_decimal(v) for v in s], index=s.index, dtype=object)

    @staticmethod
    def read_decimal(value: Any) -> decimal.Decimal | None:
        """A loaded cell as a Decimal (None for a null); ValueError for anything else."""
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return None
        d = as_decimal(value)
        if d is None:
            raise ValueError(f"{value!r} is not a decimal number")
        return d

    # -- cross-column rules (rules, rule_values, rule_fill) --

    def raw_of_series(self, c: Canonical, s: pd.Series, null: np.ndarray) -> np.ndarray:
        # each value in units as validation reads it (BadValue names its row); the bounds
        # are raw_fault's, which shows every broken row's mask
        out = np.zeros(len(s), dtype=np.int64)
        for i, v in enumerate(s.tolist()):
            if not null[i]:
                try:
                    out[i] = self._units(c, v)
                except BadValue as exc:
                    exc.row = i
                    raise
        return out

    # -- shrinking and sklearn (shrink_models, sklearn) --

    def shrink_value(
        self, c: Canonical, value: Any, simplest: Any, dtype: Any, attempt: Attempt, step_ns: int
    ) -> None:
        try:  # on the grid of the scale: a search over raw units
            units = self.cast(c, value, None)
        except BadValue:  # not a value of this column: only the simplest one is tried
            attempt(simplest)
            return
        if not attempt(simplest):
            int_search(units, int(c.simplest), attempt, lambda u: self.pandas_value(c, u))

    # -- source text and formats (source, odcs_doc, formats, engines) --

    declared_name = "Decimal"

    def constructor_source(self, c: Canonical) -> str:
        return f"Decimal({c.precision}, {c.scale})"

    def declare(self, c: Canonical) -> Column:
        assert c.precision is not None
        return DecimalColumn(c.precision, c.scale)

    def bound_source(self, c: Canonical, value: Any) -> str:
        return repr(self.bound_text(c, value))  # a decimal string: exact, no clash with Decimal

    def value_source(self, c: Canonical, value: Any) -> Any:
        return str(value)
