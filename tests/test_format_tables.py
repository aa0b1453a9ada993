"""The per-kind tables and hooks of the source text and the formats (issue 10): every column
kind is re-declared by its own hooks, and a kind a format's table lacks is refused by that
table's one path, with the message the kind had before."""

from __future__ import annotations

from typing import Any

import pandas as pd
import polars as pl
import pytest

import hypo_contracts as hc
from hypo_contracts import data_contract
from hypo_contracts.engines.polars import check_polars, polars_dtype
from hypo_contracts.errors import InvalidArgument
from hypo_contracts.formats import from_pandera
from hypo_contracts.formats.build import after, before
from hypo_contracts.kinds import KINDS, kind_of

#: one column of every kind (and widths and time zones that change the constructor)
COLUMNS: dict[str, Any] = {
    "i8": hc.Int8(),
    "u64": hc.UInt64(),
    "f32": hc.Float32(),
    "f64": hc.Float64(),
    "flag": hc.Bool(),
    "name": hc.String(),
    "tier": hc.Category(["a", "b"]),
    "at": hc.Timestamp(time_zone="Europe/Paris"),
    "naive": hc.Timestamp(),
    "day": hc.Date(),
    "wait": hc.Timedelta(),
    "amount": hc.Decimal(5, 2),
}
Every = data_contract(type("Every", (), dict(COLUMNS)))


def test_every_kind_declares_itself_back() -> None:
    canonical = Every.__contract__.canonical
    assert {c.kind for c in canonical.values()} == set(KINDS)  # no kind left untested
    for name, c in canonical.items():
        kind = kind_of(c)
        source = kind.constructor_source(c)
        assert source.startswith(kind.declaration_name(c) + "(")
        assert getattr(hc, kind.declaration_name(c)) is type(COLUMNS[name])
        assert eval(source, {**vars(hc)}) == COLUMNS[name] == kind.declare(c)


def test_bounds_gaps_and_values_are_written_by_their_kind() -> None:
    @data_contract
    class T:
        n = hc.Int16().bounded_between(-3, 7).accepted_values([1, 2])
        x = hc.Float32().lower_bound(0.1)
        d = hc.Date().upper_bound("2024-02-29")
        w = hc.Timedelta().lower_bound(pd.Timedelta(1, "s"))
        m = hc.Decimal(5, 2).bounded_between("-1.5", "2").accepted_values(["0.5", "1"])
        later = hc.Date().at_least("d", gap=pd.Timedelta(days=2))

    body = T.to_source().split("class T:\n", 1)[1].splitlines()
    assert body == [
        "    n = Int16().bounded_between(-3, 7).accepted_values([1, 2])",
        "    x = Float32().lower_bound(0.10000000149011612)",
        "    d = Date().upper_bound('2024-02-29')",
        "    w = Timedelta().lower_bound(pd.Timedelta(1000000000, unit='ns'))",
        "    m = Decimal(5, 2).bounded_between('-1.50', '2.00').accepted_values(['0.50', '1.00'])",
        "    later = Date().lower_bound('1677-09-24').at_least('d', gap=pd.Timedelta('2 days 00:00:00'))",
    ]


def test_odcs_refuses_the_kinds_its_table_lacks_with_their_messages() -> None:
    for name, why in [
        ("wait", "and ODCS has no logical type for durations"),
        (
            "amount",
            "which this ODCS writer does not map yet (its bounds would lose digits as JSON "
            "numbers)",
        ),
    ]:
        C = data_contract(type("C", (), {"n": hc.Int64(), name: COLUMNS[name]}))
        with pytest.raises(InvalidArgument) as exc:
            C.to_odcs()
        kind = "Timedelta" if name == "wait" else "Decimal"
        assert str(exc.value) == (
            f"to_odcs(C, ...): C.{name} is a {kind} column, {why}; leave it out of the ODCS "
            "contract."
        )


@data_contract
class Ledger:
    n = hc.Int64()
    amount = hc.Decimal(7, 2)
    fee = hc.Decimal(3, 1).is_optional()


DECIMAL_REFUSAL = (
    "backend='polars' does not support Decimal columns yet (amount, fee); use "
    "backend='pandas' (object columns of decimal.Decimal)."
)


def test_polars_refuses_the_kinds_its_table_lacks_as_check_backend_does() -> None:
    with pytest.raises(InvalidArgument) as by_backend:
        Ledger.example(3, backend="polars")
    with pytest.raises(InvalidArgument) as by_table:
        check_polars("example()", Ledger.__contract__)
    assert str(by_table.value) == str(by_backend.value)
    assert str(by_table.value) == f"example(Ledger, ...): {DECIMAL_REFUSAL}"
    assert check_polars("example()", NoDecimals.__contract__) is None


NoDecimals = data_contract(
    type("NoDecimals", (), {k: v for k, v in COLUMNS.items() if k != "amount"})
)


def test_validating_a_polars_frame_against_decimal_columns_says_so() -> None:
    # it was an AttributeError (module 'polars' has no attribute 'decimal(7, 2)')
    frame = pl.DataFrame({"n": [1], "amount": [1.5], "fee": [None]})
    with pytest.raises(InvalidArgument) as exc:
        Ledger.validate(frame)
    assert str(exc.value) == f"validate(Ledger, ...): {DECIMAL_REFUSAL}"
    with pytest.raises(InvalidArgument) as exc:
        polars_dtype(Ledger.__contract__.canonical["fee"])
    assert str(exc.value) == (
        "polars_dtype(Ledger, ...): backend='polars' does not support Decimal columns yet "
        "(fee); use backend='pandas' (object columns of decimal.Decimal)."
    )


def test_every_kind_in_the_polars_table_gives_its_dtype() -> None:
    info = NoDecimals.__contract__
    dtypes = {name: polars_dtype(c) for name, c in info.canonical.items()}
    assert dtypes["at"] == pl.Datetime("ns", "Europe/Paris")
    assert dtypes["u64"] == pl.UInt64 and dtypes["f32"] == pl.Float32
    assert dtypes["wait"] == pl.Duration("ns") and dtypes["tier"] == pl.Enum(["a", "b"])
    frame = NoDecimals.example(5, seed=0, backend="polars")
    assert dict(frame.schema) == dtypes
    assert NoDecimals.validate(frame) is frame


def test_timedelta_columns_read_back_from_pandera_as_timedeltas() -> None:
    # they read back as Timestamp columns (and failed on their bounds) before
    @data_contract
    class Waits:
        n = hc.Int64()
        wait = hc.Timedelta().bounded_between(pd.Timedelta(1, "s"), pd.Timedelta(2, "h"))
        pause = hc.Timedelta().is_optional()

    again = from_pandera(Waits.to_pandera())
    assert again.__contract__.canonical == Waits.__contract__.canonical
    assert after(pd.Timedelta(1, "s"), "timedelta") == pd.Timedelta(1_000_000_001)
    assert before(pd.Timedelta(1, "s"), "timedelta") == pd.Timedelta(999_999_999)


def test_every_backend_argument_refuses_by_the_polars_table() -> None:
    # one home: engines.polars.check_backend asks the table of polars kinds
    from hypo_contracts import example_tables, frames, tables

    calls = {
        "frames": lambda: frames(Ledger, rows=2, backend="polars"),
        "tables": lambda: tables(Ledger, backend="polars"),
        "example_tables": lambda: example_tables(Ledger, rows={Ledger: 2}, backend="polars"),
    }
    for name, call in calls.items():
        with pytest.raises(InvalidArgument) as exc:
            call()
        assert str(exc.value) == f"{name}(Ledger, ...): {DECIMAL_REFUSAL}", name
