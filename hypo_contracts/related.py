"""Related tables: :func:`tables` (Hypothesis), :func:`example_tables` (numpy) and
:func:`validate_tables`.

A column declared ``.references(Parent, "key")`` takes its values from the unique column
``key`` of ``Parent``. Tables are drawn parents first; each is drawn like ``frames()``
(its own seed, explicit cells and shrink masks), then every reference column is filled with
keys of the parent rows drawn in the same example, spread over them within the per-parent
counts by a drawn assignment that shrinks towards the first parent. Nothing is filtered.

>>> from hypo_contracts import Category, Float64, Int64, data_contract
>>> @data_contract
... class Customers:
...     customer_id = Int64().lower_bound(1).is_unique()
...     segment = Category(["retail", "business"])
>>> @data_contract
... class Orders:
...     order_id = Int64().lower_bound(1).is_unique()
...     customer_id = Int64().references(Customers, "customer_id")
...     amount = Float64().bounded_between(0, 10_000)
>>> t = example_tables(Orders, rows={Customers: 3, Orders: 10}, seed=0)
>>> t
Tables(Customers: 3 rows, Orders: 10 rows)
>>> t["Orders"]["customer_id"].isin(t[Customers]["customer_id"]).all()
np.True_
>>> validate_tables(t) is t
True
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd
from hypothesis import strategies as st
from hypothesis.control import reject

from . import _bulk
from .compiled import ContractInfo, Reference, contract_info
from .constraints import Canonical
from .engines.polars import check_backend, import_polars, is_polars_frame, to_polars
from .errors import ContractViolation, InvalidArgument, bad_argument
from .interop import validate
from .seeded_strategy import check_seed, pattern_strategy
from .strategies import (
    ExplicitCells,
    build_frame,
    draw_mask,
    note_when_reported,
    row_grid,
    row_states,
)
from .table_graph import (
    TablePlan,
    Tables,
    child_range,
    fill_references,
    key_count,
    plan_tables,
    sibling_limits,
)
from .table_pins import FixedTable, pin_tables

__all__ = [
    "FixedTable",
    "Tables",
    "TablesStrategy",
    "example_tables",
    "orphans",
    "tables",
    "validate_tables",
]

_SHOW = 10  # orphan values listed per reference


# ------------------------------------------------------------------------------------------
# tables(): the Hypothesis strategy


class _Drawer:
    """How one table is drawn: its columns, the strategy of its explicit cells and the row
    grid of its largest size."""

    def __init__(self, plan: TablePlan) -> None:
        self.plan = plan
        self.cols: list[Canonical] = list(plan.info.canonical.values())
        self.explicit = ExplicitCells(self.cols).strategy
        self.filler = _bulk.Filler(self.cols)
        self.grid = row_grid(plan.hi)

    def draw(self, draw: Any, lo: int, hi: int) -> pd.DataFrame:
        n = lo if lo == hi else draw(st.integers(lo, hi))
        cols = self.cols
        if n == 0:
            empty = {
                c.name: _bulk.to_series(c, _bulk.simplest_raw(c, 0), None, c.name) for c in cols
            }
            return _bulk.assemble(cols, empty)
        explicit = draw(self.explicit(n))
        seed = draw(st.integers(0, 2**64 - 1))
        state = row_states(n, [draw_mask(draw, side) for side in self.grid])
        special = draw_mask(draw, len(cols))
        col_bytes = draw_mask(draw, len(cols))
        df, _ = build_frame(
            cols,
            n,
            seed,
            state,
            col_bytes,
            special,
            explicit,
            drop_simplest=lo < hi,
            min_rows=lo,
            filler=self.filler,
        )
        return df


def _window(plans: list[TablePlan], i: int, frames: list[pd.DataFrame]) -> tuple[int, int] | None:
    """Table ``i``'s row range given the tables drawn before it (``frames``), or None."""
    plan = plans[i]
    window = child_range(plan, [key_count(frames[rp.parent], rp.ref) for rp in plan.refs])
    if window is None:
        return None
    lo, hi = sibling_limits(plans, i, lambda rp: key_count(frames[rp.parent], rp.ref))
    lo, hi = max(lo, window[0]), window[1] if hi is None else min(hi, window[1])
    return (lo, hi) if lo <= hi else None


def _fits(window: tuple[int, int] | None, n: int) -> bool:
    return window is not None and window[0] <= n <= window[1]


def _select(t: Tables, plans: list[TablePlan], columns: Mapping[int, list[str]]) -> Tables:
    if not columns:
        return t
    return Tables(
        {
            p.contract: t[p.contract][columns[i]] if i in columns else t[p.contract]
            for i, p in enumerate(plans)
        }
    )


if TYPE_CHECKING:  # what type checkers see; at run time it is a composite strategy

    class TablesStrategy(st.SearchStrategy[Tables]):
        """What :func:`tables` returns: a Hypothesis strategy for :class:`Tables` that also
        has ``.example(seed=...)``, the same tables filled with numpy (as
        :func:`example_tables`)."""

        def example(self, seed: int | None = None) -> Tables: ...

else:
    TablesStrategy = st.SearchStrategy


def _tables_strategy(
    plans: list[TablePlan],
    description: str,
    fixed: Mapping[int, FixedTable],
    columns: Mapping[int, list[str]],
    backend: str = "pandas",
) -> TablesStrategy:
    """The strategy of :func:`tables`, built from Hypothesis's public API (``st.composite``)
    with a seeded numpy ``.example(seed=...)`` (:func:`seeded_strategy.pattern_strategy`).

    ``plans`` are the tables parents first (``table_graph.plan_tables``); ``fixed`` (by plan
    position) tables drawn by other strategies, ``columns`` (by plan position) the columns
    kept of a table once every reference is filled: both are how ``with_values`` and
    ``features_for`` pin values in related tables. ``backend="polars"`` converts each table
    once drawn (:func:`_on_backend`), so drawing and shrinking are the pandas ones."""
    drawers = {i: _Drawer(plan) for i, plan in enumerate(plans) if i not in fixed}

    @st.composite
    def _tables(draw: Any) -> Tables:
        frames: list[pd.DataFrame] = []

        def quantiles(n: int) -> np.ndarray:
            level = int(draw_mask(draw, 1)[0])  # 0: every child on the first parents
            seed = draw(st.integers(0, 2**64 - 1))
            return np.random.default_rng(seed).random(n) * (level / 255.0)

        for i, plan in enumerate(plans):
            window = _window(plans, i, frames)
            pin = fixed.get(i)
            if pin is not None:
                df = draw(pin.strategy)
                if not _fits(window, len(df)):  # the parents drawn leave no room
                    reject()
            else:
                if window is None:  # several parents whose per-parent counts cannot all hold
                    reject()
                assert window is not None
                df = drawers[i].draw(draw, *window)
            fill_references(df, plan, frames, quantiles, keep=pin.keep if pin else ())
            frames.append(df)
        out = Tables({plan.contract: df for plan, df in zip(plans, frames, strict=True)})
        _note_tables(out)
        return _on_backend(_select(out, plans, columns), backend)

    def sample(seed: int | None) -> Tables:
        return _on_backend(_sample(plans, fixed, seed, "example_tables", columns), backend)

    return cast("TablesStrategy", pattern_strategy(_tables(), sample, description))


def _check_backend(where: str, plans: list[TablePlan], backend: Any) -> str:
    """``backend`` checked for every table (:func:`hypo_contracts.engines.polars.check_backend`)."""
    for plan in plans:
        check_backend(where, plan.info, backend)
    if backend == "polars":
        import_polars(f"{where[:-2]}(..., backend='polars')")
    return str(backend)


def _on_backend(t: Tables, backend: str) -> Tables:
    """``t`` with every table as a ``backend`` frame: polars ones of the exact polars dtypes
    (``engines.polars.to_polars``)."""
    if backend != "polars":
        return t
    return Tables({c: to_polars(contract_info(c, "tables()"), df) for c, df in t.items()})


def tables(
    *contracts: Any,
    rows: Mapping[Any, Any] | None = None,
    per_parent: Mapping[Any, Any] | None = None,
    patterns: Mapping[Any, Any] | None = None,
    backend: str = "pandas",
) -> TablesStrategy:
    """A strategy for related tables: a :class:`Tables` mapping contract (or its name) to a
    frame, in which every ``.references(...)`` holds.

    ``rows`` gives a table's row count or ``(min, max)`` (default ``(0, 100)``, at most
    100,000); ``per_parent`` the children each parent row has, ``n`` or ``(min, max)``,
    ``max`` may be None (the default ``(0, None)`` lets parents have no children). Both are
    dicts keyed by contract or contract name. Contracts referenced but not listed are
    added. Child keys are drawn from the parent keys of the same example, so nothing is
    filtered, and a failing example shrinks to few rows, every child on the first parent and
    simplest values.

    ``patterns`` pins rows: ``{Customers: with_values(Customers, {"segment": ["business"]})}``
    gives a Customers table of exactly those rows (one here); a pattern's other columns are
    drawn as ``with_values``/``features_for`` draw them. A pinned reference column keeps its
    keys: each must be a pinned key of the parent table, else ContractError (an orphan pin);
    see docs/patterns.md. ``backend="polars"`` gives polars frames of the exact polars dtypes
    (docs/engines.md).

    >>> from hypothesis import given
    >>> from hypo_contracts import data_contract, Int64
    >>> @data_contract
    ... class Authors:
    ...     author_id = Int64().lower_bound(1).is_unique()
    >>> @data_contract
    ... class Books:
    ...     author_id = Int64().references(Authors, "author_id")
    >>> @given(tables(Books, rows={Authors: (1, 5)}, per_parent={Books: (1, 3)}))
    ... def test_every_author_has_a_book(t):
    ...     assert set(t[Authors]["author_id"]) == set(t["Books"]["author_id"])
    >>> test_every_author_has_a_book()
    """
    plans = plan_tables(contracts, rows, per_parent, "tables")
    backend = _check_backend("tables()", plans, backend)
    names = ", ".join(p.info.name for p in plans)
    fixed: dict[int, FixedTable] = {}
    if patterns is not None:
        head = f"tables({contracts[0].__contract__.name}, ...): "  # as plan_tables says
        pinned_rows, fixed = pin_tables(plans, patterns, rows, head)
        plans = plan_tables(contracts, pinned_rows, per_parent, "tables")
        names += ", patterns={" + ", ".join(plans[i].info.name + ": ..." for i in fixed) + "}"
    if backend != "pandas":
        names += f", backend={backend!r}"
    return _tables_strategy(plans, f"tables({names})", fixed, {}, backend)


def _note_tables(t: Tables) -> None:
    """On the reported run, note every table in full (up to 50 rows each)."""
    for contract, df in t.items():
        name = contract_info(contract, "tables()").name
        note_when_reported(functools.partial(_table_note, name, df))


def _table_note(name: str, df: pd.DataFrame) -> str:
    more = f" (first 50 of {len(df)})" if len(df) > 50 else ""
    table = df.head(50).to_string(max_rows=None, max_cols=None, line_width=None)
    return f"tables(): {name}: {len(df)} row(s){more}\n{table}"


# ------------------------------------------------------------------------------------------
# example_tables(): numpy


def _sample(
    plans: list[TablePlan],
    fixed: Mapping[int, FixedTable],
    seed: int | None,
    where: str,
    columns: Mapping[int, list[str]] | None = None,
) -> Tables:
    seed = check_seed(f"{where}({plans[0].info.name}, ...): ", seed)
    root = np.random.SeedSequence(seed)
    frames: list[pd.DataFrame] = []
    for i, (plan, ss) in enumerate(zip(plans, root.spawn(len(plans)), strict=True)):
        rng = np.random.default_rng(ss)
        window = _window(plans, i, frames)
        pin = fixed.get(i)
        df = None if pin is None else pin.sample(int(rng.integers(0, 2**63)))
        if window is None or (df is not None and not _fits(window, len(df))):
            counts = [key_count(frames[rp.parent], rp.ref) for rp in plan.refs]
            what = (
                f"the {len(df)} pinned {plan.info.name} rows do"
                if df is not None
                else (f"no {plan.info.name} row count does")
            )
            raise InvalidArgument(
                f"{where}({plan.info.name}, ...): with "
                + ", ".join(
                    f"{c} {rp.ref.parent_name} keys"
                    for rp, c in zip(plan.refs, counts, strict=True)
                )
                + f" {what} not satisfy every per_parent range."
            )
        if df is None:
            n = int(rng.integers(window[0], window[1] + 1))
            df = _bulk.example(plan.info, n, seed=rng)
        fill_references(df, plan, frames, rng.random, shuffle=rng, keep=pin.keep if pin else ())
        frames.append(df)
    out = Tables({plan.contract: df for plan, df in zip(plans, frames, strict=True)})
    return _select(out, plans, columns or {})


def example_tables(
    *contracts: Any,
    rows: Mapping[Any, Any] | None = None,
    per_parent: Mapping[Any, Any] | None = None,
    seed: int | None = None,
    backend: str = "pandas",
) -> Tables:
    """Related tables drawn with numpy (no Hypothesis): the counterpart of :func:`tables`,
    deterministic for a given ``seed`` and fast at millions of child rows. A row range
    ``(min, max)`` is drawn uniformly; ``backend="polars"`` gives polars frames.

    >>> from hypo_contracts import data_contract, Int64
    >>> @data_contract
    ... class Authors:
    ...     author_id = Int64().lower_bound(1).is_unique()
    >>> @data_contract
    ... class Books:
    ...     author_id = Int64().references(Authors, "author_id")
    >>> t = example_tables(Books, rows={Authors: 2, Books: 5}, per_parent={Books: (2, 3)}, seed=1)
    >>> sorted(t[Books]["author_id"].value_counts().tolist())
    [2, 3]
    """
    plans = plan_tables(contracts, rows, per_parent, "example_tables")
    backend = _check_backend("example_tables()", plans, backend)
    return _on_backend(_sample(plans, {}, seed, "example_tables"), backend)


# ------------------------------------------------------------------------------------------
# validate_tables()


def _infos(
    mapping: Mapping[Any, pd.DataFrame], where: str
) -> dict[str, tuple[ContractInfo, pd.DataFrame]]:
    if not isinstance(mapping, Mapping):
        raise bad_argument(
            where.removesuffix("()"),
            None,
            "pass a mapping contract -> frame such as {Customers: customers_df, "
            f"Orders: orders_df}}, not a {type(mapping).__name__}.",
        )
    out: dict[str, tuple[ContractInfo, pd.DataFrame]] = {}
    for key, df in mapping.items():
        info = contract_info(key, where)
        if not isinstance(df, pd.DataFrame) and not is_polars_frame(df):
            raise bad_argument(
                where.removesuffix("()"),
                info.name,
                f"the value for {info.name} is of type {type(df).__name__}; pass a pandas "
                "or polars DataFrame.",
            )
        out[info.name] = (info, df)
    return out


def orphans(child: pd.DataFrame, ref: Reference, parent: pd.DataFrame) -> np.ndarray:
    """Positions of the rows of ``child`` whose ``ref.column`` is not null and matches no
    ``ref.parent_column`` of ``parent``.

    >>> from hypo_contracts import data_contract, Int64
    >>> @data_contract
    ... class P:
    ...     k = Int64().is_unique()
    >>> @data_contract
    ... class C:
    ...     k = Int64().references(P, "k")
    >>> ref = C.__contract__.references[0]
    >>> orphans(pd.DataFrame({"k": [1, 5, 1]}), ref, pd.DataFrame({"k": [1]}))
    array([1])
    """
    values = child[ref.column]
    if ref.parent_column not in parent.columns:
        return np.flatnonzero(values.notna().to_numpy())
    keys = parent[ref.parent_column].dropna()
    try:
        found = values.isin(keys).to_numpy(dtype=bool)
    except (TypeError, ValueError):  # pragma: no cover - incomparable dtypes
        found = values.astype(object).isin(list(keys.astype(object))).to_numpy(dtype=bool)
    return np.flatnonzero(values.notna().to_numpy() & ~found)


def orphan_message(child: pd.DataFrame, ref: Reference, rows: np.ndarray) -> str:
    """``"Orders.customer_id: 3 rows reference no Customers.customer_id: 17, 17, 40 (rows
    5, 6, 91)"``: the orphans of one reference, by row label."""
    k = len(rows)
    shown = rows[:_SHOW]
    more = ", ..." if k > _SHOW else ""
    values = ", ".join(str(v) for v in child[ref.column].iloc[shown].tolist())
    labels = ", ".join(str(v) for v in child.index[shown].tolist())
    verb = "rows reference" if k != 1 else "row references"
    return (
        f"{ref.child}.{ref.column}: {k} {verb} no {ref.parent_name}.{ref.parent_column}: "
        f"{values}{more} (row{'s' if k != 1 else ''} {labels}{more})"
    )


def validate_tables(mapping: Mapping[Any, pd.DataFrame]) -> Mapping[Any, pd.DataFrame]:
    """Return ``mapping`` unchanged when every frame satisfies its contract (the keys) and
    every reference holds, else raise ContractViolation naming each failing table and each
    reference's orphan rows. A referenced table missing from ``mapping`` is a violation.
    Polars tables are accepted (references are checked on their pandas conversion).

    >>> from hypo_contracts import data_contract, Int64
    >>> @data_contract
    ... class Customers:
    ...     customer_id = Int64().lower_bound(1).is_unique()
    >>> @data_contract
    ... class Orders:
    ...     customer_id = Int64().references(Customers, "customer_id")
    >>> from hypo_contracts import ContractViolation
    >>> try:
    ...     validate_tables({
    ...         Customers: pd.DataFrame({"customer_id": [1, 2]}),
    ...         Orders: pd.DataFrame({"customer_id": [1, 17, 17, 2, 40]}),
    ...     })
    ... except ContractViolation as e:
    ...     print(e)
    Orders.customer_id: 3 rows reference no Customers.customer_id: 17, 17, 40 (rows 1, 2, 4)
    """
    tables_ = _infos(mapping, "validate_tables()")
    problems: list[str] = []
    failures: list[pd.DataFrame] = []
    for name, (info, df) in tables_.items():
        try:
            validate(info, df)
        except ContractViolation as exc:
            problems.append(str(exc))
            if isinstance(exc.failures, pd.DataFrame):
                failures.append(exc.failures.assign(table=name))
    for name, (info, df) in list(tables_.items()):  # references are checked on pandas frames
        if is_polars_frame(df):
            tables_[name] = (info, cast(Any, df).to_pandas())
    for name, (info, df) in tables_.items():
        for ref in info.references:
            if ref.column not in df.columns:
                continue  # the table's own validation reports the missing column
            if ref.parent_name not in tables_:
                problems.append(
                    f"{ref.text}: {ref.parent_name} is not among the tables "
                    f"({', '.join(tables_)}); pass its frame too."
                )
                continue
            rows = orphans(df, ref, tables_[ref.parent_name][1])
            if len(rows):
                problems.append(orphan_message(df, ref, rows))
                failures.append(
                    pd.DataFrame(
                        {
                            "table": name,
                            "column": ref.column,
                            "check": f"references({ref.parent_name}, {ref.parent_column!r})",
                            "failure_case": df[ref.column].iloc[rows].to_numpy(),
                            "index": df.index[rows],
                        }
                    )
                )
    if problems:
        table = pd.concat(failures, ignore_index=True) if failures else None
        raise ContractViolation("\n".join(problems), failures=table)
    return mapping
