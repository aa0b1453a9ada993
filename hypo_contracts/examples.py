"""Built-in example contracts: the article's WineQuality, and Customers with their Orders
(two related tables, see docs/tables.md).

>>> from hypo_contracts.examples import Orders, WineQuality
>>> list(WineQuality.columns)[-3:]
['sulphates', 'alcohol', 'quality']
>>> [ref.text for ref in Orders.__contract__.references]
['Orders.customer_id -> Customers.customer_id']
"""

from __future__ import annotations

from .contract import Contract, data_contract
from .declaration import Category, Float64, Int64

__all__ = ["Customers", "Orders", "WineQuality"]


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


@data_contract
class Customers:
    """Customers, each with a unique id and a segment."""

    customer_id = Int64().lower_bound(1).is_unique()
    segment = Category(["retail", "business"])


@data_contract
class Orders:
    """Orders, each placed by one of the :class:`Customers`."""

    order_id = Int64().lower_bound(1).is_unique()
    customer_id = Int64().references(Customers, "customer_id")
    amount = Float64().bounded_between(0, 10_000)
