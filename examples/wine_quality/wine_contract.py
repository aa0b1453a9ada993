"""The example project's data contract: the article's WineQuality, made realistic.

The built-in :class:`hypo_contracts.examples.WineQuality` is the article's contract verbatim:
most measurements are unbounded ``Float64`` columns. A real extract of the UCI wine quality
data has known ranges, a colour (red or white), and two sensors that sometimes report
nothing. ``WineSample`` extends WineQuality with all of that; ``pH``, ``alcohol`` and
``quality`` keep the article's bounds.
"""

from __future__ import annotations

from hypo_contracts import Category, Float64, data_contract
from hypo_contracts.examples import WineQuality

__all__ = ["CATEGORICAL", "COLORS", "FEATURES", "NUMERIC", "TARGET", "WineSample"]


@data_contract
class WineSample(WineQuality):
    """One wine per row: physico-chemical measurements, colour and quality score."""

    fixed_acidity = Float64().bounded_between(3.5, 16)
    volatile_acidity = Float64().bounded_between(0.05, 1.6)
    citric_acid = Float64().bounded_between(0, 1.7)
    residual_sugar = Float64().bounded_between(0.5, 66).is_optional()  # flaky refractometer
    chlorides = Float64().bounded_between(0.005, 0.65)
    free_sulfur_dioxide = Float64().bounded_between(0, 290)
    total_sulfur_dioxide = Float64().bounded_between(0, 440)
    density = Float64().bounded_between(0.98, 1.04)
    sulphates = Float64().bounded_between(0.2, 2).is_optional()  # not measured for every batch
    color = Category(["red", "white"])


TARGET = "quality"
COLORS: list[str] = list(WineSample.columns["color"].values)
CATEGORICAL = ["color"]
FEATURES = [name for name in WineSample.columns if name != TARGET]
NUMERIC = [name for name in FEATURES if name not in CATEGORICAL]
