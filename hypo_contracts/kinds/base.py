"""The base of every column kind, the registry and the value errors kinds raise.

A kind is one object that owns what differs between column types. :class:`Kind` is a stack
of classes, one module per concern, each extending the one below (so a concern's hooks may
use those below it):

- ``core.KindCore``: dtype, simplest value, capacity, casting and checking one value,
  showing a bound, the Hypothesis strategy for one raw cell, the pandera dtype test;
- ``hooks_canon.CanonHooks``: canonicalisation (``constraints``, ``bounds``, ``narrowing``);
- ``hooks_columns.ColumnHooks``: the numpy sampler and the pandas column (``_bulk``);
- ``hooks_checks.CheckHooks``: validation and coercion (``values``, ``interop``, ``coercion``);
- ``hooks_rules.RuleHooks``: cross-column rules (``rules``, ``rule_values``, ``rule_fill``);
- ``hooks_shrink.ShrinkHooks``: shrinking and the sklearn checks;
- :class:`Kind` (here): re-declaring a column as source (``source``, ``formats``).

Each kind module (``integer``, ``timestamp``, ...) subclasses :class:`Kind` and overrides what
its kind does differently, under the same concern headings. Modules above ask the kind of a
canonical column (:func:`kind_of`) instead of comparing kind strings.

>>> from hypo_contracts import Int64
>>> from hypo_contracts.constraints import canonicalise
>>> kind_of(canonicalise(Int64(), contract="C", name="n")).name
'int'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

from .. import declaration
from ..declaration import Column, plain_scalar

if TYPE_CHECKING:  # Canonical sits above the kinds (it asks them for its dtype and simplest)
    from ..constraints import Canonical

from .core import BadValue, numpy_equivalent
from .hooks_shrink import ShrinkHooks

__all__ = [
    "KINDS",
    "BadValue",
    "Kind",
    "check_range",
    "kind_of",
    "member",
    "numpy_equivalent",
    "register",
]


class Kind(ShrinkHooks):
    """One column kind: :class:`~hypo_contracts.kinds.core.KindCore` and the concern hooks
    below it, plus how a column is re-declared as source. Subclasses override what their
    kind does differently."""

    # -- source text and formats (source, odcs_doc, formats, engines) --

    #: The name of the declaration class of this kind's columns (``Bool``), when it is one.
    declared_name: ClassVar[str] = ""

    def declaration_name(self, c: Canonical) -> str:
        """The declaration class that declares ``c`` (``Int64``, ``Timestamp``)."""
        return self.declared_name

    def constructor_source(self, c: Canonical) -> str:
        """``c``'s declaration without constraints, as Python source (``Int64()``)."""
        return f"{self.declaration_name(c)}()"

    def declare(self, c: Canonical) -> Column:
        """``c``'s declaration without constraints (nor weights), as a column object: what
        :meth:`constructor_source` writes."""
        return getattr(declaration, self.declaration_name(c))()

    def bound_source(self, c: Canonical, value: Any) -> str:
        """A raw bound as the Python literal that declares it back exactly (``5``)."""
        return repr(int(value))

    def value_source(self, c: Canonical, value: Any) -> Any:
        """An accepted value (or category) as the Python value ``repr`` writes."""
        return plain_scalar(value)

    def constraints_source(self, c: Canonical) -> str:
        """The kind's own constraint calls after the bounds (here: accepted values)."""
        if c.values is None:
            return ""
        weights = f", weights={list(c.weights)!r}" if c.weights is not None else ""
        shown = [self.value_source(c, v) for v in c.values]
        return f".accepted_values({shown!r}{weights})"

    def gap_source(self, c: Canonical, gap: Any) -> str:
        """An order rule's raw gap as the ``gap=`` argument that gives it back (exactly)."""
        return repr(int(gap))

    def condition_source(self, c: Canonical, value: Any) -> str | None:
        """A ``present_when`` condition value of ``c`` (as declared) as a Python literal, or
        None when it has none."""
        value = plain_scalar(value)
        if isinstance(value, pd.Timestamp):
            return f"pd.Timestamp({value.isoformat()!r})"
        if type(value) in (bool, int, float, str):
            return repr(value)
        return None


KINDS: dict[str, Kind] = {}
"""Kind string (``Column.kind``, ``Canonical.kind``) -> its :class:`Kind`."""


def register(kind: Kind) -> Kind:
    """Add ``kind`` to :data:`KINDS` under its name."""
    KINDS[kind.name] = kind
    return kind


def kind_of(c: Canonical) -> Kind:
    """The :class:`Kind` of a canonical column."""
    return KINDS[c.kind]


def check_range(c: Canonical, x: Any) -> None:
    """``x`` (raw) within ``c``'s bounds, or :class:`BadValue` naming the bound."""
    if x < c.lo:
        raise BadValue(f"is below the lower bound {kind_of(c).bound_text(c, c.lo)}")
    if x > c.hi:
        raise BadValue(f"is above the upper bound {kind_of(c).bound_text(c, c.hi)}")


def member(c: Canonical, lookup: dict[Any, int], x: Any) -> int:
    """The index of ``x`` among ``c``'s values; a bool is only a bool member (``True == 1``
    in a dict, but pandas' categorical of ``[1, 2]`` does not hold ``True``)."""
    try:
        i = lookup[x]
    except (KeyError, TypeError):
        i = None
    values = c.values or ()
    if i is None or isinstance(x, (bool, np.bool_)) != isinstance(values[i], (bool, np.bool_)):
        what = kind_of(c).values_noun
        raise BadValue(f"is not one of the {what} {list(values)!r}") from None
    return i
