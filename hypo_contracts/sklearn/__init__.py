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

Two more checks look past the plumbing (``check_pipeline(..., drift=True, feature_use=True)``
runs them too): :func:`check_drift`, the same values in another physical form (column order,
extra or missing columns, dtypes, string storage, index) give the same predictions or are
refused; :func:`check_feature_use`, the pipeline learns a simple rule of each feature.

The package's modules: ``spec`` (arguments, :class:`PipelineCheckFailed`), ``checks`` (one
example), ``roundtrips`` (joblib, skops, MLflow), ``report`` (failure text, regression test),
``search`` (Hypothesis, the simplest frames first), ``drift`` and ``feature_use``.

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

import functools
import inspect
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pandas as pd
from hypothesis import HealthCheck, Phase
from hypothesis import settings as Settings

from ..compiled import contract_info
from ..declaration import Column
from ..errors import InvalidArgument, is_whole
from .checks import PROBA_TOLERANCE, one_thread, run_checks
from .drift import ALL_VARIANTS, DriftCheckFailed, DriftReport, DriftRow, check_drift
from .feature_use import FeatureUse, FeatureUseFailed, FeatureUseReport, check_feature_use
from .multi import tables_argument, tables_checks, tables_search, target_table
from .roundtrips import SKOPS_TRUSTED, open_roundtrips, require
from .search import run_search
from .spec import (
    CHECKS,
    ROUNDTRIPS,
    PipelineCheckFailed,
    PipelineSpec,
    make_spec,
    mark_factory,
)

__all__ = [
    "ALL_VARIANTS",
    "CHECKS",
    "PROBA_TOLERANCE",
    "ROUNDTRIPS",
    "SKOPS_TRUSTED",
    "DriftCheckFailed",
    "DriftReport",
    "DriftRow",
    "FeatureUse",
    "FeatureUseFailed",
    "FeatureUseReport",
    "PipelineCheckFailed",
    "check_drift",
    "check_feature_use",
    "check_pipeline",
    "check_pipeline_on",
    "pipeline_test",
]


def _spec(
    where: str,
    make_pipeline: Any,
    contract: Any,
    target: Any,
    roundtrip: Any,
    trusted: Any,
    predictions: Any,
) -> PipelineSpec:
    spec = make_spec(where, make_pipeline, contract, target, roundtrip, trusted, predictions)
    for name in spec.roundtrip:
        require(name)
    return spec


def check_pipeline_on(
    make_pipeline: Callable[[], Any],
    contract: Any,
    train: pd.DataFrame | Mapping[Any, pd.DataFrame],
    new: pd.DataFrame | Mapping[Any, pd.DataFrame],
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

    Several related tables: ``contract`` a tuple of contracts and ``target`` as for
    :func:`check_pipeline`; ``train`` and ``new`` are mappings contract (or contract name) ->
    DataFrame (e.g. :class:`~hypo_contracts.Tables`) with one table per contract and per
    contract they reference (docs/ml-pipelines.md).

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
    where = _where("check_pipeline_on", contract)
    contracts = contract
    several = isinstance(contract, (tuple, list))
    if several:  # related tables: the contract holding the target is the spec's
        contract, target = target_table(where, contracts, target)
    spec = _spec(where, make_pipeline, contract, target, roundtrip, trusted, predictions)
    if several:
        train_tables = tables_argument(where, "train", train, contracts)
        new_tables = tables_argument(where, "new", new, contracts)
        with one_thread(), open_roundtrips(spec, mlflow_uri) as trips:
            tables_checks(spec, train_tables, new_tables, trips)
        return
    for name, frame in (("train", train), ("new", new)):
        if not isinstance(frame, pd.DataFrame):
            raise InvalidArgument(f"{where}: {name} must be a DataFrame, not {frame!r}.")
    assert isinstance(train, pd.DataFrame) and isinstance(new, pd.DataFrame)
    with one_thread(), open_roundtrips(spec, mlflow_uri) as trips:
        run_checks(spec, train, new, trips)


def _where(func: str, contract: Any) -> str:
    """The policy's prefix without its colon: ``check_pipeline(Loans, ...)`` (the first
    contract's name with several tables; ``check_pipeline()`` when ``contract`` is not one)."""
    first = contract[0] if isinstance(contract, (tuple, list)) and contract else contract
    name = getattr(getattr(first, "__contract__", None), "name", None)
    return f"{func}({name}, ...)" if isinstance(name, str) else f"{func}()"


def _whole(where: str, name: str, value: Any, low: int) -> int:
    if not is_whole(value, low):
        raise InvalidArgument(f"{where}: {name}={value!r} must be a whole number >= {low}.")
    return int(value)


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
    drift: bool = False,
    feature_use: bool = False,
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
    - The checks run first on the simplest frames the contract allows: a failure there (a
      configuration error that no data avoids, such as an untrusted skops type) is reported
      at once, without searching or shrinking.
    - Training rows with a null target are dropped. A training frame whose target holds a
      single class is skipped only if ``fit`` raises on it; when every training frame must
      hold one (a target admitting a single value, ``max_rows=1``), that fit failure is
      reported.
    - ``drift=True`` then runs :func:`check_drift` (the same values in other physical forms
      give the same predictions), ``feature_use=True`` :func:`check_feature_use` (the
      pipeline learns from every feature), each with its defaults.
    - BLAS and OpenMP run on one thread during the checks (``threadpoolctl``): faster on
      smoke-sized frames, and much faster on a busy CI machine.
    - Several related tables: ``contract`` a tuple of contracts, ``target`` a column of one
      of them (``"Contract.column"`` when several have it). Each example draws
      :func:`~hypo_contracts.tables`; ``X`` is the :class:`~hypo_contracts.Tables` mapping
      without the target column, ``min_rows``/``max_rows``/``predict_rows`` count the target's
      table, and predictions are one per row of it (docs/ml-pipelines.md).

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
    where = _where("check_pipeline", contract)
    several = isinstance(contract, (tuple, list))
    if several:  # related tables: the contract holding the target is the spec's
        contracts = contract
        contract, target = target_table(where, contracts, target)
        if drift or feature_use:
            raise InvalidArgument(
                f"{where}: drift and feature_use check one-frame pipelines; with several "
                "tables, leave them out."
            )
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
    with one_thread(), open_roundtrips(spec, mlflow_uri) as trips:
        if several:
            tables_search(spec, trips, contracts=contracts, rows=(lo, hi),
                          predict_rows=(p_lo, p_hi), settings=run_settings)  # fmt: skip
        else:
            run_search(spec, trips, rows=(lo, hi), predict_rows=(p_lo, p_hi), settings=run_settings)
    if drift:
        check_drift(make_pipeline, contract, target=target)
    if feature_use:
        check_feature_use(make_pipeline, contract, target=target)


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
    are passed to it for every example. ``options`` are :func:`check_pipeline`'s keywords,
    ``drift=True`` and ``feature_use=True`` among them (then :func:`check_drift` and
    :func:`check_feature_use` build their pipelines with the same fixtures). ``contract``
    may be a tuple of related contracts, as for :func:`check_pipeline`.

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
    for each in contract if isinstance(contract, (tuple, list)) else (contract,):
        contract_info(each, "pipeline_test()")  # several: related tables, as check_pipeline

    def decorate(factory: Callable[..., Any]) -> Callable[..., None]:
        if not callable(factory):
            raise InvalidArgument(f"pipeline_test() decorates a function, not {factory!r}.")

        @functools.wraps(factory)
        def test(*args: Any, **kwargs: Any) -> None:
            def make() -> Any:
                return factory(*args, **kwargs)

            mark_factory(make, test, _argument_names(factory, args, kwargs))
            check_pipeline(make, contract, target=target, **options)

        return test

    return decorate
