"""The date kind: raw values are days since the epoch; columns hold midnights."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..times import date_from_days, days_since_epoch, parse_date
from .base import BadValue, Kind, check_range
from .timestamp import DAY_MAX, DAY_MIN, NS_PER_DAY, TimestampKind, datetime_matches

if TYPE_CHECKING:
    from ..constraints import Canonical


class DateKind(Kind):
    name = "date"
    integer_raw = True

    def dtype(self, c: Canonical) -> Any:
        return np.dtype("datetime64[ns]")

    def dtype_matches(self, c: Canonical, dtype: Any, series: pd.Series | None) -> bool:
        return datetime_matches(c, dtype, aware_ok=False)

    def dtype_range(self, c: Canonical) -> tuple[Any, Any] | None:
        return DAY_MIN, DAY_MAX

    def pandas_value(self, c: Canonical, raw: Any) -> Any:
        return pd.Timestamp(int(raw) * NS_PER_DAY, unit="ns")

    def cast(self, c: Canonical, v: Any, lookup: dict[Any, int] | None) -> Any:
        try:
            day = parse_date(v)
        except ValueError as exc:
            raise BadValue(str(exc).replace("timestamp", "date")) from None
        if isinstance(day, pd.Timestamp):
            if day != day.normalize():
                raise BadValue("has a time of day, but a Date column holds dates (midnight)")
            day = day.date()
        days = days_since_epoch(day)
        check_range(c, days)
        return days

    def bound_text(self, c: Canonical, value: Any) -> str:
        return str(date_from_days(int(value)))

    def to_python(self, c: Canonical, raw: Any) -> Any:
        return date_from_days(int(raw))

    # -- canonicalisation (constraints, bounds, narrowing) --

    # -- bulk sampling and columns (_bulk, _regex) --

    permutable = True

    def series(
        self, c: Canonical, raw: np.ndarray, nulls: np.ndarray | None, name: str
    ) -> pd.Series | None:
        return TimestampKind.datetime_series(c, self.lookup(c, raw), nulls, name, NS_PER_DAY)

    # -- validation and coercion (values, interop, coercion) --

    # -- cross-column rules (rules, rule_values, rule_fill) --

    # -- shrinking and sklearn (shrink_models, sklearn) --

    # -- source text and formats (source, odcs_doc, formats, engines) --
