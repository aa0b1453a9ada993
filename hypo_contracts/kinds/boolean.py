"""The bool kind: ``bool`` (``boolean`` when optional), simplest ``False``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from .base import BadValue, Kind, numpy_equivalent

if TYPE_CHECKING:
    from ..constraints import Canonical


class BoolKind(Kind):
    name = "bool"

    def dtype(self, c: Canonical) -> Any:
        return pd.BooleanDtype() if c.nullable else np.dtype("bool")

    def simplest(self, c: Canonical) -> Any:
        return False

    def capacity(self, c: Canonical) -> int | None:
        return 2

    def cast(self, c: Canonical, v: Any, lookup: dict[Any, int] | None) -> Any:
        if isinstance(v, (bool, np.bool_)):
            return bool(v)
        raise BadValue("is not a bool (the column is a Bool column)")

    def dtype_matches(self, c: Canonical, dtype: Any, series: pd.Series | None) -> bool:
        if isinstance(dtype, pd.CategoricalDtype):
            return False
        return numpy_equivalent(dtype) == np.dtype(bool)

    def cell(self, c: Canonical) -> st.SearchStrategy[Any]:
        return st.booleans()

    # -- canonicalisation (constraints, bounds, narrowing) --

    # -- bulk sampling and columns (_bulk, _regex) --

    def raw_dtype(self, c: Canonical) -> np.dtype[Any]:
        return np.dtype(bool)

    def raw_column(self, c: Canonical, q: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        return q >= 0.5

    def edge_values(self, c: Canonical) -> list[Any]:
        return [False, True]

    def edge_order(self, c: Canonical, values: list[Any]) -> list[Any]:
        return values

    def enumerate_simplest(self, c: Canonical, count: int, avoid: frozenset[Any]) -> list[Any]:
        return [False, True][:count]

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
