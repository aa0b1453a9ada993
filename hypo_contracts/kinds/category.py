"""The category kind: a pandas ``CategoricalDtype`` of exactly the declared categories."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .base import Kind, member

if TYPE_CHECKING:
    from ..constraints import Canonical


class CategoryKind(Kind):
    name = "category"

    def dtype(self, c: Canonical) -> Any:
        return pd.CategoricalDtype(list(c.values or ()), ordered=False)

    def dtype_matches(self, c: Canonical, dtype: Any, series: pd.Series | None) -> bool:
        return isinstance(dtype, pd.CategoricalDtype) and dtype == c.dtype

    def cast(self, c: Canonical, v: Any, lookup: dict[Any, int] | None) -> Any:
        assert lookup is not None
        return member(c, lookup, v.item() if isinstance(v, np.generic) else v)

    # -- canonicalisation (constraints, bounds, narrowing) --

    # -- bulk sampling and columns (_bulk, _regex) --

    def series(
        self, c: Canonical, raw: np.ndarray, nulls: np.ndarray | None, name: str
    ) -> pd.Series | None:
        codes = raw.astype(np.int64)
        if nulls is not None and nulls.any():
            codes = np.where(nulls, -1, codes)
        return pd.Series(pd.Categorical.from_codes(codes, dtype=c.dtype), name=name)

    # -- validation and coercion (values, interop, coercion) --

    # -- cross-column rules (rules, rule_values, rule_fill) --

    # -- shrinking and sklearn (shrink_models, sklearn) --

    # -- source text and formats (source, odcs_doc, formats, engines) --
