"""The search behind :func:`hypo_contracts.shrinking.shrink`: failure identity, the
candidate cache, the progress display and :class:`Shrinker` (rows, index, columns, then
values, repeated until nothing changes)."""

from __future__ import annotations

import hashlib
import pickle
import time
from collections.abc import Callable, Sequence
from typing import Any, cast

import numpy as np
import pandas as pd

from .errors import bad_argument
from .shrink_models import Model, shrink_cell, simple_column

__all__ = [
    "Budget",
    "Display",
    "Shrinker",
    "Stop",
    "describe_failure",
    "frame_key",
    "origin",
    "row_hashes",
]

_PASS, _FAIL, _INVALID = 0, 1, 2


class Stop(Exception):
    """Raised inside the search to end it early (``reason``: max_calls, timeout, interrupt)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


#: The clock of every shrink's ``timeout`` (a module attribute so that tests can replace it).
_now = time.monotonic


class Budget:
    """The stop bookkeeping of one shrink, single- or multi-table: ``max_calls`` calls of
    ``test`` and ``timeout`` seconds since :attr:`start` (on :data:`_now`)."""

    def __init__(
        self, max_calls: int | None, timeout: float | None, start: float | None = None
    ) -> None:
        self.max_calls, self.timeout = max_calls, timeout
        self.start = _now() if start is None else start

    def elapsed(self) -> float:
        return _now() - self.start

    def check(self, calls: int) -> None:
        """Raise :class:`Stop` when ``calls`` calls spend the budget (the timeout counts once
        a call has been made)."""
        if self.max_calls is not None and calls >= self.max_calls:
            raise Stop("max_calls")
        if self.timeout is not None and calls and self.elapsed() >= self.timeout:
            raise Stop("timeout")

    def rest(self, calls: int) -> Budget:
        """What is left after ``calls`` calls, for a nested search (whose first call, on the
        frame already known to fail, is free) with the same deadline."""
        left = None if self.max_calls is None else self.max_calls - calls + 1
        return Budget(left, self.timeout, self.start)


def check_budget(func: str, max_calls: Any, timeout: Any) -> int | None:
    """``max_calls`` as an int (or None), after checking both budget arguments of ``func``."""
    if max_calls is not None and (
        isinstance(max_calls, bool) or not isinstance(max_calls, (int, np.integer)) or max_calls < 1
    ):
        raise bad_argument(
            func, None, f"max_calls={max_calls!r} must be a whole number >= 1 or None."
        )
    if timeout is not None and (
        isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0
    ):
        raise bad_argument(
            func, None, f"timeout={timeout!r} must be a number of seconds > 0 or None."
        )
    return None if max_calls is None else int(max_calls)


def stop_reason(run: Callable[[], Any]) -> str | None:
    """Call ``run``: None when it ends, else why it was stopped (``max_calls``,
    ``timeout``, ``interrupt`` for Ctrl-C)."""
    try:
        run()
    except Stop as stop:
        return stop.reason
    except KeyboardInterrupt:
        return "interrupt"
    return None


# ------------------------------------------------------------------------------------------
# failure identity


def origin(exc: BaseException, depth: int = 0) -> tuple[Any, ...]:
    """Exception type and (file, line) of the innermost traceback frame, and the same for
    the exception it was raised from (Hypothesis's notion of "the same failure")."""
    tb = exc.__traceback__
    where: tuple[str, int] | None = None
    while tb is not None:
        where = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    chained = exc.__cause__
    if chained is None and not exc.__suppress_context__:
        chained = exc.__context__
    inner = origin(chained, depth + 1) if chained is not None and depth < 4 else ()
    return (type(exc), where, inner)


def describe_failure(exc: BaseException) -> str:
    """``"ValueError at file.py:12: message"``: the failure as :func:`shrink` identifies it.

    >>> try:
    ...     int("x")
    ... except ValueError as e:
    ...     print(describe_failure(e).split(" at ")[0])
    ValueError
    """
    _, where, _ = origin(exc)
    place = f" at {where[0]}:{where[1]}" if where else ""
    message = str(exc).strip().splitlines()
    return f"{type(exc).__name__}{place}" + (f": {message[0]}" if message else "")


# ------------------------------------------------------------------------------------------
# the shrinker


def row_hashes(df: pd.DataFrame) -> np.ndarray | None:
    """One hash per row (values and index label); ``None`` for unhashable cells. The hashes
    of ``df.iloc[rows]`` are ``row_hashes(df)[rows]``, so row subsets are keyed cheaply."""
    try:
        hashes = pd.util.hash_pandas_object(df, index=True).to_numpy()
        for j, dtype in enumerate(df.dtypes):  # objects are hashed by str(): tell 1, "1" apart
            if dtype == np.dtype(object):
                types = np.array([type(v).__qualname__ for v in df.iloc[:, j].to_numpy()])
                hashes = hashes ^ (pd.util.hash_array(types) * np.uint64(j + 1))
        return hashes
    except (TypeError, ValueError):
        return None


def frame_key(df: pd.DataFrame, hashes: np.ndarray | None = None) -> bytes:
    """The cache key of a candidate: a digest of its shape, dtypes, column names and rows
    (``hashes``: ``row_hashes(df)`` when already known)."""
    h = hashlib.blake2b(digest_size=20)
    h.update(repr((df.shape, [str(t) for t in df.dtypes])).encode())
    h.update(pickle.dumps(list(df.columns)))
    rows = hashes if hashes is not None else row_hashes(df)
    if rows is not None:
        h.update(rows.tobytes())
    else:
        try:
            h.update(pickle.dumps(df))
        except Exception:
            h.update(repr(id(df)).encode())
    return h.digest()


class Display:
    """A rich progress line on stderr (rows, columns, calls, elapsed), or nothing."""

    def __init__(self, enabled: bool | None) -> None:
        self._progress: Any = None
        self._task: Any = None
        if enabled is False:
            return
        from rich.console import Console

        console = Console(stderr=True)
        if enabled is None and not console.is_terminal:
            return
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("shrinking [bold]{task.fields[phase]}[/bold]"),
            TextColumn("rows {task.fields[rows]}  columns {task.fields[cols]}"),
            TextColumn("calls {task.fields[calls]}"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )

    def __enter__(self) -> Display:
        if self._progress is not None:
            self._progress.start()
            self._task = self._progress.add_task(
                "shrink", total=None, phase="", rows="?", cols="?", calls=0
            )
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def update(self, phase: str, rows: int, cols: int, calls: int) -> None:
        """Show the current phase, frame size and number of calls."""
        if self._progress is not None:
            self._progress.update(self._task, phase=phase, rows=rows, cols=cols, calls=calls)


def _set_column(df: pd.DataFrame, j: int, column: pd.Series) -> None:
    """Replace column ``j`` of ``df`` in place by ``column``'s values, keeping ``column``'s
    dtype (from a bare object array pandas 3 would infer ``str``)."""
    df.isetitem(j, cast(Any, column.set_axis(df.index)))


Candidate = tuple[pd.DataFrame, bool, list[int] | None, np.ndarray | None]
Make = Callable[[np.ndarray], Candidate]  # kept items -> the arguments of Shrinker.attempt


class Shrinker:
    """The search behind :func:`hypo_contracts.shrinking.shrink`: ``run(frame)`` leaves the
    smallest failing frame found in ``cur`` and its exception in ``error``."""

    def __init__(
        self,
        test: Callable[[pd.DataFrame], Any],
        valid: Callable[[pd.DataFrame], bool] | None,
        same_failure: bool,
        budget: Budget,
        display: Display,
    ) -> None:
        self.test = test
        self.valid = valid  # None: every candidate is valid
        self.same_failure = same_failure
        self.budget = budget
        self.display = display
        self.cache: dict[bytes, int] = {}
        self.calls = 0
        self.changes = 0
        self.phase = "start"
        self.origin: tuple[Any, ...] = ()
        self.cur = pd.DataFrame()
        self.cur_key = b""
        self.error: BaseException | None = None
        self.colids: list[int] = []
        self.models: list[Model] = []

    # -- running the test ---------------------------------------------------------------

    def call(self, df: pd.DataFrame) -> BaseException | None:
        """Run ``test`` on a copy of ``df``: the exception it raised, or None. Raises
        :class:`Stop` when the budget is spent or on Ctrl-C."""
        self.budget.check(self.calls)
        self.calls += 1
        try:
            self.test(df.copy())
        except KeyboardInterrupt:
            raise Stop("interrupt") from None
        except BaseException as exc:
            return exc
        finally:
            self.display.update(self.phase, len(self.cur), self.cur.shape[1], self.calls)
        return None

    def attempt(
        self,
        df: pd.DataFrame,
        validate: bool,
        colids: list[int] | None = None,
        hashes: np.ndarray | None = None,
    ) -> bool:
        """Run ``test`` on a candidate (unless cached); accept it when it fails the same way."""
        key = frame_key(df, hashes)
        if key == self.cur_key:
            return False
        outcome = self.cache.get(key)
        error: BaseException | None = None
        if outcome is None:
            if validate and self.valid is not None and not self.valid(df):
                self.cache[key] = _INVALID
                return False
            error = self.call(df)
            fails = error is not None and (not self.same_failure or origin(error) == self.origin)
            outcome = _FAIL if fails else _PASS
            self.cache[key] = outcome
        if outcome != _FAIL or error is None:
            return False  # passes, or a frame accepted earlier (never go back)
        self.cur, self.cur_key, self.error = df, key, error
        if colids is not None:
            self.colids = colids
        self.changes += 1
        return True

    # -- the search -----------------------------------------------------------------------

    def run(self, frame: pd.DataFrame) -> None:
        """Shrink ``frame``: rows, index, columns and values, repeated until nothing
        changes. Returns at once, with ``error`` None, when ``test`` passes on ``frame``."""
        self.cur = frame
        self.colids = list(range(frame.shape[1]))
        error = self.call(frame)
        if error is None:
            return  # nothing to shrink: self.error stays None
        self.origin = origin(error)
        self.error = error
        self.cur_key = frame_key(frame)
        self.cache[self.cur_key] = _FAIL
        first = True
        while True:
            before = self.changes
            self.rows(first)
            first = False
            self.index()
            self.columns()
            self.values()
            if self.changes == before:
                return

    def reduce(self, items: np.ndarray, make: Make, chunk: int) -> np.ndarray:
        """Delete chunks of ``items`` (halving the chunk size) while the candidate still fails,
        ending 1-minimal: no single item can be removed."""
        chunk = max(1, min(chunk, len(items)))
        while len(items):
            i, changed = 0, False
            while i < len(items):
                keep = np.concatenate([items[:i], items[i + chunk :]])
                if self.attempt(*make(keep)):
                    items, changed = keep, True
                else:
                    i += chunk
            if chunk == 1 and not changed:
                break
            chunk = max(1, min(chunk // 2, len(items) // 2))
        return items

    def bisect(self, items: np.ndarray, make: Make) -> np.ndarray:
        """Halve while one half fails on its own. When the first half passes, assume the second
        fails and descend into it untested; the assumption is checked at the end, so a single
        culprit in n rows costs about log2(n) + 1 calls."""
        verified, cur, checked = items, items, True
        while len(cur) > 1:
            half = (len(cur) + 1) // 2
            first, second = cur[:half], cur[half:]
            if self.attempt(*make(first)):
                verified, cur, checked = first, first, True
            else:
                cur, checked = second, False
        if not checked and self.attempt(*make(cur)):
            verified = cur
        return verified

    def rows(self, first: bool) -> None:
        """Bisection, then chunk deletion. After the first round the rows were 1-minimal, and
        usually still are: unless bisection found fewer, check one row at a time (n calls,
        not 2n)."""
        self.phase = "rows"
        base, ids = self.cur, self.colids
        hashes = row_hashes(base)

        def make(keep: np.ndarray) -> Candidate:
            return base.iloc[keep], False, ids, None if hashes is None else hashes[keep]

        n = len(base)
        if n == 0 or self.attempt(*make(np.arange(0))):
            return
        items = self.bisect(np.arange(n), make) if n > 1 else np.arange(n)
        self.reduce(items, make, len(items) // 2 if first or len(items) < n else 1)

    def index(self) -> None:
        """Reset the index to ``0..n-1`` when the failure survives."""
        idx = self.cur.index
        if isinstance(idx, pd.RangeIndex) and idx.start == 0 and idx.step == 1 and idx.name is None:
            return
        self.phase = "index"
        self.attempt(self.cur.reset_index(drop=True), False)

    def columns(self) -> None:
        """Drop droppable columns, set whole columns to their simplest values, and key-like
        columns to their simplest distinct values."""
        self.phase = "columns"
        base, ids = self.cur, self.colids
        ncols = base.shape[1]
        droppable = np.array(
            [j for j in range(ncols) if self.models[ids[j]].droppable], dtype=np.int64
        )
        fixed = [j for j in range(ncols) if not self.models[ids[j]].droppable]

        def drop(keep: np.ndarray) -> Candidate:
            pos = sorted(fixed + keep.tolist())
            return base.iloc[:, pos], False, [ids[p] for p in pos], None

        if len(droppable):
            self.reduce(droppable, drop, len(droppable))

        base, ids = self.cur, self.colids
        simple: dict[int, pd.Series] = {}
        for j in range(base.shape[1]):
            model = self.models[ids[j]]
            column = base.iloc[:, j]
            const = simple_column(model, column, distinct=False)
            if const is not None and not column.equals(const):
                simple[j] = const

        def simplify(keep: np.ndarray) -> Candidate:
            cand = base.copy()
            kept = set(keep.tolist())
            for j, col in simple.items():
                if j not in kept:
                    _set_column(cand, j, col)
            return cand, True, None, None

        if simple:
            self.reduce(np.array(sorted(simple), dtype=np.int64), simplify, len(simple))

        # columns that look like keys (all distinct): the simplest distinct values
        for j in range(self.cur.shape[1]):
            model = self.models[self.colids[j]]
            column = self.cur.iloc[:, j]
            if len(column) < 2 or (model.canonical is not None and model.canonical.unique):
                continue
            try:
                if column.isna().any() or column.duplicated().any():
                    continue
            except TypeError:
                continue
            distinct = simple_column(model, column, distinct=True)
            if distinct is not None and not column.equals(distinct):
                cand = self.cur.copy()
                _set_column(cand, j, distinct)
                self.attempt(cand, True)

    def set_cells(self, j: int, rows: Sequence[int], value: Any) -> bool:
        """Try the current frame with ``value`` in column ``j`` at ``rows``; False when the
        value does not fit the column's dtype."""
        cand = self.cur.copy()
        try:
            cand.iloc[list(rows), j] = value
        except (TypeError, ValueError, OverflowError, KeyError):
            return False
        if cand.dtypes.iloc[j] != self.cur.dtypes.iloc[j]:
            return False
        return self.attempt(cand, True)

    def values(self) -> None:
        """Simplify values column by column: repeated values together, then cell by cell."""
        self.phase = "values"
        for j in range(self.cur.shape[1]):
            model = self.models[self.colids[j]]
            if model.kind == "opaque":
                continue
            column = self.cur.iloc[:, j]
            try:  # values repeated in several rows are first shrunk together
                groups = [
                    np.flatnonzero((column == value).to_numpy(dtype=bool, na_value=False))
                    for value in pd.unique(column.dropna())
                ]
            except (TypeError, ValueError):
                groups = []
            targets = [g.tolist() for g in groups if len(g) > 1]
            for rows in targets + [[r] for r in range(len(column))]:
                value = self.cur.iat[rows[0], j]
                self.shrink_value(model, j, rows, value)

    def shrink_value(self, model: Model, j: int, rows: Sequence[int], value: Any) -> None:
        """Simplify ``value``, held at ``rows`` of column ``j``."""
        dtype = self.cur.dtypes.iloc[j]

        def attempt(candidate: Any) -> bool:
            return self.set_cells(j, rows, candidate)

        shrink_cell(model, value, dtype, attempt)
