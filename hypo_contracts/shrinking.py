"""Shrink a failing data frame that Hypothesis did not make: the production-CSV debugger.

Hypothesis shrinks what it generated. :func:`shrink` does the same job for a frame that came
from somewhere else (a production extract, a customer's CSV): given a frame on which
``test(frame)`` raises, it searches for the smallest frame on which ``test`` still raises the
same way, preferring (shortlex, like Hypothesis) fewer rows, then fewer columns that differ
from their simplest value, then simpler values. With a contract every candidate is validated
first, so the minimal frame is one the pipeline could really receive.

>>> import pandas as pd
>>> df = pd.DataFrame({"id": range(500), "price": [9.99] * 500, "note": ["ok"] * 500})
>>> df.loc[321, "price"] = -120.75
>>> def pipeline(frame):
...     if (frame["price"] < 0).any():
...         raise ValueError("negative price")
>>> result = shrink(df, pipeline)
>>> result.frame
   price
0   -1.0
>>> result.complete, result.error
(True, ValueError('negative price'))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, overload

import pandas as pd

from .coercion import coerce
from .compiled import contract_info
from .engines.polars import is_polars_frame, polars_like
from .errors import ContractViolation, bad_argument
from .interop import validate
from .regression import first_line, frame_literal, regression_module, resolve_target
from .shrink_models import column_model
from .shrink_search import (
    Budget,
    Display,
    Shrinker,
    check_budget,
    describe_failure,
    origin,
    stop_reason,
)
from .shrink_tables import TablesPass, TablesShrinkResult, shrink_tables

__all__ = [
    "NothingToShrink",
    "ShrinkResult",
    "TablesShrinkResult",
    "describe_failure",
    "frame_literal",
    "origin",
    "shape_text",
    "shrink",
]


class NothingToShrink(ValueError):
    """``test`` did not raise on the frame given to :func:`shrink`, so there is no failure to
    shrink.

    >>> import pandas as pd
    >>> try:
    ...     shrink(pd.DataFrame({"x": [1, 2]}), lambda df: None)
    ... except NothingToShrink as e:
    ...     print(e)
    test did not raise on the original frame (2 rows x 1 column), so there is nothing to
    shrink. shrink() needs a frame on which test(frame) raises.
    """


# ------------------------------------------------------------------------------------------
# the result


@dataclass(frozen=True, eq=False)
class ShrinkResult:
    """What :func:`shrink` found.

    ``frame`` is the minimal frame (a new object; polars when a polars frame was shrunk),
    ``error`` the exception ``test`` raised on it, ``calls`` how many times ``test`` ran (the
    original frame included), ``complete`` whether the search ran to its end (False when
    ``max_calls``, ``timeout`` or Ctrl-C stopped it; ``stopped_by`` then says which, and
    ``frame`` is the best found so far), ``elapsed`` the wall time in seconds.

    >>> import pandas as pd
    >>> def train(df):
    ...     if (df["x"] < 0).any():
    ...         raise ValueError("negative x")
    >>> result = shrink(pd.DataFrame({"x": [3, -7, 5, 1]}), train)
    >>> result.frame.to_dict("list"), type(result.error).__name__, result.complete
    ({'x': [-1]}, 'ValueError', True)
    """

    frame: pd.DataFrame
    error: BaseException
    calls: int
    complete: bool
    stopped_by: str | None = None
    elapsed: float = 0.0
    test: Callable[[pd.DataFrame], Any] | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        state = "complete" if self.complete else f"stopped by {self.stopped_by}"
        return (
            f"ShrinkResult({shape_text(self.frame)}, {type(self.error).__name__}, "
            f"calls={self.calls}, {state})"
        )

    def to_pytest(self, name: str = "test_regression", *, target: str | None = None) -> str:
        """The source of a pytest module with one test, ``name``, that rebuilds the minimal
        frame as a literal (dtypes preserved) and calls the user's function on it: the test
        fails the same way as the original frame until the bug is fixed, then passes and keeps
        the bug from coming back.

        The function is imported from ``test.__module__`` by its ``__qualname__``; pass
        ``target="module:function"`` when that is not importable (functions defined in
        ``__main__``, in a notebook or inside another function). Names pytest would collect
        (``test_*``) are imported under a ``_`` alias; when the module is already imported the
        import falls back to its directory, so the test also runs outside the project.

        >>> import pandas as pd
        >>> def pipeline(frame):
        ...     if (frame["n"] > 10).any():
        ...         raise OverflowError("too many")
        >>> result = shrink(pd.DataFrame({"n": [4, 19, 2]}), pipeline)
        >>> print(result.to_pytest(target="my_project.train:pipeline"))
        \"\"\"Regression test written by hypo_contracts.shrink: the minimal frame on which
        my_project.train:pipeline raised OverflowError. It fails until the bug is fixed.\"\"\"
        <BLANKLINE>
        import pandas as pd
        <BLANKLINE>
        from my_project.train import pipeline
        <BLANKLINE>
        <BLANKLINE>
        def test_regression() -> None:
            # raised OverflowError: too many
            df = pd.DataFrame(
                {
                    "n": pd.Series([11], dtype="int64"),
                }
            )
            pipeline(df)
        <BLANKLINE>
        """
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"to_pytest(name=...) needs a Python identifier, not {name!r}")
        where = resolve_target(self.test, target)
        exc_name = type(self.error).__name__
        doc = (
            "Regression test written by hypo_contracts.shrink: the minimal frame on which\n"
            f"{where.module}:{where.qualname} raised {exc_name}. It fails until the bug is fixed."
        )
        return regression_module(
            name,
            {"df": self.frame},
            [f"{where.name}(df)"],
            targets=[where],
            doc=doc,
            comments=[f"raised {first_line(self.error) or exc_name}"],
        )


def shape_text(df: pd.DataFrame) -> str:
    """``"1 row x 3 columns"``: the shape of ``df`` in words.

    >>> shape_text(pd.DataFrame({"a": [1, 2]}))
    '2 rows x 1 column'
    """
    rows, cols = df.shape
    return f"{rows} row{'' if rows == 1 else 's'} x {cols} column{'' if cols == 1 else 's'}"


# ------------------------------------------------------------------------------------------
# the public function


@overload
def shrink(
    frame: pd.DataFrame,
    test: Callable[[pd.DataFrame], Any],
    *,
    contract: Any = None,
    contracts: Any = None,
    same_failure: bool = True,
    max_calls: int | None = None,
    timeout: float | None = None,
    progress: bool | None = None,
) -> ShrinkResult: ...
@overload
def shrink(
    frame: Mapping[Any, pd.DataFrame],
    test: Callable[..., Any],
    *,
    contract: Any = None,
    contracts: Any = None,
    same_failure: bool = True,
    max_calls: int | None = None,
    timeout: float | None = None,
    progress: bool | None = None,
) -> TablesShrinkResult: ...


def shrink(
    frame: Any,
    test: Callable[..., Any],
    *,
    contract: Any = None,
    contracts: Any = None,
    same_failure: bool = True,
    max_calls: int | None = None,
    timeout: float | None = None,
    progress: bool | None = None,
) -> ShrinkResult | TablesShrinkResult:
    """Find the smallest frame on which ``test`` still fails the way it fails on ``frame``.

    ``test(df)`` is the user's pipeline: a candidate fails when it raises (a return value is
    ignored). With ``same_failure=True`` only an exception of the same type raised at the
    same place (file and line of the innermost traceback frame, and the same for a chained
    cause) counts, so the search never slides to another bug; ``same_failure=False`` accepts
    any exception.

    Candidates are tried in shortlex order of preference, like Hypothesis: fewer rows
    (bisection, then ddmin-style chunk deletion: one culprit row in n costs about log2(n)
    calls), then fewer columns that differ from their simplest value (columns are dropped
    when the failure survives, except the contract's), then simpler values. "Simplest" is the
    contract's when one is given (0 clamped into range, the first accepted value, the
    shortest valid string, non-null; distinct simple values in unique columns), otherwise the
    dtype's (0, ``""``, ``False``, the first category, 1970-01-01). With a contract ``frame``
    must satisfy it and every candidate is validated by the same rule (the contract's
    ``validate``) before it is run; invalid candidates do not count as calls. No candidate
    runs twice (a cache keyed by a hash of the frame).

    ``frame`` is never modified (``test`` receives copies). ``max_calls`` (calls of ``test``,
    the first one included), ``timeout`` (seconds, checked between calls) and Ctrl-C stop the
    search early and return the best frame so far with ``complete=False``. ``progress`` shows
    a rich progress line on stderr; by default only when stderr is a terminal.

    Raises :class:`NothingToShrink` when ``test`` does not raise on ``frame``, and
    :class:`~hypo_contracts.ContractViolation` when ``frame`` breaks ``contract``.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"day": range(1000), "sensor": ["a"] * 1000, "reading": 0.5})
    >>> df.loc[801, "day"] = 17  # a duplicated (day, sensor) key
    >>> def pipeline(frame):
    ...     frame.pivot(index="day", columns="sensor", values="reading")
    >>> result = shrink(df, pipeline)
    >>> result.frame
       day sensor  reading
    0    0             0.0
    1    0             0.0
    >>> result.calls
    63

    A polars ``frame`` is searched as pandas (converted once; with a contract through
    ``coerce``): ``test`` receives polars frames only and ``result.frame`` is polars
    (docs/engines.md).

    Given a mapping of related tables (contract -> frame; see docs/tables.md), ``shrink``
    runs :func:`~hypo_contracts.shrink_tables.shrink_tables`: ``test`` receives the mapping,
    ``contracts`` lists the contracts when the keys are names, and every reference that
    holds in the input holds in every candidate.
    """
    max_calls = check_budget("shrink", max_calls, timeout)
    if isinstance(frame, Mapping):
        if contract is not None:
            raise TypeError("shrink(tables, ...): pass contracts=[...] for several tables")
        try:
            return shrink_tables(
                frame,
                test,
                contracts=contracts,
                same_failure=same_failure,
                max_calls=max_calls,
                timeout=timeout,
                progress=progress,
            )
        except TablesPass as exc:
            raise NothingToShrink(str(exc)) from None
    if contracts is not None:
        raise TypeError("shrink(frame, ...): contracts=[...] is for a mapping of tables")
    polars = is_polars_frame(frame)
    if not isinstance(frame, pd.DataFrame) and not polars:
        raise bad_argument(
            "shrink",
            None,
            f"expects a pandas or a polars DataFrame (or a mapping of tables), not "
            f"{type(frame).__name__}; convert it to one of those first.",
        )
    if not callable(test):
        raise bad_argument("shrink", None, f"test={test!r} must be callable (test(frame)).")
    if progress is not None and not isinstance(progress, bool):
        raise bad_argument("shrink", None, f"progress={progress!r} must be True, False or None.")
    if not isinstance(same_failure, bool):
        raise bad_argument("shrink", None, f"same_failure={same_failure!r} must be True or False.")

    info = contract_info(contract, "shrink(contract=...)") if contract is not None else None
    user_test = test
    back: Callable[[pd.DataFrame], Any] | None = None
    if polars:  # searched as pandas; test always receives polars frames
        schema = dict(frame.schema)
        frame = frame.to_pandas() if info is None else coerce(info, frame.to_pandas())

        def back(df: pd.DataFrame) -> Any:
            return polars_like(info, df, schema)

        def test(df: pd.DataFrame) -> Any:
            return user_test(back(df))

    original = frame.copy(deep=True)
    valid: Callable[[pd.DataFrame], bool] | None = None
    if info is not None:
        try:
            validate(info, original)
        except ContractViolation as exc:
            raise ContractViolation(
                f"shrink(): the frame to shrink does not satisfy its contract, so no valid "
                f"smaller frame can be derived from it.\n{exc}",
                failures=exc.failures,
            ) from None

        def valid(df: pd.DataFrame) -> bool:  # candidates are judged like the input
            try:
                validate(info, df)
            except ContractViolation:
                return False
            return True

    with Display(progress) as display:
        shrinker = Shrinker(
            test,
            valid,
            same_failure,
            Budget(max_calls, timeout),
            display,
        )
        canonical = info.canonical if info is not None else {}
        shrinker.models = [
            column_model(
                original.iloc[:, j],
                canonical.get(name) if isinstance(name, str) else None,
                droppable=name not in canonical,
            )
            for j, name in enumerate(original.columns)
        ]
        stopped_by = stop_reason(lambda: shrinker.run(original))
        if stopped_by is not None and shrinker.error is None:
            raise KeyboardInterrupt  # interrupted on the original frame
    if shrinker.error is None:
        raise NothingToShrink(
            f"test did not raise on the original frame ({shape_text(original)}), so there is "
            "nothing to\nshrink. shrink() needs a frame on which test(frame) raises."
        )
    return ShrinkResult(
        frame=shrinker.cur.copy(deep=True) if back is None else back(shrinker.cur),
        error=shrinker.error,
        calls=shrinker.calls,
        complete=stopped_by is None,
        stopped_by=stopped_by,
        elapsed=shrinker.budget.elapsed(),
        test=user_test,
    )
