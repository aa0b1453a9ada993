"""The round trips: store a fitted pipeline and load it back through joblib, skops or an
MLflow model registry (:func:`open_roundtrips`), and the helpers that keep MLflow quiet and
offline (:func:`mlflow_env`, :func:`quiet_mlflow`).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import tempfile
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..compiled import ContractInfo
from .spec import PipelineCheckFailed, PipelineSpec, Roundtrip, factory_of

__all__ = [
    "MLFLOW_EXPERIMENT",
    "SKOPS_TRUSTED",
    "joblib_roundtrip",
    "mlflow_env",
    "open_roundtrips",
    "quiet_mlflow",
    "require",
]

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
#: The MLflow experiment the round trips log their runs in.
MLFLOW_EXPERIMENT = "hypo-contracts-checks"


_EXTRA = {"joblib": "sklearn", "skops": "skops", "mlflow": "mlflow"}


def require(name: str) -> Any:
    """Import the module a round trip needs, or say which extra installs it.

    >>> require("joblib").__name__
    'joblib'
    """
    try:
        if name == "mlflow":
            with mlflow_env():
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


def joblib_roundtrip(pipe: Any) -> Any:
    """``pipe`` dumped with joblib to memory and loaded back.

    >>> from sklearn.dummy import DummyClassifier
    >>> type(joblib_roundtrip(DummyClassifier())).__name__
    'DummyClassifier'
    """
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
        raise PipelineCheckFailed(
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
def mlflow_env() -> Iterator[None]:
    """No telemetry (no network) while hypo_contracts talks to MLflow; restored afterwards.

    >>> import os
    >>> before = os.environ.get("MLFLOW_DISABLE_TELEMETRY")
    >>> with mlflow_env():
    ...     os.environ["MLFLOW_DISABLE_TELEMETRY"]
    'true'
    >>> os.environ.get("MLFLOW_DISABLE_TELEMETRY") == before
    True
    """
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
def quiet_mlflow() -> Iterator[None]:
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
    ``MLFLOW_TRACKING_URI`` / ``MLFLOW_REGISTRY_URI`` variables) afterwards.

    An unset tracking URI is unset again (MLflow then resolves its default, which follows the
    working directory, afresh), and a registry URI that followed the tracking URI follows it
    again."""
    import mlflow

    env = {k: os.environ.get(k) for k in ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI")}
    old_tracking = mlflow.get_tracking_uri() if mlflow.is_tracking_uri_set() else None
    old_registry = mlflow.get_registry_uri()
    follows = old_registry == mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    try:
        yield
    finally:
        # None unsets the tracking URI; an empty registry URI resolves to the tracking one.
        mlflow.set_tracking_uri(old_tracking)  # type: ignore[arg-type]
        mlflow.set_registry_uri("" if follows else old_registry)
        for key, value in env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _model_name(info: ContractInfo, make: Callable[[], Any]) -> str:
    factory = getattr(factory_of(make), "__name__", "pipeline")
    if factory == "<lambda>":
        factory = "pipeline"
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", f"hypo-contracts-{info.name}-{factory}")


@contextlib.contextmanager
def _mlflow_registry(spec: PipelineSpec, uri: str | None) -> Iterator[Roundtrip]:
    """A round trip through MLflow's model registry: log the fitted pipeline in a run,
    register a new version, load it back by ``models:/<name>/<version>``.

    With ``uri=None`` the store is a throwaway SQLite database (tracking and registry) with
    its artifacts in a temporary folder, deleted afterwards."""
    with contextlib.ExitStack() as stack:
        stack.enter_context(mlflow_env())
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
        with quiet_mlflow():
            client = MlflowClient(tracking_uri=uri, registry_uri=uri)
            experiment = client.get_experiment_by_name(MLFLOW_EXPERIMENT)
            if experiment is None:
                experiment_id = client.create_experiment(
                    MLFLOW_EXPERIMENT, artifact_location=artifacts
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
            with quiet_mlflow():
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
def open_roundtrips(spec: PipelineSpec, mlflow_uri: str | None) -> Iterator[dict[str, Roundtrip]]:
    """The round trips ``spec`` asks for, by name, ready while the context lasts (MLflow's
    store is created on entry and, when throwaway, deleted on exit).

    >>> from hypo_contracts import data_contract, Float64, Int64
    >>> from hypo_contracts.sklearn.spec import make_spec
    >>> @data_contract
    ... class Wine:
    ...     alcohol = Float64()
    ...     quality = Int64()
    >>> with open_roundtrips(make_spec("f()", dict, Wine, "quality"), None) as trips:
    ...     list(trips)
    ['joblib']
    """
    with contextlib.ExitStack() as stack:
        trips: dict[str, Roundtrip] = {}
        for name in spec.roundtrip:
            if name == "joblib":
                trips[name] = joblib_roundtrip
            elif name == "skops":
                trips[name] = _skops_roundtrip(spec.trusted)
            else:
                trips[name] = stack.enter_context(_mlflow_registry(spec, mlflow_uri))
        yield trips
