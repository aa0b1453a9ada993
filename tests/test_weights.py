"""Weights of categories and accepted values: checked at declaration, honoured by the numpy
sampler and by frames(), invisible to validation and to shrinking's target."""

from __future__ import annotations

import math
import statistics

import pytest
from hypothesis import Phase, find, given, settings

from hypo_contracts import Category, ContractError, Int64, String, data_contract, frames


def declare(**columns):
    return data_contract(type("C", (), columns))


def error_for(**columns) -> str:
    with pytest.raises(ContractError) as err:
        declare(**columns)
    return str(err.value)


@data_contract
class Churn:
    churned = Category(["no", "yes"], weights=[0.9, 0.1])
    plan = String().accepted_values(["free", "pro", "team"], weights=[6, 3, 1])
    seats = Int64().accepted_values([1, 5, 50], weights=[1, 1, 2]).is_optional()


def assert_frequencies(series, expected: dict) -> None:
    n = int(series.notna().sum())
    counts = series.value_counts()
    for value, p in expected.items():
        se = math.sqrt(p * (1 - p) / n)
        observed = counts.get(value, 0) / n
        assert abs(observed - p) < 5 * se, (value, observed, p)


def test_example_draws_values_with_their_weights():
    df = Churn.example(100_000, seed=1)
    assert_frequencies(df["churned"], {"no": 0.9, "yes": 0.1})
    assert_frequencies(df["plan"], {"free": 0.6, "pro": 0.3, "team": 0.1})
    assert_frequencies(df["seats"], {1: 0.25, 5: 0.25, 50: 0.5})
    assert df["seats"].isna().any()
    Churn.validate(df)


def test_values_removed_by_other_constraints_take_their_weight_with_them():
    C = declare(n=Int64().accepted_values([1, 2, 30], weights=[3, 1, 96]).upper_bound(10))
    assert C.__contract__.canonical["n"].weights == (0.75, 0.25)
    assert_frequencies(C.example(100_000, seed=2)["n"], {1: 0.75, 2: 0.25})


def test_frames_show_the_imbalance():
    def common_shares(label: Category) -> list[float]:
        Target = declare(label=label)
        seen: list[float] = []

        @settings(
            max_examples=100,
            database=None,
            deadline=None,
            phases=[Phase.generate],
            derandomize=True,
        )
        @given(frames(Target, rows=200))
        def run(df):
            Target.validate(df)
            seen.append(float((df["label"] == "common").mean()))

        run()
        # frames whose every row is the simplest ("rare") draw no cell: leave them out
        return [s for s in seen if s > 0]

    weighted = common_shares(Category(["rare", "common"], weights=[1, 19]))
    plain = common_shares(Category(["rare", "common"]))
    assert len(weighted) >= 50 and len(plain) >= 50
    # unweighted, frames favour the first category; weighted, the typical frame with drawn
    # cells is mostly "common"
    assert statistics.median(plain) < 0.5 < 0.75 < statistics.median(weighted)


def test_shrinking_still_reaches_the_first_value():
    @data_contract
    class Target:
        label = Category(["rare", "common"], weights=[1, 99])
        plan = String().accepted_values(["free", "pro"], weights=[1, 99])

    df = find(
        frames(Target, min_rows=1),
        lambda df: len(df) > 0,
        settings=settings(database=None, max_examples=200),
    )
    assert df.to_dict("records") == [{"label": "rare", "plan": "free"}]


def test_reprs_show_the_weights():
    assert repr(Category(["a", "b"], weights=[0.9, 0.1])) == (
        "Category(['a', 'b'], weights=[0.9, 0.1])"
    )
    assert repr(Category(["a", "b"], weights=[3, 1]).is_optional()) == (
        "Category(['a', 'b'], weights=[3, 1]).is_optional()"
    )
    assert repr(Int64().accepted_values([1, 2], weights=[1, 3])) == (
        "Int64().accepted_values([1, 2], weights=[1, 3])"
    )
    assert "weights=(0.25, 0.75)" in repr(
        declare(x=Int64().accepted_values([1, 2], weights=[1, 3])).__contract__.canonical["x"]
    )


def canonical(column):
    return declare(x=column).__contract__.canonical["x"]


def test_weights_are_part_of_equality():
    assert Category(["a", "b"], weights=[1, 1]) != Category(["a", "b"])
    assert Category(["a", "b"], weights=[1, 3]) == Category(["a", "b"], weights=[1, 3])
    assert canonical(Category(["a", "b"], weights=[9, 1])) == canonical(
        Category(["a", "b"], weights=[0.9, 0.1])
    )
    assert canonical(Category(["a", "b"], weights=[9, 1])) != canonical(
        Category(["a", "b"], weights=[1, 9])
    )
    assert canonical(Category(["a", "b"])) != canonical(Category(["a", "b"], weights=[1, 1]))


@pytest.mark.parametrize(
    ("column", "message"),
    [
        (
            Category(["a", "b"], weights=[1]),
            "C.x: Category(['a', 'b'], weights=[1]): 1 weight for 2 values; give one weight "
            "per value.",
        ),
        (
            Category(["a", "b"], weights=[1, -1]),
            "C.x: Category(['a', 'b'], weights=[1, -1]): weight -1 is not > 0; every weight "
            "is positive (leave out a value that should never occur).",
        ),
        (Category(["a", "b"], weights=[0, 0]), "weight 0 is not > 0"),
        (Category(["a", "b"], weights=[1, float("nan")]), "weight nan is not a finite number"),
        (Category(["a", "b"], weights=[1, float("inf")]), "weight inf is not a finite number"),
        (Category(["a", "b"], weights=[1, "2"]), "weight '2' is not a number"),
        (Category(["a", "b"], weights=[1, True]), "weight True is not a number"),
        (
            String().accepted_values(["a", "b", "c"], weights=[1, 2]),
            "C.x: accepted_values(['a', 'b', 'c'], weights=[1, 2]): 2 weights for 3 values",
        ),
        (Int64().accepted_values([1, 2], weights=[1, 0]), "weight 0 is not > 0"),
        (
            Int64().accepted_values([1, 2], weights=[1, 1]).accepted_values([1], weights=[1]),
            "one weighted accepted_values() per column",
        ),
    ],
)
def test_bad_weights_are_contract_errors(column, message):
    assert message in error_for(x=column)


def test_weights_must_be_a_list():
    with pytest.raises(TypeError, match="weights takes a list"):
        Category(["a"], weights=1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="weights takes a list"):
        String().accepted_values(["a"], weights="1")  # type: ignore[arg-type]


def test_normalised_weights_re_declare_to_the_same_canonical_column() -> None:
    # to_source writes the normalised weights; declaring them again must not divide again
    # (3/104 re-normalised moves its last digit, and the round trip would not be equal)
    from hypo_contracts.weights import check_weights

    once = check_weights(("a", "b", "c"), (3, 28, 73), "Category", ValueError)
    assert check_weights(("a", "b", "c"), once, "Category", ValueError) == once
    assert once == (3 / 104, 28 / 104, 73 / 104)
