"""The exceptions of hypo_contracts, one per kind of mistake.

- ``InvalidArgument``: a bad argument to a public function (``frames``, ``records``, the
  patterns, ``example``, ``validate``, ``coerce``, ``shrink``, ``check_pipeline``...). The
  message starts with ``func(Contract, ...): `` and says what to pass instead. It is
  Hypothesis's ``InvalidArgument`` (a ``TypeError``) and a ``ValueError`` too.
- ``ContractError``: a contract (or a pattern built on one) can never be satisfied; raised
  where the contract or pattern is declared, naming the contract, the column and the
  constraints that clash.
- ``ContractViolation``: a concrete data frame breaks a contract (``Contract.validate``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis.errors import InvalidArgument as _HypothesisInvalidArgument


class InvalidArgument(_HypothesisInvalidArgument, ValueError):
    """A bad argument to a public function; the message names the call and what to do.

    >>> from hypo_contracts import frames
    >>> from hypo_contracts.examples import WineQuality
    >>> try:
    ...     frames(WineQuality, rows=-1)
    ... except InvalidArgument as e:
    ...     print(e)
    frames(WineQuality, ...): rows=-1 must be >= 0.
    """


def is_whole(value: Any, least: int | None = 0) -> bool:
    """Whether ``value`` is a whole number (a Python or numpy int, not a bool) ``>= least``
    (any int when ``least`` is None): the one test of every count and seed argument; each
    caller words its own message.

    >>> is_whole(3), is_whole(-1), is_whole(-1, least=None), is_whole(True), is_whole(2.0)
    (True, False, True, False, False)
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        return False
    return least is None or bool(value >= least)


def bad_argument(func: str, contract: str | None, message: str) -> InvalidArgument:
    """``InvalidArgument`` with the policy's prefix: ``func(Contract, ...): message``
    (``func(...): message`` when no contract is involved)."""
    head = f"{func}({contract}, ...)" if contract else f"{func}(...)"
    return InvalidArgument(f"{head}: {message}")


class ContractError(ValueError):
    """A contract, column or pattern that contradicts itself.

    >>> from hypo_contracts import data_contract, Int64
    >>> try:
    ...     @data_contract
    ...     class Bad:
    ...         n = Int64().bounded_between(5, 1)
    ... except ContractError as e:
    ...     print(e)
    Bad.n: bounded_between(5, 1) has its lower bound above its upper bound.
    """


class ContractViolation(ValueError):
    """A data frame that breaks its contract.

    ``failures`` is pandera's failure-case frame (columns ``column``, ``check``,
    ``failure_case``, ``index``), or ``None`` when the frame was rejected as a whole.

    >>> import pandas as pd
    >>> from hypo_contracts import data_contract, Int64
    >>> @data_contract
    ... class Small:
    ...     n = Int64().bounded_between(0, 3)
    >>> try:
    ...     Small.validate(pd.DataFrame({"n": [1, 7]}))
    ... except ContractViolation as e:
    ...     print(e.failures[["column", "failure_case", "index"]].to_string(index=False))
    column failure_case  index
         n            7      1
    """

    def __init__(self, message: str, failures: Any = None) -> None:
        super().__init__(message)
        self.failures = failures


class GenerationError(ContractError):
    """Data a contract derives during a draw breaks the contract: a ``computed`` column
    whose result is out of its bounds, or rows that cannot fit a rule (more rows than
    ``unique_together`` has combinations, a ``strictly`` increasing group longer than the
    column's range). Raised from ``Contract.example`` and from inside ``frames()`` draws; a
    :class:`ContractError`, so it names the contract, the column and the rule.

    >>> from hypo_contracts import data_contract, Int64
    >>> @data_contract
    ... class Doubled:
    ...     x = Int64().bounded_between(0, 9)
    ...     y = Int64().upper_bound(10).computed(lambda df: df["x"] * 2, uses=["x"])
    >>> try:
    ...     Doubled.example(50, seed=0)
    ... except GenerationError as e:
    ...     print(e)
    Doubled.y: computed(<lambda>, uses=['x']) gave 18 (row 0), which is above its upper bound 10.
    """
