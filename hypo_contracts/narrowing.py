"""Narrowing a column per test: ``frames(C, overrides={"age": Int64().bounded_between(18, 30)})``.

An override is a column of the same type whose values all satisfy the contract's column
(:func:`contains` says why not), so every frame drawn with overrides still validates
against the contract. The narrowed column keeps the contract's dtype: an optional ``Int64``
column narrowed to a required one is still ``Int64``, only without nulls.

>>> from hypo_contracts import Int64
>>> from hypo_contracts.constraints import canonicalise
>>> age = canonicalise(Int64().bounded_between(0, 120), contract="C", name="age")
>>> contains(age, canonicalise(Int64().bounded_between(18, 30), contract="C", name="age"))
>>> contains(age, canonicalise(Int64().lower_bound(-1), contract="C", name="age"))
'its lower bound -1 is below the lower bound 0 of C.age'
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import Any

from .arguments import call_head
from .compiled import ContractInfo
from .constraints import Canonical, canonicalise
from .declaration import Column
from .errors import ContractError, InvalidArgument
from .kinds import kind_of

__all__ = ["NarrowedCanonical", "contains", "narrow_columns"]


@dataclasses.dataclass(frozen=True, repr=False)
class NarrowedCanonical(Canonical):
    """An override's canonical form, generated with the dtype of the contract's column."""

    contract_dtype: Any = dataclasses.field(default=None, compare=False)

    @cached_property
    def dtype(self) -> Any:
        return self.contract_dtype


def _type_name(c: Canonical) -> str:
    return f"{type(c.source).__name__} ({c.dtype_name})"


def contains(outer: Canonical, inner: Canonical) -> str | None:
    """Why ``inner`` is not inside ``outer`` (some value or null it allows, ``outer`` does
    not), or ``None`` when every value ``inner`` generates satisfies ``outer``.

    Bounds, lengths and accepted values may narrow; nullability may only go from optional
    to required; uniqueness, a regex and a Category's categories must be kept. What
    narrows is the kind's business (:meth:`~hypo_contracts.kinds.base.Kind.narrowing`).

    >>> from hypo_contracts import Category, String
    >>> from hypo_contracts.constraints import canonicalise
    >>> plan = canonicalise(String().accepted_values(["free", "pro"]), contract="C", name="plan")
    >>> contains(plan, canonicalise(String().accepted_values(["pro"]), contract="C", name="plan"))
    >>> team = String().accepted_values(["pro", "team"])
    >>> contains(plan, canonicalise(team, contract="C", name="plan"))
    "its accepted value 'team' is not allowed by C.plan"
    """
    where = outer.where
    if (inner.kind, inner.dtype_name) != (outer.kind, outer.dtype_name):
        return f"it is a {_type_name(inner)} column and {where} is a {_type_name(outer)} column"
    if inner.nullable and not outer.nullable:
        return (
            f"it is optional and {where} is required (an optional column may be narrowed to "
            "a required one, not the reverse)"
        )
    if outer.unique and not inner.unique:
        return f"{where} is unique; keep .is_unique() in the override"
    return kind_of(outer).narrowing(outer, inner)


def narrow_columns(
    info: ContractInfo,
    cols: Sequence[Canonical],
    overrides: Mapping[str, Column] | None,
    where: str,
) -> list[Canonical]:
    """``cols`` with each column named in ``overrides`` replaced by the override's canonical
    form, checked: known and selected names, columns inside the contract's
    (:func:`contains`); otherwise :class:`~hypo_contracts.errors.InvalidArgument`."""
    if overrides is None:
        return list(cols)
    head = call_head(where, info)
    if not isinstance(overrides, Mapping):
        raise InvalidArgument(
            f"{head}overrides={overrides!r} must be a dict of column name -> column, e.g. "
            "overrides={'age': Int64().bounded_between(18, 30)}."
        )
    unknown = [name for name in overrides if name not in info.canonical]
    if unknown:
        raise InvalidArgument(
            f"{head}overrides names {', '.join(map(repr, unknown))}, not a column of "
            f"{info.name}. Its columns are: {', '.join(info.canonical)}."
        )
    selected = {c.name for c in cols}
    left_out = [name for name in overrides if name not in selected]
    if left_out:
        raise InvalidArgument(
            f"{head}overrides names {', '.join(map(repr, left_out))}, which columns= leaves "
            "out; select it or drop the override."
        )
    narrowed: dict[str, Canonical] = {}
    for name, column in overrides.items():
        if not isinstance(column, Column):
            raise InvalidArgument(
                f"{head}overrides[{name!r}] is {column!r}, not a column such as "
                f"{info.columns[name]!r}."
            )
        try:
            inner = canonicalise(column, contract=info.name, name=name)
        except ContractError as exc:
            raise InvalidArgument(f"{head}overrides[{name!r}]: {exc}") from None
        outer = info.canonical[name]
        reason = contains(outer, inner)
        if reason is not None:
            raise InvalidArgument(
                f"{head}overrides[{name!r}] = {column!r} widens the contract: {reason}. An "
                f"override may only narrow {outer.where} = {info.columns[name]!r}."
            )
        fields = {f.name: getattr(inner, f.name) for f in dataclasses.fields(Canonical)}
        narrowed[name] = NarrowedCanonical(**fields, contract_dtype=outer.dtype)
    return [narrowed.get(c.name, c) for c in cols]
