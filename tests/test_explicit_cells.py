"""Explicit cells: the few cells of a frame that Hypothesis draws itself (strategies.py)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from hypo_contracts import Float64, Int64, String, data_contract
from hypo_contracts.strategies import ExplicitCells, build_frame, explicit_cells


@data_contract
class Keyed:
    key = Int64().bounded_between(0, 50).is_unique()
    size = Int64().bounded_between(0, 9)
    note = String().max_length(3).is_optional()


@data_contract
class Ordered:
    start = Int64().bounded_between(0, 100)
    end = Int64().bounded_between(0, 100).at_least("start")


def _cols(contract):
    return list(contract.__contract__.canonical.values())


def _build(contract, n, explicit, seed=0):
    cols = _cols(contract)
    width = len(cols)
    full = np.full(n, 255, dtype=np.uint8)
    return build_frame(
        cols,
        n,
        seed,
        full,
        np.full(width, 255, dtype=np.uint8),
        np.full(width, 255, dtype=np.uint8),
        explicit,
        drop_simplest=False,
        min_rows=n,
        rules=contract.__contract__.rules,
    )


def test_the_explicit_cell_budget_grows_with_the_rows():
    assert [explicit_cells(n) for n in (1, 10, 15, 16, 32, 1_000, 100_000)] == [2, 2, 2, 3, 4, 4, 4]


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_explicit_cells_are_distinct_cells_within_the_frame(data):
    cols = _cols(Keyed)
    n = data.draw(st.integers(1, 40))
    cells = data.draw(ExplicitCells(cols).strategy(n))
    assert len(cells) <= explicit_cells(n)
    assert all(0 <= pos < n and 0 <= j < len(cols) for pos, (j, _) in cells)
    assert len({(pos, j) for pos, (j, _) in cells}) == len(cells)
    keys = [v for _, (j, v) in cells if j == 0]
    assert len(set(keys)) == len(keys)  # `key` is unique: explicit values never repeat


def test_an_explicit_cell_overwrites_only_its_own_cell():
    plain, _ = _build(Keyed, 8, [])
    df, differs = _build(Keyed, 8, [(5, (1, 7)), (2, (2, None))])
    assert df.loc[5, "size"] == 7 and df["note"].isna().iloc[2]
    assert df.drop(index=[5, 2]).equals(plain.drop(index=[5, 2]))
    assert df.loc[5, "key"] == plain.loc[5, "key"] and differs[[2, 5]].all()


def test_a_unique_explicit_value_keeps_its_row_and_the_bulk_gives_way():
    plain, _ = _build(Keyed, 8, [])
    taken = int(plain.loc[0, "key"])  # row 0's bulk value, now asked for at row 6
    df, _ = _build(Keyed, 8, [(6, (0, taken))])
    assert df.loc[6, "key"] == taken and df.loc[0, "key"] != taken
    assert not df["key"].duplicated().any()


def test_an_explicit_dependent_keeps_a_value_its_rule_allows_and_loses_one_it_does_not():
    plain, _ = _build(Ordered, 4, [])
    start = int(plain.loc[1, "start"])
    assert start == 28  # seed 0
    kept, _ = _build(Ordered, 4, [(1, (1, 100)), (2, (1, start))])
    assert kept.loc[1, "end"] == 100 and kept.loc[2, "end"] >= kept.loc[2, "start"]
    repaired, _ = _build(Ordered, 4, [(1, (1, start - 1))])  # breaks at_least("start")
    assert repaired.loc[1, "end"] >= start and repaired.loc[1, "end"] != start - 1
    for df in (kept, repaired):
        assert (df["end"] >= df["start"]).all()


def test_explicit_floats_take_hypothesis_values():
    @data_contract
    class Reals:
        x = Float64().bounded_between(-1, 1)

    df, _ = _build(Reals, 3, [(1, (0, 5e-324))])
    assert df.loc[1, "x"] == 5e-324
