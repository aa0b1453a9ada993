"""Shrinking several related tables: :func:`shrink_tables`, what ``shrink(mapping, ...)`` runs.

The tables are shrunk one at a time with the others fixed, children first, by the
single-frame search (:class:`~hypo_contracts.shrink_search.Shrinker`), until a round changes
nothing. Every reference that holds in the input holds in every candidate:

- deleting parent rows deletes their children (and theirs), in the same candidate;
- a changed parent key is changed in its children too;
- a candidate child row must reference an existing parent, and reference columns first try
  the first parent's key (so children gather on the first parent).

A reference the input breaks (a planted orphan) is not enforced: the failure may be the
orphan itself, which then shrinks to the one orphan row and no parent rows.

>>> import pandas as pd
>>> from hypo_contracts import Float64, Int64, data_contract
>>> @data_contract
... class Customers:
...     customer_id = Int64().lower_bound(1).is_unique()
>>> @data_contract
... class Orders:
...     order_id = Int64().lower_bound(1).is_unique()
...     customer_id = Int64().references(Customers, "customer_id")
...     amount = Float64().bounded_between(0, 10_000)
>>> customers = pd.DataFrame({"customer_id": range(1, 101)})
>>> orders = pd.DataFrame({"order_id": range(1, 1001), "customer_id": [7] * 1000,
...                        "amount": [25.0] * 1000})
>>> orders.loc[640, "amount"] = 9_000.0
>>> def report(t):
...     if (t[Orders]["amount"] > 5_000).any():
...         raise ValueError("big order")
>>> result = shrink_tables({Customers: customers, Orders: orders}, report)
>>> result.tables[Customers].to_dict("list"), result.tables[Orders].to_dict("list")
({'customer_id': [1]}, {'order_id': [1], 'customer_id': [1], 'amount': [5001.0]})
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .compiled import ContractInfo, Reference, contract_info
from .errors import ContractViolation, bad_argument
from .interop import validate
from .regression import first_line, regression_module, resolve_target
from .related import orphans
from .shrink_models import column_model
from .shrink_search import Budget, Display, Shrinker, Stop, check_budget, frame_key, stop_reason
from .table_graph import Tables, table_order

__all__ = ["TablesPass", "TablesShrinkResult", "shrink_tables"]


class TablesPass(ValueError):
    """``test`` did not raise on the tables given to :func:`shrink_tables` (``shrink``
    turns it into :class:`~hypo_contracts.NothingToShrink`)."""


@dataclass(frozen=True, eq=False)
class TablesShrinkResult:
    """What :func:`shrink_tables` found: the minimal ``tables`` (keyed like the input),
    the ``error`` ``test`` raised on them, ``calls`` of ``test``, whether the search ran to
    its end (``complete``; else ``stopped_by`` says why) and the wall time."""

    tables: Mapping[Any, pd.DataFrame]
    error: BaseException
    calls: int
    complete: bool
    stopped_by: str | None = None
    elapsed: float = 0.0
    test: Callable[..., Any] | None = field(default=None, repr=False)

    def to_pytest(self, name: str = "test_regression", *, target: str | None = None) -> str:
        """The source of a pytest module whose test rebuilds the minimal tables as literals
        (dtypes preserved) and calls the user's function on them, as
        :meth:`hypo_contracts.ShrinkResult.to_pytest` does for one frame; the contracts are
        imported from their modules (``target``: the function as ``"module:function"``).

        >>> result = TablesShrinkResult({"Points": pd.DataFrame({"x": [1]})}, ValueError("bad"), 3,
        ...                             True)
        >>> print(result.to_pytest(target="my_project.train:report"))
        \"\"\"Regression test written by hypo_contracts.shrink: the minimal tables on which
        my_project.train:report raised ValueError. It fails until the bug is fixed.\"\"\"
        <BLANKLINE>
        import pandas as pd
        <BLANKLINE>
        from my_project.train import report
        <BLANKLINE>
        <BLANKLINE>
        def test_regression() -> None:
            # raised ValueError: bad
            points = pd.DataFrame(
                {
                    "x": pd.Series([1], dtype="int64"),
                }
            )
            tables = {"Points": points}
            report(tables)
        <BLANKLINE>
        """
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"to_pytest(name=...) needs a Python identifier, not {name!r}")
        where = resolve_target(self.test, target)
        variables: dict[str, pd.DataFrame] = {}
        entries = []
        targets = [where]
        for key, df in self.tables.items():
            var = "".join(ch if ch.isalnum() else "_" for ch in _name(key).lower())
            var = var if var.isidentifier() and var not in ("tables", where.name) else f"t_{var}"
            while var in variables:
                var += "_"
            variables[var] = df
            if isinstance(key, str):
                entries.append(f"{json.dumps(key)}: {var}")
            else:
                contract = resolve_target(key)
                targets.append(contract)
                entries.append(f"{contract.name}: {var}")
        keyed = all(not isinstance(k, str) for k in self.tables)
        mapping = f"{{{', '.join(entries)}}}"
        doc = (
            "Regression test written by hypo_contracts.shrink: the minimal tables on which\n"
            f"{where.module}:{where.qualname} raised {type(self.error).__name__}. It fails until "
            "the bug is fixed."
        )
        return regression_module(
            name,
            variables,
            [
                f"tables = Tables({mapping})" if keyed else f"tables = {mapping}",
                f"{where.name}(tables)",
            ],
            targets=targets,
            doc=doc,
            comments=[f"raised {first_line(self.error) or type(self.error).__name__}"],
            imports=["from hypo_contracts import Tables"] if keyed else [],
        )

    def __repr__(self) -> str:
        state = "complete" if self.complete else f"stopped by {self.stopped_by}"
        shapes = ", ".join(
            f"{_name(k)}: {len(df)} row{'' if len(df) == 1 else 's'}"
            for k, df in self.tables.items()
        )
        return (
            f"TablesShrinkResult({shapes}, {type(self.error).__name__}, calls={self.calls}, "
            f"{state})"
        )


def _name(key: Any) -> str:
    return key if isinstance(key, str) else getattr(key, "__qualname__", repr(key))


class _TableShrinker(Shrinker):
    """The single-frame search on one table: row labels are kept (they tell the related
    tables which rows went) and reference columns first try the first parent's key."""

    refs: tuple[Reference, ...]
    first_keys: dict[str, Any]

    def index(self) -> None:
        return  # labels are kept; the tables are renumbered when the round ends

    def values(self) -> None:
        self.phase = "references"
        for ref in self.refs:
            if ref.column not in self.cur.columns or ref.column not in self.first_keys:
                continue
            j = list(self.cur.columns).index(ref.column)
            first = self.first_keys[ref.column]
            column = self.cur.iloc[:, j]
            groups = [
                np.flatnonzero((column == v).to_numpy(dtype=bool, na_value=False))
                for v in pd.unique(column.dropna())
                if v != first
            ]
            for rows in [g.tolist() for g in groups if len(g) > 1] + [
                [r] for g in groups for r in g.tolist()
            ]:
                if self.cur.iat[rows[0], j] != first:
                    self.set_cells(j, rows, first)
        super().values()


class _Search:
    """The state of a multi-table shrink: the current tables (by name), the enforced
    references, the test and its budget."""

    def __init__(
        self,
        keys: dict[str, Any],
        infos: dict[str, ContractInfo],
        state: dict[str, pd.DataFrame],
        test: Callable[..., Any],
        same_failure: bool,
        budget: Budget,
        display: Display,
    ) -> None:
        self.keys, self.infos, self.state, self.test = keys, infos, state, test
        self.same_failure, self.budget, self.display = same_failure, budget, display
        self.calls = 0
        self.error: BaseException | None = None
        self.enforced = [
            ref
            for info in infos.values()
            for ref in info.references
            if ref.parent_name in state
            and not len(orphans(state[info.name], ref, state[ref.parent_name]))
        ]

    def mapping(self, state: dict[str, pd.DataFrame]) -> Mapping[Any, pd.DataFrame]:
        frames = {self.keys[n]: df.reset_index(drop=True) for n, df in state.items()}
        if all(isinstance(k, type) for k in frames):
            return Tables(frames)
        return frames

    def derive(
        self, name: str, before: pd.DataFrame, after: pd.DataFrame
    ) -> dict[str, pd.DataFrame]:
        """The tables with ``after`` (rows of ``before`` by label) for table ``name``: the
        children of deleted parent rows deleted, changed keys changed in the children."""
        state = dict(self.state)
        self._cascade(state, name, before, after)
        return state

    def _cascade(
        self, state: dict[str, pd.DataFrame], name: str, before: pd.DataFrame, after: pd.DataFrame
    ) -> None:
        state[name] = after
        for ref in self.enforced:
            if ref.parent_name != name or ref.child not in state:
                continue
            old = before[ref.parent_column].loc[after.index]
            new = after[ref.parent_column]
            child = state[ref.child]
            moved = _remap(child, ref, old, new, len(after) < len(before) or not old.equals(new))
            if moved is not child:
                self._cascade(state, ref.child, child, moved)

    def shrink_table(self, name: str) -> bool:
        """One run of the single-frame search on table ``name``; True when it changed."""
        info = self.infos[name]
        base = self.state[name].reset_index(drop=True)
        self.state[name] = base
        base_key = frame_key(base)
        own = [r for r in self.enforced if r.child == name]

        def run(df: pd.DataFrame) -> None:
            if frame_key(df) == base_key and self.error is not None:
                raise self.error  # the current tables: known to fail, no call needed
            self.calls += 1
            self.test(self.mapping(self.derive(name, base, df)))

        def valid(df: pd.DataFrame) -> bool:
            try:
                validate(info, df)
            except ContractViolation:
                return False
            return not any(len(orphans(df, r, self.state[r.parent_name])) for r in own)

        self.budget.check(self.calls)
        shrinker = _TableShrinker(
            run, valid, self.same_failure, self.budget.rest(self.calls), self.display
        )
        shrinker.refs = tuple(own)
        shrinker.first_keys = {
            r.column: self.state[r.parent_name][r.parent_column].iloc[0]
            for r in own
            if len(self.state[r.parent_name])
        }
        shrinker.models = [
            column_model(
                base.iloc[:, j], info.canonical.get(str(c)), droppable=c not in info.canonical
            )
            for j, c in enumerate(base.columns)
        ]
        stop = stop_reason(lambda: shrinker.run(base))
        changed = shrinker.cur is not base and shrinker.error is not None
        if changed:
            after = self.derive(name, base, shrinker.cur)
            self.state = {n: df.reset_index(drop=True) for n, df in after.items()}
            self.error = shrinker.error
        if stop is not None:
            raise Stop(stop)
        return changed


def _rounds(search: _Search, order: list[str]) -> None:
    """Shrink the tables in rounds, children first, until a round changes nothing."""
    while any([search.shrink_table(name) for name in reversed(order)]):
        pass


def _remap(
    child: pd.DataFrame, ref: Reference, old: pd.Series, new: pd.Series, changed: bool
) -> pd.DataFrame:
    """``child`` without the rows whose parent key is gone and with changed keys replaced;
    ``child`` itself when nothing changes."""
    if not changed:
        return child
    values = child[ref.column]
    live = old.notna().to_numpy()
    pos = pd.Index(old.to_numpy()[live]).get_indexer(values)
    null = values.isna().to_numpy()
    keep = null | (pos >= 0)
    out = child.loc[keep] if not keep.all() else child
    new_live = new.to_numpy()[live]
    old_live = old.to_numpy()[live]
    if not np.array_equal(new_live, old_live):
        kept_pos = pos[keep]
        kept_null = null[keep]
        column = out[ref.column].copy()
        picked = pd.Series(new_live[np.maximum(kept_pos, 0)], index=out.index).astype(column.dtype)
        column[~kept_null] = picked[~kept_null]
        out = out.copy()
        out[ref.column] = column
    return out


def shrink_tables(
    tables: Mapping[Any, pd.DataFrame],
    test: Callable[..., Any],
    *,
    contracts: Any = None,
    same_failure: bool = True,
    max_calls: int | None = None,
    timeout: float | None = None,
    progress: bool | None = None,
) -> TablesShrinkResult:
    """Find the smallest related tables on which ``test(tables)`` still fails the way it
    fails on ``tables``: fewer child rows, fewer parent rows (with their children), simpler
    values, every reference that holds in the input kept valid.

    ``tables`` maps contracts (or contract names, with ``contracts=[...]``) to frames;
    ``test`` receives a mapping keyed the same way (a :class:`~hypo_contracts.Tables` when
    keyed by contract). Every table must satisfy its contract. ``same_failure``,
    ``max_calls``, ``timeout`` and ``progress`` are as for :func:`hypo_contracts.shrink`.
    """
    if not isinstance(tables, Mapping) or not tables:
        raise TypeError("shrink_tables() expects a non-empty mapping contract -> frame")
    listed = list(contracts) if contracts is not None else []
    by_name = {contract_info(c, "shrink(contracts=...)").name: c for c in listed}
    keys: dict[str, Any] = {}
    infos: dict[str, ContractInfo] = {}
    state: dict[str, pd.DataFrame] = {}
    for key, df in tables.items():
        if isinstance(key, str):
            if key not in by_name:
                given = (
                    f"contracts=[{', '.join(by_name)}] has no contract of that name"
                    if by_name
                    else "no contracts=[...] were given"
                )
                raise bad_argument(
                    "shrink",
                    None,
                    f"the table {key!r} is keyed by name, but {given}; pass its contract in "
                    "contracts=[...], or key the mapping by contract.",
                )
            contract = by_name[key]
        else:
            contract = key
        info = contract_info(contract, "shrink(tables)")
        if not isinstance(df, pd.DataFrame):
            raise TypeError(f"shrink(): the value for {info.name} is not a DataFrame")
        try:
            validate(info, df)
        except ContractViolation as exc:
            raise ContractViolation(
                f"shrink(): the table {info.name} does not satisfy its contract, so no valid "
                f"smaller tables can be derived from it.\n{exc}",
                failures=exc.failures,
            ) from None
        keys[info.name], infos[info.name] = key, info
        state[info.name] = df.reset_index(drop=True)
    order = [
        info.name for _, info in table_order([by_name.get(n, keys[n]) for n in keys], "shrink")
    ]
    order = [n for n in order if n in state]
    with Display(progress) as display:
        budget = Budget(check_budget("shrink_tables", max_calls, timeout), timeout)
        search = _Search(keys, infos, state, test, same_failure, budget, display)
        try:
            search.calls += 1
            test(search.mapping(state))
        except Exception as exc:
            search.error = exc
        if search.error is None:
            raise TablesPass(
                "test did not raise on the original tables "
                f"({', '.join(f'{n}: {len(df)} rows' for n, df in state.items())}), so there is "
                "nothing to shrink."
            )
        stopped_by = stop_reason(lambda: _rounds(search, order))
    assert search.error is not None
    return TablesShrinkResult(
        tables=search.mapping(search.state),
        error=search.error,
        calls=search.calls,
        complete=stopped_by is None,
        stopped_by=stopped_by,
        elapsed=search.budget.elapsed(),
        test=test,
    )
