"""Contracts from where they already live, and back (docs/interop.md).

Readers: :func:`from_pandera` (a pandera schema, model or YAML/JSON file), :func:`from_odcs`
(an Open Data Contract Standard v3 document), :func:`from_frictionless` (a Frictionless Table
Schema), :func:`from_mlflow_signature` (the input schema of a logged MLflow model) and
:func:`infer` (a data frame). Writers are methods of every contract: ``C.to_source()``,
``C.to_odcs()`` and ``C.to_pandera()``. The same names are exported by ``hypo_contracts``.
:mod:`hypo_contracts.formats.commands` runs ``hypo-contracts infer``, ``generate`` and
``validate``; :mod:`hypo_contracts.formats.build` holds what the readers share.

>>> import pandas as pd
>>> from hypo_contracts.formats import infer
>>> infer(pd.DataFrame({"n": [3, 1, 2]})).n
Int64().bounded_between(1, 3).is_unique()
"""

from .frictionless import from_frictionless
from .infer import infer
from .mlflow_sig import from_mlflow_signature
from .odcs import from_odcs, to_odcs
from .pandera_in import from_pandera

__all__ = [
    "from_frictionless",
    "from_mlflow_signature",
    "from_odcs",
    "from_pandera",
    "infer",
    "to_odcs",
]
