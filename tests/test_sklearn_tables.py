"""check_pipeline with several related tables (hypo_contracts.sklearn.multi)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import settings
from hypothesis.errors import InvalidArgument
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.tree import DecisionTreeClassifier

from hypo_contracts import Bool, Int64, data_contract
from hypo_contracts.examples import Customers, Orders
from hypo_contracts.sklearn import PipelineCheckFailed, check_pipeline


@data_contract
class Members:
    customer_id = Int64().lower_bound(1).is_unique()
    loyal = Bool()


@data_contract
class Purchases:
    customer_id = Int64().references(Members, "customer_id")
    amount = Int64().bounded_between(0, 100)


SHOP = (Members, Purchases)
QUICK: dict[str, Any] = {
    "min_rows": 1,
    "max_rows": 10,
    "max_examples": 10,
    "settings": settings(database=None),
}


def spent(t: Any) -> pd.DataFrame:
    total = t[Purchases].groupby("customer_id")["amount"].sum()
    ids = t[Members]["customer_id"]
    return pd.DataFrame({"spent": ids.map(total).fillna(0).to_numpy(dtype=float)})


def good() -> Any:
    return make_pipeline(FunctionTransformer(spent), DecisionTreeClassifier(random_state=0))


class PerPurchase(ClassifierMixin, BaseEstimator):
    """Predicts one value per purchase instead of one per member."""

    def fit(self, X: Any, y: Any) -> PerPurchase:
        return self

    def predict(self, X: Any) -> np.ndarray:
        return np.ones(len(X[Purchases]), dtype=bool)


class SevenForAll(ClassifierMixin, BaseEstimator):
    def fit(self, X: Any, y: Any) -> SevenForAll:
        return self

    def predict(self, X: Any) -> np.ndarray:
        return np.full(len(X[Members]), 7)


class OverwritesIds(ClassifierMixin, BaseEstimator):
    def fit(self, X: Any, y: Any) -> OverwritesIds:
        X[Members].loc[:, "customer_id"] = -1  # every id is >= 1: always a change
        return self

    def predict(self, X: Any) -> np.ndarray:
        return np.zeros(len(X[Members]), dtype=bool)


def test_a_working_pipeline_on_several_tables_passes_with_a_joblib_round_trip() -> None:
    check_pipeline(good, SHOP, target="loyal", **QUICK)
    check_pipeline(good, SHOP, target="Members.loyal", **QUICK)


def test_predictions_are_one_per_row_of_the_target_table() -> None:
    with pytest.raises(PipelineCheckFailed) as e:
        check_pipeline(PerPurchase, SHOP, target="loyal", **QUICK)
    assert e.value.check == "length"
    # the simplest tables: one member, no purchase
    assert e.value.detail == (
        "predict returned an array of shape (0,) for 1 row of Members; expected (1,), one "
        "prediction per row."
    )


def test_predictions_are_checked_against_the_target_column() -> None:
    with pytest.raises(PipelineCheckFailed) as e:
        check_pipeline(SevenForAll, SHOP, target="loyal", **QUICK)
    assert e.value.check == "target"
    assert e.value.detail == "prediction[0] = 7: Members.loyal is a boolean column (True/False)."


def test_a_pipeline_that_changes_the_tables_fails_the_mutation_check() -> None:
    with pytest.raises(PipelineCheckFailed) as e:
        check_pipeline(OverwritesIds, SHOP, target="loyal", **QUICK)
    assert e.value.check == "mutation"
    assert e.value.detail.startswith("fit changed its input table Members:")


def test_several_table_arguments_are_checked() -> None:
    with pytest.raises(InvalidArgument, match=r"target='churn' is a column of none of"):
        check_pipeline(good, SHOP, target="churn", **QUICK)
    with pytest.raises(InvalidArgument) as e:
        check_pipeline(good, (Customers, Orders), target="customer_id", **QUICK)
    assert str(e.value) == (
        "check_pipeline(Customers, ...): target='customer_id' is a column of several tables: "
        "target='Customers.customer_id' or target='Orders.customer_id'."
    )
    with pytest.raises(InvalidArgument) as e:
        check_pipeline(good, SHOP, target="Purchases.nope", **QUICK)
    assert str(e.value) == (
        "check_pipeline(Members, ...): target='Purchases.nope': Purchases has no column 'nope'; "
        "its columns are: customer_id, amount."
    )
    with pytest.raises(InvalidArgument, match=r"drift and feature_use check one-frame"):
        check_pipeline(good, SHOP, target="loyal", drift=True, **QUICK)
    with pytest.raises(InvalidArgument, match=r"give at least one contract"):
        check_pipeline(good, (), target="loyal", **QUICK)


def test_a_pipeline_joblib_cannot_store_fails_the_round_trip() -> None:
    def local(t: Any) -> pd.DataFrame:  # a local function: pickle cannot find it
        return spent(t)

    def make() -> Any:
        return make_pipeline(FunctionTransformer(local), DecisionTreeClassifier(random_state=0))

    check_pipeline(make, SHOP, target="loyal", roundtrip=(), **QUICK)
    with pytest.raises(PipelineCheckFailed) as e:
        check_pipeline(make, SHOP, target="loyal", **QUICK)
    assert e.value.check == "roundtrip:joblib"
    assert e.value.detail.startswith("storing and reloading the pipeline raised ")
