"""Bounds as declared, converted to their canonical form: one converter per column kind.

Integers round inwards, floats keep their value (``-0.0`` is ``0.0``), float32 bounds move
to representable values, timestamps become nanoseconds since the epoch (UTC), durations
nanoseconds, dates days since the epoch. A bound that cannot be converted raises
:class:`~hypo_contracts.ContractError` through :class:`Clash`, naming the column and the call.

>>> clash = Clash("C", "n")
>>> int_bound(2.5, "lower_bound(2.5)", clash, upper=False)
3
>>> int_bound(2.5, "upper_bound(2.5)", clash, upper=True)
2
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .errors import ContractError
from .times import duration_ns, parse_date, parse_time

__all__ = [
    "Clash",
    "Declared",
    "check_tz",
    "date_bound",
    "float32_inwards",
    "float_bound",
    "in_float32",
    "int_bound",
    "intersect_accepted",
    "is_number",
    "td_bound",
    "ts_bound",
]


class Clash:
    """Collects a column's constraints and raises ContractErrors that name them."""

    def __init__(self, contract: str, name: str) -> None:
        self.where = f"{contract}.{name}"

    def fail(self, message: str) -> ContractError:
        return ContractError(f"{self.where}: {message}")


@dataclass
class Declared:
    """A column's constraint calls by what they constrain, each with its text for messages
    (``lower_bound(3)``); what the column's kind makes of them is its
    :meth:`~hypo_contracts.kinds.base.Kind.constrain`."""

    lowers: list[tuple[Any, str]] = field(default_factory=list)
    uppers: list[tuple[Any, str]] = field(default_factory=list)
    accepted: list[tuple[tuple[Any, ...], str]] = field(default_factory=list)
    min_lens: list[tuple[int, str]] = field(default_factory=list)
    max_lens: list[tuple[int, str]] = field(default_factory=list)
    regexes: list[tuple[str, bool, str]] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)


def intersect_accepted(
    accepted: list[tuple[tuple[Any, ...], str]],
    clash: Clash,
    convert: Callable[[Any, str], Any],
) -> tuple[list[Any], list[str]]:
    """The values every ``accepted_values`` call allows, in first-declared order, each
    passed through ``convert`` (which raises for a value of the wrong type), and the calls'
    texts for messages."""
    keep: list[Any] | None = None
    texts: list[str] = []
    for values, text in accepted:
        texts.append(text)
        current = list(dict.fromkeys(convert(v, text) for v in values))
        if not current:
            raise clash.fail(f"{text} accepts nothing; list at least one value.")
        keep = current if keep is None else [v for v in keep if v in set(current)]
        if not keep:
            raise clash.fail(f"{' and '.join(texts)} have no value in common.")
    assert keep is not None
    return keep, texts


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )


def int_bound(value: Any, text: str, clash: Clash, upper: bool) -> int:
    if not is_number(value) or (isinstance(value, (float, np.floating)) and math.isnan(value)):
        raise clash.fail(f"{text}: bounds of an integer column must be numbers, not {value!r}.")
    if isinstance(value, (float, np.floating)) and math.isinf(value):
        return -(2**70) if value < 0 else 2**70
    return int(math.floor(value) if upper else math.ceil(value))


def float_bound(value: Any, text: str, clash: Clash, upper: bool) -> float:
    if not is_number(value) or math.isnan(float(value)):
        raise clash.fail(f"{text}: bounds of a float column must be numbers, not {value!r}.")
    return float(value) + 0.0  # -0.0 -> 0.0: a bound of zero means zero of either sign


FLOAT32_MAX = float(np.finfo(np.float32).max)


def in_float32(v: Any, text: str, dtype_name: str, clash: Clash) -> None:
    """A finite bound beyond float32's largest value is an error, not an overflow to inf."""
    if dtype_name == "float32" and math.isfinite(v) and abs(v) > FLOAT32_MAX:
        raise clash.fail(
            f"{text} is outside float32's range [{-FLOAT32_MAX!r}, {FLOAT32_MAX!r}]; use "
            "Float64, or an infinite bound for no bound."
        )


def float32_inwards(lo: float, hi: float) -> tuple[float, float]:
    lo32, hi32 = np.float32(lo), np.float32(hi)
    if math.isfinite(lo) and float(lo32) < lo:
        lo32 = np.nextafter(lo32, np.float32(np.inf))
    if math.isfinite(hi) and float(hi32) > hi:
        hi32 = np.nextafter(hi32, np.float32(-np.inf))
    return float(lo32), float(hi32)


def check_tz(tz: Any, clash: Clash) -> str | None:
    if tz is None:
        return None
    if not isinstance(tz, (str, dt.tzinfo)):
        raise clash.fail(
            f"Timestamp(time_zone={tz!r}): the time zone is a name such as 'UTC' or "
            "'Europe/Berlin' (or a tzinfo), not a number."
        )
    try:
        return str(pd.Timestamp(0, tz=tz).tz)
    except Exception as exc:
        raise clash.fail(f"Timestamp(time_zone={tz!r}): unknown time zone ({exc}).") from None


def ts_bound(value: Any, text: str, clash: Clash, tz: str | None) -> int:
    try:
        ts = parse_time(value)
    except ValueError as exc:
        raise clash.fail(f"{text}: {value!r} {exc}.") from None
    if tz is not None and ts.tz is None:
        raise clash.fail(
            f"{text}: the bound is naive but the column is in {tz}; "
            f"pass pd.Timestamp(..., tz={tz!r})."
        )
    if tz is None and ts.tz is not None:
        raise clash.fail(
            f"{text}: the bound has a time zone but the column is naive; drop the tz or declare "
            "Timestamp(time_zone=...)."
        )
    try:
        return int(ts.as_unit("ns").value)
    except Exception as exc:
        raise clash.fail(f"{text}: outside datetime64[ns]'s range ({exc}).") from None


def td_bound(value: Any, text: str, clash: Clash, upper: bool) -> int:
    try:
        return duration_ns(value)
    except (ValueError, OverflowError) as exc:
        raise clash.fail(f"{text}: {value!r} {exc}.") from None


def date_bound(value: Any, text: str, clash: Clash, upper: bool) -> int:
    if not isinstance(value, (str, dt.date, np.datetime64)):
        raise clash.fail(f"{text}: bounds of a Date column are dates, not {value!r}.")
    try:
        value = parse_date(value)
    except ValueError as exc:
        raise clash.fail(f"{text}: {value!r} {exc}.") from None
    if isinstance(value, dt.datetime):  # pd.Timestamp too; a time of day rounds inwards
        day = value.date()
        if upper or value == dt.datetime.combine(day, dt.time()):
            value = day
        else:
            value = day + dt.timedelta(days=1)
    if not isinstance(value, dt.date):
        raise clash.fail(f"{text}: bounds of a Date column are dates, not {value!r}.")
    return (value - dt.date(1970, 1, 1)).days
