"""Format drift: the same values in another physical form must give the same predictions
(:func:`check_drift`).

Production frames reach a pipeline with their columns in another order, an extra column, a
nullable ``Int64`` where training saw ``int64``, timestamps in microseconds, Arrow-backed
strings, a shuffled index. A sound pipeline either predicts exactly what it predicts on the
training-time form, or refuses the frame before predicting; one that indexes columns by
position, imputes a column that is not there, or reads timestamps as integers gives other
answers, silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InvalidArgument
from .checks import one_thread
from .drift_regression import DriftCase, drift_regression_test
from .spec import PipelineCheckFailed, PipelineSpec, error_text, make_spec, rows_text
from .tables import RowReport

__all__ = ["ALL_VARIANTS", "DriftCheckFailed", "DriftReport", "DriftRow", "check_drift"]

#: The variants :func:`check_drift` tries, in order.
ALL_VARIANTS = ("column_order", "extra_column", "missing_column", "dtypes", "strings", "index")
#: Float predictions may differ by this relative amount (float32 arithmetic in a transformer).
RTOL = 1e-6
_EXTRA = "undeclared_extra"


@dataclass(frozen=True)
class DriftRow:
    """How a pipeline took one variant: ``outcome`` is ``"held"`` (the same predictions),
    ``"raised"`` (refused the frame), ``"changed"`` (other predictions), ``"predicted"``
    (predicted without a declared feature) or ``"n/a"`` (the contract has nothing to vary);
    ``detail`` names the form and, for a change, the first differing row; a failed row's
    ``regression_test`` is the source of a pytest module that rebuilds the frames and fails
    until the pipeline is fixed (None when a frame cannot be written as a literal)."""

    variant: str
    outcome: str
    detail: str
    regression_test: str | None = field(default=None, repr=False, compare=False)

    @property
    def passed(self) -> bool:
        return self.outcome in ("held", "raised", "n/a")


@dataclass(frozen=True)
class DriftReport(RowReport[DriftRow]):
    """One :class:`DriftRow` per variant checked by :func:`check_drift`.

    >>> report = DriftReport((DriftRow("index", "held", "2 forms"),
    ...                       DriftRow("column_order", "changed", "reversed: row 0")))
    >>> [row.variant for row in report.failed]
    ['column_order']
    >>> print(report)
    index         held       2 forms
    column_order  changed    reversed: row 0

    Printed by ``rich`` on a terminal it is a table (:meth:`to_table`); ``str()`` stays
    the plain text above, for pytest failure messages, logs and files.
    """

    title = "check_drift"
    headers = ("variant", "outcome", "detail")
    frame_columns = ("variant", "outcome", "passed", "detail")
    line = "{0:<{w}}  {1:<9}  {2}"

    def cells(self, row: DriftRow) -> tuple[str, ...]:
        return (row.variant, row.outcome, row.detail)

    def fields(self, row: DriftRow) -> tuple[Any, ...]:
        return (row.variant, row.outcome, row.passed, row.detail)

    def passed(self, row: DriftRow) -> bool:
        return row.passed

    @property
    def failed(self) -> tuple[DriftRow, ...]:
        """The variants that changed the predictions."""
        return self.bad_rows()


class DriftCheckFailed(PipelineCheckFailed):
    """:func:`check_drift` found variants that change the predictions (check ``"drift"``);
    ``report`` is the whole :class:`DriftReport`, ``regression_test`` the first failed row's
    (also in the exception's notes)."""

    __module__ = "hypo_contracts.sklearn"

    def __init__(self, report: DriftReport) -> None:
        failed = "; ".join(f"{r.variant} ({r.outcome}: {r.detail})" for r in report.failed)
        super().__init__("drift", f"the predictions drift with the frame's form: {failed}")
        self.report = report
        source = next((r.regression_test for r in report.failed if r.regression_test), None)
        self.regression_test = source
        if source is not None:
            note = "a pytest regression test for this failure:\n\n" + source
            self.__notes__ = [*getattr(self, "__notes__", []), note]  # add_note is 3.11+


# ------------------------------------------------------------------------------------------
# the forms of one frame

#: (label, frame, order): row i of ``frame`` carries row order[i] of the original (None: i).
Form = tuple[str, pd.DataFrame, "np.ndarray | None"]


def _column_order(X: pd.DataFrame, rng: np.random.Generator) -> Iterator[Form]:
    columns = list(X.columns)
    if len(columns) < 2:
        return
    yield "columns reversed", X[columns[::-1]], None
    if len(columns) > 2:
        order = [columns[i] for i in rng.permutation(len(columns))]
        if order not in (columns, columns[::-1]):
            yield f"columns {order}", X[order], None


def _extra_column(X: pd.DataFrame, rng: np.random.Generator) -> Iterator[Form]:
    extra = pd.Series(rng.normal(size=len(X)), index=X.index)
    yield f"{_EXTRA!r} first", pd.concat([extra.rename(_EXTRA), X], axis=1), None
    yield f"{_EXTRA!r} last", X.assign(**{_EXTRA: extra}), None


def _missing_column(X: pd.DataFrame, rng: np.random.Generator) -> Iterator[Form]:
    for name in X.columns:
        yield f"without {name!r}", X.drop(columns=name), None


def _float32_exact(s: pd.Series) -> bool:
    values = s.dropna().to_numpy(dtype=np.float64)
    return bool((values.astype(np.float32).astype(np.float64) == values).all())


def _retyped(s: pd.Series) -> Iterator[tuple[str, pd.Series]]:
    """Other dtypes carrying exactly the values of ``s``."""
    dtype = s.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        yield "category → object", s.astype(object)
    elif pd.api.types.is_bool_dtype(dtype):
        if dtype == np.bool_:
            yield "bool → boolean", s.astype("boolean")
        elif not s.hasnans:
            yield "boolean → bool", s.astype(bool)
    elif pd.api.types.is_integer_dtype(dtype):
        name = str(dtype)
        nullable = name.replace("uint", "UInt") if name.startswith("u") else name.capitalize()
        other = nullable if isinstance(dtype, np.dtype) else name.lower()
        if isinstance(dtype, np.dtype) or not s.hasnans:
            yield f"{name} → {other}", s.astype(other)  # type: ignore[call-overload]
    elif dtype == np.float64 and _float32_exact(s):
        yield "float64 → float32", s.astype(np.float32)
    elif isinstance(dtype, pd.DatetimeTZDtype):
        other = "UTC" if str(dtype.tz) != "UTC" else "Asia/Tokyo"
        yield f"{dtype} → {other}", s.dt.tz_convert(other)
        if dtype.unit == "ns" and (s.dropna().dt.nanosecond == 0).all():
            yield f"{dtype} → unit us", s.dt.as_unit("us")
    elif pd.api.types.is_datetime64_dtype(dtype):
        unit = np.datetime_data(np.dtype(dtype))[0]  # type: ignore[arg-type]
        if unit == "ns" and (s.dropna().dt.nanosecond == 0).all():
            yield "datetime64[ns] → datetime64[us]", s.dt.as_unit("us")
        elif unit != "ns":
            yield f"datetime64[{unit}] → datetime64[ns]", s.dt.as_unit("ns")


def _dtypes(X: pd.DataFrame, rng: np.random.Generator) -> Iterator[Form]:
    for name in X.columns:
        for label, column in _retyped(X[name]):
            yield f"{name!r}: {label}", X.assign(**{name: column}), None


def _is_text(s: pd.Series) -> bool:
    if pd.api.types.is_string_dtype(s.dtype) and not isinstance(s.dtype, pd.CategoricalDtype):
        return all(isinstance(v, str) for v in s.dropna())
    return False


def _strings(X: pd.DataFrame, rng: np.random.Generator) -> Iterator[Form]:
    import pyarrow as pa  # a pandas dependency

    for name in X.columns:
        s = X[name]
        if not _is_text(s):
            continue
        if s.dtype == object:
            yield f"{name!r}: object → str", X.assign(**{name: s.astype("str")}), None
            arrow = s.astype(pd.ArrowDtype(pa.string()))
            yield f"{name!r}: object → string[pyarrow]", X.assign(**{name: arrow}), None
        else:
            yield f"{name!r}: {s.dtype} → object", X.assign(**{name: s.astype(object)}), None
            if not isinstance(s.dtype, pd.ArrowDtype):
                arrow = s.astype(pd.ArrowDtype(pa.string()))
                yield f"{name!r}: {s.dtype} → string[pyarrow]", X.assign(**{name: arrow}), None


def _index(X: pd.DataFrame, rng: np.random.Generator) -> Iterator[Form]:
    if len(X) < 2:
        return
    order = rng.permutation(len(X))
    if (order == np.arange(len(X))).all():
        order = order[::-1].copy()
    yield "rows shuffled, index kept", X.iloc[order], order
    labelled = X.iloc[order].set_axis([f"row-{i}" for i in order])
    yield "rows shuffled, string index", labelled, order


_VARIANTS: dict[str, Callable[[pd.DataFrame, np.random.Generator], Iterator[Form]]] = {
    "column_order": _column_order,
    "extra_column": _extra_column,
    "missing_column": _missing_column,
    "dtypes": _dtypes,
    "strings": _strings,
    "index": _index,
}


def forms(variant: str, X: pd.DataFrame, seed: int = 0) -> list[Form]:
    """The frames of ``variant`` for ``X``: ``(label, frame, order)`` triples.

    >>> X = pd.DataFrame({"a": [1, 2], "b": [0.5, 1.5]})
    >>> [label for label, _, _ in forms("dtypes", X)]
    ["'a': int64 → Int64", "'b': float64 → float32"]
    >>> [label for label, _, _ in forms("missing_column", X)]
    ["without 'a'", "without 'b'"]
    """
    return list(_VARIANTS[variant](X, np.random.default_rng(seed)))


# ------------------------------------------------------------------------------------------
# values every form can carry exactly


def _representable(spec: PipelineSpec, X: pd.DataFrame) -> pd.DataFrame:
    """``X`` with floats moved to float32-exact values and timestamps to whole microseconds
    (inside the columns' bounds), so the float32 and ``us`` forms carry the same values.
    Returns ``X`` itself when the moved frame would break the contract."""
    out = X.copy()
    for name in X.columns:
        c = spec.info.canonical[name]
        s = X[name]
        if s.dtype == np.float64:
            f = s.to_numpy().astype(np.float32)
            up = np.nextafter(f, np.float32(np.inf))
            down = np.nextafter(f, np.float32(-np.inf))
            f = np.where(f.astype(np.float64) < c.lo, up, f)
            f = np.where(f.astype(np.float64) > c.hi, down, f)
            out[name] = f.astype(np.float64)
        elif pd.api.types.is_datetime64_any_dtype(s.dtype):
            out[name] = s.dt.floor("us")
    try:
        full = out.assign(**{spec.target: _any_target(spec, len(out))})
        spec.contract.validate(full[list(spec.info.canonical)])
    except Exception:
        return X
    return out


def _any_target(spec: PipelineSpec, n: int) -> pd.Series:
    return spec.contract.example(n, seed=0)[spec.target].to_numpy()


# ------------------------------------------------------------------------------------------
# comparing predictions


def _first_difference(a: np.ndarray, b: np.ndarray) -> int | None:
    if a.shape != b.shape:
        return 0
    same: np.ndarray
    if a.dtype.kind in "fc" or b.dtype.kind in "fc":
        try:
            same = np.isclose(
                a.astype(np.float64), b.astype(np.float64), rtol=RTOL, atol=0, equal_nan=True
            )
        except (TypeError, ValueError):
            same = np.asarray(a == b, dtype=bool)
    else:
        same = np.asarray(a == b) | (np.asarray(pd.isna(a)) & np.asarray(pd.isna(b)))
    if same.ndim > 1:
        same = np.asarray(same.all(axis=tuple(range(1, same.ndim))))
    bad = np.flatnonzero(~same)
    return int(bad[0]) if len(bad) else None


def _show(value: Any) -> str:
    return repr(value.item() if isinstance(value, np.generic) else value)


def _array(raw: Any) -> np.ndarray:
    return raw.to_numpy() if isinstance(raw, (pd.Series, pd.DataFrame)) else np.asarray(raw)


#: the training frame (features and target) and the frame predicted on
_Frames = tuple[pd.DataFrame, pd.DataFrame]
#: predictions, and probabilities when the pipeline has ``predict_proba``
Outputs = tuple[np.ndarray, "np.ndarray | None"]


def _predict(pipe: Any, X: pd.DataFrame) -> Outputs:
    pred = _array(pipe.predict(X.copy()))
    proba = _array(pipe.predict_proba(X.copy())) if hasattr(pipe, "predict_proba") else None
    return pred, proba


@dataclass
class _Tally:
    variant: str
    forms: int = 0
    raised: int = 0
    first_raised: str = ""
    failure: DriftRow | None = None
    case: DriftCase | None = None

    def row(self, spec: PipelineSpec) -> DriftRow:
        if self.failure is not None:
            if self.case is None:
                return self.failure
            text = f"[drift] {self.variant} ({self.failure.outcome}: {self.failure.detail})"
            source = drift_regression_test(spec, self.case, text)
            return DriftRow(self.variant, self.failure.outcome, self.failure.detail, source)
        if self.forms == 0:
            return DriftRow(self.variant, "n/a", "the contract has nothing to vary here")
        if self.raised:
            return DriftRow(
                self.variant,
                "raised",
                f"{self.raised} of {self.forms} forms refused ({self.first_raised})",
            )
        return DriftRow(self.variant, "held", f"{self.forms} forms, the same predictions")


def _try_form(
    tally: _Tally, pipe: Any, form: Form, baseline: Outputs, where: str, frames: _Frames
) -> None:
    label, frame, order = form
    train, new = frames
    floats = baseline[0].dtype.kind in "fc"
    tally.forms += 1
    try:
        pred, proba = _predict(pipe, frame)
    except Exception as exc:
        tally.raised += 1
        tally.first_raised = tally.first_raised or f"{label}: {error_text(exc)}"
        return
    if tally.failure is not None:
        return
    if tally.variant == "missing_column":
        tally.failure = DriftRow(
            tally.variant, "predicted", f"{label}: predicted without a declared feature {where}"
        )
        tally.case = DriftCase(label, train, new, frame, order, "predicted")
        return
    expected = baseline[0] if order is None else baseline[0][order]
    i = _first_difference(expected, pred)
    if i is not None:
        was = _show(expected[i]) if i < len(expected) else "-"
        now = _show(pred[i]) if i < len(pred) else "-"
        tally.failure = DriftRow(
            tally.variant, "changed", f"{label}: prediction[{i}] was {was}, is {now} {where}"
        )
        tally.case = DriftCase(label, train, new, frame, order, "changed", floats=floats)
        return
    if baseline[1] is not None and proba is not None:
        expected = baseline[1] if order is None else baseline[1][order]
        i = _first_difference(expected, proba)
        if i is not None:
            was = np.round(expected[i], 4).tolist() if i < len(expected) else "-"
            now = np.round(proba[i], 4).tolist() if i < len(proba) else "-"
            tally.failure = DriftRow(
                tally.variant,
                "changed",
                f"{label}: the same labels, but predict_proba row {i} was {was}, is {now} {where}",
            )
            tally.case = DriftCase(label, train, new, frame, order, "changed", proba=True)


# ------------------------------------------------------------------------------------------
# public API


def check_drift(
    make_pipeline: Callable[[], Any],
    contract: Any,
    *,
    target: str,
    variants: Iterable[str] = ALL_VARIANTS,
    max_examples: int = 2,
    rows: int = 50,
    predict_rows: int = 20,
    strict: bool = True,
) -> DriftReport:
    """Fit a fresh pipeline on a contract frame, then predict on forms of a fresh frame that
    carry the same values in another physical form; each must give the same predictions as
    the original frame or raise before predicting.

    ``variants`` (see :data:`ALL_VARIANTS`):

    ``column_order``
        the columns reversed and shuffled;
    ``extra_column``
        an undeclared column added, first and last;
    ``missing_column``
        each feature dropped in turn: here the pipeline **must** raise (predicting without a
        declared feature is reported as ``"predicted"``);
    ``dtypes``
        one column at a time: ``int64`` ↔ nullable ``Int64``, ``float64`` → ``float32``,
        ``bool`` ↔ ``boolean``, categories → plain strings (``object``), ``ns`` ↔ ``us``
        timestamps, a time zone converted (to UTC, or from UTC to another);
    ``strings``
        ``str`` (Arrow-backed) ↔ ``object`` and ``string[pyarrow]`` string columns;
    ``index``
        the rows shuffled, with their index labels and with a string index (predictions are
        compared row for row).

    Values are moved to float32-exact floats and whole microseconds first, so every form
    carries the same values. Each of ``max_examples`` examples fits on
    ``contract.example(rows, seed=i)`` (numpy: deterministic, no shrinking) and predicts on
    ``predict_rows`` fresh rows. With ``predict_proba``, the probabilities must not change
    either. Float predictions and probabilities may differ by :data:`RTOL` (relative).

    Returns a :class:`DriftReport`; unless ``strict=False``, raises :class:`DriftCheckFailed`
    (a :class:`PipelineCheckFailed` with check ``"drift"``) listing the failed variants.

    >>> from sklearn.compose import make_column_transformer
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import OneHotEncoder
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from hypo_contracts import data_contract, Category, Float64, Int64
    >>> @data_contract
    ... class Wine:
    ...     alcohol = Float64().bounded_between(8, 15)
    ...     color = Category(["red", "white"])
    ...     quality = Int64().bounded_between(3, 9)
    >>> def by_name():
    ...     features = make_column_transformer(("passthrough", ["alcohol"]),
    ...                                        (OneHotEncoder(), ["color"]))
    ...     return make_pipeline(features, DecisionTreeClassifier(random_state=0))
    >>> print(check_drift(by_name, Wine, target="quality"))  # doctest: +ELLIPSIS
    column_order    held       2 forms, the same predictions
    extra_column    held       4 forms, the same predictions
    missing_column  raised     4 of 4 forms refused (without 'alcohol': ValueError: columns ...)
    dtypes          held       4 forms, the same predictions
    strings         n/a        the contract has nothing to vary here
    index           held       4 forms, the same predictions
    """
    where = "check_drift()"
    spec = make_spec(where, make_pipeline, contract, target)
    chosen = _variants(where, variants)
    for name, value, low in (
        ("max_examples", max_examples, 1),
        ("rows", rows, 2),
        ("predict_rows", predict_rows, 1),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise InvalidArgument(f"{where}: {name}={value!r} must be a whole number >= {low}.")
    tallies = {name: _Tally(name) for name in chosen}
    with one_thread():
        for seed in range(max_examples):
            pipe, train, X_new = _fitted(spec, seed, rows, predict_rows)
            baseline = _predict_baseline(pipe, X_new)
            where_example = f"(example {seed}: fit on contract.example({rows}, seed={seed}))"
            for name in chosen:
                for form in forms(name, X_new, seed):
                    _try_form(tallies[name], pipe, form, baseline, where_example, (train, X_new))
    report = DriftReport(tuple(tallies[name].row(spec) for name in chosen))
    if strict and report.failed:
        raise DriftCheckFailed(report)
    return report


def _variants(where: str, variants: Iterable[str]) -> tuple[str, ...]:
    if isinstance(variants, str):
        raise InvalidArgument(f"{where}: variants={variants!r} must be a tuple of names.")
    chosen = tuple(variants)
    unknown = [v for v in chosen if v not in ALL_VARIANTS]
    if unknown or not chosen:
        raise InvalidArgument(
            f"{where}: unknown variant(s) {unknown!r}; choose from {', '.join(ALL_VARIANTS)}."
        )
    return chosen


def _fitted(
    spec: PipelineSpec, seed: int, rows: int, predict_rows: int
) -> tuple[Any, pd.DataFrame, pd.DataFrame]:
    """A pipeline fitted on ``contract.example(rows, seed=seed)``, that frame (features and
    target) and a fresh frame to predict on."""
    train = spec.contract.example(rows, seed=seed)
    train = train[train[spec.target].notna()]
    X, y = train[spec.features].reset_index(drop=True), train[spec.target].reset_index(drop=True)
    pipe = spec.make()
    try:
        pipe.fit(X, y)
    except Exception as exc:
        raise PipelineCheckFailed(
            "fit",
            f"fit(X, y) on {rows_text(len(X))} of contract.example({rows}, seed={seed}) "
            f"raised {error_text(exc)} (run check_pipeline first)",
        ) from exc
    new = spec.contract.example(predict_rows, seed=10_000 + seed)[spec.features]
    return pipe, pd.concat([X, y], axis=1), _representable(spec, new)


def _predict_baseline(pipe: Any, X: pd.DataFrame) -> Outputs:
    try:
        first = _predict(pipe, X)
        again = _predict(pipe, X)
    except Exception as exc:
        raise PipelineCheckFailed(
            "predict",
            f"predict on {rows_text(len(X))} in their contract form raised {error_text(exc)} "
            "(run check_pipeline first)",
        ) from exc
    if any(
        a is not None and b is not None and _first_difference(a, b) is not None
        for a, b in zip(first, again, strict=True)
    ):
        raise PipelineCheckFailed(
            "drift", "two predictions on the same frame differ: the pipeline is not deterministic"
        )
    return first
