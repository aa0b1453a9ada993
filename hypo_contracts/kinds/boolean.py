"""The bool kind: ``bool`` (``boolean`` when optional), simplest ``False``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from ..bounds import Clash, Declared
from ..shrink_steps import Attempt
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

    def constrain(self, c: Canonical, declared: Declared, clash: Clash) -> dict[str, Any]:
        return {}

    def narrows_within(self, outer: Canonical, inner: Canonical) -> str | None:
        return None

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

    def bulk_array(self, c: Canonical, raw: np.ndarray, nulls: np.ndarray | None) -> Any:
        return None if c.nullable else self.numeric_array(c, raw)

    # -- validation and coercion (values, interop, coercion) --

    array_checked = True
    words: ClassVar[dict[str, bool]] = {
        "true": True,
        "false": False,
        "1": True,
        "0": False,
        "1.0": True,
        "0.0": False,
    }
    """The text ``coerce`` reads as a bool (after ``strip().lower()``)."""

    def array_breaks(self, c: Canonical, present: np.ndarray) -> bool:
        return False

    def coerce_series(self, c: Canonical, s: pd.Series, blanks: bool) -> pd.Series:
        if pd.api.types.is_bool_dtype(s.dtype):
            return s.astype(c.dtype)
        mapped = s.map(lambda v: self.words.get(str(v).strip().lower(), v), na_action="ignore")
        odd = mapped.dropna().map(lambda v: not isinstance(v, (bool, np.bool_)))
        if odd.any():
            value = mapped.dropna()[odd].iloc[0]
            raise ValueError(f"{value!r} is not a boolean (true, false, 1 or 0; any case)")
        return mapped.astype(c.dtype)

    # -- cross-column rules (rules, rule_values, rule_fill) --

    def rule_value(self, c: Canonical, value: Any) -> Any:
        if isinstance(value, (bool, np.bool_)):
            return bool(value)
        return super().rule_value(c, value)

    def raw_of_series(self, c: Canonical, s: pd.Series, null: np.ndarray) -> np.ndarray:
        return s.where(~null, False).astype(bool).to_numpy()

    # -- shrinking and sklearn (shrink_models, sklearn) --

    probe_values = (False, True)

    def shrink_value(
        self, c: Canonical, value: Any, simplest: Any, dtype: Any, attempt: Attempt, step_ns: int
    ) -> None:
        attempt(simplest)

    def target_label(self, c: Canonical, v: Any) -> Any:
        # True/False, or the 0/1 that scikit-learn returns for a nullable ``boolean`` target
        if c.values is None and (
            isinstance(v, (bool, np.bool_))
            or (isinstance(v, (int, float, np.number)) and v in (0, 1))
        ):
            return bool(v)
        return v

    def target_failure(self, c: Canonical, shown: str) -> str | None:
        return f"{shown}: {c.where} is a boolean column (True/False)."

    # -- source text and formats (source, odcs_doc, formats, engines) --

    declared_name = "Bool"
