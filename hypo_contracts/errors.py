"""The two exceptions of hypo_contracts.

``ContractError`` means a contract (or a pattern built on one) can never be satisfied:
it is raised where the contract is declared, naming the contract, the column and the
constraints that clash. ``ContractViolation`` means a concrete data frame breaks a
contract: it is raised by ``Contract.validate``.
"""

from __future__ import annotations

from typing import Any


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
