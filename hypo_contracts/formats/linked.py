"""Several tables read from one document (an ODCS document with several schema objects, a
Frictionless Data Package): their foreign keys become ``.references(...)``, parents built
before children, and a key to a table or column the document lacks is a ContractError
naming the source, the table and the column.

>>> from hypo_contracts import Int64
>>> specs = {
...     "orders": Table("orders", {"customer_id": Int64()}, "doc.yaml: schema 'orders'",
...                     links=[Link("customer_id", "customers", "id")]),
...     "customers": Table("customers", {"id": Int64().is_unique()}, "doc.yaml: customers"),
... }
>>> built = build_tables(specs, "doc.yaml", "schema")
>>> list(built), built["orders"].customer_id
(['orders', 'customers'], Int64().references(customers, 'id'))
>>> specs["orders"].links[0] = Link("customer_id", "clients", "id")
>>> build_tables(specs, "doc.yaml", "schema")
Traceback (most recent call last):
...
hypo_contracts.errors.ContractError: doc.yaml: schema 'orders': ... no schema 'clients'...
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..contract import Contract
from ..errors import ContractError
from .build import Unsupported, Untranslatable, build_contract

__all__ = ["Link", "Table", "build_tables"]


@dataclass(frozen=True)
class Link:
    """A one-column foreign key read from a document: ``column`` takes its values from
    ``parent_column`` of the table named ``parent``."""

    column: str
    parent: str
    parent_column: str


@dataclass
class Table:
    """One table's translated columns and what else its contract needs."""

    name: str
    columns: dict[str, Any]
    origin: str  # "doc.yaml: schema 'orders'", for messages
    notes: Untranslatable | None = None
    strict: bool = False
    unique_together: list[tuple[str, ...]] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)


def build_tables(
    specs: Mapping[str, Table],
    origin: str,
    noun: str,
    *,
    only: Iterable[str] | None = None,
    unsupported: Unsupported = "error",
) -> dict[str, type[Contract]]:
    """The contracts of ``specs`` (all, or ``only`` these and the tables they reference), in
    the order of ``specs``; ``noun`` ("schema", "resource") names a table in messages."""
    have = ", ".join(repr(n) for n in specs)
    for spec in specs.values():
        for link in spec.links:
            where = (
                f"{spec.origin}: {link.column}: a reference to {link.parent}.{link.parent_column}"
            )
            parent = specs.get(link.parent)
            if parent is None:
                raise ContractError(
                    f"{where}, but the document has no {noun} {link.parent!r} (it has {have})."
                )
            if link.parent == spec.name:
                raise ContractError(
                    f"{where}: a contract cannot reference itself (references form no cycle); "
                    "split the table or drop the key."
                )
            if link.parent_column not in parent.columns:
                raise ContractError(
                    f"{where}, but {noun} {link.parent!r} has no column {link.parent_column!r} "
                    f"(it has {', '.join(repr(c) for c in parent.columns) or 'none'})."
                )
    built: dict[str, type[Contract]] = {}
    visiting: list[str] = []

    def build(name: str) -> type[Contract]:
        if name in built:
            return built[name]
        if name in visiting:
            chain = " -> ".join([*visiting[visiting.index(name) :], name])
            raise ContractError(
                f"{origin}: references form a cycle: {chain}; a contract's parents are built "
                "before it, so the document's keys must form no cycle."
            )
        visiting.append(name)
        spec = specs[name]
        columns = dict(spec.columns)
        for link in spec.links:
            if link.column in columns:  # (a column dropped under unsupported="ignore" is not)
                parent = build(link.parent)
                columns[link.column] = columns[link.column].references(parent, link.parent_column)
        visiting.pop()
        built[name] = build_contract(
            name,
            columns,
            origin=spec.origin,
            notes=spec.notes,
            unsupported=unsupported,
            strict=spec.strict,
            unique_together=spec.unique_together,
        )
        return built[name]

    for name in specs if only is None else only:
        build(name)
    return {n: built[n] for n in specs if n in built}
