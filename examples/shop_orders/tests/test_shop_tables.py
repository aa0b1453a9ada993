"""The two-table pipeline, tested with related tables: ``tables()`` draws customers and
orders in which every order has a customer, and the join bug (a customer without orders,
dropped by an inner join) is found by Hypothesis and shrunk to the minimal tables."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, find, given, settings
from shop import (
    FEATURES,
    ShopCustomers,
    ShopOrders,
    churn_predictions,
    customer_features,
    customer_features_broken,
    make_table_pipeline,
)

from hypo_contracts import example_tables, shrink, tables, with_values

QUICK = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
SHOP = tables(ShopCustomers, ShopOrders, rows={ShopCustomers: (1, 20), ShopOrders: (0, 60)})


@QUICK
@given(SHOP)
def test_one_feature_row_and_one_prediction_per_customer(t: object) -> None:
    X = customer_features(t)
    assert list(X.columns) == FEATURES
    assert len(X) == len(t[ShopCustomers])  # type: ignore[index]
    assert X["orders"].sum() == len(t[ShopOrders])  # type: ignore[index]
    assert len(churn_predictions(t)) == len(X)


def test_pinned_orders_give_exact_features() -> None:
    customers = with_values(
        ShopCustomers, {"customer_id": [1, 2], "segment": ["retail", "business"]}
    )
    orders = with_values(ShopOrders, {"customer_id": [2, 2, 1], "amount": [10.0, 5.5, 1.0]})

    @QUICK
    @given(tables(ShopOrders, patterns={ShopCustomers: customers, ShopOrders: orders}))
    def check(t: object) -> None:
        assert customer_features(t).to_dict("list") == {
            "orders": [1, 2],
            "spent": [1.0, 15.5],
            "business": [0.0, 1.0],
        }

    check()


def _fails(t: object) -> bool:
    try:
        churn_predictions(t, customer_features_broken)
    except ValueError:
        return True
    return False


def test_the_inner_join_bug_is_found_and_shrunk_to_one_customer_without_orders() -> None:
    found = find(SHOP, _fails, settings=settings(database=None, max_examples=200))
    # Hypothesis' own shrinking: one customer, no orders
    assert (len(found[ShopCustomers]), len(found[ShopOrders])) == (1, 0)
    with pytest.raises(ValueError, match="0 feature rows for 1 customers"):
        churn_predictions(found, customer_features_broken)


def test_shrink_reduces_a_large_extract_to_the_customer_without_orders() -> None:

    t = example_tables(
        ShopOrders,
        rows={ShopCustomers: 200, ShopOrders: 1_000},
        per_parent={ShopOrders: (1, 10)},
        seed=0,
    )
    lonely = t[ShopCustomers].iloc[[0]].assign(customer_id=10**9)  # a new customer, no orders

    customers = pd.concat([t[ShopCustomers], lonely], ignore_index=True)
    extract = {ShopCustomers: customers, ShopOrders: t[ShopOrders]}
    assert _fails(extract) and not _fails(t)
    result = shrink(extract, lambda m: churn_predictions(m, customer_features_broken))
    assert len(result.tables[ShopOrders]) == 0
    assert result.tables[ShopCustomers].to_dict("records") == [
        {"customer_id": 1, "segment": "retail", "churned": False}
    ]


def test_check_pipeline_with_several_tables() -> None:
    from hypo_contracts.sklearn import PipelineCheckFailed, check_pipeline

    shop = (ShopCustomers, ShopOrders)
    check_pipeline(make_table_pipeline, shop, target="churned", min_rows=1, max_rows=20,
                   max_examples=10, settings=settings(database=None))  # fmt: skip
    with pytest.raises(PipelineCheckFailed) as e:
        check_pipeline(lambda: make_table_pipeline(customer_features_broken), shop,
                       target="churned", min_rows=1, max_rows=20, max_examples=30,
                       settings=settings(database=None))  # fmt: skip
    assert e.value.check == "fit"
    assert "Found array with 0 sample(s)" in e.value.detail
    notes = "\n".join(getattr(e.value, "__notes__", []))
    assert "tables(): ShopOrders: 0 row(s)" in notes
