"""A kind's validation and coercion hooks (asked by ``values``, ``interop``,
``coercion``): vectorised checks, pandera checks, wrong-dtype messages, loading text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # Canonical sits above the kinds (it asks them for its dtype and simplest)
    from ..constraints import Canonical

from .hooks_columns import ColumnHooks


class CheckHooks(ColumnHooks):
    """The hooks of validation and coercion (values, interop, coercion); defaults for every kind."""

    # -- validation and coercion (values, interop, coercion) --

    values_noun: ClassVar[str] = "accepted values"
    """What a value outside the column's values is not one of (``BadValue``'s message)."""
    blank_strings: ClassVar[bool] = False
    """``coerce(..., blank_strings=True)`` turns nulls in a required column into ``""``."""
    array_checked: ClassVar[bool] = False
    """Arrays in the column's numpy dtype are checked at once, without casting each value
    (:func:`hypo_contracts.values.accept_array`, with :meth:`array_nulls` and
    :meth:`array_breaks`)."""
    trusts_dtype: ClassVar[bool] = True
    """``coerce`` leaves a column that already has the exact dtype alone (False: its cells
    are read whatever the dtype says)."""

    def reads_as_text(self, c: Canonical) -> bool:
        """Whether ``read_csv`` reads the column as ``str`` (so that text stays text:
        :func:`hypo_contracts.coercion.csv_dtypes`)."""
        return False

    def array_nulls(self, c: Canonical, arr: np.ndarray) -> np.ndarray:
        """The null mask of a numeric array already in the column's dtype, for the
        vectorised value check of :attr:`array_checked` kinds (none: no nulls)."""
        return np.zeros(len(arr), dtype=bool)

    def array_breaks(self, c: Canonical, present: np.ndarray) -> bool:
        """Whether some of the non-null values of such an array break the column (then the
        per-value path names it)."""
        return bool(((present < c.lo) | (present > c.hi)).any())

    def pandera_checks(self, c: Canonical, check: Any) -> list[Any]:
        """The pandera checks of the column's values, in order (``check`` is pandera's
        ``Check`` class): accepted values, the bounds, the kind's element check; kinds
        extend or replace the list."""
        checks: list[Any] = []
        if c.values is not None:
            checks.append(check.isin(list(c.values)))
        lo, hi = self.pandera_bounds(c)
        if lo is not None:
            checks.append(check.ge(lo))
        if hi is not None:
            checks.append(check.le(hi))
        own = self.element_check(c)
        if own is not None:
            checks.append(check(own[1], element_wise=True, name=own[0]))
        return checks

    def expected_dtype(self, c: Canonical) -> str:
        """The dtype a wrong-dtype failure expects, as ``validate``'s message says it."""
        return f"dtype({str(c.dtype)!r})"

    def dtype_hint(self, c: Canonical, series: pd.Series) -> str:
        """A hint after a wrong-dtype failure on ``series`` (how to fix it), or ``""``."""
        return ""

    def coerce_series(self, c: Canonical, s: pd.Series, blanks: bool) -> pd.Series:
        """``s`` cast to the column's dtype (``coerce``); text is parsed. ``blanks``: nulls
        become ``""`` (:attr:`blank_strings` kinds). TypeError, ValueError or OverflowError
        when it cannot be cast."""
        return s.astype(c.dtype)
