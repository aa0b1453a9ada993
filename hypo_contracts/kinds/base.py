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

from .._permute import permute
from .._sampling import P_EDGE, from_u64, integers

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

    # -- cross-column rules (rules, rule_values, rule_fill) --

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
