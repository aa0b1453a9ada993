"""A compiled contract: what every layer above the declarations reads.

``@data_contract`` (:mod:`hypo_contracts.contract`) canonicalises each column and stores the
result on the class as a :class:`ContractInfo`. Strategies, the numpy sampler, validation,
patterns, shrinking and the pipeline checks take a contract class and look its compiled form
up with :func:`contract_info`, which also turns a wrong argument into an ``InvalidArgument``
that says what to pass.

>>> from hypo_contracts import data_contract, Int64
>>> @data_contract
... class Points:
...     x = Int64().bounded_between(0, 9)
>>> info = contract_info(Points, "frames()")
>>> info.name, list(info.canonical)
('Points', ['x'])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .constraints import Canonical
from .declaration import Column
from .errors import ContractError, InvalidArgument
from .kinds import kind_of
from .rules import Rule

__all__ = ["ContractInfo", "Reference", "canonical_references", "contract_info", "own_info"]


@dataclass(frozen=True)
class Reference:
    """A canonical foreign key: ``child.column`` takes its values from the unique column
    ``parent_column`` of the contract ``parent`` (a class); nulls are allowed when the
    child column is optional."""

    child: str
    column: str
    parent: type
    parent_name: str
    parent_column: str
    optional: bool = False
    unique: bool = False

    @property
    def text(self) -> str:
        """``"Orders.customer_id -> Customers.customer_id"``."""
        return f"{self.child}.{self.column} -> {self.parent_name}.{self.parent_column}"


@dataclass(frozen=True)
class ContractInfo:
    """A contract's name, its declared columns, their canonical forms (both in declaration
    order) and whether undeclared columns are refused."""

    name: str
    columns: Mapping[str, Column]
    canonical: Mapping[str, Canonical]
    strict: bool
    references: tuple[Reference, ...] = ()

    # cross-column rules (hypo_contracts.rules), in dependency order; ``unique_together`` as
    # declared (subclasses inherit it)
    rules: tuple[Rule, ...] = ()
    unique_together: tuple[tuple[str, ...], ...] = ()


def own_info(cls: type, method: str) -> ContractInfo:
    """``cls``'s own compiled contract, or a TypeError when ``cls`` is not decorated (an
    undecorated subclass of a contract would silently ignore its own columns)."""
    info = vars(cls).get("__contract__")
    if isinstance(info, ContractInfo):
        return info
    inherited = getattr(cls, "__contract__", None)
    if isinstance(inherited, ContractInfo):
        raise TypeError(
            f"{cls.__name__}.{method}: {cls.__name__} subclasses the contract {inherited.name} "
            f"but is not decorated itself, so its own columns would be ignored. Put "
            f"@data_contract above class {cls.__name__}."
        )
    raise TypeError(
        f"{cls.__name__}.{method}: {cls.__name__} is not a data contract; decorate a class "
        "with @data_contract."
    )


def _short(value: Any) -> str:
    """A one-line description of a wrong argument (never a whole frame's repr)."""
    if isinstance(value, type):
        return f"the class {value.__qualname__}"
    shape = getattr(value, "shape", None)
    if shape is not None:
        return f"a {type(value).__name__} of shape {tuple(shape)}"
    text = repr(value)
    return text if len(text) <= 60 and "\n" not in text else f"a {type(value).__name__}"


def contract_info(contract: Any, where: str) -> ContractInfo:
    """The contract's compiled information, or an ``InvalidArgument`` saying what to pass."""
    info = getattr(contract, "__contract__", None)
    if isinstance(info, ContractInfo) and isinstance(contract, type):
        try:
            return own_info(contract, where)
        except TypeError as exc:
            raise InvalidArgument(str(exc).replace(f"{contract.__name__}.{where}", where)) from None
    if not isinstance(info, ContractInfo):
        raise InvalidArgument(
            f"{where} expects a class decorated with @data_contract, but got "
            f"{_short(contract)}. Declare one with:\n\n    @data_contract\n    class MyData:\n"
            "        x = Float64()\n"
        )
    return info


def canonical_references(
    name: str, columns: Mapping[str, Column], canonical: Mapping[str, Canonical]
) -> tuple[Reference, ...]:
    """The checked ``.references(...)`` of contract ``name``'s columns, or a ContractError
    naming the column: the target must be a data contract with a unique column of the same
    kind whose every value the referencing column allows, and a contract cannot reference
    itself (a cycle)."""
    out: list[Reference] = []
    for col, column in columns.items():
        calls = [args for cname, args in column.constraints if cname == "references"]
        if not calls:
            continue
        where = f"{name}.{col}"
        if len(calls) > 1:
            raise ContractError(f"{where}: one references(...) per column, not {len(calls)}.")
        target, target_col = calls[0]
        text = f"references({getattr(target, '__qualname__', repr(target))}, {target_col!r})"
        if isinstance(target, str) and target == name:
            raise ContractError(
                f"{where}: {text} is a cycle: {name}.{col} -> {name}.{target_col}; "
                "references between contracts must form no cycle."
            )
        info = vars(target).get("__contract__") if isinstance(target, type) else None
        if not isinstance(info, ContractInfo):
            raise ContractError(
                f"{where}: {text}: the target must be a class decorated with @data_contract, "
                f"not {_short(target)}."
            )
        parent = info.canonical.get(target_col) if isinstance(target_col, str) else None
        if parent is None:
            raise ContractError(
                f"{where}: {text}: {info.name} has no column {target_col!r}; its columns are "
                f"{', '.join(info.canonical)}."
            )
        if not parent.unique:
            raise ContractError(
                f"{where}: {text}: {parent.where} is not unique, so a value could match several "
                f"{info.name} rows; declare it .is_unique()."
            )
        _compatible(where, text, canonical[col], parent)
        out.append(
            Reference(
                name,
                col,
                target,
                info.name,
                target_col,
                canonical[col].nullable,
                canonical[col].unique,
            )
        )
    for ref in out:
        chain = _cycle(ref, name)
        if chain:
            raise ContractError(
                f"{ref.child}.{ref.column}: references form a cycle: {' -> '.join(chain)}."
            )
    return tuple(out)


def _cycle(ref: Reference, start: str) -> list[str]:
    """The chain of references from ``ref`` back to the contract ``start``, if any."""
    stack: list[tuple[Reference, list[str]]] = [(ref, [f"{ref.child}.{ref.column}"])]
    seen: set[int] = set()
    while stack:
        r, chain = stack.pop()
        here = [*chain, f"{r.parent_name}.{r.parent_column}"]
        if r.parent_name == start:
            return here
        if id(r.parent) in seen:
            continue
        seen.add(id(r.parent))
        info = vars(r.parent).get("__contract__")
        for nxt in getattr(info, "references", ()):
            stack.append((nxt, here))
    return []


def _compatible(where: str, text: str, child: Canonical, parent: Canonical) -> None:
    """Every value of the parent key must be a value the child column allows."""
    if kind_of(child) is not kind_of(parent) or child.tz != parent.tz:
        raise ContractError(
            f"{where}: {text}: {child.where} is {child.dtype_name} but {parent.where} is "
            f"{parent.dtype_name}; declare both with the same type."
        )
    if parent.values is not None or child.values is not None:
        missing = [v for v in (parent.values or ()) if v not in (child.values or ())]
        if parent.values is None or missing:
            raise ContractError(
                f"{where}: {text}: {parent.where} can hold {missing or 'values'} that "
                f"{child.where} does not accept; accept every value of the key."
            )
    elif child.lo is not None and (child.lo > parent.lo or child.hi < parent.hi):
        raise ContractError(
            f"{where}: {text}: {parent.where} ranges over [{parent.lo}, {parent.hi}] but "
            f"{child.where} only allows [{child.lo}, {child.hi}]; bound the key as tightly as "
            "the reference, or drop the reference's bounds."
        )
