"""Contracts from Frictionless Table Schemas: :func:`from_frictionless`.

The schema is read with the ``frictionless`` package (install ``hypo-contracts[frictionless]``).
Field types ``integer`` (``Int64``), ``number`` (``Float64``), ``boolean``, ``string``
(``format`` ``email``/``uuid`` as a regex), ``date`` and ``datetime`` (naive ``Timestamp``);
constraints ``required``, ``unique``, ``minimum``, ``maximum``, ``exclusiveMinimum``,
``exclusiveMaximum``, ``minLength``, ``maxLength``, ``pattern`` (a full match, as in the
spec) and ``enum``; a one-field ``primaryKey`` (unique and required). Fields are optional
unless required, as in the spec. Other types (``time``, ``year``, ``object``, ``array``,
``geopoint``...), composite primary keys and ``foreignKeys`` are listed in one
ContractError, or dropped with a warning under ``unsupported="ignore"``.

>>> People = from_frictionless({
...     "fields": [
...         {"name": "id", "type": "integer", "constraints": {"minimum": 1}},
...         {"name": "name", "type": "string", "constraints": {"required": True, "maxLength": 20}},
...     ],
...     "primaryKey": "id",
... })
>>> People.id, People.name
(Int64().lower_bound(1).is_unique(), String().max_length(20))
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from .. import declaration as d
from ..contract import Contract
from ..errors import ContractError
from .build import STRING_FORMATS, Unsupported, Untranslatable, after, before, build_contract

__all__ = ["from_frictionless"]

_TYPES: dict[str, tuple[Any, str]] = {
    "integer": (d.Int64, "int"),
    "number": (d.Float64, "float"),
    "boolean": (d.Bool, "bool"),
    "string": (d.String, "string"),
    "date": (d.Date, "date"),
    "datetime": (d.Timestamp, "timestamp"),
}
_KNOWN = {
    "required",
    "unique",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "enum",
}


def _bound(kind: str, value: Any) -> Any:
    if kind == "timestamp":
        ts = pd.Timestamp(value)
        return ts.tz_convert("UTC").tz_localize(None) if ts.tz is not None else ts
    if kind == "date":
        return pd.Timestamp(str(value))
    return value


def _field(field: Any, notes: Untranslatable, primary: bool) -> Any:
    where = field.name
    found = _TYPES.get(field.type)
    if found is None:
        notes.add(where, f"field type {field.type!r} (no contract column holds it)")
        return None
    make, kind = found
    col: Any = make()
    constraints = dict(field.constraints or {})
    for key in sorted(set(constraints) - _KNOWN):
        notes.add(where, f"constraint {key}")
    numeric = kind in ("int", "float", "date", "timestamp")
    if numeric:
        if "minimum" in constraints:
            col = col.lower_bound(_bound(kind, constraints["minimum"]))
        if "exclusiveMinimum" in constraints:
            col = col.lower_bound(after(_bound(kind, constraints["exclusiveMinimum"]), kind))
        if "maximum" in constraints:
            col = col.upper_bound(_bound(kind, constraints["maximum"]))
        if "exclusiveMaximum" in constraints:
            col = col.upper_bound(before(_bound(kind, constraints["exclusiveMaximum"]), kind))
    elif any(k in constraints for k in ("minimum", "maximum")):
        notes.add(where, f"minimum/maximum on a {field.type} field")
    if kind == "string":
        if "minLength" in constraints:
            col = col.min_length(constraints["minLength"])
        if "maxLength" in constraints:
            col = col.max_length(constraints["maxLength"])
        fmt = field.format or "default"
        if "pattern" in constraints and fmt in STRING_FORMATS:
            notes.add(where, "both a pattern and a format (a contract column has one regex)")
        elif "pattern" in constraints:
            col = col.regex(str(constraints["pattern"]))
        elif fmt in STRING_FORMATS:
            col = col.regex(STRING_FORMATS[fmt])
        elif fmt != "default":
            notes.add(where, f"string format {fmt!r}")
    elif any(k in constraints for k in ("minLength", "maxLength", "pattern")):
        notes.add(where, f"length or pattern on a {field.type} field")
    if "enum" in constraints:
        if kind in ("int", "string"):
            col = col.accepted_values(list(constraints["enum"]))
        else:
            notes.add(where, f"enum on a {field.type} field")
    if not (constraints.get("required") or primary):
        col = col.is_optional()
    if constraints.get("unique") or primary:
        col = col.is_unique()
    return col


def from_frictionless(
    source: Any, *, name: str | None = None, unsupported: Unsupported = "error"
) -> type[Contract]:
    """The contract of a Frictionless Table Schema: a descriptor dict or the path of a JSON
    or YAML file. ``name`` defaults to the file's stem (or "TableSchema").

    >>> from_frictionless({"fields": [{"name": "at", "type": "time"}]})
    Traceback (most recent call last):
    ...
    hypo_contracts.errors.ContractError: Table Schema: 1 constraint ...: at: field type 'time'...
    """
    try:
        from frictionless import FrictionlessException, Schema
    except ImportError:  # pragma: no cover - an extra
        raise ImportError(
            "from_frictionless needs the frictionless package: "
            "pip install 'hypo-contracts[frictionless]'"
        ) from None
    if isinstance(source, dict):
        origin, default_name = "Table Schema", "TableSchema"
    elif isinstance(source, (str, Path)):
        path = Path(source)
        if not path.exists():
            raise FileNotFoundError(f"{path}: no such Table Schema file.")
        origin, default_name, source = str(path), path.stem.split(".")[0], str(path)
    else:
        raise TypeError(
            "from_frictionless takes a descriptor dict or a file path, "
            f"not {type(source).__name__}."
        )
    try:
        schema = Schema.from_descriptor(source)
    except FrictionlessException as exc:
        raise ContractError(f"{origin}: not a valid Table Schema: {exc}") from None
    except Exception as exc:  # YAML/JSON parse errors surface as various types
        raise ContractError(f"{origin}: not a valid Table Schema ({exc})") from None
    notes = Untranslatable(origin)
    keys = list(schema.primary_key or ())
    if len(keys) > 1:
        notes.add("primaryKey", f"composite key {keys!r} (unique together is not supported)")
    for fk in schema.foreign_keys or ():
        notes.add("foreignKeys", f"{fk} (references between contracts are not supported)")
    columns: dict[str, Any] = {}
    for field in schema.fields:
        col = _field(field, notes, primary=keys == [field.name])
        if col is not None:
            columns[field.name] = col
    if not columns and not notes.items:
        raise ContractError(f"{origin}: the Table Schema has no fields.")
    return build_contract(
        name or default_name, columns, origin=origin, notes=notes, unsupported=unsupported
    )
