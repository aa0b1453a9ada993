"""The compiler, property-tested with contracts generated at random."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hypo_contracts as hc
from tests.contract_strategies import (
    MAX_ROWS,
    Spec,
    contracts,
    contradictions,
    decimal_columns,
    independent_rule_violations,
    independent_violations,
    rule_contracts,
    rule_contradictions,
)

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(contracts(), st.data())
def test_every_generated_frame_satisfies_its_contract(generated, data):
    contract, specs = generated
    df = data.draw(hc.frames(contract, max_rows=MAX_ROWS), label="frame")
    assert contract.validate(df) is df
    assert independent_violations(df, specs) == []


@SETTINGS
@given(contracts(), st.integers(0, MAX_ROWS), st.integers(0, 2**32))
def test_every_example_satisfies_its_contract(generated, n, seed):
    contract, specs = generated
    df = contract.example(n, seed=seed)
    assert len(df) == n
    contract.validate(df)
    assert independent_violations(df, specs) == []


@SETTINGS
@given(contracts(max_columns=3), st.integers(0, MAX_ROWS), st.data())
def test_fixed_row_counts_are_exact(generated, n, data):
    contract, specs = generated
    df = data.draw(hc.frames(contract, rows=n))
    assert len(df) == n
    assert independent_violations(df, specs) == []


@settings(max_examples=40, deadline=None)
@given(contradictions(), st.sampled_from(["a", "price", "x_1"]))
def test_contradictions_raise_at_declaration_naming_the_column(contradiction, name):
    column, word = contradiction
    with pytest.raises(hc.ContractError) as err:
        hc.data_contract(type("Broken", (), {name: column}))
    message = str(err.value)
    assert message.startswith(f"Broken.{name}: ")
    assert word in message


@settings(max_examples=30, deadline=None)
@given(contracts(max_columns=3), st.data())
def test_records_satisfy_the_contract(generated, data):
    import pandas as pd

    contract, specs = generated
    row = data.draw(hc.records(contract))
    assert list(row) == list(specs)
    df = contract.example(0)
    one = pd.DataFrame([row]).astype(df.dtypes.to_dict())
    assert independent_violations(one, specs) == []


@SETTINGS
@given(rule_contracts(), st.data())
def test_every_generated_frame_satisfies_its_rules(generated, data):
    contract, rules, specs = generated
    df = data.draw(hc.frames(contract, max_rows=MAX_ROWS), label="frame")
    assert contract.validate(df) is df
    assert independent_rule_violations(df, rules) == []
    assert independent_violations(df[list(specs)], specs) == []


@SETTINGS
@given(rule_contracts(), st.integers(0, MAX_ROWS), st.integers(0, 2**32))
def test_every_example_satisfies_its_rules(generated, n, seed):
    contract, rules, _ = generated
    df = contract.example(n, seed=seed)
    assert len(df) == n
    contract.validate(df)
    assert independent_rule_violations(df, rules) == []


@settings(max_examples=30, deadline=None)
@given(rule_contracts(), st.data())
def test_records_satisfy_row_wise_rules(generated, data):
    import pandas as pd

    contract, rules, _ = generated
    row = data.draw(hc.records(contract))
    one = pd.DataFrame([row]).astype(contract.example(0).dtypes.to_dict())
    row_wise = [r for r in rules if r.kind in ("order", "present_when", "computed")]
    assert independent_rule_violations(one, row_wise) == []


@settings(max_examples=40, deadline=None)
@given(rule_contradictions())
def test_rule_contradictions_raise_naming_contract_columns_and_rule(contradiction):
    body, words = contradiction
    with pytest.raises(hc.ContractError) as err:
        hc.data_contract(type("Broken", (), body))
    message = str(err.value)
    assert message.startswith("Broken")
    for word in words:
        assert word in message


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(decimal_columns(), min_size=1, max_size=3), st.data())
def test_every_generated_decimal_frame_satisfies_its_contract(specs, data):
    named = {f"d{i}": spec for i, spec in enumerate(specs)}
    contract = hc.data_contract(type("Generated", (), {k: s.column for k, s in named.items()}))
    df = data.draw(hc.frames(contract, max_rows=MAX_ROWS), label="frame")
    assert contract.validate(df) is df
    assert independent_violations(df, named) == []
    assert independent_violations(contract.example(MAX_ROWS, seed=0), named) == []


def test_the_independent_checker_catches_decimal_mistakes():
    from decimal import Decimal as D

    import pandas as pd

    spec = Spec(hc.Decimal(4, 2), "object", lo=D("-1.50"), hi=D("20.00"))
    spec.extra = {"precision": 4, "scale": 2}
    df = pd.DataFrame(
        {
            "d": pd.Series(
                [D("1.25"), D("1.255"), D("123.4"), D("-2"), 1.5, D("20.00")], dtype=object
            )
        }
    )
    assert independent_violations(df, {"d": spec}) == [
        "d: Decimal('1.255') has 3 digits after the point (scale 2)",
        "d: Decimal('123.4') > Decimal('20.00')",
        "d: Decimal('123.4') has 3 digits before the point (precision 4)",
        "d: Decimal('-2') < Decimal('-1.50')",
        "d: 1.5 is not a decimal.Decimal",
    ]


@settings(
    max_examples=5,  # each example runs a whole find()
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.nested_given],
)
@given(st.lists(decimal_columns(), min_size=1, max_size=2))
def test_generated_decimal_frames_shrink_to_the_value_nearest_zero(specs):
    from decimal import Decimal as D

    from hypothesis import find

    specs = [s for s in specs if s.values is None] or [specs[0]]
    named = {f"d{i}": spec for i, spec in enumerate(specs)}
    contract = hc.data_contract(type("Generated", (), {k: s.column for k, s in named.items()}))
    df = find(
        hc.frames(contract, min_rows=1, max_rows=2),
        lambda d: len(d) > 0,
        settings=settings(database=None, max_examples=50),
    )
    expected = {}
    for name, spec in named.items():
        if spec.values is not None:
            expected[name] = df[name][0]  # accepted values shrink by their own order
            continue
        zero = D(0).scaleb(-spec.extra["scale"])
        expected[name] = min(max(zero, spec.lo), spec.hi)
    assert df.to_dict("records") == [expected]
