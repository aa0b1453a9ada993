"""hypo_contracts.sklearn: every check caught by a deliberately broken pipeline, the round trips
(joblib, skops, a real local MLflow registry), regression snippets, profiles, bad arguments."""

from __future__ import annotations

import re
import sys
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import pytest
from hypothesis import settings
from hypothesis.errors import InvalidArgument
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.dummy import DummyClassifier
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import LabelEncoder, OneHotEncoder, StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from hypo_contracts import Bool, Category, Float64, Int64, data_contract
from hypo_contracts.sklearn import (
    CHECKS,
    PipelineCheckFailed,
    check_pipeline,
    check_pipeline_on,
    pipeline_test,
)

FAST = settings(database=None, derandomize=True)


@data_contract
class Wine:
    alcohol = Float64().bounded_between(8, 15)
    sugar = Float64().bounded_between(0, 50).is_optional()
    color = Category(["red", "white"])
    quality = Int64().bounded_between(3, 9)


@data_contract
class WineColor:
    alcohol = Float64().bounded_between(8, 15)
    sugar = Float64().bounded_between(0, 50)
    color = Category(["red", "white"])


@data_contract
class WineScore:
    alcohol = Float64().bounded_between(8, 15)
    sugar = Float64().bounded_between(0, 50).is_optional()
    score = Float64().bounded_between(0, 10)


NUMERIC = ["alcohol", "sugar"]


def _preprocess() -> ColumnTransformer:
    numeric = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
    categories = OneHotEncoder(categories=[["red", "white"]])
    return ColumnTransformer([("num", numeric, NUMERIC), ("cat", categories, ["color"])])


def make_tree() -> Pipeline:
    return make_pipeline(_preprocess(), DecisionTreeClassifier(random_state=0))


def _failure(make: Any, contract: Any = Wine, **kwargs: Any) -> PipelineCheckFailed:
    kwargs.setdefault("target", "quality")
    kwargs.setdefault("max_examples", 30)
    kwargs.setdefault("settings", FAST)
    with pytest.raises(PipelineCheckFailed) as info:
        check_pipeline(make, contract, **kwargs)
    return info.value


# ------------------------------------------------------------------------------------------
# a sound pipeline passes


def test_sound_pipeline_passes_with_joblib_and_skops() -> None:
    check_pipeline(
        make_tree,
        Wine,
        target="quality",
        max_examples=8,
        roundtrip=("joblib", "skops"),
        settings=FAST,
    )


def test_classifier_that_needs_two_classes_skips_single_class_frames() -> None:
    from sklearn.linear_model import LogisticRegression

    @data_contract
    class Loans:
        income = Float64().bounded_between(0, 1e5)
        default = Bool()

    calls = []

    def make() -> Any:
        calls.append(1)
        return make_pipeline(StandardScaler(), LogisticRegression())

    check_pipeline(make, Loans, target="default", max_examples=10, settings=FAST)
    assert len(calls) >= 10
    # Outside Hypothesis nothing is skipped: the same frame is a named fit failure.
    one_class = pd.DataFrame({"income": [1.0, 2.0, 3.0], "default": [False] * 3})
    with pytest.raises(PipelineCheckFailed, match=r"the target holds a single class"):
        check_pipeline_on(make, Loans, one_class, one_class, target="default")


def test_a_target_admitting_one_class_reports_the_fit_failure() -> None:
    # It used to end in Hypothesis' FailedHealthCheck ("filtering out a lot of inputs").
    from sklearn.linear_model import LogisticRegression

    @data_contract
    class Approvals:
        income = Float64().bounded_between(0, 1e5)
        approved = Category(["yes"])

    def make() -> Any:
        return make_pipeline(StandardScaler(), LogisticRegression())

    err = _failure(make, Approvals, target="approved")
    assert err.check == "fit"
    assert err.detail.startswith(
        "fit(X, y) on 20 rows (the target holds a single class) raised ValueError: "
        "This solver needs samples of at least 2 classes"
    )
    assert err.detail.endswith(
        "Approvals.approved admits a single value, so every training frame holds a single class"
    )
    assert err.train is not None and err.train["approved"].tolist() == ["yes"] * 20
    assert err.regression_test is not None and "check_pipeline_on(" in err.regression_test


def test_one_row_training_frames_report_the_single_class_fit_failure() -> None:
    from sklearn.linear_model import LogisticRegression

    @data_contract
    class Loans:
        income = Float64().bounded_between(0, 1e5)
        default = Bool()

    err = _failure(LogisticRegression, Loans, target="default", min_rows=1, max_rows=1)
    assert err.check == "fit" and "at least 2 classes" in err.detail
    assert err.detail.endswith("with max_rows=1, every training frame holds a single class")


def test_too_few_frames_with_two_classes_report_the_fit_failure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Hypothesis gives up when it skips too many single-class frames: the fit failure is
    # reported with the smallest of them.
    import hypo_contracts.sklearn.search as search
    from hypo_contracts.sklearn.spec import SingleClassFitFailed

    real = search.run_checks
    probes = []

    def single_class_everywhere(spec: Any, train: Any, new: Any, trips: Any) -> None:
        if len(probes) < 1:  # the simplest frames pass
            probes.append(1)
            return real(spec, train, new, trips)
        raise SingleClassFitFailed("fit", "fit(X, y) on 20 rows (...) raised ValueError: one")

    monkeypatch.setattr(search, "run_checks", single_class_everywhere)
    err = _failure(make_tree, max_examples=10)
    assert err.check == "fit" and err.detail.startswith("fit(X, y) on 20 rows (...) raised")
    assert "Hypothesis found too few others" in err.detail
    assert err.train is not None and len(err.train) == 20


class Counted:
    """A pipeline factory that counts the pipelines it builds (one per fit)."""

    def __init__(self, make: Any) -> None:
        self.make = make
        self.fits = 0
        self.__name__ = self.__qualname__ = getattr(make, "__name__", "counted")
        self.__module__ = __name__

    def __call__(self) -> Any:
        self.fits += 1
        return self.make()


class WritesIntoInput(TransformerMixin, BaseEstimator):
    """Adds its output column to the caller's frame, whatever the data."""

    def fit(self, X: Any, y: Any = None) -> WritesIntoInput:
        return self

    def transform(self, X: Any) -> Any:
        X["alcohol_squared"] = X["alcohol"] ** 2
        return X[["alcohol", "alcohol_squared"]]


def test_a_failure_on_the_simplest_frames_is_reported_without_searching() -> None:
    # Data-independent failures used to be shrunk for a minute: one fit now.
    untrusted = Counted(make_custom)
    err = _failure(untrusted, roundtrip=("skops",))
    assert err.check == "roundtrip:skops" and untrusted.fits == 1
    simplest = {"alcohol": 8.0, "sugar": 0.0, "color": "red", "quality": 3}
    assert err.train is not None and err.train.to_dict("list") == {
        k: [v] * 20 for k, v in simplest.items()
    }
    assert err.new is not None and len(err.new) == 1
    notes = "\n".join(getattr(err, "__notes__", []))
    assert "minimal training frame: 20 rows, 1 distinct:" in notes
    assert "a pytest regression test for this failure:" in notes

    mutating = Counted(lambda: make_pipeline(WritesIntoInput(), DecisionTreeClassifier()))
    err = _failure(mutating)
    assert err.check == "mutation" and mutating.fits == 1
    assert err.detail.startswith("fit changed its input frame X")


def test_a_classifier_needing_two_classes_is_checked_on_the_simplest_two_class_frame() -> None:
    from sklearn.linear_model import LogisticRegression

    counted = Counted(lambda: make_pipeline(_preprocess(), Identity(), LogisticRegression()))
    err = _failure(counted, roundtrip=("skops",))
    assert err.check == "roundtrip:skops"
    assert counted.fits == 2  # the simplest frames (one class: fit raises), then two classes
    assert err.train is not None and err.train["quality"].tolist() == [3] * 19 + [4]


def test_classifier_on_an_optional_bool_target_passes() -> None:
    # scikit-learn turns a nullable "boolean" target into float labels 0.0 / 1.0.
    from sklearn.linear_model import LogisticRegression

    @data_contract
    class Loans:
        income = Float64().bounded_between(0, 1e5)
        default = Bool().is_optional()

    def make() -> Any:
        return make_pipeline(StandardScaler(), LogisticRegression())

    check_pipeline(make, Loans, target="default", max_examples=10, settings=FAST)
    train = pd.DataFrame(
        {"income": [1.0, 2.0, 3.0, 4.0], "default": pd.array([True, False, None, True])}
    )
    check_pipeline_on(make, Loans, train, train, target="default")

    class Halves(ClassifierMixin, BaseEstimator):
        def fit(self, X: Any, y: Any) -> Any:
            self.classes_ = np.array([False, True])
            return self

        def predict(self, X: Any) -> Any:
            return np.full(len(X), 0.5)

    with pytest.raises(PipelineCheckFailed) as info:
        check_pipeline_on(Halves, Loans, train, train, target="default")
    assert info.value.detail == (
        "prediction[0] = 0.5, prediction[1] = 0.5, prediction[2] = 0.5 (and 1 more): "
        "Loans.default is a boolean column (True/False)."
    )


def test_boosting_on_a_single_class_may_answer_with_two_probability_columns() -> None:
    from sklearn.ensemble import HistGradientBoostingClassifier

    @data_contract
    class Flowers:
        petal = Float64().bounded_between(0, 10)
        species = Category(["setosa", "versicolor", "virginica"])

    def make() -> Any:
        return HistGradientBoostingClassifier(max_iter=5)

    one_class = pd.DataFrame(
        {"petal": [1.0, 2.0, 3.0], "species": pd.Categorical(["setosa"] * 3, ["setosa", "b"])}
    )
    assert make().fit(one_class[["petal"]], one_class["species"]).predict_proba(
        one_class[["petal"]]
    ).shape == (3, 2)  # classes_ == ['setosa']: scikit-learn's binary fallback
    check_pipeline_on(make, Flowers, one_class, one_class, target="species")
    check_pipeline(make, Flowers, target="species", max_examples=5, settings=FAST)

    class ThreeColumns(DecisionTreeClassifier):
        def predict_proba(self, X: Any, check_input: bool = True) -> Any:
            return np.full((len(X), 3), 1 / 3)

    with pytest.raises(PipelineCheckFailed, match=r"shape \(3, 3\) for 3 rows; expected \(3, 1\)"):
        check_pipeline_on(ThreeColumns, Flowers, one_class, one_class, target="species")


class ThreadCounter(ClassifierMixin, BaseEstimator):
    """Records the BLAS / OpenMP thread counts it runs with."""

    seen: ClassVar[list[int]] = []

    def fit(self, X: Any, y: Any) -> ThreadCounter:
        from threadpoolctl import threadpool_info

        ThreadCounter.seen.extend(pool["num_threads"] for pool in threadpool_info())
        self.classes_ = np.unique(y)
        return self

    def predict(self, X: Any) -> Any:
        return np.full(len(X), self.classes_[0])


def test_checks_run_on_one_thread() -> None:
    # On a busy two-core machine, OpenMP threads made each small boosting fit ~100x slower.
    from sklearn.ensemble import HistGradientBoostingClassifier  # noqa: F401 (loads OpenMP)

    ThreadCounter.seen = []
    check_pipeline(ThreadCounter, Wine, target="quality", max_examples=2, settings=FAST)
    assert ThreadCounter.seen and set(ThreadCounter.seen) == {1}


# ------------------------------------------------------------------------------------------
# each check caught by a deliberately broken pipeline


class DropIncomplete(TransformerMixin, BaseEstimator):
    """Drops rows with a missing value, but only when predicting (training data was clean)."""

    def fit(self, X: Any, y: Any = None) -> DropIncomplete:
        return self

    def fit_transform(self, X: Any, y: Any = None, **params: Any) -> Any:
        return X

    def transform(self, X: Any) -> Any:
        return X.dropna()


def make_dropping() -> Pipeline:
    return make_pipeline(DropIncomplete(), DummyClassifier())


def test_wrong_output_length_is_caught_and_shrunk() -> None:
    err = _failure(make_dropping)
    assert err.check == "length"
    assert err.detail == "predict returned an array of shape (0,) for 1 row; expected (1,), " + (
        "one prediction per row."
    )
    assert err.new is not None and err.new["sugar"].isna().tolist() == [True]


class ForgetsToDecode(ClassifierMixin, BaseEstimator):
    """Trains on label-encoded targets and forgets to decode its predictions."""

    def fit(self, X: Any, y: Any) -> ForgetsToDecode:
        self.encoder_ = LabelEncoder().fit(y)
        self.tree_ = DecisionTreeClassifier(random_state=0).fit(X, self.encoder_.transform(y))
        self.classes_ = self.encoder_.classes_
        return self

    def predict(self, X: Any) -> Any:
        return self.tree_.predict(X)


def make_undecoded() -> Pipeline:
    return make_pipeline(StandardScaler(), ForgetsToDecode())


def test_labels_outside_accepted_values_are_caught() -> None:
    err = _failure(make_undecoded, WineColor, target="color")
    assert err.check == "target"
    assert err.detail == (
        "prediction[0] = 0 not among WineColor.color's accepted values ['red', 'white']."
    )


class Unnormalised(DecisionTreeClassifier):
    """Returns per-class scores that were never normalised."""

    def predict_proba(self, X: Any, check_input: bool = True) -> Any:
        return super().predict_proba(X, check_input) + 0.5


def make_unnormalised() -> Pipeline:
    return make_pipeline(_preprocess(), Unnormalised(random_state=0))


def test_probabilities_not_summing_to_one_are_caught() -> None:
    err = _failure(make_unnormalised)
    assert err.check == "proba"
    assert "leaves [0, 1]" in err.detail or "not 1" in err.detail


class MissingIsNaN(RegressorMixin, BaseEstimator):
    """Predicts NaN whenever the sugar reading is missing."""

    def fit(self, X: Any, y: Any) -> MissingIsNaN:
        self.mean_ = float(np.mean(y))
        return self

    def predict(self, X: Any) -> Any:
        return np.where(X["sugar"].isna(), np.nan, self.mean_)


def test_missing_predictions_are_caught() -> None:
    err = _failure(MissingIsNaN, WineScore, target="score")
    assert err.check == "nan"
    assert err.detail == "1 missing prediction(s): prediction[0] = nan."


class FillsInPlace(TransformerMixin, BaseEstimator):
    """Imputes missing sugar readings in the caller's frame."""

    def fit(self, X: Any, y: Any = None) -> FillsInPlace:
        return self

    def transform(self, X: Any) -> Any:
        X.fillna({"sugar": 0.0}, inplace=True)
        return X[NUMERIC]


def make_mutating() -> Pipeline:
    return make_pipeline(FillsInPlace(), DecisionTreeClassifier(random_state=0))


def test_pipeline_that_mutates_its_input_is_caught() -> None:
    err = _failure(make_mutating)
    assert err.check == "mutation"
    # Shrunk to one missing sugar reading: in the training frame (fit fills it in) or in the
    # frame predicted on (predict does), whichever Hypothesis met first.
    assert err.train is not None and err.new is not None
    missing = int(err.train["sugar"].isna().sum()), int(err.new["sugar"].isna().sum())
    if err.detail.startswith("fit changed its input frame X:"):
        assert missing[0] == 1
    else:
        assert err.detail.startswith("pipeline.predict changed its input frame:")
        assert missing == (0, 1)


_GLOBAL_STATE: dict[int, float] = {}


class GlobalState(RegressorMixin, BaseEstimator):
    """Keeps what it learned in a process-wide cache, which pickling does not carry."""

    def fit(self, X: Any, y: Any) -> GlobalState:
        self.key_ = id(self)
        _GLOBAL_STATE[self.key_] = float(np.mean(y))
        return self

    def predict(self, X: Any) -> Any:
        return np.full(len(X), _GLOBAL_STATE.get(id(self), 0.0))


def make_global_state() -> Pipeline:
    return make_pipeline(SimpleImputer(), GlobalState())


def test_model_that_does_not_survive_the_round_trip_is_caught() -> None:
    err = _failure(make_global_state, WineScore, target="score")
    assert err.check == "roundtrip:joblib"
    assert "predictions changed after the joblib round trip" in err.detail


def test_unpicklable_pipeline_fails_the_round_trip() -> None:
    from sklearn.preprocessing import FunctionTransformer

    def make() -> Pipeline:
        return make_pipeline(FunctionTransformer(lambda X: X[NUMERIC]), DecisionTreeRegressor())

    err = _failure(make, WineScore, target="score", max_examples=3)
    assert err.check == "roundtrip:joblib"
    assert "storing and reloading the pipeline raised PicklingError" in err.detail


def make_drop_then_impute() -> Pipeline:
    return make_pipeline(
        DropIncomplete(),
        ColumnTransformer([("num", SimpleImputer(), NUMERIC)]),
        DecisionTreeClassifier(random_state=0),
    )


def test_predict_crash_is_caught_and_shrunk_to_minimal_frames() -> None:
    err = _failure(make_drop_then_impute)
    assert err.check == "predict"
    assert "pipeline.predict(X_new) on 1 row raised ValueError: Found array with 0 sample(s)" in (
        err.detail
    )
    assert err.train is not None and err.new is not None
    simplest = {"alcohol": 8.0, "sugar": 0.0, "color": "red", "quality": 3}
    assert err.train.to_dict("list") == {k: [v] * 20 for k, v in simplest.items()}
    assert err.new["alcohol"].tolist() == [8.0] and err.new["color"].tolist() == ["red"]
    assert err.new["sugar"].isna().tolist() == [True]


def test_fit_crash_is_caught() -> None:
    def crashing() -> Pipeline:  # scales every column, including the categorical one
        return make_pipeline(StandardScaler(), DecisionTreeClassifier())

    err = _failure(crashing, max_examples=3)
    assert err.check == "fit"
    assert err.detail.startswith("fit(X, y) on 20 rows raised ValueError: could not convert")


def test_regressor_on_integer_target_needs_a_predictions_column() -> None:
    def make() -> Pipeline:
        return make_pipeline(_preprocess(), DecisionTreeRegressor(max_depth=1, random_state=0))

    err = _failure(make)
    assert err.check == "target" and "not a whole number" in err.detail
    check_pipeline(
        make,
        Wine,
        target="quality",
        predictions=Float64().bounded_between(3, 9),
        max_examples=5,
        settings=FAST,
    )


def test_regressor_beyond_a_float_targets_bounds_gets_a_hint() -> None:
    from sklearn.linear_model import Ridge

    train = WineScore.example(20, seed=0).fillna({"sugar": 0.0})
    train["score"] = train["alcohol"] - 8  # score grows with alcohol: Ridge extrapolates
    new = pd.DataFrame({"alcohol": [30.0], "sugar": [0.0]})
    with pytest.raises(PipelineCheckFailed) as info:
        check_pipeline_on(Ridge, WineScore, train, new, target="score")
    assert info.value.check == "target"
    assert "outside WineScore.score's bounds [0.0, 10.0]. A regressor may predict beyond" in (
        info.value.detail
    )
    assert "pass predictions=Float64()" in info.value.detail
    check_pipeline_on(Ridge, WineScore, train, new, target="score", predictions=Float64())


def test_every_check_name_is_documented() -> None:
    assert CHECKS == (
        "fit",
        "predict",
        "mutation",
        "length",
        "nan",
        "target",
        "proba",
        "roundtrip:joblib",
        "roundtrip:skops",
        "roundtrip:mlflow",
        "drift",
        "feature_use",
    )


# ------------------------------------------------------------------------------------------
# the regression snippet replays the failure


def test_regression_snippet_replays_the_failure() -> None:
    err = _failure(make_mutating)
    source = err.regression_test
    assert source is not None
    assert "from tests.test_sklearn import make_mutating" in source
    assert "from tests.test_sklearn import Wine" in source
    namespace: dict[str, Any] = {}
    exec(compile(source, "<regression>", "exec"), namespace)
    with pytest.raises(PipelineCheckFailed) as replay:
        namespace["test_make_mutating_regression"]()
    assert replay.value.check == "mutation"


@data_contract
class Wide:
    a = Float64().bounded_between(0, 1)
    b = Float64().bounded_between(0, 1)
    c = Float64().bounded_between(0, 1)
    d = Float64().bounded_between(0, 1)
    e = Float64().bounded_between(0, 1)
    f = Float64().bounded_between(0, 1)
    g = Int64().bounded_between(0, 9)
    y = Int64().bounded_between(0, 2)


class NoAnswerFromFive(DecisionTreeClassifier):
    """Predicts nothing at all for a frame with a ``g`` of 5 or more."""

    def predict(self, X: Any, check_input: bool = True) -> Any:
        if (X["g"] >= 5).any():
            return np.array([])
        return super().predict(X, check_input)


def test_report_shows_every_column_of_the_minimal_frames_and_no_blob() -> None:
    with pytest.raises(PipelineCheckFailed) as info:
        check_pipeline(
            NoAnswerFromFive,
            Wide,
            target="y",
            max_examples=30,
            settings=settings(FAST, print_blob=True),
        )
    notes = "\n".join(getattr(info.value, "__notes__", []))
    assert "reproduce_failure" not in notes  # @reproduce_failure cannot decorate the caller
    assert "minimal training frame: 20 rows, 1 distinct:" in notes
    assert "minimal frame predicted on: 1 row:" in notes
    # seven columns: shown on their side, every one of them, with the culprit value
    assert "\n    f  0.0\n    g    5\n" in notes
    assert "..." not in notes.split("a pytest regression test")[0]


def test_regression_test_is_written_once_for_the_minimal_example(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import hypo_contracts.sklearn.search as package

    written: list[int] = []
    original = package.regression_test

    def counting(*args: Any) -> str:
        written.append(len(args[1]))
        return original(*args)

    monkeypatch.setattr(package, "regression_test", counting)
    err = _failure(make_dropping)
    # once, for the minimal example's report: not for every failing example while shrinking
    assert written == [20]
    assert err.regression_test is not None and err.regression_test == err.regression_test
    assert written == [20]
    notes = "\n".join(getattr(err, "__notes__", []))
    assert "a pytest regression test for this failure:\n\nimport " in notes
    assert err.regression_test.strip() in notes


def test_each_pipeline_and_contract_has_its_own_examples_in_the_database() -> None:
    from hypothesis.database import InMemoryExampleDatabase

    db = InMemoryExampleDatabase()
    _failure(make_dropping, settings=settings(FAST, database=db))
    first = set(db.data)
    assert first  # the failing example is kept, under keys of its own
    _failure(make_drop_then_impute, settings=settings(FAST, database=db))
    second = set(db.data) - first
    assert second and {key[:32] for key in first}.isdisjoint({key[:32] for key in second})
    before = {key: set(values) for key, values in db.data.items()}
    _failure(make_dropping, settings=settings(FAST, database=db))  # replays its own example
    assert set(db.data) == set(before)


def test_check_pipeline_on_never_mutates_the_callers_frames() -> None:
    train = Wine.example(30, seed=3)
    train.loc[[2, 5], "sugar"] = np.nan
    new = train.drop(columns="quality").head(4)
    before_train, before_new = train.copy(deep=True), new.copy(deep=True)
    with pytest.raises(PipelineCheckFailed, match=r"^\[mutation\] fit changed"):
        check_pipeline_on(make_mutating, Wine, train, new, target="quality")
    pd.testing.assert_frame_equal(train, before_train)
    pd.testing.assert_frame_equal(new, before_new)


# ------------------------------------------------------------------------------------------
# skops: explicit trust


class Identity(TransformerMixin, BaseEstimator):
    def fit(self, X: Any, y: Any = None) -> Identity:
        return self

    def transform(self, X: Any) -> Any:
        return X


def make_custom() -> Pipeline:
    return make_pipeline(_preprocess(), Identity(), DecisionTreeClassifier(random_state=0))


def test_skops_refuses_unreviewed_types_until_trusted() -> None:
    name = f"{__name__}.Identity"
    err = _failure(make_custom, roundtrip=("skops",), max_examples=2)
    assert err.check == "roundtrip:skops"
    assert f"pass trusted=['{name}']" in err.detail
    check_pipeline(
        make_custom,
        Wine,
        target="quality",
        roundtrip=("skops",),
        trusted=[name],
        max_examples=2,
        settings=FAST,
    )


# ------------------------------------------------------------------------------------------
# MLflow: a real local registry (SQLite store in a temporary folder)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # SQLAlchemy, in MLflow's store
def test_mlflow_round_trip_through_a_real_local_registry(tmp_path: Any) -> None:
    import mlflow
    from mlflow import MlflowClient

    before = mlflow.get_tracking_uri(), mlflow.get_registry_uri()
    was_set = mlflow.is_tracking_uri_set()
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    client = MlflowClient(tracking_uri=uri, registry_uri=uri)
    client.create_experiment(
        "hypo-contracts-checks", artifact_location=(tmp_path / "artifacts").as_uri()
    )
    check_pipeline(
        make_tree,
        Wine,
        target="quality",
        roundtrip=("mlflow",),
        mlflow_uri=uri,
        max_examples=2,
        settings=FAST,
    )
    assert (mlflow.get_tracking_uri(), mlflow.get_registry_uri()) == before
    # An unset tracking URI is unset again; a registry URI that followed it still follows it.
    assert mlflow.is_tracking_uri_set() == was_set
    if before[0] == before[1]:
        other = f"sqlite:///{tmp_path / 'other.db'}"
        mlflow.set_tracking_uri(other)
        try:
            assert mlflow.get_registry_uri() == other
        finally:
            mlflow.set_tracking_uri(before[0] if was_set else None)  # type: ignore[arg-type]
    name = "hypo-contracts-Wine-make_tree"
    versions = client.search_model_versions(f"name = '{name}'")
    assert sorted(int(v.version) for v in versions) == [1, 2]
    experiment = client.get_experiment_by_name("hypo-contracts-checks")
    runs = client.search_runs([experiment.experiment_id])
    assert {v.run_id for v in versions} == {r.info.run_id for r in runs} and len(runs) == 2
    loaded = mlflow.sklearn.load_model(client.get_model_version_download_uri(name, "2"))
    assert loaded.predict(Wine.example(3, seed=0).drop(columns="quality")).shape == (3,)


def test_mlflow_round_trip_catches_lost_state_in_a_throwaway_store() -> None:
    train = WineScore.example(25, seed=1)
    new = train.drop(columns="score").head(5)
    with pytest.raises(PipelineCheckFailed, match=r"^\[roundtrip:mlflow\] predictions changed"):
        check_pipeline_on(
            make_global_state,
            WineScore,
            train,
            new,
            target="score",
            roundtrip=("mlflow",),
            trusted=[f"{__name__}.GlobalState"],
        )


def test_missing_mlflow_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "mlflow", None)
    with pytest.raises(ImportError, match=r"pip install 'hypo-contracts\[mlflow\]'"):
        check_pipeline(make_tree, Wine, target="quality", roundtrip=("joblib", "mlflow"))


def test_missing_skops_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "skops.io", None)
    with pytest.raises(ImportError, match=r"pip install 'hypo-contracts\[skops\]'"):
        check_pipeline_on(
            make_tree, Wine, Wine.example(5), Wine.example(5), target="quality", roundtrip=["skops"]
        )


# ------------------------------------------------------------------------------------------
# profiles, decorator style, bad arguments


def test_profiles_are_registered_and_drive_the_example_count() -> None:
    ci = settings.get_profile("hypo-ci")
    assert (ci.max_examples, ci.deadline, ci.derandomize, ci.database) == (20, None, True, None)
    thorough = settings.get_profile("hypo-thorough")
    assert (thorough.max_examples, thorough.deadline) == (500, None)
    calls = []

    def make() -> Any:
        calls.append(1)
        return DecisionTreeClassifier(max_depth=2)

    @data_contract
    class Tiny:
        x = Float64().bounded_between(0, 1)
        y = Int64().bounded_between(0, 3)

    check_pipeline(make, Tiny, target="y", min_rows=5, max_rows=10, settings=ci)
    assert len(calls) == 20


@pytest.fixture
def depth() -> int:
    return 3


@pipeline_test(Wine, target="quality", max_examples=3, settings=FAST)
def test_decorated_factory_receives_fixtures(depth: int) -> Pipeline:
    return make_pipeline(_preprocess(), DecisionTreeClassifier(max_depth=depth, random_state=0))


check_mutating = pipeline_test(Wine, target="quality", max_examples=20, settings=FAST)(
    make_mutating
)


def test_decorated_failing_factory_raises_with_a_usable_snippet() -> None:
    with pytest.raises(PipelineCheckFailed) as info:
        check_mutating()
    assert info.value.check == "mutation"
    source = info.value.regression_test
    assert source is not None and "        make_mutating,\n        Wine,\n" in source
    namespace: dict[str, Any] = {}
    exec(compile(source, "<regression>", "exec"), namespace)
    with pytest.raises(PipelineCheckFailed, match=r"^\[mutation\]"):
        namespace["test_make_mutating_regression"]()

    @pipeline_test(Wine, target="quality", max_examples=20, settings=FAST)
    def test_inline() -> Pipeline:
        return make_mutating()

    with pytest.raises(PipelineCheckFailed) as info:
        test_inline()
    assert "# make_pipeline is defined inline: import or define it here" in str(
        info.value.regression_test
    )


def test_snippet_of_a_decorated_test_with_fixtures_runs_under_pytest(tmp_path: Any) -> None:
    import subprocess
    import textwrap

    (tmp_path / "conftest.py").write_text(
        "import pytest\n\n\n@pytest.fixture\ndef depth():\n    return 2\n"
    )
    (tmp_path / "test_models.py").write_text(
        textwrap.dedent(
            """
            from sklearn.tree import DecisionTreeClassifier

            from hypo_contracts import Float64, Int64, data_contract
            from hypo_contracts.sklearn import pipeline_test


            @data_contract
            class Tiny:
                x = Float64().bounded_between(0, 1)
                y = Int64().bounded_between(0, 3)


            class Mutates(DecisionTreeClassifier):
                def fit(self, X, y, **kwargs):
                    X["x"] = 0.5
                    return super().fit(X, y, **kwargs)


            @pipeline_test(Tiny, target="y", max_examples=5)
            def test_tree(depth):
                return Mutates(max_depth=depth)
            """
        )
    )
    script = (
        "import sys; sys.path.insert(0, '.')\n"
        "from test_models import test_tree\n"
        "try:\n    test_tree(depth=2)\n"
        "except AssertionError as exc:\n"
        "    open('test_regression.py', 'w').write(exc.regression_test)\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=tmp_path, check=True)
    source = (tmp_path / "test_regression.py").read_text()
    assert "from test_models import test_tree as _test_tree\n" in source
    assert "def test_tree_regression(depth) -> None:" in source
    assert "        lambda: _test_tree.__wrapped__(depth=depth),\n" in source
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            "test_regression.py",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    # one test collected (the imported test_tree is not collected again), failing the same way
    assert "1 failed in" in run.stdout, run.stdout + run.stderr
    assert "PipelineCheckFailed: [mutation] fit changed its input frame X" in run.stdout


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"target": "colour"}, r"target='colour' is not a column of Wine"),
        ({"target": "quality", "roundtrip": "joblib"}, r"did you mean roundtrip=\('joblib',\)"),
        ({"target": "quality", "roundtrip": ("pickle",)}, r"unknown round trip 'pickle'"),
        ({"target": "quality", "min_rows": 0}, r"min_rows=0 must be a whole number >= 1"),
        ({"target": "quality", "max_rows": 5}, r"max_rows=5 must be a whole number >= 20"),
        ({"target": "quality", "predictions": "float"}, r"predictions='float' must be a column"),
        ({"target": "quality", "predict_rows": 5}, r"predict_rows=5 must be a \(min, max\) pair"),
    ],
)
def test_bad_arguments_are_invalid(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidArgument, match=message):
        check_pipeline(make_tree, Wine, **kwargs)


def test_a_fitted_pipeline_instead_of_a_factory_is_invalid() -> None:
    with pytest.raises(InvalidArgument, match=r"make_pipeline must be a function"):
        check_pipeline(make_tree(), Wine, target="quality")
    with pytest.raises(InvalidArgument, match=r"expects a class decorated with @data_contract"):
        check_pipeline(make_tree, object, target="quality")


# ------------------------------------------------------------------------------------------
# the demo


@pytest.mark.slow
def test_demo_tells_the_story_and_leaves_nothing_behind(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from rich.console import Console

    from hypo_contracts import demo

    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    demo.run(Console(file=out, width=300, highlight=False))
    text = out.getvalue()
    for expected in (
        "1/9  Generate",
        "the other 9 columns are bare Float64()",
        "predict(features_for(WineQuality, {'alcohol': [11, 14]})) = [4, 8]",
        "15 fresh pipelines trained and checked",
        "versions [1, 2]",
        "Input X contains infinity",
        "def test_broken_wine_pipeline_regression() -> None:",
        "5,000 rows → 1 in",
        "check_feature_use: 11 of 12 features learned, not alcohol (alcohol > ",
        "column_order: columns reversed: prediction[",
        "done in",
    ):
        assert expected in text
    # The ratio's infinity breaks fit or predict, whichever example Hypothesis meets first.
    assert re.search(r"\n    # \[(fit|predict)\] .* raised ValueError: Input[^\n]*\n", text)
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------------------------
# the package's layout


def test_package_modules_share_only_public_names_and_sklearn_is_scikit_learn() -> None:
    import ast
    import importlib
    from pathlib import Path

    import sklearn

    import hypo_contracts.sklearn as package

    assert "hypo_contracts" not in str(sklearn.__file__) and hasattr(sklearn, "__version__")
    folder = Path(package.__file__).parent
    for path in sorted(folder.glob("*.py")):
        importlib.import_module(f"hypo_contracts.sklearn.{path.stem}".removesuffix(".__init__"))
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:  # a sibling module
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private, f"{path.name} imports {private} from .{node.module}"
        assert len(path.read_text().splitlines()) <= 600, path.name
    assert package.PipelineCheckFailed.__module__ == "hypo_contracts.sklearn"
