"""hypo_contracts.shrink: exact minimal frames, failure identity, budgets, regression tests."""

from __future__ import annotations

import datetime as dt
import decimal
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from hypo_contracts import (
    Bool,
    Category,
    ContractViolation,
    Date,
    Decimal,
    Float64,
    Int64,
    NothingToShrink,
    ShrinkResult,
    String,
    Timedelta,
    Timestamp,
    data_contract,
    shrink,
)
from hypo_contracts import shrink_search as shrink_search_module
from hypo_contracts.constraints import canonicalise
from hypo_contracts.kinds import KINDS
from hypo_contracts.shrink_models import column_model, same_value, shrink_cell, simplest_of
from hypo_contracts.shrink_search import frame_key as _key
from hypo_contracts.shrink_search import origin as _origin
from hypo_contracts.shrink_search import row_hashes
from hypo_contracts.shrinking import frame_literal
from hypo_contracts.values import cast_value, lookup_table


def assert_same(actual: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(actual, expected, check_exact=True)


# ------------------------------------------------------------------------------------------
# pipelines with planted bugs (module level, so that to_pytest can import them)


def negative_amount(frame: pd.DataFrame) -> None:
    if (frame["amount"] < 0).any():
        raise ValueError("negative amount")


def daily_table(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.pivot(index="day", columns="sensor", values="reading")


def discount_above_price(frame: pd.DataFrame) -> None:
    if (frame["discount"] > frame["price"]).any():
        raise ArithmeticError("discount larger than the price")


def two_bugs(frame: pd.DataFrame) -> None:
    if len(frame) < 3:
        raise ValueError("need at least 3 rows")
    if (frame["x"] < 0).any():
        raise ValueError("negative x")


def orders(n: int = 2000) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": np.arange(n, dtype=np.int64),
            "amount": np.round(np.linspace(1.0, 100.0, n), 2),
            "city": pd.Series([("Lyon", "Paris", "Nantes", "Lille")[i % 4] for i in range(n)]),
        }
    )


# ------------------------------------------------------------------------------------------
# exact minimal results


def test_single_culprit_row_is_found_with_logarithmic_calls() -> None:
    df = orders(4096)
    df.loc[3001, "amount"] = -5.25
    result = shrink(df, negative_amount)
    assert_same(result.frame, pd.DataFrame({"amount": [-1.0]}))
    assert result.complete and result.stopped_by is None
    assert isinstance(result.error, ValueError) and str(result.error) == "negative amount"
    assert result.calls <= 2 * math.log2(len(df)) + 20


def test_two_interacting_rows_break_a_pivot() -> None:
    n = 3000
    df = pd.DataFrame(
        {
            "day": pd.date_range("2024-01-01", periods=n // 3, freq="D").repeat(3),
            "sensor": pd.Series(["t1", "t2", "t3"] * (n // 3), dtype="str"),
            "reading": np.linspace(-10.0, 40.0, n),
        }
    )
    df.loc[2500, ["day", "sensor"]] = df.loc[400, ["day", "sensor"]].to_numpy()
    daily_table(df.drop(index=2500))  # the planted pair is the only duplicate
    result = shrink(df, daily_table)
    expected = pd.DataFrame(
        {
            "day": pd.Series([pd.Timestamp(0)] * 2, dtype=df["day"].dtype),
            "sensor": pd.Series(["", ""], dtype="str"),
            "reading": [0.0, 0.0],
        }
    )
    assert_same(result.frame, expected)
    assert result.calls <= 300


def test_column_dependent_failure_keeps_only_the_columns_that_matter() -> None:
    df = pd.DataFrame(
        {
            "sku": [f"SKU-{i:04d}" for i in range(400)],
            "price": np.linspace(5.0, 200.0, 400),
            "discount": np.zeros(400),
            "qty": np.arange(400) % 7 + 1,
        }
    )
    df.loc[123, "discount"] = 80.5
    df.loc[123, "price"] = 62.0
    result = shrink(df, discount_above_price)
    assert_same(result.frame, pd.DataFrame({"price": [0.0], "discount": [1.0]}))


def test_column_dependent_failure_under_a_contract_keeps_contract_columns() -> None:
    @data_contract
    class Orders:
        sku = Int64().lower_bound(1).is_unique()
        price = Float64().bounded_between(1, 1000)
        discount = Float64().bounded_between(0, 500)
        qty = Int64().bounded_between(1, 10)

    df = Orders.example(300, seed=3)
    df["discount"] = 0.0
    df.loc[77, "discount"] = 300.5
    df.loc[77, "price"] = 250.0
    result = shrink(df, discount_above_price, contract=Orders)
    expected = pd.DataFrame({"sku": [1], "price": [1.0], "discount": [2.0], "qty": [1]})
    assert_same(result.frame, expected)
    Orders.validate(result.frame)


@pytest.mark.parametrize(
    ("column", "planted", "condition", "minimal"),
    [
        (pd.Series(np.arange(50), dtype="int64"), 123_456, lambda s: s > 1000, 1001),
        (pd.Series(np.full(50, 0.5)), 7.3, lambda s: s > 2.5, 3.0),
        (pd.Series(["abc"] * 50, dtype="str"), "ABCDEFG", lambda s: s.str.len() > 3, "ABCD"),
        (
            pd.Series(
                ["bronze"] * 50,
                dtype=pd.CategoricalDtype(["bronze", "silver", "gold", "platinum"], ordered=True),
            ),
            "platinum",
            lambda s: s >= "gold",
            "gold",
        ),
        (
            pd.Series(pd.date_range("2020-01-01", periods=50, freq="h")),
            pd.Timestamp("2031-05-17 13:45:12"),
            lambda s: s >= pd.Timestamp("2030-01-01"),
            pd.Timestamp("2030-01-01"),
        ),
    ],
    ids=["int", "float", "string", "category", "timestamp"],
)
def test_value_dependent_failure_shrinks_to_the_boundary(
    column: pd.Series, planted: object, condition: object, minimal: object
) -> None:
    df = pd.DataFrame({"key": np.arange(50), "v": column})
    df.loc[31, "v"] = planted

    def pipeline(frame: pd.DataFrame) -> None:
        if condition(frame["v"]).any():  # type: ignore[operator]
            raise ValueError("out of range")

    result = shrink(df, pipeline)
    expected = pd.DataFrame({"v": pd.Series([minimal], dtype=column.dtype)})
    assert_same(result.frame, expected)


def test_null_that_causes_the_failure_is_kept_and_the_rest_simplified() -> None:
    df = pd.DataFrame({"a": np.arange(100, dtype=float), "b": pd.array(range(100), dtype="Int64")})
    df.loc[60, "b"] = pd.NA

    def pipeline(frame: pd.DataFrame) -> None:
        frame["b"].astype("int64")

    result = shrink(df, pipeline)
    assert_same(result.frame, pd.DataFrame({"b": pd.array([pd.NA], dtype="Int64")}))


def test_unique_contract_column_gets_distinct_simplest_values() -> None:
    @data_contract
    class Users:
        user_id = Int64().lower_bound(1).is_unique()
        country = Category(["FR", "DE", "US"])
        handle = String().min_length(2).max_length(10)

    df = Users.example(500, seed=1)
    df["country"] = pd.Categorical(["FR"] * 500, categories=["FR", "DE", "US"])
    df.loc[[40, 410], "country"] = "US"

    def too_many_us(frame: pd.DataFrame) -> None:
        if (frame["country"] == "US").sum() >= 2:
            raise RuntimeError("quota exceeded")

    result = shrink(df, too_many_us, contract=Users)
    expected = pd.DataFrame(
        {
            "user_id": [1, 2],
            "country": pd.Categorical(["US", "US"], categories=["FR", "DE", "US"]),
            "handle": pd.Series(["00", "00"], dtype="str"),
        }
    )
    assert_same(result.frame, expected)
    Users.validate(result.frame)


def test_failure_on_the_empty_frame_gives_the_empty_frame() -> None:
    def needs_rows(frame: pd.DataFrame) -> None:
        if len(frame) < 10_000:
            raise ValueError("too few rows")

    result = shrink(orders(400), needs_rows)
    assert result.frame.shape == (0, 0)


# ------------------------------------------------------------------------------------------
# same failure, inputs, determinism, cache


def test_same_failure_does_not_slide_to_another_bug() -> None:
    df = pd.DataFrame({"x": np.arange(100) + 5, "y": np.ones(100)})
    df.loc[50, "x"] = -40
    result = shrink(df, two_bugs)
    assert str(result.error) == "negative x"
    assert_same(result.frame, pd.DataFrame({"x": [-1, 0, 0]}))

    anything = shrink(df, two_bugs, same_failure=False)
    assert str(anything.error) == "need at least 3 rows"
    assert anything.frame.shape == (0, 0)


def test_same_failure_compares_type_and_place() -> None:
    def raise_at(frame: pd.DataFrame) -> None:
        if len(frame) > 5:
            raise KeyError("a")
        raise KeyError("b")  # same type, another line: another failure

    df = pd.DataFrame({"x": range(20)})
    result = shrink(df, raise_at)
    assert len(result.frame) == 6
    try:
        raise_at(df)
    except KeyError as exc:
        assert _origin(exc) == _origin(result.error)


def test_input_is_never_mutated_even_by_a_mutating_test() -> None:
    df = orders(300)
    df.loc[222, "amount"] = -3.0
    before = df.copy(deep=True)

    def mutating(frame: pd.DataFrame) -> None:
        frame["amount"] = frame["amount"].abs() * -1 if len(frame) > 1e9 else frame["amount"]
        for name in [c for c in frame.columns if c != "amount"]:
            del frame[name]
        negative_amount(frame)

    result = shrink(df, mutating)
    assert_same(df, before)
    assert result.frame is not df
    assert_same(result.frame, pd.DataFrame({"amount": [-1.0]}))


def test_shrinking_is_deterministic() -> None:
    df = orders(1000)
    df.loc[[10, 900], "amount"] = [-2.0, -7.5]
    first, second = shrink(df, negative_amount), shrink(df, negative_amount)
    assert_same(first.frame, second.frame)
    assert first.calls == second.calls


def test_no_candidate_is_run_twice() -> None:
    seen: list[bytes] = []
    df = pd.DataFrame({"day": [1, 2, 3, 4] * 50, "sensor": list("abcdefgh") * 25, "reading": 1.5})
    df.loc[150, ["day", "sensor"]] = [df.loc[3, "day"], df.loc[3, "sensor"]]

    def recording(frame: pd.DataFrame) -> None:
        seen.append(_key(frame))
        daily_table(frame)

    result = shrink(df, recording)
    assert len(seen) == result.calls == len(set(seen))
    assert len(result.frame) == 2


def test_a_return_value_is_not_a_failure_and_a_passing_test_is_an_error() -> None:
    with pytest.raises(NothingToShrink, match="did not raise on the original frame"):
        shrink(orders(10), lambda frame: False)


def test_a_frame_that_breaks_the_contract_is_refused() -> None:
    @data_contract
    class Small:
        n = Int64().bounded_between(0, 3)

    with pytest.raises(ContractViolation, match="does not satisfy its contract"):
        shrink(pd.DataFrame({"n": [1, 7]}), negative_amount, contract=Small)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"max_calls": 0}, ValueError),
        ({"max_calls": 2.5}, ValueError),
        ({"timeout": -1}, ValueError),
        ({"progress": "yes"}, TypeError),
    ],
)
def test_bad_arguments_are_rejected(kwargs: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        shrink(orders(10), negative_amount, **kwargs)  # type: ignore[arg-type]


def test_bad_frame_and_test_are_rejected() -> None:
    with pytest.raises(TypeError, match="DataFrame"):
        shrink([1, 2], negative_amount)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="callable"):
        shrink(orders(10), "negative_amount")  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------
# stopping early: best so far


def _still_fails(result: ShrinkResult, test: object) -> None:
    with pytest.raises(type(result.error)) as info:
        test(result.frame.copy())  # type: ignore[operator]
    assert _origin(info.value) == _origin(result.error)


def test_max_calls_returns_the_best_frame_so_far() -> None:
    df = orders(4096)
    df.loc[3001, "amount"] = -5.25
    result = shrink(df, negative_amount, max_calls=6)
    assert (result.calls, result.complete, result.stopped_by) == (6, False, "max_calls")
    assert 1 <= len(result.frame) < len(df)
    _still_fails(result, negative_amount)


def test_timeout_returns_the_best_frame_so_far(monkeypatch: pytest.MonkeyPatch) -> None:
    ticks = iter(range(10**6))
    monkeypatch.setattr(shrink_search_module, "_now", lambda: float(next(ticks)))
    df = orders(4096)
    df.loc[3001, "amount"] = -5.25
    result = shrink(df, negative_amount, timeout=8)
    assert (result.complete, result.stopped_by) == (False, "timeout")
    assert result.calls < 10
    assert len(result.frame) < len(df)
    _still_fails(result, negative_amount)


def test_keyboard_interrupt_returns_the_best_frame_so_far() -> None:
    calls = 0

    def interrupted(frame: pd.DataFrame) -> None:
        nonlocal calls
        calls += 1
        if calls == 9:
            raise KeyboardInterrupt
        negative_amount(frame)

    df = orders(4096)
    df.loc[3001, "amount"] = -5.25
    result = shrink(df, interrupted)
    assert (result.calls, result.complete, result.stopped_by) == (9, False, "interrupt")
    assert len(result.frame) < len(df)
    _still_fails(result, negative_amount)


def test_keyboard_interrupt_on_the_original_frame_propagates() -> None:
    def interrupted(frame: pd.DataFrame) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        shrink(orders(10), interrupted)


def test_progress_display_can_be_forced(capsys: pytest.CaptureFixture[str]) -> None:
    df = orders(64)
    df.loc[5, "amount"] = -1.0
    shrink(df, negative_amount, progress=True)
    assert "calls" in capsys.readouterr().err
    shrink(df, negative_amount)
    assert capsys.readouterr().err == ""


# ------------------------------------------------------------------------------------------
# regression tests


def _run_generated(source: str) -> dict[str, object]:
    namespace: dict[str, object] = {}
    exec(compile(source, "<generated test>", "exec"), namespace)
    return namespace


def test_to_pytest_source_runs_and_fails_the_same_way() -> None:
    n = 600
    df = pd.DataFrame(
        {
            "day": pd.date_range("2024-03-01", periods=n // 3, freq="D", tz="Europe/Paris").repeat(
                3
            ),
            "sensor": pd.Categorical(["t1", "t2", "t3"] * (n // 3)),
            "reading": pd.array(np.arange(n), dtype="Int64"),
        }
    )
    df.loc[500, ["day", "sensor"]] = [df.loc[4, "day"], df.loc[4, "sensor"]]
    result = shrink(df, daily_table)
    source = result.to_pytest("test_pivot_regression")
    assert "from tests.test_shrinking import daily_table" in source
    assert source.rstrip().endswith("    daily_table(df)")  # a plain call: fails until fixed
    namespace = _run_generated(source)
    with pytest.raises(ValueError) as generated:
        namespace["test_pivot_regression"]()  # type: ignore[operator]
    assert _origin(generated.value) == _origin(result.error)

    rebuilt = eval(frame_literal(result.frame), {"pd": pd, "np": np})
    assert_same(rebuilt, result.frame)
    with pytest.raises(ValueError) as info:
        daily_table(rebuilt)
    assert _origin(info.value) == _origin(result.error)


def test_to_pytest_names_the_exception_and_rejects_local_functions() -> None:
    from pandas.errors import IntCastingNaNError

    df = pd.DataFrame({"x": [1.0, np.nan, 3.0]})

    def local(frame: pd.DataFrame) -> None:
        frame["x"].astype("int64")

    result = shrink(df, local)
    assert isinstance(result.error, IntCastingNaNError)
    with pytest.raises(ValueError, match="target="):
        result.to_pytest()
    source = result.to_pytest(target="somewhere.pipeline:local")
    assert "# raised IntCastingNaNError: " in source
    assert "from somewhere.pipeline import local" in source
    assert "import pytest" not in source
    with pytest.raises(ValueError, match="identifier"):
        result.to_pytest("not a name")


def test_frame_literal_round_trips_every_dtype() -> None:
    df = pd.DataFrame(
        {
            "i": np.array([1, -2, 3], dtype=np.int64),
            "u": np.array([0, 2**63, 7], dtype=np.uint64),
            "i8": np.array([1, 2, -128], dtype=np.int8),
            "ni": pd.array([1, None, 3], dtype="Int64"),
            "f": [1.5, np.nan, -np.inf],
            "f32": np.array([0.1, 2.5, np.inf], dtype=np.float32),
            "b": [True, False, True],
            "nb": pd.array([True, None, False], dtype="boolean"),
            "s": pd.Series(["a 'q'", None, 'd"q'], dtype="str"),
            "c": pd.Categorical(["lo", None, "hi"], categories=["lo", "hi"], ordered=True),
            "c_int": pd.Categorical([3, 1, 3], categories=[3, 1]),
            "t": pd.to_datetime(
                ["2020-01-01T10:00:00.000000001", None, "1970-01-01"], format="ISO8601"
            ),
            "t_us": pd.Series(pd.to_datetime(["2021-05-01", "2021-06-01", None])).astype(
                "datetime64[us]"
            ),
            "tz": pd.to_datetime(["2024-03-31 01:30", None, "2024-10-27 02:30"]).tz_localize(
                "Europe/Paris", ambiguous=True
            ),
            "td": pd.to_timedelta(["1 days 00:00:01", None, "-3h"]),
            "o": pd.Series([None, 1, ["x", (2,)]], dtype=object),
            3: [np.nan, None, "z"],
        }
    ).set_axis(pd.Index(["r1", "r2", "r3"], name="row"), axis=0)
    assert df["o"].iloc[2] == ["x", (2,)] and df["s"].iloc[2] == 'd"q'
    imports: set[str] = set()
    source = frame_literal(df, imports)
    assert imports == {"pandas as pd", "numpy as np"}
    assert_same(eval(source, {"pd": pd, "np": np}), df)


def test_frame_literal_handles_duplicate_names_and_zero_columns() -> None:
    dup = pd.DataFrame([[1, "a"], [2, "b"]], columns=["x", "x"])
    assert_same(eval(frame_literal(dup), {"pd": pd}), dup)
    empty = pd.DataFrame(index=pd.RangeIndex(4))
    assert_same(eval(frame_literal(empty), {"pd": pd}), empty)
    with pytest.raises(ValueError, match="literal"):
        frame_literal(pd.DataFrame({"o": [object()]}))


def test_contract_timestamps_stay_valid_and_simplest() -> None:
    @data_contract
    class Events:
        at = Timestamp(time_zone="UTC").bounded_between(
            pd.Timestamp("2020-01-01", tz="UTC"), pd.Timestamp("2030-01-01", tz="UTC")
        )
        kind = String().accepted_values(["click", "view", "buy"])

    df = Events.example(200, seed=5)
    df.loc[150, "kind"] = "buy"
    df["kind"] = df["kind"].where(df.index == 150, "click")

    def no_buy(frame: pd.DataFrame) -> None:
        if (frame["kind"] == "buy").any():
            raise LookupError("buy")

    result = shrink(df, no_buy, contract=Events)
    expected = pd.DataFrame(
        {
            "at": pd.Series([pd.Timestamp("2020-01-01", tz="UTC")], dtype=df["at"].dtype),
            "kind": pd.Series(["buy"], dtype=df["kind"].dtype),
        }
    )
    assert_same(result.frame, expected)


def test_every_candidate_run_under_a_contract_is_valid() -> None:
    @data_contract
    class Parts:
        code = String().regex(r"[A-Z]{3}-\d{2}")
        size = Int64().bounded_between(10, 20)
        grade = Category(["a", "b", "c"])

    df = Parts.example(300, seed=11)
    df["code"] = "ABC-12"
    df.loc[211, "code"] = "QRS-97"
    received: list[pd.DataFrame] = []

    def q_codes(frame: pd.DataFrame) -> None:
        received.append(frame)
        if frame["code"].str.startswith("Q").any():
            raise ValueError("Q parts are discontinued")

    result = shrink(df, q_codes, contract=Parts)
    assert len(received) == result.calls
    for frame in received:
        Parts.validate(frame)
    expected = pd.DataFrame(
        {
            "code": pd.Series(["QRS-97"], dtype="str"),
            "size": [10],
            "grade": pd.Categorical(["a"], categories=["a", "b", "c"]),
        }
    )
    assert_same(result.frame, expected)


# ------------------------------------------------------------------------------------------
# found by trying shrink() as a new user would


def test_unique_regex_column_gets_the_simplest_match_and_never_goes_back() -> None:
    # the columns pass used to put back a random regex match over the simplest one ("AA-000")
    # that the values pass had found
    @data_contract
    class Members:
        code = String().regex(r"[A-Z]{2}-\d{3}").is_unique()
        tier = Category(["gold", "silver", "bronze"])
        age = Int64().bounded_between(18, 120)

    df = Members.example(400, seed=3)
    df["age"] = df["age"].clip(upper=60)
    df.loc[321, ["tier", "age"]] = ["bronze", 99]

    def bronze_senior(frame: pd.DataFrame) -> None:
        if ((frame["tier"] == "bronze") & (frame["age"] > 65)).any():
            raise ValueError("bronze senior")

    result = shrink(df, bronze_senior, contract=Members)
    expected = pd.DataFrame(
        {
            "code": pd.Series(["AA-000"], dtype="str"),
            "tier": pd.Categorical(["bronze"], categories=["gold", "silver", "bronze"]),
            "age": [66],
        }
    )
    assert_same(result.frame, expected)


def test_row_subsets_are_keyed_from_the_row_hashes_of_their_base() -> None:
    df = pd.DataFrame(
        {
            "o": pd.Series([1, "1", True, None, 1.0] * 4, dtype=object),
            "c": pd.Categorical(list("abab") * 5),
            "t": pd.date_range("2024-01-01", periods=20, tz="UTC"),
        },
        index=[f"r{i}" for i in range(20)],
    )
    hashes = row_hashes(df)
    assert hashes is not None
    for keep in ([3, 11, 7], [], list(range(20))):
        rows = np.array(keep, dtype=np.int64)
        assert _key(df.iloc[rows], hashes[rows]) == _key(df.iloc[rows])
    # pandas hashes objects by str(): 1, "1", True and 1.0 must still be different candidates
    cells = [pd.DataFrame({"o": pd.Series([v], dtype=object)}) for v in (1, "1", True, 1.0)]
    assert len({_key(frame) for frame in cells}) == 4


def test_a_failure_that_needs_every_row_rechecks_rows_one_by_one() -> None:
    n = 200
    df = pd.DataFrame({"x": np.arange(n), "y": 0.5})

    def needs_all(frame: pd.DataFrame) -> None:
        assert len(frame) < n

    result = shrink(df, needs_all)
    assert result.frame.shape == (n, 0)
    # chunk deletion with halving chunks (332 calls), then, once the columns are gone, one
    # call per row to re-check 1-minimality (the second round used to repeat the chunk
    # deletion: 680 calls in all)
    assert result.calls == 550


def test_a_flaky_test_terminates_on_a_frame_that_failed() -> None:
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"x": np.arange(500, dtype=float)})
    df.loc[321, "x"] = -4.5
    failed: list[bytes] = []

    def flaky(frame: pd.DataFrame) -> None:
        if (frame["x"] < 0).any() and (not failed or rng.random() < 0.5):
            failed.append(_key(frame))
            raise ValueError("sometimes")

    result = shrink(df, flaky)
    assert result.complete
    assert _key(result.frame) in failed
    assert (result.frame["x"] < 0).any()


def test_system_exit_from_the_test_is_a_failure_like_any_other() -> None:
    df = pd.DataFrame({"x": np.arange(300)})
    df.loc[200, "x"] = -7

    def exits(frame: pd.DataFrame) -> None:
        if (frame["x"] < 0).any():
            sys.exit(3)

    result = shrink(df, exits)
    assert isinstance(result.error, SystemExit) and result.error.code == 3
    assert_same(result.frame, pd.DataFrame({"x": [-1]}))


@pytest.mark.pandas3
def test_multiindex_columns_string_and_duplicated_indexes_shrink_and_round_trip() -> None:
    n = 300
    df = pd.DataFrame(
        {
            ("price", "eur"): np.linspace(1.0, 9.0, n),
            ("price", "usd"): np.linspace(1.0, 9.0, n),
            ("meta", "note"): pd.Series(["ok"] * n, dtype="str"),
        },
        index=pd.Index([f"row{i // 2}" for i in range(n)], name="id"),  # duplicated labels
    )
    df.iloc[123, 1] = -2.5
    result = shrink(df, usd_negative)
    expected = pd.DataFrame({("price", "usd"): [-1.0]})
    assert_same(result.frame, expected)
    with pytest.raises(type(result.error)):
        _run_generated(result.to_pytest())["test_regression"]()  # type: ignore[operator]

    def label_row7(frame: pd.DataFrame) -> None:
        if "row7" in frame.index:
            raise KeyError("row7")

    labelled = shrink(df, label_row7)
    assert labelled.frame.shape == (1, 0) and list(labelled.frame.index) == ["row7"]
    rebuilt = eval(frame_literal(labelled.frame), {"pd": pd, "np": np})
    assert_same(rebuilt, labelled.frame)


def usd_negative(frame: pd.DataFrame) -> None:
    if (frame[("price", "usd")] < 0).any():
        raise ValueError("negative usd price")


def category_and_nullable(frame: pd.DataFrame) -> None:
    if ((frame["cat"] == "z") & (frame["n"] > 50)).any():
        raise ValueError("z over 50")


def late_in_paris(frame: pd.DataFrame) -> None:
    if (frame["at"] > pd.Timestamp("2024-01-10", tz="UTC")).any():
        raise ValueError("late")


def tuple_in_objects(frame: pd.DataFrame) -> None:
    if any(isinstance(v, tuple) for v in frame["o"]):
        raise TypeError("tuple")


def two_trues(frame: pd.DataFrame) -> None:
    if frame["flag"].sum() >= 2:
        raise ValueError("two flags")


def long_period(frame: pd.DataFrame) -> None:
    if (frame["p"] > pd.Period("2020-03", "M")).any() or (
        frame["td"] > pd.Timedelta(hours=30)
    ).any():
        raise ValueError("late period or long wait")


@pytest.mark.parametrize(
    "test",
    [category_and_nullable, late_in_paris, tuple_in_objects, two_trues, long_period],
    ids=lambda f: f.__name__,
)
def test_to_pytest_runs_for_every_kind_of_column(test: object) -> None:
    n = 240
    rng = np.random.default_rng(1)
    df = pd.DataFrame(
        {
            "cat": pd.Categorical(rng.choice(["x", "y", "z"], n)),
            "n": pd.array(rng.integers(0, 100, n), dtype="Int64"),
            "flag": rng.random(n) > 0.5,
            "at": pd.date_range("2024-01-01", periods=n, freq="h", tz="Europe/Paris"),
            "o": pd.Series([1, "a", 2.5, None, True, (1, 2)] * (n // 6), dtype=object),
            "p": pd.period_range("2020-01", periods=n, freq="M"),
            "td": pd.to_timedelta(np.arange(n), unit="h"),
        }
    )
    df.loc[5, "n"] = pd.NA
    result = shrink(df, test)  # type: ignore[arg-type]
    rebuilt = eval(frame_literal(result.frame), {"pd": pd, "np": np})
    assert_same(rebuilt, result.frame)
    with pytest.raises(type(result.error)) as generated:
        _run_generated(result.to_pytest())["test_regression"]()  # type: ignore[operator]
    assert _origin(generated.value) == _origin(result.error)


def test_frame_literal_writes_the_less_common_python_values() -> None:
    values = [
        decimal.Decimal("1.50"),
        complex(np.nan, 1.0),
        np.datetime64(1, "ns"),  # .item() would give the int 1
        np.timedelta64(3, "ms"),
        np.datetime64("NaT", "ns"),
        {2, 1},
        frozenset(),
        dt.datetime(2024, 1, 2, 3, tzinfo=dt.timezone.utc),
    ]
    df = pd.DataFrame({"o": pd.Series(values, dtype=object)})
    imports: set[str] = set()
    source = frame_literal(df, imports)
    assert imports == {"pandas as pd", "numpy as np", "decimal", "datetime"}
    rebuilt = eval(source, {"pd": pd, "np": np, "decimal": decimal, "datetime": dt})
    assert [repr(v) for v in rebuilt["o"]] == [repr(v) for v in values]
    no_columns = pd.DataFrame({"a": [1, 2]}, index=["x", "y"]).iloc[:, []]
    assert_same(eval(frame_literal(no_columns), {"pd": pd}), no_columns)
    # 1 == True: as dict keys they were one column; MultiIndex level names were dropped
    equal_names = pd.DataFrame([[1, 2.0]], columns=[1, True])
    assert_same(eval(frame_literal(equal_names), {"pd": pd}), equal_names)
    levels = pd.MultiIndex.from_tuples([("a", "b"), ("a", "c")], names=["l1", "l2"])
    named_levels = pd.DataFrame([[1, 2]], columns=levels)
    assert_same(eval(frame_literal(named_levels), {"pd": pd}), named_levels)
    python_strings = pd.DataFrame({"s": pd.Series(["a", None], dtype="string[python]")})
    assert_same(eval(frame_literal(python_strings), {"pd": pd}), python_strings)


# ------------------------------------------------------------------------------------------
# dtype variants: what pandas 3, CSV and Parquet produce by default


def _round_trip(df: pd.DataFrame, how: str, tmp_path: Path) -> pd.DataFrame:
    if how == "csv":
        df.to_csv(tmp_path / "f.csv", index=False)
        dates = ["v"] if df["v"].dtype.kind == "M" else None
        return pd.read_csv(tmp_path / "f.csv", parse_dates=dates)
    if how == "parquet":
        df.to_parquet(tmp_path / "f.parquet")
        return pd.read_parquet(tmp_path / "f.parquet")
    return df


_LO, _HI = pd.Timestamp("2024-01-01"), pd.Timestamp("2024-12-31")
_UTC = (_LO.tz_localize("UTC"), _HI.tz_localize("UTC"))
_DAYS = pd.Series(pd.date_range("2024-02-01", periods=6, freq="37h"))
# name -> (contract column or None when validate refuses the dtype, values, simplest without
# a contract, simplest under the contract)
_VARIANTS: dict[str, tuple[object, pd.Series, object, object]] = {
    **{
        f"ts-{unit}": (
            Timestamp().bounded_between(_LO, _HI),
            _DAYS.dt.as_unit(unit),
            pd.Timestamp("1970-01-01"),
            _LO,
        )
        for unit in ("ns", "us", "ms", "s")
    },
    **{
        f"ts-{unit}-utc": (
            Timestamp(time_zone="UTC").bounded_between(*_UTC),
            _DAYS.dt.tz_localize("UTC").dt.as_unit(unit),
            pd.Timestamp("1970-01-01", tz="UTC"),
            _UTC[0],
        )
        for unit in ("ns", "us", "ms", "s")
    },
    "date-us": (Date(), _DAYS.dt.normalize().dt.as_unit("us"), pd.Timestamp(0), pd.Timestamp(0)),
    "bool": (Bool().is_optional(), pd.Series([True, False] * 3), False, False),
    "boolean": (Bool().is_optional(), pd.Series([True, False] * 3, dtype="boolean"), False, False),
    "object": (String(), pd.Series(list("abcdef"), dtype=object), "", ""),
    "str": (String(), pd.Series(list("abcdef"), dtype="str"), "", ""),
    "string[pyarrow]": (None, pd.Series(list("abcdef"), dtype="string[pyarrow]"), "", ""),
    "arrow": (None, pd.Series(list("abcdef"), dtype=pd.ArrowDtype(pa.string())), "", ""),
    "int64": (Int64().bounded_between(3, 9), pd.Series([4, 5, 6, 7, 8, 9]), 0, 3),
    "Int64": (
        Int64().bounded_between(3, 9).is_optional(),
        pd.Series([4, 5, 6, 7, 8, 9], dtype="Int64"),
        0,
        3,
    ),
}


@pytest.mark.parametrize("how", ["memory", "csv", "parquet"])
@pytest.mark.parametrize(
    ("variant", "with_contract"),
    [
        pytest.param(name, with_contract, id=f"{name}-{'contract' if with_contract else 'plain'}")
        for name, (column, *_) in _VARIANTS.items()
        for with_contract in (False, True)
        if column is not None or not with_contract
    ],
)
def test_every_dtype_variant_shrinks_to_the_exact_minimal_frame(
    variant: str, with_contract: bool, how: str, tmp_path: Path
) -> None:
    column, values, plain_simplest, contract_simplest = _VARIANTS[variant]
    base = pd.DataFrame({"user": [3, 5, 3, 7, 3, 9], "v": values})
    df = _round_trip(base, how, tmp_path)
    contract = None
    if with_contract:
        contract = data_contract(
            type("Events", (), {"user": Int64().bounded_between(1, 10), "v": column})
        )
        contract.validate(df)  # the frame is one the contract accepts

    def three_events(frame: pd.DataFrame) -> None:
        counts = frame.groupby("user")["v"].size()  # needs v: dropping it is another failure
        if (counts >= 3).any():
            raise ValueError("a user with 3 events")

    result = shrink(df, three_events, contract=contract)
    simplest = contract_simplest if with_contract else plain_simplest
    expected = pd.DataFrame(
        {
            "user": pd.Series([1 if with_contract else 0] * 3, dtype=df["user"].dtype),
            "v": pd.Series([simplest] * 3).astype(df["v"].dtype),
        }
    )
    assert_same(result.frame, expected)


# ------------------------------------------------------------------------------------------
# generated test modules run by pytest itself

_FEATURES = '''
import pandas as pd


def test_features(events: pd.DataFrame) -> None:
    """Named like a test, as users' feature builders often are."""
    if {bug} and (events.groupby("user").size() >= 3).any():
        raise ValueError("a user with 3 events")
'''


def _pytest_in(directory: Path, *files: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *files],
        cwd=directory,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_generated_module_for_a_test_named_function_runs_inside_and_outside_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    project.mkdir()
    elsewhere.mkdir()
    (project / "hc_features.py").write_text(_FEATURES.format(bug=True))
    monkeypatch.syspath_prepend(str(project))
    monkeypatch.delitem(sys.modules, "hc_features", raising=False)
    import hc_features  # type: ignore[import-not-found]

    try:
        df = pd.DataFrame({"user": [3, 5, 3, 7, 3, 9], "n": range(6)})
        source = shrink(df, hc_features.test_features).to_pytest()
    finally:
        del sys.modules["hc_features"]
    assert "from hc_features import test_features as _test_features" in source
    for directory in (project, elsewhere):
        (directory / "test_regression_features.py").write_text(source)
        run = _pytest_in(directory, "test_regression_features.py")
        output = run.stdout + run.stderr
        # exactly one test, the generated one, failing with the user's error
        assert run.returncode == 1, output
        assert run.stdout.strip().splitlines()[-1].startswith("1 failed in "), output
        assert "ValueError: a user with 3 events" in output
    (project / "hc_features.py").write_text(_FEATURES.format(bug=False))  # the fix
    for directory in (project, elsewhere):
        run = _pytest_in(directory, "test_regression_features.py")
        last = run.stdout.strip().splitlines()[-1]
        assert run.returncode == 0 and last.startswith("1 passed in "), run.stdout + run.stderr


# ------------------------------------------------------------------------------------------
# timestamps: the coarsest whole unit that still fails

_AT = pd.Timestamp("2024-03-05 17:42:10.250", tz="UTC")


def _utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


@pytest.mark.pandas3
@pytest.mark.parametrize("with_contract", [False, True], ids=["plain", "contract"])
def test_timestamps_shrink_to_the_coarsest_whole_unit_that_still_fails(
    with_contract: bool,
) -> None:
    @data_contract
    class Clicks:
        ts = Timestamp(time_zone="UTC").bounded_between(_utc("2024-01-01"), _utc("2024-12-31"))

    early = pd.date_range("2024-01-03 05:17:09", periods=40, freq="29h", tz="UTC")
    df = pd.DataFrame({"ts": early.append(pd.DatetimeIndex([_AT])), "n": range(41)})
    assert df["ts"].dtype == "datetime64[us, UTC]" and df["ts"].iloc[-2] < _utc("2024-03-05")
    end = _utc("2100-01-01")
    # (failing window, the simplest failing value: the coarsest unit between the simplest
    # value and the planted one, then the closest to the simplest)
    windows = [
        ((_utc("2024-03-04 20:00:01"), end), _utc("2024-03-05")),
        ((_utc("2024-03-05 13:00:01"), end), _utc("2024-03-05 14:00")),
        ((_utc("2024-03-05 17:00"), _utc("2024-03-05 18:00")), _utc("2024-03-05 17:00")),
        ((_utc("2024-03-05 17:41:30"), _utc("2024-03-05 17:43")), _utc("2024-03-05 17:42")),
        ((_utc("2024-03-05 17:42:09.5"), end), _utc("2024-03-05 17:42:10")),
        ((_AT - pd.Timedelta(milliseconds=5), end), _AT - pd.Timedelta(milliseconds=5)),
    ]
    for (start, stop), minimal in windows:

        def in_window(frame: pd.DataFrame, start: object = start, end: object = stop) -> None:
            if ((frame["ts"] >= start) & (frame["ts"] < end)).any():
                raise ValueError("in the window")

        result = shrink(df, in_window, contract=Clicks if with_contract else None)
        expected = pd.DataFrame({"ts": pd.Series([minimal], dtype=df["ts"].dtype)})
        assert_same(result.frame, expected)


def test_timedeltas_shrink_to_whole_days_when_a_whole_day_fails() -> None:
    df = pd.DataFrame({"wait": pd.to_timedelta(np.arange(30), unit="min")})
    df.loc[17, "wait"] = pd.Timedelta(hours=52, minutes=13, seconds=7)

    def long_wait(frame: pd.DataFrame) -> None:
        if (frame["wait"] > pd.Timedelta(hours=30)).any():
            raise ValueError("long wait")

    result = shrink(df, long_wait)
    expected = pd.DataFrame({"wait": pd.Series([pd.Timedelta(days=2)], dtype=df["wait"].dtype)})
    assert_same(result.frame, expected)


def test_distinct_contract_timestamps_and_dates_are_whole_days_apart() -> None:
    @data_contract
    class Visits:
        at = Timestamp(time_zone="UTC").bounded_between(_utc("2024-01-01"), _utc("2024-12-31"))
        day = Date()

    n = 20
    df = pd.DataFrame(
        {
            "at": pd.date_range("2024-02-01 08:00", periods=n, freq="37min", tz="UTC"),
            "day": pd.date_range("2024-02-01", periods=n, freq="D").as_unit("ns"),
        }
    )
    Visits.validate(df)

    def needs_two_distinct(frame: pd.DataFrame) -> None:
        if len(frame) >= 2 and frame["at"].is_unique and frame["day"].is_unique:
            raise ValueError("two visits")

    result = shrink(df, needs_two_distinct, contract=Visits)
    expected = pd.DataFrame(
        {
            "at": pd.Series([_utc("2024-01-01"), _utc("2024-01-02")], dtype=df["at"].dtype),
            "day": pd.Series(pd.to_datetime(["1970-01-01", "1970-01-02"]), dtype=df["day"].dtype),
        }
    )
    assert_same(result.frame, expected)


ONE_COLUMN_PER_KIND = [
    Bool(),
    Int64(),
    Float64(),
    String(),
    Timestamp(time_zone="UTC"),
    Date(),
    Timedelta(),
    Decimal(6, 2),
    Category(["a", "b", "c"]),
]


def test_one_column_per_kind_covers_every_registered_kind() -> None:
    kinds = {canonicalise(col, contract="Kinds", name="x").kind for col in ONE_COLUMN_PER_KIND}
    assert kinds == set(KINDS)  # a new kind: add its column, so that its shrinking is tested


@pytest.mark.parametrize("column", ONE_COLUMN_PER_KIND, ids=repr)
def test_every_kind_shrinks_a_cell_from_its_simplest_value_to_values_of_the_column(
    column: Any,
) -> None:
    # shrink_cell asks the column's kind (Kind.shrink_value) for its candidates: each kind
    # must try the simplest value first and then only values its column holds
    c = canonicalise(column, contract="Kinds", name="x")
    frame = data_contract(type("Kinds", (), {"x": column})).example(30, seed=4)
    model = column_model(frame["x"], c, droppable=True)
    simplest = simplest_of(model)
    value = next(v for v in frame["x"] if not same_value(v, simplest))
    tried: list[Any] = []
    shrink_cell(model, value, frame["x"].dtype, lambda cand: tried.append(cand) or False)
    assert tried and same_value(tried[0], simplest)
    lookup = lookup_table(c)
    for cand in tried:
        cast_value(c, cand, lookup)  # BadValue when a candidate is not a value of the column
        assert not same_value(cand, value)
