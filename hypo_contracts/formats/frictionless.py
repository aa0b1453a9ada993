"""Contracts from Frictionless Table Schemas: :func:`from_frictionless`.

The schema is read with the ``frictionless`` package (install ``hypo-contracts[frictionless]``).
Field types ``integer`` (``Int64``), ``number`` (``Float64``), ``boolean``, ``string``
(``format`` ``email``/``uuid`` as a regex), ``date`` and ``datetime`` (naive ``Timestamp``);
constraints ``required``, ``unique``, ``minimum``, ``maximum``, ``exclusiveMinimum``,
``exclusiveMaximum``, ``minLength``, ``maxLength``, ``pattern`` (a full match, as in the
spec) and ``enum``; a one-field ``primaryKey`` (unique and required), a composite one as
``unique_together`` (its fields required). Fields are optional unless required, as in the
spec. A Data Package (``resources``) gives a dict of contracts by resource name, one-field
``foreignKeys`` between them as ``.references(...)`` (parents built first; a key into a
resource the package lacks is a ContractError naming both). Other types (``time``, ``year``,
``object``, ``array``, ``geopoint``...), composite foreign keys, keys into the table's own
resource (a contract cannot reference itself) and, in a lone Table Schema, keys into other
resources are listed in one ContractError, or dropped with a warning under
``unsupported="ignore"``.

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

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from .. import declaration as d
from ..errors import ContractError, bad_argument
from .build import STRING_FORMATS, Unsupported, Untranslatable, after, before
from .linked import Link, Table, build_tables

__all__ = ["from_frictionless"]


def _timestamp_bound(value: Any) -> Any:
    ts = pd.Timestamp(value)
    return ts.tz_convert("UTC").tz_localize(None) if ts.tz is not None else ts


def _same(value: Any) -> Any:
    return value


#: field type -> (the column, its kind, how a ``minimum``/``maximum`` reads, None: no bounds)
_TYPES: dict[str, tuple[Any, str, Callable[[Any], Any] | None]] = {
    "integer": (d.Int64, "int", _same),
    "number": (d.Float64, "float", _same),
    "boolean": (d.Bool, "bool", None),
    "string": (d.String, "string", None),
    "date": (d.Date, "date", lambda value: pd.Timestamp(str(value))),
    "datetime": (d.Timestamp, "timestamp", _timestamp_bound),
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


def _field(field: Any, notes: Untranslatable, primary: bool, key: bool) -> Any:
    """The column of one field; ``primary``: the one-field primary key (unique and
    required), ``key``: part of a primary key (required, as in the spec)."""
    where = field.name
    found = _TYPES.get(field.type)
    if found is None:
        notes.add(where, f"field type {field.type!r} (no contract column holds it)")
        return None
    make, kind, bound = found
    col: Any = make()
    constraints = dict(field.constraints or {})
    for key in sorted(set(constraints) - _KNOWN):
        notes.add(where, f"constraint {key}")
    if bound is not None:
        if "minimum" in constraints:
            col = col.lower_bound(bound(constraints["minimum"]))
        if "exclusiveMinimum" in constraints:
            col = col.lower_bound(after(bound(constraints["exclusiveMinimum"]), kind))
        if "maximum" in constraints:
            col = col.upper_bound(bound(constraints["maximum"]))
        if "exclusiveMaximum" in constraints:
            col = col.upper_bound(before(bound(constraints["exclusiveMaximum"]), kind))
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
    if not (constraints.get("required") or primary or key):
        col = col.is_optional()
    if constraints.get("unique") or primary:
        col = col.is_unique()
    return col


def _table(schema: Any, name: str, origin: str, in_package: bool) -> Table:
    notes = Untranslatable(origin)
    keys = list(schema.primary_key or ())
    columns: dict[str, Any] = {}
    for field in schema.fields:
        col = _field(field, notes, primary=keys == [field.name], key=field.name in keys)
        if col is not None:
            columns[field.name] = col
    if not columns and not notes.items:
        raise ContractError(f"{origin}: the Table Schema has no fields.")
    links: list[Link] = []
    for fk in schema.foreign_keys or ():
        fields = list(fk.get("fields") or ())
        ref = fk.get("reference") or {}
        resource, targets = ref.get("resource", ""), list(ref.get("fields") or ())
        where = f"foreignKeys {fields!r}"
        if len(fields) != 1 or len(targets) != 1:
            notes.add(where, f"composite key -> {targets!r} (a contract column references one)")
        elif resource in ("", name):
            notes.add(where, "a key into its own resource (a contract cannot reference itself)")
        elif not in_package:
            notes.add(
                where,
                f"a key into resource {resource!r} (read a Data Package holding both resources)",
            )
        else:
            links.append(Link(fields[0], resource, targets[0]))
    return Table(
        name,
        columns,
        origin,
        notes=notes,
        unique_together=[tuple(keys)] if len(keys) > 1 else [],
        links=links,
    )


def from_frictionless(
    source: Any,
    *,
    name: str | None = None,
    resource: str | None = None,
    unsupported: Unsupported = "error",
) -> Any:
    """The contract of a Frictionless Table Schema, or the contracts of a Data Package (a
    dict of contracts by resource name, ``foreignKeys`` between them as references; one, with
    the tables it references, with ``resource=``): a descriptor dict or the path of a JSON or
    YAML file. ``name`` defaults to the file's stem (or "TableSchema").

    >>> from_frictionless({"fields": [{"name": "at", "type": "time"}]})
    Traceback (most recent call last):
    ...
    hypo_contracts.errors.ContractError: Table Schema: 1 constraint ...: at: field type 'time'...
    >>> shop = from_frictionless({"resources": [
    ...     {"name": "orders", "path": "orders.csv", "schema": {
    ...         "fields": [{"name": "customer_id", "type": "integer"}],
    ...         "foreignKeys": [{"fields": "customer_id",
    ...                          "reference": {"resource": "customers", "fields": "id"}}]}},
    ...     {"name": "customers", "path": "customers.csv", "schema": {
    ...         "fields": [{"name": "id", "type": "integer"}], "primaryKey": "id"}},
    ... ]})
    >>> shop["orders"].customer_id
    Int64().is_optional().references(customers, 'id')
    """
    try:
        from frictionless import FrictionlessException, Package, Schema
    except ImportError:  # pragma: no cover - an extra
        raise ImportError(
            "from_frictionless needs the frictionless package: "
            "pip install 'hypo-contracts[frictionless]'"
        ) from None
    if isinstance(source, dict):
        package = "resources" in source
        origin = "Data Package" if package else "Table Schema"
        default_name = "TableSchema"
    elif isinstance(source, (str, Path)):
        path = Path(source)
        if not path.exists():
            raise FileNotFoundError(f"{path}: no such Table Schema file.")
        origin, default_name, source = str(path), path.stem.split(".")[0], str(path)
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError:
            loaded = None  # frictionless reports it below
        package = isinstance(loaded, dict) and "resources" in loaded
    else:
        raise TypeError(
            "from_frictionless takes a descriptor dict or a file path, "
            f"not {type(source).__name__}."
        )
    what = "Data Package" if package else "Table Schema"
    try:
        if package:
            found = Package.from_descriptor(source)
            schemas = [(r.name, r.schema) for r in found.resources]
        else:
            schemas = [(name or default_name, Schema.from_descriptor(source))]
    except FrictionlessException as exc:
        raise ContractError(f"{origin}: not a valid {what}: {exc}") from None
    except Exception as exc:  # YAML/JSON parse errors surface as various types
        raise ContractError(f"{origin}: not a valid {what} ({exc})") from None
    if not package:
        table_name, schema = schemas[0]
        spec = _table(schema, table_name, origin, in_package=False)
        return build_tables({table_name: spec}, origin, "resource", unsupported=unsupported)[
            table_name
        ]
    specs: dict[str, Table] = {}
    for res_name, schema in schemas:
        here = f"{origin}: resource {res_name!r}"
        if schema is None or not schema.fields:
            raise ContractError(f"{here}: no Table Schema (no fields) to make a contract of.")
        specs[res_name] = _table(schema, res_name, here, in_package=True)
    if resource is not None and resource not in specs:
        raise bad_argument(
            "from_frictionless",
            None,
            f"resource={resource!r} is not a resource of {origin}; pass one of "
            f"{', '.join(map(repr, specs))}.",
        )
    only = None if resource is None else [resource]
    built = build_tables(specs, origin, "resource", only=only, unsupported=unsupported)
    return built if resource is None else built[resource]
