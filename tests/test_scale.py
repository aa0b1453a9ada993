"""Frames at ML scale (issue 3): big row counts, edge cases at scale, shrinking intact."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from hypo_contracts import (
    Bool,
    Category,
    Date,
    Float64,
    Int64,
    String,
    Timestamp,
    data_contract,
    frames,
)
from hypo_contracts.examples import WineQuality
from tests.test_strategies import minimal


@data_contract
class Everything:
    order_id = Int64().lower_bound(1).is_unique()
    sku = String().regex(r"[A-Z]{3}-\d{4}").is_unique()
    channel = String().accepted_values(["web", "store", "phone"])
    tier = Category(["bronze", "silver", "gold"]).is_optional()
    discount = Float64().bounded_between(-0.5, 0.5).is_optional()
    note = String().max_length(8).is_optional()
    gift = Bool()
    placed_at = Timestamp(time_zone="UTC").bounded_between(
        pd.Timestamp("2020-01-01", tz="UTC"), pd.Timestamp("2025-12-31", tz="UTC")
    )
    day = Date().bounded_between("2020-01-01", "2020-12-31")
    count = Int64().bounded_between(-3, 1_000_000).is_optional()


@pytest.mark.slow
@settings(max_examples=3, deadline=None, database=None)
@given(frames(Everything, rows=100_000))
def test_one_hundred_thousand_rows_of_every_type(df):
    assert len(df) == 100_000
    Everything.validate(df)


@settings(max_examples=10, deadline=None, database=None)
@given(frames(Everything, min_rows=1_000, max_rows=5_000))
def test_thousands_of_rows_validate(df):
    assert 1_000 <= len(df) <= 5_000
    Everything.validate(df)


def test_edge_cases_survive_at_scale():
    seen: list[pd.DataFrame] = []

    @settings(
        max_examples=100,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(frames(Everything, rows=1_000))
    def run(df):
        seen.append(df)

    run()
    assert len(seen) == 100
    everything = pd.concat(seen, ignore_index=True)
    discount, count = everything["discount"], everything["count"]
    assert {-0.5, 0.0, 0.5} <= set(discount.dropna())
    assert {-3, 0, 1_000_000} <= set(count.dropna())
    assert everything["note"].eq("").any() and everything["note"].str.len().eq(8).any()
    for optional in ("tier", "discount", "note", "count"):
        assert everything[optional].isna().any(), optional
    placed = everything["placed_at"]
    assert placed.min() == pd.Timestamp("2020-01-01", tz="UTC")
    assert placed.max() == pd.Timestamp("2025-12-31", tz="UTC")


def simplest_row(frame: pd.DataFrame) -> pd.Series:
    return frame.drop(columns="quality").iloc[0]


def test_fixed_row_counts_shrink_every_bystander_to_the_simplest_row():
    df = minimal(frames(WineQuality, rows=500), lambda d: (d["quality"] > 7).any())
    assert len(df) == 500
    culprits = df.index[df["quality"] != 0].tolist()
    assert len(culprits) == 1 and df.loc[culprits[0], "quality"] == 8
    assert (df.drop(columns="quality") == 0.0).all().all()
    assert (df.drop(index=culprits)["quality"] == 0).all()


def test_variable_row_counts_shrink_a_one_row_bug_to_one_row():
    df = minimal(
        frames(WineQuality, min_rows=1, max_rows=2_000), lambda d: (d["alcohol"] > 15).any()
    )
    assert len(df) == 1
    assert df.loc[0, "alcohol"] > 15
    assert (df.drop(columns="alcohol").iloc[0] == 0).all()


def test_unique_columns_shrink_to_distinct_simplest_values():
    df = minimal(frames(Everything, rows=100), lambda d: (d["channel"] == "phone").any())
    assert df["order_id"].tolist() == list(range(1, 101))
    assert (df["channel"] == "phone").sum() == 1
    assert not df["sku"].duplicated().any()


def test_failing_big_frames_note_only_the_rows_that_differ():
    @settings(
        max_examples=200,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate, Phase.shrink],
    )
    @given(frames(WineQuality, rows=500))
    def test_pipeline(df):
        assert (df["quality"] <= 7).all()

    with pytest.raises(AssertionError) as err:
        test_pipeline()
    ours = [n for n in getattr(err.value, "__notes__", []) if n.startswith("frames(")]
    assert len(ours) == 1
    head, columns, *rows = ours[0].splitlines()
    assert head.startswith("frames(WineQuality): 500 rows; the 1 row(s) that differ from the")
    assert columns.split()[-1] == "quality"
    assert len(rows) == 1 and rows[0].split()[-1] == "8"


def test_failures_replay_from_the_database_and_from_a_seed():
    from hypothesis import seed
    from hypothesis.database import InMemoryExampleDatabase

    db = InMemoryExampleDatabase()
    seen: list[pd.DataFrame] = []

    def run_once(**extra):
        @settings(
            database=db,
            max_examples=200,
            deadline=None,
            phases=[Phase.reuse, Phase.generate, Phase.shrink],
            **extra,
        )
        @given(frames(WineQuality, rows=1_000))
        def test_pipeline(df):
            seen.append(df)
            assert (df["alcohol"] <= 19).all()

        with pytest.raises(AssertionError):
            test_pipeline()

    run_once()
    minimal_frame = seen[-1]
    seen.clear()
    run_once()  # the saved failure is replayed first, straight from the database
    pd.testing.assert_frame_equal(seen[0], minimal_frame)

    frames_by_run = []
    for _ in range(2):
        seen.clear()

        @seed(1234)
        @settings(database=None, max_examples=5, deadline=None, phases=[Phase.generate])
        @given(frames(WineQuality, min_rows=10, max_rows=2_000))
        def explore(df):
            seen.append(df)

        explore()
        frames_by_run.append(list(seen))
    for a, b in zip(*frames_by_run, strict=True):
        pd.testing.assert_frame_equal(a, b)


# -- many frames per test case (issue 11) -----------------------------------------------------


@data_contract
class Sensors:
    sensor = String().accepted_values(["s1", "s2", "s3"])
    at = Timestamp(time_zone="UTC").bounded_between(
        pd.Timestamp("2024-01-01", tz="UTC"), pd.Timestamp("2024-12-31", tz="UTC")
    )
    value = Float64().bounded_between(-5, 5).is_optional()


MANY = settings(max_examples=15, deadline=None, database=None)


def test_three_big_frames_in_one_test_case():
    @MANY
    @given(
        frames(Everything, rows=2_000),
        frames(Sensors, rows=1_000),
        frames(WineQuality, rows=20_000),
    )
    def run(orders, sensors, wine):
        assert (len(orders), len(sensors), len(wine)) == (2_000, 1_000, 20_000)

    run()


def test_five_frames_of_ten_thousand_rows():
    @MANY
    @given(st.tuples(*[frames(WineQuality, rows=10_000)] * 5))
    def run(many):
        assert [len(f) for f in many] == [10_000] * 5

    run()


def test_a_list_of_eight_frames():
    @MANY
    @given(st.lists(frames(WineQuality, rows=1_000), min_size=8, max_size=8))
    def run(many):
        assert len(many) == 8 and all(len(f) == 1_000 for f in many)

    run()


def test_twenty_frames_drawn_interactively():
    @MANY
    @given(st.data())
    def run(data):
        for _ in range(20):
            assert len(data.draw(frames(Everything, rows=500))) == 500

    run()


def non_simplest_rows(df: pd.DataFrame) -> list[int]:
    return df.index[(df != df.iloc[0] * 0).any(axis=1)].tolist()


@pytest.mark.parametrize("rows", [1_000, 10_000, 100_000])
def test_past_a_thousand_rows_the_culprit_is_the_only_non_simple_row(rows):
    df = minimal(frames(WineQuality, rows=rows), lambda d: (d["quality"] > 7).any(), 200)
    assert len(df) == rows
    culprits = df.index[df["quality"] != 0].tolist()
    assert len(culprits) == 1 and df.loc[culprits[0], "quality"] == 8
    assert (df.drop(columns="quality") == 0.0).all().all()


def test_two_frames_with_the_bug_in_one_shrink_the_other_to_its_simplest():
    pair = st.tuples(frames(WineQuality, min_rows=1, max_rows=500), frames(Sensors, rows=300))
    wine, sensors = minimal(pair, lambda p: (p[0]["alcohol"] > 15).any())
    assert len(wine) == 1 and wine.loc[0, "alcohol"] > 15
    assert (wine.drop(columns="alcohol").iloc[0] == 0).all()
    assert len(sensors) == 300
    assert (sensors["sensor"] == "s1").all() and (sensors["value"] == 0.0).all()
    assert (sensors["at"] == pd.Timestamp("2024-01-01", tz="UTC")).all()


def test_a_two_row_interaction_in_a_variable_frame_shrinks_to_two_rows():
    df = minimal(
        frames(WineQuality, min_rows=1, max_rows=250), lambda d: (d["quality"] >= 6).sum() >= 2
    )
    assert (
        df.to_dict("records")
        == [{**{name: 0.0 for name in list(WineQuality.columns)[:-1]}, "quality": 6}] * 2
    )


def test_past_the_dense_rows_a_two_row_interaction_keeps_at_most_its_grid_box():
    """Beyond DENSE_ROWS rows sit on a grid: two culprits in different grid rows and columns
    keep the two other corners of their box alive (docs/design.md)."""
    df = minimal(
        frames(WineQuality, min_rows=1, max_rows=2_000), lambda d: (d["quality"] >= 6).sum() >= 2
    )
    assert 2 <= len(df) <= 4
    assert (df["quality"] == 6).sum() == 2
    assert (df.drop(columns="quality") == 0.0).all().all()
