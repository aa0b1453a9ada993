"""Related tables: ``.references``, ``tables()``, ``example_tables()``, ``validate_tables``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis.errors import InvalidArgument

from hypo_contracts import (
    Category,
    ContractError,
    ContractViolation,
    Int64,
    String,
    data_contract,
    example_tables,
    frames,
    shrink,
    tables,
    validate_tables,
)
from hypo_contracts.examples import Customers, Orders
from hypo_contracts.table_graph import assign_parents


@data_contract
class Items:
    item_id = Int64().lower_bound(1).is_unique()
    order_id = Int64().references(Orders, "order_id")
    sku = String().regex(r"[A-Z]{2}\d")


@data_contract
class Visits:
    visitor = Int64().references(Customers, "customer_id").is_optional()
    referrer = Int64().references(Customers, "customer_id").is_optional()
    page = Category(["home", "cart"])


@data_contract
class Profiles:
    customer_id = Int64().references(Customers, "customer_id").is_unique()
    bio = String().max_length(5)


FAST = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


def independent_check(t: object) -> None:
    """Every reference, checked without validate_tables."""
    assert isinstance(t, dict) or hasattr(t, "items")
    for contract, df in t.items():  # type: ignore[attr-defined]
        for ref in contract.__contract__.references:
            parent = t[ref.parent_name]  # type: ignore[index]
            keys = set(parent[ref.parent_column].dropna().tolist())
            values = df[ref.column].dropna().tolist()
            assert all(v in keys for v in values), (ref.text, values, keys)
            if not ref.optional:
                assert not df[ref.column].isna().any()


# ------------------------------------------------------------------------------------------
# declaration


def test_reference_is_canonical() -> None:
    (ref,) = Orders.__contract__.references
    assert (ref.child, ref.column, ref.parent, ref.parent_column) == (
        "Orders",
        "customer_id",
        Customers,
        "customer_id",
    )
    assert ref.text == "Orders.customer_id -> Customers.customer_id"
    assert repr(Orders.customer_id) == "Int64().references(Customers, 'customer_id')"


def test_reference_to_a_non_unique_column_is_refused() -> None:
    with pytest.raises(ContractError, match=r"Bad.c: .*Customers.segment is not unique"):

        @data_contract
        class Bad:
            c = Category(["retail", "business"]).references(Customers, "segment")


def test_reference_errors() -> None:
    with pytest.raises(ContractError, match="has no column 'nope'"):

        @data_contract
        class A:
            c = Int64().references(Customers, "nope")

    with pytest.raises(ContractError, match="must be a class decorated with @data_contract"):

        @data_contract
        class B:
            c = Int64().references(int, "x")

    with pytest.raises(ContractError, match=r"is a cycle: Employees.manager -> Employees.id"):

        @data_contract
        class Employees:
            id = Int64().is_unique()
            manager = Int64().references("Employees", "id")

    with pytest.raises(ContractError, match="declare both with the same type"):

        @data_contract
        class D:
            c = String().references(Customers, "customer_id")

    with pytest.raises(ContractError, match=r"only allows \[5, "):

        @data_contract
        class E:
            c = Int64().lower_bound(5).references(Customers, "customer_id")


# ------------------------------------------------------------------------------------------
# tables()


@FAST
@given(
    tables(
        Customers,
        Orders,
        rows={Customers: (1, 200), Orders: (0, 2_000)},
        per_parent={Orders: (0, 20)},
    )
)
def test_every_drawn_mapping_is_valid(t: object) -> None:
    validate_tables(t)  # type: ignore[arg-type]
    independent_check(t)
    customers, orders = t[Customers], t["Orders"]  # type: ignore[index]
    assert 1 <= len(customers) <= 200 and len(orders) <= 2_000
    assert (orders["customer_id"].value_counts() <= 20).all()


@FAST
@given(tables(Items, Visits, Profiles, per_parent={Orders: (1, 3)}))
def test_chains_several_and_unique_references(t: object) -> None:
    assert [c.__name__ for c in t] == ["Customers", "Orders", "Items", "Visits", "Profiles"]  # type: ignore[attr-defined]
    validate_tables(t)  # type: ignore[arg-type]
    independent_check(t)
    counts = t[Orders]["customer_id"].value_counts()  # type: ignore[index]
    assert ((counts >= 1) & (counts <= 3)).all()
    assert len(counts) == len(t[Customers])  # every customer has 1 to 3 orders  # type: ignore[index]
    assert not t[Profiles]["customer_id"].duplicated().any()  # type: ignore[index]


def test_duplicate_match_bug_shrinks_to_the_two_rows() -> None:
    t = find(tables(Customers, Orders), lambda t: t[Orders]["customer_id"].duplicated().any())
    assert t[Customers].to_dict("list") == {"customer_id": [1], "segment": ["retail"]}
    assert t[Orders].to_dict("list") == {
        "order_id": [1, 2],
        "customer_id": [1, 1],
        "amount": [0.0, 0.0],
    }


def test_missing_parent_bug_shrinks_to_one_child_row() -> None:
    t = find(tables(Visits), lambda t: t[Visits]["visitor"].isna().any())
    assert len(t[Customers]) == 0
    assert t[Visits]["visitor"].isna().tolist() == [True]
    assert t[Visits]["referrer"].isna().tolist() == [True]  # no customer: nothing to refer
    assert t[Visits]["page"].tolist() == ["home"]


def test_order_of_a_business_customer_shrinks_to_one_parent_one_child() -> None:
    def bug(t: object) -> bool:
        merged = t[Orders].merge(t[Customers], on="customer_id")  # type: ignore[index]
        return bool((merged["segment"] == "business").any())

    t = find(tables(Customers, Orders), bug)
    assert t[Customers].to_dict("list") == {"customer_id": [1], "segment": ["business"]}
    assert t[Orders].to_dict("list") == {"order_id": [1], "customer_id": [1], "amount": [0.0]}


def test_referenced_contracts_are_added_and_addressable_by_name() -> None:
    t = find(tables(Items), lambda t: len(t[Items]) > 0)
    assert list(t.keys()) == [Customers, Orders, Items]
    assert t["Items"] is t[Items]
    assert repr(t) == "Tables(Customers: 1 row, Orders: 1 row, Items: 1 row)"


@settings(FAST, max_examples=5)
@given(tables(Orders, rows={Customers: 50, Orders: 100_000}))
def test_a_hundred_thousand_child_rows(t: object) -> None:
    assert len(t[Orders]) == 100_000 and len(t[Customers]) == 50
    independent_check(t)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"per_parent": {Customers: (0, 1)}}, "per_parent.Customers.: Customers references no"),
        (
            {"rows": {Customers: 10, Orders: (0, 20)}, "per_parent": {Orders: (3, 5)}},
            "needs at least 3 Orders rows per Customers row, so 10 Customers rows need 30",
        ),
        ({"rows": {Items: 3}}, "rows names Items, which is not one of the tables"),
        ({"rows": {Orders: (5, 1)}}, "has its minimum above its maximum"),
        ({"rows": {Customers: 0, Orders: (1, 5)}}, "needs at least 1 Orders rows"),
    ],
)
def test_bad_arguments(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidArgument, match=r"^tables\(Orders, \.\.\.\): .*" + message):
        tables(Orders, **kwargs)  # type: ignore[arg-type]


def test_too_few_parent_rows_says_why() -> None:
    # was: "... allows at most any number of per Customers row and rows[Customers] at most 0"
    with pytest.raises(InvalidArgument) as e:
        tables(Orders, rows={Customers: 0, Orders: (1, 5)})
    assert str(e.value) == (
        "tables(Orders, ...): rows[Orders] needs at least 1 Orders rows, each with a "
        "Customers row (Orders.customer_id -> Customers.customer_id is required), but "
        "rows[Customers] allows at most 0 Customers rows; allow more Customers rows or "
        "fewer Orders rows."
    )
    with pytest.raises(InvalidArgument) as e:
        tables(Orders, rows={Customers: 2, Orders: 7}, per_parent={Orders: (0, 3)})
    assert str(e.value) == (
        "tables(Orders, ...): rows[Orders] needs at least 7 Orders rows, each with a "
        "Customers row (Orders.customer_id -> Customers.customer_id allows at most 3 Orders "
        "rows per Customers row), but rows[Customers] allows at most 2 Customers rows; allow "
        "more Customers rows or fewer Orders rows."
    )


def test_unknown_contract() -> None:
    with pytest.raises(
        InvalidArgument,
        match=r"^tables\(Orders, \.\.\.\): each contract must be a class decorated with",
    ):
        tables(Orders, pd.DataFrame)


# ------------------------------------------------------------------------------------------
# example_tables()


def test_example_tables_is_deterministic_and_valid() -> None:
    a = example_tables(Items, Visits, Profiles, seed=3)
    b = example_tables(Items, Visits, Profiles, seed=3)
    for contract in a:
        pd.testing.assert_frame_equal(a[contract], b[contract])
    validate_tables(a)
    independent_check(a)


def test_example_tables_at_a_million_rows() -> None:
    t = example_tables(
        Orders, rows={Customers: 100_000, Orders: 1_000_000}, per_parent={Orders: (0, 20)}, seed=0
    )
    assert len(t[Orders]) == 1_000_000
    assert t[Orders]["customer_id"].value_counts().max() <= 20
    validate_tables(t)


def test_assign_parents_respects_the_counts() -> None:
    rng = np.random.default_rng(0)
    for _ in range(200):
        parents = int(rng.integers(1, 30))
        lo = int(rng.integers(0, 3))
        hi = lo + int(rng.integers(0, 4))
        m = int(rng.integers(lo * parents, hi * parents + 1))
        q = rng.random(m) * rng.random()
        for shuffle in (None, rng):
            got = assign_parents(q, parents, lo, hi, shuffle)
            counts = np.bincount(got, minlength=parents)
            assert counts.sum() == m and counts.min() >= lo and counts.max() <= hi


# ------------------------------------------------------------------------------------------
# validate_tables()


def test_validate_tables_names_the_orphans() -> None:
    customers = pd.DataFrame(
        {"customer_id": [1, 2], "segment": pd.Categorical(["retail"] * 2, ["retail", "business"])}
    )
    orders = pd.DataFrame({"order_id": range(1, 93), "customer_id": [1] * 92, "amount": [1.0] * 92})
    orders.loc[[5, 6, 91], "customer_id"] = [17, 17, 40]
    with pytest.raises(ContractViolation) as info:
        validate_tables({Customers: customers, Orders: orders})
    assert str(info.value) == (
        "Orders.customer_id: 3 rows reference no Customers.customer_id: 17, 17, 40 (rows 5, 6, 91)"
    )
    assert info.value.failures["index"].tolist() == [5, 6, 91]


def test_validate_tables_checks_each_table_and_missing_parents() -> None:
    orders = pd.DataFrame({"order_id": [0], "customer_id": [1], "amount": [1.0]})
    with pytest.raises(ContractViolation) as info:
        validate_tables({Orders: orders})
    text = str(info.value)
    assert "order_id" in text and "Customers is not among the tables" in text


# ------------------------------------------------------------------------------------------
# shrinking


def _input(n_customers: int, n_orders: int, seed: int = 0) -> dict[object, pd.DataFrame]:
    t = example_tables(Orders, rows={Customers: n_customers, Orders: n_orders}, seed=seed)
    return {Customers: t[Customers], Orders: t[Orders].copy()}


def test_shrink_a_planted_orphan_to_one_row_and_no_parent() -> None:
    data = _input(500, 5_000)
    data[Orders].loc[3_131, "customer_id"] = 10**12 + 7

    def pipeline(t: object) -> None:
        m = t["Orders"].merge(t["Customers"], on="customer_id", how="left", indicator=True)  # type: ignore[index]
        if (m["_merge"] == "left_only").any():
            raise KeyError("an order without a customer")

    result = shrink(data, pipeline)
    assert result.complete
    assert len(result.tables[Customers]) == 0
    assert result.tables[Orders].to_dict("list") == {
        "order_id": [1],
        "customer_id": [0],
        "amount": [0.0],
    }


def test_shrink_deletes_parents_with_their_children_and_keeps_references() -> None:
    data = _input(300, 3_000, seed=1)

    def bug(t: object) -> None:
        m = t[Orders].merge(t[Customers], on="customer_id")  # type: ignore[index]
        counts = m[m["segment"] == "business"].groupby("customer_id").size()
        if (counts >= 2).any():
            raise AssertionError("a business customer with several orders")

    result = shrink(data, bug)
    validate_tables(result.tables)
    assert result.tables[Customers].to_dict("list") == {
        "customer_id": [1],
        "segment": ["business"],
    }
    assert result.tables[Orders].to_dict("list") == {
        "order_id": [1, 2],
        "customer_id": [1, 1],
        "amount": [0.0, 0.0],
    }


def test_shrink_tables_keyed_by_name() -> None:
    data = _input(50, 200, seed=2)
    named = {"Customers": data[Customers], "Orders": data[Orders]}

    def bug(t: object) -> None:
        if len(t["Orders"]) >= 3:  # type: ignore[index]
            raise ValueError("three orders")

    result = shrink(named, bug, contracts=[Customers, Orders])
    assert list(result.tables) == ["Customers", "Orders"]
    assert len(result.tables["Orders"]) == 3 and len(result.tables["Customers"]) == 1
    assert result.tables["Orders"]["customer_id"].tolist() == [1, 1, 1]


def test_shrink_tables_keyed_by_an_unknown_name() -> None:
    # was: ValueError "matches none of contracts=[...] (none given)."
    data = _input(5, 10, seed=2)
    with pytest.raises(InvalidArgument) as e:
        shrink({"Customers": data[Customers]}, lambda t: None)
    assert str(e.value) == (
        "shrink(...): the table 'Customers' is keyed by name, but no contracts=[...] were "
        "given; pass its contract in contracts=[...], or key the mapping by contract."
    )
    with pytest.raises(
        InvalidArgument, match=r"but contracts=\[Orders\] has no contract of that name"
    ):
        shrink({"Customers": data[Customers]}, lambda t: None, contracts=[Orders])


def test_shrink_tables_that_pass() -> None:
    from hypo_contracts import NothingToShrink

    with pytest.raises(NothingToShrink, match="did not raise on the original tables"):
        shrink(_input(5, 10), lambda t: None)


# ------------------------------------------------------------------------------------------
# hypo-contracts shrink with several files

TABLES_MODULE = """
from hypo_contracts.examples import Customers, Orders


def join(t):
    m = t["Orders"].merge(t["Customers"], on="customer_id", how="left", indicator=True)
    if (m["_merge"] == "left_only").any():
        raise KeyError("an order without a customer")
"""


def test_cli_shrinks_several_files_into_a_directory(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys
    from pathlib import Path

    from click.testing import CliRunner

    from hypo_contracts.cli import main

    work = Path(str(tmp_path))
    (work / "tables_mod.py").write_text(TABLES_MODULE)
    monkeypatch.chdir(work)
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.delitem(sys.modules, "tables_mod", raising=False)
    data = _input(200, 2_000, seed=4)
    data[Orders].loc[1_234, "customer_id"] = 999_999_999
    data[Customers].to_csv(work / "customers.csv", index=False)
    data[Orders].to_parquet(work / "orders.parquet")
    args = ["shrink", "customers.csv", "orders.parquet", "--test", "tables_mod:join"]
    args += ["--contract", "tables_mod:Customers", "--contract", "tables_mod:Orders"]
    result = CliRunner().invoke(
        main, [*args, "-o", "out", "--pytest", "test_min.py"], catch_exceptions=False
    )
    sys.modules.pop("tables_mod", None)
    assert result.exit_code == 0, result.output
    assert "customers.csv: 200 -> 0 rows, orders.parquet: 2000 -> 1 rows" in result.output
    assert len(pd.read_csv(work / "out" / "customers.csv")) == 0
    assert pd.read_parquet(work / "out" / "orders.parquet").to_dict("list") == {
        "order_id": [1],
        "customer_id": [0],
        "amount": [0.0],
    }
    assert (
        "tables = Tables({Customers: customers, Orders: orders})"
        in (work / "test_min.py").read_text()
    )
    bad = CliRunner().invoke(main, [*args[:-2], "-o", "out"])
    assert bad.exit_code == 2 and "2 DATA files need 2 --contract options" in bad.output
    # was: the second file silently replaced the first, then "Customers does not satisfy"
    twice = [*args[:-1], "tables_mod:Customers", "-o", "out2"]
    bad = CliRunner().invoke(main, twice)
    assert bad.exit_code == 2, bad.output
    assert "--contract tables_mod:Customers is given twice" in bad.output


def test_shrink_cascades_through_a_chain() -> None:
    t = example_tables(
        Items, rows={Customers: 40, Orders: 400, Items: 2_000}, per_parent={Items: (0, 10)}, seed=5
    )
    data = {c: t[c] for c in t}

    def bug(t: object) -> None:
        m = t[Items].merge(t[Orders], on="order_id").merge(t[Customers], on="customer_id")  # type: ignore[index]
        if (m["segment"] == "business").any():
            raise AssertionError("an item of a business customer")

    result = shrink(data, bug)
    validate_tables(result.tables)
    assert result.tables[Customers].to_dict("list") == {
        "customer_id": [1],
        "segment": ["business"],
    }
    assert result.tables[Orders].to_dict("list") == {
        "order_id": [1],
        "customer_id": [1],
        "amount": [0.0],
    }
    assert result.tables[Items][["item_id", "order_id"]].to_dict("list") == {
        "item_id": [1],
        "order_id": [1],
    }


def test_a_referencing_contract_alone_is_a_plain_frame() -> None:
    df = find(frames(Orders, max_rows=5), lambda df: len(df) > 0)
    assert df.to_dict("list") == {"order_id": [1], "customer_id": [0], "amount": [0.0]}


def test_shrink_tables_stops_at_max_calls_with_valid_tables() -> None:
    data = _input(100, 1_000, seed=6)

    def bug(t: object) -> None:
        if len(t[Orders]) >= 2:  # type: ignore[index]
            raise ValueError("two orders")

    result = shrink(data, bug, max_calls=4)
    assert not result.complete and result.stopped_by == "max_calls" and result.calls <= 4
    validate_tables(result.tables)
    assert len(result.tables[Orders]) >= 2


def test_shrink_tables_stops_at_the_timeout_on_the_shared_clock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from hypo_contracts import shrink_search

    ticks = iter(range(10**6))  # one tick a reading: the timeout is a number of readings
    monkeypatch.setattr(shrink_search, "_now", lambda: float(next(ticks)))
    data = _input(100, 1_000, seed=6)

    def bug(t: object) -> None:
        if len(t[Orders]) >= 2:  # type: ignore[index]
            raise ValueError("two orders")

    result = shrink(data, bug, timeout=6)
    assert (result.complete, result.stopped_by) == (False, "timeout")
    assert 1 <= result.calls < 6
    validate_tables(result.tables)
    assert len(result.tables[Orders]) >= 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_calls": 0}, r"^shrink\(\.\.\.\): max_calls=0 must be a whole number >= 1"),
        ({"timeout": -1}, r"^shrink\(\.\.\.\): timeout=-1 must be a number of seconds"),
    ],
)
def test_shrink_checks_the_budget_of_tables_too(kwargs: dict, message: str) -> None:
    with pytest.raises(InvalidArgument, match=message):
        shrink(_input(3, 5, seed=0), lambda t: None, **kwargs)


def test_customer_without_orders_shrinks_to_one_customer_and_no_order() -> None:
    def bug(t: object) -> bool:
        customers, orders = t[Customers], t[Orders]  # type: ignore[index]
        return bool((~customers["customer_id"].isin(orders["customer_id"])).any())

    t = find(tables(Customers, Orders), bug)
    assert t[Customers].to_dict("list") == {"customer_id": [1], "segment": ["retail"]}
    assert len(t[Orders]) == 0


def test_per_parent_minimum_shrinks_to_the_minimum() -> None:
    t = find(
        tables(Customers, Orders, per_parent={Orders: (2, None)}),
        lambda t: len(t[Customers]) > 0,
    )
    assert t[Customers].to_dict("list") == {"customer_id": [1], "segment": ["retail"]}
    assert t[Orders].to_dict("list") == {
        "order_id": [1, 2],
        "customer_id": [1, 1],
        "amount": [0.0, 0.0],
    }


def test_to_pytest_rebuilds_the_tables(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib
    import sys
    from pathlib import Path

    work = Path(str(tmp_path))
    (work / "tables_mod2.py").write_text(TABLES_MODULE)
    monkeypatch.syspath_prepend(str(work))
    mod = importlib.import_module("tables_mod2")
    try:
        t = example_tables(mod.Orders, rows={mod.Customers: 20, mod.Orders: 100}, seed=1)
        orders = t[mod.Orders].copy()
        orders.loc[50, "customer_id"] = 10**9
        result = shrink({mod.Customers: t[mod.Customers], mod.Orders: orders}, mod.join)
        source = result.to_pytest()
        assert "tables = Tables({Customers: customers, Orders: orders})" in source
        namespace: dict[str, object] = {}
        exec(compile(source, "test_generated.py", "exec"), namespace)
        with pytest.raises(KeyError, match="an order without a customer"):
            namespace["test_regression"]()  # type: ignore[operator]
    finally:
        sys.modules.pop("tables_mod2", None)


@data_contract
class Products:
    product_id = Int64().lower_bound(1).is_unique()


@data_contract
class Lines:
    order_id = Int64().references(Orders, "order_id")
    product_id = Int64().references(Products, "product_id")


@FAST
@given(tables(Lines, per_parent={Lines: (1, 3)}))
def test_two_parents_with_per_parent_minimums_need_no_rejection(t: object) -> None:
    validate_tables(t)  # type: ignore[arg-type]
    independent_check(t)
    for column, parent in (("order_id", Orders), ("product_id", Products)):
        counts = t[Lines][column].value_counts()  # type: ignore[index]
        assert len(counts) == len(t[parent]) and counts.between(1, 3).all()  # type: ignore[index]


def test_example_tables_with_two_parents_and_minimums() -> None:
    for seed in range(20):
        t = example_tables(Lines, per_parent={Lines: (1, 3)}, seed=seed)
        validate_tables(t)


# ------------------------------------------------------------------------------------------
# pinned values: tables(..., patterns={...})


def _two_customers() -> object:
    from hypo_contracts import with_values

    return with_values(Customers, {"customer_id": [1, 2], "segment": ["business", "retail"]})


def test_pinned_parent_rows_are_exact_and_children_reference_them() -> None:
    s = tables(Customers, Orders, rows={Orders: (0, 6)}, patterns={Customers: _two_customers()})
    assert repr(s) == "tables(Customers, Orders, patterns={Customers: ...})"

    @FAST
    @given(s)
    def check(t: object) -> None:
        assert t[Customers].to_dict("list") == {  # type: ignore[index]
            "customer_id": [1, 2],
            "segment": ["business", "retail"],
        }
        assert set(t[Orders]["customer_id"]) <= {1, 2}  # type: ignore[index]
        validate_tables(t)  # type: ignore[arg-type]

    check()
    t = s.example(seed=0)
    assert t[Customers]["customer_id"].tolist() == [1, 2]
    assert set(t[Orders]["customer_id"]) <= {1, 2}
    validate_tables(t)


def test_pinned_child_keys_and_features_are_kept() -> None:
    from hypo_contracts import with_values

    s = tables(
        Orders,
        patterns={
            Customers: with_values(Customers, {"customer_id": [3, 4]}),
            Orders: with_values(Orders, {"customer_id": [4, 4, 3], "amount": [9999, 1, 2]}),
        },
    )

    @FAST
    @given(s)
    def check(t: object) -> None:
        orders = t[Orders]  # type: ignore[index]
        assert orders[["customer_id", "amount"]].to_dict("list") == {
            "customer_id": [4, 4, 3],
            "amount": [9999.0, 1.0, 2.0],
        }
        validate_tables(t)  # type: ignore[arg-type]

    check()
    assert s.example(seed=1)[Orders]["customer_id"].tolist() == [4, 4, 3]


def test_features_for_in_tables_keeps_the_selected_columns() -> None:
    from hypo_contracts import features_for

    pattern = features_for(Orders, {"amount": [5.0, 6.0]}, columns=["customer_id", "amount"])
    t = tables(Orders, patterns={Orders: pattern}).example(seed=2)
    assert list(t[Orders].columns) == ["customer_id", "amount"]
    assert t[Orders]["amount"].tolist() == [5.0, 6.0]
    assert t[Orders]["customer_id"].isin(t[Customers]["customer_id"]).all()


def test_pins_out_of_contract_orphan_or_off_count_are_contract_errors() -> None:
    from hypo_contracts import with_values

    with pytest.raises(ContractError) as e:
        with_values(Customers, {"segment": ["vip"]})
    assert str(e.value).startswith("Customers.segment: pinned value 'vip' at position 0")
    three = with_values(Customers, {"customer_id": [3, 4]})
    with pytest.raises(ContractError) as e:
        tables(
            Orders, patterns={Customers: three, Orders: with_values(Orders, {"customer_id": [5]})}
        )
    assert str(e.value) == (
        "Orders.customer_id: the pinned key 5 at position 0 matches no pinned "
        "Customers.customer_id (an orphan); pin a Customers row with that key, or pin "
        "another key."
    )
    with pytest.raises(ContractError) as e:
        tables(Orders, patterns={Orders: with_values(Orders, {"customer_id": [7]})})
    assert str(e.value).startswith(
        "Orders.customer_id: pinned keys 7 reference a Customers row, but no "
        "Customers.customer_id is pinned"
    )
    with pytest.raises(ContractError) as e:
        tables(
            Orders,
            per_parent={Orders: 1},
            patterns={Customers: three, Orders: with_values(Orders, {"customer_id": [4, 4]})},
        )
    assert str(e.value) == (
        "Orders.customer_id: the pinned Customers key 3 has 0 Orders row(s), but each "
        "Customers row needs 1 (per_parent)."
    )


def test_pin_arguments_are_checked() -> None:
    from hypo_contracts import features_for, planted, with_values

    two = with_values(Customers, {"customer_id": [3, 4]})
    with pytest.raises(InvalidArgument, match=r"rows\[Customers\]=3, but patterns\[Customers\]"):
        tables(Orders, rows={Customers: 3}, patterns={Customers: two})
    with pytest.raises(InvalidArgument, match="leaves out customer_id, which a reference"):
        only = features_for(Customers, {"segment": ["retail"]}, columns=["segment"])
        tables(Orders, patterns={Customers: only})
    with pytest.raises(InvalidArgument, match=r"patterns\[Orders\] pins Customers columns"):
        tables(Orders, patterns={Orders: two})
    with pytest.raises(InvalidArgument, match="must be with_values"):
        tables(Orders, patterns={Orders: planted(Orders, "amount", lambda X: X["order_id"] % 7)})
    # was: prefixed tables(Orders, ...) (the last table) and suggested patterns={...: (0, 10)}
    with pytest.raises(InvalidArgument) as e:
        tables(Customers, Orders, patterns=[two])
    assert str(e.value) == (
        f"tables(Customers, ...): patterns=[{two!r}] must be a dict keyed by contract, "
        "e.g. patterns={Customers: with_values(Customers, {...})}."
    )
    with pytest.raises(InvalidArgument, match=r"^tables\(Customers, \.\.\.\): patterns\[Orders\]"):
        tables(Customers, Orders, patterns={Orders: two})
