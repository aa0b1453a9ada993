""":func:`check_pipeline` for pipelines whose input is several related tables.

``check_pipeline(make, (Customers, Orders), target="churned")``: Hypothesis draws related
tables with :func:`~hypo_contracts.tables` (every reference holds), the ``X`` given to
``fit`` and ``predict`` is the :class:`~hypo_contracts.Tables` mapping with the target column
left out of the target's table, ``y`` that column, and the predictions (one per row of the
target's table) are checked as for one frame: ``fit``/``predict`` do not raise, neither
changes the tables, one prediction per row, no missing one, each a value of the target
column, probabilities that hold, identical predictions after each round trip.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given, reject
from hypothesis import settings as Settings

from ..compiled import contract_info
from ..errors import InvalidArgument
from ..related import Tables, tables
from .checks import check_nan, check_proba, check_roundtrips, check_target, n_classes
from .spec import PipelineCheckFailed, PipelineSpec, Roundtrip, error_text, rows_text

__all__ = ["tables_checks", "tables_search", "target_table"]


def target_table(where: str, contracts: Any, target: Any) -> tuple[Any, str]:
    """The contract holding ``target`` (``"column"`` or ``"Contract.column"``) among
    ``contracts``, and the column's name."""
    infos = [(c, contract_info(c, where)) for c in contracts]
    if not infos:
        raise InvalidArgument(f"{where}: give at least one contract, e.g. (Customers, Orders).")
    if not isinstance(target, str):
        raise InvalidArgument(f"{where}: target={target!r} must be a column name.")
    table, _, column = target.rpartition(".")
    found = [
        (c, info) for c, info in infos if column in info.canonical and table in ("", info.name)
    ]
    names = ", ".join(info.name for _, info in infos)
    if not found:
        named = [info for _, info in infos if info.name == table]
        if named:
            raise InvalidArgument(
                f"{where}: target={target!r}: {table} has no column {column!r}; its columns "
                f"are: {', '.join(named[0].canonical)}."
            )
        raise InvalidArgument(f"{where}: target={target!r} is a column of none of {names}.")
    if len(found) > 1:
        options = " or ".join(f"target='{info.name}.{column}'" for _, info in found)
        raise InvalidArgument(
            f"{where}: target={target!r} is a column of several tables: {options}."
        )
    return found[0][0], column


def _without(t: Mapping[Any, pd.DataFrame], contract: Any, target: str) -> Tables:
    return Tables({c: df.drop(columns=[target]) if c is contract else df for c, df in t.items()})


def _copy(t: Mapping[Any, pd.DataFrame]) -> Tables:
    return Tables({c: df.copy(deep=True) for c, df in t.items()})


def _unchanged(step: str, before: Mapping[Any, pd.DataFrame], after: Mapping[Any, Any]) -> None:
    for c, df in before.items():
        try:
            pd.testing.assert_frame_equal(after[c], df, check_exact=True)
        except AssertionError as exc:
            name = contract_info(c, "check_pipeline()").name
            detail = " ".join(str(exc).split())
            raise PipelineCheckFailed(
                "mutation", f"{step} changed its input table {name}: {detail}"
            ) from None


def tables_checks(
    spec: PipelineSpec, train: Mapping[Any, pd.DataFrame], new: Mapping[Any, pd.DataFrame],
    trips: dict[str, Roundtrip],
) -> None:  # fmt: skip
    """Every check once: fit ``spec.make()`` on ``train`` (``spec.contract``: the target's
    table), predict on ``new`` (its target column, if any, left out)."""
    X = _without(train, spec.contract, spec.target)
    y = train[spec.contract][spec.target].reset_index(drop=True)
    X_new = _without(new, spec.contract, spec.target) if spec.target in new[spec.contract] else new
    n = len(X_new[spec.contract])
    before = _copy(X)
    pipe = spec.make()
    try:
        pipe.fit(X, y)
    except Exception as exc:
        if n_classes(y) < 2:
            reject()  # many classifiers cannot learn from one class: draw other tables
        raise PipelineCheckFailed(
            "fit", f"fit(X, y) on {rows_text(len(y))} of {spec.info.name} raised {error_text(exc)}"
        ) from exc
    _unchanged("fit", before, X)

    def call(method: str, model: Any, where: str) -> np.ndarray:
        given = _copy(X_new)
        try:
            out = getattr(model, method)(given)
        except Exception as exc:
            raise PipelineCheckFailed(
                "predict", f"{where}.{method}(X_new) on {rows_text(n)} raised {error_text(exc)}"
            ) from exc
        _unchanged(f"{where}.{method}", X_new, given)
        return out.to_numpy() if isinstance(out, (pd.Series, pd.DataFrame)) else np.asarray(out)

    pred = call("predict", pipe, "pipeline")
    if pred.shape != (n,):
        raise PipelineCheckFailed(
            "length",
            f"predict returned an array of shape {pred.shape} for {rows_text(n)} of "
            f"{spec.info.name}; expected ({n},), one prediction per row.",
        )
    check_nan(pred)
    check_target(spec.prediction, pred)
    proba = None
    if hasattr(pipe, "predict_proba"):
        proba = check_proba(pipe, call("predict_proba", pipe, "pipeline"), n)
    check_roundtrips(pipe, trips, call, pred, proba)


def tables_search(
    spec: PipelineSpec,
    trips: dict[str, Roundtrip],
    *,
    contracts: Any,
    rows: tuple[int, int],
    predict_rows: tuple[int, int],
    settings: Settings,
) -> None:
    """Run :func:`tables_checks` on related tables drawn by Hypothesis (``rows`` and
    ``predict_rows``: the target table's rows) and raise the simplest failure; the failing
    tables are in the Hypothesis notes."""
    train = tables(*contracts, rows={spec.contract: rows})
    new = tables(*contracts, rows={spec.contract: predict_rows})

    @settings
    @given(train=train, new=new)
    def pipeline_property(train: Tables, new: Tables) -> None:
        tables_checks(spec, train, new, trips)

    pipeline_property()
