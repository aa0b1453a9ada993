"""Contracts from Open Data Contract Standard (ODCS v3) documents: :func:`from_odcs`.

The document is read with the ``open-data-contract-standard`` package's models (install
``hypo-contracts[odcs]``). Per property: ``logicalType`` (``integer number string boolean
date timestamp``; ``format`` picks the width: ``i8`` … ``u64``, ``f32``/``f64``),
``logicalTypeOptions`` (``minimum``, ``maximum``, ``exclusiveMinimum``, ``exclusiveMaximum``,
``minLength``, ``maxLength``, ``pattern``, string ``format`` ``uuid``/``email``/``ipv4``,
``timezone``/``defaultTimezone``), ``required``, ``unique``, ``primaryKey``, ``enum`` and the
quality rules that map (``invalidValues`` with ``validValues`` and ``mustBe: 0``,
``nullValues``/``duplicateValues`` with ``mustBe: 0``), ``physicalType`` (a pandas dtype
such as ``int8`` or ``category``, or SQL's ``varchar(n)``, ``smallint``, ``real``...).
Between schema objects: one-property ``relationships`` (property level ``to:
customers.customer_id``, schema level ``from``/``to``; shorthand ``schema.property`` or
``schema/<id>/properties/<id>``) become ``.references(...)``, parents built first, and a
composite ``primaryKey`` (``primaryKeyPosition`` orders it) becomes ``unique_together`` over
required columns. The rest (composite relationships, nested objects, other quality rules) is
listed in one ContractError, or dropped with a warning under ``unsupported="ignore"``; a
relationship to a schema or property the document lacks is a ContractError naming both.

``pattern`` is read as a full match, anchors (``^``, ``$``) dropped: the standard's own
examples mean that (``pattern: ACC[0-9]{8}`` with ``minLength: 11, maxLength: 11``), and
every full match is also a match in JSON Schema's search sense, so generated values satisfy
the document either way; validation is stricter than a search for unanchored patterns.

>>> doc = '''
... apiVersion: v3.1.0
... kind: DataContract
... id: orders
... version: 1.0.0
... status: active
... schema:
...   - name: Orders
...     properties:
...       - {name: order_id, logicalType: integer, primaryKey: true,
...          logicalTypeOptions: {exclusiveMinimum: 0}}
...       - {name: sku, logicalType: string, required: true,
...          logicalTypeOptions: {pattern: "^[A-Z]{3}-[0-9]{4}$"}}
... '''
>>> Orders = from_odcs(doc)
>>> Orders.order_id, Orders.sku
(Int64().lower_bound(1).is_unique(), String().regex('[A-Z]{3}-[0-9]{4}'))
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from .. import declaration as d
from .. import odcs_doc
from ..compiled import contract_info
from ..errors import ContractError, bad_argument
from ..odcs_doc import ALLOW_INFINITY, REGEX_UNICODE, STRICT, UNIQUE_TOGETHER
from .build import STRING_FORMATS, Unsupported, Untranslatable, after, before, strip_anchors
from .linked import Link, Table, build_tables

__all__ = ["from_odcs", "load_document", "to_odcs"]

_INT_FORMATS = {
    "i8": d.Int8,
    "i16": d.Int16,
    "i32": d.Int32,
    "i64": d.Int64,
    "u8": d.UInt8,
    "u16": d.UInt16,
    "u32": d.UInt32,
    "u64": d.UInt64,
}
_NUMPY_INTS = {
    "int8": "i8",
    "int16": "i16",
    "int32": "i32",
    "int64": "i64",
    "uint8": "u8",
    "uint16": "u16",
    "uint32": "u32",
    "uint64": "u64",
}
_SQL_INTS = {"tinyint": "i8", "smallint": "i16", "int": "i32", "integer": "i32", "int4": "i32"}
_KNOWN_OPTIONS = {
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "timezone",
    "defaultTimezone",
}


def load_document(source: Any) -> tuple[dict[str, Any], str]:
    """The document as a dict and a name for messages (the file, or "ODCS document"):
    ``source`` is a dict, YAML text or the path of a YAML/JSON file."""
    if isinstance(source, dict):
        return source, "ODCS document"
    if isinstance(source, str) and ("\n" in source or source.lstrip().startswith("{")):
        text, origin = source, "ODCS document"
    elif isinstance(source, (str, Path)):
        path = Path(source)
        if not path.exists():
            raise FileNotFoundError(f"{path}: no such ODCS file.")
        text, origin = path.read_text(encoding="utf-8"), str(path)
    else:
        raise TypeError(
            f"from_odcs takes a dict, YAML text or a file path, not {type(source).__name__}."
        )
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ContractError(f"{origin}: malformed YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ContractError(f"{origin}: not an ODCS document (a mapping at the top).")
    return data, origin


def _custom(obj: Any) -> dict[str, Any]:
    return {p.property: p.value for p in obj.customProperties or () if p.property}


def _base(prop: Any, where: str, notes: Untranslatable) -> tuple[Any, str] | None:
    logical = (prop.logicalType or "").strip()
    physical = (prop.physicalType or "").strip()
    options = prop.logicalTypeOptions or {}
    lower = physical.lower()
    if lower == "category":
        values = _valid_values(prop)
        if not values:
            notes.add(where, "physicalType category without validValues (its categories)")
            return None
        return d.Category(values), "category"
    if logical == "integer":
        fmt = options.get("format") or _NUMPY_INTS.get(lower) or _SQL_INTS.get(lower, "i64")
        if fmt not in _INT_FORMATS:
            notes.add(where, f"integer format {fmt!r} (i8 ... i64, u8 ... u64 are supported)")
            return None
        return _INT_FORMATS[fmt](), "int"
    if logical == "number":
        fmt = options.get("format")
        f32 = fmt == "f32" or (fmt is None and lower in ("float32", "real", "float4"))
        return (d.Float32() if f32 else d.Float64()), "float"
    if logical == "string":
        return d.String(), "string"
    if logical == "boolean":
        return d.Bool(), "bool"
    if logical == "date":
        return d.Date(), "date"
    if logical == "timestamp":
        tz = options.get("defaultTimezone") or (
            "UTC" if options.get("timezone") else _physical_tz(physical)
        )
        return d.Timestamp(time_zone=tz), "timestamp"
    if logical in ("time", "object", "array", "map", "vector"):
        notes.add(where, f"logicalType {logical!r} (no contract column holds it)")
    elif logical:
        notes.add(where, f"unknown logicalType {logical!r}")
    else:
        notes.add(where, "no logicalType")
    return None


def _physical_tz(physical: str) -> str | None:
    found = re.fullmatch(r"datetime64\[\w+, (.+)\]", physical)
    return found.group(1) if found else None


def _valid_values(prop: Any) -> list[Any] | None:
    for rule in prop.quality or ():
        metric = rule.metric or rule.rule
        args = rule.arguments or {}
        if metric == "invalidValues" and "validValues" in args and rule.mustBe == 0:
            return list(args["validValues"])
    if prop.enum:
        return [e.value for e in prop.enum]
    return None


def _date_bound(value: Any, tz: str | None) -> Any:
    """``"2020-01-01"`` or ``"2020-01-01 00:00:00"`` (a time of day rounds inwards)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    return pd.Timestamp(value)


def _timestamp_bound(value: Any, tz: str | None) -> Any:
    ts = pd.Timestamp(value)
    if tz is not None and ts.tz is None:
        ts = ts.tz_localize(tz)
    return ts


#: kind -> how a ``minimum``/``maximum`` of its JSON text reads (the others: as it is)
_BOUNDS: dict[str, Callable[[Any, str | None], Any]] = {
    "date": _date_bound,
    "timestamp": _timestamp_bound,
}


def _property(prop: Any, where: str, notes: Untranslatable, primary: bool, key: bool) -> Any:
    """The column of one property; ``primary``: the one-property primary key (unique and
    required), ``key``: part of a primary key (required)."""
    found = _base(prop, where, notes)
    if found is None:
        return None
    col, kind = found
    options = dict(prop.logicalTypeOptions or {})
    for key in sorted(set(options) - _KNOWN_OPTIONS):
        notes.add(where, f"logicalTypeOptions.{key}")
    tz = getattr(col, "time_zone", None)

    def bound(value: Any) -> Any:
        read = _BOUNDS.get(kind)
        if read is None:
            return value
        try:
            return read(value, tz)
        except (ValueError, TypeError) as exc:
            raise ContractError(f"{notes.origin}: {where}: bound {value!r}: {exc}") from None

    if kind in ("int", "float", "date", "timestamp"):
        if "minimum" in options:
            col = col.lower_bound(bound(options["minimum"]))
        if "exclusiveMinimum" in options:
            col = col.lower_bound(after(bound(options["exclusiveMinimum"]), kind))
        if "maximum" in options:
            col = col.upper_bound(bound(options["maximum"]))
        if "exclusiveMaximum" in options:
            col = col.upper_bound(before(bound(options["exclusiveMaximum"]), kind))
    custom = _custom(prop)
    if kind == "string":
        if "minLength" in options:
            col = col.min_length(options["minLength"])
        if "maxLength" in options:
            col = col.max_length(options["maxLength"])
        else:
            sized = re.fullmatch(r"(?:var)?char\((\d+)\)", (prop.physicalType or "").lower())
            if sized:
                col = col.max_length(int(sized.group(1)))
        fmt = options.get("format")
        if fmt is not None and fmt not in STRING_FORMATS:
            notes.add(where, f"string format {fmt!r}")
        pattern = options.get("pattern")
        if pattern is not None and fmt in STRING_FORMATS:
            notes.add(where, "both a pattern and a format (a contract column has one regex)")
        elif pattern is not None:
            col = col.regex(strip_anchors(str(pattern)), unicode=bool(custom.get(REGEX_UNICODE)))
        elif fmt in STRING_FORMATS:
            col = col.regex(STRING_FORMATS[fmt])
    elif any(k in options for k in ("minLength", "maxLength", "pattern")):
        notes.add(where, f"string options on a {prop.logicalType} property")
    values = _valid_values(prop)
    if values is not None and kind in ("int", "string"):
        col = col.accepted_values(values)
    elif values is not None and kind != "category":
        notes.add(where, f"valid values on a {prop.logicalType} property")
    if custom.get(ALLOW_INFINITY) and kind == "float":
        col = col.allow_infinity()
    required, unique = bool(prop.required), bool(prop.unique) or primary
    for rule in prop.quality or ():
        metric = rule.metric or rule.rule
        args = rule.arguments or {}
        if metric == "invalidValues" and "validValues" in args and rule.mustBe == 0:
            continue
        if metric in ("nullValues", "missingValues") and rule.mustBe == 0 and not args:
            required = True
        elif metric == "duplicateValues" and rule.mustBe == 0 and not args:
            unique = True
        else:
            notes.add(where, f"quality rule {rule.name or metric or rule.type!r}")
    if prop.properties or prop.items:
        notes.add(where, "nested properties")
    if not (required or primary or key):
        col = col.is_optional()
    if unique:
        col = col.is_unique()
    return col


def _target(ref: Any, names: dict[str, tuple[str, dict[str, str]]]) -> tuple[str, str] | None:
    """``(schema, property)`` of a reference: shorthand ``schema.property`` or the fully
    qualified ``schema/<id or name>/properties/<id or name>`` in the same document."""
    text = str(ref)
    if "#" not in text and "/" not in text and text.count(".") == 1:
        table, col = text.split(".")
        return table, col
    found = re.fullmatch(r"/?schema/([^/]+)/properties/([^/]+)", text)
    if found is None:
        return None
    table, col = found.groups()
    for name, (oid, props) in names.items():
        if table in (name, oid):
            return name, props.get(col, col)
    return table, col


def _links(
    obj: Any,
    name: str,
    notes: Untranslatable,
    names: dict[str, tuple[str, dict[str, str]]],
) -> list[Link]:
    """The one-column foreign keys of a schema object, property and schema level."""
    found: list[tuple[str, Any, Any, str]] = []  # (where, from, to, type)
    for prop in obj.properties or ():
        for rel in prop.relationships or ():
            found.append((prop.name, f"{name}.{prop.name}", rel.to, rel.type))
    for rel in obj.relationships or ():
        found.append(("relationships", rel.from_, rel.to, rel.type))
    out: list[Link] = []
    for where, src, dst, kind in found:
        if kind not in (None, "foreignKey"):
            notes.add(where, f"relationship type {kind!r} (foreignKey is supported)")
            continue
        srcs = src if isinstance(src, list) else [src]
        dsts = dst if isinstance(dst, list) else [dst]
        if len(srcs) != 1 or len(dsts) != 1:
            notes.add(
                where,
                f"composite relationship {srcs!r} -> {dsts!r} (a contract column references "
                "one column)",
            )
            continue
        source, target = _target(srcs[0], names), _target(dsts[0], names)
        if source is None or target is None or None in (srcs[0], dsts[0]):
            notes.add(where, f"relationship {srcs[0]!r} -> {dsts[0]!r} (refer to schema.property)")
        elif source[0] != name:
            notes.add(where, f"relationship from {srcs[0]!r}, a property of another schema")
        else:
            out.append(Link(source[1], *target))
    return out


def _table(
    obj: Any, name: str, origin: str, names: dict[str, tuple[str, dict[str, str]]]
) -> tuple[str, Table]:
    where = f"{origin}: schema {name!r}"
    notes = Untranslatable(where)
    props = list(obj.properties or ())
    keys = [p for p in props if p.primaryKey]
    keys.sort(key=lambda p: (p.primaryKeyPosition is None, p.primaryKeyPosition or 0))
    columns: dict[str, Any] = {}
    for prop in props:
        if not prop.name:
            raise ContractError(f"{where}: a property without a name.")
        is_key = bool(prop.primaryKey)
        col = _property(prop, prop.name, notes, primary=is_key and len(keys) == 1, key=is_key)
        if col is not None:
            columns[prop.name] = col
    for rule in obj.quality or ():
        notes.add("schema", f"quality rule {rule.name or rule.metric or rule.type!r}")
    custom = _custom(obj)
    together = [tuple(str(p.name) for p in keys)] if len(keys) > 1 else []
    extra = custom.get(UNIQUE_TOGETHER) or []
    if not isinstance(extra, list) or not all(isinstance(c, list) for c in extra):
        raise ContractError(f"{where}: customProperties {UNIQUE_TOGETHER}: a list of lists.")
    together += [tuple(str(c) for c in combo) for combo in extra]
    links = _links(obj, name, notes, names)
    return name, Table(
        name,
        columns,
        where,
        notes=notes,
        strict=bool(custom.get(STRICT)),
        unique_together=together,
        links=links,
    )


def from_odcs(source: Any, schema: str | None = None, *, unsupported: Unsupported = "error") -> Any:
    """The contract of an ODCS v3 document (a dict, YAML text such as ``C.to_odcs()``, or a
    file path): one contract for a document with one schema object (or the one named
    ``schema``), else a dict of contracts by schema name. Errors name the file, the schema,
    the property and the problem.

    >>> from hypo_contracts import data_contract, Int8
    >>> @data_contract
    ... class Points:
    ...     x = Int8().bounded_between(-3, 3).is_optional()
    >>> from_odcs(Points.to_odcs()).x
    Int8().lower_bound(-3).upper_bound(3).is_optional()
    """
    try:
        from open_data_contract_standard.model import OpenDataContractStandard
    except ImportError:  # pragma: no cover - an extra
        raise ImportError(
            "from_odcs needs the open-data-contract-standard package: "
            "pip install 'hypo-contracts[odcs]'"
        ) from None
    import pydantic

    data, origin = load_document(source)
    try:
        document = OpenDataContractStandard.model_validate(data)
    except pydantic.ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5]
        )
        raise ContractError(f"{origin}: not a valid ODCS document: {problems}") from None
    objects = list(document.schema_ or ())
    if not objects:
        raise ContractError(f"{origin}: the document has no schema objects.")
    unnamed = "schema{}" if len(objects) > 1 else "Schema"
    keys = [o.name or unnamed.format(i) for i, o in enumerate(objects)]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        raise ContractError(f"{origin}: several schema objects are named {twice[0]!r}; rename one.")
    names = {
        k: (o.id or "", {p.id: p.name or "" for p in o.properties or () if p.id})
        for k, o in zip(keys, objects, strict=True)
    }
    specs = dict(_table(o, key, origin, names) for o, key in zip(objects, names, strict=True))
    if schema is not None and schema not in specs:
        raise bad_argument(
            "from_odcs",
            None,
            f"schema={schema!r} is not a schema object of {origin}; pass one of "
            f"{', '.join(map(repr, specs))}.",
        )
    only = None if schema is None else [schema]
    contracts = build_tables(specs, origin, "schema", only=only, unsupported=unsupported)
    if schema is not None:
        return contracts[schema]
    if len(contracts) == 1:
        return next(iter(contracts.values()))
    return contracts


def to_odcs(*contracts: Any, as_dict: bool = False, version: str = "1.0.0") -> Any:
    """One ODCS v3.1 document (YAML text, or its dict with ``as_dict=True``) holding the
    contracts and every contract they reference, parents first: references become
    ``relationships``, so ``from_odcs(to_odcs(Customers, Orders))`` gives both back, related.
    ``C.to_odcs()`` is ``to_odcs(C)``.

    >>> from hypo_contracts import data_contract, Int64
    >>> @data_contract
    ... class Authors:
    ...     author_id = Int64().is_unique()
    >>> @data_contract
    ... class Books:
    ...     author_id = Int64().references(Authors, "author_id")
    >>> doc = to_odcs(Books, as_dict=True)
    >>> [s["name"] for s in doc["schema"]], doc["schema"][1]["properties"][0]["relationships"]
    (['Authors', 'Books'], [{'type': 'foreignKey', 'to': 'Authors.author_id'}])
    >>> from_odcs(to_odcs(Authors, Books))["Books"].author_id
    Int64().references(Authors, 'author_id')
    """
    if not contracts:
        raise bad_argument(
            "to_odcs", None, "pass one or more contracts: to_odcs(Customers, Orders)."
        )
    infos = [contract_info(c, "to_odcs(...)") for c in contracts]
    if not isinstance(version, str):
        raise bad_argument("to_odcs", infos[0].name, f"version={version!r}: pass a string.")
    if as_dict:
        return odcs_doc.to_odcs(infos, version=version)
    return odcs_doc.to_odcs_yaml(infos, version=version)
