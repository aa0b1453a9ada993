"""Timedelta columns: timedelta64[ns], bounds as durations, simplest 0 clamped, NaT as null."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import find, given, settings

from hypo_contracts import (
    ContractError,
    ContractViolation,
    Timedelta,
    data_contract,
    frames,
    records,
)


@data_contract
class Calls:
    duration = Timedelta().bounded_between("1s", "2h")
    wait = Timedelta().lower_bound(pd.Timedelta(0)).is_optional()
    offset = Timedelta().upper_bound(dt.timedelta(minutes=-1)).is_unique()
    any_gap = Timedelta()


def test_example_has_the_dtype_bounds_and_nulls():
    df = Calls.example(2_000, seed=0)
    assert df.dtypes.astype(str).tolist() == ["timedelta64[ns]"] * 4
    assert df["duration"].between(pd.Timedelta("1s"), pd.Timedelta("2h")).all()
    assert (df["wait"].dropna() >= pd.Timedelta(0)).all() and df["wait"].isna().any()
    assert (df["offset"] <= pd.Timedelta("-1min")).all() and df["offset"].is_unique
    assert df["any_gap"].notna().all()
    Calls.validate(df)


@settings(max_examples=40, deadline=None, database=None)
@given(frames(Calls, max_rows=30))
def test_frames_satisfy_the_contract(df):
    assert Calls.validate(df) is df


def test_simplest_values_are_zero_clamped_into_range():
    df = find(frames(Calls, min_rows=1), lambda df: len(df) > 0, settings=settings(database=None))
    assert df.to_dict("records") == [
        {
            "duration": pd.Timedelta("1s"),
            "wait": pd.Timedelta(0),
            "offset": pd.Timedelta("-1min"),
            "any_gap": pd.Timedelta(0),
        }
    ]
    row = find(records(Calls), lambda r: r["any_gap"] < pd.Timedelta(0))
    assert row["any_gap"] == pd.Timedelta(-1) and isinstance(row["duration"], pd.Timedelta)


def test_validate_checks_bounds_and_dtype():
    good = Calls.example(3, seed=1)
    late = good.assign(duration=pd.to_timedelta(["3h", "1s", "1s"]))
    with pytest.raises(
        ContractViolation, match=r"duration: less_than_or_equal_to\(0 days 02:00:00\)"
    ):
        Calls.validate(late)
    with pytest.raises(ContractViolation, match="duration"):
        Calls.validate(good.assign(duration=[1, 2, 3]))
    Calls.validate(good.assign(duration=good["duration"].dt.round("s").astype("timedelta64[s]")))
    Calls.validate(good.assign(duration=good["duration"].astype("duration[ns][pyarrow]")))


def test_coerce_reads_duration_text():
    text = pd.DataFrame(
        {
            "duration": ["1h", "00:00:05"],
            "wait": [None, "2 days"],
            "offset": ["-1h", "-2h"],
            "any_gap": ["0s", "-3ms"],
        }
    )
    out = Calls.coerce(text)
    assert out["duration"].tolist() == [pd.Timedelta("1h"), pd.Timedelta("5s")]
    Calls.validate(out)


@pytest.mark.parametrize(
    ("column", "message"),
    [
        (
            Timedelta().lower_bound(5),
            "C.x: lower_bound(5): 5 is not a duration (pass a pd.Timedelta, timedelta or a "
            "string like '1h').",
        ),
        (Timedelta().upper_bound("soon"), "C.x: upper_bound('soon'): 'soon' is not a duration"),
        (
            Timedelta().bounded_between("2h", "1h"),
            "C.x: bounded_between('2h', '1h') has its lower bound above its upper bound.",
        ),
        (
            Timedelta().lower_bound("1h").upper_bound("30min"),
            "lower bound 0 days 01:00:00 > upper bound 0 days 00:30:00",
        ),
        (Timedelta().lower_bound(np.timedelta64("NaT", "ns")), "is not a duration (NaT)"),
    ],
)
def test_contradictions_are_contract_errors(column, message):
    with pytest.raises(ContractError) as err:
        data_contract(type("C", (), {"x": column}))
    assert message in str(err.value)


def test_repr():
    assert repr(Timedelta().bounded_between("1s", "2h").is_optional()) == (
        "Timedelta().bounded_between('1s', '2h').is_optional()"
    )


def test_shrinking_and_patterns_handle_durations():
    from hypo_contracts.patterns import with_values
    from hypo_contracts.shrinking import shrink

    def pipeline(df):
        if (df["duration"] > pd.Timedelta("1h")).any():
            raise ValueError("a long call")

    result = shrink(Calls.example(300, seed=0), pipeline, contract=Calls)
    # from the simplest duration (1s, the lower bound) in the coarsest whole unit that fails
    assert len(result.frame) == 1 and result.frame["duration"].iloc[0] == pd.Timedelta("1h1s")
    assert result.frame["any_gap"].iloc[0] == pd.Timedelta(0)
    pinned = with_values(Calls, {"duration": ["5s", pd.Timedelta("1h")]})
    df = find(pinned, lambda df: True, settings=settings(database=None))
    assert df["duration"].tolist() == [pd.Timedelta("5s"), pd.Timedelta("1h")]
    with pytest.raises(ContractError, match="duration"):
        with_values(Calls, {"duration": ["3h"]})
