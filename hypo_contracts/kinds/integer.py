"""The integer kinds (``Int8`` ... ``UInt64``): raw values are the integers themselves."""

from __future__ import annotations

import decimal
import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..bounds import is_number
from ..declaration import plain_scalar
from .base import BadValue, Kind, member

if TYPE_CHECKING:
    from ..constraints import Canonical


class IntKind(Kind):
    name = "int"
    integer_raw = True
    log_spread = True

    def dtype(self, c: Canonical) -> Any:
        if c.nullable:
            return pd.api.types.pandas_dtype(
                c.dtype_name.replace("int", "Int").replace("uInt", "UInt")
            )
        return np.dtype(c.dtype_name)

    def dtype_range(self, c: Canonical) -> tuple[Any, Any] | None:
        info = np.iinfo(c.dtype_name)
        return int(info.min), int(info.max)

    def cast(self, c: Canonical, v: Any, lookup: dict[Any, int] | None) -> Any:
        if not is_number(v):
            raise BadValue(f"is not an integer (the column is {c.dtype_name})")
        if isinstance(v, (float, np.floating)) and (not math.isfinite(v) or v != math.floor(v)):
            raise BadValue(f"is not a whole number (the column is {c.dtype_name})")
        iv = int(v)
        if lookup is not None:  # accepted values already lie within the bounds
            return member(c, lookup, iv)
        info = np.iinfo(c.dtype_name)
        if iv < c.lo:
            if c.lo == info.min:
                raise BadValue(f"is below {c.dtype_name}'s minimum {c.lo}")
            raise BadValue(f"is below the lower bound {c.lo}")
        if iv > c.hi:
            if c.hi == info.max:
                raise BadValue(f"is above {c.dtype_name}'s maximum {c.hi}")
            raise BadValue(f"is above the upper bound {c.hi}")
        return iv

    # -- canonicalisation (constraints, bounds, narrowing) --

    def rounded_away(self, c: Canonical, lo_raw: Any, hi_raw: Any) -> str | None:
        if not lo_raw <= hi_raw:
            return None
        return (
            f"no whole number lies in [{plain_scalar(lo_raw)!r}, {plain_scalar(hi_raw)!r}], "
            f"so the {c.dtype_name} column has no value. Widen the bounds or use a Float column."
        )

    def weight_key(self, v: Any) -> Any:
        return int(v)

    # -- bulk sampling and columns (_bulk, _regex) --

    permutable = True

    def raw_dtype(self, c: Canonical) -> np.dtype[Any]:
        return np.dtype(c.dtype_name)

    def bulk_array(self, c: Canonical, raw: np.ndarray, nulls: np.ndarray | None) -> Any:
        return None if c.nullable else self.numeric_array(c, raw)

    # -- validation and coercion (values, interop, coercion) --

    array_checked = True

    def reads_as_text(self, c: Canonical) -> bool:
        return True  # no detour through float64: exact beyond 2**53

    def dtype_hint(self, c: Canonical, series: pd.Series) -> str:
        if not pd.api.types.is_float_dtype(series.dtype):
            return ""
        return (
            f" (integers with blanks read as floats: convert with "
            f".astype({str(c.dtype if c.nullable else c.dtype_name)!r})"
            f"{'' if c.nullable else ' after filling the nulls, or declare .is_optional()'})"
        )

    def coerce_series(self, c: Canonical, s: pd.Series, blanks: bool) -> pd.Series:
        try:
            return s.astype(c.dtype)  # from text: exact, also beyond 2**53
        except (TypeError, ValueError):
            if not (pd.api.types.is_string_dtype(s.dtype) or s.dtype == object):
                raise
            # "3.0" from a float column: exact too
            whole = [None if pd.isna(v) else self.whole_number(v) for v in s]
            return pd.Series(whole, index=s.index, dtype=object).astype(c.dtype)

    @staticmethod
    def whole_number(value: Any) -> int:
        """``"12"``, ``"12.0"`` or ``"1.2e3"`` as an exact int; anything else is a ValueError."""
        try:
            number = decimal.Decimal(str(value).strip())
        except decimal.InvalidOperation:
            raise ValueError(f"{value!r} is not a number") from None
        if not number.is_finite() or number != number.to_integral_value():
            raise ValueError(f"{value!r} is not a whole number")
        return int(number)

    # -- cross-column rules (rules, rule_values, rule_fill) --

    ordered = True

    def rule_value(self, c: Canonical, value: Any) -> Any:
        if float(value).is_integer():
            return int(value)
        return super().rule_value(c, value)

    def rule_gap(self, c: Canonical, gap: Any) -> Any:
        gap = self._number_gap(c, gap)
        return math.ceil(gap) if gap > 0 else 0

    def order_clash(self, c: Canonical, ref: Canonical) -> str | None:
        clash = super().order_clash(c, ref)
        if clash is None and "uint64" in (c.dtype_name, ref.dtype_name):
            if c.dtype_name != ref.dtype_name:
                return "compare a UInt64 column only with another UInt64 column."
        return clash

    def raw_of_series(self, c: Canonical, s: pd.Series, null: np.ndarray) -> np.ndarray:
        f = pd.to_numeric(s.where(~null, 0))
        if pd.api.types.is_float_dtype(f.dtype):
            arr = f.to_numpy(dtype=np.float64)
            if not (np.isfinite(arr) & (arr == np.floor(arr))).all():
                raise ValueError("not whole numbers")
            if ((arr < float(c.lo)) | (arr > float(c.hi))).any():
                return arr  # out of range: reported as such
        return f.to_numpy().astype(c.dtype_name)

    # -- shrinking and sklearn (shrink_models, sklearn) --

    numeric_target = True
    whole_target = True
    threshold_probe = True

    def probe_threshold(self, c: Canonical, sample: pd.Series) -> tuple[Any, str]:
        threshold = sample.dtype.type(sample.sort_values().iloc[len(sample) // 2])
        return threshold, str(threshold)  # a value drawn: the median of ints may be x.5

    # -- source text and formats (source, odcs_doc, formats, engines) --

    def declaration_name(self, c: Canonical) -> str:
        return c.dtype_name.replace("uint", "UInt").replace("int", "Int")  # uint8 -> UInt8
