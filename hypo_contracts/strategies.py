"""Compile contracts into Hypothesis strategies: :func:`frames` and :func:`records`.

A frame of ``n`` rows is three things drawn by Hypothesis (see ``docs/design.md``):

1. a few **explicit cells**, each a drawn row position, column and value, the value drawn
   with Hypothesis's own strategies (where the nasty floats, boundary values, non-ASCII
   regex matches and exact shrinking of values live);
2. a **seed** for numpy, which fills every other cell cheaply (:mod:`hypo_contracts._bulk`);
3. **shrink masks**: one byte per row group and one byte per (column, row group). A zero
   byte makes the row (or cell) the simplest value; byte 1 too, but the row is kept (so a
   failure that needs k rows shrinks to k simplest rows); a byte ``b >= 2`` picks how far
   from the simplest value numpy's draw may go. Hypothesis shrinks these bytes like any
   integer, so a failing frame shrinks to the rows and cells that matter, each as simple as
   the failure allows.

With a variable row count, rows whose mask bytes are all zero are dropped, so a one-row bug
shrinks to a one-row frame. Everything constraints demand is built in, never filtered; the
only filter is a regex combined with a length window (documented in docs/guide.md).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import currently_in_test_context, note
from hypothesis import strategies as st

from . import _bulk
from .arguments import call_head, check_rows, select_columns
from .compiled import contract_info
from .constraints import Canonical
from .declaration import Column
from .engines import polars as polars_engine
from .engines.polars import check_backend
from .kinds import kind_of
from .narrowing import narrow_columns
from .rule_fill import apply_rules, apply_to_row, rule_rows
from .rules import Rule

__all__ = ["element_strategy", "frames", "records"]

#: Up to this many rows every row has its own mask byte; beyond, rows sit on a grid.
DENSE_ROWS = 256
#: The longest side of the row grid (so a frame's row mask costs at most a few sides).
GRID_SIDE = 64
#: At most this many explicit cells per frame (fewer in small frames, where Hypothesis's own
#: choices are most of a frame's cost and the bulk's edge values cover many of the cells).
MAX_EXPLICIT_CELLS = 4
_CHUNK = 32
_SEED = st.integers(0, 2**64 - 1)

#: One explicit cell: its row position, then its column's index and raw value.
ExplicitCell = tuple[int, tuple[int, Any]]


def explicit_cells(n: int) -> int:
    """The most explicit cells an ``n``-row frame draws: two below 16 rows (so that two
    columns of one row can both take exact values), then one more per 16 rows up to
    :data:`MAX_EXPLICIT_CELLS`."""
    return min(2 + n // 16, MAX_EXPLICIT_CELLS)


class ExplicitCells:
    """The strategy of a frame's explicit cells, per row count: a list of
    ``(row, (column, raw value))``, no two at the same cell, no two equal values in one
    unique column (as :func:`build_frame` takes them). Built once per ``frames()`` call
    and per row count, not once per frame."""

    def __init__(self, cols: Sequence[Canonical]) -> None:
        self.unique = tuple(c.unique for c in cols)
        self.cell = st.one_of(
            *[element_strategy(c).map(functools.partial(_tagged, j)) for j, c in enumerate(cols)]
        )
        self.keys: tuple[Callable[[Any], Hashable], ...] = (_where, self._value_key)
        self.strategy = functools.lru_cache(maxsize=64)(self._strategy)

    def _strategy(self, n: int) -> st.SearchStrategy[list[ExplicitCell]]:
        return st.lists(
            st.tuples(st.integers(0, n - 1), self.cell),
            max_size=explicit_cells(n),
            unique_by=self.keys,
        )

    def _value_key(self, cell: ExplicitCell) -> Hashable:
        pos, (j, value) = cell
        return ("value", j, value) if self.unique[j] else ("cell", pos, j)


def _tagged(j: int, value: Any) -> tuple[int, Any]:
    return j, value


def _where(cell: ExplicitCell) -> Hashable:
    return cell[0], cell[1][0]


# ------------------------------------------------------------------------------------------
# one cell


def element_strategy(c: Canonical) -> st.SearchStrategy[Any]:
    """A strategy for one cell of ``c`` in raw form (see :mod:`hypo_contracts._bulk`):
    indices for value lists, nanoseconds or days for timestamps and dates, ``None`` for
    null."""
    base: st.SearchStrategy[Any]
    if c.values is not None:
        base = st.integers(0, len(c.values) - 1)
    else:
        base = kind_of(c).cell(c)
    if c.nullable:
        # the value is always drawn and a flag after it says "null" (one time in five), so a
        # null shrinks to a non-null value without the choices having to realign
        return st.tuples(base, st.integers(0, 4)).map(_null_if_flagged)
    return base


def _null_if_flagged(pair: tuple[Any, int]) -> Any:
    return None if pair[1] == 4 else pair[0]


def to_python(c: Canonical, raw: Any) -> Any:
    """A raw cell as the Python value a user would expect (``None`` for null)."""
    if raw is None:
        return None
    if c.values is not None:
        return c.values[int(raw)]
    return kind_of(c).to_python(c, raw)


# ------------------------------------------------------------------------------------------
# frames


@functools.lru_cache(maxsize=256)
def _mask_strategy(count: int) -> st.SearchStrategy[tuple[bytes, ...]]:
    """``count`` mask bytes as a tuple of ``bytes`` choices of at most ``_CHUNK`` bytes.

    Bytes choices are drawn uniformly (integers are not: Hypothesis favours small ones) and
    are shrunk element by element, so each byte is minimised on its own; the tuple is one
    span, so a whole mask that plays no part is zeroed in a single shrink, then each chunk.
    A short mask stays a one-element tuple: a bare ``bytes`` choice is cheaper to draw
    (about a quarter of a 10-row frame's cost), but Hypothesis then generates about half
    again as many all-simplest frames and shrinks some frames less well (the three-row
    frame of ``tests/test_trials.py`` kept its unique ids out of order).
    """
    sizes = [min(_CHUNK, count - start) for start in range(0, count, _CHUNK)]
    return st.tuples(*[st.binary(min_size=k, max_size=k) for k in sizes])


def draw_mask(draw: Any, count: int) -> np.ndarray:
    """``count`` uniformly drawn mask bytes (:func:`_mask_strategy`), as a uint8 array."""
    if count == 0:
        return np.zeros(0, dtype=np.uint8)
    return np.frombuffer(b"".join(draw(_mask_strategy(count))), dtype=np.uint8)


def row_grid(n: int) -> tuple[int, ...]:
    """The sides of the row grid of an ``n``-row frame: ``(n,)`` (a byte per row) up to
    :data:`DENSE_ROWS` rows, else the fewest equal sides of at most :data:`GRID_SIDE` whose
    product covers ``n`` (two up to 4,096 rows, three up to 262,144)."""
    if n <= DENSE_ROWS:
        return (n,)
    dims = 2
    while GRID_SIDE**dims < n:
        dims += 1
    side = max(2, math.ceil(n ** (1 / dims)))
    while (side - 1) ** dims >= n:
        side -= 1
    while side**dims < n:
        side += 1
    return (side,) * dims


def row_states(n: int, axes: Sequence[np.ndarray]) -> np.ndarray:
    """Each row's mask state: the smallest of its grid coordinates' bytes (0: the row is
    simplest and may be dropped; 1: simplest but kept; 2 or more: the row is drawn)."""
    if len(axes) == 1:
        return axes[0][:n]
    rows = np.arange(n, dtype=np.int64)
    state = np.full(n, 255, dtype=np.uint8)
    for axis in reversed(axes):
        side = len(axis)
        np.minimum(state, axis[rows % side], out=state)
        rows //= side
    return state


def _spread_table() -> np.ndarray:
    """:func:`spread` of every byte (index: the level)."""
    level = np.arange(256, dtype=np.float64)
    out = np.square(np.maximum(level - 1.0, 0.0) / 63.0)
    gap = 1.0 - out[63]  # from 64 up: closer to 1 by _DIGITS_PER_LEVEL digits per level
    high = level >= 64
    out[high] = 1.0 - gap * 10.0 ** ((63.0 - level[high]) * _DIGITS_PER_LEVEL)
    out[:2] = 0.0
    return out


#: How many decimal digits each level from 64 up adds to the drawn values.
_DIGITS_PER_LEVEL = 1 / 2
_SPREADS = _spread_table()
#: Indexed by level: the spread of the level below (the lower end of the cell's band).
_BELOW = np.concatenate([[0.0], _SPREADS[:-1]])


def spread(level: np.ndarray) -> np.ndarray:
    """The largest quantile each cell's level allows: 0 below 2 (the simplest value),
    rising as the square from about 2.5e-4 at 2 (so that a shrunk value ends close to the
    smallest that still fails) to 0.97 at 63, then closer to 1 by half a decimal digit per
    level (1 within a unit in the last place from about 94: three quarters of the drawn
    cells spread over nearly all their column's values, edges included). A drawn
    cell lies in the band between its level's spread and the level below's, so lowering a
    byte always moves it towards the simplest value, and the shortest number in the band
    (float columns, ``_bulk.Filler``) has more digits the higher the level."""
    return _SPREADS[level]


def build_frame(
    cols: Sequence[Canonical],
    n: int,
    seed: int,
    row_state: np.ndarray,
    col_bytes: np.ndarray,
    special_bytes: np.ndarray,
    explicit: Sequence[ExplicitCell],
    *,
    drop_simplest: bool,
    min_rows: int,
    rules: Sequence[Rule] = (),
    filler: _bulk.Filler | None = None,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Assemble a frame from its drawn parts. Returns the frame and, per row, whether it
    differs from the simplest row.

    A cell's level is the smaller of its row's state and its column's byte; the cell is
    drawn from the seed when its level is 2 or more, at quantile
    (:func:`hypo_contracts._bulk.fill`) ``u * spread(level)`` for a uniform ``u`` from the
    seed, so lowering a row's or a column's byte moves its cells towards the simplest
    value, edge values (the top quantiles) first.
    Otherwise the cell is the column's simplest value. Nulls appear among drawn cells only
    where the column's second byte, ``special_bytes[j]``, is 2 or more. ``explicit`` cells
    (:class:`ExplicitCells`) overwrite theirs; their rows always count as differing.

    Float cells are as short as their level allows: the shortest number between the
    values at quantiles ``u * spread(level - 1)`` and ``u * spread(level)``
    (:class:`hypo_contracts._bulk.Filler`, built for ``cols`` when ``filler`` is not
    given), so that a shrunk frame shows ``12.5`` rather than ``12.360633``.

    ``rules`` (:mod:`hypo_contracts.rules`) are applied last, to the kept rows
    (:func:`hypo_contracts.rule_fill.apply_rules`): a dependent cell is derived from its
    quantile, so a cell whose level is below 2 is the simplest value its rule allows.
    """
    rng = np.random.default_rng(seed)
    fixed = np.zeros((len(cols), n), dtype=bool)  # the explicit cells
    by_column: list[list[tuple[int, Any]]] = [[] for _ in cols]
    for pos, (j, v) in explicit:
        fixed[j, pos] = True
        by_column[j].append((pos, v))
    is_explicit = fixed.any(axis=0)
    nulls: list[np.ndarray | None] = []
    nonsimple = np.zeros(n, dtype=bool)
    # every column's levels and quantiles at once (a row per column): one pass, not one each
    levels = np.minimum(row_state[None, :], col_bytes[:, None])
    lives = levels >= 2
    u = rng.random((len(cols), n))
    q = u * spread(levels)
    for j, c in enumerate(cols):
        if c.weights is not None:  # weighted values keep their frequencies: q not narrowed
            q[j] = u[j] * lives[j]
    quantiles = list(q)
    # float cells: the shortest number in the band between their level and the level below
    raws = (filler or _bulk.Filler(cols))(q, rng, lambda js: u[js] * _BELOW[levels[js]])
    no_nulls = np.zeros(n, dtype=bool)
    for j, c in enumerate(cols):
        live, raw = lives[j], raws[j]
        # nulls hang on a byte of their own, so that shrinking can take them away without
        # moving the column's values
        special = live if special_bytes[j] >= 2 else no_nulls
        simplest = _bulk.simplest_raw(c, n)
        if raw.dtype != object:
            raw = np.where(live, raw, simplest)
        else:
            raw = _where_obj(live, raw, simplest)
        null = _bulk.draw_nulls(c, n, rng, special)
        if col_bytes[j] >= 2:  # rows whose drawn values all came out simplest count as simplest
            nonsimple |= np.asarray(raw != simplest, dtype=bool)
            if null is not None:
                nonsimple |= null
        for pos, v in by_column[j]:
            if v is None:
                assert null is not None
                null[pos] = True
            else:
                raw[pos] = v
                if null is not None:
                    null[pos] = False
        raws[j] = raw
        nulls.append(null)
    differs = nonsimple | is_explicit
    kept = (row_state == 1) | differs
    idx: np.ndarray | None = None  # None: every row is kept
    if drop_simplest and not kept.all():
        keep = kept.copy()
        missing = min_rows - int(keep.sum())
        if missing > 0:
            keep[np.flatnonzero(~keep)[:missing]] = True
        idx = np.flatnonzero(keep)
    if idx is not None:
        fixed = fixed[:, idx]
    for j, c in enumerate(cols):
        if idx is not None:
            raws[j], quantiles[j] = raws[j][idx], quantiles[j][idx]
            null = nulls[j]
            nulls[j] = None if null is None else null[idx]
        if c.unique:  # explicit cells keep their values, then the other rows in row order
            mine = fixed[j]
            order = np.concatenate([np.flatnonzero(mine), np.flatnonzero(~mine)])
            _bulk.make_unique(c, raws[j], nulls[j], order)
    if rules:  # derived floats: the shortest number in their band, as the bulk's

        def band(j: int) -> np.ndarray:
            lower = u[j] * _BELOW[levels[j]]
            return lower if idx is None else lower[idx]

        apply_rules(rules, cols, raws, nulls, quantiles, fixed=fixed, below=band)
    values = [
        _bulk.column_values(c, raw, null) for c, raw, null in zip(cols, raws, nulls, strict=True)
    ]
    return _bulk.frame_from_values(cols, values), differs if idx is None else differs[idx]


def _where_obj(mask: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = b.copy()
    out[mask] = a[mask]
    return out


#: Frames with at most this many columns show every column in the note; wider frames show
#: only the columns that differ from the simplest row.
NOTE_ALL_COLUMNS = 10
#: Rows listed in the note.
NOTE_ROWS = 50


class _Note:
    """A note rendered only when Hypothesis shows it (its repr is the text)."""

    def __init__(self, render: Callable[[], str]) -> None:
        self.render = render

    def __repr__(self) -> str:
        return self.render()


def note_when_reported(render: Callable[[], str]) -> None:
    """``hypothesis.note(render())`` on the reported (final) run, without paying for
    ``render()`` on every other run, through public API only: ``note`` turns a non-string
    value into text (its repr) only when it reports or records it. Outside a Hypothesis
    test (e.g. ``find``'s search is one) there is no run to note on: nothing happens."""
    if currently_in_test_context():
        note(_Note(render))


def _note_frame(
    name: str, df: pd.DataFrame, differs: np.ndarray, cols: Sequence[Canonical] = ()
) -> None:
    """On the reported run, note the rows that differ from the simplest row with every
    column that differs (all columns when there are few), whatever the frame's size,
    rendered in full: pandas' display options never truncate it."""
    if len(df):
        note_when_reported(functools.partial(_frame_note, name, df, differs, cols))


def _frame_note(name: str, df: pd.DataFrame, differs: np.ndarray, cols: Sequence[Canonical]) -> str:
    rows = np.flatnonzero(differs)
    if len(rows) == 0:
        note_text = f"frames({name}): {len(df)} row(s), every one the simplest row"
    else:
        shown = df.iloc[rows[:NOTE_ROWS]]
        wide = len(df.columns) > NOTE_ALL_COLUMNS
        if wide and cols:
            changed = [c.name for c in cols if c.name in shown.columns and _differs(c, shown)]
            shown = shown[changed]
            which = f"the {len(changed)} of {len(df.columns)} columns that differ"
        else:
            which = "all columns"
        more = f" (first {NOTE_ROWS} of {len(rows)})" if len(rows) > NOTE_ROWS else ""
        table = shown.to_string(max_rows=None, max_cols=None, max_colwidth=None, line_width=None)
        note_text = (
            f"frames({name}): {len(df)} rows; the {len(rows)} row(s) that differ from the "
            f"simplest row{more}, by row number, with {which}:\n{table}"
        )
    return note_text


def _differs(c: Canonical, df: pd.DataFrame) -> bool:
    """Whether any cell of column ``c`` in ``df`` is null or not the simplest value."""
    s = df[c.name]
    simplest = _bulk.to_series(c, _bulk.simplest_raw(c, 1), None, c.name).iloc[0]
    try:
        same = (s == simplest).fillna(False).to_numpy(dtype=bool)
    except (TypeError, ValueError):  # pragma: no cover - incomparable values differ
        return True
    return not bool(same.all())


def frames(
    contract: Any,
    *,
    rows: int | None = None,
    min_rows: int = 0,
    max_rows: int | None = None,
    columns: Iterable[str] | None = None,
    overrides: Mapping[str, Column] | None = None,
    backend: str = "pandas",
) -> st.SearchStrategy[Any]:
    """A strategy for data frames that satisfy ``contract``.

    ``rows=N`` fixes the row count, otherwise it lies in ``[min_rows, max_rows]``
    (``max_rows`` defaults to ``max(min_rows, 100)``). ``columns`` selects and orders a
    subset. Frames have a RangeIndex and the contract's exact dtypes; they scale to 100,000
    rows and shrink to the fewest rows and simplest values that still fail.
    ``backend="polars"`` gives polars DataFrames of the exact polars dtypes, built from the
    same pandas frames (so they shrink alike; docs/engines.md).

    ``overrides`` narrows columns for one test, ``{"age": Int64().bounded_between(18, 30)}``:
    each override is a column of the same type inside the contract's (bounds within its
    bounds, accepted values among its values, required where it is optional), so the frames
    still satisfy the contract; an override that widens it is an InvalidArgument.

    >>> from hypothesis import given
    >>> from hypo_contracts import data_contract, Float64, Int64, frames
    >>> @data_contract
    ... class Wine:
    ...     alcohol = Float64().bounded_between(0, 20)
    ...     quality = Int64().bounded_between(0, 10)
    >>> @given(frames(Wine, min_rows=1, max_rows=50))
    ... def test_quality_in_range(df):
    ...     assert df["quality"].between(0, 10).all()
    >>> test_quality_in_range()
    """
    info = contract_info(contract, "frames()")
    cols = narrow_columns(info, select_columns(info, columns, "frames()"), overrides, "frames()")
    lo, hi = check_rows(info, cols, rows, min_rows, max_rows)
    hi = rule_rows(
        info, cols, lo, hi, rows is None and max_rows is None, call_head("frames()", info)
    )
    if check_backend("frames()", info, backend) == "polars":
        polars_engine.import_polars("frames(..., backend='polars')")
    fixed = rows is not None
    explicit_strategy = ExplicitCells(cols).strategy
    filler = _bulk.Filler(cols)
    # the grid follows the largest row count, so shrinking the row count keeps every mask
    # byte where it was (the choices stay aligned)
    grid = row_grid(hi)
    row_count = st.integers(lo, hi)

    @st.composite
    def _frames(draw: Any) -> pd.DataFrame:
        n = lo if lo == hi else draw(row_count)
        if not cols:  # columns=[]: n rows, nothing in them
            return pd.DataFrame(index=pd.RangeIndex(n))
        if n == 0:
            return _bulk.assemble(
                cols,
                {c.name: _bulk.to_series(c, _bulk.simplest_raw(c, 0), None, c.name) for c in cols},
            )
        explicit = draw(explicit_strategy(n))
        seed = draw(_SEED)
        state = row_states(n, [draw_mask(draw, side) for side in grid])
        special_bytes = draw_mask(draw, len(cols))  # null bytes, then level bytes
        col_bytes = draw_mask(draw, len(cols))
        df, differs = build_frame(
            cols,
            n,
            seed,
            state,
            col_bytes,
            special_bytes,
            explicit,
            drop_simplest=not fixed,
            min_rows=lo,
            rules=info.rules,
            filler=filler,
        )
        _note_frame(info.name, df, differs, cols)
        return df

    if backend == "polars":
        return _frames().map(functools.partial(polars_engine.to_polars, info))
    return _frames()


def records(
    contract: Any,
    *,
    columns: Iterable[str] | None = None,
    overrides: Mapping[str, Column] | None = None,
) -> st.SearchStrategy[dict[str, Any]]:
    """A strategy for one row of ``contract`` as a ``{column: value}`` dict (``None`` for
    null), drawn and shrunk cell by cell; ``overrides`` narrows columns as in
    :func:`frames`.

    >>> from hypo_contracts import data_contract, Int64, records
    >>> @data_contract
    ... class Point:
    ...     x = Int64().bounded_between(-5, 5)
    >>> from hypothesis import find
    >>> find(records(Point), lambda r: r["x"] < 0)
    {'x': -1}
    """
    info = contract_info(contract, "records()")
    cols = narrow_columns(info, select_columns(info, columns, "records()"), overrides, "records()")
    rules = tuple(r for r in info.rules if r.row_wise)
    return st.tuples(*[element_strategy(c) for c in cols]).map(
        lambda row: {
            c.name: to_python(c, v)
            for c, v in zip(cols, apply_to_row(cols, rules, row), strict=True)
        }
    )
