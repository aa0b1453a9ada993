"""A kind's bulk-sampling hooks (asked by ``_bulk``): the numpy sampler of raw values,
edge and simplest values, unique values, and the pandas column.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

from .._permute import permute
from .._sampling import P_EDGE, from_u64, integers

if TYPE_CHECKING:  # Canonical sits above the kinds (it asks them for its dtype and simplest)
    from ..constraints import Canonical

from .hooks_canon import CanonHooks


class ColumnHooks(CanonHooks):
    """The hooks of bulk sampling and columns (_bulk, _regex); defaults for every kind."""

    # -- bulk sampling and columns (_bulk, _regex) --

    def series(
        self, c: Canonical, raw: np.ndarray, nulls: np.ndarray | None, name: str
    ) -> pd.Series:
        """Raw values (and a null mask) as a column of the kind's dtype
        (:func:`hypo_contracts._bulk.to_series`); here :meth:`masked_series` (int, bool)."""
        return self.masked_series(c, raw, nulls, name)

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

    #: :meth:`fill_columns` fills many columns of this kind at once (``_bulk.Filler``).
    fills_columns: ClassVar[bool] = False

    def columns_plan(self, cs: Sequence[Canonical]) -> Any:
        """What :meth:`fill_columns` needs of columns ``cs`` of this kind, computed once per
        ``frames()`` call (:attr:`fills_columns` kinds)."""
        raise NotImplementedError

    def fill_columns(
        self, plan: Any, q: np.ndarray, rng: np.random.Generator, prev: np.ndarray | None
    ) -> list[np.ndarray]:
        """:meth:`raw_column` for the columns of :meth:`columns_plan`, quantiles ``q`` a
        row per column; with ``prev`` (quantiles at most ``q``'s), each cell the simplest
        value between the two quantiles' (:attr:`fills_columns` kinds)."""
        raise NotImplementedError

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
