"""The checks of one example: fit a fresh pipeline on a training frame, predict on a new one,
and check the predictions, the probabilities, the frames and the round trips
(:func:`run_checks`). Each failed check raises :class:`PipelineCheckFailed`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..bounds import is_number
from ..constraints import Canonical
from ..errors import InvalidArgument
from ..kinds import kind_of
from ..values import BadValue, accept_array, cast_value, is_null, lookup_table
from .spec import (
    PipelineCheckFailed,
    PipelineSpec,
    Roundtrip,
    SingleClassFitFailed,
    error_text,
    rows_text,
)

__all__ = [
    "PROBA_TOLERANCE",
    "as_predictions",
    "check_nan",
    "check_proba",
    "check_roundtrips",
    "check_target",
    "differing",
    "is_regressor",
    "n_classes",
    "one_thread",
    "run_checks",
    "show_value",
]

#: Probabilities may miss [0, 1] and a row sum of 1 by this much (floating point).
PROBA_TOLERANCE = 1e-6


def _fail(check: str, detail: str) -> PipelineCheckFailed:
    return PipelineCheckFailed(check, detail)


def _unchanged(check_step: str, before: Any, after: Any, what: str) -> None:
    try:
        if isinstance(before, pd.DataFrame):
            pd.testing.assert_frame_equal(after, before, check_exact=True)
        else:
            pd.testing.assert_series_equal(after, before, check_exact=True)
    except AssertionError as exc:
        detail = " ".join(str(exc).split())
        raise _fail("mutation", f"{check_step} changed its input {what}: {detail}") from None


def n_classes(y: pd.Series) -> int:
    """The distinct non-null labels in ``y``.

    >>> n_classes(pd.Series([1, 1, None, 2]))
    2
    """
    return int(y.nunique(dropna=True))


def is_regressor(pipe: Any) -> bool:
    """Whether scikit-learn calls ``pipe`` a regressor (the target check's hint)."""
    from sklearn.base import is_regressor

    try:
        return bool(is_regressor(pipe))
    except Exception:  # not a scikit-learn estimator: no hint
        return False


def as_predictions(raw: Any, n: int, where: str, of: str = "") -> np.ndarray:
    """``raw`` (what ``where``, e.g. ``"predict"``, returned for ``n`` rows ``of`` a table)
    as an array, or the ``length`` failure unless it holds one prediction per row."""
    pred = raw.to_numpy() if isinstance(raw, (pd.Series, pd.DataFrame)) else np.asarray(raw)
    if pred.shape != (n,):
        raise _fail(
            "length",
            f"{where} returned an array of shape {pred.shape} for {rows_text(n)}{of}; expected "
            f"({n},), one prediction per row.",
        )
    return pred


def show_value(value: Any) -> str:
    """``repr`` of a prediction, numpy scalars shown as Python values.

    >>> show_value(np.int64(4)), show_value("red")
    ('4', "'red'")
    """
    return repr(value.item() if isinstance(value, np.generic) else value)


def _first_bad(mask: np.ndarray, pred: np.ndarray) -> str:
    idx = np.flatnonzero(mask)
    shown = ", ".join(f"prediction[{i}] = {show_value(pred[i])}" for i in idx[:3])
    more = f" (and {len(idx) - 3} more)" if len(idx) > 3 else ""
    return shown + more


def check_nan(pred: np.ndarray) -> None:
    """The ``nan`` check: no missing prediction.

    >>> check_nan(np.array([1.0, np.nan]))
    Traceback (most recent call last):
    ...
    hypo_contracts.sklearn.PipelineCheckFailed: [nan] 1 missing prediction(s): prediction[1] = nan.
    """
    missing = np.asarray(pd.isna(pred), dtype=bool)
    if missing.any():
        raise _fail(
            "nan", f"{int(missing.sum())} missing prediction(s): {_first_bad(missing, pred)}."
        )


def _as_label(c: Canonical, v: Any) -> Any:
    """A prediction as the value :func:`values.cast_value` judges, as the target's kind says
    (``Kind.target_label``: the 0/1 labels of a boolean target as bools, and bool predictions
    of a numeric target as 0/1, both as the check accepted them before it asked
    :mod:`hypo_contracts.values`)."""
    return kind_of(c).target_label(c, v)


def _problems(c: Canonical, pred: np.ndarray) -> list[str | None]:
    """Per prediction: ``None`` when :func:`values.cast_value` accepts it, else why not."""
    lookup = lookup_table(c)
    out: list[str | None] = []
    for v in pd.Series(pred, dtype=object if pred.dtype.kind == "O" else None).tolist():
        if is_null(v):
            out.append(None if c.nullable else "is missing")
            continue
        try:
            cast_value(c, _as_label(c, v), lookup)
        except BadValue as exc:
            out.append(str(exc))
        else:
            out.append(None)
    return out


def check_target(c: Canonical, pred: np.ndarray, *, regressor: bool = False) -> None:
    """The ``target`` check: every prediction is a value of column ``c``, as
    :func:`values.cast_value` says (0/1 labels pass for a boolean target); the message names
    the first bad predictions.

    >>> from hypo_contracts import Int64
    >>> from hypo_contracts.constraints import canonicalise
    >>> c = canonicalise(Int64().bounded_between(3, 9), contract="Wine", name="quality")
    >>> check_target(c, np.array([4, 12]))
    Traceback (most recent call last):
    ...
    hypo_contracts.sklearn.PipelineCheckFailed: [target] prediction[1] = 12 outside Wine.quality...
    """
    if accept_array(c, pred) is not None:
        return
    problems = _problems(c, pred)
    bad = np.array([p is not None for p in problems], dtype=bool)
    if not bad.any():
        return
    where = f"{c.where}"
    missing = np.array([p == "is missing" for p in problems], dtype=bool)
    if missing.any():
        raise _fail("target", f"{_first_bad(missing, pred)}: {where} is required (no nulls).")
    if c.values is not None:
        raise _fail(
            "target",
            f"{_first_bad(bad, pred)} not among {where}'s accepted values {list(c.values)!r}.",
        )
    kind = kind_of(c)
    message = kind.target_failure(c, _first_bad(bad, pred))
    if message is not None:
        raise _fail("target", message)
    if kind.numeric_target:
        _numeric_failure(c, pred, bad, regressor)
    first = problems[int(np.flatnonzero(bad)[0])]
    if first is not None and first.startswith(("is below", "is above")):
        raise _fail("target", f"{_first_bad(bad, pred)} outside {where}'s bounds.")
    raise _fail("target", f"{_first_bad(bad, pred)} breaks {where}: {first}.")


def _numeric_failure(c: Canonical, pred: np.ndarray, bad: np.ndarray, regressor: bool) -> None:
    """The failure of a numeric target: non-numbers, then fractions (integer targets) or
    infinities, then values outside the bounds, each in the words the check always used."""
    where = f"{c.where}"
    values = [_as_label(c, v) for v in pred.tolist()]
    numbers = np.array([is_number(v) for v in values], dtype=bool)
    if not numbers.all():
        i = int(np.flatnonzero(~numbers)[0])
        raise _fail(
            "target",
            f"predictions have dtype {pred.dtype} (first: {show_value(pred[i])}), "
            f"but {where} is a numeric column.",
        )
    floats = np.array([float(v) for v in values], dtype=np.float64)
    if kind_of(c).whole_target:
        fraction = bad & (~np.isfinite(floats) | (floats != np.floor(floats)))
        if fraction.any():
            raise _fail(
                "target",
                f"{_first_bad(fraction, pred)} not a whole number, but {where} is an integer "
                "column (a regressor on an integer target? pass predictions=Float64()...).",
            )
    elif not c.allow_inf:
        infinite = bad & np.isinf(floats)
        if infinite.any():
            raise _fail("target", f"{_first_bad(infinite, pred)}: {where} allows no infinity.")
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


def check_proba(pipe: Any, proba_raw: Any, n: int) -> np.ndarray:
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
            f"predict_proba returned shape {proba.shape} for {rows_text(n)}; expected {expected}.",
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


def differing(a: np.ndarray, b: np.ndarray) -> np.ndarray | None:
    """Indices where ``a`` and ``b`` differ, or None when identical.

    >>> differing(np.array([1, 2, 3]), np.array([1, 5, 3]))
    array([1])
    >>> differing(np.array([1, 2]), np.array([1, 2])) is None
    True
    """
    if a.shape != b.shape:
        return np.arange(max(len(a), len(b)))
    differ: np.ndarray = np.asarray(a != b)
    if differ.ndim > 1:
        differ = np.asarray(differ.any(axis=tuple(range(1, differ.ndim))))
    return np.flatnonzero(differ) if differ.any() else None


def one_thread() -> Any:
    """BLAS and OpenMP thread pools limited to one thread while the checks run.

    Smoke frames have tens of rows: threads only add overhead, and on a busy machine (a
    shared CI runner) OpenMP threads waiting for each other slow a small fit down a
    hundredfold (HistGradientBoostingClassifier: 0.02 s a fit alone, seconds with two
    threads on two busy cores).

    >>> from threadpoolctl import threadpool_info
    >>> with one_thread():
    ...     assert all(pool["num_threads"] == 1 for pool in threadpool_info())
    """
    from threadpoolctl import threadpool_limits  # a scikit-learn dependency

    return threadpool_limits(limits=1)


def run_checks(
    spec: PipelineSpec, train: pd.DataFrame, new: pd.DataFrame, trips: dict[str, Roundtrip]
) -> None:
    """Every check, once: fit ``spec.make()`` on ``train`` (rows with a null target dropped),
    predict on ``new``, then each round trip in ``trips``; raise the first failure.

    >>> from sklearn.dummy import DummyClassifier
    >>> from hypo_contracts import data_contract, Float64, Int64
    >>> from hypo_contracts.sklearn.spec import make_spec
    >>> @data_contract
    ... class Wine:
    ...     alcohol = Float64()
    ...     quality = Int64().bounded_between(3, 9)
    >>> train = pd.DataFrame({"alcohol": [9.0, 13.5], "quality": [4, 8]})
    >>> spec = make_spec("f()", DummyClassifier, Wine, "quality")
    >>> run_checks(spec, train, train, {})
    >>> run_checks(spec, train, train[["quality"]], {})
    Traceback (most recent call last):
    ...
    hypo_contracts.errors.InvalidArgument: The frame to predict on has no column 'alcohol'.
    """
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
        single = n_classes(y) < 2
        hint = " (the target holds a single class)" if single else ""
        detail = f"fit(X, y) on {rows_text(len(X))}{hint} raised {error_text(exc)}"
        # Many classifiers cannot learn from one class: check_pipeline draws other frames.
        raise (SingleClassFitFailed if single else PipelineCheckFailed)("fit", detail) from exc
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
                "predict", f"{where}.{method}(X_new) on {rows_text(n)} raised {error_text(exc)}"
            ) from exc
        _unchanged(f"{where}.{method}", X_new, frame, "frame")
        return out

    pred = as_predictions(call("predict", pipe, "pipeline"), n, "predict")
    check_nan(pred)
    check_target(spec.prediction, pred, regressor=is_regressor(pipe))
    proba = None
    if hasattr(pipe, "predict_proba"):
        proba = check_proba(pipe, call("predict_proba", pipe, "pipeline"), n)
    check_roundtrips(pipe, trips, call, pred, proba)


def check_roundtrips(
    pipe: Any,
    trips: Mapping[str, Callable[[Any], Any]],
    call: Callable[[str, Any, str], Any],
    pred: np.ndarray,
    proba: np.ndarray | None,
) -> None:
    """Each of ``trips`` stores and reloads ``pipe``; the reloaded pipeline must predict what
    ``pipe`` did (``pred``), and ``predict_proba`` too when ``proba`` is given. ``call(method,
    model, where)`` runs one prediction on the new data (one frame or several tables)."""
    n = len(pred)
    for name, roundtrip in trips.items():
        check = f"roundtrip:{name}"
        try:
            loaded = roundtrip(pipe)
        except PipelineCheckFailed:
            raise
        except Exception as exc:
            raise _fail(
                check, f"storing and reloading the pipeline raised {error_text(exc)}"
            ) from exc
        try:
            again = np.asarray(call("predict", loaded, f"{name}-reloaded pipeline"))
        except PipelineCheckFailed as exc:
            raise _fail(check, exc.detail) from exc
        differ = differing(pred, again)
        if differ is not None:
            i = int(differ[0])
            was = show_value(pred[i]) if i < len(pred) else "-"
            now = show_value(again[i]) if i < len(again) else "-"
            raise _fail(
                check,
                f"predictions changed after the {name} round trip: {len(differ)} of {n} differ; "
                f"prediction[{i}] was {was}, is {now}.",
            )
        if proba is not None:
            proba_again = np.asarray(call("predict_proba", loaded, f"{name}-reloaded pipeline"))
            if differing(proba, proba_again.astype(np.float64)) is not None:
                raise _fail(check, f"predict_proba changed after the {name} round trip.")
