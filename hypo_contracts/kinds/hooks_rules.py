"""A kind's cross-column rule hooks (asked by ``rules``, ``rule_values``,
``rule_fill``): which kinds are ordered, gaps, shifts, reading rule results back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # Canonical sits above the kinds (it asks them for its dtype and simplest)
    from ..constraints import Canonical

from .core import BadValue
from .hooks_checks import CheckHooks


class RuleHooks(CheckHooks):
    """The hooks of cross-column rules (rules, rule_values, rule_fill); defaults for every kind."""

    # -- cross-column rules (rules, rule_values, rule_fill) --

    #: order rules and ``increasing``/``decreasing`` compare its values (columns without
    #: accepted values); the rules refuse the other kinds
    ordered: ClassVar[bool] = False

    def rule_value(self, c: Canonical, value: Any) -> Any:
        """A rule's constant (``present_when``'s condition values) in raw form; ValueError or
        TypeError when the column cannot hold it (accepted values are the caller's)."""
        raise ValueError(f"not a {self.name} value")

    def rule_gap(self, c: Canonical, gap: Any) -> Any:
        """An order rule's declared ``gap`` (not None) in raw units, or :class:`BadValue`
        saying why not; here: a duration >= 0, in ns."""
        try:
            delta = pd.Timedelta(gap)
        except (TypeError, ValueError):
            raise BadValue(
                f"gap={gap!r} must be a pd.Timedelta (or a string such as '1h') for a "
                f"{self.name} column."
            ) from None
        if delta is pd.NaT or delta < pd.Timedelta(0):
            raise BadValue(f"gap={gap!r} must be a duration >= 0.")
        return int(delta.value)

    def _number_gap(self, c: Canonical, gap: Any) -> Any:
        """A gap that is a finite number >= 0 (the number kinds' :meth:`rule_gap`)."""
        if isinstance(gap, bool) or not isinstance(gap, (int, float, np.integer, np.floating)):
            raise BadValue(f"gap={gap!r} must be a number for a {self.name} column.")
        if not np.isfinite(float(gap)) or gap < 0:
            raise BadValue(f"gap={gap!r} must be a finite number >= 0.")
        return gap

    def frame_gap(self, c: Canonical, gap: Any) -> Any:
        """A raw gap in the units a frame's values compare in (numbers; ns for times)."""
        return gap

    def order_clash(self, c: Canonical, ref: Canonical) -> str | None:
        """Why an order rule cannot compare ``c`` (of this kind) with ``ref``, or None."""
        return None if ref.kind == self.name else self._incomparable(c, ref)

    @staticmethod
    def _incomparable(c: Canonical, ref: Canonical) -> str:
        return (
            f"{c.name} ({c.dtype_name}) and {ref.name} ({ref.dtype_name}) are not comparable: "
            "compare columns of the same kind (timestamps both naive or both aware)."
        )

    def rule_shift(self, c: Canonical, value: Any, gap: Any, strict: bool, up: bool) -> Any:
        """``value`` moved up (or down) by the least an order rule with raw ``gap`` allows:
        the gap, plus one when ``strict`` (raw values are whole steps)."""
        step = int(gap) + (1 if strict else 0)
        return value + step if up else value - step

    def raw_of_result(
        self, c: Canonical, result: Any, n: int
    ) -> tuple[np.ndarray, np.ndarray | None] | None:
        """A ``computed`` result (a Series or array) as raw values and null mask when a fast
        path sees it is valid; None for the general path (:meth:`raw_of_series`)."""
        return None

    def raw_of_series(self, c: Canonical, s: pd.Series, null: np.ndarray) -> np.ndarray:
        """The values of ``s`` (a column without accepted values) in raw form, nulls
        arbitrary; TypeError, ValueError or OverflowError when they cannot be cast. Here:
        numbers in the column's numpy dtype."""
        arr = s.astype(np.float64).to_numpy(dtype=np.float64, na_value=np.nan).copy()
        arr[null] = 0.0
        return arr.astype(c.dtype_name)

    @staticmethod
    def _datetime_ns(s: pd.Series, null: np.ndarray, aware: bool) -> np.ndarray:
        """Timestamps (what ``pd.to_datetime`` reads) as int64 ns since the epoch (UTC),
        nulls 0; ValueError unless they are ``aware`` or naive as the column is."""
        t = pd.to_datetime(s)
        if isinstance(t.dtype, pd.DatetimeTZDtype):
            if not aware:
                raise ValueError("aware timestamps for a naive column")
            t = t.dt.tz_convert("UTC").dt.tz_localize(None)
        elif aware:
            raise ValueError("naive timestamps for an aware column")
        ns = t.astype("datetime64[ns]").to_numpy().view(np.int64).copy()
        ns[null] = 0
        return ns

    def raw_fault(self, c: Canonical, raw: Any, null: np.ndarray) -> tuple[Any, str] | None:
        """The first way raw values (from :meth:`raw_of_series`) break the column: a mask of
        the rows and why; None when they all fit. Here: the bounds of kinds with bounds."""
        if self.dtype_range(c) is None:
            return None
        with np.errstate(invalid="ignore"):
            low = ~null & (raw < c.lo)
            high = ~null & (raw > c.hi)
        if low.any():
            return low, f"is below its lower bound {self.bound_text(c, c.lo)}"
        if high.any():
            return high, f"is above its upper bound {self.bound_text(c, c.hi)}"
        return None
