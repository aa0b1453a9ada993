"""Regressions found by trying the library as a new user, on contracts from other domains."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from hypo_contracts import (
    Bool,
    Category,
    ContractError,
    ContractViolation,
    Date,
    Int8,
    Int64,
    String,
    Timestamp,
    data_contract,
    frames,
    records,
    with_values,
)
from hypo_contracts._bulk import make_unique, to_series
from hypo_contracts.constraints import NS_MAX, NS_MIN, NS_PER_DAY

SHRINK = settings(
    max_examples=300,
    deadline=None,
    phases=[Phase.generate, Phase.shrink],
    derandomize=True,
    database=None,
)


def error_for(**columns: object) -> str:
    with pytest.raises(ContractError) as err:
        data_contract(type("C", (), dict(columns)))
    return str(err.value)


# -- unique + optional: one more row than distinct values, the extra row is the null -------


@data_contract
class Tiny:
    small = Int8().bounded_between(-2, 2).is_unique().is_optional()
    flag = Bool().is_unique().is_optional()
    tier = Category(["a", "b"]).is_unique().is_optional()


def test_example_fills_a_nullable_unique_column_to_capacity_plus_one_null():
    df = Tiny.example(3, seed=0)
    Tiny.validate(df)
    assert df["flag"].isna().sum() == 1
    assert sorted(df["flag"].dropna().tolist()) == [False, True]
    assert df["tier"].isna().sum() == 1
    with pytest.raises(
        InvalidArgument, match=r"only 3 possible values \(2 distinct values and one null\)"
    ):
        Tiny.example(4, seed=0)


@settings(max_examples=30, deadline=None)
@given(frames(Tiny, rows=3))
def test_frames_fill_a_nullable_unique_column_to_capacity_plus_one_null(df):
    Tiny.validate(df)
    assert df["flag"].isna().sum() == 1


def test_make_unique_turns_the_lowest_priority_repeat_into_the_null():
    c = Tiny.__contract__.canonical["flag"]
    raw = np.array([False, False, False])
    nulls = np.zeros(3, dtype=bool)
    make_unique(c, raw, nulls, np.array([2, 0, 1]))
    assert nulls.tolist() == [False, True, False]
    assert raw[[0, 2]].tolist() == [True, False]


# -- time zones ----------------------------------------------------------------------------


@pytest.mark.pandas3
def test_unbounded_non_utc_timestamps_stay_printable():
    @data_contract
    class Sensor:
        at = Timestamp(time_zone="Europe/Berlin")
        utc = Timestamp(time_zone="UTC")

    at, utc = Sensor.__contract__.canonical["at"], Sensor.__contract__.canonical["utc"]
    assert (at.lo, at.hi) == (NS_MIN + NS_PER_DAY, NS_MAX - NS_PER_DAY)
    assert (utc.lo, utc.hi) == (NS_MIN, NS_MAX)
    extremes = to_series(at, np.array([at.lo, at.hi]), None, "at")
    assert "2262-04-11 01:47:16.854775807+02:00" in extremes.to_string()  # a local wall time
    Sensor.validate(pd.DataFrame({"at": extremes, "utc": pd.Series([0, 0]).astype(utc.dtype)}))


def test_time_zone_must_be_a_name_or_tzinfo():
    assert "time zone is a name such as 'UTC'" in error_for(t=Timestamp(time_zone=5))  # type: ignore[arg-type]

    @data_contract
    class Zoned:
        t = Timestamp(time_zone=dt.timezone.utc)  # type: ignore[arg-type]

    assert Zoned.__contract__.canonical["t"].tz == "UTC"


# -- validate ------------------------------------------------------------------------------


@data_contract
class Loaded:
    at = Timestamp(time_zone="UTC").is_optional()
    day = Date()
    flag = Bool().is_optional()
    n = Int64().is_optional()
    tier = Category([1, 2, 3])
    key = Timestamp().is_optional().is_unique()


def loaded() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "at": pd.to_datetime(["2021-01-01 10:00", "2021-01-02 00:00"], utc=True).as_unit("us"),
            "day": pd.to_datetime(["2021-01-01", "2021-01-02"]).as_unit("s"),
            "flag": [True, False],
            "n": pd.array([1, None], dtype="Int64"),
            "tier": pd.Categorical([1, 3], categories=[1, 2, 3]),
            "key": pd.to_datetime(["2021-01-01", None]),
        }
    )


def test_validate_accepts_what_pandas_loads():
    df = loaded()
    assert str(df["at"].dtype) == "datetime64[us, UTC]"
    assert Loaded.validate(df) is df
    assert str(df["at"].dtype) == "datetime64[us, UTC]"  # not changed in place


def violation(df: pd.DataFrame) -> list[str]:
    with pytest.raises(ContractViolation) as err:
        Loaded.validate(df)
    return str(err.value).splitlines()


def test_validate_names_repeated_nulls_in_a_unique_column():
    df = loaded()
    df["key"] = pd.to_datetime([None, None])
    assert violation(df) == [
        "Loaded: 1 failing check in 1 column",
        "  - key: field_uniqueness failed: 2 nulls (rows 0, 1); a unique column holds at most "
        "one null",
    ]


def test_validate_reports_a_wrong_dtype_once_with_a_hint():
    df = loaded()
    df["at"] = df["at"].dt.tz_localize(None)
    df["n"] = [1.0, np.nan]
    df["tier"] = pd.Categorical([1, 4], categories=[1, 2, 4])
    assert violation(df) == [
        "Loaded: 3 failing checks in 3 columns",
        "  - tier: expected dtype('category') with categories [1, 2, 3], got category with "
        "categories [1, 2, 4]",
        "  - at: expected dtype('datetime64[ns, UTC]'), got datetime64[us]",
        "  - n: expected dtype('Int64'), got float64 (integers with blanks read as floats: "
        "convert with .astype('Int64'))",
    ]


def test_validate_checks_the_order_of_categories():
    df = loaded()
    df["tier"] = pd.Categorical([1, 3], categories=[3, 2, 1])
    assert violation(df)[1] == (
        "  - tier: categories [3, 2, 1] are not in the declared order [1, 2, 3] (the codes "
        "differ); use .cat.reorder_categories([1, 2, 3])"
    )


# -- shrinking -----------------------------------------------------------------------------


@data_contract
class Orders:
    order_id = Int64().lower_bound(1).is_unique()
    channel = String().accepted_values(["web", "store"])
    placed_at = Timestamp(time_zone="UTC").bounded_between(
        pd.Timestamp("2020-01-01", tz="UTC"), pd.Timestamp("2025-12-31", tz="UTC")
    )
    note = String().min_length(2).max_length(8)


def test_a_frame_that_needs_three_rows_shrinks_to_three_simplest_rows():
    seen: list[pd.DataFrame] = []

    @SHRINK
    @given(frames(Orders))
    def needs_three_rows(df):
        if len(df) >= 3:
            seen.append(df)
            raise AssertionError

    with pytest.raises(AssertionError):
        needs_three_rows()
    start = pd.Timestamp("2020-01-01", tz="UTC")
    assert seen[-1].to_dict("list") == {
        "order_id": [1, 2, 3],
        "channel": ["web"] * 3,
        "placed_at": [start] * 3,
        "note": ["00"] * 3,
    }


# -- declarations and arguments ------------------------------------------------------------


def test_example_checks_its_seed():
    with pytest.raises(
        InvalidArgument, match=r"^example\(Orders, \.\.\.\): seed='a' must be an int"
    ):
        Orders.example(2, seed="a")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"seed=-1"):
        Orders.example(2, seed=-1)
    assert Orders.example(2, seed=np.int64(3)).equals(Orders.example(2, seed=3))


def test_constraint_messages_echo_what_the_user_wrote():
    assert String().accepted_values(["a", "b"]).__repr__() == "String().accepted_values(['a', 'b'])"
    assert error_for(s=String().accepted_values([])) == (
        "C.s: accepted_values([]) accepts nothing; list at least one value."
    )
    assert error_for(s=String().accepted_values(["a"]).accepted_values(["b"])) == (
        "C.s: accepted_values(['a']) and accepted_values(['b']) have no value in common."
    )


def test_date_bounds_accept_datetime64_and_round_times_inwards():
    @data_contract
    class Days:
        d = Date().bounded_between(
            np.datetime64("2021-01-01T12:00"), pd.Timestamp("2021-01-03 18:00")
        )

    c = Days.__contract__.canonical["d"]
    assert (c.lo, c.hi) == (
        (dt.date(2021, 1, 2) - dt.date(1970, 1, 1)).days,
        (dt.date(2021, 1, 3) - dt.date(1970, 1, 1)).days,
    )
    assert "Date columns are naive" in error_for(
        d=Date().lower_bound(pd.Timestamp("2021-01-01", tz="UTC"))
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"__weird__": Int64()}, "C.__weird__: names with leading and trailing double underscores"),
        ({"x": Int64, "y": Int64()}, "C.x: Int64 is a column type, not a column; write Int64()"),
        (
            {"x": (Int64(),), "y": Int64()},
            "C.x: a tuple of columns, not a column (a trailing comma",
        ),
    ],
)
def test_declarations_that_would_be_silently_ignored_are_errors(body, message):
    assert message in error_for(**body)


def test_strict_must_be_a_bool():
    with pytest.raises(TypeError, match=r"strict='yes'"):
        data_contract(strict="yes")  # type: ignore[arg-type]


def test_an_undecorated_subclass_is_not_taken_for_its_parent():
    class More(Orders):  # type: ignore[misc, valid-type]
        extra = Int64()

    with pytest.raises(InvalidArgument, match=r"frames\(\): More subclasses the contract Orders"):
        frames(More)
    with pytest.raises(InvalidArgument, match="Put @data_contract above class More"):
        records(More)
    with pytest.raises(TypeError, match=r"More\.example\(\): More subclasses"):
        More.example(2)

    @settings(max_examples=1, database=None)
    @given(st.from_type(More))
    def resolved(df):
        raise AssertionError("unreachable")

    with pytest.raises(TypeError, match="Put @data_contract above class More"):
        resolved()


def test_row_arguments_name_the_function_and_contract():
    with pytest.raises(InvalidArgument, match=r"^frames\(Orders, \.\.\.\): rows='3' must be"):
        frames(Orders, rows="3")  # type: ignore[arg-type]


@settings(max_examples=5)
@given(frames(Orders, columns=[], rows=3))
def test_frames_with_no_columns_keep_the_row_count(df):
    assert df.shape == (3, 0)


def test_pinning_still_checks_values_on_the_new_contracts():
    with pytest.raises(ContractError, match=r"Orders\.channel: pinned value 'mail' at position 1"):
        with_values(Orders, {"channel": ["web", "mail"]})


# -- regex sampling ------------------------------------------------------------------------


def test_nullable_unique_regex_columns_are_filled_and_deterministic():
    @data_contract
    class Users:
        phone = String().regex(r"\+1-\d{3}-\d{3}-\d{4}").is_optional().is_unique()

    df = Users.example(2_000, seed=4)
    Users.validate(df)
    assert df.equals(Users.example(2_000, seed=4))
    assert df["phone"].isna().sum() == 1  # extra nulls became fresh matches


def test_unique_regex_columns_bound_the_row_count_by_their_language() -> None:
    from hypothesis.errors import InvalidArgument

    from hypo_contracts import String, data_contract, frames

    @data_contract
    class TwoDigits:
        code = String().regex(r"\d\d").is_optional().is_unique()

    with pytest.raises(InvalidArgument, match="unique with only 101 possible values"):
        frames(TwoDigits, rows=200)
    with pytest.raises(InvalidArgument, match="Pass max_rows=101 or fewer"):
        frames(TwoDigits, max_rows=150)
    frames(TwoDigits, rows=101)  # 100 codes and one null: allowed
