"""Canonical constraints: every declared column reduced to one flat, checked description.

Canonicalisation is where contradictions are found. Bounds intersect, accepted values are
filtered by every other constraint, lengths are checked against a regex's possible widths,
and whatever can never be satisfied raises :class:`~hypo_contracts.ContractError` naming the
contract, the column and the constraints that clash. Everything downstream (Hypothesis
strategies, the numpy sampler, pandera schemas) reads only :class:`Canonical`. The column's
kind does the checking (:meth:`~hypo_contracts.kinds.base.Kind.canonical_fields` for what its
type decides, :meth:`~hypo_contracts.kinds.base.Kind.constrain` for its constraints); this
module sorts the declared calls and builds the :class:`Canonical`.

>>> from hypo_contracts import Int64
>>> canonicalise(Int64().lower_bound(1).upper_bound(9).lower_bound(3), contract="C", name="n")
Canonical(C.n: int64, lo=3, hi=9)
>>> canonicalise(Int64().accepted_values([0, 5, 50]).upper_bound(10), contract="C", name="n")
Canonical(C.n: int64, lo=-9223372036854775808, hi=10, values=(0, 5))
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from . import _regex
from .bounds import Clash, Declared
from .declaration import Column, fmt_call
from .kinds import KINDS, kind_of
from .kinds.string import ALPHABET, STRING_DTYPE
from .kinds.timestamp import DAY_MAX, DAY_MIN, NS_MAX, NS_MIN, NS_PER_DAY, ns_limits
from .weights import canonical_weights

__all__ = [
    "ALPHABET",
    "DAY_MAX",
    "DAY_MIN",
    "NS_MAX",
    "NS_MIN",
    "NS_PER_DAY",
    "STRING_DTYPE",
    "Canonical",
    "canonicalise",
    "has_bounds",
    "ns_limits",
]
#: Strings with no ``max_length`` are generated up to this many characters beyond the minimum.
DEFAULT_EXTRA_LENGTH = 20


def has_bounds(c: Canonical) -> tuple[bool, bool]:
    """Whether the lower and upper bounds say more than the dtype's own range (what a
    validator checks, what a declaration writes out); the column's kind decides.

    >>> from hypo_contracts import data_contract, Int8, Float64
    >>> @data_contract
    ... class T:
    ...     small = Int8().lower_bound(0)
    ...     x = Float64()
    >>> [has_bounds(c) for c in T.__contract__.canonical.values()]
    [(True, False), (False, False)]
    """
    return kind_of(c).has_bounds(c)


@dataclass(frozen=True)
class Canonical:
    """One column, canonicalised. Bounds are inclusive and always set for int, timestamp
    (nanoseconds since the epoch, UTC), timedelta (nanoseconds) and date (days since the
    epoch) columns; float bounds may be infinite. ``weights`` (summing to 1) go with
    ``values`` when declared."""

    contract: str
    name: str
    kind: str
    dtype_name: str
    nullable: bool = False
    unique: bool = False
    lo: Any = None
    hi: Any = None
    values: tuple[Any, ...] | None = None
    min_len: int = 0
    max_len: int | None = None
    regex: str | None = None
    unicode: bool = False
    allow_inf: bool = False
    tz: str | None = None
    weights: tuple[float, ...] | None = None
    precision: int | None = None  # decimal columns: total digits, and digits after the point
    scale: int = 0
    source: Column | None = field(default=None, compare=False)

    def __repr__(self) -> str:
        parts = [f"{self.contract}.{self.name}: {self.dtype_name}"]
        for key in ("lo", "hi", "values", "weights", "regex", "tz"):
            if getattr(self, key) is not None:
                parts.append(f"{key}={getattr(self, key)!r}")
        parts += kind_of(self).repr_parts(self)
        parts += [flag for flag in ("nullable", "unique", "allow_inf") if getattr(self, flag)]
        return f"Canonical({', '.join(parts)})"

    @property
    def where(self) -> str:
        return f"{self.contract}.{self.name}"

    @cached_property
    def dtype(self) -> Any:
        """The pandas dtype of generated columns (the kind's)."""
        return kind_of(self).dtype(self)

    @cached_property
    def compiled_regex(self) -> re.Pattern[str] | None:
        if self.regex is None:
            return None
        return re.compile(self.regex, 0 if self.unicode else re.ASCII)

    @cached_property
    def regex_language(self) -> _regex.Language | None:
        """The generated matches of ``regex`` within the length window (shared per pattern
        and window: its sample pool is built once)."""
        if self.regex is None:
            return None
        flags = 0 if self.unicode else re.ASCII
        return _regex.language(self.regex, flags, self.min_len, self.max_len, ALPHABET)

    @property
    def length_cap(self) -> int:
        """The longest string generated (``max_length`` or the minimum plus a default)."""
        return self.max_len if self.max_len is not None else self.min_len + DEFAULT_EXTRA_LENGTH

    @cached_property
    def simplest(self) -> Any:
        """The value shrinking aims for: 0 clamped into range, the first accepted value or
        category, the shortest string, ``False``; never null."""
        if self.values:
            return self.values[0]
        return kind_of(self).simplest(self)

    @cached_property
    def capacity(self) -> int | None:
        """How many distinct non-null values exist, or None when too many to matter."""
        if self.values is not None:
            return len(self.values)
        return kind_of(self).capacity(self)


def canonicalise(column: Column, *, contract: str, name: str) -> Canonical:
    """Reduce ``column`` to its :class:`Canonical` form or raise ContractError (weights of
    its values included)."""
    canon = _canonical_unweighted(column, contract=contract, name=name)
    if canon.values is None:
        return canon
    key = kind_of(canon).weight_key
    weights = canonical_weights(column, canon.values, key, Clash(contract, name).fail)
    return canon if weights is None else dataclasses.replace(canon, weights=weights)


def _canonical_unweighted(column: Column, *, contract: str, name: str) -> Canonical:
    clash = Clash(contract, name)
    if not isinstance(column, Column):
        raise clash.fail(f"{column!r} is not a column")
    declared = Declared()
    for cname, args in column.constraints:
        text = fmt_call(cname, args)
        if cname == "lower_bound":
            declared.lowers.append((args[0], text))
        elif cname == "upper_bound":
            declared.uppers.append((args[0], text))
        elif cname == "bounded_between":
            declared.lowers.append((args[0], text))
            declared.uppers.append((args[1], text))
        elif cname == "accepted_values":
            declared.accepted.append((args[0], text))
        elif cname == "min_length":
            declared.min_lens.append((args[0], text))
        elif cname == "max_length":
            declared.max_lens.append((args[0], text))
        elif cname == "regex":
            declared.regexes.append((args[0], len(args) > 1 and bool(args[1]), text))
        else:
            declared.flags.add(cname)
    kind = KINDS[column.kind]
    fields: dict[str, Any] = {
        "contract": contract,
        "name": name,
        "kind": column.kind,
        "nullable": "is_optional" in declared.flags,
        "unique": "is_unique" in declared.flags,
        "source": column,
        **kind.canonical_fields(column, clash),
    }
    draft = Canonical(**fields)  # what the column's type decides, for the kind's checks
    return Canonical(**fields, **kind.constrain(draft, declared, clash))
