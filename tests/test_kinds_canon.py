"""A column kind is its Kind class plus a registration line: canonicalisation, declaration,
``example()`` and validation of a toy kind registered here, and narrowing by kind hooks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

import pytest

from hypo_contracts import ContractError, Decimal, data_contract
from hypo_contracts.constraints import Canonical, canonicalise
from hypo_contracts.declaration import _Accepts, _Bounded
from hypo_contracts.kinds import KINDS, register
from hypo_contracts.kinds.integer import IntKind
from hypo_contracts.narrowing import contains


class Percent(_Bounded, _Accepts):
    """A toy declaration: whole percentages in an int8 column."""

    kind: ClassVar[str] = "percent"
    dtype: ClassVar[str] = "int8"


class PercentKind(IntKind):
    """The toy kind: an integer kind whose range is [0, 100], not the dtype's."""

    name = "percent"

    def dtype_range(self, c: Canonical) -> tuple[Any, Any]:
        return 0, 100


@pytest.fixture
def percent() -> Iterator[None]:
    saved = dict(KINDS)
    register(PercentKind())
    try:
        yield
    finally:
        KINDS.clear()
        KINDS.update(saved)


def test_a_registered_kind_canonicalises_within_its_own_range(percent: None) -> None:
    c = canonicalise(Percent().lower_bound(10.5), contract="C", name="p")
    assert (c.kind, c.dtype_name, c.lo, c.hi) == ("percent", "int8", 11, 100)
    c = canonicalise(
        Percent().accepted_values([5, 50.0, 70]).upper_bound(60), contract="C", name="p"
    )
    assert c.values == (5, 50)
    with pytest.raises(ContractError) as exc:
        canonicalise(Percent().accepted_values([5, 120]), contract="C", name="p")
    assert str(exc.value) == (
        "C.p: accepted_values([5, 120]): 120 is outside int8's range [0, 100]."
    )
    with pytest.raises(ContractError) as exc:
        canonicalise(Percent().upper_bound(200), contract="C", name="p")
    assert str(exc.value) == "C.p: upper_bound(200) is outside int8's range [0, 100]."
    with pytest.raises(ContractError) as exc:
        canonicalise(Percent().bounded_between(3.2, 3.8), contract="C", name="p")
    assert str(exc.value) == (
        "C.p: bounded_between(3.2, 3.8): no whole number lies in [3.2, 3.8], so the int8 "
        "column has no value. Widen the bounds or use a Float column."
    )


def test_a_registered_kind_declares_generates_and_validates(percent: None) -> None:
    @data_contract
    class Scores:
        score = Percent().lower_bound(10)
        grade = Percent().accepted_values([5, 50], weights=[1, 3])

    assert Scores.__contract__.canonical["grade"].weights == (0.25, 0.75)
    df = Scores.example(50, seed=0)
    assert [str(t) for t in df.dtypes] == ["int8", "int8"]
    assert df["score"].between(10, 100).all()
    assert set(df["grade"]) == {5, 50}
    Scores.validate(df)


def test_the_registry_is_restored_after_a_toy_kind() -> None:
    assert "percent" not in KINDS


def test_narrowing_a_decimal_compares_and_shows_decimals_not_units() -> None:
    outer = canonicalise(Decimal(5, 2).bounded_between(0, 10), contract="C", name="d")

    def inner(column: Decimal) -> Canonical:
        return canonicalise(column, contract="C", name="d")

    assert contains(outer, inner(Decimal(5, 2).bounded_between(-1, 5))) == (
        "its lower bound -1.00 is below the lower bound 0.00 of C.d"
    )
    assert contains(outer, inner(Decimal(5, 2).accepted_values(["5.5", "50"]))) == (
        "its accepted value Decimal('50.00') is not allowed by C.d"
    )
    assert contains(outer, inner(Decimal(5, 2).accepted_values(["5.5", "10"]))) is None
