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

from . import _profiles  # noqa: F401  (registers the hypo-ci / hypo-thorough settings profiles)
from .contract import Contract, data_contract
from .declaration import (
    Bool,
    Category,
    Column,
    Date,
    Decimal,
    Float32,
    Float64,
    Int8,
    Int16,
    Int32,
    Int64,
    String,
    Timedelta,
    Timestamp,
    UInt8,
    UInt16,
    UInt32,
    UInt64,
)
from .errors import ContractError, ContractViolation, GenerationError, InvalidArgument

# contracts from other formats (hypo_contracts.formats, docs/interop.md)
from .formats import (
    from_frictionless,
    from_mlflow_signature,
    from_odcs,
    from_pandera,
    infer,
    to_odcs,
)
from .patterns import features_for, planted, with_values
from .shrinking import NothingToShrink, ShrinkResult, shrink
from .strategies import frames, records

# related tables (issue 13)
# isort: split
from .related import Tables, example_tables, tables, validate_tables
from .shrink_tables import TablesShrinkResult

__version__ = "0.1.0"

__all__ = [
    "Bool",
    "Category",
    "Column",
    "Contract",
    "ContractError",
    "ContractViolation",
    "Date",
    "Decimal",
    "Float32",
    "Float64",
    "GenerationError",
    "Int8",
    "Int16",
    "Int32",
    "Int64",
    "InvalidArgument",
    "NothingToShrink",
    "ShrinkResult",
    "String",
    "Timedelta",
    "Timestamp",
    "UInt8",
    "UInt16",
    "UInt32",
    "UInt64",
    "data_contract",
    "features_for",
    "frames",
    "from_frictionless",
    "from_mlflow_signature",
    "from_odcs",
    "from_pandera",
    "infer",
    "planted",
    "records",
    "shrink",
    "to_odcs",
    "with_values",
]

# related tables (issue 13)
__all__ += ["Tables", "TablesShrinkResult", "example_tables", "tables", "validate_tables"]
