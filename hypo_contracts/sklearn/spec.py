"""What one run of the pipeline checks is about: the error they raise, the names of the checks
and round trips, and the validated arguments (:class:`PipelineSpec`).

The lowest module of :mod:`hypo_contracts.sklearn`: it imports none of its siblings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..compiled import ContractInfo, contract_info
from ..constraints import Canonical, canonicalise
from ..declaration import Column
from ..errors import InvalidArgument
from ..table_graph import Tables

__all__ = [
    "CHECKS",
    "ROUNDTRIPS",
    "PipelineCheckFailed",
    "PipelineSpec",
    "Roundtrip",
    "SingleClassFitFailed",
    "decorated_test",
    "error_text",
    "factory_of",
    "fixtures_of",
    "make_spec",
    "mark_factory",
    "rows_text",
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
    "drift",
    "feature_use",
)

#: Store a fitted pipeline and load it back.
Roundtrip = Callable[[Any], Any]


class PipelineCheckFailed(AssertionError):
    """A pipeline failed one of :data:`CHECKS`.

    ``check`` names the check, ``detail`` says what went wrong. When raised by
    :func:`check_pipeline`, ``train`` and ``new`` are the minimal failing frames (the training
    frame with its target, and the frame predicted on; with several tables, two
    :class:`~hypo_contracts.Tables`) and ``regression_test`` is the source of a pytest test
    that replays them.

    >>> err = PipelineCheckFailed("length", "predict returned 3 predictions for 5 rows")
    >>> print(err)
    [length] predict returned 3 predictions for 5 rows
    >>> isinstance(err, AssertionError), err.check
    (True, 'length')
    """

    __module__ = "hypo_contracts.sklearn"  # where users import it from

    def __init__(self, check: str, detail: str) -> None:
        super().__init__(f"[{check}] {detail}")
        self.check = check
        self.detail = detail
        self.train: pd.DataFrame | Tables | None = None
        self.new: pd.DataFrame | Tables | None = None
        self._regression_test: str | Callable[[], str] | None = None

    @property
    def regression_test(self) -> str | None:
        """The source of a pytest test replaying :attr:`train` and :attr:`new` (or None)."""
        if callable(self._regression_test):
            self._regression_test = self._regression_test()
        return self._regression_test

    @regression_test.setter
    def regression_test(self, source: str | None) -> None:
        self._regression_test = source

    def attach(
        self,
        train: pd.DataFrame | Tables,
        new: pd.DataFrame | Tables,
        regression_test: Callable[[], str],
    ) -> None:
        """Record the failing frames, and how to write the regression test when it is read.

        >>> import pandas as pd
        >>> err = PipelineCheckFailed("nan", "1 missing prediction(s)")
        >>> train, new = pd.DataFrame({"x": [1]}), pd.DataFrame({"x": [2]})
        >>> err.attach(train, new, lambda: "def test(): ...")
        >>> err.new.x.tolist(), err.regression_test
        ([2], 'def test(): ...')
        """
        self.train, self.new = train, new
        self._regression_test = regression_test


class SingleClassFitFailed(PipelineCheckFailed):
    """``fit`` raised on a training frame whose target holds a single class (check ``"fit"``).

    Many classifiers cannot learn from one class, so :func:`check_pipeline` draws other frames
    instead, and reports this only when the contract or the row counts leave no other kind.
    """

    __module__ = "hypo_contracts.sklearn"


def rows_text(n: int) -> str:
    """``"1 row"``, ``"5 rows"``.

    >>> rows_text(1), rows_text(0)
    ('1 row', '0 rows')
    """
    return f"{n} row" if n == 1 else f"{n} rows"


def error_text(exc: BaseException) -> str:
    """The exception's type and the first line of its message.

    >>> error_text(ValueError("bad input\\nmore detail"))
    'ValueError: bad input'
    >>> error_text(KeyError())
    'KeyError'
    """
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}".rstrip(": ")


# ------------------------------------------------------------------------------------------
# pipeline factories made by @pipeline_test carry the test they belong to

_TEST = "_hypo_contracts_test"
_FIXTURES = "_hypo_contracts_fixtures"


def mark_factory(
    make: Callable[[], Any], test: Callable[..., Any], fixtures: tuple[str, ...]
) -> None:
    """Record on ``make`` (a factory built by ``@pipeline_test``) the decorated ``test`` and
    the names of the pytest fixtures it receives; see :func:`factory_of`."""
    setattr(make, _TEST, test)
    setattr(make, _FIXTURES, fixtures)


def factory_of(make: Any) -> Any:
    """The ``@pipeline_test`` test that ``make`` was built for, else ``make`` itself.

    >>> def make(): ...
    >>> factory_of(make) is make
    True
    >>> def test_it(): ...
    >>> mark_factory(make, test_it, ("depth",))
    >>> factory_of(make) is test_it, fixtures_of(make)
    (True, ('depth',))
    """
    return getattr(make, _TEST, make)


def fixtures_of(make: Any) -> tuple[str, ...]:
    """The fixture names recorded by :func:`mark_factory` (none for a plain factory)."""
    return tuple(getattr(make, _FIXTURES, ()))


def decorated_test(obj: Any) -> Any | None:
    """The ``@pipeline_test`` test behind ``obj``, or None for a plain factory."""
    return getattr(obj, _TEST, None)


# ------------------------------------------------------------------------------------------
# the specification of one check run


@dataclass(frozen=True)
class PipelineSpec:
    """The validated arguments of one check run (see :func:`make_spec`)."""

    make: Callable[[], Any]
    info: ContractInfo
    contract: Any
    target: str
    features: list[str]
    prediction: Canonical
    prediction_column: Column | None
    roundtrip: tuple[str, ...]
    trusted: frozenset[str]


def make_spec(
    where: str,
    make_pipeline: Any,
    contract: Any,
    target: Any,
    roundtrip: Any = ("joblib",),
    trusted: Any = (),
    predictions: Any = None,
) -> PipelineSpec:
    """Check the arguments common to every entry point (``where`` names it in errors).

    >>> from hypo_contracts import data_contract, Float64, Int64
    >>> @data_contract
    ... class Wine:
    ...     alcohol = Float64()
    ...     quality = Int64()
    >>> make_spec("f()", dict, Wine, "quality").features
    ['alcohol']
    >>> make_spec("f()", dict, Wine, "colour")
    Traceback (most recent call last):
    ...
    hypo_contracts.errors.InvalidArgument: f(): target='colour' is not a column of Wine. ...
    """
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
    return PipelineSpec(
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
