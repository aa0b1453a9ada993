"""frames() and records(): arguments, dtypes, spread, and exact minimal examples."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from hypo_contracts import (
    Bool,
    Category,
    Date,
    Float64,
    Int16,
    Int64,
    String,
    Timestamp,
    data_contract,
    frames,
    records,
)
from hypo_contracts.examples import WineQuality
from tests.contract_strategies import STR


class _Found(Exception):
    pass


def minimal(strategy, condition, max_examples=1000):
    """The example Hypothesis reports for a test failing on ``condition`` (deterministic)."""
    found = []

    @settings(
        database=None,
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
        phases=[Phase.generate, Phase.shrink],  # no explain phase: we only want the minimum
    )
    @given(strategy)
    def run(value):
        if condition(value):
            found.append(value)
            raise _Found

    with pytest.raises(_Found):
        run()
    return found[-1]


@data_contract()
class Orders:
    order_id = Int64().lower_bound(1).is_unique()
    sku = String().regex(r"[A-Z]{3}-\d{4}")
    channel = String().accepted_values(["web", "store", "phone"])
    tier = Category(["bronze", "silver", "gold"])
    discount = Float64().bounded_between(0, 0.5).is_optional()
    note = String().min_length(2).max_length(8).is_optional()
    gift = Bool()
    placed_at = Timestamp(time_zone="UTC").bounded_between(
        pd.Timestamp("2020-01-01", tz="UTC"), pd.Timestamp("2025-12-31", tz="UTC")
    )
    day = Date().bounded_between("2020-01-01", "2020-12-31")
    count = Int16().is_optional()


ORDERS_DTYPES = {
    "order_id": "int64",
    "sku": STR,
    "channel": STR,
    "tier": "category",
    "discount": "float64",
    "note": STR,
    "gift": "bool",
    "placed_at": "datetime64[ns, UTC]",
    "day": "datetime64[ns]",
    "count": "Int16",
}


def collect(strategy, n=100):
    out = []

    @settings(
        max_examples=n, database=None, deadline=None, phases=[Phase.generate], derandomize=True
    )
    @given(strategy)
    def run(x):
        out.append(x)

    run()
    return out


# -- arguments ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"min_rows": 5, "max_rows": 2}, "min_rows=5 > max_rows=2"),
        ({"rows": 3, "min_rows": 1}, "Pass either rows=3"),
        ({"rows": 3, "max_rows": 9}, "Pass either rows=3"),
        ({"rows": -1}, "rows=-1 must be >= 0"),
        ({"rows": 2.5}, "rows=2.5 must be a whole number"),
        ({"min_rows": True}, "min_rows=True must be a whole number"),
        (
            {"columns": ["alcohol", "colour"]},
            "WineQuality has no column 'colour'. Its columns are:",
        ),
        ({"columns": "alcohol"}, "did you mean columns=['alcohol']"),
        ({"columns": ["pH", "pH"]}, "columns repeats 'pH'"),
    ],
)
def test_bad_arguments_are_invalid_argument(kwargs, message):
    with pytest.raises(InvalidArgument) as err:
        frames(WineQuality, **kwargs)
    assert message in str(err.value)


def test_unique_columns_bound_the_row_count():
    @data_contract
    class Flags:
        flag = Bool().is_unique()

    with pytest.raises(InvalidArgument, match="unique with only 2 possible values"):
        frames(Flags, rows=3)
    with pytest.raises(InvalidArgument, match="Pass max_rows=2 or fewer"):
        frames(Flags, max_rows=5)
    assert {len(df) for df in collect(frames(Flags), 50)} <= {0, 1, 2}


def test_records_check_their_arguments():
    with pytest.raises(InvalidArgument, match="no column 'x'"):
        records(WineQuality, columns=["x"])


# -- shape and dtypes -----------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(frames(Orders, max_rows=20))
def test_frames_have_exact_dtypes_and_a_range_index(df):
    assert df.dtypes.astype(str).to_dict() == ORDERS_DTYPES
    assert isinstance(df.index, pd.RangeIndex) and df.index.start == 0
    Orders.validate(df)


@settings(max_examples=20, deadline=None)
@given(frames(Orders, rows=7, columns=["gift", "order_id"]))
def test_rows_and_columns_select_and_order(df):
    assert list(df.columns) == ["gift", "order_id"] and len(df) == 7


def test_regex_digits_are_ascii_unless_unicode():
    @data_contract
    class Codes:
        ascii_code = String().regex(r"\d{3}")
        any_code = String().regex(r"\d{3}", unicode=True)

    found_unicode = False
    for df in collect(frames(Codes, min_rows=1, max_rows=10), 150):
        assert all(re.fullmatch("[0-9]{3}", v) for v in df["ascii_code"])
        found_unicode |= any(not v.isascii() for v in df["any_code"])
    assert found_unicode  # Hypothesis does generate other digits where asked to


def test_frames_are_not_degenerate():
    dfs = collect(frames(Orders, max_rows=30), 200)
    sizes = [len(df) for df in dfs]
    assert min(sizes) <= 1 and max(sizes) >= 25 and len(set(sizes)) >= 10
    everything = pd.concat(dfs, ignore_index=True)
    assert set(everything["channel"]) == {"web", "store", "phone"}
    assert set(everything["tier"].dropna()) == {"bronze", "silver", "gold"}
    assert set(everything["gift"]) == {False, True}
    for optional in ("discount", "note", "count"):
        assert everything[optional].isna().any(), optional
        assert everything[optional].notna().any(), optional
    assert (everything["discount"] == 0).any() and (everything["discount"] == 0.5).any()
    assert (everything["note"].str.len() == 2).any() and (everything["note"].str.len() == 8).any()


def test_unique_columns_are_unique_by_construction():
    @data_contract
    class Keys:
        small = Int64().bounded_between(0, 40).is_unique()
        code = String().max_length(1).is_unique()
        maybe = Int64().bounded_between(0, 100).is_unique().is_optional()

    for df in collect(frames(Keys, min_rows=30, max_rows=40), 60):
        for name in ("small", "code"):
            assert not df[name].duplicated().any()
        assert df["maybe"].isna().sum() <= 1 and not df["maybe"].dropna().duplicated().any()


# -- shrinking ------------------------------------------------------------------------------


def simplest_wine_row(quality):
    return {**{name: 0.0 for name in list(WineQuality.columns)[:-1]}, "quality": quality}


def test_a_one_row_bug_shrinks_to_one_simplest_row():
    df = minimal(frames(WineQuality, min_rows=1), lambda d: (d["quality"] > 7).any())
    assert df.to_dict("records") == [simplest_wine_row(8)]
    assert df.dtypes.astype(str).tolist() == ["float64"] * 11 + ["int64"]


def test_a_two_row_bug_shrinks_to_two_simplest_rows():
    df = minimal(frames(WineQuality, min_rows=1), lambda d: (d["quality"] >= 6).sum() >= 2)
    assert df.to_dict("records") == [simplest_wine_row(6), simplest_wine_row(6)]


def test_shrinking_finds_the_simplest_value_of_every_kind():
    @data_contract
    class Kinds:
        flag = Bool()
        tier = Category(["bronze", "silver", "gold"])
        word = String().min_length(1).max_length(5)
        sku = String().regex(r"[A-Z]{3}-\d{4}")
        n = Int64().bounded_between(3, 10)
        neg = Int64().bounded_between(-10, -2)
        maybe = Float64().is_optional()

    df = minimal(frames(Kinds, min_rows=1), lambda d: len(d) > 0)
    assert df.astype(object).to_dict("records") == [
        {
            "flag": False,
            "tier": "bronze",
            "word": "0",
            "sku": "AAA-0000",
            "n": 3,
            "neg": -2,
            "maybe": 0.0,
        }
    ]


def test_a_value_bug_shrinks_to_the_boundary_value():
    df = minimal(frames(Orders, min_rows=1), lambda d: (d["channel"] == "phone").any())
    assert len(df) == 1 and df.loc[0, "channel"] == "phone"
    assert df.loc[0, "tier"] == "bronze" and df.loc[0, "gift"] == np.False_
    assert df.loc[0, "order_id"] == 1


def test_from_type_and_records_shrink_too():
    row = minimal(records(Orders), lambda r: r["discount"] is None)
    assert row["discount"] is None and row["order_id"] == 1 and row["channel"] == "web"
    assert row["placed_at"] == pd.Timestamp("2020-01-01", tz="UTC")
    assert row["day"].isoformat() == "2020-01-01"


def test_hypothesis_interactive_draws_work():
    @settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.data())
    def run(data):
        df = data.draw(frames(WineQuality, rows=3))
        assert len(df) == 3

    run()
