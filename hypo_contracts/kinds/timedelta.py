"""The timedelta kind: raw values are nanoseconds."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..bounds import Clash, td_bound
from ..declaration import Column
from ..shrink_steps import Attempt, shrink_timedelta
from ..times import TD_MAX, TD_MIN, duration_ns
from .base import BadValue, Kind, check_range

if TYPE_CHECKING:
    from ..constraints import Canonical


class TimedeltaKind(Kind):
    name = "timedelta"
    integer_raw = True
    log_spread = True

    def dtype(self, c: Canonical) -> Any:
        return np.dtype("timedelta64[ns]")

    def dtype_matches(self, c: Canonical, dtype: Any, series: pd.Series | None) -> bool:
        if isinstance(dtype, pd.ArrowDtype):  # any unit, numpy or Arrow (duration[unit])
            import pyarrow as pyarrow

            return bool(pyarrow.types.is_duration(dtype.pyarrow_dtype))
        return isinstance(dtype, np.dtype) and dtype.kind == "m"

    def dtype_range(self, c: Canonical) -> tuple[Any, Any] | None:
        return TD_MIN, TD_MAX

    def pandas_value(self, c: Canonical, raw: Any) -> Any:
        return pd.Timedelta(int(raw))

    def cast(self, c: Canonical, v: Any, lookup: dict[Any, int] | None) -> Any:
        try:
            ns = duration_ns(v)
        except ValueError as exc:
            raise BadValue(str(exc)) from None
        except OverflowError:
            raise BadValue("is outside timedelta64[ns]'s range") from None
        check_range(c, ns)
        return ns

    def bound_text(self, c: Canonical, value: Any) -> str:
        return str(pd.Timedelta(int(value)))

    def to_python(self, c: Canonical, raw: Any) -> Any:
        return pd.Timedelta(int(raw))

    # -- canonicalisation (constraints, bounds, narrowing) --

    def canonical_fields(self, column: Column, clash: Clash) -> dict[str, Any]:
        return {"dtype_name": "timedelta64[ns]"}

    def bound(self, c: Canonical, value: Any, text: str, clash: Clash, upper: bool) -> Any:
        return td_bound(value, text, clash, upper)

    # -- bulk sampling and columns (_bulk, _regex) --

    permutable = True

    def series(
        self, c: Canonical, raw: np.ndarray, nulls: np.ndarray | None, name: str
    ) -> pd.Series:
        durations = self.lookup(c, raw).astype(np.int64).view("timedelta64[ns]")
        if nulls is not None and nulls.any():
            durations[nulls] = np.timedelta64("NaT", "ns")
        return pd.Series(durations, name=name)

    # -- validation and coercion (values, interop, coercion) --

    # -- cross-column rules (rules, rule_values, rule_fill) --

    def raw_of_series(self, c: Canonical, s: pd.Series, null: np.ndarray) -> np.ndarray:
        # durations (numbers are ns) as int64 ns, the raw form the bounds compare with
        ns = pd.to_timedelta(s).astype("timedelta64[ns]").to_numpy().view(np.int64).copy()
        ns[null] = 0
        return ns

    # -- shrinking and sklearn (shrink_models, sklearn) --

    def shrink_step_ns(self, c: Canonical, unit_ns: int) -> int:
        return unit_ns  # none finer than the column's unit, as for timestamps

    def shrink_value(
        self, c: Canonical, value: Any, simplest: Any, dtype: Any, attempt: Attempt, step_ns: int
    ) -> None:
        shrink_timedelta(value, step_ns, attempt, simplest)  # from the simplest duration

    # -- source text and formats (source, odcs_doc, formats, engines) --

    declared_name = "Timedelta"

    def bound_source(self, c: Canonical, value: Any) -> str:
        return f"pd.Timedelta({int(value)}, unit='ns')"
