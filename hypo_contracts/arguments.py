"""Argument checking shared by every public entry point that takes a contract.

One policy (docs/guide.md, "Errors"): a bad argument raises
:class:`~hypo_contracts.errors.InvalidArgument` whose message starts with
``func(Contract, ...): `` and says what to pass instead.

>>> from hypo_contracts.compiled import contract_info
>>> from hypo_contracts.examples import WineQuality
>>> check_rows(contract_info(WineQuality, "frames()"), [], None, 2, 5)
(2, 5)
>>> call_head("frames()", contract_info(WineQuality, "frames()"))
'frames(WineQuality, ...): '
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .compiled import ContractInfo
from .constraints import Canonical
from .errors import InvalidArgument, is_whole

__all__ = [
    "BACKENDS",
    "DEFAULT_MAX_ROWS",
    "call_head",
    "check_backend_name",
    "check_rows",
    "select_columns",
    "unique_room",
]

#: ``max_rows`` when neither ``rows`` nor ``max_rows`` is given.
DEFAULT_MAX_ROWS = 100
#: The frame libraries generated frames can come in (docs/engines.md).
BACKENDS = ("pandas", "polars")


def call_head(where: str, info: ContractInfo) -> str:
    """The prefix of every argument error: ``frames(WineQuality, ...): ``."""
    return f"{where[:-2] if where.endswith('()') else where}({info.name}, ...): "


def check_backend_name(where: str, info: ContractInfo, backend: Any) -> str:
    """``backend`` checked: one of :data:`BACKENDS` (whether the contract's columns fit
    that library is :func:`hypo_contracts.engines.polars.check_backend`'s).

    >>> from hypo_contracts.compiled import contract_info
    >>> from hypo_contracts.examples import WineQuality
    >>> check_backend_name("frames()", contract_info(WineQuality, "frames()"), "arrow")
    Traceback (most recent call last):
    ...
    hypo_contracts.errors.InvalidArgument: frames(WineQuality, ...): backend='arrow' is not a \
frame library hypo_contracts generates; pass backend='pandas' (the default) or 'polars'.
    """
    if isinstance(backend, str) and backend in BACKENDS:
        return backend
    raise InvalidArgument(
        f"{call_head(where, info)}backend={backend!r} is not a frame library hypo_contracts "
        "generates; pass backend='pandas' (the default) or 'polars'."
    )


def unique_room(c: Canonical, want: int) -> int | None:
    """How many rows a unique column can fill (its distinct values, plus one null when
    optional), or ``None`` when it is not unique or has at least ``want`` values. A regex
    whose language cannot be counted is sampled: finding fewer distinct matches than asked
    for in 50x as many draws means the language is about that small."""
    if not c.unique:
        return None
    capacity = c.capacity
    lang = c.regex_language
    if lang is not None and lang.size is None and c.values is None:
        wanted = min(want, 2_000)
        found = len(lang.matches(wanted)[0])
        capacity = found if found < wanted else None
    if capacity is None:
        return None
    return capacity + (1 if c.nullable else 0)


def check_rows(
    info: ContractInfo,
    cols: Sequence[Canonical],
    rows: int | None,
    min_rows: int,
    max_rows: int | None,
    where: str = "frames()",
) -> tuple[int, int]:
    """The row range ``(lo, hi)`` a call asks for, checked: whole numbers, ``rows`` or a
    range, ``min_rows <= max_rows``, and no more rows than a unique column has values
    (``max_rows`` left out is capped there)."""
    head = call_head(where, info)

    def whole(name: str, value: Any) -> int:
        if not is_whole(value, least=None):
            raise InvalidArgument(
                f"{head}{name}={value!r} must be a whole number of rows (an int >= 0)."
            )
        if value < 0:
            raise InvalidArgument(f"{head}{name}={value!r} must be >= 0.")
        return int(value)

    if rows is not None:
        if min_rows != 0 or max_rows is not None:
            raise InvalidArgument(
                f"{head}Pass either rows={rows!r} (a fixed row count) or min_rows/max_rows "
                f"(a range), not both (got min_rows={min_rows!r}, max_rows={max_rows!r})."
            )
        lo = hi = whole("rows", rows)
    else:
        lo = whole("min_rows", min_rows)
        hi = max(lo, DEFAULT_MAX_ROWS) if max_rows is None else whole("max_rows", max_rows)
        if lo > hi:
            raise InvalidArgument(
                f"{head}min_rows={lo} > max_rows={hi}: no row count satisfies both. Swap "
                f"them, or pass rows={lo} for a fixed count."
            )
    for c in cols:
        room = unique_room(c, hi)
        if room is not None:
            if lo > room:
                raise InvalidArgument(
                    f"{head}{c.where} is unique with only {room} possible values, so frames "
                    f"of {lo} rows cannot exist. Ask for at most {room} rows."
                )
            if hi > room and max_rows is None:
                hi = room
            elif hi > room:
                raise InvalidArgument(
                    f"{head}max_rows={hi}: {c.where} is unique with only {room} possible "
                    f"values. Pass max_rows={room} or fewer."
                )
    return lo, hi


def select_columns(
    info: ContractInfo, columns: Iterable[str] | None, where: str
) -> list[Canonical]:
    """The columns a call selects (all of them for ``None``), checked and in order."""
    if columns is None:
        return list(info.canonical.values())
    head = call_head(where, info)
    if isinstance(columns, str):
        raise InvalidArgument(
            f"{head}columns={columns!r} must be a list of column names, not one string; "
            f"did you mean columns=[{columns!r}]?"
        )
    names = list(columns)
    unknown = [n for n in names if n not in info.canonical]
    if unknown:
        raise InvalidArgument(
            f"{head}{info.name} has no column {', '.join(map(repr, unknown))}. "
            f"Its columns are: {', '.join(info.canonical)}."
        )
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise InvalidArgument(f"{head}columns repeats {', '.join(map(repr, repeated))}.")
    return [info.canonical[n] for n in names]
