"""The category kind: a pandas ``CategoricalDtype`` of exactly the declared categories."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..bounds import Clash, Declared
from ..declaration import Category, Column, plain_scalar
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

    def constrain(self, c: Canonical, declared: Declared, clash: Clash) -> dict[str, Any]:
        column = c.source
        assert isinstance(column, Category)
        values = column.values
        if not values:
            raise clash.fail("Category([]) has no categories.")
        seen = set()
        for v in values:
            if v is None or (isinstance(v, float) and math.isnan(v)):
                raise clash.fail(
                    f"{column._ctor_repr()}: null is not a category; use .is_optional()."
                )
            try:
                hash(v)
            except TypeError:
                raise clash.fail(
                    f"{column._ctor_repr()}: category {v!r} is not hashable."
                ) from None
            if v in seen:
                raise clash.fail(f"{column._ctor_repr()}: category {v!r} is repeated.")
            seen.add(v)
        return {"values": tuple(plain_scalar(v) for v in values)}

    def narrowing(self, outer: Canonical, inner: Canonical) -> str | None:
        if inner.values == outer.values:
            return None
        return (
            f"its categories {list(inner.values or ())!r} are not those of {outer.where}, "
            f"{list(outer.values or ())!r} (they are the column's dtype; use weights to "
            "favour some)"
        )

    # -- bulk sampling and columns (_bulk, _regex) --

    def series(
        self, c: Canonical, raw: np.ndarray, nulls: np.ndarray | None, name: str
    ) -> pd.Series:
        codes = raw.astype(np.int64)
        if nulls is not None and nulls.any():
            codes = np.where(nulls, -1, codes)
        return pd.Series(pd.Categorical.from_codes(codes, dtype=c.dtype), name=name)

    # -- validation and coercion (values, interop, coercion) --

    values_noun = "categories"

    def reads_as_text(self, c: Canonical) -> bool:
        return all(isinstance(v, str) for v in c.values or ())

    def pandera_checks(self, c: Canonical, check: Any) -> list[Any]:
        # the dtype holds the categories (no isin); unordered categoricals with the same
        # categories in another order compare equal in pandas, but their codes differ (and
        # codes are what many models see)
        cats = list(c.values or ())
        return [
            check(
                lambda s: (
                    not isinstance(s.dtype, pd.CategoricalDtype) or list(s.cat.categories) == cats
                ),
                name="categories_in_declared_order",
            )
        ]

    def expected_dtype(self, c: Canonical) -> str:
        return f"dtype('category') with categories {list(c.values or ())!r}"

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
