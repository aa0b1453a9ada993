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

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from .. import declaration
from .._permute import permute
from .._sampling import P_EDGE, from_u64, integers
from ..bounds import Clash, Declared, int_bound, intersect_accepted, is_number
from ..declaration import Column, plain_scalar
from ..shrink_steps import Attempt, shrink_int

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

    #: The frame libraries that generate columns of this kind (``backend=``).
    backends: ClassVar[tuple[str, ...]] = ("pandas", "polars")

    def canonical_fields(self, column: Column, clash: Clash) -> dict[str, Any]:
        """The fields of the column's :class:`Canonical` that its type decides (the dtype
        name; a time zone, digits), checked (ContractError through ``clash``)."""
        return {"dtype_name": getattr(column, "dtype", self.name)}

    def constrain(self, c: Canonical, declared: Declared, clash: Clash) -> dict[str, Any]:
        """The fields the column's constraints decide, checked; ``c`` holds the type's
        fields. Here: bounds intersected within the dtype's range, accepted values filtered
        by them."""
        lo, lo_text, lo_raw = self._tightest(c, declared.lowers, clash, upper=False)
        hi, hi_text, hi_raw = self._tightest(c, declared.uppers, clash, upper=True)
        lo, hi = self.settle_bounds(c, lo, hi, (lo_text, hi_text), clash)
        if lo > hi:
            raise clash.fail(self._no_value(c, (lo, lo_text, lo_raw), (hi, hi_text, hi_raw)))
        allow_inf = "allow_infinity" in declared.flags
        if allow_inf and math.isfinite(lo) and math.isfinite(hi):
            raise clash.fail(
                f"allow_infinity() cannot be met: {lo_text} and {hi_text} exclude both infinities."
            )
        values = None
        if declared.accepted:
            keep, calls = intersect_accepted(
                declared.accepted, clash, lambda v, text: self.accepted_raw(c, v, text, clash)
            )
            inside = [v for v in keep if lo <= v <= hi]
            if not inside:
                bounds = " and ".join(t for t in (lo_text, hi_text) if t) or "the dtype range"
                raise clash.fail(f"{' and '.join(calls)} leaves no value that satisfies {bounds}.")
            values = tuple(self.to_python(c, v) for v in inside)
        return {"lo": lo, "hi": hi, "values": values, "allow_inf": allow_inf}

    def _no_value(
        self, c: Canonical, lower: tuple[Any, str | None, Any], upper: tuple[Any, str | None, Any]
    ) -> str:
        """Why the lower bound (raw, its text, as declared) is above the upper one."""
        (lo, lo_text, lo_raw), (hi, hi_text, hi_raw) = lower, upper
        why = None if lo_raw is None or hi_raw is None else self.rounded_away(c, lo_raw, hi_raw)
        if why is not None:
            return f"{' and '.join(dict.fromkeys((str(lo_text), str(hi_text))))}: {why}"
        if lo_text == hi_text:
            return f"{lo_text} has its lower bound above its upper bound."
        return (
            f"{lo_text or 'the dtype minimum'} and {hi_text or 'the dtype maximum'} leave no "
            f"value: lower bound {self.shown_bound(c, lo)} > upper bound "
            f"{self.shown_bound(c, hi)}."
        )

    def _tightest(
        self, c: Canonical, bounds: list[tuple[Any, str]], clash: Clash, upper: bool
    ) -> tuple[Any, str | None, Any]:
        """The tightest of ``bounds`` (raw), its text and its value as declared; the dtype's
        limit when there are none."""
        limits = self.dtype_range(c)
        assert limits is not None
        best, best_text, best_raw = limits[1 if upper else 0], None, None
        for value, text in bounds:
            v = self.bound(c, value, text, clash, upper)
            self.check_bound(c, v, text, clash)
            if (v < best) if upper else (v > best):
                best, best_text, best_raw = v, text, value
        return best, best_text, best_raw

    def bound(self, c: Canonical, value: Any, text: str, clash: Clash, upper: bool) -> Any:
        """A declared bound as a raw one (here: a whole number, rounded inwards)."""
        return int_bound(value, text, clash, upper)

    def check_bound(self, c: Canonical, v: Any, text: str, clash: Clash) -> None:
        """A raw bound outside the dtype's range is a ContractError (an infinite integer
        bound, ``2**70``, stands for no bound)."""
        limits = self.dtype_range(c)
        assert limits is not None
        dlo, dhi = limits
        if isinstance(v, int) and not (dlo <= v <= dhi) and abs(v) != 2**70:
            raise clash.fail(
                f"{text} is outside {c.dtype_name}'s range "
                f"[{self.shown_bound(c, dlo)}, {self.shown_bound(c, dhi)}]."
            )

    def settle_bounds(
        self, c: Canonical, lo: Any, hi: Any, texts: tuple[str | None, str | None], clash: Clash
    ) -> tuple[Any, Any]:
        """The intersected bounds moved to values the dtype holds (float32 rounds)."""
        return lo, hi

    def rounded_away(self, c: Canonical, lo_raw: Any, hi_raw: Any) -> str | None:
        """Why bounds declared in order leave no value once rounded inwards, or None."""
        return None

    def shown_bound(self, c: Canonical, value: Any) -> str:
        """A raw bound as declaration errors show it."""
        return self.bound_text(c, value)

    def accepted_raw(self, c: Canonical, v: Any, text: str, clash: Clash) -> Any:
        """One accepted value as a raw one (here: a whole number in the dtype's range)."""
        integral = isinstance(v, (int, np.integer)) or (
            isinstance(v, (float, np.floating)) and float(v).is_integer()
        )
        if not is_number(v) or not integral:
            raise clash.fail(f"{text}: {v!r} is not an integer.")
        limits = self.dtype_range(c)
        assert limits is not None
        dlo, dhi = limits
        if not dlo <= int(v) <= dhi:
            raise clash.fail(f"{text}: {v!r} is outside {c.dtype_name}'s range [{dlo}, {dhi}].")
        return int(v)

    def weight_key(self, v: Any) -> Any:
        """A declared accepted value as the key its weight is found under in the values."""
        return plain_scalar(v)

    def repr_parts(self, c: Canonical) -> list[str]:
        """What ``repr(Canonical)`` shows beyond bounds, values, weights, regex and tz."""
        return []

    def admits(self, c: Canonical, value: Any) -> bool:
        """Whether ``c``'s constraints besides its values allow ``value`` (a value of its
        kind, as accepted values hold them)."""
        return bool(c.lo <= value <= c.hi)

    def narrowing(self, outer: Canonical, inner: Canonical) -> str | None:
        """Why ``inner`` (same kind, dtype, nullability and uniqueness) allows a value
        ``outer`` does not, or None (see :func:`hypo_contracts.narrowing.contains`)."""
        where = outer.where
        if inner.values is not None:
            outside = [
                v
                for v in inner.values
                if not (v in outer.values if outer.values is not None else self.admits(outer, v))
            ]
            if outside:
                shown = ", ".join(map(repr, outside))
                are = "values ... are" if len(outside) > 1 else "value ... is"
                return f"its accepted {are.replace('...', shown)} not allowed by {where}"
            return None
        if outer.values is not None:
            return (
                f"{where} accepts only {list(outer.values)!r}; narrow it with accepted_values() "
                "among them"
            )
        return self.narrows_within(outer, inner)

    def narrows_within(self, outer: Canonical, inner: Canonical) -> str | None:
        """Why ``inner``'s own constraints (neither has values) reach beyond ``outer``'s:
        here its bounds or infinities."""
        where = outer.where
        if inner.lo < outer.lo:
            return (
                f"its lower bound {self.bound_text(inner, inner.lo)} is below the lower bound "
                f"{self.bound_text(outer, outer.lo)} of {where}"
            )
        if inner.hi > outer.hi:
            return (
                f"its upper bound {self.bound_text(inner, inner.hi)} is above the upper bound "
                f"{self.bound_text(outer, outer.hi)} of {where}"
            )
        if inner.allow_inf and not outer.allow_inf:
            return f"it allows infinities and {where} does not"
        return None

    # -- bulk sampling and columns (_bulk, _regex) --

    def masked_series(
        self, c: Canonical, raw: np.ndarray, nulls: np.ndarray | None, name: str
    ) -> pd.Series:
        """Raw values as a Series of ``c.dtype``: a masked (nullable) array with ``pd.NA``
        where ``nulls`` for optional columns, the plain dtype otherwise."""
        raw = self.lookup(c, raw)
        if not c.nullable:
            return pd.Series(raw, name=name, dtype=c.dtype)
        arr = pd.array(raw, dtype=c.dtype)
        if nulls is not None and nulls.any():
            arr[nulls] = pd.NA
        return pd.Series(arr, name=name)

    def numeric_array(self, c: Canonical, raw: np.ndarray) -> np.ndarray | None:
        """:meth:`bulk_array` of numeric columns: ``raw`` itself as ``c.dtype`` when that is
        a numpy dtype and there is no value list, else None."""
        if c.values is None and isinstance(c.dtype, np.dtype):
            return raw.astype(c.dtype, copy=False)
        return None

    #: A unique column of this kind can take row ``i``'s value from a seeded bijection of
    #: its whole range ``[lo, hi]`` (:func:`hypo_contracts._bulk.permuted_unique`).
    permutable: ClassVar[bool] = False

    def raw_dtype(self, c: Canonical) -> np.dtype[Any]:
        """The numpy dtype of raw bulk values (value lists: indices, the caller's)."""
        return np.dtype(np.int64)

    def raw_column(self, c: Canonical, q: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Raw values for quantiles ``q`` (value lists: the caller); here whole numbers in
        ``[lo, hi]``, log-uniform over wide ranges when ``log_spread``."""
        return integers(c, q, rng, self.log_spread, self.raw_dtype(c))

    def edge_values(self, c: Canonical) -> list[Any]:
        """Boundary and special raw values (value lists: the caller); here the bounds, the
        simplest value and its neighbours."""
        i0 = int(c.simplest)
        return sorted({c.lo, c.hi, i0, min(i0 + 1, c.hi), max(i0 - 1, c.lo)})

    def edge_order(self, c: Canonical, values: list[Any]) -> list[Any]:
        """:meth:`edge_values` nearest the simplest value first (bulk edge cells and
        shrinking rely on it)."""
        c0 = c.simplest
        return sorted(values, key=lambda v: (abs(v - c0), v))

    def simplest_raw(self, c: Canonical, n: int) -> np.ndarray:
        """``n`` copies of the simplest raw value (value lists: the caller)."""
        return np.full(n, c.simplest, dtype=self.raw_dtype(c))

    def enumerate_simplest(self, c: Canonical, count: int, avoid: frozenset[Any]) -> list[Any]:
        """The ``count`` simplest distinct raw values, simplest first (``count`` > 0, value
        lists: the caller); ``avoid``: values the caller already has (a hint)."""
        c0 = int(c.simplest)
        ups = range(c0, min(c.hi, c0 + count - 1) + 1)
        downs = range(c0 - 1, max(c.lo, c0 - count) - 1, -1)
        return (list(ups) + list(downs))[:count]

    def permuted(self, c: Canonical, q: np.ndarray, keys: list[int]) -> np.ndarray | None:
        """Distinct raw values for a unique column by row index, with no repair (value
        lists: the caller), or None. :attr:`permutable` kinds: row ``i`` holds
        ``lo + p(i)``, ``p`` the seeded bijection of ``[lo, hi]`` keyed by ``keys``
        (:mod:`hypo_contracts._permute`), so values spread over the whole range; the first
        row of each edge value's quantile band (as ``_bulk.fill`` has them) gets that edge
        value, swapped with the row that held it. None when the rows outnumber the values
        (``_bulk.make_unique`` places the one null and the error)."""
        if not self.permutable:
            return None
        n, lo, size = len(q), int(c.lo), int(c.hi) - int(c.lo) + 1
        if n > size:
            return None
        ks = permute(np.arange(n, dtype=np.uint64), size, keys)
        top = np.flatnonzero(q >= 1.0 - P_EDGE)
        if len(top):
            edges = self.edge_order(c, self.edge_values(c))
            band = ((q[top] - (1.0 - P_EDGE)) * (len(edges) / P_EDGE)).astype(np.int64)
            bands, first = np.unique(np.minimum(band, len(edges) - 1), return_index=True)
            for b, row in zip(bands.tolist(), top[first].tolist(), strict=True):
                k = np.uint64(int(edges[b]) - lo)
                held = np.flatnonzero(ks == k)
                if len(held):
                    ks[held[0]] = ks[row]
                ks[row] = k
        with np.errstate(over="ignore"):
            ks += np.uint64(lo % 2**64)
        return from_u64(ks, self.raw_dtype(c))

    def lookup(self, c: Canonical, raw: np.ndarray) -> np.ndarray:
        """Raw values of a column with a value list (indices) as its values, in an array
        of the kind's raw form; others as they are."""
        if c.values is None:
            return raw
        return np.array(c.values, dtype=c.dtype_name)[raw]

    def bulk_array(self, c: Canonical, raw: np.ndarray, nulls: np.ndarray | None) -> Any:
        """The column as a bare array for ``pd.DataFrame({...}, copy=False)``
        (:func:`hypo_contracts._bulk.column_values`), reusing ``raw`` (a fresh array the
        caller gives up), or None to go through :meth:`series`."""
        return None

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

    numeric_target: ClassVar[bool] = False
    """sklearn: predictions for a target of this kind are numbers (int, float): bool
    predictions count as 0/1, and ``check_target`` names non-numbers, fractions
    (:attr:`whole_target`) or infinities, then the bounds."""
    whole_target: ClassVar[bool] = False
    """sklearn: a numeric target of this kind holds whole numbers only (int)."""
    threshold_probe: ClassVar[bool] = False
    """sklearn: ``check_feature_use`` probes a feature of this kind with ``feature >
    threshold`` (:meth:`probe_threshold`), which a unique column can carry too; other kinds
    with ``feature == value``. (Ordered kinds with a median: int, float, timestamp, date.)"""
    probe_values: ClassVar[tuple[Any, Any] | None] = None
    """sklearn: the kind's two values when it has just two (bool: ``(False, True)``):
    ``check_feature_use`` probes a feature with ``feature == True`` and answers a target
    with them; None: the values drawn decide."""

    def shrink_step_ns(self, c: Canonical, unit_ns: int) -> int:
        """The finest step, in nanoseconds, by which :meth:`shrink_value` moves a value of a
        column whose dtype's unit is ``unit_ns`` (time kinds; 1 for the others)."""
        return 1

    def shrink_distinct(self, c: Canonical, n: int) -> list[Any]:
        """Up to ``n`` distinct raw values, simplest first, that a unique column tries before
        :func:`hypo_contracts._bulk.enumerate_simplest`'s (none here)."""
        return []

    def shrink_value(
        self, c: Canonical, value: Any, simplest: Any, dtype: Any, attempt: Attempt, step_ns: int
    ) -> None:
        """Shrink one non-null cell ``value`` of a column without accepted values (not
        already ``simplest``, the pandas scalar of the raw simplest value) in a column of
        ``dtype``: call ``attempt(candidate)`` from the simplest candidate upwards, with the
        searches of :mod:`hypo_contracts.shrink_steps`; here whole numbers by binary search."""
        shrink_int(int(value), int(simplest), attempt)

    def target_label(self, c: Canonical, v: Any) -> Any:
        """A prediction for a target of this kind as the value :meth:`cast` judges (bool
        predictions of a numeric target as 0/1, as the target check always accepted them)."""
        return int(v) if self.numeric_target and isinstance(v, (bool, np.bool_)) else v

    def target_failure(self, c: Canonical, shown: str) -> str | None:
        """``check_target``'s message for the predictions ``shown`` that break a target of
        this kind, or None for the general one (the bounds, or the first problem)."""
        return None

    def probe_threshold(self, c: Canonical, sample: pd.Series) -> tuple[Any, str]:
        """The threshold of a :attr:`threshold_probe` (the median of a non-null ``sample``)
        and how the rule shows it."""
        threshold = sample.median()
        return threshold, str(threshold)

    # -- source text and formats (source, odcs_doc, formats, engines) --

    #: The name of the declaration class of this kind's columns (``Bool``), when it is one.
    declared_name: ClassVar[str] = ""

    def declaration_name(self, c: Canonical) -> str:
        """The declaration class that declares ``c`` (``Int64``, ``Timestamp``)."""
        return self.declared_name

    def constructor_source(self, c: Canonical) -> str:
        """``c``'s declaration without constraints, as Python source (``Int64()``)."""
        return f"{self.declaration_name(c)}()"

    def declare(self, c: Canonical) -> Column:
        """``c``'s declaration without constraints (nor weights), as a column object: what
        :meth:`constructor_source` writes."""
        return getattr(declaration, self.declaration_name(c))()

    def bound_source(self, c: Canonical, value: Any) -> str:
        """A raw bound as the Python literal that declares it back exactly (``5``)."""
        return repr(int(value))

    def value_source(self, c: Canonical, value: Any) -> Any:
        """An accepted value (or category) as the Python value ``repr`` writes."""
        return plain_scalar(value)

    def constraints_source(self, c: Canonical) -> str:
        """The kind's own constraint calls after the bounds (here: accepted values)."""
        if c.values is None:
            return ""
        weights = f", weights={list(c.weights)!r}" if c.weights is not None else ""
        shown = [self.value_source(c, v) for v in c.values]
        return f".accepted_values({shown!r}{weights})"

    def gap_source(self, c: Canonical, gap: Any) -> str:
        """An order rule's raw gap as the ``gap=`` argument that gives it back (exactly)."""
        return repr(int(gap))

    def condition_source(self, c: Canonical, value: Any) -> str | None:
        """A ``present_when`` condition value of ``c`` (as declared) as a Python literal, or
        None when it has none."""
        value = plain_scalar(value)
        if isinstance(value, pd.Timestamp):
            return f"pd.Timestamp({value.isoformat()!r})"
        if type(value) in (bool, int, float, str):
            return repr(value)
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
        what = kind_of(c).values_noun
        raise BadValue(f"is not one of the {what} {list(values)!r}") from None
    return i
