"""Cross-column rules (issue 12): declaration, canonical checks, generation by construction
in ``example``/``frames``/``records``, validation, and exact minimal examples."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import Phase, find, given, settings

import hypo_contracts as hc
from hypo_contracts import (
    ContractError,
    ContractViolation,
    Date,
    Float64,
    GenerationError,
    Int64,
    String,
    Timestamp,
    data_contract,
    frames,
    records,
)

T0 = pd.Timestamp("2024-01-01", tz="UTC")
T1 = pd.Timestamp("2024-12-31", tz="UTC")
FIND = settings(
    max_examples=2000, database=None, deadline=None, phases=[Phase.generate, Phase.shrink]
)


@data_contract(unique_together=[("day", "sensor")])
class Shipments:
    day = Date().bounded_between("2024-01-01", "2024-12-31")
    sensor = String().accepted_values(["a", "b", "c", "d"])
    status = String().accepted_values(["placed", "shipped", "returned"])
    placed_at = Timestamp(time_zone="UTC").bounded_between(T0, T1)
    shipped_at = (
        Timestamp(time_zone="UTC")
        .at_least("placed_at")
        .present_when(status=["shipped", "returned"])
    )
    price = Float64().bounded_between(0.01, 1_000)
    quantity = Int64().bounded_between(1, 99)
    total = Float64().computed(lambda df: df["price"] * df["quantity"], uses=["price", "quantity"])
    step = Int64().lower_bound(0).increasing(within="sensor")


@data_contract(unique_together=[("day", "sensor")])
class Log:
    day = Date().bounded_between("2024-01-01", "2024-12-31")
    sensor = String().accepted_values(["a", "b", "c"])
    status = String().accepted_values(["placed", "shipped"])
    start = Int64().bounded_between(0, 100)
    end = Int64().bounded_between(0, 1000).at_least("start").present_when(status=["shipped"])
    price = Float64().bounded_between(0, 100)
    qty = Int64().bounded_between(1, 10)
    total = Float64().computed(lambda df: df["price"] * df["qty"], uses=["price", "qty"])
    step = Int64().bounded_between(0, 10**6).increasing(within="sensor")


def check_shipments(df: pd.DataFrame) -> None:
    """The rules, checked without library code."""
    assert not df.duplicated(["day", "sensor"]).any()
    both = df["shipped_at"].notna()
    assert (df.loc[both, "shipped_at"] >= df.loc[both, "placed_at"]).all()
    assert (df["shipped_at"].notna() == df["status"].isin(["shipped", "returned"])).all()
    assert np.allclose(df["total"], df["price"] * df["quantity"])
    for _, g in df.groupby("sensor"):
        assert g["step"].is_monotonic_increasing


def test_rules_compile_in_dependency_order():
    texts = [r.text for r in Shipments.__contract__.rules]
    assert texts.index("shipped_at >= placed_at") < texts.index(
        "shipped_at present exactly when status in ['shipped', 'returned']"
    )
    assert Shipments.__contract__.canonical["shipped_at"].nullable


def test_example_satisfies_every_rule():
    for seed in range(3):
        df = Shipments.example(1_000, seed=seed)
        check_shipments(df)
        assert Shipments.validate(df) is df


@settings(max_examples=40, deadline=None)
@given(frames(Shipments, max_rows=60))
def test_frames_satisfy_every_rule(df):
    check_shipments(df)
    Shipments.validate(df)


@settings(max_examples=60, deadline=None)
@given(records(Log))
def test_records_satisfy_row_wise_rules(row):
    if row["end"] is not None:
        assert row["end"] >= row["start"]
    assert (row["end"] is not None) == (row["status"] == "shipped")
    assert row["total"] == pytest.approx(row["price"] * row["qty"])


# ------------------------------------------------------------------------------------------
# exact minimal examples of a planted bug per rule kind


def test_order_minimal_example_is_equality():
    # a pipeline that assumes end > start meets end == start, in one simplest row
    df = find(frames(Log), lambda df: (df["end"] == df["start"]).any(), settings=FIND)
    assert df.to_dict("list") == {
        "day": [pd.Timestamp("2024-01-01")],
        "sensor": ["a"],
        "status": ["shipped"],
        "start": [0],
        "end": [0],
        "price": [0.0],
        "qty": [1],
        "total": [0.0],
        "step": [0],
    }


def test_present_when_minimal_example_is_one_null():
    df = find(frames(Log), lambda df: df["end"].isna().any(), settings=FIND)
    assert len(df) == 1 and df["status"].tolist() == ["placed"]


def test_computed_minimal_example():
    df = find(frames(Log), lambda df: (df["qty"] * 2 >= 6).any(), settings=FIND)
    assert df[["qty", "total"]].to_dict("list") == {"qty": [3], "total": [0.0]}


def test_unique_together_minimal_example_is_the_first_two_combinations():
    df = find(frames(Log), lambda df: df["day"].duplicated().any(), settings=FIND)
    assert df[["day", "sensor"]].astype(str).values.tolist() == [
        ["2024-01-01", "a"],
        ["2024-01-01", "b"],
    ]


def test_increasing_minimal_example_has_constant_steps():
    df = find(
        frames(Log),
        lambda df: (df.groupby("sensor")["step"].diff() == 0).any(),
        settings=FIND,
    )
    assert df["step"].tolist() == [0] * len(df)
    assert df["sensor"].duplicated().any()


def test_records_order_minimal():
    row = find(
        records(Log),
        lambda r: r["end"] is not None and r["end"] > r["start"] + 10,
        settings=FIND,
    )
    assert (row["start"], row["end"]) == (0, 11)


# ------------------------------------------------------------------------------------------
# each kind on its own, and chains


def test_chain_and_gap():
    @data_contract
    class Chain:
        a = Int64().bounded_between(0, 10)
        b = Int64().greater_than("a", gap=2)
        c = Int64().upper_bound(20).at_least("b")

    info = Chain.__contract__
    assert info.canonical["b"].hi == 20 and info.canonical["a"].hi == 10
    df = Chain.example(500, seed=0)
    assert ((df["b"] > df["a"] + 2) & (df["c"] >= df["b"]) & (df["c"] <= 20)).all()


def test_implied_bounds_propagate_to_the_reference():
    @data_contract
    class Span:
        start = Timestamp(time_zone="UTC").lower_bound(T0)
        end = Timestamp(time_zone="UTC").bounded_between(T0, T1).at_least("start")

    assert Span.__contract__.canonical["start"].hi == T1.value


def test_less_than_and_dates_with_timedelta_gap():
    @data_contract
    class Stay:
        leave = Date().bounded_between("2024-01-10", "2024-02-01")
        arrive = Date().lower_bound("2024-01-01").less_than("leave", gap=pd.Timedelta(days=2))

    df = Stay.example(300, seed=3)
    assert (df["arrive"] < df["leave"] - pd.Timedelta(days=2)).all()
    Stay.validate(df)


def test_float_strict_order():
    @data_contract
    class F:
        x = Float64().bounded_between(-1, 1)
        y = Float64().upper_bound(1).greater_than("x")

    df = F.example(1_000, seed=0)
    assert (df["y"] > df["x"]).all() and (df["y"] <= 1).all()


def test_null_reference_satisfies():
    @data_contract
    class N:
        a = Int64().bounded_between(0, 5).is_optional()
        b = Int64().bounded_between(0, 9).at_least("a")

    df = N.example(500, seed=0)
    assert df["a"].isna().any()
    N.validate(df)


def test_decreasing_strictly_over_the_frame():
    @data_contract
    class Countdown:
        left = Int64().bounded_between(0, 50).decreasing(strictly=True)

    df = Countdown.example(40, seed=0)
    assert (df["left"].diff().dropna() < 0).all()
    with pytest.raises(GenerationError, match="allows at most 51 rows"):
        Countdown.example(52, seed=0)


def test_unique_together_too_few_combinations():
    @data_contract(unique_together=[("a", "b")])
    class Small:
        a = Int64().bounded_between(0, 1)
        b = String().accepted_values(["x", "y"])

    assert len(Small.example(4, seed=0).drop_duplicates()) == 4
    with pytest.raises(GenerationError, match=r"\(a, b\) unique together allows at most 4 rows"):
        Small.example(5, seed=0)
    from hypothesis.errors import InvalidArgument

    with pytest.raises(InvalidArgument, match="frames of 5 rows cannot exist"):
        frames(Small, min_rows=5).validate()
    sizes = []

    @settings(max_examples=30, deadline=None)
    @given(frames(Small))
    def check(df):
        sizes.append(len(df))
        assert not df.duplicated().any()

    check()
    assert max(sizes) <= 4


def test_unique_together_is_inherited():
    @data_contract
    class Child(Shipments):
        extra = Int64()

    assert Child.__contract__.unique_together == (("day", "sensor"),)
    assert not Child.example(300, seed=0).duplicated(["day", "sensor"]).any()


def test_computed_result_out_of_bounds_raises_generation_error():
    @data_contract
    class Doubled:
        x = Int64().bounded_between(0, 9)
        y = Int64().upper_bound(10).computed(lambda df: df["x"] * 2, uses=["x"])

    with pytest.raises(GenerationError, match=r"Doubled\.y: computed"):
        Doubled.example(100, seed=0)


# ------------------------------------------------------------------------------------------
# contradictions at class creation


@pytest.mark.parametrize(
    "make, message",
    [
        (
            lambda: {"a": Int64().upper_bound(5).greater_than("b"), "b": Int64().lower_bound(10)},
            "rule a > b can never hold",
        ),
        (lambda: {"a": Int64().at_least("nope")}, "names 'nope', which is not a column"),
        (
            lambda: {"a": Int64().at_least("b"), "b": Int64().at_least("a")},
            "the rules form a cycle",
        ),
        (
            lambda: {"a": Int64().at_least("b"), "b": Float64()},
            "are not comparable",
        ),
        (
            lambda: {"a": Int64().accepted_values([1, 2]).increasing()},
            "needs a number, timestamp or date column",
        ),
        (
            lambda: {"a": Int64().present_when(s=["x"]), "s": String().accepted_values(["y"])},
            "'x' is not among",
        ),
        (
            lambda: {"a": Int64().at_least("b").is_unique(), "b": Int64()},
            "is_unique() cannot combine",
        ),
        (
            lambda: {
                "a": Int64().is_unique().present_when(s=["x"]),
                "s": String().accepted_values(["x", "y"]),
            },
            "at most one null",
        ),
        (
            lambda: {"a": Float64().allow_infinity().at_least("b"), "b": Float64()},
            "allows infinities",
        ),
    ],
)
def test_contract_errors(make, message):
    with pytest.raises(ContractError, match=message.replace("(", r"\(").replace(")", r"\)")):
        data_contract(type("Bad", (), make()))


def test_unknown_unique_together_column():
    with pytest.raises(ContractError, match="not a column of Bad"):

        @data_contract(unique_together=[("a", "zz")])
        class Bad:
            a = Int64()


# ------------------------------------------------------------------------------------------
# validation


def test_violation_names_the_rule_and_rows():
    df = Shipments.example(20, seed=0)
    df["status"] = "shipped"
    df["shipped_at"] = df["placed_at"]
    df.loc[3, "shipped_at"] = df.loc[3, "placed_at"] - pd.Timedelta("1h")
    df.loc[17, "shipped_at"] = df.loc[17, "placed_at"] - pd.Timedelta("1D")
    with pytest.raises(ContractViolation) as e:
        Shipments.validate(df)
    text = str(e.value)
    assert text.startswith("Shipments: 1 failing check in 1 column\n")
    assert "  - shipped_at >= placed_at failed for 2 rows: (shipped_at=" in text
    assert "(row 3)" in text and "(row 17)" in text


def test_every_rule_kind_is_checked():
    good = Shipments.example(30, seed=1)
    bad_cases = {
        "unique together": lambda d: d.assign(day=d["day"].iloc[0], sensor="a"),
        "present exactly when": lambda d: d.assign(status="placed"),
        "total == <lambda>": lambda d: d.assign(total=d["total"] + 1),
        "step increasing within sensor": lambda d: d.assign(step=np.arange(len(d))[::-1]),
    }
    for needle, breaker in bad_cases.items():
        with pytest.raises(ContractViolation, match=needle):
            Shipments.validate(breaker(good.copy()))
    schema = Shipments.to_pandera()
    assert {c.name for c in schema.checks} == {r.text for r in Shipments.__contract__.rules}


# ------------------------------------------------------------------------------------------
# patterns and shrink


def test_pinned_values_must_satisfy_rules():
    from hypo_contracts import with_values

    with pytest.raises(ContractError) as e:
        with_values(Log, {"start": [5, 9], "end": [7, 3], "status": ["shipped"] * 2})
    assert str(e.value) == (
        "Log: pinned values break the rule end >= start at position 1 (end=3, start=9)."
    )
    with pytest.raises(ContractError, match="pins end but not start"):
        with_values(Log, {"end": [7, 3]})


def test_unpinned_dependents_are_derived_from_pins():
    from hypo_contracts import features_for, planted, with_values

    pattern = with_values(Log, {"start": [5, 60], "status": ["shipped", "placed"]})
    for df in (pattern.example(seed=0), find(pattern, lambda df: True, settings=FIND)):
        assert df["end"].tolist()[0] >= 5 and pd.isna(df["end"].iloc[1])
        Log.validate(df)
    df = features_for(Log, {"qty": [1, 2, 3]}, columns=["price", "qty", "total"]).example(seed=0)
    assert np.allclose(df["total"], df["price"] * df["qty"])
    df = planted(Log, "qty", lambda X: np.where(X["price"] > 50, 9, 1), rows=20).example(seed=0)
    Log.validate(df)


def test_shrink_only_tries_candidates_that_satisfy_the_rules():
    from hypo_contracts import shrink

    df = Log.example(40, seed=0)
    seen = []

    def test(frame):
        seen.append(frame)
        assert not (frame["end"] > frame["start"] + 10).any()

    result = shrink(df, test, contract=Log)
    for frame in seen:
        Log.validate(frame)
    Log.validate(result.frame)
    assert len(result.frame) == 1


def test_present_when_on_dates_and_booleans():
    from hypo_contracts import Bool

    @data_contract
    class Flags:
        day = Date().bounded_between("2024-01-01", "2024-01-03")
        flag = Bool()
        on_day = Int64().present_when(day=["2024-01-02"])
        when_flag = Int64().present_when(flag=[True])

    df = Flags.example(200, seed=0)
    assert (df["on_day"].notna() == (df["day"] == "2024-01-02")).all()
    assert (df["when_flag"].notna() == df["flag"]).all()
    Flags.validate(df)


def test_strictly_increasing_floats_fit_below_the_bound():
    @data_contract
    class Tight:
        g = String().accepted_values(["a", "b"])
        m = Float64().bounded_between(-1.0, 1.0).increasing(within="g", strictly=True)

    for seed in range(20):
        df = Tight.example(12, seed=seed)
        Tight.validate(df)
    df = pd.DataFrame({"g": ["a"] * 3, "m": [1.0] * 3})
    from hypo_contracts.rule_fill import enforce

    info = Tight.__contract__
    out = enforce(info.rules, list(info.canonical.values()), df, [])
    assert out["m"].is_monotonic_increasing and out["m"].is_unique and out["m"].max() <= 1.0


# ------------------------------------------------------------------------------------------
# what the column kinds decide (issue 10): exact messages and bounds, kind by kind


def test_the_kinds_that_order_rules_compare():
    from hypo_contracts.kinds import KINDS

    assert sorted(name for name, kind in KINDS.items() if kind.ordered) == [
        "date",
        "float",
        "int",
        "timestamp",
    ]


@pytest.mark.parametrize(
    "make, message",
    [
        (
            lambda: {"a": Int64().at_least("b", gap="x"), "b": Int64()},
            "Bad.a: at_least('b', gap='x'): gap='x' must be a number for a int column.",
        ),
        (
            lambda: {"a": Float64().at_least("b", gap=-1.0), "b": Float64()},
            "Bad.a: at_least('b', gap=-1.0): gap=-1.0 must be a finite number >= 0.",
        ),
        (
            lambda: {"a": Timestamp().at_least("b", gap="soon"), "b": Timestamp()},
            "Bad.a: at_least('b', gap='soon'): gap='soon' must be a pd.Timedelta (or a string "
            "such as '1h') for a timestamp column.",
        ),
        (
            lambda: {"a": Timestamp().at_least("b", gap="-1h"), "b": Timestamp()},
            "Bad.a: at_least('b', gap='-1h'): gap='-1h' must be a duration >= 0.",
        ),
        (
            lambda: {"a": Date().at_least("b", gap="1h"), "b": Date()},
            "Bad.a: at_least('b', gap='1h'): gap='1h' must be whole days for a Date column.",
        ),
        (
            lambda: {"a": Timestamp(time_zone="UTC").at_least("b"), "b": Timestamp()},
            "Bad.a: at_least('b'): a (datetime64[ns, UTC]) and b (datetime64[ns]) are not "
            "comparable: compare columns of the same kind (timestamps both naive or both aware).",
        ),
        (
            lambda: {"a": Date().at_least("b"), "b": Timestamp()},
            "Bad.a: at_least('b'): a (datetime64[ns]) and b (datetime64[ns]) are not "
            "comparable: compare columns of the same kind (timestamps both naive or both aware).",
        ),
        (
            lambda: {"a": hc.UInt64().at_least("b"), "b": Int64()},
            "Bad.a: at_least('b'): compare a UInt64 column only with another UInt64 column.",
        ),
        (
            lambda: {"a": hc.Timedelta().at_least("b"), "b": hc.Timedelta()},
            "Bad.a: at_least('b'): order rules compare numbers, timestamps or dates without "
            "accepted_values, but a is timedelta64[ns].",
        ),
        (
            lambda: {"a": hc.Decimal(5, 2).increasing()},
            "Bad: Bad.a: increasing() needs a number, timestamp or date column without "
            "accepted_values.",
        ),
        (
            lambda: {"a": Int64().present_when(t=[T0]), "t": Timestamp()},
            f"Bad.a: present_when(t=[{T0!r}]): {T0!r} is not a value of Bad.t (datetime64[ns]).",
        ),
        (
            lambda: {"a": Int64().present_when(t=[1.5]), "t": Int64()},
            "Bad.a: present_when(t=[1.5]): 1.5 is not a value of Bad.t (int64).",
        ),
        (
            lambda: {"a": Int64().present_when(t=[1]), "t": hc.Bool()},
            "Bad.a: present_when(t=[1]): 1 is not a value of Bad.t (bool).",
        ),
        (
            lambda: {
                "a": Date().upper_bound("2024-01-05").greater_than("b", gap="2D"),
                "b": Date().lower_bound("2024-01-10"),
            },
            "Bad: rule a > b + 2D can never hold (a, b): b + gap is at least 2024-01-13 but a "
            "is at most 2024-01-05.",
        ),
        (
            lambda: {
                "a": hc.Float32().bounded_between(0, 1).greater_than("b", gap=0.5),
                "b": hc.Float32().lower_bound(0.75),
            },
            "Bad: rule a > b + 0.5 can never hold (a, b): b + gap is at least 1.2500001192092896 "
            "but a is at most 1.0.",
        ),
    ],
)
def test_rule_messages_of_each_kind(make, message):
    with pytest.raises(ContractError) as exc:
        data_contract(type("Bad", (), make()))
    assert str(exc.value) == message


def test_implied_bounds_of_each_kind():
    @data_contract
    class Implied:
        a = hc.Float32().bounded_between(0, 1)
        b = hc.Float32().bounded_between(0, 1).greater_than("a", gap=0.1)
        c = Float64().bounded_between(-1, 1).less_than("a")
        d = hc.Int8().bounded_between(-5, 5).greater_than("e", gap=2.5)
        e = hc.Int8()
        t = Timestamp().less_than("u", gap="1s")
        u = Timestamp().bounded_between("2024-01-01", "2024-02-01")
        x = Date().bounded_between("2024-01-01", "2024-02-01").at_most("y", gap="3D")
        y = Date().upper_bound("2024-01-20")

    canonical = Implied.__contract__.canonical
    bounds = {name: (c.lo, c.hi) for name, c in canonical.items() if name not in "ce"}
    assert bounds == {
        "a": (0.0, 0.8999999761581421),  # float32 inwards: b > a + 0.1 with b <= 1
        "b": (0.10000000149011612, 1.0),
        "d": (-5, 5),
        "t": (-9223372036854775807, 1706745598999999999),  # 1 s and 1 ns before u's top
        "u": (1704067200000000000, 1706745600000000000),
        "x": (19723, 19739),  # days: x <= y - 3 days
        "y": (19726, 19742),
    }
    assert (canonical["c"].hi, canonical["e"].hi) == (0.899999976158142, 1)
    gaps = [(r.text, r.gap, r.frame_gap) for r in Implied.__contract__.rules]
    assert gaps == [
        ("b > a + 0.1", 0.1, 0.1),
        ("c < a", 0, 0),
        ("d > e + 2.5", 3, 3),
        ("t < u - 1s", 10**9, 10**9),
        ("x <= y - 3D", 3, 3 * 86_400 * 10**9),
    ]


def _computed(col):
    C = data_contract(type("C", (), {"a": Int64().bounded_between(0, 3), "b": col}))
    try:
        df = C.example(4, seed=0)
    except GenerationError as exc:
        return str(exc).split(" gave ", 1)[1]  # after "C.b: computed(fn, uses=['a'])"
    return df["b"].tolist(), str(df["b"].dtype)


def test_computed_results_of_each_kind():
    day = pd.Timestamp("2024-02-01")

    def days(df):
        return day + pd.to_timedelta(df["a"], unit="D")

    assert _computed(Timestamp().upper_bound("2024-01-01").computed(days, uses=["a"])) == (
        "Timestamp('2024-02-04 00:00:00') (row 0), which is above its upper bound "
        "2024-01-01 00:00:00."
    )
    assert _computed(Timestamp(time_zone="UTC").computed(days, uses=["a"])) == (
        "Timestamp('2024-02-04 00:00:00') (row 0), which cannot be cast to "
        "datetime64[ns, UTC] (naive timestamps for an aware column)."
    )
    hours = Date().computed(lambda df: day + pd.to_timedelta(df["a"], unit="h"), uses=["a"])
    assert _computed(hours) == (
        "Timestamp('2024-02-01 03:00:00') (row 0), which cannot be cast to datetime64[ns] "
        "(dates have a time of day)."
    )
    assert _computed(Date().lower_bound("2025-01-01").computed(days, uses=["a"])) == (
        "Timestamp('2024-02-04 00:00:00') (row 0), which is below its lower bound 2025-01-01."
    )
    assert _computed(Date().computed(days, uses=["a"])) == (
        [day + pd.Timedelta(days=d) for d in (3, 1, 3, 0)],
        "datetime64[ns]",
    )
    strings = String().max_length(1).computed(lambda df: df["a"].astype(str) * 3, uses=["a"])
    assert _computed(strings) == (
        "'333' (row 0), which breaks the column's length or regex constraints."
    )
    inf = Float64().computed(lambda df: (df["a"].to_numpy() + 1) / np.zeros(4), uses=["a"])
    with np.errstate(divide="ignore"):
        assert _computed(inf) == "inf (row 0), which is infinite (declare allow_infinity())."
    assert _computed(hc.Float32().computed(lambda df: df["a"] / 3, uses=["a"])) == (
        [1.0, 0.3333333432674408, 1.0, 0.0],
        "float32",
    )
    assert _computed(Int64().computed(lambda df: df["a"] / 2, uses=["a"])) == (
        "1.5 (row 0), which cannot be cast to int64 (not whole numbers)."
    )
    assert _computed(hc.Int8().computed(lambda df: df["a"] * 100.0, uses=["a"])) == (
        "300.0 (row 0), which is above its upper bound 127."
    )
    assert _computed(hc.UInt8().computed(lambda df: df["a"] * 2, uses=["a"])) == (
        [6, 2, 6, 0],
        "uint8",
    )
    flags = (
        hc.Bool().is_optional().computed(lambda df: (df["a"] > 1).where(df["a"] > 0), uses=["a"])
    )
    assert _computed(flags) == ([True, False, True, pd.NA], "boolean")


def test_order_dependents_stay_within_their_own_bounds():
    # the reference + gap may lie below the dependent's lower bound (the rule is then
    # implied by the bound): generation starts from the bound, not from the reference
    @data_contract
    class Above:
        d = Int64().bounded_between(-5, 5).greater_than("e")
        e = Int64().bounded_between(-100, 0)
        f = Float64().bounded_between(-5.0, 5.0).greater_than("g")
        g = Float64().bounded_between(-100.0, 0.0)
        h = Date().upper_bound("2024-01-10").at_most("i", gap="1D")
        i = Date().bounded_between("2024-01-01", "2025-01-01")

    df = Above.example(200, seed=3)
    Above.validate(df)
    assert (df["d"] >= -5).all() and (df["f"] >= -5.0).all()
    assert (df["h"] <= pd.Timestamp("2024-01-10")).all()
    assert ((df["d"] == -5) & (df["e"] < -6)).any()  # the bound is reached, not only exceeded
    assert [int(v) for v in apply_to_row_of(Above, [0, -50, 0.0, -50.0, 0, 0])[:2]] == [0, -50]
    assert [int(v) for v in apply_to_row_of(Above, [-80, -50, 0.0, -50.0, 0, 0])[:2]] == [-5, -50]


def apply_to_row_of(contract, row):
    from hypo_contracts.rule_fill import apply_to_row

    info = contract.__contract__
    return apply_to_row(list(info.canonical.values()), info.rules, row)


def test_computed_timedelta_and_decimal_columns():
    import decimal

    from hypo_contracts.rule_fill import enforce

    seconds = hc.Timedelta().upper_bound("5s")
    in_seconds = seconds.computed(lambda df: pd.to_timedelta(df["a"], unit="s"), uses=["a"])
    assert _computed(in_seconds) == (
        [pd.Timedelta(seconds=s) for s in (3, 1, 3, 0)],
        "timedelta64[ns]",
    )
    assert _computed(seconds.computed(lambda df: df["a"] * 2 * 10**9, uses=["a"])) == (
        "6000000000 (row 0), which is above its upper bound 0 days 00:00:05."
    )
    money = hc.Decimal(5, 2).bounded_between(0, 2)
    halves = money.computed(lambda df: df["a"].map(lambda a: decimal.Decimal(a) / 2), uses=["a"])
    assert _computed(halves) == (
        [decimal.Decimal(v) for v in ("1.50", "0.50", "1.50", "0.00")],
        "object",
    )
    assert _computed(money.computed(lambda df: df["a"], uses=["a"])) == (
        "3 (row 0), which is above its upper bound 2.00."
    )
    thirds = money.computed(lambda df: df["a"].map(lambda a: decimal.Decimal(a) / 3), uses=["a"])
    assert _computed(thirds) == (  # 3 / 3 fits; the row that does not is named
        "Decimal('0.3333333333333333333333333333') (row 1), which cannot be cast to "
        "decimal(5, 2) (has more than 2 digits after the point (decimal(5, 2)))."
    )

    @data_contract
    class Mixed:  # pinning a frame reads every column back, durations and decimals too
        a = Int64().bounded_between(0, 9)
        b = Int64().bounded_between(0, 9).at_least("a")
        t = hc.Timedelta()
        m = hc.Decimal(5, 2)

    info = Mixed.__contract__
    df = Mixed.example(5, seed=0)
    out = enforce(info.rules, list(info.canonical.values()), df.assign(b=0), ["a"])
    pd.testing.assert_frame_equal(out[["a", "t", "m"]], df[["a", "t", "m"]])
    assert (out["b"] == out["a"]).all()
