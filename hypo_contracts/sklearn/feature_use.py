"""Feature use: does the pipeline see every declared feature? (:func:`check_feature_use`)

A ``ColumnTransformer`` that forgets a column, a step that scrambles or flattens one, a
rename that turns a feature into an empty one: the pipeline still fits and predicts, so every
plumbing check passes, and the feature is silently ignored. Here each feature in turn carries
the only signal: the target is a simple rule of that feature (a threshold for numbers and
timestamps, one value for categories, strings and booleans) while every other column holds
one value, and the pipeline must predict the rule on fresh rows clearly better than chance.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InvalidArgument
from ..kinds import kind_of
from ..patterns import with_values
from .checks import one_thread
from .spec import PipelineCheckFailed, PipelineSpec, error_text, make_spec
from .tables import RowReport

__all__ = ["FeatureUse", "FeatureUseFailed", "FeatureUseReport", "check_feature_use"]

#: The balanced accuracy a used feature's rule must reach (chance is 0.5).
USED_SCORE = 0.75


@dataclass(frozen=True)
class FeatureUse:
    """How well the pipeline learned the rule of one feature: ``score`` is the balanced
    accuracy on fresh rows (0.5 is chance, 1.0 every row right); ``None`` when the contract
    leaves nothing to learn (a single value, unique labels, or a rule that holds on every row
    drawn or on none)."""

    feature: str
    rule: str
    score: float | None

    @property
    def used(self) -> bool:
        return self.score is None or self.score >= USED_SCORE


@dataclass(frozen=True)
class FeatureUseReport(RowReport[FeatureUse]):
    """One :class:`FeatureUse` per feature checked by :func:`check_feature_use`.

    >>> report = FeatureUseReport((FeatureUse("alcohol", "alcohol > 11.5", 1.0),
    ...                            FeatureUse("sugar", "sugar > 20.0", 0.5)))
    >>> [row.feature for row in report.unused]
    ['sugar']
    >>> print(report)
    alcohol  used    1.00  alcohol > 11.5
    sugar    UNUSED  0.50  sugar > 20.0

    Printed by ``rich`` on a terminal it is a table (:meth:`to_table`); ``str()`` stays
    the plain text above, for pytest failure messages, logs and files.
    """

    title = "check_feature_use"
    headers = ("feature", "used", "score", "rule")
    frame_columns = ("feature", "rule", "score", "used")
    line = "{0:<{w}}  {1:<6}  {2:>4}  {3}"

    def cells(self, row: FeatureUse) -> tuple[str, ...]:
        score = "-" if row.score is None else f"{row.score:.2f}"
        return (row.feature, "used" if row.used else "UNUSED", score, row.rule)

    def fields(self, row: FeatureUse) -> tuple[Any, ...]:
        return (row.feature, row.rule, row.score, row.used)

    def passed(self, row: FeatureUse) -> bool:
        return row.used

    @property
    def unused(self) -> tuple[FeatureUse, ...]:
        """The features the pipeline does not learn from."""
        return self.bad_rows()


class FeatureUseFailed(PipelineCheckFailed):
    """:func:`check_feature_use` found features the pipeline does not learn from (check
    ``"feature_use"``); ``report`` is the whole :class:`FeatureUseReport`."""

    __module__ = "hypo_contracts.sklearn"

    def __init__(self, report: FeatureUseReport) -> None:
        unused = ", ".join(
            f"{r.feature!r} (rule {r.rule}: balanced accuracy {r.score:.2f})" for r in report.unused
        )
        super().__init__(
            "feature_use",
            f"the pipeline does not learn from {unused}: a dropped, scrambled or "
            "destroyed feature?",
        )
        self.report = report


# ------------------------------------------------------------------------------------------
# rules


@dataclass(frozen=True)
class _Rule:
    text: str
    holds: Callable[[pd.Series], np.ndarray]
    draw: Callable[[int, int], list[Any]]  # (rows, seed) -> feature values


def _rule(spec: PipelineSpec, feature: str, rows: int, seed: int) -> _Rule | None:
    """The rule for ``feature``, or None when the contract lets it hold one value only (or,
    for a unique column of labels, no repeated value)."""
    sample = spec.contract.example(max(rows, 50), seed=seed)[feature].dropna()
    distinct = pd.unique(sample)
    if len(distinct) < 2:
        return None
    c = spec.info.canonical[feature]
    kind = kind_of(c)
    if c.unique and not kind.threshold_probe:
        return None  # a unique column cannot repeat the rule's value
    if kind.threshold_probe and len(distinct) > 2:
        threshold, shown = kind.probe_threshold(c, sample)

        def draw_number(n: int, s: int) -> list[Any]:
            values = spec.contract.example(n, seed=s)[feature]
            return list(values.where(values.notna(), threshold))

        return _Rule(
            f"{feature} > {shown}",
            lambda v: np.asarray(v > threshold, dtype=bool),
            draw_number,
        )
    chosen = distinct[0] if kind.probe_values is None else kind.probe_values[1]
    others = [v for v in distinct if v != chosen][:3]

    def draw_value(n: int, s: int) -> list[Any]:
        rng = np.random.default_rng(s)
        picks = rng.integers(0, 2 * len(others), size=n)
        return [chosen if p < len(others) else others[p % len(others)] for p in picks]

    shown = repr(chosen.item() if isinstance(chosen, np.generic) else chosen)
    return _Rule(
        f"{feature} == {shown}",
        lambda v: np.asarray(v == chosen, dtype=bool),
        draw_value,
    )


def _labels(spec: PipelineSpec) -> tuple[Any, Any]:
    """Two values the target admits: the rule's ``False`` and ``True`` answers."""
    c = spec.info.canonical[spec.target]
    pair = kind_of(c).probe_values
    if pair is not None:
        return pair
    sample = spec.contract.example(200, seed=0)[spec.target].dropna()
    distinct = list(pd.unique(sample))
    if c.values is not None:
        distinct = [v for v in c.values if v in set(distinct)] or distinct
    else:
        distinct = sorted(distinct)
    if len(distinct) < 2:
        raise InvalidArgument(
            f"check_feature_use(): {c.where} admits a single value: no rule can be learned."
        )
    return distinct[0], distinct[-1]


def _answers(pred: np.ndarray, labels: tuple[Any, Any]) -> np.ndarray:
    """Which predictions are the rule's ``True`` label (the nearer one, for numbers)."""
    low, high = labels
    if isinstance(low, (int, float, np.number)) and not isinstance(low, (bool, np.bool_)):
        try:
            numbers = pred.astype(np.float64)
            return np.asarray(np.abs(numbers - high) < np.abs(numbers - low), dtype=bool)
        except (TypeError, ValueError):
            pass
    return np.asarray([p == high for p in pred.tolist()], dtype=bool)


def _balanced_accuracy(truth: np.ndarray, answer: np.ndarray) -> float:
    recalls = [float((answer[truth == side] == side).mean()) for side in (False, True)]
    return float(np.mean(recalls))


def _frame(
    spec: PipelineSpec, feature: str, values: list[Any], labels: list[Any], seed: int
) -> pd.DataFrame:
    pins = {feature: values, spec.target: labels}
    return with_values(spec.contract, pins).example(seed=seed)


def _score(spec: PipelineSpec, feature: str, rule: _Rule, rows: int, seed: int) -> float | None:
    low, high = labels = _labels(spec)
    sides: list[np.ndarray] = []
    frames: list[pd.DataFrame] = []
    for part in (0, 1):  # training rows, then fresh rows (other columns: the same constants)
        values = rule.draw(rows, seed + 1000 * part + 1)
        truth = rule.holds(pd.Series(values))
        frames.append(_frame(spec, feature, values, [high if t else low for t in truth], seed))
        sides.append(truth)
    if sides[0].all() or not sides[0].any() or sides[1].all() or not sides[1].any():
        return None  # the draw left one side empty: nothing to learn or score (contract too narrow)
    train, new = frames
    pipe = spec.make()
    try:
        pipe.fit(train[spec.features], train[spec.target])
        pred = pipe.predict(new[spec.features])
    except Exception as exc:
        raise PipelineCheckFailed(
            "feature_use",
            f"training on the rule {rule.text} raised {error_text(exc)} (run check_pipeline first)",
        ) from exc
    pred = pred.to_numpy() if isinstance(pred, (pd.Series, pd.DataFrame)) else np.asarray(pred)
    return _balanced_accuracy(sides[1], _answers(pred, labels))


# ------------------------------------------------------------------------------------------
# public API


def check_feature_use(
    make_pipeline: Callable[[], Any],
    contract: Any,
    *,
    target: str,
    features: Iterable[str] | None = None,
    rows: int = 200,
    seed: int = 0,
    strict: bool = True,
) -> FeatureUseReport:
    """For each feature (all of the contract's but ``target``, or ``features``), train a fresh
    pipeline on ``rows`` rows where the target is a simple rule of that feature alone and
    every other column holds one value (:func:`hypo_contracts.with_values`), then predict on
    ``rows`` fresh rows: the balanced accuracy must reach :data:`USED_SCORE` (0.5 is chance).

    Rules: ``feature > median`` for numbers, timestamps and dates; ``feature == value`` for
    categories, strings and booleans (``True``), the value on about half the rows. The two
    answers are two values the target admits (``False``/``True``, its first and last
    category, its smallest and largest value; for a regressor the nearer one counts).

    Returns a :class:`FeatureUseReport`; unless ``strict=False``, raises
    :class:`FeatureUseFailed` (a :class:`PipelineCheckFailed` with check ``"feature_use"``)
    naming the features the pipeline does not learn from.

    >>> from sklearn.compose import make_column_transformer
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import OneHotEncoder
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from hypo_contracts import data_contract, Category, Float64, Int64
    >>> @data_contract
    ... class Wine:
    ...     alcohol = Float64().bounded_between(8, 15)
    ...     sugar = Float64().bounded_between(0, 50)
    ...     color = Category(["red", "white"])
    ...     quality = Int64().bounded_between(3, 9)
    >>> def forgets_sugar():
    ...     features = make_column_transformer(("passthrough", ["alcohol"]),
    ...                                        (OneHotEncoder(), ["color"]))
    ...     return make_pipeline(features, DecisionTreeClassifier(random_state=0))
    >>> report = check_feature_use(forgets_sugar, Wine, target="quality", strict=False)
    >>> [row.feature for row in report.unused]
    ['sugar']
    >>> print(report)  # doctest: +ELLIPSIS
    alcohol  used    ...  alcohol > 11...
    sugar    UNUSED  0.50  sugar > 2...
    color    used    1.00  color == 'red'
    """
    where = "check_feature_use()"
    spec = make_spec(where, make_pipeline, contract, target)
    chosen = spec.features if features is None else _features(where, spec, features)
    if isinstance(rows, bool) or not isinstance(rows, int) or rows < 10:
        raise InvalidArgument(f"{where}: rows={rows!r} must be a whole number >= 10.")
    _labels(spec)
    out: list[FeatureUse] = []
    with one_thread():
        for i, feature in enumerate(chosen):
            rule = _rule(spec, feature, rows, seed + i)
            if rule is None:
                out.append(FeatureUse(feature, "(no rule: one value, or unique labels)", None))
                continue
            out.append(FeatureUse(feature, rule.text, _score(spec, feature, rule, rows, seed + i)))
    report = FeatureUseReport(tuple(out))
    if strict and report.unused:
        raise FeatureUseFailed(report)
    return report


def _features(where: str, spec: PipelineSpec, features: Iterable[str]) -> list[str]:
    if isinstance(features, str):
        raise InvalidArgument(f"{where}: features={features!r} must be a list of names.")
    chosen = list(features)
    unknown = [f for f in chosen if f not in spec.features]
    if unknown or not chosen:
        raise InvalidArgument(
            f"{where}: features={chosen!r}: choose among {', '.join(spec.features)}."
        )
    return chosen
