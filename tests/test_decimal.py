"""The Decimal(precision, scale) kind: generation, validation, shrinking, interop."""

from __future__ import annotations

import decimal
from decimal import Decimal as D

import pandas as pd
import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st

from hypo_contracts import (
    ContractError,
    ContractViolation,
    Decimal,
    InvalidArgument,
    data_contract,
    frames,
    records,
)


@data_contract
class Ledger:
    amount = Decimal(7, 2).bounded_between("-500.5", "12345.678")
    rate = Decimal(4, 4).lower_bound(0)
    count = Decimal(3, 0).is_optional()
    code = Decimal(5, 1).is_unique()
    tier = Decimal(3, 1).accepted_values(["0.5", 1, D("2.50")])


def digits(d: D) -> tuple[int, int]:
    """(total digits, digits after the point) of a Decimal, trailing zeros included."""
    t = d.as_tuple()
    assert isinstance(t.exponent, int)
    return len(t.digits), max(0, -t.exponent)


def test_example_values_are_decimals_within_precision_scale_and_bounds() -> None:
    df = Ledger.example(5_000, seed=0)
    assert df.dtypes.astype(str).tolist() == ["object"] * 5
    for name, (p, s) in {"amount": (7, 2), "rate": (4, 4), "code": (5, 1)}.items():
        values = df[name].tolist()
        assert all(type(v) is D for v in values)
        assert all(digits(v)[1] == s for v in values)  # exactly `scale` digits shown
        assert all(abs(v) < D(10) ** (p - s) for v in values)
    assert df["amount"].min() >= D("-500.50") and df["amount"].max() <= D("12345.67")
    assert df["amount"].min() < 0 < df["amount"].max()
    assert df["rate"].min() >= 0 and df["rate"].max() <= D("0.9999")
    assert df["code"].is_unique
    assert set(df["tier"]) == {D("0.5"), D("1.0"), D("2.5")}
    nulls = df["count"].isna()
    assert 0 < nulls.sum() < len(df)
    assert all(type(v) is D and digits(v)[1] == 0 for v in df["count"][~nulls])
    Ledger.validate(df)


def test_example_is_seeded() -> None:
    assert Ledger.example(50, seed=3).equals(Ledger.example(50, seed=3))
    assert (
        Ledger.example(3, seed=0)["amount"].tolist() != Ledger.example(3, seed=1)["amount"].tolist()
    )


def test_bounds_round_inwards_to_the_scale() -> None:
    c = Ledger.__contract__.canonical["amount"]
    assert (c.lo, c.hi, c.dtype_name) == (-50050, 1234567, "decimal(7, 2)")
    assert c.simplest == 0


def test_simplest_is_the_nearest_bound_when_zero_is_outside() -> None:
    @data_contract
    class Prices:
        price = Decimal(6, 2).bounded_between("9.99", "100")

    rows = Prices.example(2_000, seed=0)["price"]
    assert rows.min() >= D("9.99") and rows.max() <= D("100.00")
    assert Prices.__contract__.canonical["price"].simplest == 999


@settings(max_examples=25, deadline=None)
@given(frames(Ledger, max_rows=20))
def test_frames_satisfy_the_contract(df: pd.DataFrame) -> None:
    Ledger.validate(df)
    assert all(type(v) is D for v in df["amount"])


@settings(max_examples=25, deadline=None)
@given(records(Ledger))
def test_records_hold_decimals(row: dict[str, object]) -> None:
    assert type(row["amount"]) is D
    assert D("-500.50") <= row["amount"] <= D("12345.67")  # type: ignore[operator]
    assert row["tier"] in (D("0.5"), D("1.0"), D("2.5"))


def test_frames_shrink_to_the_exact_minimal_example() -> None:
    df = find(frames(Ledger, min_rows=1), lambda d: len(d) > 0, settings=settings(database=None))
    assert df.to_dict("records") == [
        {
            "amount": D("0.00"),
            "rate": D("0.0000"),
            "count": D("0"),
            "code": D("0.0"),
            "tier": D("0.5"),
        }
    ]


def test_records_shrink_to_the_boundary_value() -> None:
    row = find(records(Ledger), lambda r: r["amount"] > 100, settings=settings(database=None))
    assert row == {
        "amount": D("100.01"),
        "rate": D("0.0000"),
        "count": D("0"),
        "code": D("0.0"),
        "tier": D("0.5"),
    }
    low = find(records(Ledger), lambda r: r["amount"] < 0, settings=settings(database=None))
    assert low["amount"] == D("-0.01")


def test_validate_rejects_out_of_range_and_too_many_digits() -> None:
    df = Ledger.example(6, seed=0)
    df["amount"] = pd.Series(
        [D("1.234"), D("12345.68"), D("-600"), D("99999999"), "1.5", D("1.50")], dtype=object
    )
    with pytest.raises(ContractViolation) as exc:
        Ledger.validate(df)
    assert str(exc.value) == (
        "Ledger: 1 failing check in 1 column\n"
        "  - amount: decimal(7, 2) within [-500.50, 12345.67] failed for 5 rows: Decimal('1.234') (row 0), "
        "Decimal('12345.68') (row 1), Decimal('-600') (row 2), Decimal('99999999') (row 3), "
        "'1.5' (row 4)"
    )


def test_a_bounds_failure_shows_the_bounds() -> None:
    # was: "count: decimal(3, 0) failed", read as a digits problem when 7 is out of bounds
    @data_contract
    class Small:
        count = Decimal(3, 0).bounded_between(-5, 5)
        low = Decimal(4, 1).lower_bound("0.5")

    with pytest.raises(ContractViolation) as exc:
        Small.validate(pd.DataFrame({"count": [D("7")], "low": [D("0.4")]}, dtype=object))
    assert str(exc.value) == (
        "Small: 2 failing checks in 2 columns\n"
        "  - count: decimal(3, 0) within [-5, 5] failed for 1 row: Decimal('7') (row 0)\n"
        "  - low: decimal(4, 1) within [0.5, ...] failed for 1 row: Decimal('0.4') (row 0)"
    )


def test_cast_value_says_what_is_wrong() -> None:
    from hypo_contracts.values import BadValue, cast_value

    c = Ledger.__contract__.canonical["amount"]
    assert cast_value(c, D("12.3")) == 1230
    assert cast_value(c, 7) == 700
    for value, message in [
        (D("1.234"), "has more than 2 digits after the point (decimal(7, 2))"),
        (D("123456"), "has more than 7 digits (decimal(7, 2): at most 5 before the point)"),
        (D("12345.68"), "is above the upper bound 12345.67"),
        (D("-500.51"), "is below the lower bound -500.50"),
        (1.5, "is not a decimal.Decimal (the column is decimal(7, 2))"),
        (D("NaN"), "is not a finite decimal (the column is decimal(7, 2))"),
    ]:
        with pytest.raises(BadValue) as exc:
            cast_value(c, value)
        assert str(exc.value) == message
    tier = Ledger.__contract__.canonical["tier"]
    assert cast_value(tier, D("2.5")) == 2
    with pytest.raises(BadValue, match=r"is not one of the accepted values"):
        cast_value(tier, D("2"))


def test_validate_still_wants_decimal_cells() -> None:
    df = Ledger.example(2, seed=0).astype({"amount": object})
    df["amount"] = [1.5, "2.5"]
    with pytest.raises(
        ContractViolation,
        match=r"amount: decimal\(7, 2\) within \[-500.50, 12345.67\] failed for 2 rows",
    ):
        Ledger.validate(df)


def test_to_pandera_validates_too() -> None:
    schema = Ledger.to_pandera()
    schema.validate(Ledger.example(20, seed=1))
    bad = Ledger.example(2, seed=1)
    bad["rate"] = pd.Series([D("0.12345"), D("1")], dtype=object)
    with pytest.raises(Exception, match="decimal"):
        schema.validate(bad, lazy=True)


@pytest.mark.parametrize(
    ("column", "message"),
    [
        (Decimal(19, 2), "Decimal(19, 2): the precision (total digits) is between 1 and 18."),
        (Decimal(3, 4), "Decimal(3, 4): the scale (digits after the point) is between 0 and"),
        (Decimal(5, 2).lower_bound("abc"), "lower_bound('abc'): bounds of a Decimal column"),
        (Decimal(3, 1).upper_bound(100), "upper_bound(100) is outside decimal(3, 1)'s range"),
        (Decimal(3, 1).bounded_between(2, 1), "bounded_between(2, 1) has its lower bound above"),
        (
            Decimal(3, 1).accepted_values(["1.25"]),
            "'1.25' is not a decimal(3, 1) value (at most 3 digits, 1 after the point)",
        ),
    ],
)
def test_declaration_errors(column: Decimal, message: str) -> None:
    with pytest.raises(ContractError) as exc:

        @data_contract
        class Bad:
            x = column

    assert message in str(exc.value)


def test_no_decimal_fits_between_bounds_rounded_inwards() -> None:
    with pytest.raises(ContractError) as exc:

        @data_contract
        class Bad:
            x = Decimal(3, 1).bounded_between("1.21", "1.29")

    assert str(exc.value) == (
        "Bad.x: bounded_between('1.21', '1.29'): no decimal(3, 1) value lies in [1.21, 1.29] "
        "(bounds round inwards to 1 digits after the point). Widen the bounds or raise the scale."
    )


def test_unique_columns_run_out_with_a_clear_error() -> None:
    @data_contract
    class Tiny:
        x = Decimal(1, 0).bounded_between(0, 3).is_unique()

    assert sorted(Tiny.example(4, seed=0)["x"]) == [D(0), D(1), D(2), D(3)]
    with pytest.raises(InvalidArgument):
        Tiny.example(5, seed=0)


def test_coerce_reads_text_and_numbers() -> None:
    @data_contract
    class Loaded:
        x = Decimal(5, 2).is_optional()

    out = Loaded.coerce(pd.DataFrame({"x": ["1.5", None, "-2.25"]}))
    assert out["x"].tolist() == [D("1.5"), None, D("-2.25")]
    Loaded.validate(out)


def test_to_source_round_trips() -> None:
    source = Ledger.to_source()
    assert "amount = Decimal(7, 2).bounded_between('-500.50', '12345.67')" in source
    assert "tier = Decimal(3, 1).accepted_values(['0.5', '1.0', '2.5'])" in source
    namespace: dict[str, object] = {}
    exec(source, namespace)
    rebuilt = namespace["Ledger"]
    assert rebuilt.__contract__.canonical == Ledger.__contract__.canonical  # type: ignore[attr-defined]


def test_unsupported_subsystems_say_so() -> None:
    with pytest.raises(InvalidArgument, match=r"backend='polars' does not support Decimal"):
        Ledger.example(3, backend="polars")
    with pytest.raises(InvalidArgument, match=r"is a Decimal column"):
        Ledger.to_odcs()
    with pytest.raises(ContractError) as exc:

        @data_contract
        class Ordered:
            a = Decimal(5, 2)
            b = Decimal(5, 2).at_least("a")

    assert str(exc.value) == (
        "Ordered.b: at_least('a'): order rules compare numbers, timestamps or dates without "
        "accepted_values, but b is decimal(5, 2)."
    )


def test_decimal_values_keep_their_context_free_arithmetic() -> None:
    # values are built without the caller's decimal context: a tiny precision there does not
    # round generated values
    with decimal.localcontext() as ctx:
        ctx.prec = 2
        values = Ledger.example(200, seed=0)["amount"].tolist()
    assert any(digits(v)[0] > 2 for v in values)
    Ledger.validate(Ledger.example(200, seed=0))


def test_shrink_production_frames() -> None:
    from hypo_contracts import shrink

    def breaks(d: pd.DataFrame) -> None:
        if (d["amount"] > D("50")).any():
            raise ValueError("big")

    result = shrink(Ledger.example(40, seed=2), breaks, contract=Ledger)
    assert result.frame.to_dict("records") == [
        {
            "amount": D("50.01"),
            "rate": D("0.0000"),
            "count": D("0"),
            "code": D("0.0"),
            "tier": D("0.5"),
        }
    ]
    assert result.frame.dtypes.astype(str).tolist() == ["object"] * 5


def test_from_pandera_reads_pandera_decimal_dtypes_and_their_checks() -> None:
    import pandera.pandas as pa
    from pandera.engines.pandas_engine import Decimal as PaDecimal

    from hypo_contracts import from_pandera

    # pandera counts the sign and the 0 of 0.5 as digits: its Decimal(p, s) is read as a
    # contract Decimal(p - 1, s), whose every value pandera accepts
    schema = pa.DataFrameSchema(
        {
            "price": pa.Column(PaDecimal(7, 2), [pa.Check.gt(D("0.5")), pa.Check.lt(100)]),
            "rate": pa.Column(PaDecimal(6, 4), pa.Check.in_range(0, D("0.25")), nullable=True),
            "tier": pa.Column(PaDecimal(3, 1), pa.Check.isin([D("0.5"), D("1.0")]), unique=True),
            "delta": pa.Column(PaDecimal(5, 3)),
        },
        name="Prices",
    )
    Prices = from_pandera(schema)
    assert Prices.to_source().splitlines()[-4:] == [
        "    price = Decimal(6, 2).bounded_between('0.51', '99.99')",
        "    rate = Decimal(5, 4).bounded_between('0.0000', '0.2500').is_optional()",
        "    tier = Decimal(2, 1).accepted_values(['0.5', '1.0']).is_unique()",
        "    delta = Decimal(4, 3)",
    ]
    df = Prices.example(2, seed=0)
    assert Prices.validate(df) is df
    assert schema.validate(df).equals(df)
    edges = pd.DataFrame(
        {
            "price": [D("0.51"), D("99.99")],
            "rate": [D("0.0001"), None],
            "tier": [D("0.5"), D("1.0")],
            "delta": [D("-9.999"), D("-0.001")],
        },
        dtype=object,
    )
    assert Prices.validate(edges) is edges
    assert schema.validate(edges).equals(edges)


def test_from_pandera_round_trips_the_schema_to_pandera_writes() -> None:
    from hypo_contracts import from_pandera

    again = from_pandera(Ledger.to_pandera())
    assert again.__contract__.canonical == Ledger.__contract__.canonical  # type: ignore[attr-defined]


def test_from_pandera_names_a_decimal_dtype_it_cannot_hold() -> None:
    import pandera.pandas as pa
    from pandera.engines.pandas_engine import Decimal as PaDecimal

    from hypo_contracts import from_pandera

    with pytest.raises(ContractError) as exc:
        from_pandera(
            pa.DataFrameSchema(
                {"x": pa.Column(PaDecimal(28, 2)), "y": pa.Column(PaDecimal(4, 3))}, name="Wide"
            )
        )
    assert str(exc.value) == (
        "pandera schema Wide: 2 constraints cannot be expressed in a data contract: x: dtype "
        "Decimal(28, 2) (pandera counts a sign and a leading 0 as digits, so it reads as a "
        "contract Decimal(p - 1, s), which needs 2 <= p <= 19 and s <= p - 2); y: dtype "
        "Decimal(4, 3) (pandera counts a sign and a leading 0 as digits, so it reads as a "
        "contract Decimal(p - 1, s), which needs 2 <= p <= 19 and s <= p - 2). Pass "
        "unsupported='ignore' to drop them (with a warning)."
    )


@settings(max_examples=20, deadline=None)
@given(st.integers(2, 19).flatmap(lambda p: st.tuples(st.just(p), st.integers(0, p - 2))))
def test_every_pandera_decimal_read_gives_frames_pandera_accepts(digits: tuple[int, int]) -> None:
    import pandera.pandas as pa
    from pandera.engines.pandas_engine import Decimal as PaDecimal

    from hypo_contracts import from_pandera

    p, s = digits
    schema = pa.DataFrameSchema({"x": pa.Column(PaDecimal(p, s), nullable=True)}, name="S")
    C = from_pandera(schema)
    assert C.__contract__.canonical["x"].dtype_name == f"decimal({p - 1}, {s})"  # type: ignore[attr-defined]
    df = C.example(300, seed=p * 100 + s)
    schema.validate(df)
