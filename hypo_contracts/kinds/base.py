"""The base of every column kind, the registry and the value errors kinds raise.

A kind is one object that owns what differs between column types: its pandas dtype, its
simplest value, how many values it has, casting and checking one value, showing a bound,
the Hypothesis strategy for one raw cell and turning a raw cell back into a Python value.
Modules above ask the kind of a canonical column (:func:`kind_of`) instead of comparing
kind strings.

>>> from hypo_contracts import Int64
>>> from hypo_contracts.constraints import canonicalise
>>> kind_of(canonicalise(Int64(), contract="C", name="n")).name
'int'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd
from hypothesis import strategies as st

if TYPE_CHECKING:  # Canonical sits above the kinds (it asks them for its dtype and simplest)
    from ..constraints import Canonical

__all__ = [
    "KINDS",
    "BadValue",
    "Kind",
    "check_range",
    "kind_of",
    "member",
    "numpy_equivalent",
    "register",
]


class BadValue(ValueError):
    """One value breaks its column; the message says how (``is above the upper bound 10``)."""


class Kind:
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

    def series(
        self, c: Canonical, raw: np.ndarray, nulls: np.ndarray | None, name: str
    ) -> pd.Series | None:
        """Raw values (and a null mask) as a column of the kind's dtype, or None to leave it
        to :func:`hypo_contracts._bulk.to_series` (the kinds that predate this method)."""
        return None

    def element_check(self, c: Canonical) -> tuple[str, Callable[[Any], bool]] | None:
        """A check name and a per-cell predicate that validation adds for this kind (None:
        the pandera checks of :mod:`hypo_contracts.interop` cover it)."""
        return None

    # -- canonicalisation (constraints, bounds, narrowing) --

    # -- bulk sampling and columns (_bulk, _regex) --

    # -- validation and coercion (values, interop, coercion) --

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
        return None if kind_of(ref) is self else self._incomparable(c, ref)

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
            return low, f"is below its lower bound {c.lo!r}"
        if high.any():
            return high, f"is above its upper bound {c.hi!r}"
        return None

    # -- shrinking and sklearn (shrink_models, sklearn) --

    # -- source text and formats (source, odcs_doc, formats, engines) --


def numpy_equivalent(dtype: Any) -> np.dtype[Any] | None:
    """The numpy dtype behind a numpy, nullable (``Int64``, ``Float64``) or Arrow dtype."""
    if isinstance(dtype, np.dtype):
        return dtype
    try:
        equivalent = getattr(dtype, "numpy_dtype", None)
    except (NotImplementedError, TypeError):  # pragma: no cover - Arrow types numpy lacks
        return None
    return equivalent if isinstance(equivalent, np.dtype) else None


KINDS: dict[str, Kind] = {}
"""Kind string (``Column.kind``, ``Canonical.kind``) -> its :class:`Kind`."""


def register(kind: Kind) -> Kind:
    """Add ``kind`` to :data:`KINDS` under its name."""
    KINDS[kind.name] = kind
    return kind


def kind_of(c: Canonical) -> Kind:
    """The :class:`Kind` of a canonical column."""
    return KINDS[c.kind]


def check_range(c: Canonical, x: Any) -> None:
    """``x`` (raw) within ``c``'s bounds, or :class:`BadValue` naming the bound."""
    if x < c.lo:
        raise BadValue(f"is below the lower bound {kind_of(c).bound_text(c, c.lo)}")
    if x > c.hi:
        raise BadValue(f"is above the upper bound {kind_of(c).bound_text(c, c.hi)}")


def member(c: Canonical, lookup: dict[Any, int], x: Any) -> int:
    """The index of ``x`` among ``c``'s values; a bool is only a bool member (``True == 1``
    in a dict, but pandas' categorical of ``[1, 2]`` does not hold ``True``)."""
    try:
        i = lookup[x]
    except (KeyError, TypeError):
        i = None
    values = c.values or ()
    if i is None or isinstance(x, (bool, np.bool_)) != isinstance(values[i], (bool, np.bool_)):
        what = "categories" if c.kind == "category" else "accepted values"
        raise BadValue(f"is not one of the {what} {list(values)!r}") from None
    return i
