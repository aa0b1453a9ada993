"""hypo_contracts.sklearn.check_drift and check_feature_use: deliberately broken pipelines
(columns by position, an invented missing column, a forgotten or scrambled feature, timestamps
read as integers, a lost index) caught, and a pipeline validating its input passing."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis.errors import InvalidArgument
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from hypo_contracts import Bool, Category, Float64, Int64, String, Timestamp, data_contract
from hypo_contracts.sklearn import (
    DriftCheckFailed,
    FeatureUseFailed,
    PipelineCheckFailed,
    check_drift,
    check_feature_use,
    check_pipeline,
    pipeline_test,
)
from tests.test_sklearn import FAST, Wide

# ------------------------------------------------------------------------------------------
# format drift: check_drift


@data_contract
class VisitFeatures:
    age = Int64().bounded_between(18, 90)
    spend = Float64().bounded_between(0, 1000)
    seen = Timestamp().bounded_between(pd.Timestamp("2020-01-01"), pd.Timestamp("2025-01-01"))
    plan = Category(["free", "pro", "team"])
    city = String().regex(r"[a-z]{3,8}")


@data_contract
class Visits(VisitFeatures):
    churned = Bool()


VISIT_NUMBERS = ["age", "spend", "seen"]


class Validated(TransformerMixin, BaseEstimator):
    """The sound boundary: validate against the feature contract, then select by name."""

    def fit(self, X: Any, y: Any = None) -> Validated:
        return self

    def transform(self, X: Any) -> Any:
        VisitFeatures.validate(X)
        return X[list(VisitFeatures.columns)]


class SecondsSinceEpoch(TransformerMixin, BaseEstimator):
    """Turns ``seen`` into a number the sound way: by its value, whatever its unit."""

    def fit(self, X: Any, y: Any = None) -> SecondsSinceEpoch:
        return self

    def transform(self, X: Any) -> Any:
        seen = (X["seen"] - pd.Timestamp("1970-01-01")).dt.total_seconds()
        return X.assign(seen=seen)


class RawInt64Timestamps(SecondsSinceEpoch):
    """Reads ``seen`` as its integer storage: nanoseconds, or microseconds after a unit change."""

    def transform(self, X: Any) -> Any:
        return X.assign(seen=X["seen"].to_numpy().astype(np.int64) / 1e9)


class ByPosition(TransformerMixin, BaseEstimator):
    """Takes the first two columns, trusting they are the two it was trained on."""

    def fit(self, X: Any, y: Any = None) -> ByPosition:
        return self

    def transform(self, X: Any) -> Any:
        return np.asarray(X.iloc[:, :2], dtype=np.float64)


class FillsMissingColumns(TransformerMixin, BaseEstimator):
    """Brings a frame back to the training columns, inventing the ones that are missing."""

    def fit(self, X: Any, y: Any = None) -> FillsMissingColumns:
        self.columns_ = list(X.columns)
        return self

    def transform(self, X: Any) -> Any:
        return X.reindex(columns=self.columns_)


def _visit_model(*steps: Any, numbers: list[str] = VISIT_NUMBERS) -> Pipeline:
    features = ColumnTransformer(
        [
            ("num", SimpleImputer(), numbers),
            ("words", OneHotEncoder(handle_unknown="ignore"), ["plan", "city"]),
        ]
    )
    return make_pipeline(*steps, features, DecisionTreeClassifier(random_state=0))


def sound_visits() -> Pipeline:
    return _visit_model(Validated(), SecondsSinceEpoch())


def test_a_pipeline_that_validates_its_input_passes_every_drift_variant() -> None:
    report = check_drift(sound_visits, Visits, target="churned")
    outcomes = {row.variant: row.outcome for row in report.rows}
    assert outcomes == {
        "column_order": "held",
        "extra_column": "held",
        "missing_column": "raised",
        "dtypes": "raised",  # category → object breaks the contract: refused
        "strings": "held",  # str, object and string[pyarrow] all pass validate: same predictions
        "index": "held",
    }
    assert report.failed == ()
    assert list(report.to_frame().columns) == ["variant", "outcome", "passed", "detail"]


def test_a_pipeline_indexing_columns_by_position_drifts() -> None:
    def make() -> Pipeline:
        return make_pipeline(ByPosition(), DecisionTreeClassifier(random_state=0))

    with pytest.raises(DriftCheckFailed) as info:
        check_drift(make, Wide, target="y")
    failed = {row.variant: row for row in info.value.report.failed}
    assert set(failed) >= {"column_order", "extra_column"}
    assert failed["column_order"].outcome == "changed"
    assert "columns reversed: prediction[" in failed["column_order"].detail
    assert info.value.check == "drift" and isinstance(info.value, PipelineCheckFailed)
    assert str(info.value).startswith("[drift] the predictions drift with the frame's form: ")


def test_a_pipeline_that_imputes_a_missing_column_is_reported() -> None:
    def make() -> Pipeline:
        return _visit_model(FillsMissingColumns(), SecondsSinceEpoch())

    report = check_drift(make, Visits, target="churned", strict=False)
    assert [row.variant for row in report.failed] == ["missing_column"]
    (row,) = report.failed
    assert row.outcome == "predicted"
    assert row.detail.startswith("without 'age': predicted without a declared feature")


def test_a_column_transformer_dropping_a_declared_feature_is_reported() -> None:
    def make() -> Pipeline:  # "spend" was forgotten in the numeric columns
        return _visit_model(SecondsSinceEpoch(), numbers=["age", "seen"])

    report = check_drift(make, Visits, target="churned", variants=["missing_column"], strict=False)
    (row,) = report.failed
    assert row.outcome == "predicted" and row.detail.startswith("without 'spend':")


def test_a_pipeline_reading_timestamps_as_integers_breaks_on_microseconds() -> None:
    def make() -> Pipeline:
        return _visit_model(RawInt64Timestamps())

    report = check_drift(make, Visits, target="churned", variants=["dtypes"], strict=False)
    (row,) = report.failed
    assert row.outcome == "changed"
    assert row.detail.startswith("'seen': datetime64[ns] → datetime64[us]: prediction[")
    check_drift(sound_visits, Visits, target="churned", variants=["dtypes"])


class DifferenceWithoutIndex(TransformerMixin, BaseEstimator):
    """Adds a column built from numpy values, aligned on the default index, not the frame's."""

    def fit(self, X: Any, y: Any = None) -> DifferenceWithoutIndex:
        return self

    def transform(self, X: Any) -> Any:
        return X.assign(diff=pd.Series(X["a"].to_numpy() - X["b"].to_numpy()))


def test_a_pipeline_that_loses_the_index_drifts_on_a_shuffled_index() -> None:
    def make() -> Pipeline:
        return make_pipeline(DifferenceWithoutIndex(), DecisionTreeClassifier(random_state=0))

    report = check_drift(make, Wide, target="y", variants=["index", "column_order"], strict=False)
    assert [row.variant for row in report.failed] == ["index"]
    assert (
        report.failed[0].outcome in ("changed", "raised") or "index" not in report.failed[0].detail
    )


@pytest.mark.pandas3
def test_every_dtype_and_string_form_carries_the_same_values() -> None:
    from hypo_contracts.sklearn.drift import forms

    X = pd.DataFrame(
        {
            "n": np.array([1, 2], dtype=np.int64),
            "u": np.array([1, 2], dtype=np.uint16),
            "m": pd.array([1, None], dtype="Int64"),
            "x": [0.5, 1.5],
            "b": [True, False],
            "c": pd.Categorical(["red", "white"]),
            "t": pd.to_datetime(["2024-01-01", "2024-06-01"]).as_unit("ns"),
            "z": pd.to_datetime(["2024-01-01", "2024-06-01"]).as_unit("ns").tz_localize("CET"),
            "s": pd.Series(["ab", "cd"], dtype="str"),
        }
    )
    labels = [label for label, _, _ in forms("dtypes", X)]
    assert labels == [
        "'n': int64 → Int64",
        "'u': uint16 → UInt16",
        "'x': float64 → float32",
        "'b': bool → boolean",
        "'c': category → object",
        "'t': datetime64[ns] → datetime64[us]",
        "'z': datetime64[ns, CET] → UTC",
        "'z': datetime64[ns, CET] → unit us",
    ]

    def values(column: pd.Series) -> list[Any]:
        if column.dtype.kind == "M" or isinstance(column.dtype, pd.DatetimeTZDtype):
            column = pd.to_datetime(column, utc=True).dt.as_unit("ns")
        return [None if pd.isna(v) else v for v in column.astype(object)]

    for label, frame, order in forms("dtypes", X) + forms("strings", X):
        assert order is None and list(frame.columns) == list(X.columns)
        for name in X.columns:
            assert values(frame[name]) == values(X[name]), (label, name)
    assert [label for label, _, _ in forms("strings", X)] == [
        "'s': str → object",
        "'s': str → string[pyarrow]",
    ]


def test_check_drift_arguments_are_checked() -> None:
    with pytest.raises(InvalidArgument, match=r"unknown variant\(s\) \['order'\]"):
        check_drift(sound_visits, Visits, target="churned", variants=["order"])
    with pytest.raises(InvalidArgument, match=r"must be a tuple of names"):
        check_drift(sound_visits, Visits, target="churned", variants="index")
    with pytest.raises(InvalidArgument, match=r"max_examples=0 must be a whole number >= 1"):
        check_drift(sound_visits, Visits, target="churned", max_examples=0)


# ------------------------------------------------------------------------------------------
# feature use: check_feature_use


class ScramblesAge(TransformerMixin, BaseEstimator):
    """Shuffles the ``age`` column (a join on the wrong key, say): rows keep the wrong ages."""

    def fit(self, X: Any, y: Any = None) -> ScramblesAge:
        return self

    def transform(self, X: Any) -> Any:
        rng = np.random.default_rng(0)
        return X.assign(age=rng.permutation(X["age"].to_numpy()))


def test_a_sound_pipeline_learns_from_every_feature() -> None:
    report = check_feature_use(sound_visits, Visits, target="churned")
    assert [row.feature for row in report.rows] == ["age", "spend", "seen", "plan", "city"]
    assert report.unused == () and all(
        row.score == pytest.approx(1, abs=0.05) for row in report.rows
    )
    rules = {row.feature: row.rule for row in report.rows}
    assert rules["age"].startswith("age > ") and rules["seen"].startswith("seen > 20")
    assert rules["plan"].startswith("plan == '") and rules["city"].startswith("city == '")


def test_a_dropped_or_scrambled_feature_is_named() -> None:
    def drops_spend() -> Pipeline:
        return _visit_model(SecondsSinceEpoch(), numbers=["age", "seen"])

    with pytest.raises(FeatureUseFailed) as info:
        check_feature_use(drops_spend, Visits, target="churned")
    assert info.value.check == "feature_use"
    assert [row.feature for row in info.value.report.unused] == ["spend"]
    assert info.value.detail.startswith("the pipeline does not learn from 'spend' (rule spend > ")

    def scrambles_age() -> Pipeline:
        return _visit_model(ScramblesAge(), SecondsSinceEpoch())

    report = check_feature_use(scrambles_age, Visits, target="churned", strict=False)
    assert [row.feature for row in report.unused] == ["age"]


def test_feature_use_with_a_regressor_and_a_bool_feature() -> None:
    @data_contract
    class Loans:
        income = Float64().bounded_between(0, 1e5)
        student = Bool()
        rate = Float64().bounded_between(0, 20)

    report = check_feature_use(DecisionTreeRegressor, Loans, target="rate")
    assert {row.feature: row.rule for row in report.rows} == {
        "income": report.rows[0].rule,
        "student": "student == True",
    }
    with pytest.raises(InvalidArgument, match=r"features=\['rate'\]: choose among income"):
        check_feature_use(DecisionTreeRegressor, Loans, target="rate", features=["rate"])


class AsNumbers(TransformerMixin, BaseEstimator):
    """Every column as a number: timestamps in seconds, labels by a stable code."""

    def fit(self, X: Any, y: Any = None) -> AsNumbers:
        return self

    def transform(self, X: Any) -> Any:
        out = {}
        for name in X.columns:
            s = X[name]
            if s.dtype.kind == "M" or isinstance(s.dtype, pd.DatetimeTZDtype):
                s = pd.to_datetime(s, utc=True)
                out[name] = (s - pd.Timestamp("1970-01-01", tz="UTC")).dt.total_seconds()
            elif pd.api.types.is_numeric_dtype(s.dtype) and not isinstance(
                s.dtype, pd.CategoricalDtype
            ):
                out[name] = pd.to_numeric(s.astype("Float64")).astype(float)
            else:
                out[name] = s.astype(str).map(lambda v: float(sum(map(ord, v))))
        return pd.DataFrame(out).fillna(-1.0).to_numpy()


def test_feature_use_has_a_rule_for_every_column_kind() -> None:
    from hypo_contracts import Date, Int8, UInt16

    @data_contract
    class Kinds:
        count = Int64().bounded_between(0, 5)
        flag = Int8().bounded_between(0, 1)
        share = Float64().bounded_between(0, 1)
        day = Date()
        at = Timestamp(time_zone="Europe/Paris")
        member = Bool().is_optional()
        colour = Category(["a", "b", "c"])
        code = String().regex(r"[a-z]{2}")
        port = UInt16()
        answer = Category(["no", "yes"])

    def make() -> Pipeline:
        return make_pipeline(AsNumbers(), DecisionTreeClassifier(random_state=0))

    report = check_feature_use(make, Kinds, target="answer")
    rules = {row.feature: row.rule.split(" ")[1] for row in report.rows}
    assert rules == {
        "count": ">",
        "flag": "==",
        "share": ">",
        "day": ">",
        "at": ">",
        "member": "==",
        "colour": "==",
        "code": "==",
        "port": ">",
    }
    assert {row.rule for row in report.rows} >= {"member == True", "flag == 0"}
    assert report.unused == ()


def test_check_pipeline_runs_drift_and_feature_use_when_asked() -> None:
    check_pipeline(
        sound_visits,
        Visits,
        target="churned",
        max_examples=3,
        settings=FAST,
        drift=True,
        feature_use=True,
    )

    def by_position() -> Pipeline:
        return make_pipeline(ByPosition(), DecisionTreeClassifier(random_state=0))

    check_pipeline(by_position, Wide, target="y", max_examples=3, settings=FAST)
    with pytest.raises(DriftCheckFailed):
        check_pipeline(by_position, Wide, target="y", max_examples=3, settings=FAST, drift=True)

    def drops_spend() -> Pipeline:
        return _visit_model(SecondsSinceEpoch(), numbers=["age", "seen"])

    with pytest.raises(FeatureUseFailed):
        check_pipeline(
            drops_spend, Visits, target="churned", max_examples=3, settings=FAST, feature_use=True
        )


class ProbaFromFirstColumn(ClassifierMixin, BaseEstimator):
    """Always the same label, with probabilities read from whatever column comes first."""

    def fit(self, X: Any, y: Any) -> ProbaFromFirstColumn:
        self.classes_ = np.unique(y)
        return self

    def predict(self, X: Any) -> Any:
        return np.full(len(X), self.classes_[0])

    def predict_proba(self, X: Any) -> Any:
        k = len(self.classes_)
        p = np.clip(np.asarray(X.iloc[:, 0], dtype=np.float64), 0, 1)
        proba = np.repeat(((1 - p) / max(k - 1, 1))[:, None], k, axis=1)
        proba[:, 0] = p
        return proba


def test_probabilities_that_drift_under_unchanged_labels_are_reported() -> None:
    report = check_drift(
        ProbaFromFirstColumn, Wide, target="y", variants=["column_order"], strict=False
    )
    (row,) = report.failed
    assert row.outcome == "changed"
    assert row.detail.startswith("columns reversed: the same labels, but predict_proba row ")


@pytest.fixture
def depth() -> int:
    return 4


@pipeline_test(Visits, target="churned", max_examples=3, settings=FAST, drift=True)
def test_pipeline_test_runs_drift_with_the_factory_fixtures(depth: int) -> Pipeline:
    features = _visit_model(Validated(), SecondsSinceEpoch())[:-1]
    return make_pipeline(features, DecisionTreeClassifier(max_depth=depth, random_state=0))


def test_pipeline_test_passes_drift_and_feature_use_through() -> None:
    @pipeline_test(Visits, target="churned", max_examples=3, settings=FAST, feature_use=True)
    def test_sound() -> Pipeline:
        return sound_visits()

    test_sound()

    @pipeline_test(Wide, target="y", max_examples=3, settings=FAST)
    def test_by_position() -> Pipeline:
        return make_pipeline(ByPosition(), DecisionTreeClassifier(random_state=0))

    test_by_position()  # the plumbing checks alone pass

    @pipeline_test(Wide, target="y", max_examples=3, settings=FAST, drift=True)
    def test_by_position_drift() -> Pipeline:
        return make_pipeline(ByPosition(), DecisionTreeClassifier(random_state=0))

    with pytest.raises(DriftCheckFailed):
        test_by_position_drift()

    @pipeline_test(Visits, target="churned", max_examples=3, settings=FAST, feature_use=True)
    def test_drops_spend() -> Pipeline:
        return _visit_model(SecondsSinceEpoch(), numbers=["age", "seen"])

    with pytest.raises(FeatureUseFailed, match=r"does not learn from 'spend'"):
        test_drops_spend()


def _printed(report: Any, *, terminal: bool, colour: Any = None) -> str:
    from io import StringIO

    from rich.console import Console

    out = StringIO()
    Console(file=out, force_terminal=terminal, width=120, color_system=colour).print(report)
    return out.getvalue()


def test_reports_are_rich_tables_on_a_terminal_and_plain_text_elsewhere() -> None:
    from hypo_contracts.sklearn import DriftRow, FeatureUse, FeatureUseReport
    from hypo_contracts.sklearn.drift import DriftReport

    drift = DriftReport(
        (DriftRow("index", "held", "2 forms"), DriftRow("column_order", "changed", "row 0"))
    )
    features = FeatureUseReport(
        (FeatureUse("alcohol", "alcohol > 11.5", 1.0), FeatureUse("sugar", "sugar > 20", 0.5))
    )
    assert str(drift) == "index         held       2 forms\ncolumn_order  changed    row 0"
    assert str(features).splitlines()[1] == "sugar    UNUSED  0.50  sugar > 20"
    for report, header, row in (
        (drift, "┃ variant      ┃ outcome ┃ detail  ┃", "│ column_order │ changed │ row 0   │"),
        (features, "┃ feature ┃ used   ┃ score ┃ rule", "│ sugar   │ UNUSED │ 0.50  │ sugar > 20"),
    ):
        table = _printed(report, terminal=True)
        assert header in table and row in table, table
        assert table.splitlines()[0].startswith("check_")  # the title
        assert _printed(report, terminal=False) == str(report) + "\n"
    colours = _printed(drift, terminal=True, colour="standard")
    assert "\x1b[1;31mchanged" in colours and "\x1b[32mheld" in colours


def test_the_two_reports_share_one_shape() -> None:
    from hypo_contracts.sklearn import DriftRow, FeatureUse, FeatureUseReport
    from hypo_contracts.sklearn.drift import DriftReport
    from hypo_contracts.sklearn.tables import RowReport

    drift = DriftReport((DriftRow("index", "held", ""), DriftRow("dtypes", "changed", "x")))
    features = FeatureUseReport((FeatureUse("a", "a > 1", None), FeatureUse("b", "b > 2", 0.5)))
    assert isinstance(drift, RowReport) and isinstance(features, RowReport)
    assert [r.variant for r in drift.failed] == ["dtypes"]
    assert [r.feature for r in features.unused] == ["b"]
    assert drift.to_frame().to_dict("list") == {
        "variant": ["index", "dtypes"],
        "outcome": ["held", "changed"],
        "passed": [True, False],
        "detail": ["", "x"],
    }
    frame = features.to_frame()
    assert list(frame.columns) == ["feature", "rule", "score", "used"]
    assert frame["score"].isna().tolist() == [True, False] and frame["score"].iloc[1] == 0.5
    assert frame[["feature", "used"]].to_dict("list") == {
        "feature": ["a", "b"],
        "used": [True, False],
    }
    assert str(drift) == "index   held\ndtypes  changed    x"
    assert str(features) == "a  used       -  a > 1\nb  UNUSED  0.50  b > 2"
    assert str(DriftReport(())) == "" and DriftReport(()).to_frame().shape == (0, 4)


FACTORIES = """
import numpy as np
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.tree import DecisionTreeClassifier

from hypo_contracts import Float64, Int64, data_contract


@data_contract
class Sample:
    alcohol = Float64().bounded_between(8, 15)
    acidity = Float64().bounded_between(3, 16)
    density = Float64().bounded_between(0.98, 1.04)
    quality = Int64().bounded_between(3, 9)


def _first_two(X):
    return np.asarray(X.iloc[:, :2], dtype=float)


def by_position():
    return make_pipeline(FunctionTransformer(_first_two), DecisionTreeClassifier(random_state=0))
"""


@pytest.mark.parametrize("variant", ["column_order", "missing_column"])
def test_a_drift_failure_carries_a_regression_test_that_fails_the_same_way(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch, variant: str
) -> None:
    import subprocess
    import sys
    from pathlib import Path

    (tmp_path / "drift_factories.py").write_text(FACTORIES)
    monkeypatch.syspath_prepend(str(tmp_path))
    import drift_factories  # type: ignore[import-not-found]

    with pytest.raises(DriftCheckFailed) as info:
        check_drift(drift_factories.by_position, drift_factories.Sample, target="quality")
    rows = {row.variant: row for row in info.value.report.failed}
    assert info.value.regression_test == info.value.report.failed[0].regression_test
    assert any("a pytest regression test" in note for note in info.value.__notes__)
    source = rows[variant].regression_test
    assert source is not None and "variant = pd.DataFrame(" in source
    (tmp_path / "test_drift_regression.py").write_text(source)
    root = str(Path(__file__).resolve().parents[1])
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "test_drift_regression.py",
        ],
        cwd=tmp_path,
        env={**__import__("os").environ, "PYTHONPATH": f"{tmp_path}:{root}"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    expected = "DID NOT RAISE" if variant == "missing_column" else "Arrays are not equal"
    assert expected in done.stdout, done.stdout


class CityCodesByDtype(TransformerMixin, BaseEstimator):
    """Codes ``city`` by its length, but only in the training-time dtype or ``object``."""

    def fit(self, X: Any, y: Any = None) -> CityCodesByDtype:
        self.dtype_ = X["city"].dtype
        return self

    def transform(self, X: Any) -> Any:
        same = X["city"].dtype in (self.dtype_, object)
        codes = X["city"].map(len) if same else pd.Series(0, index=X.index)
        return np.column_stack([np.asarray(codes, dtype=np.float64), X["age"].to_numpy()])


def test_a_string_storage_drift_regression_test_rebuilds_the_arrow_frame() -> None:
    def make_pipeline_() -> Pipeline:
        return make_pipeline(CityCodesByDtype(), DecisionTreeClassifier(random_state=0))

    report = check_drift(
        make_pipeline_, Visits, target="churned", variants=["strings"], strict=False
    )
    (row,) = report.failed
    assert row.outcome == "changed" and row.regression_test is not None
    trained = Visits.example(1, seed=0)["city"].dtype  # str on pandas 3, object on pandas 2
    assert row.detail.startswith(f"'city': {trained} → string[pyarrow]: prediction[")
    source = row.regression_test
    assert "pd.ArrowDtype(pa.string())" in source and "import pyarrow as pa" in source
    namespace: dict[str, Any] = {"make_pipeline": make_pipeline_}  # it is defined inline here
    exec(compile(source, "test_regression.py", "exec"), namespace)
    (name,) = [key for key in namespace if key.startswith("test_")]
    with pytest.raises(AssertionError, match="Arrays are not equal"):
        namespace[name]()
