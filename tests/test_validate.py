"""Contract.validate, to_pandera and Contract.example."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pytest
from hypothesis.errors import InvalidArgument

from hypo_contracts import (
    Bool,
    Category,
    ContractViolation,
    Date,
    Float64,
    Int64,
    String,
    Timestamp,
    UInt8,
    data_contract,
)
from hypo_contracts.examples import WineQuality


@data_contract
class Wine:
    pH = Float64().bounded_between(0, 14)
    quality = Int64().bounded_between(0, 10)
    colour = Category(["red", "white"])


@data_contract(strict=True)
class StrictWine:
    pH = Float64().bounded_between(0, 14)


def good() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "pH": [3.1, 3.4],
            "quality": [5, 6],
            "colour": pd.Categorical(["red", "white"], categories=["red", "white"]),
        }
    )


def test_valid_frames_come_back_unchanged():
    df = good()
    assert Wine.validate(df) is df
    extra = df.assign(note=["a", "b"])
    assert Wine.validate(extra) is extra  # extra columns pass unless strict


def test_violations_name_every_failing_column_check_value_and_row():
    df = good()
    df.loc[1, "pH"] = 15.0
    df["quality"] = [-1, 11]
    with pytest.raises(ContractViolation) as err:
        Wine.validate(df)
    message = str(err.value)
    assert message.splitlines() == [
        "Wine: 3 failing checks in 2 columns",
        "  - pH: less_than_or_equal_to(14.0) failed for 1 row: 15.0 (row 1)",
        "  - quality: greater_than_or_equal_to(0) failed for 1 row: -1 (row 0)",
        "  - quality: less_than_or_equal_to(10) failed for 1 row: 11 (row 1)",
    ]
    failures = err.value.failures
    assert set(failures["column"]) == {"pH", "quality"}
    assert isinstance(err.value, ValueError)


def test_missing_columns_wrong_dtypes_and_nulls_are_named():
    df = good().drop(columns=["colour"])
    df["quality"] = df["quality"].astype(float)
    df.loc[0, "pH"] = np.nan
    with pytest.raises(ContractViolation) as err:
        Wine.validate(df)
    message = str(err.value)
    assert "  - colour: missing column" in message
    assert "  - quality: expected dtype('int64'), got float64" in message
    assert "  - pH: not_nullable failed for 1 row: nan (row 0)" in message


def test_strict_contracts_reject_extra_columns():
    with pytest.raises(ContractViolation, match="note: column not in the contract"):
        StrictWine.validate(pd.DataFrame({"pH": [1.0], "note": ["x"]}))


def test_infinities_regex_and_lengths_are_checked():
    @data_contract
    class Codes:
        x = Float64()
        sku = String().regex(r"[A-Z]{2}\d").max_length(3)

    bad = pd.DataFrame({"x": [np.inf, 1.0], "sku": ["AB1", "AB١"]})  # Arabic-Indic digit
    with pytest.raises(ContractViolation) as err:
        Codes.validate(bad)
    message = str(err.value)
    assert "x: finite failed for 1 row: inf (row 0)" in message
    assert "sku: str_fullmatch('[A-Z]{2}\\\\d') failed for 1 row: 'AB١' (row 1)" in message


def test_validate_needs_a_frame():
    with pytest.raises(TypeError, match="expects a pandas DataFrame"):
        Wine.validate([1, 2, 3])  # type: ignore[arg-type]


def test_to_pandera_is_an_equivalent_schema():
    schema = Wine.to_pandera()
    assert isinstance(schema, pa.DataFrameSchema)
    assert list(schema.columns) == ["pH", "quality", "colour"]
    assert schema.name == "Wine" and not schema.strict and StrictWine.to_pandera().strict
    schema.validate(Wine.example(50, seed=3))


def test_example_is_deterministic_per_seed_and_honours_dtypes():
    a, b, c = (WineQuality.example(200, seed=s) for s in (7, 7, 8))
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)
    assert a.dtypes.astype(str).tolist() == ["float64"] * 11 + ["int64"]
    assert isinstance(a.index, pd.RangeIndex) and len(a) == 200
    assert len(WineQuality.example(0)) == 0
    with pytest.raises(ValueError, match="whole number of rows"):
        WineQuality.example(-1)


def test_example_takes_a_numpy_generator_or_seed_sequence_as_seed():
    a = WineQuality.example(50, seed=np.random.default_rng(5))
    b = WineQuality.example(50, seed=np.random.default_rng(5))
    pd.testing.assert_frame_equal(a, b)  # generators seeded alike: the same frames
    rng = np.random.default_rng(5)
    first, second = WineQuality.example(50, seed=rng), WineQuality.example(50, seed=rng)
    pd.testing.assert_frame_equal(first, a)
    assert not first.equals(second)  # a generator is drawn from, so it moves on
    sequence = np.random.SeedSequence(11)
    pd.testing.assert_frame_equal(
        WineQuality.example(50, seed=sequence), WineQuality.example(50, seed=sequence)
    )
    WineQuality.validate(first)
    with pytest.raises(ValueError, match=r"numpy\.random\.Generator or SeedSequence"):
        WineQuality.example(5, seed=np.random.RandomState(0))  # type: ignore[arg-type]


def test_example_honours_uniqueness_regex_and_time_zones():
    @data_contract
    class Orders:
        order_id = Int64().lower_bound(1).is_unique()
        sku = String().regex(r"[A-Z]{3}-\d{4}").is_unique()
        code = String().max_length(2).is_unique()
        small = UInt8().is_unique()
        at = Timestamp(time_zone="Europe/Paris")
        day = Date().bounded_between("2024-02-01", "2024-02-29")

    df = Orders.example(256, seed=1)
    Orders.validate(df)
    for name in ("order_id", "sku", "code", "small"):
        assert not df[name].duplicated().any(), name
    assert df["sku"].str.fullmatch(r"[A-Z]{3}-[0-9]{4}").all()
    assert str(df["at"].dtype) == "datetime64[ns, Europe/Paris]"
    assert (df["day"] == df["day"].dt.normalize()).all()
    with pytest.raises(InvalidArgument, match=r"only 256 possible values \(256 distinct values\)"):
        Orders.example(257)


# --------------------------------------------------------------------------------------------
# issue 9, item 7: frames that are not flat tables


def test_a_repeated_contract_column_is_a_violation_naming_it():
    df = good()
    for twin in (df["quality"] + 1, df["quality"]):  # different copies, and identical ones
        doubled = pd.concat([df, twin.rename("quality")], axis=1)
        with pytest.raises(ContractViolation) as err:
            Wine.validate(doubled)
        assert str(err.value) == (
            "Wine: 1 repeated column name\n"
            "  - quality: repeated column name (2 columns are called 'quality'); keep one"
        )


def test_repeated_undeclared_columns_pass_unless_strict():
    df = pd.concat([good(), pd.DataFrame({"x": [1, 2]}), pd.DataFrame({"x": [3, 4]})], axis=1)
    assert Wine.validate(df) is df
    strict = pd.DataFrame([[3.0, 1, 2]], columns=["pH", "x", "x"])
    with pytest.raises(ContractViolation, match=r"x: repeated column name \(2 columns"):
        StrictWine.validate(strict)


@pytest.mark.parametrize("contract", [Wine, StrictWine])
def test_multiindex_columns_are_a_type_error_whatever_strict(contract):
    df = good()
    df.columns = pd.MultiIndex.from_tuples([("a", c) for c in df.columns])
    with pytest.raises(TypeError, match=r"flat table .* MultiIndex columns \(2 levels"):
        contract.validate(df)


# --------------------------------------------------------------------------------------------
# issue 9, item 1: validate and to_pandera().validate accept the same frames


@data_contract
class Loaded:
    at = Timestamp().is_optional()
    at_utc = Timestamp(time_zone="UTC")
    day = Date()
    flag = Bool()
    maybe = Bool().is_optional()
    name = String().max_length(12).is_optional()
    code = String().regex(r"[a-z]{2}\d")
    n = Int64().bounded_between(0, 1000)
    m = Int64().is_optional()
    x = Float64().is_optional()


LOADED = Loaded.example(40, seed=2)


def _variant(column: str, convert) -> pd.DataFrame:
    return LOADED.assign(**{column: convert(LOADED[column])})


_VARIANTS = {
    **{
        f"{col}-{unit}": (col, lambda s, u=unit: s.dt.as_unit(u), True)
        for col in ("at", "at_utc", "day")
        for unit in ("ns", "us", "ms", "s")
    },
    "at_utc-other-zone": ("at_utc", lambda s: s.dt.tz_convert("Europe/Paris"), False),
    "at-aware": ("at", lambda s: s.dt.tz_localize("UTC"), False),
    "day-aware": ("day", lambda s: s.dt.tz_localize("UTC"), False),
    "flag-boolean": ("flag", lambda s: s.astype("boolean"), True),
    "flag-bool-pyarrow": ("flag", lambda s: s.astype("bool[pyarrow]"), True),
    "flag-object": ("flag", lambda s: s.astype(object), False),
    "maybe-plain-bool": ("maybe", lambda s: s.fillna(False).astype(bool), True),
    "maybe-float": ("maybe", lambda s: s.astype("float64"), False),
    "name-object": ("name", lambda s: s.astype(object), True),
    "name-str": ("name", lambda s: s.astype("str"), True),
    "name-string-python": ("name", lambda s: s.astype("string[python]"), True),
    "name-string-pyarrow": ("name", lambda s: s.astype("string[pyarrow]"), True),
    "name-arrow-string": ("name", lambda s: s.astype(pd.ArrowDtype(pyarrow.string())), True),
    "name-arrow-large-string": (
        "name",
        lambda s: s.astype(pd.ArrowDtype(pyarrow.large_string())),
        True,
    ),
    "name-object-of-ints": ("name", lambda s: pd.Series(range(len(s)), dtype=object), False),
    "code-arrow-string": ("code", lambda s: s.astype(pd.ArrowDtype(pyarrow.string())), True),
    "code-arrow-string-bad": (
        "code",
        lambda s: s.where(s.index != 3, "ZZZ").astype(pd.ArrowDtype(pyarrow.string())),
        False,
    ),
    "n-Int64": ("n", lambda s: s.astype("Int64"), True),
    "n-int64-pyarrow": ("n", lambda s: s.astype("int64[pyarrow]"), True),
    "n-int32": ("n", lambda s: s.astype("int32"), False),
    "n-float64": ("n", lambda s: s.astype("float64"), False),
    "m-int64": ("m", lambda s: s.fillna(0).astype("int64"), True),
    "x-Float64": ("x", lambda s: s.astype("Float64"), True),
    "x-float32": ("x", lambda s: s.astype("float32"), False),
}


def _verdicts(df: pd.DataFrame) -> tuple[bool, bool]:
    try:
        Loaded.validate(df)
        ours = True
    except ContractViolation:
        ours = False
    try:
        Loaded.to_pandera().validate(df, lazy=True)
        theirs = True
    except (pa.errors.SchemaError, pa.errors.SchemaErrors):
        theirs = False
    return ours, theirs


@pytest.mark.parametrize("variant", list(_VARIANTS))
def test_validate_and_to_pandera_agree_on_dtype_variants(variant):
    column, convert, accepted = _VARIANTS[variant]
    assert _verdicts(_variant(column, convert)) == (accepted, accepted)


def test_validate_and_to_pandera_agree_on_frames_read_back_from_parquet(tmp_path):
    path = tmp_path / "loaded.parquet"
    LOADED.to_parquet(path)
    assert _verdicts(pd.read_parquet(path)) == (True, True)
    assert _verdicts(pd.read_parquet(path, dtype_backend="numpy_nullable")) == (True, True)
    assert _verdicts(pd.read_parquet(path, dtype_backend="pyarrow")) == (True, True)


def test_validate_and_to_pandera_agree_on_frames_read_back_from_csv(tmp_path):
    from hypo_contracts.coercion import read_csv

    path = tmp_path / "loaded.csv"
    frame = LOADED.assign(name=LOADED["name"].mask(LOADED["name"] == ""))  # CSV: "" is null
    frame.to_csv(path, index=False)
    assert _verdicts(read_csv(Loaded.__contract__, path)) == (True, True)
    plain = pd.read_csv(path)  # without coercion: text timestamps, float ints with blanks
    assert _verdicts(plain) == (False, False)
    parsed = pd.read_csv(path, parse_dates=["at", "day"], dtype={"code": str})
    ours, theirs = _verdicts(parsed)
    assert ours == theirs
