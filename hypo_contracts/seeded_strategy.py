"""The strategy type of the patterns (:mod:`hypo_contracts.patterns`): a public Hypothesis
strategy (``st.composite``, no ``SearchStrategy`` subclass) with a reproducible, numpy-filled
``.example(seed=...)``.

>>> from hypothesis import strategies as st
>>> pattern = pattern_strategy(st.just(1), lambda seed: seed, "ones(rows=1)")
>>> pattern, pattern.example(seed=3)
(ones(rows=1), 3)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, cast

import pandas as pd
from hypothesis import strategies as st

from .errors import InvalidArgument, is_whole

__all__ = ["PatternStrategy", "SeededExample", "check_seed", "pattern_strategy"]


def check_seed(head: str, seed: Any) -> int | None:
    """``seed`` checked: an int >= 0, or None for fresh data on each call; ``head`` is the
    policy's prefix, e.g. ``"example_tables(Orders, ...): "``.

    >>> check_seed("f(X, ...): ", "x")
    Traceback (most recent call last):
    ...
    hypo_contracts.errors.InvalidArgument: f(X, ...): seed='x' must be an int >= 0 or None.
    """
    if seed is None:
        return None
    if not is_whole(seed):
        raise InvalidArgument(f"{head}seed={seed!r} must be an int >= 0 or None.")
    return int(seed)


class SeededExample:
    """The ``.example(seed=...)`` of a pattern strategy: one frame filled with numpy.

    It replaces Hypothesis's interactive-only ``example()`` on the strategies that
    :func:`with_values`, :func:`features_for` and :func:`planted` return: no Hypothesis is
    involved, and the same seed always gives the same frame (``seed=None``: a fresh one).
    """

    def __init__(self, sample: Callable[[int | None], Any], description: str) -> None:
        self.sample = sample
        self.description = description

    def __call__(self, seed: int | None = None) -> Any:
        """One frame of the pattern, filled with numpy; reproducible for a given ``seed``."""
        if seed is not None and not is_whole(seed):
            raise InvalidArgument(
                f"{self.description}.example(seed={seed!r}): the seed must be an int >= 0 or None."
            )
        return self.sample(None if seed is None else int(seed))

    def __repr__(self) -> str:
        return f"{self.description}.example"


if TYPE_CHECKING:  # what type checkers see; at run time a pattern is a composite strategy

    class PatternStrategy(st.SearchStrategy[pd.DataFrame]):
        def example(self, seed: int | None = None) -> pd.DataFrame: ...

else:
    PatternStrategy = st.SearchStrategy


class _Shown:
    """An argument that shows as ``text`` in a strategy's repr."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def pattern_strategy(
    inner: st.SearchStrategy[Any],
    sample: Callable[[int | None], Any],
    description: str,
    pinned: tuple[Any, Mapping[str, pd.Series], list[str]] | None = None,
) -> PatternStrategy:
    """A public Hypothesis strategy drawing from ``inner`` (so frames shrink as usual), shown
    as ``description``, with a seeded numpy ``.example(seed=...)`` (:class:`SeededExample`).

    Built with ``st.composite`` (Hypothesis advises against subclassing ``SearchStrategy``):
    the composite is named after the public function and its one argument shows the rest
    of ``description``, so the repr is ``description`` itself.
    """
    name, _, args = description.partition("(")

    def draw_pattern(draw: st.DrawFn, shown: _Shown) -> Any:
        return draw(inner)

    draw_pattern.__name__ = draw_pattern.__qualname__ = name
    strategy = st.composite(draw_pattern)(_Shown(args[:-1]))
    # each call builds a fresh strategy object, so the seeded sampler is this pattern's own
    strategy.example = SeededExample(sample, description)  # type: ignore[method-assign]
    # what tables(..., patterns=...) reads (table_pins.PinnedPattern): the contract's info,
    # the pinned columns and the columns drawn
    pattern = cast(Any, strategy)
    pattern.info, pattern.pins, pattern.columns = pinned if pinned else (None, None, [])
    return cast("PatternStrategy", strategy)
