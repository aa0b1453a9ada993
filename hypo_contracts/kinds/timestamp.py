"""The timestamp kind: raw values are nanoseconds since the epoch (UTC)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import times
from ..bounds import Clash, check_tz, ts_bound
from ..declaration import Column, Timestamp
from ..shrink_steps import Attempt, shrink_timestamp
from ..times import parse_time, timestamp_from_ns
from .base import BadValue, Kind, check_range

if TYPE_CHECKING:
    from ..constraints import Canonical


NS_MIN = int(pd.Timestamp.min.value)
NS_MAX = int(pd.Timestamp.max.value)
NS_PER_DAY = 86_400 * 10**9
DAY_MIN = -(-NS_MIN // NS_PER_DAY)
DAY_MAX = NS_MAX // NS_PER_DAY


def ns_limits(tz: str | None) -> tuple[int, int]:
    """The range of a timestamp column in ns since the epoch (UTC). Outside UTC, a day is
    kept free at each end so that every value still has a local wall time pandas can show
    (``Timestamp.max`` in UTC is past ``Timestamp.max`` in Europe/Berlin)."""
    if tz is None or tz == "UTC":
        return NS_MIN, NS_MAX
    return NS_MIN + NS_PER_DAY, NS_MAX - NS_PER_DAY


def datetime_matches(c: Canonical, dtype: Any, aware_ok: bool) -> bool:
    """Timestamps in any unit, numpy or Arrow, in ``c``'s time zone (dates: naive only)."""
    if isinstance(dtype, pd.ArrowDtype):  # timestamp[unit, tz=...][pyarrow]
        import pyarrow as pyarrow

        arrow = dtype.pyarrow_dtype
        if not pyarrow.types.is_timestamp(arrow):
            return False
        tz = None if arrow.tz is None else str(pd.Timestamp(0, tz=arrow.tz).tz)
        return tz == c.tz and (tz is None or aware_ok)
    if isinstance(dtype, pd.DatetimeTZDtype):
        return aware_ok and str(dtype.tz) == c.tz
    return c.tz is None and isinstance(dtype, np.dtype) and dtype.kind == "M"


class TimestampKind(Kind):
    name = "timestamp"
    integer_raw = True

    def dtype(self, c: Canonical) -> Any:
        return pd.DatetimeTZDtype("ns", c.tz) if c.tz else np.dtype("datetime64[ns]")

    def dtype_matches(self, c: Canonical, dtype: Any, series: pd.Series | None) -> bool:
        return datetime_matches(c, dtype, aware_ok=True)

    def dtype_range(self, c: Canonical) -> tuple[Any, Any] | None:
        return ns_limits(c.tz)

    def pandas_value(self, c: Canonical, raw: Any) -> Any:
        ts = pd.Timestamp(int(raw), unit="ns")
        return ts.tz_localize("UTC").tz_convert(c.tz) if c.tz else ts

    def cast(self, c: Canonical, v: Any, lookup: dict[Any, int] | None) -> Any:
        try:
            ts = parse_time(v)
        except ValueError as exc:
            raise BadValue(str(exc)) from None
        if c.tz is not None and ts.tz is None:
            raise BadValue(f"is naive, but the column is in time zone {c.tz}")
        if c.tz is None and ts.tz is not None:
            raise BadValue(f"has time zone {ts.tz}, but the column is naive")
        try:
            ns = int(ts.as_unit("ns").value)
        except Exception:
            raise BadValue("is outside datetime64[ns]'s range") from None
        check_range(c, ns)
        return ns

    def bound_text(self, c: Canonical, value: Any) -> str:
        return str(timestamp_from_ns(int(value), c.tz))

    def to_python(self, c: Canonical, raw: Any) -> Any:
        return timestamp_from_ns(int(raw), c.tz)

    # -- canonicalisation (constraints, bounds, narrowing) --

    def canonical_fields(self, column: Column, clash: Clash) -> dict[str, Any]:
        assert isinstance(column, Timestamp)
        tz = check_tz(column.time_zone, clash)
        return {"tz": tz, "dtype_name": f"datetime64[ns, {tz}]" if tz else "datetime64[ns]"}

    def bound(self, c: Canonical, value: Any, text: str, clash: Clash, upper: bool) -> Any:
        return ts_bound(value, text, clash, c.tz)

    def shown_bound(self, c: Canonical, value: Any) -> str:
        return str(timestamp_from_ns(value))  # in UTC, without the column's zone

    # -- bulk sampling and columns (_bulk, _regex) --

    permutable = True

    def series(
        self, c: Canonical, raw: np.ndarray, nulls: np.ndarray | None, name: str
    ) -> pd.Series:
        return self.datetime_series(c, self.lookup(c, raw), nulls, name, 1)

    @staticmethod
    def datetime_series(
        c: Canonical, raw: np.ndarray, nulls: np.ndarray | None, name: str, ns_per_unit: int
    ) -> pd.Series:
        """Raw whole units (``ns_per_unit`` nanoseconds each) since the epoch as a
        ``datetime64[ns]`` Series, NaT where ``nulls``, in the column's time zone."""
        arr = (raw.astype(np.int64) * ns_per_unit).view("datetime64[ns]")
        if nulls is not None and nulls.any():
            arr = arr.copy()
            arr[nulls] = np.datetime64("NaT", "ns")
        values = pd.DatetimeIndex(arr)
        if c.tz:
            values = values.tz_localize("UTC").tz_convert(c.tz)
        return pd.Series(values, name=name)

    # -- validation and coercion (values, interop, coercion) --

    def coerce_series(self, c: Canonical, s: pd.Series, blanks: bool) -> pd.Series:
        if isinstance(s.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(s.dtype):
            t = s
        else:  # text: values with an offset are instants, the others wall times
            with_offset = s.notna() & s.astype(str).str.contains(times.TEXT_OFFSET)
            t = times.parse_times(s.where(~with_offset), False)
            if with_offset.any():
                instants = times.parse_times(s[with_offset], True)
                t = instants.dt.tz_convert(c.tz) if c.tz else instants.dt.tz_localize(None)
                naive = times.parse_times(s[~with_offset], False).dt.as_unit(t.dt.unit)
                if c.tz:
                    naive = naive.dt.tz_localize(c.tz)
                t = pd.concat([t, naive]).reindex(s.index)
        if isinstance(t.dtype, pd.DatetimeTZDtype):
            t = t.dt.tz_convert(c.tz) if c.tz else t.dt.tz_convert("UTC").dt.tz_localize(None)
        elif c.tz:
            t = t.dt.tz_localize(c.tz)
        return t.astype(c.dtype)

    # -- cross-column rules (rules, rule_values, rule_fill) --

    ordered = True

    def rule_value(self, c: Canonical, value: Any) -> Any:
        ts = pd.Timestamp(value)
        if (ts.tz is None) != (c.tz is None):
            raise ValueError("time zone")
        return int((ts.tz_convert("UTC") if ts.tz else ts).as_unit("ns").value)

    def order_clash(self, c: Canonical, ref: Canonical) -> str | None:
        clash = super().order_clash(c, ref)
        if clash is None and (c.tz is None) != (ref.tz is None):
            return self._incomparable(c, ref)
        return clash

    def raw_of_series(self, c: Canonical, s: pd.Series, null: np.ndarray) -> np.ndarray:
        return self._datetime_ns(s, null, aware=c.tz is not None)

    # -- shrinking and sklearn (shrink_models, sklearn) --

    threshold_probe = True

    def shrink_step_ns(self, c: Canonical, unit_ns: int) -> int:
        return unit_ns

    def shrink_distinct(self, c: Canonical, n: int) -> list[Any]:
        # whole days from the simplest timestamp, upwards first, within the bounds
        c0 = int(c.simplest)
        ups = [c0 + k * NS_PER_DAY for k in range(n) if c0 + k * NS_PER_DAY <= c.hi]
        downs = [c0 - k * NS_PER_DAY for k in range(1, n) if c0 - k * NS_PER_DAY >= c.lo]
        return (ups + downs)[:n]

    def shrink_value(
        self, c: Canonical, value: Any, simplest: Any, dtype: Any, attempt: Attempt, step_ns: int
    ) -> None:
        shrink_timestamp(value, simplest, dtype, c.tz, step_ns, attempt)

    # -- source text and formats (source, odcs_doc, formats, engines) --

    declared_name = "Timestamp"

    def constructor_source(self, c: Canonical) -> str:
        return "Timestamp()" if c.tz is None else f"Timestamp(time_zone={c.tz!r})"

    def declare(self, c: Canonical) -> Column:
        return Timestamp(time_zone=c.tz)

    def bound_source(self, c: Canonical, value: Any) -> str:
        ts = timestamp_from_ns(value, c.tz)
        offset = ts.utcoffset()
        if offset is not None and offset.seconds % 60:  # a local mean time pandas cannot parse
            ts = ts.tz_convert("UTC")
        return f"pd.Timestamp({ts.isoformat()!r})"

    def gap_source(self, c: Canonical, gap: Any) -> str:
        return f"pd.Timedelta({str(pd.Timedelta(int(gap), unit='ns'))!r})"
