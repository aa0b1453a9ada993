"""Pinned values in related tables: ``tables(..., patterns={Contract: with_values(...)})``.

A pattern (``with_values`` / ``features_for``) pins the rows of one table: the table has
exactly its rows, its pinned columns hold exactly the pinned values, and its other columns
are drawn by the pattern. A pinned reference column keeps its keys, so every one must be a
pinned key of the parent (else an orphan: :class:`~hypo_contracts.ContractError` naming the
table and column) and the per-parent counts must hold; an unpinned reference column is
filled from the parent rows drawn, as in any ``tables()`` example.

>>> from hypo_contracts import with_values
>>> from hypo_contracts.examples import Customers, Orders
>>> from hypo_contracts.table_graph import plan_tables
>>> plans = plan_tables((Orders,), None, None)
>>> pattern = with_values(Orders, {"customer_id": [7]})
>>> try:
...     pin_tables(plans, {Orders: pattern}, None, "tables(Orders, ...): ")
... except Exception as e:
...     print(e)
Orders.customer_id: pinned keys 7 reference a Customers row, but no Customers.customer_id
is pinned; pin the Customers rows too: patterns={Customers: with_values(Customers,
{'customer_id': [...]})}.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, cast

import pandas as pd
from hypothesis import strategies as st

from .compiled import ContractInfo
from .errors import ContractError, InvalidArgument
from .table_graph import RefPlan, TablePlan, keyed_by_table
from .values import show_value

__all__ = ["FixedTable", "PinnedPattern", "pin_tables"]


class PinnedPattern(Protocol):
    """What ``with_values`` and ``features_for`` return (a ``PatternStrategy``), as far as
    ``tables()`` uses it."""

    info: ContractInfo | None
    pins: Mapping[str, pd.Series] | None
    columns: Sequence[str]

    def example(self, seed: int | None = None) -> pd.DataFrame: ...


@dataclass(frozen=True)
class FixedTable:
    """A table drawn by a pattern instead of like ``frames()``: ``strategy`` draws it,
    ``sample(seed)`` fills it with numpy, and the reference columns in ``keep`` hold pinned
    keys that are not replaced."""

    strategy: st.SearchStrategy[pd.DataFrame]
    sample: Callable[[int], pd.DataFrame]
    keep: frozenset[str]


def _counts(rp: RefPlan, keys: pd.Series, child: pd.Series) -> str | None:
    """Why the pinned child keys break ``rp``'s per-parent counts, or None."""
    counts = child.dropna().value_counts()
    for key in keys.dropna().tolist():
        k = int(counts.get(key, 0))
        if k < rp.lo or (rp.hi is not None and k > rp.hi):
            most = f"{rp.lo} or more" if rp.hi is None else f"{rp.lo} to {rp.hi}"
            return (
                f"the pinned {rp.ref.parent_name} key {show_value(key)} has {k} "
                f"{rp.ref.child} row(s), but each {rp.ref.parent_name} row needs "
                f"{rp.lo if rp.lo == rp.hi else most} (per_parent)"
            )
    return None


def _check_refs(plans: list[TablePlan], pins: dict[int, Mapping[str, pd.Series]]) -> None:
    """Pinned reference columns: every key a pinned parent key, the per-parent counts held."""
    for i, child_pins in pins.items():
        for rp in plans[i].refs:
            ref = rp.ref
            if ref.column not in child_pins:
                continue
            values = child_pins[ref.column]
            parent = pins.get(rp.parent, {})
            if ref.parent_column not in parent:
                shown = ", ".join(map(show_value, values.dropna().unique().tolist()[:5]))
                raise ContractError(
                    f"{ref.child}.{ref.column}: pinned keys {shown} reference a "
                    f"{ref.parent_name} row, but no {ref.parent_name}.{ref.parent_column} is "
                    f"pinned; pin the {ref.parent_name} rows too: patterns={{{ref.parent_name}: "
                    f"with_values({ref.parent_name}, {{{ref.parent_column!r}: [...]}})}}."
                )
            keys = parent[ref.parent_column]
            orphan = values.notna() & ~values.isin(keys.dropna())
            if orphan.any():
                at = int(orphan.to_numpy().nonzero()[0][0])
                key = show_value(values.iloc[at])
                raise ContractError(
                    f"{ref.child}.{ref.column}: the pinned key {key} at position {at} matches "
                    f"no pinned {ref.parent_name}.{ref.parent_column} (an orphan); pin a "
                    f"{ref.parent_name} row with that key, or pin another key."
                )
            why = _counts(rp, keys, values)
            if why is not None:
                raise ContractError(f"{ref.child}.{ref.column}: {why}.")


def pin_tables(
    plans: list[TablePlan], patterns: Any, rows: Any, head: str
) -> tuple[dict[str, Any], dict[int, FixedTable]]:
    """Check ``tables(..., patterns=...)`` against the tables' plan: return the ``rows``
    argument with each pinned table's row count set to its pinned rows (keyed by name),
    and the pinned tables by plan position."""
    names = {p.info.name: i for i, p in enumerate(plans)}
    given = keyed_by_table(patterns, "patterns", names, head)
    row_args = keyed_by_table(rows, "rows", names, head)
    out_rows: dict[str, Any] = {plans[i].info.name: v for i, v in row_args.items()}
    fixed: dict[int, FixedTable] = {}
    pins: dict[int, Mapping[str, pd.Series]] = {}
    for i, pattern in given.items():
        plan = plans[i]
        name = plan.info.name
        info, pinned = getattr(pattern, "info", None), getattr(pattern, "pins", None)
        if info is None or not pinned or not isinstance(pattern, st.SearchStrategy):
            raise InvalidArgument(
                f"{head}patterns[{name}]={pattern!r} must be with_values({name}, {{...}}) or "
                f"features_for({name}, {{...}}) (pandas frames)."
            )
        if info.name != name:
            raise InvalidArgument(
                f"{head}patterns[{name}] pins {info.name} columns; key it by {info.name}, or "
                f"pin {name}'s columns."
            )
        n = len(next(iter(pinned.values())))
        want = row_args.get(i)
        if want is not None and not (
            want == n if not isinstance(want, tuple) else want[0] <= n <= want[1]
        ):
            raise InvalidArgument(
                f"{head}rows[{name}]={want!r}, but patterns[{name}] pins {n} row(s); leave "
                "rows out for a pinned table."
            )
        needed = {rp.ref.column for rp in plan.refs} | {
            r.parent_column for p in plans for r in p.info.references if r.parent_name == name
        }
        dropped = sorted(needed - set(getattr(pattern, "columns", ())))
        if dropped:
            raise InvalidArgument(
                f"{head}patterns[{name}] leaves out {', '.join(dropped)}, which a reference "
                "between the tables needs; add it to the pattern's columns."
            )
        out_rows[name] = n
        pins[i] = pinned
        keep = frozenset(rp.ref.column for rp in plan.refs if rp.ref.column in pinned)
        fixed[i] = FixedTable(pattern, cast(PinnedPattern, pattern).example, keep)
    _check_refs(plans, pins)
    return out_rows, fixed
