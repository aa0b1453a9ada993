"""A kind's shrinking and sklearn hooks (asked by ``shrink_models``, ``sklearn``): a
cell's simpler values, target checks and feature-use probes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

from ..shrink_steps import Attempt, shrink_int

if TYPE_CHECKING:  # Canonical sits above the kinds (it asks them for its dtype and simplest)
    from ..constraints import Canonical

from .hooks_rules import RuleHooks


class ShrinkHooks(RuleHooks):
    """The hooks of shrinking and sklearn (shrink_models, sklearn); defaults for every kind."""

    # -- shrinking and sklearn (shrink_models, sklearn) --

    numeric_target: ClassVar[bool] = False
    """sklearn: predictions for a target of this kind are numbers (int, float): bool
    predictions count as 0/1, and ``check_target`` names non-numbers, fractions
    (:attr:`whole_target`) or infinities, then the bounds."""
    whole_target: ClassVar[bool] = False
    """sklearn: a numeric target of this kind holds whole numbers only (int)."""
    threshold_probe: ClassVar[bool] = False
    """sklearn: ``check_feature_use`` probes a feature of this kind with ``feature >
    threshold`` (:meth:`probe_threshold`), which a unique column can carry too; other kinds
    with ``feature == value``. (Ordered kinds with a median: int, float, timestamp, date.)"""
    probe_values: ClassVar[tuple[Any, Any] | None] = None
    """sklearn: the kind's two values when it has just two (bool: ``(False, True)``):
    ``check_feature_use`` probes a feature with ``feature == True`` and answers a target
    with them; None: the values drawn decide."""

    def shrink_step_ns(self, c: Canonical, unit_ns: int) -> int:
        """The finest step, in nanoseconds, by which :meth:`shrink_value` moves a value of a
        column whose dtype's unit is ``unit_ns`` (time kinds; 1 for the others)."""
        return 1

    def shrink_distinct(self, c: Canonical, n: int) -> list[Any]:
        """Up to ``n`` distinct raw values, simplest first, that a unique column tries before
        :func:`hypo_contracts._bulk.enumerate_simplest`'s (none here)."""
        return []

    def shrink_value(
        self, c: Canonical, value: Any, simplest: Any, dtype: Any, attempt: Attempt, step_ns: int
    ) -> None:
        """Shrink one non-null cell ``value`` of a column without accepted values (not
        already ``simplest``, the pandas scalar of the raw simplest value) in a column of
        ``dtype``: call ``attempt(candidate)`` from the simplest candidate upwards, with the
        searches of :mod:`hypo_contracts.shrink_steps`; here whole numbers by binary search."""
        shrink_int(int(value), int(simplest), attempt)

    def target_label(self, c: Canonical, v: Any) -> Any:
        """A prediction for a target of this kind as the value :meth:`cast` judges (bool
        predictions of a numeric target as 0/1, as the target check always accepted them)."""
        return int(v) if self.numeric_target and isinstance(v, (bool, np.bool_)) else v

    def target_failure(self, c: Canonical, shown: str) -> str | None:
        """``check_target``'s message for the predictions ``shown`` that break a target of
        this kind, or None for the general one (the bounds, or the first problem)."""
        return None

    def probe_threshold(self, c: Canonical, sample: pd.Series) -> tuple[Any, str]:
        """The threshold of a :attr:`threshold_probe` (the median of a non-null ``sample``)
        and how the rule shows it."""
        threshold = sample.median()
        return threshold, str(threshold)
