"""The integer kinds (``Int8`` ... ``UInt64``): raw values are the integers themselves."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..bounds import is_number
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

    # -- bulk sampling and columns (_bulk, _regex) --

    permutable = True

    def raw_dtype(self, c: Canonical) -> np.dtype[Any]:
        return np.dtype(c.dtype_name)

    def series(
        self, c: Canonical, raw: np.ndarray, nulls: np.ndarray | None, name: str
    ) -> pd.Series | None:
        return self.masked_series(c, raw, nulls, name)

    def bulk_array(self, c: Canonical, raw: np.ndarray, nulls: np.ndarray | None) -> Any:
        return None if c.nullable else self.numeric_array(c, raw)

    # -- validation and coercion (values, interop, coercion) --

    # -- cross-column rules (rules, rule_values, rule_fill) --

    # -- shrinking and sklearn (shrink_models, sklearn) --

    # -- source text and formats (source, odcs_doc, formats, engines) --
