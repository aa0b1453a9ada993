"""A contract as an Open Data Contract Standard (ODCS v3.1) document, in plain Python.

:func:`to_odcs` writes one schema object per contract (and per contract it references, parents
first: a reference is a property's ``relationships: [{type: foreignKey, to: Parent.key}]``; the
first ``unique_together`` over required columns is the composite ``primaryKey``, in order, the
others the ``customProperties`` ``hypoContractsUniqueTogether``), with one property per column:
``logicalType`` and ``logicalTypeOptions`` (``minimum``/``maximum``, ``minLength``/
``maxLength``, ``pattern``, ``format`` for the integer/float width, ``timezone``/
``defaultTimezone``), ``required`` (not optional), ``unique``, accepted values and categories
as an ``invalidValues`` quality rule with ``validValues``, and the exact pandas dtype as
``physicalType``. What ODCS has no field for (``strict``, ``allow_infinity()``, a regex's
``unicode=True``) is kept in ``customProperties`` so that
:func:`hypo_contracts.formats.from_odcs` reads back an equal contract. The document is
checked against the ``open-data-contract-standard`` package's models in the tests, not here.

>>> from hypo_contracts import data_contract, Float64, String
>>> @data_contract
... class Wine:
...     pH = Float64().bounded_between(0, 14)
...     colour = String().accepted_values(["red", "white"]).is_optional()
>>> doc = to_odcs(Wine.__contract__)
>>> doc["apiVersion"], [p["name"] for p in doc["schema"][0]["properties"]]
('v3.1.0', ['pH', 'colour'])
>>> doc["schema"][0]["properties"][1]["quality"]  # doctest: +NORMALIZE_WHITESPACE
[{'type': 'library', 'metric': 'invalidValues',
  'arguments': {'validValues': ['red', 'white']}, 'mustBe': 0}]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from .compiled import ContractInfo, Reference, own_info
from .constraints import Canonical
from .declaration import plain_scalar
from .errors import InvalidArgument
from .kinds import kind_of
from .source import has_bounds
from .times import date_from_days, timestamp_from_ns

__all__ = ["ODCS_API_VERSION", "odcs_pattern", "to_odcs", "to_odcs_yaml"]

ODCS_API_VERSION = "v3.1.0"

#: ``customProperties`` this package writes and reads back
STRICT, ALLOW_INFINITY, REGEX_UNICODE = "hypoContractsStrict", "allowInfinity", "regexUnicode"
UNIQUE_TOGETHER = "hypoContractsUniqueTogether"  # the unique_together a primaryKey cannot hold

#: ODCS's shorthand reference ``schema.property`` (its JSON Schema's pattern, one part each)
_SHORTHAND_PART = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")


def odcs_pattern(regex: str) -> str:
    """A full-match regex as an ODCS (JSON Schema) ``pattern``, which is a search: anchored.

    >>> odcs_pattern(r"[A-Z]{3}-\\d{4}")
    '^(?:[A-Z]{3}-\\\\d{4})$'
    """
    return f"^(?:{regex})$"


def _category_logical(c: Canonical) -> str:
    values = c.values or ()
    if all(isinstance(v, bool) for v in values):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "integer"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "number"
    return "string"


#: ``logicalTypeOptions.format`` of the numeric widths; the defaults (i64, f64) are not written
_FORMATS = {
    "int8": "i8",
    "int16": "i16",
    "int32": "i32",
    "uint8": "u8",
    "uint16": "u16",
    "uint32": "u32",
    "uint64": "u64",
    "float32": "f32",
}


def _width_options(c: Canonical) -> dict[str, Any]:
    fmt = _FORMATS.get(c.dtype_name)
    return {} if fmt is None else {"format": fmt}


def _timestamp_options(c: Canonical) -> dict[str, Any]:
    options: dict[str, Any] = {"timezone": c.tz is not None}
    if c.tz is not None:
        options["defaultTimezone"] = c.tz
    return options


def _string_options(c: Canonical) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if c.min_len:
        options["minLength"] = c.min_len
    if c.max_len is not None:
        options["maxLength"] = c.max_len
    if c.regex is not None:
        options["pattern"] = odcs_pattern(c.regex)
    return options


@dataclass(frozen=True)
class _OdcsKind:
    """How ODCS holds one column kind: its ``logicalType``, the kind's own
    ``logicalTypeOptions`` (before ``minimum``/``maximum``) and a raw bound as JSON."""

    logical: Callable[[Canonical], str]
    options: Callable[[Canonical], dict[str, Any]] = lambda c: {}
    bound: Callable[[Canonical, Any], Any] = lambda c, raw: int(raw)


_ODCS: dict[str, _OdcsKind] = {
    "int": _OdcsKind(lambda c: "integer", _width_options),
    "float": _OdcsKind(lambda c: "number", _width_options, lambda c, raw: float(raw)),
    "bool": _OdcsKind(lambda c: "boolean"),
    "string": _OdcsKind(lambda c: "string", _string_options),
    "category": _OdcsKind(_category_logical),
    "timestamp": _OdcsKind(
        lambda c: "timestamp",
        _timestamp_options,
        lambda c, raw: timestamp_from_ns(raw, c.tz).isoformat(),
    ),
    "date": _OdcsKind(lambda c: "date", bound=lambda c, raw: date_from_days(raw).isoformat()),
}
"""Column kind -> how ODCS holds it; a kind not here is refused (:data:`_NOT_MAPPED`)."""

_NOT_MAPPED: dict[str, str] = {
    "timedelta": "and ODCS has no logical type for durations",
    "decimal": "which this ODCS writer does not map yet (its bounds would lose digits as JSON "
    "numbers)",
}
"""Why a kind missing from :data:`_ODCS` is refused (others: this writer does not map it)."""


def _odcs_kind(c: Canonical) -> _OdcsKind:
    """``c``'s entry in :data:`_ODCS`, or the InvalidArgument refusing its kind."""
    entry = _ODCS.get(c.kind)
    if entry is None:
        why = _NOT_MAPPED.get(c.kind, "which this ODCS writer does not map")
        raise InvalidArgument(
            f"to_odcs({c.contract}, ...): {c.where} is a {kind_of(c).declaration_name(c)} column, "
            f"{why}; leave it out of the ODCS contract."
        )
    return entry


def _property(c: Canonical, ref: Reference | None, key: int | None) -> dict[str, Any]:
    odcs = _odcs_kind(c)
    prop: dict[str, Any] = {
        "name": c.name,
        "logicalType": odcs.logical(c),
        "physicalType": str(c.dtype),
    }
    options = odcs.options(c)
    has_lo, has_hi = has_bounds(c)
    if has_lo:
        options["minimum"] = odcs.bound(c, c.lo)
    if has_hi:
        options["maximum"] = odcs.bound(c, c.hi)
    if options:
        prop["logicalTypeOptions"] = options
    prop["required"] = not c.nullable
    prop["unique"] = c.unique
    if key is not None:
        prop["primaryKey"] = True
        prop["primaryKeyPosition"] = key
    if ref is not None:
        prop["relationships"] = [{"type": "foreignKey", "to": _shorthand(ref)}]
    if c.values is not None:
        prop["quality"] = [
            {
                "type": "library",
                "metric": "invalidValues",
                "arguments": {"validValues": [plain_scalar(v) for v in c.values]},
                "mustBe": 0,
            }
        ]
    custom = []
    if c.allow_inf:
        custom.append({"property": ALLOW_INFINITY, "value": True})
    if c.unicode:
        custom.append({"property": REGEX_UNICODE, "value": True})
    if custom:
        prop["customProperties"] = custom
    return prop


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "contract"


def _shorthand(ref: Reference) -> str:
    parts = (ref.parent_name, ref.parent_column, ref.child, ref.column)
    bad = [p for p in parts if not _SHORTHAND_PART.fullmatch(p)]
    if bad:
        raise InvalidArgument(
            f"to_odcs({ref.child}, ...): {ref.text} cannot be written as an ODCS relationship: "
            f"{bad[0]!r} is not a name ODCS's schema.property reference allows (letters, "
            "digits, '_' and '-', not first a digit); rename it or drop the reference."
        )
    return f"{ref.parent_name}.{ref.parent_column}"


def _schema(info: ContractInfo) -> dict[str, Any]:
    together = list(info.unique_together)
    primary: tuple[str, ...] = ()
    if (
        together
        and len(together[0]) > 1
        and all(not info.canonical[c].nullable for c in together[0])
    ):
        primary = together.pop(0)  # a composite primary key (its columns are required)
    refs = {r.column: r for r in info.references}
    properties = [
        _property(c, refs.get(c.name), primary.index(c.name) + 1 if c.name in primary else None)
        for c in info.canonical.values()
    ]
    schema: dict[str, Any] = {
        "name": info.name,
        "logicalType": "object",
        "physicalType": "table",
        "properties": properties,
    }
    custom: list[dict[str, Any]] = []
    if info.strict:
        custom.append({"property": STRICT, "value": True})
    if together:
        custom.append({"property": UNIQUE_TOGETHER, "value": [list(c) for c in together]})
    if custom:
        schema["customProperties"] = custom
    return schema


def _with_parents(infos: Sequence[ContractInfo]) -> list[ContractInfo]:
    """``infos`` and every contract they reference, parents before children."""
    out: dict[str, ContractInfo] = {}

    def add(info: ContractInfo) -> None:
        known = out.get(info.name)
        if known is info:
            return
        if known is not None:
            raise InvalidArgument(
                f"to_odcs({infos[0].name}, ...): two different contracts are named "
                f"{info.name!r}, and an ODCS document names its schemas; rename one."
            )
        for ref in info.references:
            add(own_info(ref.parent, "to_odcs()"))
        out[info.name] = info

    for info in infos:
        add(info)
    return list(out.values())


def to_odcs(
    info: ContractInfo | Sequence[ContractInfo], *, version: str = "1.0.0"
) -> dict[str, Any]:
    """The contract (or contracts) as an ODCS v3.1 document (a plain dict, ready for YAML or
    JSON): one schema object per contract and per contract they reference, parents first;
    references are property-level ``relationships`` (``to: Customers.customer_id``), the first
    ``unique_together`` of required columns the composite ``primaryKey``."""
    listed = [info] if isinstance(info, ContractInfo) else list(info)
    name = ", ".join(i.name for i in listed)
    return {
        "apiVersion": ODCS_API_VERSION,
        "kind": "DataContract",
        "id": _slug("-".join(i.name for i in listed)),
        "name": name,
        "version": version,
        "status": "active",
        "schema": [_schema(i) for i in _with_parents(listed)],
    }


def to_odcs_yaml(info: ContractInfo | Sequence[ContractInfo], *, version: str = "1.0.0") -> str:
    """:func:`to_odcs` as YAML text (keys in the standard's order)."""
    return yaml.safe_dump(
        to_odcs(info, version=version), sort_keys=False, allow_unicode=True, width=100
    )
