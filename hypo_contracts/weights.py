"""Weights of value lists: how often each category or accepted value is generated.

Weights are checked when a contract is declared (:func:`check_weights`) and kept on the
canonical column normalised to sum to 1 (:func:`canonical_weights`), aligned with its
values. Samplers map a cell's quantile ``q`` through the cumulative weights
(:func:`pick_weighted`), so ``q`` near 0 still gives the first value, the simplest one.

>>> check_weights(("a", "b"), (3, 1), "Category(['a', 'b'], weights=[3, 1])", ValueError)
(0.75, 0.25)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .declaration import Category, Column, fmt_arg, fmt_call, plain_scalar

__all__ = ["canonical_weights", "check_weights", "pick_weighted"]


def check_weights(
    values: Sequence[Any],
    weights: Sequence[Any],
    text: str,
    fail: Callable[[str], Exception],
) -> tuple[float, ...]:
    """``weights`` checked against ``values`` (one finite number > 0 per value) and
    normalised to sum to 1; ``fail(message)`` builds the error raised otherwise.

    >>> check_weights([1, 2], [1], "Category([1, 2])", ValueError)
    Traceback (most recent call last):
    ...
    ValueError: Category([1, 2]): 1 weight for 2 values; give one weight per value.
    """
    if len(weights) != len(values):
        raise fail(
            f"{text}: {len(weights)} weight{'s' if len(weights) != 1 else ''} for "
            f"{len(values)} value{'s' if len(values) != 1 else ''}; give one weight per value."
        )
    out = []
    for w in weights:
        w = plain_scalar(w)
        if isinstance(w, bool) or not isinstance(w, (int, float)):
            raise fail(f"{text}: weight {w!r} is not a number.")
        if not math.isfinite(w):
            raise fail(f"{text}: weight {w!r} is not a finite number.")
        if w <= 0:
            raise fail(
                f"{text}: weight {w!r} is not > 0; every weight is positive (leave out a "
                "value that should never occur)."
            )
        out.append(float(w))
    total = math.fsum(out)
    if abs(total - 1.0) <= 1e-12:
        # already normalised (e.g. re-declared from ``to_source``): dividing again would move
        # the last digits, and the re-declared contract would not equal the original
        return tuple(out)
    return tuple(w / total for w in out)


def canonical_weights(
    column: Column,
    values: Sequence[Any],
    key: Callable[[Any], Any],
    fail: Callable[[str], Exception],
) -> tuple[float, ...] | None:
    """The normalised weights of canonical ``values`` (the values left after every
    constraint, in order), or ``None`` when the column declares none. A column has at most
    one weighted ``accepted_values`` call; values that other constraints remove take their
    weight with them. ``key`` turns a declared value into its canonical one (the column
    kind's :meth:`~hypo_contracts.kinds.base.Kind.weight_key`).

    >>> from hypo_contracts import Int64
    >>> column = Int64().accepted_values([1, 2, 3], weights=[2, 1, 1])
    >>> canonical_weights(column, (1, 2), int, ValueError)
    (0.6666666666666666, 0.3333333333333333)
    """
    if isinstance(column, Category):
        if column.weights is None:
            return None
        text = f"Category({fmt_arg(column.values)}, weights={fmt_arg(column.weights)})"
        return check_weights(column.values, column.weights, text, fail)
    weighted = [args for name, args in column.constraints if name == "accepted_values"]
    weighted = [args for args in weighted if len(args) == 2]
    if not weighted:
        return None
    if len(weighted) > 1:
        texts = " and ".join(fmt_call("accepted_values", args) for args in weighted)
        raise fail(f"{texts}: one weighted accepted_values() per column; combine them.")
    listed, given = weighted[0]
    text = fmt_call("accepted_values", weighted[0])
    normalised = check_weights(listed, given, text, fail)
    by_value = {key(v): w for v, w in zip(listed, normalised, strict=True)}
    kept = [by_value[v] for v in values]
    total = math.fsum(kept)
    return tuple(w / total for w in kept)


def pick_weighted(weights: Sequence[float], q: np.ndarray) -> np.ndarray:
    """Indices for quantiles ``q`` in [0, 1): index ``i`` for ``q`` in the ``i``-th slice
    of the cumulative weights, so 0 (the simplest value) for ``q`` near 0.

    >>> pick_weighted([0.5, 0.25, 0.25], np.array([0.0, 0.49, 0.5, 0.8, 0.999])).tolist()
    [0, 0, 1, 2, 2]
    """
    cum = np.cumsum(np.asarray(weights, dtype=np.float64))
    cum /= cum[-1]
    idx = np.searchsorted(cum, q, side="right")
    return np.minimum(idx, len(cum) - 1).astype(np.int64)
