"""Per-test narrowing of columns: frames(C, overrides=...), records and example."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from hypo_contracts import (
    Bool,
    Category,
    Date,
    Float64,
    Int32,
    Int64,
    InvalidArgument,
    String,
    Timedelta,
    Timestamp,
    data_contract,
    frames,
    records,
)
from tests.contract_strategies import contracts


@data_contract
class People:
    age = Int64().bounded_between(0, 120).is_optional()
    income = Float64().lower_bound(0)
    city = String().accepted_values(["Berlin", "Paris", "Rome"])
    code = String().regex(r"[A-Z]{2}\d{2}").is_unique()
    name = String().min_length(1).max_length(10)
    tier = Category(["bronze", "silver", "gold"])
    joined = Date().bounded_between("2020-01-01", "2020-12-31")
    seen = Timestamp().bounded_between("2024-01-01", "2024-12-31")
    vip = Bool()
    wait = Timedelta().bounded_between("0s", "1D")


NARROW = {
    "age": Int64().bounded_between(18, 30),
    "income": Float64().bounded_between(1_000, 2_000),
    "city": String().accepted_values(["Rome"]),
    "code": String().regex(r"[A-Z]{2}\d{2}").is_unique(),
    "name": String().min_length(3).max_length(4),
    "tier": Category(["bronze", "silver", "gold"], weights=[1, 1, 8]),
    "joined": Date().bounded_between("2020-06-01", "2020-06-30"),
    "seen": Timestamp().bounded_between("2024-03-01", "2024-03-02"),
    "wait": Timedelta().bounded_between("1min", "2min"),
}


def collect(strategy, n=60):
    out = []

    @settings(
        max_examples=n, database=None, deadline=None, phases=[Phase.generate], derandomize=True
    )
    @given(strategy)
    def run(x):
        out.append(x)

    run()
    return out


def check_narrow(df: pd.DataFrame) -> None:
    People.validate(df)  # still the contract's frames, dtypes included
    assert df["age"].between(18, 30).all() and df["age"].notna().all()
    assert str(df["age"].dtype) == "Int64"
    assert df["income"].between(1_000, 2_000).all()
    assert (df["city"] == "Rome").all()
    assert df["name"].str.len().between(3, 4).all()
    assert df["joined"].between("2020-06-01", "2020-06-30").all()
    assert df["seen"].between("2024-03-01", "2024-03-02").all()
    assert df["wait"].between(pd.Timedelta("1min"), pd.Timedelta("2min")).all()


def test_frames_with_overrides_stay_inside_the_override_and_the_contract():
    dfs = collect(frames(People, min_rows=1, max_rows=30, overrides=NARROW))
    for df in dfs:
        check_narrow(df)
    assert any(len(df) > 5 for df in dfs)


def test_example_with_overrides():
    df = People.example(5_000, seed=0, overrides=NARROW)
    check_narrow(df)
    assert (df["tier"] == "gold").mean() > 0.7


def test_records_with_overrides():
    for row in collect(records(People, overrides={"age": Int64().bounded_between(18, 30)})):
        assert 18 <= row["age"] <= 30


def test_overrides_follow_columns():
    for df in collect(frames(People, columns=["city"], overrides={"city": NARROW["city"]})):
        assert list(df.columns) == ["city"] and (df["city"] == "Rome").all()
    with pytest.raises(InvalidArgument, match="'age', which columns= leaves out"):
        frames(People, columns=["city"], overrides={"age": NARROW["age"]})


@pytest.mark.parametrize(
    ("name", "column", "reason"),
    [
        (
            "age",
            Int64().bounded_between(-1, 30),
            "its lower bound -1 is below the lower bound 0 of People.age",
        ),
        (
            "age",
            Int64().bounded_between(18, 130),
            "its upper bound 130 is above the upper bound 120 of People.age",
        ),
        ("age", Int32().bounded_between(18, 30), "it is a Int32 (int32) column and People.age"),
        ("age", Float64().bounded_between(18, 30), "it is a Float64 (float64) column"),
        (
            "income",
            Float64().bounded_between(0, 1).is_optional(),
            "it is optional and People.income is required (an optional column may be narrowed "
            "to a required one, not the reverse)",
        ),
        ("income", Float64().lower_bound(0).allow_infinity(), "it allows infinities"),
        (
            "city",
            String().accepted_values(["Rome", "Oslo"]),
            "its accepted value 'Oslo' is not allowed by People.city",
        ),
        ("city", String().max_length(3), "People.city accepts only ['Berlin', 'Paris', 'Rome']"),
        ("code", String().regex(r"[A-Z]{2}\d{2}"), "People.code is unique; keep .is_unique()"),
        ("code", String().regex(r"[A-Z]{2}\d").is_unique(), "keep the same regex"),
        ("name", String().max_length(4), "its minimum length 0 is below People.name's 1"),
        (
            "name",
            String().min_length(2),
            "its maximum length (unbounded) is above People.name's 10",
        ),
        (
            "name",
            String().accepted_values(["Al", "Bartholomew"]),
            "its accepted value 'Bartholomew' is not allowed by People.name",
        ),
        ("tier", Category(["gold"]), "its categories ['gold'] are not those of People.tier"),
        (
            "joined",
            Date().bounded_between("2019-12-31", "2020-01-05"),
            "its lower bound 2019-12-31 is below the lower bound 2020-01-01 of People.joined",
        ),
        (
            "seen",
            Timestamp().bounded_between("2024-06-01", "2025-01-01"),
            "its upper bound 2025-01-01 00:00:00 is above the upper bound 2024-12-31 00:00:00",
        ),
        ("seen", Date(), "it is a Date (datetime64[ns]) column and People.seen is a Timestamp"),
        (
            "wait",
            Timedelta().bounded_between("-1s", "1h"),
            "its lower bound -1 days +23:59:59 is below the lower bound 0 days 00:00:00 of "
            "People.wait",
        ),
    ],
)
def test_overrides_that_widen_the_contract_are_invalid(name, column, reason):
    with pytest.raises(InvalidArgument) as err:
        frames(People, overrides={name: column})
    message = str(err.value)
    assert message.startswith(f"frames(People, ...): overrides[{name!r}] = {column!r} widens")
    assert reason in message
    assert f"An override may only narrow People.{name} = {People.columns[name]!r}." in message


def test_every_entry_point_checks_overrides():
    bad = {"age": Int64().bounded_between(-5, 5)}
    with pytest.raises(InvalidArgument, match=r"^records\(People, \.\.\.\): overrides\['age'\]"):
        records(People, overrides=bad)
    with pytest.raises(InvalidArgument, match=r"^example\(People, \.\.\.\): overrides\['age'\]"):
        People.example(3, seed=0, overrides=bad)


def test_bad_override_arguments():
    with pytest.raises(InvalidArgument) as err:
        frames(People, overrides={"agee": Int64()})
    assert str(err.value) == (
        "frames(People, ...): overrides names 'agee', not a column of People. Its columns "
        "are: age, income, city, code, name, tier, joined, seen, vip, wait."
    )
    with pytest.raises(InvalidArgument, match="must be a dict of column name -> column"):
        frames(People, overrides=[("age", Int64())])
    with pytest.raises(InvalidArgument, match=r"overrides\['age'\] is 3, not a column such as"):
        frames(People, overrides={"age": 3})
    with pytest.raises(InvalidArgument) as err:
        frames(People, overrides={"age": Int64().bounded_between(30, 18)})
    assert str(err.value).startswith(
        "frames(People, ...): overrides['age']: People.age: bounded_between(30, 18) has its "
        "lower bound above its upper bound."
    )


def test_narrowing_to_the_same_column_changes_nothing():
    same = {name: People.columns[name] for name in People.columns}
    pd.testing.assert_frame_equal(
        People.example(200, seed=3, overrides=same), People.example(200, seed=3)
    )


@settings(max_examples=40, deadline=None, database=None)
@given(contracts(max_columns=4), st.data())
def test_every_generated_column_may_override_itself(generated, data):
    contract, _ = generated
    same = {name: column for name, column in contract.columns.items()}
    df = data.draw(frames(contract, max_rows=8, overrides=same))
    contract.validate(df)
    required = {
        name: dataclasses.replace(
            column, constraints=tuple(c for c in column.constraints if c[0] != "is_optional")
        )
        for name, column in contract.columns.items()
    }
    df = contract.example(30, seed=0, overrides=required)
    contract.validate(df)
    assert not df.isna().any().any()
    df = data.draw(frames(contract, max_rows=8, overrides=required))
    contract.validate(df)
    assert not df.isna().any().any()
