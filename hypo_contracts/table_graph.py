"""Related tables: which contracts take part, in which order, how many rows each, and how
child rows are spread over parent rows.

:func:`plan_tables` checks the arguments of ``tables``/``example_tables`` and returns the
tables parents first (referenced contracts that were not listed are added);
:func:`assign_parents` spreads child rows over parent rows within the per-parent counts,
lower quantiles going to earlier parents (so a shrunk assignment puts every child on the
first parent); :func:`set_reference` writes the parents' keys into the child column and
:func:`fill_references` does so for every reference of a table.

>>> from hypo_contracts import data_contract, Int64
>>> @data_contract
... class Customers:
...     customer_id = Int64().lower_bound(1).is_unique()
>>> @data_contract
... class Orders:
...     customer_id = Int64().references(Customers, "customer_id")
>>> [(p.info.name, p.lo, p.hi) for p in plan_tables((Orders,), {Orders: (0, 50)}, None)]
[('Customers', 0, 100), ('Orders', 0, 50)]
>>> assign_parents(np.array([0.9, 0.1, 0.5, 0.0]), parents=2, lo=0, hi=3).tolist()
[1, 0, 1, 0]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .compiled import ContractInfo, Reference, contract_info
from .errors import ContractError, InvalidArgument

__all__ = [
    "DEFAULT_TABLE_ROWS",
    "MAX_CHILD_ROWS",
    "RefPlan",
    "TablePlan",
    "Tables",
    "assign_parents",
    "child_range",
    "fill_references",
    "key_count",
    "keyed_by_table",
    "live_rows",
    "plan_tables",
    "set_reference",
    "sibling_limits",
    "table_order",
]

#: Rows of a table whose count ``rows`` does not give.
DEFAULT_TABLE_ROWS = (0, 100)
#: The most rows a table drawn by ``tables`` may have.
MAX_CHILD_ROWS = 100_000


class Tables(Mapping[Any, pd.DataFrame]):
    """Frames keyed by contract, also addressable by contract name; iterates over the
    contracts, parents first.

    >>> from hypo_contracts import data_contract, Int64
    >>> @data_contract
    ... class Points:
    ...     x = Int64()
    >>> t = Tables({Points: Points.example(2, seed=0)})
    >>> t["Points"] is t[Points], t
    (True, Tables(Points: 2 rows))
    """

    def __init__(self, frames: Mapping[Any, pd.DataFrame]) -> None:
        self._frames = dict(frames)
        self._names = {contract_info(c, "Tables()").name: c for c in self._frames}

    def __getitem__(self, key: Any) -> pd.DataFrame:
        if not isinstance(key, str) and not hasattr(key, "__contract__"):
            # a TypeError, as for a sequence: scikit-learn probes X[0] for a feature count
            raise TypeError(f"Tables are indexed by contract or contract name, not {key!r}")
        if isinstance(key, str):
            if key not in self._names:
                raise KeyError(f"{key!r}: the tables are {', '.join(self._names)}")
            key = self._names[key]
        return self._frames[key]

    def __contains__(self, key: object) -> bool:
        return key in self._names if isinstance(key, str) else key in self._frames

    def __iter__(self) -> Iterator[Any]:
        return iter(self._frames)

    def __len__(self) -> int:
        return len(self._frames)

    def __repr__(self) -> str:
        parts = [
            f"{name}: {len(df)} row{'' if len(df) == 1 else 's'}"
            for name, df in zip(self._names, self._frames.values(), strict=True)
        ]
        return f"Tables({', '.join(parts)})"


@dataclass(frozen=True)
class RefPlan:
    """One reference of a table: the parent's position in the plan and the children each
    parent row may have (``hi`` None: no maximum)."""

    ref: Reference
    parent: int
    lo: int
    hi: int | None


@dataclass(frozen=True)
class TablePlan:
    """One table: its contract, its row range (tightened so that every reference can hold)
    and its references."""

    contract: Any
    info: ContractInfo
    lo: int
    hi: int
    refs: tuple[RefPlan, ...]


def table_order(contracts: Any, where: str) -> list[tuple[Any, ContractInfo]]:
    """The contracts and every contract they reference, parents before children; a cycle
    of references is a ContractError naming the chain."""
    found: dict[str, tuple[Any, ContractInfo]] = {}
    pending = list(contracts)
    while pending:
        c = pending.pop(0)
        info = contract_info(c, f"{where}()")
        if info.name in found and found[info.name][0] is not c:
            raise InvalidArgument(
                f"{where}({info.name}, ...): two different contracts are named {info.name}; "
                "tables are addressed by name, so rename one."
            )
        if info.name in found:
            continue
        found[info.name] = (c, info)
        pending += [r.parent for r in info.references]
    order: list[str] = []
    state: dict[str, int] = {}  # 1: being visited, 2: done

    def visit(name: str, chain: list[str]) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            raise ContractError(f"references form a cycle: {' -> '.join(chain)}.")
        state[name] = 1
        for r in found[name][1].references:
            visit(r.parent_name, [*chain, f"{r.child}.{r.column} -> {r.parent_name}"])
        state[name] = 2
        order.append(name)

    for name in list(found):
        visit(name, [name])
    return [found[name] for name in order]


def keyed_by_table(arg: Any, label: str, names: dict[str, int], head: str) -> dict[int, Any]:
    """``rows``/``per_parent``/``patterns`` keyed by position in the plan (keys: contracts or
    names)."""
    if arg is None:
        return {}
    if not isinstance(arg, Mapping):
        key = next(iter(names))
        value = f"with_values({key}, {{...}})" if label == "patterns" else "(0, 10)"
        raise InvalidArgument(
            f"{head}{label}={arg!r} must be a dict keyed by contract, e.g. "
            f"{label}={{{key}: {value}}}."
        )
    out: dict[int, Any] = {}
    for key, value in arg.items():
        name = key if isinstance(key, str) else getattr(key, "__contract__", None)
        name = name if isinstance(name, str) else getattr(name, "name", None)
        if name not in names:
            raise InvalidArgument(
                f"{head}{label} names {getattr(key, '__qualname__', repr(key))}, which is not "
                f"one of the tables ({', '.join(names)})."
            )
        out[names[name]] = value
    return out


def _range(value: Any, what: str, head: str, open_top: bool) -> tuple[int, int | None]:
    def whole(v: Any) -> int:
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 0:
            raise InvalidArgument(f"{head}{what}: {v!r} is not a whole number >= 0.")
        return int(v)

    if isinstance(value, tuple) and len(value) == 2:
        lo = whole(value[0])
        hi = None if value[1] is None and open_top else whole(value[1])
        if hi is not None and lo > hi:
            raise InvalidArgument(f"{head}{what}: {value!r} has its minimum above its maximum.")
        return lo, hi
    if isinstance(value, tuple) or isinstance(value, list):
        raise InvalidArgument(f"{head}{what}: {value!r} must be a count or a (min, max) pair.")
    n = whole(value)
    return n, n


def plan_tables(
    contracts: tuple[Any, ...], rows: Any, per_parent: Any, where: str = "tables"
) -> list[TablePlan]:
    """Check ``tables``' arguments and return the tables parents first, each row range
    tightened so that the per-parent counts can hold (InvalidArgument when they cannot)."""
    if not contracts:
        raise InvalidArgument(f"{where}() needs at least one contract, e.g. {where}(Orders).")
    first = getattr(getattr(contracts[0], "__contract__", None), "name", None) or "..."
    try:
        ordered = table_order(contracts, where)
    except InvalidArgument as exc:
        text = str(exc)
        if text.startswith(f"{where}() expects "):  # contract_info's own head: one prefix
            text = "each contract must be " + text.removeprefix(f"{where}() expects ")
        raise InvalidArgument(
            text
            if text.startswith(f"{where}(") and ", ...)" in text.split(":")[0]
            else f"{where}({first}, ...): {text}"
        ) from None
    names = {info.name: i for i, (_, info) in enumerate(ordered)}
    head0 = f"{where}({first}, ...): "
    row_args = keyed_by_table(rows, "rows", names, head0)
    pp_args = keyed_by_table(per_parent, "per_parent", names, head0)
    ranges: list[tuple[int, int]] = []
    for i, (_, info) in enumerate(ordered):
        lo, hi = _range(row_args.get(i, DEFAULT_TABLE_ROWS), f"rows[{info.name}]", head0, False)
        assert hi is not None
        if hi > MAX_CHILD_ROWS and where == "tables":
            raise InvalidArgument(
                f"{head0}rows[{info.name}] allows {hi:,} rows; tables() draws at most "
                f"{MAX_CHILD_ROWS:,} per table (example_tables() has no such limit)."
            )
        ranges.append((lo, hi))
    refs: list[list[RefPlan]] = []
    for i, (_, info) in enumerate(ordered):
        if i in pp_args and not info.references:
            raise InvalidArgument(
                f"{head0}per_parent[{info.name}]: {info.name} references no other table, so "
                "it has no parent rows to count children of."
            )
        lo, hi = _range(pp_args.get(i, (0, None)), f"per_parent[{info.name}]", head0, True)
        mine = []
        for r in info.references:
            top = 1 if r.unique else hi
            if top is not None and lo > top:
                raise InvalidArgument(
                    f"{head0}per_parent[{info.name}]={lo}: {r.child}.{r.column} is unique, so "
                    "a parent row has at most one child."
                )
            mine.append(RefPlan(r, names[r.parent_name], lo, top))
        refs.append(mine)
    # tighten the parents' ranges, children first (a child's range is final before it is used)
    for i in reversed(range(len(ordered))):
        c_lo, c_hi = ranges[i]
        for rp in refs[i]:
            p_lo, p_hi = ranges[rp.parent]
            name, parent = ordered[i][1].name, rp.ref.parent_name
            if rp.lo * p_lo > c_hi:
                raise InvalidArgument(
                    f"{head0}per_parent[{name}] needs at least {rp.lo} {name} rows per {parent} "
                    f"row, so {p_lo} {parent} rows need {rp.lo * p_lo} {name} rows, but "
                    f"rows[{name}] allows at most {c_hi}."
                )
            if rp.lo:
                p_hi = min(p_hi, c_hi // rp.lo)
            if not rp.ref.optional and c_lo > 0:
                need = 1 if rp.hi is None else math.ceil(c_lo / rp.hi) if rp.hi else c_lo + 1
                if need > p_hi:
                    per = (
                        f"{rp.ref.text} allows at most {rp.hi} {name} rows per {parent} row"
                        if rp.hi is not None
                        else f"{rp.ref.text} is required"
                    )
                    raise InvalidArgument(
                        f"{head0}rows[{name}] needs at least {c_lo} {name} rows, each with a "
                        f"{parent} row ({per}), but rows[{parent}] allows at most {p_hi} "
                        f"{parent} rows; allow more {parent} rows or fewer {name} rows."
                    )
                p_lo = max(p_lo, need)
            ranges[rp.parent] = (p_lo, p_hi)
    return [
        TablePlan(c, info, ranges[i][0], ranges[i][1], tuple(refs[i]))
        for i, (c, info) in enumerate(ordered)
    ]


def child_range(plan: TablePlan, parents: list[int]) -> tuple[int, int] | None:
    """The table's row range once the parent of each reference ``plan.refs[k]`` has
    ``parents[k]`` non-null keys: at least ``lo`` children per parent, at most ``hi`` per
    parent (nulls of an optional reference count for no parent); None when no count fits."""
    lo, hi = plan.lo, plan.hi
    for rp, p in zip(plan.refs, parents, strict=True):
        lo = max(lo, rp.lo * p)
        if not rp.ref.optional:
            hi = min(hi, p * rp.hi) if rp.hi is not None else (hi if p else 0)
        elif rp.ref.unique and rp.hi is not None:
            hi = min(hi, p * rp.hi + 1)  # at most one null in a unique column
    return (lo, hi) if lo <= hi else None


def sibling_limits(
    plans: list[TablePlan], i: int, key_count: Callable[[RefPlan], int]
) -> tuple[int, int | None]:
    """Bounds on the rows of table ``i`` from the children it shares with tables drawn
    before it (``key_count(rp)``: the drawn keys of ``rp``'s parent): with 1 to 3 children
    per parent for two parents, 10 rows of one leave 4 to 30 for the other."""
    lo, hi = 0, None
    for child in plans[i + 1 :]:
        mine = [rp for rp in child.refs if rp.parent == i]
        others = [rp for rp in child.refs if rp.parent < i]
        if not mine or not others:
            continue
        lower, upper = child.lo, child.hi
        for ro in others:
            p = key_count(ro)
            lower = max(lower, ro.lo * p)
            if not ro.ref.optional:
                upper = min(upper, ro.hi * p) if ro.hi is not None else (upper if p else 0)
        for rt in mine:
            if rt.lo:
                hi = upper // rt.lo if hi is None else min(hi, upper // rt.lo)
            if not rt.ref.optional and lower > 0:
                need = 1 if rt.hi is None else (math.ceil(lower / rt.hi) if rt.hi else upper + 1)
                lo = max(lo, need)
    return lo, hi


def assign_parents(
    q: np.ndarray,
    parents: int,
    lo: int,
    hi: int | None,
    shuffle: np.random.Generator | None = None,
) -> np.ndarray:
    """The parent (``0..parents-1``) of each child, from its quantile ``q`` in [0, 1): every
    parent gets at least ``lo`` and at most ``hi`` children, children with lower ``q`` go to
    earlier parents, and a child whose parent is full moves to the next parent with room
    (so all-zero quantiles fill the first parents). Needs
    ``lo * parents <= len(q) <= hi * parents``. With ``shuffle`` (uniform ``q``, as in
    ``example_tables``) the children are not sorted but shuffled: the same distribution,
    without a sort of a million quantiles.

    >>> assign_parents(np.zeros(5), parents=3, lo=0, hi=2).tolist()
    [0, 0, 1, 1, 2]
    >>> assign_parents(np.zeros(3), parents=3, lo=1, hi=None).tolist()
    [0, 1, 2]
    """
    m = len(q)
    if m == 0:
        return np.zeros(0, dtype=np.int64)
    assert parents > 0 and lo * parents <= m and (hi is None or m <= hi * parents)
    counts = np.full(parents, lo, dtype=np.int64)
    order = None if shuffle is not None else np.argsort(q, kind="stable")
    extra = m - lo * parents
    if extra:
        # the children with the highest quantiles are the extra ones, wished where q points
        top = q[:extra] if order is None else q[order[lo * parents :]]
        wished = np.minimum((top * parents).astype(np.int64), parents - 1)
        want = np.bincount(wished, minlength=parents)
        if hi is None:
            counts += want
        else:
            counts += _fill_rooms(want, hi - lo)
    assigned = np.repeat(np.arange(parents), counts)
    if order is None:
        assert shuffle is not None
        shuffle.shuffle(assigned)
        return assigned
    out = np.empty(m, dtype=np.int64)
    out[order] = assigned
    return out


def _fill_rooms(want: np.ndarray, room: int) -> np.ndarray:
    """``want`` children per parent, at most ``room`` each; an overflow moves to the next
    parents (wrapping around to the first ones), vectorised with Lindley's recursion."""
    steps = np.cumsum(want - room)
    carry = steps - np.minimum(0, np.minimum.accumulate(steps))  # overflow after each parent
    given = want + np.concatenate([[0], carry[:-1]]) - carry
    left = int(carry[-1])
    if left:
        space = room - given
        before = np.cumsum(space) - space
        given = given + np.clip(left - before, 0, space)
    return given


def set_reference(
    child: pd.DataFrame,
    rp: RefPlan,
    parent: pd.DataFrame,
    q: np.ndarray,
    nulls: np.ndarray | None,
    shuffle: np.random.Generator | None = None,
) -> None:
    """Write parent keys into ``child[rp.ref.column]`` in place: rows where ``nulls`` is
    True reference no parent; the others are spread over the parent rows with a non-null key
    by :func:`assign_parents` from their quantiles ``q`` (one per child row; ``shuffle``:
    see there)."""
    col = rp.ref.column
    keys = parent[rp.ref.parent_column]
    dtype = child[col].dtype
    plain = isinstance(keys.dtype, np.dtype) and keys.dtype.kind in "iub"  # no nulls
    if plain and nulls is None and dtype == keys.dtype and len(keys):  # the fast path
        idx = assign_parents(q, len(keys), rp.lo, rp.hi, shuffle)
        child[col] = keys.to_numpy()[idx]
        return
    usable = np.flatnonzero(keys.notna().to_numpy())
    live = np.ones(len(child), dtype=bool) if nulls is None else ~nulls
    rows = np.flatnonzero(live)
    if len(usable) == 0:  # no parent: every row is null (an optional column) or none exist
        child[col] = pd.Series([None] * len(child), dtype=dtype, index=child.index)
        return
    idx = assign_parents(q[rows], len(usable), rp.lo, rp.hi, shuffle)
    take = np.full(len(child), -1, dtype=np.int64)
    take[rows] = usable[idx]
    values = keys.iloc[np.maximum(take, 0)].reset_index(drop=True)
    if values.dtype != dtype:
        values = values.astype(dtype)
    if len(rows) < len(child):
        values = values.mask(take < 0)
    child[col] = values.set_axis(child.index)


def live_rows(
    n: int, lo: int, hi: int | None, parents: int, nulls: np.ndarray | None
) -> np.ndarray | None:
    """The null mask of an optional reference column adjusted so that the rows with a parent
    number between ``lo * parents`` and ``hi * parents`` (first nulls become values, last
    values become nulls); ``nulls`` itself when it already fits (None: no nulls)."""
    if nulls is None:
        return None
    nulls = nulls.copy()
    live = n - int(nulls.sum())
    need_lo, need_hi = lo * parents, (n if hi is None else hi * parents) if parents else 0
    if live < need_lo:
        nulls[np.flatnonzero(nulls)[: need_lo - live]] = False
    elif live > need_hi:
        nulls[np.flatnonzero(~nulls)[need_hi - live :]] = True
    return nulls


def key_count(frame: pd.DataFrame, ref: Reference) -> int:
    """The non-null keys ``ref`` can take from its parent ``frame``.

    >>> from hypo_contracts.examples import Orders
    >>> key_count(pd.DataFrame({"customer_id": [1, None, 3]}), Orders.__contract__.references[0])
    2
    """
    keys = frame[ref.parent_column]
    if isinstance(keys.dtype, np.dtype) and keys.dtype.kind in "iub":
        return len(keys)  # numpy integers and booleans hold no null
    return int(keys.notna().sum())


def fill_references(
    child: pd.DataFrame,
    plan: TablePlan,
    frames: Sequence[pd.DataFrame],
    quantiles: Callable[[int], np.ndarray],
    shuffle: np.random.Generator | None = None,
    keep: Collection[str] = (),
) -> None:
    """Write the keys of every reference of ``plan`` into ``child`` in place, from the
    parent frames ``frames`` (by plan position): an optional column keeps its nulls as far
    as the per-parent counts allow (:func:`live_rows`), and the other rows are spread over
    the parents by :func:`set_reference` with the quantiles ``quantiles(len(child))``
    (called once per reference, in order). Columns in ``keep`` (pinned) are left alone."""
    for rp in plan.refs:
        col = rp.ref.column
        if col in keep:
            continue
        parent = frames[rp.parent]
        nulls = child[col].isna().to_numpy() if rp.ref.optional else None
        nulls = live_rows(len(child), rp.lo, rp.hi, key_count(parent, rp.ref), nulls)
        set_reference(child, rp, parent, quantiles(len(child)), nulls, shuffle=shuffle)
