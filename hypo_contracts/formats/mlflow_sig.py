"""Contracts from MLflow model signatures: :func:`from_mlflow_signature`.

The input schema of a logged model (its column names, types and which are optional) as a
contract, so a pipeline's inputs can be generated from what MLflow recorded at training
time. Types: ``boolean`` (``Bool``), ``integer`` (``Int32``), ``long`` (``Int64``),
``float`` (``Float32``), ``double`` (``Float64``), ``string``, ``datetime`` (naive
``Timestamp``). A signature carries no bounds, so neither does the contract; tensor
signatures, unnamed columns, ``binary`` and nested (array, object, map) types are an error.

>>> import pandas as pd
>>> from mlflow.models import infer_signature
>>> signature = infer_signature(pd.DataFrame({"name": ["Ann", "Bo"], "score": [0.5, None]}))
>>> Inputs = from_mlflow_signature(signature)
>>> Inputs.name, Inputs.score
(String(), Float64().is_optional())
"""

from __future__ import annotations

from typing import Any

from .. import declaration as d
from ..contract import Contract
from ..errors import ContractError
from .build import Unsupported, Untranslatable, build_contract

__all__ = ["from_mlflow_signature"]

_TYPES: dict[str, Any] = {
    "boolean": d.Bool,
    "integer": d.Int32,
    "long": d.Int64,
    "float": d.Float32,
    "double": d.Float64,
    "string": d.String,
    "datetime": d.Timestamp,
}


def _signature(source: Any) -> tuple[Any, str]:
    if isinstance(source, str):
        import mlflow

        try:
            info = mlflow.models.get_model_info(source)
        except Exception as exc:
            raise ContractError(f"{source}: cannot read the model ({exc})") from None
        if info.signature is None:
            raise ContractError(f"{source}: the model was logged without a signature.")
        return info.signature, source
    if hasattr(source, "inputs"):
        return source, "MLflow signature"
    raise TypeError(
        "from_mlflow_signature takes a ModelSignature or a model URI "
        f"(runs:/..., models:/..., a path), not {type(source).__name__}."
    )


def from_mlflow_signature(
    source: Any, *, name: str = "ModelInputs", unsupported: Unsupported = "error"
) -> type[Contract]:
    """The contract of a model's input schema: an ``mlflow.models.ModelSignature`` or a
    model URI (``runs:/<run>/model``, ``models:/<name>/<version>``, a local path).

    >>> from mlflow.models import ModelSignature
    >>> from mlflow.types import ColSpec, Schema
    >>> signature = ModelSignature(inputs=Schema([ColSpec("binary", "blob")]))
    >>> from_mlflow_signature(signature)
    Traceback (most recent call last):
    ...
    hypo_contracts.errors.ContractError: MLflow signature: 1 constraint ...: blob: type binary...
    """
    signature, origin = _signature(source)
    schema = signature.inputs
    if schema is None:
        raise ContractError(f"{origin}: the signature has no input schema.")
    if schema.is_tensor_spec():
        raise ContractError(
            f"{origin}: a tensor signature (arrays, not named columns); no contract describes it."
        )
    notes = Untranslatable(origin)
    columns: dict[str, Any] = {}
    for i, spec in enumerate(schema.inputs):
        column_name = spec.name
        if column_name is None:
            raise ContractError(f"{origin}: input {i} has no name; a contract names its columns.")
        type_name = getattr(spec.type, "name", None)
        make = _TYPES.get(type_name) if isinstance(type_name, str) else None
        if make is None:
            notes.add(column_name, f"type {type_name or spec.type} (no contract column holds it)")
            continue
        col = make()
        if not getattr(spec, "required", True):
            col = col.is_optional()
        columns[column_name] = col
    return build_contract(name, columns, origin=origin, notes=notes, unsupported=unsupported)
