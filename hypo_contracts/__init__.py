"""hypo_contracts: declarative data contracts that compile into Hypothesis strategies.

>>> from hypo_contracts import data_contract, Float64, Int64
>>> @data_contract
... class WineQuality:
...     pH = Float64().bounded_between(0, 14)
...     quality = Int64().bounded_between(0, 10)
>>> df = WineQuality.example(100, seed=0)
>>> WineQuality.validate(df) is df
True
"""

from .declaration import (
    Bool,
    Category,
    Column,
    Contract,
    Date,
    Float32,
    Float64,
    Int8,
    Int16,
    Int32,
    Int64,
    String,
    Timestamp,
    UInt8,
    UInt16,
    UInt32,
    UInt64,
    data_contract,
)
from .errors import ContractError, ContractViolation
from .strategies import frames, records

__version__ = "0.1.0"

__all__ = [
    "Bool",
    "Category",
    "Column",
    "Contract",
    "ContractError",
    "ContractViolation",
    "Date",
    "Float32",
    "Float64",
    "Int8",
    "Int16",
    "Int32",
    "Int64",
    "String",
    "Timestamp",
    "UInt8",
    "UInt16",
    "UInt32",
    "UInt64",
    "data_contract",
    "frames",
    "records",
]
