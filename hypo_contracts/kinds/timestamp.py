"""The timestamp kind: raw values are nanoseconds since the epoch (UTC)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

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

    # -- bulk sampling and columns (_bulk, _regex) --

    permutable = True

    def series(
        self, c: Canonical, raw: np.ndarray, nulls: np.ndarray | None, name: str
    ) -> pd.Series | None:
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

    # -- cross-column rules (rules, rule_values, rule_fill) --

    # -- shrinking and sklearn (shrink_models, sklearn) --

    # -- source text and formats (source, odcs_doc, formats, engines) --
