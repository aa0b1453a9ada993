"""Smoke-test a scikit-learn pipeline against a data contract (extra ``sklearn``).

:func:`check_pipeline` is the article's CI suite in one call: Hypothesis draws training frames
from the contract, fits a fresh pipeline on each, predicts on fresh frames (target column
left out) and checks the plumbing, not the model's quality:

``fit`` / ``predict``
    fitting and predicting do not raise;
``mutation``
    the pipeline does not change the frames it is given;
``length``
    one prediction per row (shape ``(n,)``);
``nan``
    no missing predictions;
``target``
    every prediction satisfies the target column's contract (accepted values, bounds, kind);
``proba``
    when the pipeline has ``predict_proba``: one row of probabilities per input row, each in
    [0, 1], summing to 1;
``roundtrip:joblib`` / ``roundtrip:skops`` / ``roundtrip:mlflow``
    the fitted pipeline survives storage and gives identical predictions after reloading
    (MLflow: logged in a run, registered in the model registry, loaded by
    ``models:/<name>/<version>``).

A failure raises :class:`PipelineCheckFailed` (an ``AssertionError``) naming the check, with the
minimal failing frames found by Hypothesis' shrinking and the source of a pytest regression
test that replays them through :func:`check_pipeline_on`.

>>> from sklearn.pipeline import make_pipeline
>>> from sklearn.preprocessing import StandardScaler
>>> from sklearn.tree import DecisionTreeClassifier
>>> from hypo_contracts import data_contract, Float64, Int64
>>> @data_contract
... class Wine:
...     alcohol = Float64().bounded_between(8, 15)
...     quality = Int64().bounded_between(3, 9)
>>> check_pipeline(
...     lambda: make_pipeline(StandardScaler(), DecisionTreeClassifier(random_state=0)),
...     Wine, target="quality", max_examples=5,
... )
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import inspect
import io
import logging
import math
import os
import re
import sys
import tempfile
import textwrap
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, Phase, currently_in_test_context, given, note, reject
from hypothesis import settings as Settings
from hypothesis.control import current_build_context
from hypothesis.errors import InvalidArgument

from .compiled import ContractInfo as _ContractInfo
from .compiled import contract_info
from .constraints import Canonical, canonicalise
from .declaration import Column
from .strategies import frames

__all__ = [
    "CHECKS",
    "ROUNDTRIPS",
    "SKOPS_TRUSTED",
    "PipelineCheckFailed",
    "check_pipeline",
    "check_pipeline_on",
    "pipeline_test",
]

#: The round trips ``roundtrip=`` accepts.
ROUNDTRIPS = ("joblib", "skops", "mlflow")
#: Every check name a :class:`PipelineCheckFailed` can carry.
CHECKS = (
    "fit",
    "predict",
    "mutation",
    "length",
    "nan",
    "target",
    "proba",
    *(f"roundtrip:{name}" for name in ROUNDTRIPS),
)
#: Types that skops does not trust by default but that plain scikit-learn pipelines contain:
#: reviewed (they hold fitted arrays, no code) and loaded without asking. Anything else that
#: ``skops.io.get_untrusted_types`` reports must be listed in ``trusted=``.
SKOPS_TRUSTED = frozenset(
    {
        "numpy.dtype",
        "sklearn.tree._tree.Tree",
        "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
        "sklearn.neighbors._kd_tree.KDTree",
        "sklearn.neighbors._ball_tree.BallTree",
        "sklearn.metrics._dist_metrics.EuclideanDistance64",
        "sklearn.metrics._dist_metrics.ManhattanDistance64",
        "sklearn.metrics._dist_metrics.MinkowskiDistance64",
        "sklearn.neural_network._stochastic_optimizers.AdamOptimizer",
        "sklearn.neural_network._stochastic_optimizers.SGDOptimizer",
    }
)
#: Probabilities may miss [0, 1] and a row sum of 1 by this much (floating point).
PROBA_TOLERANCE = 1e-6
_MLFLOW_EXPERIMENT = "hypo-contracts-checks"


class PipelineCheckFailed(AssertionError):
    """A pipeline failed one of :data:`CHECKS`.

    ``check`` names the check, ``detail`` says what went wrong. When raised by
    :func:`check_pipeline`, ``train`` and ``new`` are the minimal failing frames (the training
    frame with its target, and the frame predicted on) and ``regression_test`` is the source
    of a pytest test that replays them.

    >>> err = PipelineCheckFailed("length", "predict returned 3 predictions for 5 rows")
    >>> print(err)
    [length] predict returned 3 predictions for 5 rows
    >>> isinstance(err, AssertionError), err.check
    (True, 'length')
    """

    def __init__(self, check: str, detail: str) -> None:
        super().__init__(f"[{check}] {detail}")
        self.check = check
        self.detail = detail
        self.train: pd.DataFrame | None = None
        self.new: pd.DataFrame | None = None
        self.regression_test: str | None = None


# ------------------------------------------------------------------------------------------
# the specification of one check run


@dataclass(frozen=True)
class _Spec:
    make: Callable[[], Any]
    info: _ContractInfo
    contract: Any
    target: str
    features: list[str]
    prediction: Canonical
    prediction_column: Column | None
    roundtrip: tuple[str, ...]
    trusted: frozenset[str]


def _spec(
    where: str,
    make_pipeline: Any,
    contract: Any,
    target: Any,
    roundtrip: Any,
    trusted: Any,
    predictions: Any,
) -> _Spec:
    info = contract_info(contract, where)
    instance = hasattr(make_pipeline, "fit") and not isinstance(make_pipeline, type)
    if not callable(make_pipeline) or instance:
        raise InvalidArgument(
            f"{where}: make_pipeline must be a function that returns a new, unfitted pipeline "
            f"(so every example trains a fresh one), not {make_pipeline!r}. "
            "Wrap it: make_pipeline=lambda: Pipeline([...])."
        )
    if not isinstance(target, str) or target not in info.canonical:
        raise InvalidArgument(
            f"{where}: target={target!r} is not a column of {info.name}. "
            f"Its columns are: {', '.join(info.canonical)}."
        )
    features = [name for name in info.canonical if name != target]
    if not features:
        raise InvalidArgument(f"{where}: {info.name} has no column besides the target {target!r}.")
    if isinstance(roundtrip, str):
        raise InvalidArgument(
            f"{where}: roundtrip={roundtrip!r} must be a tuple of names, not one string; "
            f"did you mean roundtrip=({roundtrip!r},)?"
        )
    trips = tuple(roundtrip)
    unknown = [name for name in trips if name not in ROUNDTRIPS]
    if unknown:
        raise InvalidArgument(
            f"{where}: unknown round trip {', '.join(map(repr, unknown))}; "
            f"choose from {', '.join(map(repr, ROUNDTRIPS))}."
        )
    if len(set(trips)) != len(trips):
        raise InvalidArgument(f"{where}: roundtrip={trips!r} repeats a name.")
    if isinstance(trusted, str):
        raise InvalidArgument(f"{where}: trusted={trusted!r} must be a list of type names.")
    if predictions is None:
        prediction = info.canonical[target]
    elif isinstance(predictions, Column):
        prediction = canonicalise(predictions, contract=info.name, name=target)
    else:
        raise InvalidArgument(
            f"{where}: predictions={predictions!r} must be a column such as "
            "Float64().bounded_between(0, 10), describing what predict may return."
        )
    for name in trips:
        _require(name)
    return _Spec(
        make=make_pipeline,
        info=info,
        contract=contract,
        target=target,
        features=features,
        prediction=prediction,
        prediction_column=predictions,
        roundtrip=trips,
        trusted=frozenset(trusted),
    )


_EXTRA = {"joblib": "sklearn", "skops": "skops", "mlflow": "mlflow"}


def _require(name: str) -> Any:
    """Import the module a round trip needs, or say which extra installs it."""
    try:
        if name == "mlflow":
            with _mlflow_env():
                import mlflow
                import mlflow.sklearn

            return mlflow
        if name == "skops":
            import skops.io

            return skops.io
        import joblib

        return joblib
    except ImportError as exc:
        raise ImportError(
            f"roundtrip=({name!r},) needs {name}, which is not installed ({exc}). "
            f"Install it with: pip install 'hypo-contracts[{_EXTRA[name]}]' "
            f"(or drop {name!r} from roundtrip)."
        ) from exc


# ------------------------------------------------------------------------------------------
# the checks


def _fail(check: str, detail: str) -> PipelineCheckFailed:
    return PipelineCheckFailed(check, detail)


def _error(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}".rstrip(": ")


def _unchanged(check_step: str, before: Any, after: Any, what: str) -> None:
    try:
        if isinstance(before, pd.DataFrame):
            pd.testing.assert_frame_equal(after, before, check_exact=True)
        else:
            pd.testing.assert_series_equal(after, before, check_exact=True)
    except AssertionError as exc:
        detail = " ".join(str(exc).split())
        raise _fail("mutation", f"{check_step} changed its input {what}: {detail}") from None


def _n_classes(y: pd.Series) -> int:
    return int(y.nunique(dropna=True))


def _rows(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


def _is_regressor(pipe: Any) -> bool:
    from sklearn.base import is_regressor

    try:
        return bool(is_regressor(pipe))
    except Exception:  # not a scikit-learn estimator: no hint
        return False


def _as_predictions(raw: Any, n: int, where: str) -> np.ndarray:
    pred = raw.to_numpy() if isinstance(raw, (pd.Series, pd.DataFrame)) else np.asarray(raw)
    if pred.shape != (n,):
        raise _fail(
            "length",
            f"{where} returned an array of shape {pred.shape} for {_rows(n)}; expected ({n},), "
            "one prediction per row.",
        )
    return pred


def _show(value: Any) -> str:
    return repr(value.item() if isinstance(value, np.generic) else value)


def _first_bad(mask: np.ndarray, pred: np.ndarray) -> str:
    idx = np.flatnonzero(mask)
    shown = ", ".join(f"prediction[{i}] = {_show(pred[i])}" for i in idx[:3])
    more = f" (and {len(idx) - 3} more)" if len(idx) > 3 else ""
    return shown + more


def _check_nan(pred: np.ndarray) -> None:
    missing = np.asarray(pd.isna(pred), dtype=bool)
    if missing.any():
        raise _fail(
            "nan", f"{int(missing.sum())} missing prediction(s): {_first_bad(missing, pred)}."
        )


def _is_bool_label(value: Any) -> bool:
    """True/False, or the 0/1 that scikit-learn returns for a nullable ``boolean`` target."""
    if isinstance(value, (bool, np.bool_)):
        return True
    return isinstance(value, (int, float, np.number)) and value in (0, 1)


def _check_target(c: Canonical, pred: np.ndarray, *, regressor: bool = False) -> None:
    where = f"{c.where}"
    if c.values is not None:
        accepted = set(c.values)
        bad = np.array([v not in accepted for v in pred.tolist()], dtype=bool)
        if bad.any():
            raise _fail(
                "target",
                f"{_first_bad(bad, pred)} not among {where}'s accepted values {list(c.values)!r}.",
            )
        return
    if c.kind == "bool":
        bad = np.array([not _is_bool_label(v) for v in pred.tolist()], dtype=bool)
        if bad.any():
            raise _fail(
                "target", f"{_first_bad(bad, pred)}: {where} is a boolean column (True/False)."
            )
        return
    if c.kind in ("int", "float"):
        if pred.dtype.kind not in "iufb":
            try:
                numbers = pred.astype(np.float64)
            except (TypeError, ValueError):
                raise _fail(
                    "target",
                    f"predictions have dtype {pred.dtype} (first: {_show(pred[0])}), but {where} "
                    f"is a numeric column.",
                ) from None
        else:
            numbers = pred.astype(np.float64)
        if c.kind == "int":
            bad = ~np.isfinite(numbers) | (numbers != np.floor(numbers))
            if bad.any():
                raise _fail(
                    "target",
                    f"{_first_bad(bad, pred)} not a whole number, but {where} is an integer "
                    "column (a regressor on an integer target? pass predictions=Float64()...).",
                )
        elif not c.allow_inf:
            bad = np.isinf(numbers)
            if bad.any():
                raise _fail("target", f"{_first_bad(bad, pred)}: {where} allows no infinity.")
        bad = (numbers < c.lo) | (numbers > c.hi)
        if bad.any():
            hint = (
                " A regressor may predict beyond the values it was trained on: pass "
                "predictions=Float64() (or the range you accept) to check a wider range, or "
                "clip the predictions in the pipeline."
                if regressor
                else ""
            )
            raise _fail(
                "target",
                f"{_first_bad(bad, pred)} outside {where}'s bounds [{c.lo}, {c.hi}].{hint}",
            )
        return
    if c.kind == "string":
        pattern = c.compiled_regex
        hi = c.max_len if c.max_len is not None else math.inf
        bad = np.array(
            [
                not isinstance(v, str)
                or not c.min_len <= len(v) <= hi
                or (pattern is not None and pattern.fullmatch(v) is None)
                for v in pred.tolist()
            ],
            dtype=bool,
        )
        if bad.any():
            raise _fail(
                "target",
                f"{_first_bad(bad, pred)} breaks {where} ({c.source!r}).",
            )
        return
    # timestamp / date
    try:
        stamps = pd.to_datetime(pd.Series(pred))
    except (TypeError, ValueError):
        raise _fail("target", f"predictions are not timestamps, but {where} is.") from None
    if c.kind == "date":
        days = (stamps.dt.tz_localize(None) if stamps.dt.tz else stamps).to_numpy("datetime64[D]")
        values = days.astype(np.int64)
        bad = (values < c.lo) | (values > c.hi) | (stamps.dt.normalize() != stamps).to_numpy()
    else:
        if stamps.dt.tz is not None:
            stamps = stamps.dt.tz_convert("UTC").dt.tz_localize(None)
        values = stamps.astype("datetime64[ns]").to_numpy().astype(np.int64)
        bad = (values < c.lo) | (values > c.hi)
    if bad.any():
        raise _fail("target", f"{_first_bad(np.asarray(bad), pred)} outside {where}'s bounds.")


def _check_proba(pipe: Any, proba_raw: Any, n: int) -> np.ndarray:
    proba = np.asarray(proba_raw)
    classes = getattr(pipe, "classes_", None)
    k = len(classes) if classes is not None else None
    # Fitted on a single class, some classifiers (HistGradientBoostingClassifier, LightGBM)
    # still answer as binary ones, with two columns; scikit-learn's own estimator checks
    # accept that, and so does this one (the values are still checked).
    widths = {1, 2} if k == 1 else {k}
    if proba.ndim != 2 or proba.shape[0] != n or (k is not None and proba.shape[1] not in widths):
        expected = f"({n}, {k})" if k is not None else f"({n}, n_classes)"
        raise _fail(
            "proba",
            f"predict_proba returned shape {proba.shape} for {_rows(n)}; expected {expected}.",
        )
    try:
        proba = proba.astype(np.float64)
    except (TypeError, ValueError):
        raise _fail("proba", f"predict_proba returned dtype {proba.dtype}, not numbers.") from None
    nan_rows = np.isnan(proba).any(axis=1)
    if nan_rows.any():
        i = int(np.flatnonzero(nan_rows)[0])
        raise _fail("proba", f"predict_proba row {i} holds NaN: {proba[i].tolist()}.")
    outside = ((proba < -PROBA_TOLERANCE) | (proba > 1 + PROBA_TOLERANCE)).any(axis=1)
    if outside.any():
        i = int(np.flatnonzero(outside)[0])
        raise _fail("proba", f"predict_proba row {i} = {proba[i].tolist()} leaves [0, 1].")
    sums = proba.sum(axis=1)
    off = np.abs(sums - 1.0) > PROBA_TOLERANCE
    if off.any():
        i = int(np.flatnonzero(off)[0])
        raise _fail(
            "proba",
            f"predict_proba row {i} = {proba[i].tolist()} sums to {sums[i]!r}, not 1 "
            f"({int(off.sum())} of {n} rows).",
        )
    return proba


def _same(a: np.ndarray, b: np.ndarray) -> np.ndarray | None:
    """Indices where ``a`` and ``b`` differ, or None when identical."""
    if a.shape != b.shape:
        return np.arange(max(len(a), len(b)))
    differ: np.ndarray = np.asarray(a != b)
    if differ.ndim > 1:
        differ = np.asarray(differ.any(axis=tuple(range(1, differ.ndim))))
    return np.flatnonzero(differ) if differ.any() else None


# ------------------------------------------------------------------------------------------
# round trips


Roundtrip = Callable[[Any], Any]


def _joblib_roundtrip(pipe: Any) -> Any:
    import joblib

    buffer = io.BytesIO()
    joblib.dump(pipe, buffer)
    buffer.seek(0)
    return joblib.load(buffer)


def _reviewed_skops_types(
    pipe: Any, trusted: frozenset[str], check: str
) -> tuple[bytes, list[str]]:
    """Serialise ``pipe`` with skops and return the data and the untrusted types it holds,
    once every one of them is in :data:`SKOPS_TRUSTED` or ``trusted``."""
    import skops.io as sio

    data = sio.dumps(pipe)
    untrusted = list(sio.get_untrusted_types(data=data))
    unknown = sorted(set(untrusted) - SKOPS_TRUSTED - trusted)
    if unknown:
        raise _fail(
            check,
            f"skops reports types that are neither in SKOPS_TRUSTED nor in trusted=: "
            f"{unknown}. Review them; if they are safe to load, pass trusted={unknown!r}.",
        )
    return data, untrusted


def _skops_roundtrip(trusted: frozenset[str]) -> Roundtrip:
    import skops.io as sio

    def roundtrip(pipe: Any) -> Any:
        data, untrusted = _reviewed_skops_types(pipe, trusted, "roundtrip:skops")
        return sio.loads(data, trusted=untrusted)

    return roundtrip


@contextlib.contextmanager
def _mlflow_env() -> Iterator[None]:
    """No telemetry (no network) while hypo_contracts talks to MLflow; restored afterwards."""
    saved = os.environ.get("MLFLOW_DISABLE_TELEMETRY")
    os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("MLFLOW_DISABLE_TELEMETRY", None)
        else:
            os.environ["MLFLOW_DISABLE_TELEMETRY"] = saved


@contextlib.contextmanager
def _quiet_mlflow() -> Iterator[None]:
    """MLflow's INFO logs, registry prints and warnings off (only around MLflow's own calls)."""
    import mlflow  # noqa: F401 - importing it configures the "mlflow" logger: quieten it after

    loggers = [logging.getLogger(name) for name in ("mlflow", "alembic")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


@contextlib.contextmanager
def _mlflow_uris(uri: str) -> Iterator[None]:
    """Point MLflow's tracking and registry URIs at ``uri``; restore both (and the
    ``MLFLOW_TRACKING_URI`` / ``MLFLOW_REGISTRY_URI`` variables) afterwards."""
    import mlflow
    from mlflow.tracking._model_registry import utils as registry_utils
    from mlflow.tracking._tracking_service import utils as tracking_utils

    env = {k: os.environ.get(k) for k in ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI")}
    old_tracking = getattr(tracking_utils, "_tracking_uri", None)
    old_registry = getattr(registry_utils, "_registry_uri", None)
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    try:
        yield
    finally:
        tracking_utils.set_tracking_uri(old_tracking)  # type: ignore[arg-type]
        registry_utils._registry_uri = old_registry
        for key, value in env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _model_name(info: _ContractInfo, make: Callable[[], Any]) -> str:
    factory = getattr(getattr(make, "_hypo_contracts_test", make), "__name__", "pipeline")
    if factory == "<lambda>":
        factory = "pipeline"
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", f"hypo-contracts-{info.name}-{factory}")


@contextlib.contextmanager
def _mlflow_registry(spec: _Spec, uri: str | None) -> Iterator[Roundtrip]:
    """A round trip through MLflow's model registry: log the fitted pipeline in a run,
    register a new version, load it back by ``models:/<name>/<version>``.

    With ``uri=None`` the store is a throwaway SQLite database (tracking and registry) with
    its artifacts in a temporary folder, deleted afterwards."""
    with contextlib.ExitStack() as stack:
        stack.enter_context(_mlflow_env())
        import mlflow
        import mlflow.sklearn
        import sklearn
        import skops
        from mlflow import MlflowClient
        from mlflow.exceptions import MlflowException

        artifacts: str | None = None
        if uri is None:
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="hypo-mlflow-")))
            uri = f"sqlite:///{tmp / 'mlflow.db'}"
            artifacts = (tmp / "artifacts").as_uri()
        stack.enter_context(_mlflow_uris(uri))
        name = _model_name(spec.info, spec.make)
        with _quiet_mlflow():
            client = MlflowClient(tracking_uri=uri, registry_uri=uri)
            experiment = client.get_experiment_by_name(_MLFLOW_EXPERIMENT)
            if experiment is None:
                experiment_id = client.create_experiment(
                    _MLFLOW_EXPERIMENT, artifact_location=artifacts
                )
            else:
                experiment_id = experiment.experiment_id
            try:
                client.create_registered_model(name)
            except MlflowException as exc:
                if "ALREADY_EXISTS" not in str(exc.error_code):
                    raise
        requirements = [f"scikit-learn=={sklearn.__version__}", f"skops=={skops.__version__}"]

        def roundtrip(pipe: Any) -> Any:
            _, untrusted = _reviewed_skops_types(pipe, spec.trusted, "roundtrip:mlflow")
            with _quiet_mlflow():
                nested = mlflow.active_run() is not None
                with mlflow.start_run(experiment_id=experiment_id, nested=nested) as run:
                    logged = mlflow.sklearn.log_model(
                        pipe,
                        name="model",
                        serialization_format="skops",
                        skops_trusted_types=untrusted,
                        pip_requirements=requirements,
                    )
                version = client.create_model_version(
                    name=name,
                    source=logged.model_uri,
                    run_id=run.info.run_id,
                    model_id=logged.model_id,
                )
                return mlflow.sklearn.load_model(f"models:/{name}/{version.version}")

        yield roundtrip


@contextlib.contextmanager
def _roundtrips(spec: _Spec, mlflow_uri: str | None) -> Iterator[dict[str, Roundtrip]]:
    with contextlib.ExitStack() as stack:
        trips: dict[str, Roundtrip] = {}
        for name in spec.roundtrip:
            if name == "joblib":
                trips[name] = _joblib_roundtrip
            elif name == "skops":
                trips[name] = _skops_roundtrip(spec.trusted)
            else:
                trips[name] = stack.enter_context(_mlflow_registry(spec, mlflow_uri))
        yield trips


# ------------------------------------------------------------------------------------------
# one example


def _one_thread() -> Any:
    """BLAS and OpenMP thread pools limited to one thread while the checks run.

    Smoke frames have tens of rows: threads only add overhead, and on a busy machine (a
    shared CI runner) OpenMP threads waiting for each other slow a small fit down a
    hundredfold (HistGradientBoostingClassifier: 0.02 s a fit alone, seconds with two
    threads on two busy cores)."""
    from threadpoolctl import threadpool_limits  # a scikit-learn dependency

    return threadpool_limits(limits=1)


def _run(spec: _Spec, train: pd.DataFrame, new: pd.DataFrame, trips: dict[str, Roundtrip]) -> None:
    target = spec.target
    missing = [c for c in (*spec.features, target) if c not in train.columns]
    if missing:
        raise InvalidArgument(f"The training frame has no column {', '.join(map(repr, missing))}.")
    missing = [c for c in spec.features if c not in new.columns]
    if missing:
        raise InvalidArgument(
            f"The frame to predict on has no column {', '.join(map(repr, missing))}."
        )
    labelled = train[train[target].notna()] if train[target].hasnans else train
    X = labelled[spec.features].reset_index(drop=True)
    y = labelled[target].reset_index(drop=True)
    X_before, y_before = X.copy(deep=True), y.copy(deep=True)
    pipe = spec.make()
    try:
        pipe.fit(X, y)
    except Exception as exc:
        if currently_in_test_context() and _n_classes(y) < 2:
            # Many classifiers cannot learn from one class; such frames say nothing about
            # the plumbing, so Hypothesis draws another.
            reject()
        hint = " (the target holds a single class)" if _n_classes(y) < 2 else ""
        raise _fail("fit", f"fit(X, y) on {_rows(len(X))}{hint} raised {_error(exc)}") from exc
    _unchanged("fit", X_before, X, "frame X")
    _unchanged("fit", y_before, y, "target y")

    n = len(new)
    X_new = new[spec.features].reset_index(drop=True)

    def call(method: str, model: Any, where: str) -> Any:
        frame = X_new.copy(deep=True)
        try:
            out = getattr(model, method)(frame)
        except Exception as exc:
            raise _fail(
                "predict", f"{where}.{method}(X_new) on {_rows(n)} raised {_error(exc)}"
            ) from exc
        _unchanged(f"{where}.{method}", X_new, frame, "frame")
        return out

    pred = _as_predictions(call("predict", pipe, "pipeline"), n, "predict")
    _check_nan(pred)
    _check_target(spec.prediction, pred, regressor=_is_regressor(pipe))
    proba = None
    if hasattr(pipe, "predict_proba"):
        proba = _check_proba(pipe, call("predict_proba", pipe, "pipeline"), n)
    for name, roundtrip in trips.items():
        check = f"roundtrip:{name}"
        try:
            loaded = roundtrip(pipe)
        except PipelineCheckFailed:
            raise
        except Exception as exc:
            raise _fail(check, f"storing and reloading the pipeline raised {_error(exc)}") from exc
        try:
            again = np.asarray(call("predict", loaded, f"{name}-reloaded pipeline"))
        except PipelineCheckFailed as exc:
            raise _fail(check, exc.detail) from exc
        differ = _same(pred, again)
        if differ is not None:
            i = int(differ[0])
            was = _show(pred[i]) if i < len(pred) else "-"
            now = _show(again[i]) if i < len(again) else "-"
            raise _fail(
                check,
                f"predictions changed after the {name} round trip: {len(differ)} of {n} differ; "
                f"prediction[{i}] was {was}, is {now}.",
            )
        if proba is not None:
            proba_again = np.asarray(call("predict_proba", loaded, f"{name}-reloaded pipeline"))
            if _same(proba, proba_again.astype(np.float64)) is not None:
                raise _fail(check, f"predict_proba changed after the {name} round trip.")


# ------------------------------------------------------------------------------------------
# the report


def _frame_text(frame: pd.DataFrame) -> str:
    """Every column and every distinct row of ``frame`` (wide frames turned on their side)."""
    distinct = frame.drop_duplicates()
    many = len(distinct) < len(frame)
    head = f"{_rows(len(frame))}" + (f", {len(distinct)} distinct:" if many else ":")
    if frame.shape[1] == 0 or len(frame) == 0:
        return head.rstrip(":") + f", columns {list(frame.columns)}"
    sideways = frame.shape[1] > 6 and len(distinct) <= 6
    shown = distinct.astype(object).T if sideways else distinct  # object: ints stay ints
    with pd.option_context(
        "display.max_columns", None, "display.max_rows", None, "display.width", 10_000
    ):
        return head + "\n" + textwrap.indent(shown.to_string(), "    ")


def _frames_note(train: pd.DataFrame, new: pd.DataFrame) -> str:
    """The minimal frames, in full, for the failure report.

    >>> import pandas as pd
    >>> print(_frames_note(pd.DataFrame({"x": [1, 1], "y": [0, 0]}), pd.DataFrame({"x": [5]})))
    minimal training frame: 2 rows, 1 distinct:
           x  y
        0  1  0
    minimal frame predicted on: 1 row:
           x
        0  5
    """
    return (
        f"minimal training frame: {_frame_text(train)}\n"
        f"minimal frame predicted on: {_frame_text(new)}"
    )


# ------------------------------------------------------------------------------------------
# regression snippet


def _import_line(obj: Any, fallback: str) -> tuple[str, str]:
    """``(import line, expression)`` for ``obj`` in a generated test module.

    Names that pytest would collect again from the generated module (``test_*`` functions,
    ``Test*`` classes) are imported under a private alias."""
    decorated = getattr(obj, "_hypo_contracts_test", None)
    if decorated is not None:  # a @pipeline_test factory
        factory = decorated.__wrapped__
        for candidate, suffix in ((decorated, ".__wrapped__"), (factory, "")):
            line, name = _import_line(candidate, "")
            if name:
                return line, name + suffix
        return f"# {fallback} is defined inline: import or define it here", fallback
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    found = getattr(sys.modules.get(module or ""), qualname or "", None)
    if not module or not qualname or found is not obj:
        return f"# {fallback} is defined inline: import or define it here", fallback
    head, _, rest = qualname.partition(".")
    alias = f"_{head}" if head.lower().startswith("test") else head
    as_clause = f" as {alias}" if alias != head else ""
    name = alias + (f".{rest}" if rest else "")
    if module == "__main__":
        return f"from __main__ import {head}{as_clause}  # move it into an importable module", name
    return f"from {module} import {head}{as_clause}", name


def _regression_test(
    spec: _Spec, train: pd.DataFrame, new: pd.DataFrame, error: PipelineCheckFailed
) -> str:
    from .shrinking import frame_literal

    make_import, make_name = _import_line(spec.make, "make_pipeline")
    contract_import, contract_name = _import_line(spec.contract, spec.info.name)
    fixtures: tuple[str, ...] = getattr(spec.make, "_hypo_contracts_fixtures", ())
    fixture_lines: list[str] = []
    if fixtures:  # a @pipeline_test factory that takes pytest fixtures: so does the test
        factory = make_name.split(".")[0].lstrip("_")
        make_name = f"lambda: {make_name}({', '.join(f'{f}={f}' for f in fixtures)})"
        fixture_lines = [
            f"    # {factory} takes the fixture(s) {', '.join(fixtures)}: keep them visible "
            "here (conftest.py)"
        ]
    imports: set[str] = {"pandas as pd"}
    train_source = textwrap.indent(frame_literal(train, imports), "    ").lstrip()
    new_source = textwrap.indent(frame_literal(new, imports), "    ").lstrip()
    extra = ""
    froms = ["from hypo_contracts.sklearn import check_pipeline_on"]
    if spec.trusted:
        extra += f", trusted={sorted(spec.trusted)!r}"
    if spec.prediction_column is not None:
        extra += f", predictions={spec.prediction_column!r}"
        froms.append(f"from hypo_contracts import {type(spec.prediction_column).__name__}")
    summary = str(error).splitlines()[0]
    summary = summary if len(summary) <= 90 else summary[:87] + "..."
    head = make_name.removeprefix("lambda: ").split(".")[0].lstrip("_")
    test_name = re.sub(r"^(test_)+", "", re.sub(r"\W+", "_", head))
    return "\n".join(
        [
            *(f"import {i}" for i in sorted(i for i in imports if not i.startswith("from "))),
            "",
            *sorted(i for i in imports if i.startswith("from ")),
            *froms,
            make_import,
            contract_import,
            "",
            "",
            f"def test_{test_name}_regression({', '.join(fixtures)}) -> None:",
            f"    # {summary}",
            *fixture_lines,
            f"    train = {train_source}",
            f"    new = {new_source}",
            "    check_pipeline_on(",
            f"        {make_name},",
            f"        {contract_name},",
            "        train,",
            "        new,",
            f"        target={spec.target!r},",
            f"        roundtrip={spec.roundtrip!r}{extra},",
            "    )",
            "",
        ]
    )


# ------------------------------------------------------------------------------------------
# public API


def check_pipeline_on(
    make_pipeline: Callable[[], Any],
    contract: Any,
    train: pd.DataFrame,
    new: pd.DataFrame,
    *,
    target: str,
    roundtrip: Iterable[str] = ("joblib",),
    trusted: Iterable[str] = (),
    predictions: Column | None = None,
    mlflow_uri: str | None = None,
) -> None:
    """Run every check of :func:`check_pipeline` once, on the frames you give: fit a fresh
    ``make_pipeline()`` on ``train`` (the ``target`` column is ``y``, rows with a null target
    are dropped) and predict on ``new`` (its target column, if any, is ignored).

    This is what :func:`check_pipeline`'s regression snippets call; it is also handy on a
    real sample of your data. Raises :class:`PipelineCheckFailed` naming the failed check.

    >>> import pandas as pd
    >>> from sklearn.dummy import DummyClassifier
    >>> from hypo_contracts import data_contract, Float64, Int64
    >>> @data_contract
    ... class Wine:
    ...     alcohol = Float64().bounded_between(8, 15)
    ...     quality = Int64().bounded_between(3, 9)
    >>> train = pd.DataFrame({"alcohol": [9.0, 13.5], "quality": [4, 8]})
    >>> check_pipeline_on(DummyClassifier, Wine, train, train, target="quality")
    >>> from sklearn.dummy import DummyRegressor
    >>> check_pipeline_on(lambda: DummyRegressor(strategy="constant", constant=12), Wine,
    ...                   train, train, target="quality")
    Traceback (most recent call last):
    ...
    hypo_contracts.sklearn.PipelineCheckFailed: [target] prediction[0] = 12, ... A regressor...
    """
    spec = _spec(
        "check_pipeline_on()", make_pipeline, contract, target, roundtrip, trusted, predictions
    )
    for name, frame in (("train", train), ("new", new)):
        if not isinstance(frame, pd.DataFrame):
            raise InvalidArgument(
                f"check_pipeline_on(): {name} must be a DataFrame, not {frame!r}."
            )
    with _one_thread(), _roundtrips(spec, mlflow_uri) as trips:
        _run(spec, train, new, trips)


def _whole(where: str, name: str, value: Any, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise InvalidArgument(f"{where}: {name}={value!r} must be a whole number >= {low}.")
    return int(value)


def _digest(spec: _Spec) -> bytes:
    from hypothesis.internal.reflection import function_digest

    try:
        base = function_digest(spec.make)
    except Exception:  # pragma: no cover - digest is best effort
        base = repr(spec.make).encode()
    source = getattr(spec.make, "_hypo_contracts_test", spec.make)
    name = f"{getattr(source, '__module__', '')}.{getattr(source, '__qualname__', '')}"
    extra = (
        f"{name}|{spec.info.name}|{','.join(spec.info.canonical)}|{spec.target}|{spec.roundtrip}"
    )
    return hashlib.sha256(base + extra.encode()).digest()


def check_pipeline(
    make_pipeline: Callable[[], Any],
    contract: Any,
    *,
    target: str,
    min_rows: int = 20,
    max_rows: int = 100,
    predict_rows: tuple[int, int] = (1, 20),
    max_examples: int | None = None,
    roundtrip: Iterable[str] = ("joblib",),
    trusted: Iterable[str] = (),
    predictions: Column | None = None,
    mlflow_uri: str | None = None,
    settings: Settings | None = None,
) -> None:
    """Property-test a scikit-learn pipeline against ``contract``; see the module docstring
    for the checks.

    Each example draws a training frame of ``min_rows..max_rows`` rows from ``contract`` and a
    frame of ``predict_rows`` rows without the ``target`` column, fits a fresh
    ``make_pipeline()`` and runs every check. ``max_examples`` defaults to the loaded
    Hypothesis profile's (see the ``hypo-ci`` and ``hypo-thorough`` profiles); ``settings`` is
    a base ``hypothesis.settings`` (e.g. ``settings(database=None)``); the deadline is always
    off, and one failure is reported at a time (the simplest), as a single
    :class:`PipelineCheckFailed`.

    - ``roundtrip``: any of ``"joblib"``, ``"skops"`` and ``"mlflow"``, checked in the order
      given on every example. skops loads only types in :data:`SKOPS_TRUSTED` or ``trusted``.
      MLflow uses a throwaway SQLite store in a temporary folder unless ``mlflow_uri`` names
      a tracking/registry URI; asking for a round trip whose library is missing raises
      ``ImportError`` naming the extra to install.
    - ``predictions``: a column describing what ``predict`` may return when it differs from
      the target column (e.g. ``Float64().bounded_between(0, 10)`` for a regressor on an
      integer score).
    - Training rows with a null target are dropped. A training frame whose target holds a
      single class is skipped only if ``fit`` raises on it.
    - BLAS and OpenMP run on one thread during the checks (``threadpoolctl``): faster on
      smoke-sized frames, and much faster on a busy CI machine.

    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.preprocessing import StandardScaler
    >>> from hypo_contracts import data_contract, Bool, Float64
    >>> @data_contract
    ... class Loans:
    ...     income = Float64().bounded_between(0, 1e6)
    ...     debt = Float64().bounded_between(0, 1e6)
    ...     default = Bool()
    >>> check_pipeline(lambda: make_pipeline(StandardScaler(), LogisticRegression()),
    ...                Loans, target="default", max_examples=5)
    """
    where = "check_pipeline()"
    spec = _spec(where, make_pipeline, contract, target, roundtrip, trusted, predictions)
    lo = _whole(where, "min_rows", min_rows, 1)
    hi = _whole(where, "max_rows", max_rows, lo)
    if not isinstance(predict_rows, tuple) or len(predict_rows) != 2:
        raise InvalidArgument(f"{where}: predict_rows={predict_rows!r} must be a (min, max) pair.")
    p_lo = _whole(where, "predict_rows[0]", predict_rows[0], 0)
    p_hi = _whole(where, "predict_rows[1]", predict_rows[1], p_lo)
    if max_examples is not None:
        _whole(where, "max_examples", max_examples, 1)
    if settings is not None and not isinstance(settings, Settings):
        raise InvalidArgument(f"{where}: settings={settings!r} must be a hypothesis.settings.")
    base = settings if settings is not None else Settings.default
    assert base is not None
    suppressed = {*base.suppress_health_check, HealthCheck.too_slow}
    run_settings = Settings(
        base,
        max_examples=max_examples if max_examples is not None else base.max_examples,
        deadline=None,
        suppress_health_check=list(suppressed),
        report_multiple_bugs=False,
        # The failure is replayed by the regression test in the report, not by
        # @reproduce_failure, which cannot decorate the caller's test.
        print_blob=False,
        # The explain phase re-runs the pipeline hundreds of times to mark which parts of
        # the frames could vary; fitting makes that the slowest part of a failure by far.
        phases=[phase for phase in base.phases if phase is not Phase.explain],
    )
    train_frames = frames(spec.contract, min_rows=lo, max_rows=hi)
    new_frames = frames(spec.contract, columns=spec.features, min_rows=p_lo, max_rows=p_hi)

    with _one_thread(), _roundtrips(spec, mlflow_uri) as trips:

        def pipeline_property(train: pd.DataFrame, new: pd.DataFrame) -> None:
            try:
                _run(spec, train, new, trips)
            except PipelineCheckFailed as exc:
                if current_build_context().is_final:
                    exc.train, exc.new = train, new
                    exc.regression_test = _regression_test(spec, train, new, exc)
                    note(f"check failed: {exc.check}")
                    note(_frames_note(train, new))
                    note("a pytest regression test for this failure:\n\n" + exc.regression_test)
                raise

        pipeline_property._hypothesis_internal_add_digest = _digest(spec)  # type: ignore[attr-defined]
        test = run_settings(given(train=train_frames, new=new_frames)(pipeline_property))
        test()


def _argument_names(factory: Callable[..., Any], args: Any, kwargs: Any) -> tuple[str, ...]:
    """The parameter names ``factory`` receives ``args`` / ``kwargs`` under (its fixtures)."""
    try:
        return tuple(inspect.signature(factory).bind(*args, **kwargs).arguments)
    except (TypeError, ValueError):
        return tuple(kwargs)


def pipeline_test(
    contract: Any, *, target: str, **options: Any
) -> Callable[[Callable[..., Any]], Callable[..., None]]:
    """Decorate a pipeline factory to make it a pytest test that runs :func:`check_pipeline`.

    The decorated function builds the unfitted pipeline; it may take pytest fixtures, which
    are passed to it for every example. ``options`` are :func:`check_pipeline`'s keywords.

    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from hypo_contracts import data_contract, Float64, Int64
    >>> @data_contract
    ... class Wine:
    ...     alcohol = Float64().bounded_between(8, 15)
    ...     quality = Int64().bounded_between(3, 9)
    >>> @pipeline_test(Wine, target="quality", max_examples=5)
    ... def test_tree_pipeline():
    ...     return DecisionTreeClassifier(random_state=0)
    >>> test_tree_pipeline()  # pytest calls it like this
    """
    contract_info(contract, "pipeline_test()")

    def decorate(factory: Callable[..., Any]) -> Callable[..., None]:
        if not callable(factory):
            raise InvalidArgument(f"pipeline_test() decorates a function, not {factory!r}.")

        @functools.wraps(factory)
        def test(*args: Any, **kwargs: Any) -> None:
            def make() -> Any:
                return factory(*args, **kwargs)

            make._hypo_contracts_test = test  # type: ignore[attr-defined]
            make._hypo_contracts_fixtures = _argument_names(factory, args, kwargs)  # type: ignore[attr-defined]
            check_pipeline(make, contract, target=target, **options)

        return test

    return decorate
