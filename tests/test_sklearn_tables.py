"""check_pipeline with several related tables (hypo_contracts.sklearn.multi)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import settings
from hypothesis.errors import InvalidArgument
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.dummy import DummyRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.tree import DecisionTreeClassifier

from hypo_contracts import Bool, Int64, Tables, data_contract
from hypo_contracts.examples import Customers, Orders
from hypo_contracts.sklearn import (
    PipelineCheckFailed,
    check_pipeline,
    check_pipeline_on,
    pipeline_test,
)


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


def _failure(make: Any, target: str = "loyal") -> PipelineCheckFailed:
    """The failure ``check_pipeline`` reports for ``make`` over SHOP (QUICK settings)."""
    with pytest.raises(PipelineCheckFailed) as e:
        check_pipeline(make, SHOP, target=target, **QUICK)
    return e.value


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


def test_pipeline_test_takes_several_tables() -> None:
    @pipeline_test(SHOP, target="loyal", **QUICK)
    def test_good() -> Any:
        return good()

    @pipeline_test(SHOP, target="loyal", **QUICK)
    def test_per_purchase() -> Any:
        return PerPurchase()

    test_good()
    with pytest.raises(PipelineCheckFailed) as e:
        test_per_purchase()
    assert e.value.check == "length"


def test_predictions_are_one_per_row_of_the_target_table() -> None:
    err = _failure(PerPurchase)
    assert err.check == "length"
    # the simplest tables: one member, no purchase
    assert err.detail == (
        "predict returned an array of shape (0,) for 1 row of Members; expected (1,), one "
        "prediction per row."
    )


def test_predictions_are_checked_against_the_target_column() -> None:
    err = _failure(SevenForAll)
    assert err.check == "target"
    assert err.detail == "prediction[0] = 7: Members.loyal is a boolean column (True/False)."


def test_a_regressor_over_several_tables_gets_the_regressor_hint() -> None:
    def one_per_purchase(t: Any) -> pd.DataFrame:
        return pd.DataFrame({"one": [1.0] * len(t[Purchases])})

    def make() -> Any:
        return make_pipeline(
            FunctionTransformer(one_per_purchase), DummyRegressor(strategy="constant", constant=500)
        )

    err = _failure(make, "amount")
    assert err.check == "target"
    assert err.detail == (
        "prediction[0] = 500 outside Purchases.amount's bounds [0, 100]. A regressor may "
        "predict beyond the values it was trained on: pass predictions=Float64() (or the "
        "range you accept) to check a wider range, or clip the predictions in the pipeline."
    )


def test_a_pipeline_that_changes_the_tables_fails_the_mutation_check() -> None:
    err = _failure(OverwritesIds)
    assert err.check == "mutation"
    assert err.detail.startswith("fit changed its input table Members:")


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
    err = _failure(make)
    assert err.check == "roundtrip:joblib"
    assert err.detail.startswith("storing and reloading the pipeline raised ")


# ------------------------------------------------------------------------------------------
# a failure over several tables: its minimal tables and a regression test


def spent_broken(t: Any) -> pd.DataFrame:
    """An inner join: members without purchases are lost (fewer feature rows than members)."""
    joined = t[Members].merge(t[Purchases], on="customer_id")
    return joined.groupby("customer_id")[["amount"]].sum()


def broken() -> Any:
    return make_pipeline(FunctionTransformer(spent_broken), DecisionTreeClassifier(random_state=0))


FIT_FAILED = (
    "[fit] fit(X, y) on 2 rows of Members raised ValueError: Found array with 0 sample(s) "
    "(shape=(0, 1)) while a minimum of 1 is required by DecisionTreeClassifier."
)


def _join_failure() -> PipelineCheckFailed:
    with pytest.raises(PipelineCheckFailed) as e:
        check_pipeline(broken, SHOP, target="loyal", min_rows=1, max_rows=10, max_examples=10,
                       settings=settings(database=None, derandomize=True))  # fmt: skip
    return e.value


def _records(t: Any) -> dict[str, list[dict[str, Any]]]:
    assert isinstance(t, Tables)
    return {name: t[name].to_dict("records") for name in ("Members", "Purchases")}


def test_a_failure_over_several_tables_carries_the_minimal_tables() -> None:
    err = _join_failure()
    assert str(err) == FIT_FAILED
    # two members (one class each: a single class is skipped), no purchase at all; the
    # one non-simple cell sits in row 0, where the shrinker moves it
    assert _records(err.train) == {
        "Members": [{"customer_id": 1, "loyal": True}, {"customer_id": 2, "loyal": False}],
        "Purchases": [],
    }
    # the tables predicted on: the target column left out
    assert _records(err.new) == {"Members": [{"customer_id": 1}], "Purchases": []}
    assert list(err.train) == [Members, Purchases]
    assert err.train[Purchases].dtypes.to_dict() == {
        "customer_id": np.dtype("int64"),
        "amount": np.dtype("int64"),
    }
    notes = "\n".join(getattr(err, "__notes__", []))
    assert "check failed: fit\n" in notes
    assert (
        "minimal training tables:\n"
        "    Members: 2 rows:\n"
        "           customer_id  loyal\n"
        "        0            1   True\n"
        "        1            2  False\n"
        "    Purchases: 0 rows, columns ['customer_id', 'amount']\n"
        "minimal tables predicted on:\n"
        "    Members: 1 row:\n"
    ) in notes
    assert err.regression_test is not None
    assert "a pytest regression test for this failure:\n\n" + err.regression_test.strip() in notes


def test_the_regression_test_replays_the_tables_and_passes_once_the_pipeline_is_fixed(
    tmp_path: Path,
) -> None:
    err = _join_failure()
    source = err.regression_test
    assert source is not None
    assert "from tests.test_sklearn_tables import broken\n" in source
    assert "from tests.test_sklearn_tables import Members\n" in source
    assert "    train = Tables({Members: train_members, Purchases: train_purchases})\n" in source
    assert "        (Members, Purchases),\n        train,\n        new,\n" in source
    assert '"amount": pd.Series([], dtype="int64"),' in source  # an empty table keeps dtypes
    (tmp_path / "test_regression.py").write_text(source)
    root = str(Path(__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
         "test_regression.py"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert "1 failed in" in run.stdout, run.stdout + run.stderr
    assert f"PipelineCheckFailed: {FIT_FAILED}" in run.stdout
    # the same test, the pipeline fixed (a left join: every member keeps a row), passes
    namespace: dict[str, Any] = {}
    exec(compile(source, "<regression>", "exec"), namespace)
    namespace["broken"] = good
    namespace["test_broken_regression"]()
    check_pipeline_on(good, SHOP, err.train, err.new, target="loyal")


def test_check_pipeline_on_takes_the_tables_as_mappings_by_contract_or_name() -> None:
    train = {
        "Purchases": pd.DataFrame({"customer_id": [1, 1], "amount": [5, 7]}),
        Members: pd.DataFrame({"customer_id": [1, 2], "loyal": [True, False]}),
    }
    new = Tables({Members: pd.DataFrame({"customer_id": [3]}), Purchases: train["Purchases"]})
    check_pipeline_on(good, SHOP, train, new, target="Members.loyal")
    with pytest.raises(PipelineCheckFailed) as e:
        check_pipeline_on(broken, SHOP, train, new, target="loyal")
    assert e.value.check == "fit"
    assert e.value.detail == (
        "fit(X, y) on 2 rows of Members raised ValueError: Number of labels=2 does not match "
        "number of samples=1"
    )
    # a single class that fit cannot take is reported, not skipped as in the search
    one_class = {**train, Members: train[Members].assign(loyal=True)}
    with pytest.raises(PipelineCheckFailed) as e:
        check_pipeline_on(broken, SHOP, one_class, new, target="loyal")
    assert e.value.detail.startswith(
        "fit(X, y) on 2 rows of Members (the target holds a single class) raised ValueError"
    )
