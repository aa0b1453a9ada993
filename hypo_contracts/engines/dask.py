"""Big datasets with Dask: ``C.to_dask(rows, seed=...)`` generates partitions lazily, and
:func:`hypo_contracts.engines.parquet.write_parquet_dataset` writes them to Parquet on a
``dask.distributed`` cluster.

Row ``i`` depends only on ``(seed, i)``, never on how rows are split into partitions: every
column is cut into blocks of :data:`BLOCK_ROWS` rows, and block ``b`` of column ``j`` is
drawn by its own generator, seeded with ``numpy.random.SeedSequence([seed, j, b])``. A
partition draws the blocks it overlaps and keeps its slice, so a dataset can be regenerated
exactly, in parts, or extended with more rows (the first rows stay the same).

Unique ``Int*``, ``Timestamp``, ``Date``, ``Timedelta`` and ``Decimal`` columns are unique
across partitions: row ``i`` holds ``lo + p(i)`` where ``p`` is a seeded bijection of
``[0, hi - lo]`` (:func:`hypo_contracts._permute.permute`, the one ``example`` uses too: a
four-round Feistel network on the smallest even number of bits covering the range, with cycle
walking back into it), so no two rows ever meet. These columns have no
nulls (a unique column may hold one null; the engine holds none) and their values are
spread over the whole range, without the edge-value bias of ``example``. Other unique
columns (strings, regexes, floats, categories, booleans) are refused with an
``InvalidArgument``: their distinct values cannot be enumerated by row number cheaply. A
column that ``.references(...)`` another contract is refused too (its values are the other
table's keys). Rules within a row (:data:`ROW_WISE`: orders, ``present_when``,
``computed``) are applied by each partition to its rows, as ``example`` applies them;
rules between rows (``unique_together``, ``increasing``/``decreasing``) would need a
global pass over partitions and are refused.

>>> from hypo_contracts import data_contract, Float64, Int64
>>> @data_contract
... class Wine:
...     wine_id = Int64().lower_bound(1).is_unique()
...     pH = Float64().bounded_between(0, 14)
>>> ddf = Wine.to_dask(1_000, seed=0, partition_rows=300)
>>> ddf.npartitions, len(ddf)
(4, 1000)
>>> df = ddf.compute()
>>> df["wine_id"].is_unique, bool(df["pH"].between(0, 14).all())
(True, True)
>>> df.iloc[700:703].equals(Wine.to_dask(1_000, seed=0, partition_rows=50).compute().iloc[700:703])
True
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import _bulk, rule_fill
from .._permute import permute
from .._sampling import from_u64
from ..arguments import call_head
from ..compiled import ContractInfo
from ..constraints import Canonical
from ..errors import InvalidArgument, is_whole
from ..kinds import kind_of
from ..rules import Rule

__all__ = [
    "BLOCK_ROWS",
    "ROW_WISE",
    "check_dataset_arguments",
    "column_block",
    "import_dask",
    "partition_bounds",
    "partition_frame",
    "to_dask",
]

#: Rows per seeded block: row ``i`` of column ``j`` comes from block ``i // BLOCK_ROWS``.
BLOCK_ROWS = 65_536
#: The rule kinds a partition applies on its own rows (each row on its own); the others
#: (``unique_together``, ``increasing``/``decreasing``) relate rows and are refused.
ROW_WISE = ("order", "present_when", "computed")
_PERMUTATION_TAG = 2**63  # last SeedSequence word of a permutation key (never a block)
_ROUNDS = 4


def import_dask(where: str = "to_dask()") -> Any:
    """``dask.dataframe``, or an ImportError that names the extra to install."""
    try:
        import dask.dataframe as dd
    except ImportError:  # pragma: no cover - the extra is installed in the test venv
        raise ImportError(
            f"{where} needs dask, an optional extra: pip install 'hypo-contracts[dask]'"
        ) from None
    return dd


def _whole(head: str, name: str, value: Any, least: int) -> int:
    if not is_whole(value, least):
        raise InvalidArgument(f"{head}{name}={value!r} must be an int >= {least}.")
    return int(value)


def check_dataset_arguments(
    info: ContractInfo, rows: Any, seed: Any, partition_rows: Any, where: str
) -> list[Canonical]:
    """The contract's columns, once ``rows``, ``seed`` and ``partition_rows`` are checked
    and every unique column can be kept unique across partitions (see the module)."""
    head = call_head(where, info)
    rows = _whole(head, "rows", rows, 0)
    _whole(head, "seed", seed, 0)
    _whole(head, "partition_rows", partition_rows, 1)
    cross = [r for r in info.rules if r.kind not in ROW_WISE]
    if cross:
        raise InvalidArgument(
            f"{head}{cross[0].text} relates rows to each other, and a Dask dataset generates "
            "its partitions independently: only rules within a row (at_least and the other "
            "orders, present_when, computed) are kept. Drop the rule for the dataset, or use "
            "example() for a frame that fits in memory."
        )
    if info.references:
        ref = info.references[0]
        raise InvalidArgument(
            f"{head}{ref.text}: a reference to another table needs that table's keys, which a "
            "Dask dataset of one contract does not have; generate related tables with "
            "example_tables() (in memory), or drop the reference for the dataset."
        )
    columns = list(info.canonical.values())
    for c in columns:
        if not c.unique:
            continue
        if not kind_of(c).integer_raw or c.values is not None:  # whole raw values: _unique_raw
            raise InvalidArgument(
                f"{head}{c.where} is unique, and Dask datasets keep uniqueness across "
                "partitions for Int, Timestamp, Date, Timedelta and Decimal columns only (a "
                "seeded permutation of the range, docs/engines.md). Drop .is_unique() for the "
                "dataset, or use example() for a frame that fits in memory."
            )
        size = int(c.hi) - int(c.lo) + 1
        if rows > size:
            raise InvalidArgument(
                f"{head}{c.where} is unique with only {size} values, so rows={rows} cannot "
                f"exist. Ask for at most {size} rows or widen the column."
            )
    return columns


def partition_bounds(rows: int, partition_rows: int) -> list[tuple[int, int]]:
    """``[start, stop)`` of each partition (one empty partition for no rows).

    >>> partition_bounds(10, 4)
    [(0, 4), (4, 8), (8, 10)]
    """
    if rows == 0:
        return [(0, 0)]
    return [(s, min(s + partition_rows, rows)) for s in range(0, rows, partition_rows)]


# ------------------------------------------------------------------------------------------
# cells from (seed, column, row)


@functools.lru_cache(maxsize=16)
def column_block(c: Canonical, seed: int, j: int, block: int) -> tuple[np.ndarray, Any, np.ndarray]:
    """Raw values, nulls and quantiles of block ``block`` of column ``j`` (``BLOCK_ROWS``
    rows), drawn as :func:`hypo_contracts._bulk.fill` draws them, from
    ``SeedSequence([seed, j, block])`` (read only: the last few blocks are cached,
    neighbouring partitions share them). The quantiles are what row-wise rules read.

    >>> from hypo_contracts.examples import WineQuality
    >>> c = WineQuality.__contract__.canonical["quality"]
    >>> raw, nulls, q = column_block(c, 0, 11, 0)
    >>> len(raw), nulls is None, bool(((raw >= 0) & (raw <= 10)).all()), len(q)
    (65536, True, True, 65536)
    """
    rng = np.random.default_rng(np.random.SeedSequence([seed, j, block]))
    q = rng.random(BLOCK_ROWS)
    raw = _bulk.fill(c, q, rng, text=True)  # strings as code points: no str objects
    nulls = _bulk.draw_nulls(c, BLOCK_ROWS, rng, None)
    for array in (raw, nulls, q):  # cached (neighbouring partitions share blocks): read only
        if array is not None:
            array.flags.writeable = False
    return raw, nulls, q


def _unique_raw(c: Canonical, seed: int, j: int, start: int, stop: int) -> np.ndarray:
    """Raw values of rows ``[start, stop)`` of a unique int, timestamp, date, timedelta or
    decimal (units of ``10**-scale``) column."""
    size = int(c.hi) - int(c.lo) + 1
    state = np.random.SeedSequence([seed, j, _PERMUTATION_TAG]).generate_state(_ROUNDS, np.uint64)
    offsets = permute(np.arange(start, stop, dtype=np.uint64), size, state.tolist())
    with np.errstate(over="ignore"):
        whole = offsets + np.uint64(int(c.lo) % 2**64)
    return from_u64(whole, kind_of(c).raw_dtype(c))


def _column_rows(
    c: Canonical, seed: int, j: int, start: int, stop: int
) -> tuple[np.ndarray, Any, np.ndarray]:
    """Raw values, nulls and quantiles of rows ``[start, stop)`` of column ``j`` (writable
    copies: row-wise rules change them in place)."""
    if c.unique:
        return _unique_raw(c, seed, j, start, stop), None, np.zeros(stop - start)
    first, last = start // BLOCK_ROWS, max(start, stop - 1) // BLOCK_ROWS
    parts = [column_block(c, seed, j, b) for b in range(first, last + 1)]
    lo, hi = start - first * BLOCK_ROWS, stop - first * BLOCK_ROWS

    def rows(k: int) -> np.ndarray:
        return np.concatenate([p[k] for p in parts])[lo:hi].copy()

    return rows(0), None if parts[0][1] is None else rows(1), rows(2)


def partition_frame(
    columns: Sequence[Canonical],
    seed: int,
    bounds: tuple[int, int],
    rules: Sequence[Rule] = (),
) -> pd.DataFrame:
    """Rows ``[start, stop)`` of the dataset ``(columns, seed)``, indexed by row number, with
    the row-wise ``rules`` (order, present_when, computed: see :data:`ROW_WISE`) applied as
    ``example`` applies them, row by row, so that a row still depends on its number only.

    >>> from hypo_contracts.examples import WineQuality
    >>> cols = list(WineQuality.__contract__.canonical.values())
    >>> whole = partition_frame(cols, 7, (0, 100_000))
    >>> part = partition_frame(cols, 7, (70_000, 70_010))
    >>> part.equals(whole.iloc[70_000:70_010]), part.index[0]
    (True, 70000)
    """
    start, stop = bounds
    drawn = [_column_rows(c, seed, j, start, stop) for j, c in enumerate(columns)]
    raws, nulls = [d[0] for d in drawn], [d[1] for d in drawn]
    if rules:  # rules write into the raw columns: strings as objects
        raws = [_bulk.as_objects(raw) for raw in raws]
        rule_fill.apply_rules(rules, columns, raws, nulls, [d[2] for d in drawn])
    values = [_bulk.column_values(c, r, m) for c, r, m in zip(columns, raws, nulls, strict=True)]
    df = _bulk.frame_from_values(columns, values)
    df.index = pd.RangeIndex(start, stop)
    return df


def to_dask(info: ContractInfo, rows: int, *, seed: int, partition_rows: int = 1_000_000) -> Any:
    """A ``dask.dataframe.DataFrame`` of ``rows`` rows of the contract, in partitions of
    ``partition_rows`` rows generated lazily (``dd.from_map``), with the contract's dtypes,
    a row-number index and known divisions. Row ``i`` is the same whatever
    ``partition_rows`` is (see the module)."""
    columns = check_dataset_arguments(info, rows, seed, partition_rows, "to_dask()")
    dd = import_dask()
    bounds = partition_bounds(int(rows), int(partition_rows))
    meta = partition_frame(columns, int(seed), (0, 0))
    divisions = None if rows == 0 else (*[s for s, _ in bounds], bounds[-1][1] - 1)
    make = functools.partial(
        partition_frame, tuple(columns), int(seed), rules=tuple(getattr(info, "rules", ()))
    )
    import dask

    # the contract's string dtype, not the string[pyarrow] dask would convert strings to
    with dask.config.set({"dataframe.convert-string": False}):
        return dd.from_map(
            make,
            bounds,
            meta=meta,
            divisions=divisions,
            label=f"hypo-contracts-{info.name}",
            enforce_metadata=False,
        )
