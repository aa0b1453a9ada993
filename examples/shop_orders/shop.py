"""A two-table feature pipeline: customers and their orders, joined and aggregated into one
row of features per customer, fed to a scikit-learn model that predicts churn.

``customer_features`` is correct: a left join keeps the customers without orders (zero
orders, zero spent). ``customer_features_broken`` is the classic join bug: an inner join
drops them, so the features have fewer rows than there are customers to predict for.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from sklearn.tree import DecisionTreeClassifier

from hypo_contracts import Bool, Category, Float64, Int64, data_contract


@data_contract
class ShopCustomers:
    customer_id = Int64().lower_bound(1).is_unique()
    segment = Category(["retail", "business"])
    churned = Bool()


@data_contract
class ShopOrders:
    order_id = Int64().lower_bound(1).is_unique()
    customer_id = Int64().references(ShopCustomers, "customer_id")
    amount = Float64().bounded_between(0, 10_000)


FEATURES = ["orders", "spent", "business"]


def _features(customers: pd.DataFrame, per_customer: pd.DataFrame) -> pd.DataFrame:
    out = customers[["customer_id"]].merge(per_customer, on="customer_id", how="left")
    out["business"] = (customers["segment"] == "business").to_numpy().astype(float)
    return out


def customer_features(t: Any) -> pd.DataFrame:
    """One row per customer, in the customers' order: orders placed, amount spent, segment."""
    per_customer = (
        t[ShopOrders].groupby("customer_id")["amount"].agg(orders="size", spent="sum").reset_index()
    )
    out = _features(t[ShopCustomers], per_customer)
    return out.fillna({"orders": 0, "spent": 0.0})[FEATURES]


def customer_features_broken(t: Any) -> pd.DataFrame:
    """The same, but joined with an inner join: customers without orders are dropped."""
    joined = t[ShopCustomers].merge(t[ShopOrders], on="customer_id", how="inner")
    per_customer = joined.groupby("customer_id", sort=False).agg(
        orders=("amount", "size"), spent=("amount", "sum"), segment=("segment", "first")
    )
    out = per_customer.reset_index()
    out["business"] = (out["segment"] == "business").astype(float)
    return out[FEATURES]


def make_model() -> Any:
    return make_pipeline(StandardScaler(), DecisionTreeClassifier(max_depth=3, random_state=0))


def churn_predictions(t: Any, features: Any = customer_features) -> Any:
    """Fit on the tables (target: ``churned``) and predict for the same customers; one
    prediction per customer, or ValueError."""
    X = features(t)
    y = t[ShopCustomers]["churned"]
    if len(X) != len(y):
        raise ValueError(f"{len(X)} feature rows for {len(y)} customers")
    model = make_model().fit(X, y)
    return model.predict(X)


def make_table_pipeline(features: Any = customer_features) -> Any:
    """The same model as one scikit-learn pipeline whose input ``X`` is the tables (the
    target column left out): ``FunctionTransformer`` builds the features."""
    return make_pipeline(
        FunctionTransformer(features),
        StandardScaler(),
        DecisionTreeClassifier(max_depth=3, random_state=0),
    )
