"""The date kind: raw values are days since the epoch; columns hold midnights."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import times
from ..bounds import Clash, date_bound
from ..declaration import Column, plain_scalar
from ..shrink_steps import Attempt, shrink_timestamp
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

    def canonical_fields(self, column: Column, clash: Clash) -> dict[str, Any]:
        return {"dtype_name": "datetime64[ns]"}

    def bound(self, c: Canonical, value: Any, text: str, clash: Clash, upper: bool) -> Any:
        return date_bound(value, text, clash, upper)

    # -- bulk sampling and columns (_bulk, _regex) --

    permutable = True

    def series(
        self, c: Canonical, raw: np.ndarray, nulls: np.ndarray | None, name: str
    ) -> pd.Series:
        return TimestampKind.datetime_series(c, self.lookup(c, raw), nulls, name, NS_PER_DAY)

    # -- validation and coercion (values, interop, coercion) --

    def pandera_checks(self, c: Canonical, check: Any) -> list[Any]:
        checks = super().pandera_checks(c, check)
        checks.append(check(lambda s: s == s.dt.normalize(), name="date_at_midnight"))
        return checks

    def dtype_hint(self, c: Canonical, series: pd.Series) -> str:
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            return " (Date columns are naive: use .dt.tz_localize(None))"
        return ""

    def coerce_series(self, c: Canonical, s: pd.Series, blanks: bool) -> pd.Series:
        return times.parse_times(s, False).astype(c.dtype)

    # -- cross-column rules (rules, rule_values, rule_fill) --

    ordered = True

    def rule_value(self, c: Canonical, value: Any) -> Any:
        return int(pd.Timestamp(value).normalize().value // NS_PER_DAY)

    def rule_gap(self, c: Canonical, gap: Any) -> Any:
        ns = super().rule_gap(c, gap)
        if ns % NS_PER_DAY:
            raise BadValue(f"gap={gap!r} must be whole days for a Date column.")
        return ns // NS_PER_DAY

    def frame_gap(self, c: Canonical, gap: Any) -> Any:
        return gap * NS_PER_DAY

    def raw_of_series(self, c: Canonical, s: pd.Series, null: np.ndarray) -> np.ndarray:
        ns = self._datetime_ns(s, null, aware=False)
        if (ns % NS_PER_DAY != 0).any():
            raise ValueError("dates have a time of day")
        return ns // NS_PER_DAY

    # -- shrinking and sklearn (shrink_models, sklearn) --

    threshold_probe = True

    def shrink_step_ns(self, c: Canonical, unit_ns: int) -> int:
        return max(unit_ns, NS_PER_DAY)  # whole days only

    def shrink_value(
        self, c: Canonical, value: Any, simplest: Any, dtype: Any, attempt: Attempt, step_ns: int
    ) -> None:
        shrink_timestamp(value, simplest, dtype, c.tz, step_ns, attempt)

    # -- source text and formats (source, odcs_doc, formats, engines) --

    declared_name = "Date"

    def bound_source(self, c: Canonical, value: Any) -> str:
        return repr(date_from_days(value).isoformat())

    def gap_source(self, c: Canonical, gap: Any) -> str:
        return f"pd.Timedelta({str(pd.Timedelta(int(gap) * NS_PER_DAY, unit='ns'))!r})"

    def condition_source(self, c: Canonical, value: Any) -> str | None:
        if c.values is not None:
            return super().condition_source(c, value)
        day = int(pd.Timestamp(plain_scalar(value)).value // NS_PER_DAY)
        return repr(date_from_days(day).isoformat())
