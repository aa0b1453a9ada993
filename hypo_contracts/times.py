"""Time values, once: the epoch representations every layer uses and the one parser.

Timestamps are kept as nanoseconds since the epoch (UTC) and dates as days since the epoch;
these functions turn them back into pandas/Python values and parse what users pass.

>>> timestamp_from_ns(86_400 * 10**9, "Europe/Berlin")
Timestamp('1970-01-02 01:00:00+0100', tz='Europe/Berlin')
>>> date_from_days(19_723)
datetime.date(2024, 1, 1)
>>> parse_date("2024-01-01"), parse_time("2024-01-01 12:00").hour
(datetime.date(2024, 1, 1), 12)
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "EPOCH",
    "NS_PER_DAY",
    "TEXT_OFFSET",
    "date_from_days",
    "days_since_epoch",
    "duration_ns",
    "parse_date",
    "parse_time",
    "parse_times",
    "timestamp_from_ns",
]

EPOCH = dt.date(1970, 1, 1)
NS_PER_DAY = 86_400 * 10**9


def timestamp_from_ns(ns: int, tz: Any = None) -> pd.Timestamp:
    """Nanoseconds since the epoch (UTC) as a ``pd.Timestamp``, in ``tz`` when given."""
    ts = pd.Timestamp(int(ns), unit="ns")
    return ts.tz_localize("UTC").tz_convert(tz) if tz is not None else ts


def date_from_days(days: int) -> dt.date:
    """Days since the epoch as a ``datetime.date``."""
    return EPOCH + dt.timedelta(days=int(days))


def days_since_epoch(day: dt.date) -> int:
    return (day - EPOCH).days


def parse_time(value: Any) -> pd.Timestamp:
    """``value`` (a ``pd.Timestamp``, ``datetime``, ``np.datetime64`` or ISO string) as a
    ``pd.Timestamp``; ``ValueError`` saying why for anything else (numbers and bools are
    refused: they would silently mean nanoseconds since the epoch)."""
    if isinstance(value, (bool, np.bool_, int, float, np.integer, np.floating)):
        raise ValueError("is not a timestamp (pass a pd.Timestamp, datetime or ISO string)")
    try:
        ts = pd.Timestamp(value)
    except Exception as exc:
        raise ValueError(f"is not a timestamp ({exc})") from None
    if ts is pd.NaT:
        raise ValueError("is not a timestamp (NaT)")
    return ts


#: The UTC offset (or ``Z``) at the end of an ISO timestamp's text.
TEXT_OFFSET = re.compile(r"(?:[+-]\d\d:?\d\d(?::?\d\d)?|Z)$")


def parse_times(s: pd.Series, utc: bool) -> pd.Series:
    """Parse ISO 8601 text (each value on its own: a file may mix ``2024-01-01 10:00`` and
    ``2024-01-02T00:00:00+01:00``), else whatever format pandas infers."""
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return pd.to_datetime(s, utc=utc)
    try:
        return pd.to_datetime(s, utc=utc, format="ISO8601")
    except (TypeError, ValueError):
        return pd.to_datetime(s, utc=utc)


#: The range of ``timedelta64[ns]`` (its minimum integer is NaT).
TD_MIN = int(pd.Timedelta.min.value)
TD_MAX = int(pd.Timedelta.max.value)


def duration_ns(value: Any) -> int:
    """``value`` (a ``pd.Timedelta``, ``datetime.timedelta``, ``np.timedelta64`` or a string
    such as ``"1h"`` or ``"2 days 03:00:00"``) in nanoseconds; ``ValueError`` saying why for
    anything else (numbers are refused: their unit would be a guess).

    >>> duration_ns("1h"), duration_ns(dt.timedelta(milliseconds=1))
    (3600000000000, 1000000)
    """
    numeric = (bool, np.bool_, int, float, np.integer, np.floating)
    if isinstance(value, numeric) and not isinstance(value, np.timedelta64):
        raise ValueError("is not a duration (pass a pd.Timedelta, timedelta or a string like '1h')")
    try:
        td = pd.Timedelta(value)
    except Exception as exc:
        raise ValueError(f"is not a duration ({exc})") from None
    if td is pd.NaT:
        raise ValueError("is not a duration (NaT)")
    return int(td.as_unit("ns").value)


def parse_date(value: Any) -> dt.date | pd.Timestamp:
    """A ``datetime.date`` for ISO date strings and dates; a ``pd.Timestamp`` for values with
    a time part (the caller decides whether a time of day is rounded or refused)."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError("is not an ISO date (YYYY-MM-DD)") from None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    ts = parse_time(value)
    if ts.tz is not None:
        raise ValueError("has a time zone, but Date columns are naive")
    return ts
