"""coerce / read_csv / read_parquet: a loaded frame gets the contract's dtypes (issue 9,
item 10b). The shrink CLI uses the same functions (tests/test_cli_shrink.py)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hypo_contracts import (
    Bool,
    Category,
    ContractViolation,
    Date,
    Float32,
    Int64,
    String,
    Timestamp,
    UInt8,
    data_contract,
)
from hypo_contracts.coercion import coerce, csv_dtypes, read_csv, read_parquet


@data_contract
class Orders:
    order_id = Int64().lower_bound(1).is_unique()
    zip_code = String().regex(r"\d{5}")
    note = String().is_optional()
    title = String()
    grade = Category([1, 2, 3])
    tier = Category(["bronze", "silver"])
    gift = Bool()
    maybe = Bool().is_optional()
    qty = UInt8().is_optional()
    price = Float32()
    at = Timestamp(time_zone="Europe/Paris").bounded_between(  # no local mean time offsets
        pd.Timestamp("1990-01-01", tz="UTC"), pd.Timestamp("2030-01-01", tz="UTC")
    )
    naive = Timestamp().is_optional()
    day = Date()


INFO = Orders.__contract__
ORDERS = Orders.example(30, seed=4)


def _csv_text(df: pd.DataFrame) -> str:
    return df.to_csv(index=False)


def test_read_csv_round_trips_a_generated_frame_to_its_exact_dtypes() -> None:
    df = ORDERS.assign(title=ORDERS["title"].where(ORDERS.index != 2, ""))  # "" in a CSV cell
    df["note"] = df["note"].mask(df["note"] == "")  # CSV: an optional "" comes back as null
    back = read_csv(INFO, io.StringIO(_csv_text(df)))
    assert back.dtypes.to_dict() == ORDERS.dtypes.to_dict()
    pd.testing.assert_frame_equal(back, df, check_exact=False)  # float32 via text
    assert Orders.validate(back) is back


def test_coerce_casts_what_plain_read_csv_guesses() -> None:
    text = (
        "order_id,zip_code,note,title,grade,tier,gift,maybe,qty,price,at,naive,day\n"
        "1,00501,,x,2,silver,TRUE,,7,1.5,2024-03-31 01:30,2024-01-01,2024-01-01\n"
        "2,10001,hi,,3,bronze,false,1,,2.5,2024-03-31T12:00:00+00:00,,2024-01-02\n"
    )
    plain = pd.read_csv(io.StringIO(text))
    assert str(plain["zip_code"].dtype) == "int64"  # the leading zero is gone already
    out = coerce(INFO, pd.read_csv(io.StringIO(text), dtype=csv_dtypes(INFO)))
    assert out.dtypes.to_dict() == ORDERS.dtypes.to_dict()
    assert out["zip_code"].tolist() == ["00501", "10001"]
    assert out["title"].tolist() == ["x", ""]  # a required string: an empty cell is ""
    assert out["note"].isna().tolist() == [True, False]  # an optional one: null
    assert out["gift"].tolist() == [True, False]
    assert out["maybe"].tolist() == [pd.NA, True]
    assert out["at"].tolist() == [
        pd.Timestamp("2024-03-31 01:30", tz="Europe/Paris"),  # naive: local time
        pd.Timestamp("2024-03-31 14:00", tz="Europe/Paris"),  # an offset: converted
    ]
    Orders.validate(out)


def test_coerce_returns_a_new_frame_and_leaves_other_columns_alone() -> None:
    df = ORDERS.assign(extra=["e"] * len(ORDERS), order_id=ORDERS["order_id"].astype(str))
    out = coerce(INFO, df)
    assert out is not df and df["order_id"].dtype != out["order_id"].dtype
    assert out["extra"].equals(df["extra"])
    assert coerce(INFO, ORDERS.drop(columns=["day"])).columns.tolist() == [
        c for c in ORDERS.columns if c != "day"
    ]  # a missing column is validate's to report


def test_what_cannot_be_coerced_is_a_violation_naming_every_column() -> None:
    df = ORDERS.astype({"order_id": str, "gift": str})
    df.loc[3, "order_id"] = "three"
    df.loc[5, "gift"] = "maybe"
    with pytest.raises(ContractViolation) as err:
        coerce(INFO, df)
    lines = str(err.value).splitlines()
    assert lines[0] == "Orders: 2 columns cannot be cast"
    assert lines[1].startswith("column 'order_id' cannot be read as int64 as Orders.order_id")
    assert lines[2].startswith("column 'gift' cannot be read as bool as Orders.gift declares")


def test_coerce_needs_a_frame() -> None:
    with pytest.raises(
        TypeError, match=r"coerce\(Orders, \.\.\.\): expects a pandas DataFrame, not dict"
    ):
        coerce(INFO, {"order_id": [1]})  # type: ignore[arg-type]


def test_read_parquet_keeps_nulls_and_fixes_categories_of_numbers(tmp_path: Path) -> None:
    path = tmp_path / "orders.parquet"
    expected = ORDERS.assign(at=ORDERS["at"].dt.floor("us"))
    df = expected.copy()
    df["grade"] = df["grade"].astype(int)  # a writer that lost the categorical
    df["at"] = df["at"].dt.as_unit("us")
    df.to_parquet(path)
    back = read_parquet(INFO, path)
    assert back.dtypes.to_dict() == ORDERS.dtypes.to_dict()
    pd.testing.assert_frame_equal(back, expected)
    nulls = ORDERS.assign(title=ORDERS["title"].astype(object).where(ORDERS.index != 0, None))
    nulls.to_parquet(path)
    assert read_parquet(INFO, path)["title"].isna().sum() == 1  # not turned into ""
    with pytest.raises(ContractViolation, match="title: not_nullable"):
        Orders.validate(read_parquet(INFO, path))


@pytest.mark.pandas3
def test_read_csv_passes_keywords_on_and_a_dtype_of_yours_wins() -> None:
    text = "order_id;zip_code\n1;00501\n"
    out = read_csv(INFO, io.StringIO(text), sep=";", dtype={"zip_code": "int64"})
    assert out["zip_code"].tolist() == ["501"]  # your dtype read it as a number first


def test_int_columns_read_as_text_stay_exact_beyond_2_53() -> None:
    @data_contract
    class Big:
        n = Int64()

    out = read_csv(Big.__contract__, io.StringIO("n\n9007199254740993\n3.0\n1e3\n"))
    assert out["n"].tolist() == [9007199254740993, 3, 1000] and out["n"].dtype == np.int64


def test_a_class_that_is_not_a_contract_is_an_invalid_argument() -> None:
    from hypothesis.errors import InvalidArgument

    class Plain:
        n = Int64()

    with pytest.raises(InvalidArgument, match=r"^coerce\(\) expects a class decorated"):
        coerce(Plain, ORDERS)
    with pytest.raises(InvalidArgument, match=r"^read_csv\(\) expects a class decorated"):
        read_csv(Plain, io.StringIO("n\n1\n"))


def test_the_contract_class_and_its_info_are_both_accepted() -> None:
    pd.testing.assert_frame_equal(coerce(Orders, ORDERS), coerce(INFO, ORDERS))


def test_a_frame_in_the_contract_slot_is_named_without_its_repr() -> None:
    from hypothesis.errors import InvalidArgument

    with pytest.raises(InvalidArgument) as err:
        coerce(ORDERS, Orders)  # type: ignore[arg-type]
    assert str(err.value) == (
        "coerce() expects a class decorated with @data_contract first, but got a DataFrame "
        "(30 rows x 13 columns); pass the contract, then the frame."
    )


def test_unreadable_decimal_text_names_the_decimal_type() -> None:
    # was: "cannot be read as object", the storage dtype, not what the column declares
    from hypo_contracts import Decimal

    @data_contract
    class Prices:
        price = Decimal(6, 2)

    with pytest.raises(ContractViolation) as e:
        Prices.coerce(pd.DataFrame({"price": ["1.50", "n/a"]}))
    assert str(e.value) == (
        "Prices: column 'price' cannot be read as decimal(6, 2) as Prices.price declares: "
        "'n/a' is not a decimal number"
    )
