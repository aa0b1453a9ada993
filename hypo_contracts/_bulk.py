"""Vectorised column filling with numpy's ``Generator``: the bulk of every frame.

Every cell is driven by a *quantile* ``q`` in [0, 1): ``q`` near 0 gives values near the
column's simplest value (0 clamped into range, the first accepted value, the shortest
string), larger ``q`` values further away. ``Contract.example`` draws ``q`` uniformly;
:func:`hypo_contracts.frames` derives it from Hypothesis-drawn bytes so that Hypothesis can
shrink bulk cells towards the simplest value (see docs/design.md).

A few cells get edge values (bounds, zero, the empty string, infinities when allowed) and
optional columns get nulls, so large frames keep the cases that break pipelines.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ._permute import keys_for
from ._sampling import P_EDGE as P_EDGE  # re-exported: the share of edge cells
from .arguments import unique_room
from .constraints import Canonical
from .errors import ContractError, InvalidArgument, is_whole
from .kinds import kind_of
from .narrowing import narrow_columns
from .weights import pick_weighted

#: Share of cells that are null in optional columns (edge cells: :data:`P_EDGE`).
P_NULL = 0.05


# ------------------------------------------------------------------------------------------
# one column from quantiles


def _pick(values: Sequence[Any], q: np.ndarray) -> np.ndarray:
    idx = np.minimum((q * len(values)).astype(np.int64), len(values) - 1)
    return idx


def edge_values(c: Canonical) -> list[Any]:
    """Boundary and special values of a column, in the raw representation of its kind."""
    if c.values is not None:
        return [0, len(c.values) - 1]  # indices
    return kind_of(c).edge_values(c)


def raw_column(
    c: Canonical, q: np.ndarray, rng: np.random.Generator, text: bool = False
) -> np.ndarray:
    """Raw values for quantiles ``q``: indices for value lists, ints (ns / days) for
    timestamps and dates, numbers, bools or str objects otherwise (with ``text``, strings
    may come as a numpy ``<U`` array: see :func:`as_objects`)."""
    raw = _raw_column(c, q, rng)
    return raw if text else as_objects(raw)


def as_objects(raw: np.ndarray) -> np.ndarray:
    """``raw``, with a numpy ``<U`` array turned into str objects: the form to write any
    string into (a ``<U`` array silently truncates longer ones)."""
    return raw.astype(object) if raw.dtype.kind == "U" else raw


def _raw_column(c: Canonical, q: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    if c.weights is not None:
        return pick_weighted(c.weights, q)
    if c.values is not None:
        return _pick(c.values, q)
    return kind_of(c).raw_column(c, q, rng)


def simplest_raw(c: Canonical, n: int) -> np.ndarray:
    """``n`` copies of the simplest value, raw."""
    if c.values is not None:
        return np.zeros(n, dtype=np.int64)
    return kind_of(c).simplest_raw(c, n)


def fill(c: Canonical, q: np.ndarray, rng: np.random.Generator, text: bool = False) -> np.ndarray:
    """Raw values for quantiles ``q``: the top :data:`P_EDGE` of the quantiles are the
    column's edge values, ordered by distance from the simplest value; below that,
    :func:`raw_column` spread over ``[0, 1)``. Each cell's value moves towards the simplest
    one as its quantile falls (the frames' shrinking relies on it). Weighted value lists
    have no edge values: every quantile goes through the weights, so that the values come
    out with the declared frequencies. ``text``: see :func:`raw_column`."""
    if c.weights is not None:
        return raw_column(c, q, rng, text)
    top = q >= 1.0 - P_EDGE
    raw = raw_column(c, np.minimum(q / (1.0 - P_EDGE), _BELOW_ONE), rng, text)
    return _put_edges(c, raw, q, top) if top.any() else raw


def _put_edges(c: Canonical, raw: np.ndarray, q: np.ndarray, top: np.ndarray) -> np.ndarray:
    """``raw`` with its ``top`` cells (quantiles from ``1 - P_EDGE`` up) set to the
    column's edge values, nearest the simplest first."""
    if raw.dtype.kind == "U":  # edge strings wider than the array: write objects
        edges = _edge_array(c, np.dtype(object))
        if any(len(v) * 4 > raw.dtype.itemsize for v in edges.tolist()):
            raw = raw.astype(object)
    edges = _edge_array(c, raw.dtype)
    if len(edges):
        k = ((q[top] - (1.0 - P_EDGE)) * (len(edges) / P_EDGE)).astype(np.int64)
        raw[top] = edges[np.minimum(k, len(edges) - 1)]
    return raw


_BELOW_ONE = np.nextafter(1.0, 0.0)


def _rows(js: list[int]) -> slice | np.ndarray:
    """Row indices ``js`` as a slice when they are consecutive (indexing gives views)."""
    if js == list(range(js[0], js[-1] + 1)):
        return slice(js[0], js[-1] + 1)
    return np.array(js)


class Filler:
    """:func:`fill` for every column of a frame at once (built once per ``frames()``
    call): the columns of a kind that fills many at once (``Kind.fill_columns``: floats)
    go through it together, the others one by one, since small frames pay numpy's cost
    per call, not per cell. With ``below`` (per cell, a quantile at most its own: what the
    cell's shrink level below gives) those kinds make each cell the simplest value between
    the two, so that a frame shrunk to the lowest level that still fails shows ``12.5``,
    not ``12.360633``. Unique columns (short values would collide), value lists and
    weighted columns go one by one."""

    def __init__(self, cols: Sequence[Canonical]) -> None:
        self.cols = list(cols)
        groups: dict[Any, list[int]] = {}
        for j, c in enumerate(cols):
            if not (c.unique or c.values is not None or c.weights is not None):
                kind = kind_of(c)
                if kind.fills_columns:
                    groups.setdefault(kind, []).append(j)
        #: per kind: its columns (a slice when they are adjacent: views, not copies), their
        #: indices and the kind's plan for them
        self.groups = [
            (kind, _rows(js), js, kind.columns_plan([cols[j] for j in js]))
            for kind, js in groups.items()
        ]
        batched = {j for _, _, js, _ in self.groups for j in js}
        self.single = [j for j in range(len(cols)) if j not in batched]

    def __call__(
        self,
        q: np.ndarray,
        rng: np.random.Generator,
        below: Callable[[slice | np.ndarray], np.ndarray] | None = None,
    ) -> list[np.ndarray]:
        """Raw columns for quantile rows ``q`` (one row per column), as :func:`fill`;
        ``below(js)``: the quantiles of the lower ends of rows ``js``' bands (at most
        ``q[js]``), asked only for the columns whose kind shortens values."""
        raws: list[Any] = [None] * len(self.cols)
        for j in self.single:
            raws[j] = fill(self.cols[j], q[j], rng)
        for kind, rows, js, plan in self.groups:
            own = q[rows]
            scaled = own / (1.0 - P_EDGE)  # as fill() scales q
            np.minimum(scaled, _BELOW_ONE, out=scaled)
            prev = None
            if below is not None:  # edge cells' lower ends could pass 1: keep them below q
                prev = below(rows) / (1.0 - P_EDGE)
                np.minimum(prev, scaled, out=prev)
            out = kind.fill_columns(plan, scaled, rng, prev)
            top = own >= 1.0 - P_EDGE
            for r, j in enumerate(js):
                raw = out[r]
                raws[j] = _put_edges(self.cols[j], raw, own[r], top[r]) if top[r].any() else raw
        return raws


@functools.lru_cache(maxsize=1024)
def _edge_array(c: Canonical, dtype: np.dtype) -> np.ndarray:
    """:func:`edge_values` as an array of ``dtype``, nearest the simplest value first,
    computed once per column (read only)."""
    values = edge_values(c)
    if c.values is None:
        values = kind_of(c).edge_order(c, values)
    out = np.array(values, dtype=dtype)
    out.flags.writeable = False
    return out


def draw_nulls(
    c: Canonical, n: int, rng: np.random.Generator, where: np.ndarray | None
) -> np.ndarray | None:
    if not c.nullable:
        return None
    nulls = rng.random(n) < P_NULL
    if where is not None:
        nulls &= where
    return nulls


# ------------------------------------------------------------------------------------------
# uniqueness


def enumerate_simplest(c: Canonical, count: int, avoid: frozenset[Any] = frozenset()) -> list[Any]:
    """The ``count`` simplest distinct raw values of ``c``, simplest first (regex columns:
    the simplest match, then sampled ones, none of them in ``avoid``)."""
    if count <= 0:
        return []
    if c.values is not None:
        return list(range(min(count, len(c.values))))
    return kind_of(c).enumerate_simplest(c, count, avoid)


def make_unique(c: Canonical, raw: np.ndarray, nulls: np.ndarray | None, order: np.ndarray) -> None:
    """Replace repeated values in place, keeping the first occurrence in ``order`` (a
    permutation of row numbers, highest priority first). Replacements are the simplest
    values not yet used, in row order. At most one null survives; with one row more than
    the column has distinct values, the lowest-priority repeat becomes that null."""
    n = len(raw)
    if n == 0:
        return
    ordered = pd.Series(raw[order], dtype=object if raw.dtype == object else raw.dtype)
    dup_sorted = ordered.duplicated(keep="first").to_numpy()
    dup = np.zeros(n, dtype=bool)
    dup[order] = dup_sorted
    if nulls is not None:
        null_rows = order[nulls[order]]
        dup[null_rows[1:]] = True  # extra nulls become values
        dup[null_rows[:1]] = False
        nulls[null_rows[1:]] = False
        taken_mask = ~dup & ~nulls
    else:
        taken_mask = ~dup
    need = int(dup.sum())
    if need == 0:
        return
    if nulls is not None and not nulls.any() and c.capacity is not None and n > c.capacity:
        # one more row than distinct values: the lowest-priority repeat becomes the null
        last = order[dup[order]][-1]
        dup[last], nulls[last] = False, True
        need -= 1
        if need == 0:
            return
    taken = set(raw[taken_mask].tolist())
    fresh: list[Any] = []
    if c.regex is not None and c.values is None:  # sampled matches: draw only what is missing
        pool = enumerate_simplest(c, need, avoid=frozenset(taken))
    else:
        pool = enumerate_simplest(c, need + len(taken))
    for v in pool:
        if v not in taken:
            fresh.append(v)
            if len(fresh) == need:
                break
    if len(fresh) < need:
        raise ContractError(
            f"{c.where}: is_unique() needs {n} distinct values but the column only has "
            f"{len(fresh) + len(taken)}; ask for fewer rows or widen the column."
        )
    raw[np.flatnonzero(dup)] = np.array(fresh, dtype=raw.dtype)


def permuted_unique(c: Canonical, q: np.ndarray, keys: list[int]) -> np.ndarray | None:
    """Distinct raw values for a unique column by row index, with no repair, from a seeded
    bijection keyed by ``keys`` (:meth:`hypo_contracts.kinds.base.Kind.permuted`: integer,
    timestamp, date, timedelta and countable regex columns; regex matches come as a numpy
    ``<U`` array: :func:`as_objects` before writing into it). None for other columns and
    when the rows outnumber the values (then :func:`make_unique` places the one null and
    the error)."""
    if c.values is not None or c.weights is not None or len(q) == 0:
        return None
    return kind_of(c).permuted(c, q, keys)


def one_null(nulls: np.ndarray | None) -> None:
    """Keep only the first null of a unique column's mask (in place)."""
    if nulls is not None:
        nulls[np.flatnonzero(nulls)[1:]] = False


# ------------------------------------------------------------------------------------------
# to pandas


def to_series(c: Canonical, raw: np.ndarray, nulls: np.ndarray | None, name: str) -> pd.Series:
    """Turn raw values into a column of the contract's exact dtype."""
    return kind_of(c).series(c, raw, nulls, name)


def assemble(columns: Sequence[Canonical], data: dict[str, pd.Series]) -> pd.DataFrame:
    """A frame from named columns, in ``columns`` order (see :func:`frame_from_values`)."""
    return frame_from_values(columns, [data[c.name] for c in columns])


def column_values(c: Canonical, raw: np.ndarray, nulls: np.ndarray | None) -> Any:
    """Like :func:`to_series`, but the bare array (numpy or pandas extension array) for
    ``pd.DataFrame({...}, copy=False)``, which skips per-column Series and index alignment.
    ``raw`` must be a fresh array the caller gives up: numeric columns reuse it."""
    fast = kind_of(c).bulk_array(c, raw, nulls)
    if fast is not None:
        return fast
    s = to_series(c, raw, nulls, c.name)
    return s.array if isinstance(s.dtype, pd.api.extensions.ExtensionDtype) else s.to_numpy()


def frame_from_values(columns: Sequence[Canonical], values: Sequence[Any]) -> pd.DataFrame:
    """A frame from :func:`column_values` arrays, in ``columns`` order, with a RangeIndex."""
    return pd.DataFrame({c.name: v for c, v in zip(columns, values, strict=True)}, copy=False)


# ------------------------------------------------------------------------------------------
# Contract.example


Seed = int | np.random.Generator | np.random.SeedSequence | None


#: ``post(columns, raws, nulls, quantiles)``: a pass over the raw columns before they become
#: a frame, changing them in place (``hypo_contracts.rule_fill`` applies rules with it).
PostPass = Callable[[Sequence[Canonical], list[Any], list[Any], list[Any]], None]


def example(
    info: Any, n: int, *, seed: Seed = None, post: PostPass | None = None, overrides: Any = None
) -> pd.DataFrame:
    """``n`` rows of ``info``'s contract, vectorised; deterministic for a given ``seed``: an
    int >= 0, a ``numpy.random.SeedSequence`` (the same one always gives the same frame) or
    a ``numpy.random.Generator`` (drawn from, so successive calls give new frames, and a
    generator seeded alike gives the same ones). ``post`` sees every raw column, null mask
    and quantile array before the frame is assembled."""
    name = getattr(info, "name", "Contract")
    if not is_whole(n):
        raise InvalidArgument(
            f"example({name}, ...): n={n!r} must be a whole number of rows (an int >= 0)."
        )
    if isinstance(seed, np.random.SeedSequence):  # a copy: spawning changes the original
        root = np.random.SeedSequence(
            seed.entropy, spawn_key=seed.spawn_key, pool_size=seed.pool_size
        )
    elif isinstance(seed, np.random.Generator):
        root = np.random.SeedSequence(seed.integers(0, 2**63, size=4).tolist())
    elif seed is None or is_whole(seed):
        root = np.random.SeedSequence(None if seed is None else int(seed))
    else:
        raise InvalidArgument(
            f"example({name}, ...): seed={seed!r} must be an int >= 0, a "
            "numpy.random.Generator or SeedSequence (or None for a fresh frame each call)."
        )
    n = int(n)
    raws: list[Any] = []
    masks: list[Any] = []
    quantiles: list[Any] = []
    columns = narrow_columns(info, list(info.canonical.values()), overrides, "example()")
    for c, child in zip(columns, root.spawn(len(columns)), strict=True):
        room = unique_room(c, n)
        if room is not None and n > room:
            nulls_too = " and one null" if c.nullable else ""
            raise InvalidArgument(
                f"example({name}, ...): {c.where} is unique with only {room} possible values "
                f"({c.capacity} distinct value{'s' if c.capacity != 1 else ''}{nulls_too}), so "
                f"n={n} rows cannot exist. Ask for at most {room} rows or widen the column."
            )
        rng = np.random.default_rng(child)
        q = rng.random(n)
        raw = permuted_unique(c, q, keys_for(child)) if c.unique else None
        if raw is not None:
            nulls = draw_nulls(c, n, rng, None)
            one_null(nulls)
        else:
            raw = fill(c, q, rng, text=not c.unique)  # unique: repaired in place
            nulls = draw_nulls(c, n, rng, None)
            if c.unique:
                make_unique(c, raw, nulls, np.arange(n))
        raws.append(raw)
        masks.append(nulls)
        quantiles.append(q)
    if post is not None:  # rules write into the raw columns: strings as objects
        raws = [as_objects(raw) for raw in raws]
        post(columns, raws, masks, quantiles)
    values = [column_values(c, r, m) for c, r, m in zip(columns, raws, masks, strict=True)]
    return frame_from_values(columns, values)
