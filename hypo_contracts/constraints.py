"""Canonical constraints: every declared column reduced to one flat, checked description.

Canonicalisation is where contradictions are found. Bounds intersect, accepted values are
filtered by every other constraint, lengths are checked against a regex's possible widths,
and whatever can never be satisfied raises :class:`~hypo_contracts.ContractError` naming the
contract, the column and the constraints that clash. Everything downstream (Hypothesis
strategies, the numpy sampler, pandera schemas) reads only :class:`Canonical`.

>>> from hypo_contracts import Int64
>>> canonicalise(Int64().lower_bound(1).upper_bound(9).lower_bound(3), contract="C", name="n")
Canonical(C.n: int64, lo=3, hi=9)
>>> canonicalise(Int64().accepted_values([0, 5, 50]).upper_bound(10), contract="C", name="n")
Canonical(C.n: int64, lo=-9223372036854775808, hi=10, values=(0, 5))
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from . import _regex, times
from .bounds import (
    Clash,
    check_tz,
    date_bound,
    float32_inwards,
    float_bound,
    in_dtype,
    in_float32,
    int_bound,
    is_number,
    show_bound,
    td_bound,
    ts_bound,
)
from .declaration import Category, Column, Decimal, Timestamp, fmt_call, plain_scalar
from .kinds import decimal as decimal_kind
from .kinds import kind_of
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
        if self.kind == "string" and (self.min_len or self.max_len is not None):
            parts.append(f"len=[{self.min_len}, {self.max_len}]")
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
    weights = canonical_weights(column, canon.values, canon.kind, Clash(contract, name).fail)
    return canon if weights is None else dataclasses.replace(canon, weights=weights)


def _canonical_unweighted(column: Column, *, contract: str, name: str) -> Canonical:
    clash = Clash(contract, name)
    if not isinstance(column, Column):
        raise clash.fail(f"{column!r} is not a column")
    lowers: list[tuple[Any, str]] = []
    uppers: list[tuple[Any, str]] = []
    accepted: list[tuple[tuple[Any, ...], str]] = []
    min_lens: list[tuple[int, str]] = []
    max_lens: list[tuple[int, str]] = []
    regexes: list[tuple[str, bool, str]] = []
    flags: set[str] = set()
    for cname, args in column.constraints:
        text = fmt_call(cname, args)
        if cname == "lower_bound":
            lowers.append((args[0], text))
        elif cname == "upper_bound":
            uppers.append((args[0], text))
        elif cname == "bounded_between":
            lowers.append((args[0], text))
            uppers.append((args[1], text))
        elif cname == "accepted_values":
            accepted.append((args[0], text))
        elif cname == "min_length":
            min_lens.append((args[0], text))
        elif cname == "max_length":
            max_lens.append((args[0], text))
        elif cname == "regex":
            regexes.append((args[0], len(args) > 1 and bool(args[1]), text))
        else:
            flags.add(cname)

    base: dict[str, Any] = {
        "contract": contract,
        "name": name,
        "kind": column.kind,
        "nullable": "is_optional" in flags,
        "unique": "is_unique" in flags,
        "source": column,
    }
    kind = column.kind
    if kind == "bool":
        return Canonical(dtype_name="bool", **base)
    if kind == "category":
        assert isinstance(column, Category)
        return Canonical(dtype_name="category", values=_categories(column, clash), **base)
    if kind == "string":
        return _string(base, clash, accepted, min_lens, max_lens, regexes)
    # numeric-like kinds
    dtype_name: str = getattr(column, "dtype", kind)
    dlo: Any
    dhi: Any
    convert: Any
    if kind == "int":
        info = np.iinfo(dtype_name)
        dlo, dhi, convert = int(info.min), int(info.max), int_bound
    elif kind == "float":
        dlo, dhi, convert = -math.inf, math.inf, float_bound
    elif kind == "timestamp":
        assert isinstance(column, Timestamp)
        base["tz"] = check_tz(column.time_zone, clash)
        dtype_name = f"datetime64[ns, {base['tz']}]" if base["tz"] else "datetime64[ns]"
        dlo, dhi = ns_limits(base["tz"])

        def convert(v: Any, text: str, c: Clash, upper: bool) -> Any:
            return ts_bound(v, text, c, base["tz"])
    elif kind == "timedelta":
        dtype_name = "timedelta64[ns]"
        dlo, dhi, convert = times.TD_MIN, times.TD_MAX, td_bound
    elif kind == "decimal":
        assert isinstance(column, Decimal)
        p, scale = decimal_kind.check_digits(column.precision, column.scale, clash)
        base["precision"], base["scale"] = p, scale
        dtype_name = f"decimal({p}, {scale})"
        dlo, dhi = -(10**p - 1), 10**p - 1
        convert = decimal_kind.bound_converter(p, scale)
    else:  # date
        dtype_name = "datetime64[ns]"
        dlo, dhi, convert = DAY_MIN, DAY_MAX, date_bound

    lo: Any = dlo
    lo_text: str | None = None
    lo_raw: Any = None  # the bound as declared (an int column rounds it inwards)
    for value, text in lowers:
        v = convert(value, text, clash, False)
        in_dtype(v, dlo, dhi, text, kind, dtype_name, clash)
        in_float32(v, text, dtype_name, clash)
        if v > lo:
            lo, lo_text, lo_raw = v, text, value
    hi: Any = dhi
    hi_text: str | None = None
    hi_raw: Any = None
    for value, text in uppers:
        v = convert(value, text, clash, True)
        in_dtype(v, dlo, dhi, text, kind, dtype_name, clash)
        in_float32(v, text, dtype_name, clash)
        if v < hi:
            hi, hi_text, hi_raw = v, text, value
    if kind == "float" and dtype_name == "float32":
        lo32, hi32 = float32_inwards(lo, hi)
        if lo <= hi and lo32 > hi32:
            raise clash.fail(
                f"{' and '.join(dict.fromkeys(t for t in (lo_text, hi_text) if t))}: no float32 "
                f"lies in [{lo!r}, {hi!r}] (the nearest are {float(np.float32(lo))!r} and "
                f"{float(np.float32(hi))!r}). Widen the bounds or use Float64."
            )
        lo, hi = lo32, hi32
    if lo > hi:

        def shown(v: Any) -> str:
            if kind == "decimal":
                return str(decimal_kind.units_to_decimal(v, base["scale"]))
            return show_bound(v, kind)

        if kind == "int" and lo_raw is not None and hi_raw is not None and lo_raw <= hi_raw:
            texts = " and ".join(dict.fromkeys((str(lo_text), str(hi_text))))
            raise clash.fail(
                f"{texts}: no whole number lies in "
                f"[{plain_scalar(lo_raw)!r}, {plain_scalar(hi_raw)!r}], "
                f"so the {dtype_name} column has no value. Widen the bounds or use a Float column."
            )
        if (
            kind == "decimal"
            and lo_raw is not None
            and hi_raw is not None
            and decimal_kind.as_decimal(lo_raw) <= decimal_kind.as_decimal(hi_raw)  # type: ignore[operator]
        ):
            texts = " and ".join(dict.fromkeys((str(lo_text), str(hi_text))))
            raise clash.fail(
                f"{texts}: no {dtype_name} value lies in [{lo_raw}, {hi_raw}] (bounds round "
                f"inwards to {base['scale']} digits after the point). Widen the bounds or "
                "raise the scale."
            )
        if lo_text == hi_text:
            raise clash.fail(f"{lo_text} has its lower bound above its upper bound.")
        raise clash.fail(
            f"{lo_text or 'the dtype minimum'} and {hi_text or 'the dtype maximum'} leave no "
            f"value: lower bound {shown(lo)} > upper bound {shown(hi)}."
        )
    allow_inf = "allow_infinity" in flags
    if allow_inf and math.isfinite(lo) and math.isfinite(hi):
        raise clash.fail(
            f"allow_infinity() cannot be met: {lo_text} and {hi_text} exclude both infinities."
        )
    values = None
    if accepted and kind == "decimal":
        as_units = decimal_kind.accepted_converter(base["precision"], base["scale"], clash)
        units = _accepted_numbers(
            accepted, lo, hi, lo_text, hi_text, dlo, dhi, dtype_name, clash, as_units
        )
        values = tuple(decimal_kind.units_to_decimal(u, base["scale"]) for u in units)
    elif accepted:
        values = _accepted_numbers(accepted, lo, hi, lo_text, hi_text, dlo, dhi, dtype_name, clash)
    return Canonical(
        dtype_name=dtype_name, lo=lo, hi=hi, values=values, allow_inf=allow_inf, **base
    )


def _accepted_numbers(
    accepted: list[tuple[tuple[Any, ...], str]],
    lo: Any,
    hi: Any,
    lo_text: str | None,
    hi_text: str | None,
    dlo: int,
    dhi: int,
    dtype_name: str,
    clash: Clash,
    convert: Callable[[Any, str], Any] | None = None,
) -> tuple[Any, ...]:
    def as_int(v: Any, text: str) -> int:
        integral = isinstance(v, (int, np.integer)) or (
            isinstance(v, (float, np.floating)) and float(v).is_integer()
        )
        if not is_number(v) or not integral:
            raise clash.fail(f"{text}: {v!r} is not an integer.")
        if not dlo <= int(v) <= dhi:
            raise clash.fail(f"{text}: {v!r} is outside {dtype_name}'s range [{dlo}, {dhi}].")
        return int(v)

    keep, texts = _intersect_accepted(accepted, clash, convert or as_int)
    inside = [v for v in keep if lo <= v <= hi]
    if not inside:
        bounds = " and ".join(t for t in (lo_text, hi_text) if t) or "the dtype range"
        raise clash.fail(f"{' and '.join(texts)} leaves no value that satisfies {bounds}.")
    return tuple(inside)


def _intersect_accepted(
    accepted: list[tuple[tuple[Any, ...], str]],
    clash: Clash,
    convert: Callable[[Any, str], Any],
) -> tuple[list[Any], list[str]]:
    """The values every ``accepted_values`` call allows, in first-declared order, each
    passed through ``convert`` (which raises for a value of the wrong type), and the calls'
    texts for messages."""
    keep: list[Any] | None = None
    texts: list[str] = []
    for values, text in accepted:
        texts.append(text)
        current = list(dict.fromkeys(convert(v, text) for v in values))
        if not current:
            raise clash.fail(f"{text} accepts nothing; list at least one value.")
        keep = current if keep is None else [v for v in keep if v in set(current)]
        if not keep:
            raise clash.fail(f"{' and '.join(texts)} have no value in common.")
    assert keep is not None
    return keep, texts


def _categories(column: Category, clash: Clash) -> tuple[Any, ...]:
    values = column.values
    if not values:
        raise clash.fail("Category([]) has no categories.")
    seen = set()
    for v in values:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            raise clash.fail(f"{column._ctor_repr()}: null is not a category; use .is_optional().")
        try:
            hash(v)
        except TypeError:
            raise clash.fail(f"{column._ctor_repr()}: category {v!r} is not hashable.") from None
        if v in seen:
            raise clash.fail(f"{column._ctor_repr()}: category {v!r} is repeated.")
        seen.add(v)
    return tuple(plain_scalar(v) for v in values)


def _string(
    base: dict[str, Any],
    clash: Clash,
    accepted: list[tuple[tuple[Any, ...], str]],
    min_lens: list[tuple[int, str]],
    max_lens: list[tuple[int, str]],
    regexes: list[tuple[str, bool, str]],
) -> Canonical:
    for n, text in min_lens + max_lens:
        if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 0:
            raise clash.fail(f"{text}: lengths are whole numbers >= 0.")
    min_len, min_text = max(((int(n), t) for n, t in min_lens), default=(0, None))
    max_len, max_text = min(((int(n), t) for n, t in max_lens), default=(None, None))
    if max_len is not None and min_len > max_len:
        raise clash.fail(f"{min_text} > {max_text}: no string is that long and that short.")
    if len(regexes) > 1:
        raise clash.fail(
            f"{' and '.join(r[2] for r in regexes)}: one regex per column; combine them."
        )
    regex, unicode = None, False
    if regexes:
        regex, unicode, rtext = regexes[0]
        if not isinstance(regex, str):
            raise clash.fail(f"{rtext}: the pattern must be a string.")
        flags = 0 if unicode else re.ASCII
        try:
            re.compile(regex, flags)
        except re.error as exc:
            raise clash.fail(f"{rtext} is not a valid regular expression: {exc}.") from None
        rmin, rmax = _regex.widths(regex, flags)
        if max_len is not None and rmin > max_len:
            raise clash.fail(
                f"{rtext} matches nothing shorter than {rmin} characters, but {max_text}."
            )
        if rmax < min_len:
            raise clash.fail(
                f"{rtext} matches nothing longer than {rmax} characters, but {min_text}."
            )
    values = None
    for listed, text in accepted:  # as for Category: a repeat is a typo, not a weight
        repeated = next((v for i, v in enumerate(listed) if v in listed[:i]), None)
        if repeated is not None:
            raise clash.fail(f"{text}: value {repeated!r} is repeated; list each value once.")
    if accepted:

        def as_str(v: Any, text: str) -> str:
            if not isinstance(v, str):
                raise clash.fail(f"{text}: {v!r} is not a string.")
            return v

        values, texts = _intersect_accepted(accepted, clash, as_str)
        pattern = re.compile(regex, 0 if unicode else re.ASCII) if regex else None
        values = [
            v
            for v in values
            if len(v) >= min_len
            and (max_len is None or len(v) <= max_len)
            and (pattern is None or pattern.fullmatch(v))
        ]
        if not values:
            others = [t for t in (min_text, max_text) if t] + ([regexes[0][2]] if regexes else [])
            raise clash.fail(
                f"{' and '.join(texts)} leaves no value that satisfies {' and '.join(others)}."
            )
    canon = Canonical(
        dtype_name="str",
        min_len=min_len,
        max_len=max_len,
        regex=regex,
        unicode=unicode,
        values=tuple(values) if values is not None else None,
        **base,
    )
    if regex is not None and values is None:
        filtered = _regex.filtered(regex, 0 if unicode else re.ASCII)
        if min_len > 0 or max_len is not None or filtered is not None:
            _check_regex_window(canon, regexes[0][2], min_text, max_text, clash, filtered)
    return canon


#: Samples drawn to look for one match of a regex inside a length window.
REGEX_WINDOW_SAMPLES = 5_000


def _check_regex_window(
    c: Canonical,
    rtext: str,
    min_text: str | None,
    max_text: str | None,
    clash: Clash,
    filtered: str | None = None,
) -> None:
    """A regex whose widths straddle the length window can still have no match inside it
    (``(ab|cde)*`` has none of length 1): count them when the language is countable, else
    look for one by construction, then by sampling. Regexes with lookarounds (``filtered``)
    are always checked: their matches are built without them and filtered."""
    lang = c.regex_language
    assert lang is not None
    if not lang.has_match(REGEX_WINDOW_SAMPLES):
        window = " and ".join(t for t in (min_text, max_text) if t)
        if filtered is not None:
            within = f" allowed by {window}" if window else ""
            raise clash.fail(
                f"{rtext} uses {filtered}; strings are built without it and kept when they "
                f"match, and none of {REGEX_WINDOW_SAMPLES:,} did{within}. Rewrite the "
                "regex without it."
            )
        how = "none" if lang.size is not None else f"none in {REGEX_WINDOW_SAMPLES:,} samples"
        raise clash.fail(
            f"{rtext} has no match allowed by {window} ({how}); widen the length window "
            "or change the regex."
        )
