"""The declaration language: columns, contracts, and every contradiction named at declaration."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import hypo_contracts as hc
from hypo_contracts import (
    Bool,
    Category,
    ContractError,
    Date,
    Float32,
    Float64,
    Int8,
    Int64,
    String,
    Timestamp,
    UInt8,
    data_contract,
)


def declare(**columns):
    return data_contract(type("C", (), columns))


def error_for(**columns) -> str:
    with pytest.raises(ContractError) as err:
        declare(**columns)
    return str(err.value)


def test_columns_are_immutable_and_chainable():
    base = Float64()
    bounded = base.bounded_between(0, 14)
    optional = bounded.is_optional()
    assert repr(base) == "Float64()"
    assert repr(bounded) == "Float64().bounded_between(0, 14)"
    assert repr(optional) == "Float64().bounded_between(0, 14).is_optional()"
    assert bounded != optional and hash(bounded) != hash(optional)
    assert bounded == Float64().bounded_between(0, 14)


def test_reprs_of_parametrised_columns():
    assert repr(Category(["a", "b"]).is_unique()) == "Category(['a', 'b']).is_unique()"
    assert repr(Timestamp(time_zone="UTC")) == "Timestamp(time_zone='UTC')"
    assert repr(String().regex(r"\d+", unicode=True)) == r"String().regex('\\d+', True)"


def test_constraints_exist_only_where_they_make_sense():
    with pytest.raises(AttributeError):
        Float64().regex("x")  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        Bool().lower_bound(0)  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match="list of values"):
        Int64().accepted_values("abc")
    with pytest.raises(TypeError, match="list of categories"):
        Category("abc")


def test_contract_class_api():
    @data_contract()
    class Orders:
        order_id = Int64().lower_bound(1).is_unique()
        channel = String().accepted_values(["web", "store"])

    assert list(Orders.columns) == ["order_id", "channel"]
    assert Orders.columns["channel"] == String().accepted_values(["web", "store"])
    assert Orders.order_id == Int64().lower_bound(1).is_unique()
    assert repr(Orders) == "<contract Orders: order_id, channel>"
    assert Orders.__name__ == "Orders" and Orders.__module__ == __name__
    with pytest.raises(TypeError, match="is not instantiated"):
        Orders()


def test_bare_decorator_and_inheritance():
    @data_contract
    class Base:
        a = Int64()
        b = Float64()

    @data_contract
    class Extended(Base):
        c = Bool()
        b = Float64().bounded_between(0, 1)  # replaced, keeps its position

    assert list(Extended.columns) == ["a", "b", "c"]
    assert Extended.columns["b"] == Float64().bounded_between(0, 1)
    assert list(Base.columns) == ["a", "b"]


def test_from_type_resolves_to_frames():
    @data_contract
    class Small:
        x = Int8()

    @settings(max_examples=5, database=None)
    @given(st.from_type(Small))
    def run(df):
        assert list(df.columns) == ["x"] and str(df["x"].dtype) == "int8"

    run()


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (
            {"n": Int64().bounded_between(5, 1)},
            "C.n: bounded_between(5, 1) has its lower bound above",
        ),
        (
            {"n": Int64().lower_bound(5).upper_bound(1)},
            "C.n: lower_bound(5) and upper_bound(1) leave no value: lower bound 5 > upper bound 1.",
        ),
        (
            {"n": Int64().bounded_between(0, 10).accepted_values([11, 12])},
            "C.n: accepted_values([11, 12]) leaves no value that satisfies bounded_between(0, 10)",
        ),
        (
            {"s": String().accepted_values(["a", "bbbb"]).max_length(2).min_length(2)},
            "C.s: accepted_values(['a', 'bbbb']) leaves no value that satisfies min_length(2) and max_length(2)",
        ),
        ({"s": String().min_length(5).max_length(2)}, "C.s: min_length(5) > max_length(2)"),
        (
            {"s": String().regex(r"\d{4}").max_length(3)},
            r"C.s: regex('\\d{4}') matches nothing shorter than 4 characters, but max_length(3).",
        ),
        (
            {"s": String().regex(r"[ab]{1,2}").min_length(3)},
            "C.s: regex('[ab]{1,2}') matches nothing longer than 2 characters, but min_length(3).",
        ),
        ({"s": String().regex("(")}, "C.s: regex('(') is not a valid regular expression"),
        (
            {"s": String().regex("(ab|cde)*").min_length(1).max_length(1)},
            "C.s: regex('(ab|cde)*') has no match allowed by min_length(1) and max_length(1)",
        ),
        (
            {"n": UInt8().upper_bound(300)},
            "C.n: upper_bound(300) is outside uint8's range [0, 255].",
        ),
        ({"n": Int8().lower_bound(-129)}, "C.n: lower_bound(-129) is outside int8's range"),
        (
            {"n": Int64().accepted_values([1.5])},
            "C.n: accepted_values([1.5]): 1.5 is not an integer.",
        ),
        ({"n": Int64().lower_bound("3")}, "C.n: lower_bound('3'): bounds of an integer column"),
        (
            {"x": Float64().lower_bound(float("nan"))},
            "C.x: lower_bound(nan): bounds of a float column",
        ),
        (
            {"x": Float64().bounded_between(0, 1).allow_infinity()},
            "C.x: allow_infinity() cannot be met",
        ),
        (
            {"x": Float32().bounded_between(0.1, 0.1)},
            "C.x: bounded_between(0.1, 0.1): no float32 lies in [0.1, 0.1]",
        ),
        ({"c": Category([])}, "C.c: Category([]) has no categories."),
        ({"c": Category(["a", "a"])}, "C.c: Category(['a', 'a']): category 'a' is repeated."),
        ({"c": Category(["a", None])}, "null is not a category"),
        (
            {"t": Timestamp(time_zone="Mars/Olympus")},
            "C.t: Timestamp(time_zone='Mars/Olympus'): unknown",
        ),
        (
            {"t": Timestamp(time_zone="UTC").lower_bound("2020-01-01")},
            "C.t: lower_bound('2020-01-01'): the bound is naive but the column is in UTC",
        ),
        (
            {"t": Timestamp().lower_bound(pd.Timestamp("2020-01-01", tz="UTC"))},
            "the bound has a time zone but the column is naive",
        ),
        ({"t": Timestamp().lower_bound("not a date")}, "is not a timestamp"),
        (
            {"d": Date().lower_bound("2020-13-01")},
            "C.d: lower_bound('2020-13-01'): '2020-13-01' is not an ISO date",
        ),
        (
            {"d": Date().bounded_between(dt.date(2021, 1, 1), dt.date(2020, 1, 1))},
            "C.d: bounded_between(datetime.date(2021, 1, 1), datetime.date(2020, 1, 1)) has its lower bound above",
        ),
        ({"s": String().regex("a").regex("b")}, "one regex per column"),
        # issue 9, item 8: misleading or missing declaration errors
        (
            {"n": Int64().bounded_between(0.2, 0.8)},
            "C.n: bounded_between(0.2, 0.8): no whole number lies in [0.2, 0.8]",
        ),
        (
            {"n": Int8().lower_bound(1.1).upper_bound(1.9)},
            "C.n: lower_bound(1.1) and upper_bound(1.9): no whole number lies in [1.1, 1.9], so the int8 column",
        ),
        (
            {"x": Float32().upper_bound(1e40)},
            "C.x: upper_bound(1e+40) is outside float32's range [-3.4028234663852886e+38, 3.4028234663852886e+38]",
        ),
        (
            {"x": Float32().lower_bound(-1e40)},
            "C.x: lower_bound(-1e+40) is outside float32's range",
        ),
        (
            {"s": String().accepted_values(["a", "b", "a"])},
            "C.s: accepted_values(['a', 'b', 'a']): value 'a' is repeated; list each value once.",
        ),
        ({"columns": Int64()}, "C.columns: the name 'columns' is reserved"),
    ],
)
def test_contradictions_are_errors_at_declaration(columns, expected):
    assert expected in error_for(**columns)


def test_a_contract_needs_columns():
    with pytest.raises(ContractError, match="at least one column"):
        declare()


def test_float32_bounds_at_its_limits_and_infinite_bounds_are_fine():
    C = declare(x=Float32().bounded_between(-3.4028234663852886e38, float("inf")))
    assert C.__contract__.canonical["x"].lo == -3.4028234663852886e38


def test_accepted_values_are_filtered_by_other_constraints():
    C = declare(
        n=Int64().accepted_values([50, 3, 7, 3]).upper_bound(10),
        s=String().accepted_values(["abc", "a1", "zz"]).regex(r"[a-z]\d?").max_length(2),
    )
    canon = C.__contract__.canonical
    assert canon["n"].values == (3, 7)
    assert canon["s"].values == ("a1",)


def test_bounds_intersect_and_round_inwards():
    C = declare(
        n=Int64().lower_bound(1.5).upper_bound(9.9).lower_bound(0),
        f=Float32().bounded_between(0.1, 0.3),
        t=Timestamp(time_zone="UTC").lower_bound(pd.Timestamp("2020-01-01", tz="Europe/Paris")),
    )
    canon = C.__contract__.canonical
    assert (canon["n"].lo, canon["n"].hi) == (2, 9)
    assert canon["f"].lo >= 0.1 and canon["f"].hi <= 0.3
    assert canon["t"].lo == pd.Timestamp("2019-12-31 23:00", tz="UTC").value


def test_non_contracts_are_rejected_by_strategies():
    class Plain:
        x = Int64()

    for call in (lambda: hc.frames(Plain), lambda: hc.records(Plain), lambda: hc.frames(42)):
        with pytest.raises(InvalidArgument, match="expects a class decorated with @data_contract"):
            call()


def test_data_contract_needs_a_class():
    with pytest.raises(TypeError, match="decorates a class"):
        data_contract(42)  # type: ignore[call-overload]
