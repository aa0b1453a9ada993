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

from hypothesis.errors import InvalidArgument

from .constraints import Canonical
from .declaration import Column
from .rules import Rule

__all__ = ["ContractInfo", "contract_info", "own_info"]


@dataclass(frozen=True)
class ContractInfo:
    """A contract's name, its declared columns, their canonical forms (both in declaration
    order) and whether undeclared columns are refused."""

    name: str
    columns: Mapping[str, Column]
    canonical: Mapping[str, Canonical]
    strict: bool

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
