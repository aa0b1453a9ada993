"""What every reader of a foreign format shares: collecting what cannot be translated,
exclusive bounds, and building the contract with errors that name the source.

>>> from hypo_contracts import Int64
>>> C = build_contract("Orders", {"n": Int64().lower_bound(after(0, "int"))}, origin="s.yaml")
>>> C.n
Int64().lower_bound(1)
>>> notes = Untranslatable("s.yaml")
>>> notes.add("x", "custom check <lambda>")
>>> notes.settle("error")
Traceback (most recent call last):
...
hypo_contracts.errors.ContractError: s.yaml: 1 constraint cannot be ...: x: custom check <lambda>...
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..contract import Contract, data_contract
from ..declaration import Column
from ..errors import ContractError

__all__ = [
    "STRING_FORMATS",
    "Unsupported",
    "Untranslatable",
    "after",
    "before",
    "build_contract",
    "ends_anchored",
    "strip_anchors",
]

Unsupported = Literal["error", "ignore"]

#: String formats (ODCS ``format``, Table Schema ``format``) as the regex generated values
#: fully match: conservative, so that strict validators accept them too.
STRING_FORMATS = {
    "email": r"[a-z0-9]([a-z0-9_+-]{0,18}[a-z0-9])?@[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?\.[a-z]{2,6}",
    "uuid": r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    "ipv4": r"((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)",
}


class Untranslatable:
    """The constraints of one source that no contract column can express."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.items: list[str] = []

    def add(self, where: str, what: str) -> None:
        self.items.append(f"{where}: {what}")

    def settle(self, unsupported: Unsupported) -> None:
        """Raise one ContractError listing them all, or (``"ignore"``) warn with the list."""
        if unsupported not in ("error", "ignore"):
            raise ValueError(f"unsupported={unsupported!r}: use 'error' or 'ignore'.")
        if not self.items:
            return
        n = len(self.items)
        listing = "; ".join(self.items)
        s = "s" if n != 1 else ""
        if unsupported == "error":
            raise ContractError(
                f"{self.origin}: {n} constraint{s} cannot be expressed in a data contract: "
                f"{listing}. Pass unsupported='ignore' to drop them (with a warning)."
            )
        warnings.warn(
            f"{self.origin}: dropped {n} untranslatable constraint{s}: {listing}",
            UserWarning,
            stacklevel=3,
        )


def strip_anchors(pattern: str) -> str:
    """``pattern`` without a leading ``^`` and a trailing (unescaped) ``$``, and without the
    ``(?:...)`` group around it that ``to_odcs`` writes: the same full matches.

    >>> strip_anchors("^[A-Z]{2}$"), strip_anchors("^(?:a|b)$"), strip_anchors(r"cost \\$")
    ('[A-Z]{2}', 'a|b', 'cost \\\\$')
    """
    if pattern.startswith("^(?:") and pattern.endswith(")$"):
        try:
            re.compile(pattern[4:-2])
            return pattern[4:-2]
        except re.error:
            pass
    if pattern.startswith("^"):
        pattern = pattern[1:]
    return pattern[:-1] if ends_anchored(pattern) else pattern


def ends_anchored(pattern: str) -> bool:
    """Whether ``pattern`` ends with an unescaped ``$``.

    >>> ends_anchored("a+$"), ends_anchored(r"a\\$"), ends_anchored("a+")
    (True, False, False)
    """
    if not pattern.endswith("$"):
        return False
    body = pattern[:-1]
    return (len(body) - len(body.rstrip("\\"))) % 2 == 0


def _day_step(days: int) -> Callable[[Any], Any]:
    """The next (``days=1``) or previous date; a time of day already rounds inwards."""

    def step(value: Any) -> Any:
        ts = pd.Timestamp(value)
        return ts + pd.Timedelta(days=days) if ts == ts.normalize() else ts

    return step


_STEPS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "int": (lambda v: math.floor(v) + 1, lambda v: math.ceil(v) - 1),
    "float": (
        lambda v: float(np.nextafter(float(v), math.inf)),
        lambda v: float(np.nextafter(float(v), -math.inf)),
    ),
    "timestamp": (
        lambda v: pd.Timestamp(v) + pd.Timedelta(1, "ns"),
        lambda v: pd.Timestamp(v) - pd.Timedelta(1, "ns"),
    ),
    "date": (_day_step(1), _day_step(-1)),
    "timedelta": (
        lambda v: pd.Timedelta(v) + pd.Timedelta(1, "ns"),
        lambda v: pd.Timedelta(v) - pd.Timedelta(1, "ns"),
    ),
}
"""Column kind -> (the value just above, the value just below) a bound, for the kinds whose
exclusive bounds the readers translate."""


def after(value: Any, kind: str) -> Any:
    """The smallest value of ``kind`` strictly above ``value`` (an exclusive lower bound).

    >>> after(2.5, "int"), after(2, "int"), after(0.0, "float") > 0.0
    (3, 3, True)
    >>> after(pd.Timestamp("2024-01-01"), "date")
    Timestamp('2024-01-02 00:00:00')
    """
    return _STEPS[kind][0](value)


def before(value: Any, kind: str) -> Any:
    """The largest value of ``kind`` strictly below ``value`` (an exclusive upper bound).

    >>> before(2.5, "int"), before(2, "int"), before(pd.Timestamp("2024-01-01"), "date")
    (2, 1, Timestamp('2023-12-31 00:00:00'))
    """
    return _STEPS[kind][1](value)


def build_contract(
    name: str,
    columns: Mapping[str, Column],
    *,
    origin: str,
    notes: Untranslatable | None = None,
    unsupported: Unsupported = "error",
    strict: bool = False,
    unique_together: Sequence[Sequence[str]] = (),
) -> type[Contract]:
    """``@data_contract`` over ``columns`` (any names, through ``type``); untranslatable
    constraints are settled first, and a contradiction is a ContractError naming ``origin``."""
    if notes is not None:
        notes.settle(unsupported)
    if not columns:
        raise ContractError(f"{origin}: no columns to make a contract of.")
    class_name = name if name.isidentifier() else "".join(c if c.isalnum() else "_" for c in name)
    try:
        body = type(class_name or "Contract", (), dict(columns))
        return data_contract(strict=strict, unique_together=unique_together)(body)
    except ContractError as exc:
        raise ContractError(f"{origin}: {exc}") from None
