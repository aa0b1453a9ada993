"""The category kind: a pandas ``CategoricalDtype`` of exactly the declared categories."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..declaration import Category, Column
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

    # -- validation and coercion (values, interop, coercion) --

    # -- cross-column rules (rules, rule_values, rule_fill) --

    # -- shrinking and sklearn (shrink_models, sklearn) --

    # -- source text and formats (source, odcs_doc, formats, engines) --

    declared_name = "Category"

    def constructor_source(self, c: Canonical) -> str:
        weights = f", weights={list(c.weights)!r}" if c.weights is not None else ""
        return f"Category({[self.value_source(c, v) for v in c.values or ()]!r}{weights})"

    def constraints_source(self, c: Canonical) -> str:
        return ""  # the categories are the constructor's

    def declare(self, c: Canonical) -> Column:
        return Category(list(c.values or ()))
