"""A kind's canonicalisation hooks: how a declared column becomes canonical
constraints (asked by ``constraints``, ``bounds``, ``narrowing``, ``weights``).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from ..bounds import Clash, Declared, int_bound, intersect_accepted, is_number
from ..declaration import Column, plain_scalar

if TYPE_CHECKING:  # Canonical sits above the kinds (it asks them for its dtype and simplest)
    from ..constraints import Canonical

from .core import KindCore


class CanonHooks(KindCore):
    """The hooks of canonicalisation (constraints, bounds, narrowing); defaults for every kind."""

    # -- canonicalisation (constraints, bounds, narrowing) --

    def canonical_fields(self, column: Column, clash: Clash) -> dict[str, Any]:
        """The fields of the column's :class:`Canonical` that its type decides (the dtype
        name; a time zone, digits), checked (ContractError through ``clash``)."""
        return {"dtype_name": getattr(column, "dtype", self.name)}

    def constrain(self, c: Canonical, declared: Declared, clash: Clash) -> dict[str, Any]:
        """The fields the column's constraints decide, checked; ``c`` holds the type's
        fields. Here: bounds intersected within the dtype's range, accepted values filtered
        by them."""
        lo, lo_text, lo_raw = self._tightest(c, declared.lowers, clash, upper=False)
        hi, hi_text, hi_raw = self._tightest(c, declared.uppers, clash, upper=True)
        lo, hi = self.settle_bounds(c, lo, hi, (lo_text, hi_text), clash)
        if lo > hi:
            raise clash.fail(self._no_value(c, (lo, lo_text, lo_raw), (hi, hi_text, hi_raw)))
        allow_inf = "allow_infinity" in declared.flags
        if allow_inf and math.isfinite(lo) and math.isfinite(hi):
            raise clash.fail(
                f"allow_infinity() cannot be met: {lo_text} and {hi_text} exclude both infinities."
            )
        values = None
        if declared.accepted:
            keep, calls = intersect_accepted(
                declared.accepted, clash, lambda v, text: self.accepted_raw(c, v, text, clash)
            )
            inside = [v for v in keep if lo <= v <= hi]
            if not inside:
                bounds = " and ".join(t for t in (lo_text, hi_text) if t) or "the dtype range"
                raise clash.fail(f"{' and '.join(calls)} leaves no value that satisfies {bounds}.")
            values = tuple(self.to_python(c, v) for v in inside)
        return {"lo": lo, "hi": hi, "values": values, "allow_inf": allow_inf}

    def _no_value(
        self, c: Canonical, lower: tuple[Any, str | None, Any], upper: tuple[Any, str | None, Any]
    ) -> str:
        """Why the lower bound (raw, its text, as declared) is above the upper one."""
        (lo, lo_text, lo_raw), (hi, hi_text, hi_raw) = lower, upper
        why = None if lo_raw is None or hi_raw is None else self.rounded_away(c, lo_raw, hi_raw)
        if why is not None:
            return f"{' and '.join(dict.fromkeys((str(lo_text), str(hi_text))))}: {why}"
        if lo_text == hi_text:
            return f"{lo_text} has its lower bound above its upper bound."
        return (
            f"{lo_text or 'the dtype minimum'} and {hi_text or 'the dtype maximum'} leave no "
            f"value: lower bound {self.shown_bound(c, lo)} > upper bound "
            f"{self.shown_bound(c, hi)}."
        )

    def _tightest(
        self, c: Canonical, bounds: list[tuple[Any, str]], clash: Clash, upper: bool
    ) -> tuple[Any, str | None, Any]:
        """The tightest of ``bounds`` (raw), its text and its value as declared; the dtype's
        limit when there are none."""
        limits = self.dtype_range(c)
        assert limits is not None
        best, best_text, best_raw = limits[1 if upper else 0], None, None
        for value, text in bounds:
            v = self.bound(c, value, text, clash, upper)
            self.check_bound(c, v, text, clash)
            if (v < best) if upper else (v > best):
                best, best_text, best_raw = v, text, value
        return best, best_text, best_raw

    def bound(self, c: Canonical, value: Any, text: str, clash: Clash, upper: bool) -> Any:
        """A declared bound as a raw one (here: a whole number, rounded inwards)."""
        return int_bound(value, text, clash, upper)

    def check_bound(self, c: Canonical, v: Any, text: str, clash: Clash) -> None:
        """A raw bound outside the dtype's range is a ContractError (an infinite integer
        bound, ``2**70``, stands for no bound)."""
        limits = self.dtype_range(c)
        assert limits is not None
        dlo, dhi = limits
        if isinstance(v, int) and not (dlo <= v <= dhi) and abs(v) != 2**70:
            raise clash.fail(
                f"{text} is outside {c.dtype_name}'s range "
                f"[{self.shown_bound(c, dlo)}, {self.shown_bound(c, dhi)}]."
            )

    def settle_bounds(
        self, c: Canonical, lo: Any, hi: Any, texts: tuple[str | None, str | None], clash: Clash
    ) -> tuple[Any, Any]:
        """The intersected bounds moved to values the dtype holds (float32 rounds)."""
        return lo, hi

    def rounded_away(self, c: Canonical, lo_raw: Any, hi_raw: Any) -> str | None:
        """Why bounds declared in order leave no value once rounded inwards, or None."""
        return None

    def shown_bound(self, c: Canonical, value: Any) -> str:
        """A raw bound as declaration errors show it."""
        return self.bound_text(c, value)

    def accepted_raw(self, c: Canonical, v: Any, text: str, clash: Clash) -> Any:
        """One accepted value as a raw one (here: a whole number in the dtype's range)."""
        integral = isinstance(v, (int, np.integer)) or (
            isinstance(v, (float, np.floating)) and float(v).is_integer()
        )
        if not is_number(v) or not integral:
            raise clash.fail(f"{text}: {v!r} is not an integer.")
        limits = self.dtype_range(c)
        assert limits is not None
        dlo, dhi = limits
        if not dlo <= int(v) <= dhi:
            raise clash.fail(f"{text}: {v!r} is outside {c.dtype_name}'s range [{dlo}, {dhi}].")
        return int(v)

    def weight_key(self, v: Any) -> Any:
        """A declared accepted value as the key its weight is found under in the values."""
        return plain_scalar(v)

    def repr_parts(self, c: Canonical) -> list[str]:
        """What ``repr(Canonical)`` shows beyond bounds, values, weights, regex and tz."""
        return []

    def admits(self, c: Canonical, value: Any) -> bool:
        """Whether ``c``'s constraints besides its values allow ``value`` (a value of its
        kind, as accepted values hold them)."""
        return bool(c.lo <= value <= c.hi)

    def narrowing(self, outer: Canonical, inner: Canonical) -> str | None:
        """Why ``inner`` (same kind, dtype, nullability and uniqueness) allows a value
        ``outer`` does not, or None (see :func:`hypo_contracts.narrowing.contains`)."""
        where = outer.where
        if inner.values is not None:
            outside = [
                v
                for v in inner.values
                if not (v in outer.values if outer.values is not None else self.admits(outer, v))
            ]
            if outside:
                shown = ", ".join(map(repr, outside))
                are = "values ... are" if len(outside) > 1 else "value ... is"
                return f"its accepted {are.replace('...', shown)} not allowed by {where}"
            return None
        if outer.values is not None:
            return (
                f"{where} accepts only {list(outer.values)!r}; narrow it with accepted_values() "
                "among them"
            )
        return self.narrows_within(outer, inner)

    def narrows_within(self, outer: Canonical, inner: Canonical) -> str | None:
        """Why ``inner``'s own constraints (neither has values) reach beyond ``outer``'s:
        here its bounds or infinities."""
        where = outer.where
        if inner.lo < outer.lo:
            return (
                f"its lower bound {self.bound_text(inner, inner.lo)} is below the lower bound "
                f"{self.bound_text(outer, outer.lo)} of {where}"
            )
        if inner.hi > outer.hi:
            return (
                f"its upper bound {self.bound_text(inner, inner.hi)} is above the upper bound "
                f"{self.bound_text(outer, outer.hi)} of {where}"
            )
        if inner.allow_inf and not outer.allow_inf:
            return f"it allows infinities and {where} does not"
        return None
