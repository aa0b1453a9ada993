"""The core of a column kind (:class:`KindCore`): dtype, simplest value, capacity, casting
one value, the Hypothesis strategy for one cell; and :class:`BadValue`.

The hooks each part of the package asks a kind are added on top of it, one module per
concern (``hooks_canon`` ... ``hooks_shrink``, then :class:`~hypo_contracts.kinds.base.Kind`),
each class extending the one below, so that a concern's hooks may use those of the
concerns below it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd
from hypothesis import strategies as st

if TYPE_CHECKING:  # Canonical sits above the kinds (it asks them for its dtype and simplest)
    from ..constraints import Canonical


class BadValue(ValueError):
    """One value breaks its column; the message says how (``is above the upper bound 10``).
    ``row``: the row it came from, where a whole column was read (0 otherwise)."""

    row: int = 0


class KindCore:
    """One column kind. Subclasses override what their kind does differently.

    ``integer_raw``: raw values are whole numbers in ``[lo, hi]`` (integers, timestamps in
    ns, dates in days, durations in ns, decimals in units of their scale), so the integer
    sampler, edge values and uniqueness repair serve them; ``log_spread``: the sampler
    spreads wide ranges log-uniformly (uniformly otherwise).
    """

    name: ClassVar[str] = ""
    integer_raw: ClassVar[bool] = False
    log_spread: ClassVar[bool] = False

    def dtype(self, c: Canonical) -> Any:
        """The pandas dtype of generated columns."""
        return np.dtype(c.dtype_name)

    def simplest(self, c: Canonical) -> Any:
        """The raw value shrinking aims for (values lists are handled by the caller)."""
        return min(max(0, c.lo), c.hi)

    def capacity(self, c: Canonical) -> int | None:
        """How many distinct non-null values exist, or None when too many to matter."""
        return int(c.hi - c.lo + 1)

    def cast(self, c: Canonical, v: Any, lookup: dict[Any, int] | None) -> Any:
        """``v`` (not null) cast to the raw form, or :class:`BadValue`."""
        raise NotImplementedError  # pragma: no cover

    def bound_text(self, c: Canonical, value: Any) -> str:
        """A raw bound as the user would write it."""
        return repr(value)

    def dtype_matches(self, c: Canonical, dtype: Any, series: pd.Series | None) -> bool:
        """Whether a column of ``dtype`` holds this kind's values the way pandas may store
        them (see :func:`hypo_contracts.interop.dtype_matches`); here: the declared numpy
        width, as numpy, nullable or Arrow dtype."""
        if isinstance(dtype, pd.CategoricalDtype):
            return False
        equivalent = numpy_equivalent(dtype)
        return equivalent is not None and equivalent == np.dtype(c.dtype_name)

    def dtype_range(self, c: Canonical) -> tuple[Any, Any] | None:
        """The raw range the column's dtype holds (bounds inside it are declared ones);
        None for kinds without bounds."""
        return None

    def has_bounds(self, c: Canonical) -> tuple[bool, bool]:
        """Whether the lower and upper bounds say more than the dtype's own range."""
        limits = self.dtype_range(c)
        if limits is None:
            return False, False
        return c.lo > limits[0], c.hi < limits[1]

    def pandas_value(self, c: Canonical, raw: Any) -> Any:
        """A raw bound as the pandas scalar a column of this kind compares with."""
        return raw

    def pandera_bounds(self, c: Canonical) -> tuple[Any, Any]:
        """The declared bounds as pandas scalars for pandera's ``ge``/``le`` checks (None
        where the dtype's own range is the bound)."""
        has_lo, has_hi = self.has_bounds(c)
        return (
            self.pandas_value(c, c.lo) if has_lo else None,
            self.pandas_value(c, c.hi) if has_hi else None,
        )

    def cell(self, c: Canonical) -> st.SearchStrategy[Any]:
        """A Hypothesis strategy for one non-null raw cell (values lists: the caller)."""
        return st.integers(c.lo, c.hi)

    def to_python(self, c: Canonical, raw: Any) -> Any:
        """A raw non-null cell as the Python value a user would expect."""
        return raw.item() if isinstance(raw, np.generic) else raw

    def element_check(self, c: Canonical) -> tuple[str, Callable[[Any], bool]] | None:
        """A check name and a per-cell predicate that validation adds for this kind (None:
        the pandera checks of :mod:`hypo_contracts.interop` cover it)."""
        return None


def numpy_equivalent(dtype: Any) -> np.dtype[Any] | None:
    """The numpy dtype behind a numpy, nullable (``Int64``, ``Float64``) or Arrow dtype."""
    if isinstance(dtype, np.dtype):
        return dtype
    try:
        equivalent = getattr(dtype, "numpy_dtype", None)
    except (NotImplementedError, TypeError):  # pragma: no cover - Arrow types numpy lacks
        return None
    return equivalent if isinstance(equivalent, np.dtype) else None
