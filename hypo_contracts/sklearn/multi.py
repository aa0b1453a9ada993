""":func:`check_pipeline` for pipelines whose input is several related tables.

``check_pipeline(make, (Customers, Orders), target="churned")``: Hypothesis draws related
tables with :func:`~hypo_contracts.tables` (every reference holds), the ``X`` given to
``fit`` and ``predict`` is the :class:`~hypo_contracts.Tables` mapping with the target column
left out of the target's table, ``y`` that column, and the predictions (one per row of the
target's table) are checked as for one frame: ``fit``/``predict`` do not raise, neither
changes the tables, one prediction per row, no missing one, each a value of the target
column, probabilities that hold, identical predictions after each round trip.

A failure carries its minimal tables and a pytest regression test, as for one frame: the
test rebuilds both :class:`~hypo_contracts.Tables` as literals and replays them through
``check_pipeline_on(make, (Customers, Orders), train, new, target=...)``, which takes them
as mappings contract -> frame (:func:`tables_argument`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given, note, reject
from hypothesis import settings as Settings

from ..compiled import contract_info
from ..errors import InvalidArgument
from ..related import Tables, tables
from ..strategies import note_when_reported
from ..table_graph import table_order
from .checks import (
    as_predictions,
    check_nan,
    check_proba,
    check_roundtrips,
    check_target,
    is_regressor,
    n_classes,
)
from .report import frames_note, regression_test, snippet_note
from .spec import (
    PipelineCheckFailed,
    PipelineSpec,
    Roundtrip,
    SingleClassFitFailed,
    error_text,
    rows_text,
)

__all__ = ["tables_argument", "tables_checks", "tables_search", "target_table"]


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


def tables_argument(where: str, name: str, value: Any, contracts: Any) -> Tables:
    """``value``, a mapping contract (or contract name) -> DataFrame holding one table per
    contract of ``contracts`` and of every contract they reference, as :class:`Tables` in
    the order :func:`~hypo_contracts.tables` draws them (parents first); ``name`` is the
    argument's name in errors."""
    if not isinstance(value, Mapping):
        raise InvalidArgument(
            f"{where}: {name} must be a mapping contract -> frame such as "
            f"{{Customers: customers_df, Orders: orders_df}}, not a {type(value).__name__}."
        )
    given = {k if isinstance(k, str) else contract_info(k, where).name: k for k in value}
    ordered = table_order(contracts, where.partition("(")[0])
    names = ", ".join(info.name for _, info in ordered)
    out: dict[Any, pd.DataFrame] = {}
    for contract, info in ordered:
        if info.name not in given:
            raise InvalidArgument(f"{where}: {name} has no table {info.name}; give {names}.")
        frame = value[given.pop(info.name)]
        if not isinstance(frame, pd.DataFrame):
            raise InvalidArgument(
                f"{where}: {name}[{info.name}] must be a pandas DataFrame, not a "
                f"{type(frame).__name__}."
            )
        out[contract] = frame
    if given:
        raise InvalidArgument(
            f"{where}: {name} has a table {', '.join(given)} that is none of {names}."
        )
    return Tables(out)


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
        single = n_classes(y) < 2  # many classifiers cannot learn from one class
        hint = " (the target holds a single class)" if single else ""
        detail = f"fit(X, y) on {rows_text(len(y))} of {spec.info.name}{hint} raised"
        failed = SingleClassFitFailed if single else PipelineCheckFailed
        raise failed("fit", f"{detail} {error_text(exc)}") from exc
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

    pred = as_predictions(call("predict", pipe, "pipeline"), n, "predict", f" of {spec.info.name}")
    check_nan(pred)
    check_target(spec.prediction, pred, regressor=is_regressor(pipe))
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
    ``predict_rows``: the target table's rows) and raise the simplest failure, with its
    tables (those predicted on without the target column), its regression test and notes
    showing both."""
    train = tables(*contracts, rows={spec.contract: rows})
    new = tables(*contracts, rows={spec.contract: predict_rows})

    @settings
    @given(train=train, new=new)
    def pipeline_property(train: Tables, new: Tables) -> None:
        try:
            tables_checks(spec, train, new, trips)
        except SingleClassFitFailed:
            reject()  # draw other tables
        except PipelineCheckFailed as exc:
            # as run_search: Hypothesis raises the minimal example's error, replayed last
            failure, shown = exc, _without(new, spec.contract, spec.target)
            failure.attach(
                train, shown, lambda: regression_test(spec, train, shown, failure, contracts)
            )
            note(f"check failed: {failure.check}")
            note_when_reported(lambda: frames_note(train, shown))
            note_when_reported(lambda: snippet_note(failure))
            raise

    pipeline_property()
