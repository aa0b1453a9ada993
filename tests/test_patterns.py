"""Pattern combinators: with_values, features_for, planted (hypo_contracts.patterns)."""

from __future__ import annotations

import datetime as dt
import re
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

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
    data_contract,
    features_for,
    planted,
    with_values,
)
from hypo_contracts.examples import WineQuality
from hypo_contracts.patterns import SeededExample
from tests.contract_strategies import MAX_ROWS, contracts, independent_violations

# ``find`` records the last value that met the condition, and Hypothesis's explain phase
# re-runs the condition on variations of the minimal example; leave it out so that ``find``
# returns the shrunk value.
SHRINK = settings(database=None, max_examples=500, phases=[Phase.generate, Phase.shrink])
FEW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ARTICLE = {"alcohol": [11, 13, 15, 9, 14], "quality": [4, 8, 8, 4, 8]}


@data_contract
class Shop:
    order_id = Int64().lower_bound(1).is_unique()
    units = Int64().bounded_between(3, 9)
    price = Float64().bounded_between(0, 1000)
    ratio = Float32().bounded_between(-1, 1).is_optional()
    sku = String().regex(r"[A-Z]{2}\d{3}")
    note = String().min_length(2).max_length(5)
    tier = Category(["bronze", "silver", "gold"]).is_optional()
    size = String().accepted_values(["S", "M", "L"])
    stars = Int8().accepted_values([1, 3, 5])
    gift = Bool()
    paid = Timestamp(time_zone="UTC").bounded_between(
        pd.Timestamp("2020-01-01", tz="UTC"), pd.Timestamp("2030-01-01", tz="UTC")
    )
    day = Date().bounded_between("2000-01-01", "2040-12-31")
    returns = Int64().bounded_between(0, 10).is_optional()


# ------------------------------------------------------------------------------------------
# the article's scenario


def _forest() -> Any:
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.feature_selection import VarianceThreshold
    from sklearn.pipeline import make_pipeline

    # Held-constant columns carry no signal, so dropping constant features loses nothing.
    # It also keeps the forest away from them: scikit-learn's trees compute in float32 and
    # reject valid float64 values beyond ~3.4e38, which WineQuality's unbounded columns allow
    # (see test_bare_forest_rejects_valid_floats_beyond_float32).
    return make_pipeline(VarianceThreshold(), RandomForestClassifier(random_state=0))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # variance of constant huge floats
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(train=with_values(WineQuality, ARTICLE), data=st.data())
def test_article_scenario_forest_learns_the_pinned_pattern(train, data):
    X, y = train.drop(columns="quality"), train["quality"]
    assert X.drop(columns="alcohol").nunique().eq(1).all()  # only alcohol carries signal
    model = _forest().fit(X, y)
    pred_df = data.draw(features_for(WineQuality, {"alcohol": [11, 14]}, columns=X.columns))
    assert list(pred_df.columns) == list(X.columns)
    assert model.predict(pred_df).tolist() == [4, 8]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_article_scenario_with_seeded_examples():
    for seed in range(5):
        train = with_values(WineQuality, ARTICLE).example(seed=seed)
        X, y = train.drop(columns="quality"), train["quality"]
        pred_df = features_for(WineQuality, {"alcohol": [11, 14]}, columns=X.columns).example(
            seed=seed + 100
        )
        model = _forest().fit(X, y)
        assert model.predict(pred_df).tolist() == [4, 8]


def test_bare_forest_rejects_valid_floats_beyond_float32():
    """The finding the article's scenario leads to: a float64 column with no bounds admits
    values scikit-learn's trees cannot take. Hypothesis shrinks it to one column."""
    from sklearn.tree import DecisionTreeClassifier

    def crashes(df: pd.DataFrame) -> bool:
        try:
            DecisionTreeClassifier(random_state=0).fit(df.drop(columns="quality"), df["quality"])
        except ValueError as exc:
            return "float32" in str(exc)
        return False

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        df = find(with_values(WineQuality, ARTICLE), crashes, settings=SHRINK)
    big = df.drop(columns=["alcohol", "quality"]).abs().gt(np.finfo(np.float32).max)
    assert big.any().sum() == 1  # exactly one column is to blame
    others = df.drop(columns=["alcohol", "quality", big.any().idxmax()])
    assert (others == 0).all().all()  # everything else shrank to its simplest value


# ------------------------------------------------------------------------------------------
# planted rules


def _rule(X: pd.DataFrame) -> np.ndarray:
    return np.where(X["alcohol"] > 12, 8, 4)


def test_planted_rule_learned_by_decision_tree_in_pipeline():
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.tree import DecisionTreeClassifier

    # the bounded columns only: scikit-learn cannot scale or split the unbounded ones' valid
    # extremes (see test_bare_forest_rejects_valid_floats_beyond_float32)
    pattern = planted(WineQuality, "quality", _rule, rows=300, columns=["pH", "alcohol", "quality"])
    for seed in range(5):
        train = pattern.example(seed=seed)
        X, y = train.drop(columns="quality"), train["quality"]
        assert set(y) == {4, 8}
        model = Pipeline(
            [("scale", StandardScaler()), ("tree", DecisionTreeClassifier(random_state=0))]
        )
        model.fit(X, y)
        test = pattern.example(seed=seed + 1000)
        # the learned threshold lies between the classes' closest training values: every
        # test row outside that gap must follow the planted rule exactly
        lo, hi = X["alcohol"][y == 4].max(), X["alcohol"][y == 8].min()
        outside = (test["alcohol"] <= lo) | (test["alcohol"] >= hi)
        assert outside.sum() > 250
        pred = model.predict(test.drop(columns="quality"))
        assert (pred[outside.to_numpy()] == test["quality"][outside]).all()
        assert model.named_steps["tree"].get_depth() == 1  # one split, on alcohol


@data_contract
class Loan:
    income = Int64().bounded_between(0, 200_000)
    age = Int64().bounded_between(18, 99)
    region = Category(["north", "south", "east"])
    approved = Bool()


def _approve(X: pd.DataFrame) -> pd.Series:
    return (X["income"] >= 50_000) & (X["region"] != "east")


@FEW
@given(planted(Loan, "approved", _approve, min_rows=1, max_rows=40))
def test_planted_rule_fits_a_pipeline_under_hypothesis(df):
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder
    from sklearn.tree import DecisionTreeClassifier

    assert df["approved"].tolist() == _approve(df).tolist()
    assert Loan.validate(df) is df
    X, y = df.drop(columns="approved"), df["approved"]
    encode = ColumnTransformer(
        [("region", OneHotEncoder(handle_unknown="ignore"), ["region"])], remainder="passthrough"
    )
    model = Pipeline([("encode", encode), ("tree", DecisionTreeClassifier(random_state=0))])
    model.fit(X, y)
    assert model.predict(X).tolist() == y.tolist()


def test_planted_frames_follow_the_rule_and_kwargs():
    pattern = planted(Loan, "approved", _approve, rows=7, columns=["approved", "income", "region"])
    df = pattern.example(seed=4)
    assert list(df.columns) == ["approved", "income", "region"]
    assert len(df) == 7
    assert df["approved"].tolist() == _approve(df).tolist()

    @FEW
    @given(planted(Loan, "approved", _approve, min_rows=2, max_rows=6))
    def check(df):
        assert 2 <= len(df) <= 6
        assert list(df.columns) == list(Loan.columns)
        assert df["approved"].dtype == bool
        assert df["approved"].tolist() == _approve(df).tolist()

    check()
    sizes = {
        len(planted(Loan, "approved", _approve, max_rows=9).example(seed=s)) for s in range(40)
    }
    assert sizes <= set(range(10)) and len(sizes) > 3


def test_planted_rule_sees_a_copy_without_the_target():
    seen = []

    def rule(X: pd.DataFrame) -> list[bool]:
        seen.append(list(X.columns))
        out = (X["income"] > 10).tolist()
        X["income"] = -1  # must not leak into the frame
        return out

    df = planted(Loan, "approved", rule, rows=5).example(seed=1)
    assert seen == [["income", "age", "region"]]
    assert (df["income"] >= 0).all()
    assert df["approved"].tolist() == (df["income"] > 10).tolist()


def test_planted_casts_rule_output_to_the_target_dtype():
    df = planted(WineQuality, "quality", lambda X: [4.0] * len(X), rows=3).example(seed=0)
    assert df["quality"].dtype == np.int64
    assert df["quality"].tolist() == [4, 4, 4]


# ------------------------------------------------------------------------------------------
# pinned values: exact values, exact dtypes


def test_pinned_values_are_exact_and_typed():
    values = {
        "units": [3, 9.0],
        "ratio": [0.5, None],
        "sku": ["AB123", "ZZ999"],
        "tier": ["gold", None],
        "size": ["M", "S"],
        "stars": [5, 1],
        "gift": [True, np.bool_(False)],
        "paid": ["2021-05-01 12:00Z", pd.Timestamp("2029-12-31 23:59", tz="UTC")],
        "day": ["2000-01-01", dt.date(2040, 12, 31)],
        "returns": [None, 10],
    }
    df = with_values(Shop, values).example(seed=0)
    assert list(df.columns) == list(Shop.columns)
    expected = pd.DataFrame(
        {
            "units": pd.Series([3, 9], dtype="int64"),
            "ratio": pd.Series([0.5, np.nan], dtype="float32"),
            "sku": pd.Series(["AB123", "ZZ999"], dtype=df["sku"].dtype),
            "tier": pd.Categorical(["gold", None], categories=["bronze", "silver", "gold"]),
            "size": pd.Series(["M", "S"], dtype=df["size"].dtype),
            "stars": pd.Series([5, 1], dtype="int8"),
            "gift": [True, False],
            "paid": pd.to_datetime(["2021-05-01 12:00", "2029-12-31 23:59"])
            .as_unit("ns")
            .tz_localize("UTC"),
            "day": pd.to_datetime(["2000-01-01", "2040-12-31"]).as_unit("ns"),
            "returns": pd.array([None, 10], dtype="Int64"),
        }
    )
    pd.testing.assert_frame_equal(df[list(values)], expected)
    assert Shop.validate(df) is df


def test_pinned_values_accept_arrays_series_and_frames_without_mutating_them():
    alcohol = np.array([11.0, 13.0])
    quality = pd.Series([4, 8], index=[10, 20])
    values = {"alcohol": alcohol, "quality": quality}
    pattern = with_values(WineQuality, values)
    df = pattern.example(seed=0)
    assert df.index.tolist() == [0, 1]
    assert df["quality"].tolist() == [4, 8]
    df.loc[0, "alcohol"] = 0.0  # mutating a drawn frame leaves the pattern intact
    assert pattern.example(seed=0)["alcohol"].tolist() == [11.0, 13.0]
    assert alcohol.tolist() == [11.0, 13.0] and quality.index.tolist() == [10, 20]
    assert list(values) == ["alcohol", "quality"]
    frame = pd.DataFrame({"alcohol": [9.5], "quality": [3]})
    assert with_values(WineQuality, frame).example(seed=1)["alcohol"].tolist() == [9.5]


def test_zero_rows():
    df = with_values(WineQuality, {"alcohol": []}).example(seed=0)
    assert len(df) == 0 and list(df.columns) == list(WineQuality.columns)
    assert df.dtypes.astype(str).tolist() == ["float64"] * 11 + ["int64"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contracts(max_columns=4), st.integers(0, MAX_ROWS), st.integers(0, 2**32), st.data())
def test_pinned_columns_round_trip_for_generated_contracts(generated, n, seed, data):
    """Any valid column (from Contract.example) can be pinned, keeps its values and dtype,
    and the frame around it satisfies the contract."""
    contract, specs = generated
    source = contract.example(n, seed=seed)
    name = data.draw(st.sampled_from(list(contract.columns)), label="pinned")
    others = data.draw(st.sampled_from(["constant", "random"]), label="others")
    pattern = with_values(contract, {name: source[name]}, others=others)
    for df in (data.draw(pattern, label="frame"), pattern.example(seed=seed)):
        pd.testing.assert_series_equal(df[name], source[name])
        assert list(df.columns) == list(contract.columns)
        assert independent_violations(df, specs) == []
        if others == "constant":
            for other, spec in specs.items():
                if other != name and not (spec.unique and n > 1):
                    assert df[other].nunique(dropna=False) <= 1, other


# ------------------------------------------------------------------------------------------
# other columns: constant, random, shrinking


def test_held_constant_columns_shrink_to_their_simplest_value():
    df = find(with_values(Shop, {"units": [4, 5, 6]}), lambda df: True, settings=SHRINK)
    expected = pd.DataFrame(
        {
            "order_id": [1, 2, 3],  # unique: distinct values, the simplest ones
            "units": [4, 5, 6],
            "price": [0.0] * 3,
            "ratio": np.float32([0.0] * 3),
            "sku": pd.Series(["AA000"] * 3, dtype=df["sku"].dtype),
            "note": pd.Series(["00"] * 3, dtype=df["note"].dtype),
            "tier": pd.Categorical(["bronze"] * 3, categories=["bronze", "silver", "gold"]),
            "size": pd.Series(["S"] * 3, dtype=df["size"].dtype),
            "stars": np.int8([1] * 3),
            "gift": [False] * 3,
            "paid": pd.to_datetime(["2020-01-01"] * 3).as_unit("ns").tz_localize("UTC"),
            "day": pd.to_datetime(["2000-01-01"] * 3).as_unit("ns"),
            "returns": pd.array([0] * 3, dtype="Int64"),
        }
    )
    got = df.assign(order_id=sorted(df["order_id"]))
    pd.testing.assert_frame_equal(got, expected)


def test_held_constant_columns_shrink_towards_what_the_failure_needs():
    df = find(
        with_values(Shop, {"price": [1.5, 2.5]}),
        lambda df: df["units"].iloc[0] >= 7 and len(df["note"].iloc[0]) >= 4,
        settings=SHRINK,
    )
    assert df["units"].tolist() == [7, 7]
    assert df["note"].tolist() == ["0000", "0000"]
    assert df["price"].tolist() == [1.5, 2.5]
    assert df["gift"].tolist() == [False, False]


@FEW
@given(with_values(Shop, {"units": [3, 4, 5, 6]}))
def test_constant_others_hold_one_value_and_unique_ones_stay_distinct(df):
    assert df.drop(columns=["units", "order_id"]).nunique(dropna=False).le(1).all()
    assert df["order_id"].is_unique
    assert Shop.validate(df) is df


@settings(max_examples=5, deadline=None)
@given(with_values(Shop, {"units": [3] * 2000}))
def test_large_patterns_keep_unique_columns_distinct(df):
    assert len(df) == 2000
    assert df["order_id"].is_unique
    assert df["price"].nunique() == 1


def test_random_others_vary_per_row_and_satisfy_the_contract():
    pattern = with_values(Shop, {"units": [3, 4, 5, 6]}, others="random")
    df = find(pattern, lambda df: df["price"].nunique() == 4, settings=SHRINK)
    assert df["units"].tolist() == [3, 4, 5, 6]
    example = pattern.example(seed=2)
    assert example["price"].nunique() == 4
    assert Shop.validate(example) is example

    @FEW
    @given(pattern)
    def check(df):
        assert df["units"].tolist() == [3, 4, 5, 6]
        assert Shop.validate(df) is df

    check()


def test_all_columns_pinned():
    values = {name: [v] for name, v in zip(WineQuality.columns, [1.0] * 11 + [5], strict=True)}
    for others in ("constant", "random"):
        df = find(with_values(WineQuality, values, others=others), lambda df: True, settings=SHRINK)
        assert df.iloc[0].tolist() == [1.0] * 11 + [5]


def test_unique_column_with_too_few_values_for_the_rows():
    @data_contract
    class Flags:
        flag = Bool().is_unique()
        n = Int64()

    assert len(with_values(Flags, {"n": [1, 2]}).example(seed=0)) == 2
    with pytest.raises(InvalidArgument, match=r"Flags\.flag is unique with only 2 possible"):
        with_values(Flags, {"n": [1, 2, 3]})


# ------------------------------------------------------------------------------------------
# features_for


def test_features_for_restricts_and_orders_columns():
    cols = ["quality", "pH", "alcohol"]
    df = features_for(WineQuality, {"alcohol": [11, 14]}, columns=cols).example(seed=0)
    assert list(df.columns) == cols
    assert df["alcohol"].tolist() == [11.0, 14.0]
    assert df["pH"].nunique() == 1 and df["quality"].nunique() == 1
    everything = features_for(WineQuality, {"alcohol": [11, 14]}).example(seed=0)
    assert list(everything.columns) == list(WineQuality.columns)
    rand = features_for(WineQuality, {"alcohol": [1, 2, 3]}, columns=cols, others="random")
    assert find(rand, lambda df: df["pH"].nunique() == 3, settings=SHRINK)["pH"].nunique() == 3


def test_features_for_errors():
    with pytest.raises(InvalidArgument, match=r"'quality' pinned but not among columns="):
        features_for(WineQuality, {"alcohol": [11], "quality": [4]}, columns=["alcohol", "pH"])
    with pytest.raises(InvalidArgument, match=r"WineQuality has no column 'sugar'"):
        features_for(WineQuality, {"alcohol": [11]}, columns=["alcohol", "sugar"])
    with pytest.raises(InvalidArgument, match=r"not one string"):
        features_for(WineQuality, {"alcohol": [11]}, columns="alcohol")


# ------------------------------------------------------------------------------------------
# the strategy type: Hypothesis integration and deterministic examples


def test_patterns_are_hypothesis_strategies():
    pattern = with_values(WineQuality, ARTICLE)
    assert isinstance(pattern, SearchStrategy) and isinstance(pattern.example, SeededExample)
    # built from the public API: a composite, not a SearchStrategy subclass of ours
    assert type(pattern).__module__.startswith("hypothesis.")
    assert repr(pattern) == (
        "with_values(WineQuality, {'alcohol': [...5 values], 'quality': [...5 values]}, "
        "others='constant')"
    )
    mapped = pattern.map(lambda df: df["quality"].sum())
    assert find(mapped, lambda s: True, settings=SHRINK) == 32
    both = st.one_of(pattern, features_for(WineQuality, {"alcohol": [1.0]}))
    assert len(find(both, lambda df: len(df) == 1, settings=SHRINK)) == 1

    @FEW
    @given(st.data())
    def interactive(data):
        df = data.draw(pattern)
        pred = data.draw(features_for(WineQuality, {"alcohol": [11, 14]}, columns=["alcohol"]))
        assert df["quality"].tolist() == ARTICLE["quality"]
        assert pred.shape == (2, 1)

    interactive()
    planted_repr = repr(planted(Loan, "approved", _approve, rows=3))
    assert planted_repr == "planted(Loan, 'approved', '_approve', rows=3)"


@pytest.mark.parametrize(
    "make",
    [
        lambda: with_values(Shop, {"units": [3, 4, 5]}),
        lambda: with_values(Shop, {"units": [3, 4, 5]}, others="random"),
        lambda: features_for(Shop, {"units": [3, 4]}, columns=["units", "sku", "order_id"]),
        lambda: planted(Loan, "approved", _approve, min_rows=1, max_rows=30),
    ],
)
def test_example_is_deterministic_per_seed(make):
    a, b = make(), make()
    for seed in (0, 1, 2**40):
        pd.testing.assert_frame_equal(a.example(seed=seed), b.example(seed=seed))
        pd.testing.assert_frame_equal(a.example(seed=seed), a.example(seed=seed))
    frames = [a.example(seed=s) for s in range(6)]
    assert any(not frames[0].equals(f) for f in frames[1:])
    fresh = a.example()  # seed=None: a fresh frame, still valid
    contract = Loan if "approved" in fresh.columns else Shop
    if list(fresh.columns) == list(contract.columns):
        assert contract.validate(fresh) is fresh
    with pytest.raises(InvalidArgument, match="seed"):
        a.example(seed="1")  # type: ignore[arg-type]


def test_examples_satisfy_the_contract():
    for seed in range(10):
        df = with_values(Shop, {"sku": ["AA001", "ZZ123"]}).example(seed=seed)
        assert Shop.validate(df) is df
        assert df.drop(columns=["sku", "order_id"]).nunique(dropna=False).le(1).all()
        assert df["order_id"].is_unique


# ------------------------------------------------------------------------------------------
# bad input: every one raises, naming column, value, position and constraint


@pytest.mark.parametrize(
    "values, message",
    [
        # bounds
        (
            {"price": [10, 1000.5]},
            r"Shop\.price: pinned value 1000\.5 at position 1 is above the upper bound 1000\.0",
        ),
        (
            {"units": [2]},
            r"Shop\.units: pinned value 2 at position 0 is below the lower bound 3 \(declared: "
            r"Int64\(\)\.bounded_between\(3, 9\)\)\.$",
        ),
        (
            {"stars": [300]},
            r"Shop\.stars: pinned value 300 at position 0 is not one of the accepted values \[1, "
            r"3, 5\]",
        ),
        (
            {"ratio": [1e39]},
            r"Shop\.ratio: pinned value 1e\+39 at position 0 overflows float32 to inf",
        ),
        (
            {"price": [float("inf")]},
            r"Shop\.price: pinned value inf at position 0 is infinite, but the column does not "
            r"declare allow_infinity\(\)",
        ),
        (
            {"paid": ["2019-12-31 23:59Z"]},
            r"Shop\.paid: pinned value '2019-12-31 23:59Z' at position 0 is below the lower bound "
            r"2020-01-01 00:00:00\+00:00",
        ),
        (
            {"day": ["2041-01-01"]},
            r"Shop\.day: pinned value '2041-01-01' at position 0 is above the upper bound "
            r"2040-12-31",
        ),
        # accepted values
        (
            {"size": ["S", "XL"]},
            r"Shop\.size: pinned value 'XL' at position 1 is not one of the accepted values "
            r"\['S', 'M', 'L'\]",
        ),
        (
            {"tier": ["platinum"]},
            r"Shop\.tier: pinned value 'platinum' at position 0 is not one of the categories "
            r"\['bronze', 'silver', 'gold'\]",
        ),
        # regex and lengths
        (
            {"sku": ["AB123", "ab123"]},
            r"Shop\.sku: pinned value 'ab123' at position 1 does not fully match "
            r"regex\('\[A-Z\]\{2\}\\\\d\{3\}'\)",
        ),
        (
            {"note": ["x"]},
            r"Shop\.note: pinned value 'x' at position 0 has 1 characters, fewer than "
            r"min_length\(2\)",
        ),
        (
            {"note": ["abcdef"]},
            r"Shop\.note: pinned value 'abcdef' at position 0 has 6 characters, more than "
            r"max_length\(5\)",
        ),
        # wrong type
        (
            {"price": ["12.5"]},
            r"Shop\.price: pinned value '12\.5' at position 0 is not a number \(the column is "
            r"float64\)",
        ),
        (
            {"units": [4.5]},
            r"Shop\.units: pinned value 4\.5 at position 0 is not a whole number \(the column is "
            r"int64\)",
        ),
        ({"units": [True]}, r"Shop\.units: pinned value True at position 0 is not an integer"),
        ({"gift": [1]}, r"Shop\.gift: pinned value 1 at position 0 is not a bool"),
        ({"note": [12345]}, r"Shop\.note: pinned value 12345 at position 0 is not a string"),
        (
            {"paid": [1_600_000_000]},
            r"Shop\.paid: pinned value 1600000000 at position 0 is not a timestamp",
        ),
        (
            {"paid": ["2021-01-01"]},
            r"Shop\.paid: pinned value '2021-01-01' at position 0 is naive, but the column is in "
            r"time zone UTC",
        ),
        (
            {"day": ["2021-13-01"]},
            r"Shop\.day: pinned value '2021-13-01' at position 0 is not an ISO date",
        ),
        (
            {"day": [pd.Timestamp("2021-01-01 10:00")]},
            r"Shop\.day: pinned value Timestamp\('2021-01-01 10:00:00'\) at position 0 has a time "
            r"of day",
        ),
        # nulls
        (
            {"units": [3, None]},
            r"Shop\.units: pinned value None at position 1 is null, but the column is required "
            r"\(declare \.is_optional\(\) to allow nulls\)",
        ),
        (
            {"price": [np.nan]},
            r"Shop\.price: pinned value nan at position 0 is null, but the column is required",
        ),
        # uniqueness
        (
            {"order_id": [5, 6, 5]},
            r"Shop\.order_id: pinned value 5 at position 2 repeats the value at position 0, but "
            r"the column is unique \(is_unique\(\)\)",
        ),
        # lengths and names
        (
            {"units": [3, 4], "price": [1.0]},
            r"^Shop: with_values\(\) pins sequences of unequal length \(units has 2, price has "
            r"1\); every pinned column needs exactly one value per row\.$",
        ),
    ],
)
def test_bad_pinned_values_raise_contract_errors(values, message):
    before = {k: list(v) for k, v in values.items()}
    with pytest.raises(ContractError, match=message):
        with_values(Shop, values)
    with pytest.raises(ContractError, match=message.replace("with_values", "features_for")):
        features_for(Shop, values)
    assert {k: list(v) for k, v in values.items()} == before


def test_the_article_bug_ph_99_is_caught():
    with pytest.raises(ContractError) as info:
        with_values(WineQuality, {"pH": [3.1, 99], "quality": [4, 8]})
    assert str(info.value) == (
        "WineQuality.pH: pinned value 99 at position 1 is above the upper bound 14.0 "
        "(declared: Float64().bounded_between(0, 14))."
    )


def test_unique_optional_column_allows_one_null_only():
    @data_contract
    class Keys:
        key = Int64().is_unique().is_optional()

    assert with_values(Keys, {"key": [None, 1]}).example(seed=0)["key"].isna().sum() == 1
    with pytest.raises(
        ContractError,
        match=r"Keys\.key: pinned value None at position 2 is a second null \(the first is at "
        r"position 0\)",
    ):
        with_values(Keys, {"key": [None, 1, None]})


def test_aware_value_in_naive_column_and_int8_range():
    @data_contract
    class Log:
        at = Timestamp()
        level = Int8()

    with pytest.raises(
        ContractError,
        match=r"Log\.at: pinned value '2021-01-01T00:00Z' at position 0 has time zone UTC, but "
        r"the column is naive",
    ):
        with_values(Log, {"at": ["2021-01-01T00:00Z"]})
    with pytest.raises(
        ContractError,
        match=r"Log\.level: pinned value 128 at position 0 is above int8's maximum 127",
    ):
        with_values(Log, {"level": [128]})


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"values": {}}, r"pins no column"),
        ({"values": [("alcohol", [1])]}, r"values must map column names to sequences"),
        (
            {"values": {"alcohol": 11}},
            r"values\['alcohol'\] must be a sequence of values \(one per row\), not 11; did you "
            r"mean \[11\]\?",
        ),
        ({"values": {"alcohol": "11"}}, r"must be a sequence of values"),
        ({"values": {"alcohol": np.zeros((2, 2))}}, r"must be one-dimensional"),
        ({"values": {"alcohol": [1]}, "others": "noise"}, r"others='noise' must be 'constant'"),
        ({"values": {"alcohol": [1]}, "others": None}, r"others=None must be 'constant'"),
    ],
)
def test_bad_arguments_raise_invalid_argument(kwargs, message):
    with pytest.raises(InvalidArgument, match=message):
        with_values(WineQuality, **kwargs)
    with pytest.raises(InvalidArgument, match=message):
        features_for(WineQuality, **kwargs)


def test_not_a_contract():
    with pytest.raises(
        InvalidArgument, match=r"with_values\(\) expects a class decorated with @data_contract"
    ):
        with_values(dict, {"a": [1]})
    with pytest.raises(InvalidArgument, match=r"planted\(\) expects"):
        planted(object(), "a", len)


# ------------------------------------------------------------------------------------------
# bad rules


@pytest.mark.parametrize(
    "rule, message",
    [
        (
            lambda X: np.full(len(X), 11),
            r"WineQuality\.quality: rule output 11 at row 0 is above the upper bound 10 "
            r"\(declared: Int64\(\)\.bounded_between\(0, 10\)\)\.",
        ),
        (
            lambda X: [5] * (len(X) - 1) + [-1],
            r"WineQuality\.quality: rule output -1 at row 2 is below the lower bound 0",
        ),
        (
            lambda X: X["alcohol"] * 0 + 4.5,
            r"WineQuality\.quality: rule output 4\.5 at row 0 is not a whole number \(the column "
            r"is int64\)",
        ),
        (
            lambda X: ["4"] * len(X),
            r"WineQuality\.quality: rule output '4' at row 0 is not an integer",
        ),
        (
            lambda X: [None] * len(X),
            r"WineQuality\.quality: rule output None at row 0 is null, but the column is required",
        ),
        (
            lambda X: [4] * (len(X) + 1),
            r"WineQuality\.quality: planted\(\) rule returned 4 values for a 3-row frame",
        ),
        (
            lambda X: 4,
            r"WineQuality\.quality: planted\(\) rule returned 4; it must return one value per row",
        ),
        (lambda X: X, r"WineQuality\.quality: planted\(\) rule returned a DataFrame"),
    ],
)
def test_bad_rule_output_raises_at_the_first_draw(rule, message):
    pattern = planted(WineQuality, "quality", rule, rows=3)  # building is fine
    with pytest.raises(ContractError, match=message):
        pattern.example(seed=0)

    @settings(max_examples=5, database=None)
    @given(pattern)
    def test(df):
        raise AssertionError("never reached")

    with pytest.raises(ContractError, match=message.split(" at row")[0].split(" returned")[0]):
        test()


def test_rule_output_breaking_a_category_or_uniqueness():
    @data_contract
    class Users:
        user_id = Int64().bounded_between(0, 10**6).is_unique()
        score = Int64().bounded_between(0, 100)
        segment = Category(["a", "b"])

    pattern = planted(Users, "segment", lambda X: np.where(X["score"] > 50, "a", "c"), rows=40)
    with pytest.raises(
        ContractError,
        match=r"Users\.segment: rule output 'c' at row \d+ is not one of the categories \['a', "
        r"'b'\]",
    ):
        pattern.example(seed=0)
    dup = planted(Users, "user_id", lambda X: X["score"] // 1000, rows=2)
    with pytest.raises(
        ContractError,
        match=r"Users\.user_id: rule output 0 at row 1 repeats the value at row 0, but the column "
        r"is unique",
    ):
        dup.example(seed=0)
    ok = planted(Users, "user_id", lambda X: np.arange(len(X)) * 7, rows=20).example(seed=0)
    assert ok["user_id"].tolist() == list(range(0, 140, 7))


def test_unknown_pinned_columns_are_bad_arguments():
    for make in (with_values, features_for):
        with pytest.raises(
            InvalidArgument,
            match=rf"^{make.__name__}\(Shop, \.\.\.\): pins 'unit', a column Shop does not "
            r"declare\. Its columns are: order_id, units, ",
        ):
            make(Shop, {"unit": [3]})


def test_planted_argument_errors():
    with pytest.raises(
        InvalidArgument,
        match=r"^planted\(WineQuality, \.\.\.\): targets 'score', a column WineQuality does not",
    ):
        planted(WineQuality, "score", _rule)
    with pytest.raises(InvalidArgument, match=r"rule=3 must be a function"):
        planted(WineQuality, "quality", 3)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match=r"leaves out the target 'quality'"):
        planted(WineQuality, "quality", _rule, columns=["alcohol"])
    with pytest.raises(InvalidArgument, match=r"at least one column besides the target"):
        planted(WineQuality, "quality", _rule, columns=["quality"])
    with pytest.raises(InvalidArgument, match=r"min_rows=5 > max_rows=2"):
        planted(WineQuality, "quality", _rule, min_rows=5, max_rows=2)
    with pytest.raises(InvalidArgument, match=r"Pass either rows=3"):
        planted(WineQuality, "quality", _rule, rows=3, max_rows=4)

    @data_contract
    class Pair:
        x = Int64()
        flag = Bool().is_unique()

    with pytest.raises(InvalidArgument, match=r"Pair\.flag is unique with only 2 possible values"):
        planted(Pair, "flag", lambda X: X["x"] > 0, rows=3)
    ok = planted(Pair, "flag", lambda X: pd.Series([False, True][: len(X)]), min_rows=2)
    assert ok.example(seed=5)["flag"].tolist() == [False, True]


def test_package_exports():
    assert hc.with_values is with_values
    assert hc.features_for is features_for
    assert hc.planted is planted
    assert {"with_values", "features_for", "planted"} <= set(hc.__all__)
    assert re.search(r"seed", SeededExample.__call__.__doc__ or "")
