"""Built-in example contracts, starting with the article's WineQuality.

>>> from hypo_contracts.examples import WineQuality
>>> list(WineQuality.columns)[-3:]
['sulphates', 'alcohol', 'quality']
"""

from __future__ import annotations

from .contract import Contract, data_contract
from .declaration import Float64, Int64

__all__ = ["WineQuality"]


@data_contract()
class WineQuality(Contract):
    """Physico-chemical measurements of a wine and its quality score (the UCI wine quality
    data set), as declared in "Smoke Testing for ML Pipelines"."""

    fixed_acidity = Float64()
    volatile_acidity = Float64()
    citric_acid = Float64()
    residual_sugar = Float64()
    chlorides = Float64()
    free_sulfur_dioxide = Float64()
    total_sulfur_dioxide = Float64()
    density = Float64()
    pH = Float64().bounded_between(0, 14)
    sulphates = Float64()
    alcohol = Float64().bounded_between(0, 20)
    quality = Int64().bounded_between(0, 10)
