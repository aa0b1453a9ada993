"""The search behind :func:`check_pipeline`: Hypothesis draws frames and shrinks a failure
(:func:`run_search`), with two shortcuts around it.

- **The simplest frames first.** Before any search, the checks run once on the simplest
  frames the contract allows (every value at its simplest: what shrinking ends at). A
  configuration error fails whatever the data (an untrusted skops type, a transformer that
  writes into its input): it fails there and is reported at once, with those frames,
  instead of after minutes of shrinking a failure that no data can avoid.
- **Single-class frames.** Many classifiers cannot learn from one class, so a training frame
  whose target holds one class is skipped when ``fit`` raises on it. When the contract (a
  target admitting one value) or the row counts leave no other kind, or Hypothesis finds too
  few others, the fit failure is reported with those frames, not as Hypothesis' "filtering
  out a lot of inputs".
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd
from hypothesis import HealthCheck, Phase, find, given, note, reject
from hypothesis import settings as Settings
from hypothesis import strategies as st
from hypothesis.database import ExampleDatabase
from hypothesis.errors import FailedHealthCheck, NoSuchExample, Unsatisfiable

from ..strategies import frames
from .checks import run_checks
from .report import frames_note, regression_test, snippet_note
from .spec import PipelineCheckFailed, PipelineSpec, Roundtrip, SingleClassFitFailed, factory_of

__all__ = ["digest", "run_search"]


def _source_digest(obj: Any) -> bytes:
    """A digest of ``obj``'s source code (its qualified name when the source is unavailable):
    stable across processes, changed by any edit to the function."""
    try:
        text = inspect.getsource(obj)
    except (OSError, TypeError):
        text = f"{getattr(obj, '__module__', '')}.{getattr(obj, '__qualname__', repr(obj))}"
    cleaned = "\n".join(line.rstrip() for line in text.splitlines() if line.strip())
    return hashlib.sha256(cleaned.encode()).digest()


def digest(spec: PipelineSpec) -> bytes:
    """The key under which Hypothesis' example database keeps this run's failing examples:
    one per pipeline factory (its source and name), contract, target and round trips."""
    source = factory_of(spec.make)
    name = f"{getattr(source, '__module__', '')}.{getattr(source, '__qualname__', '')}"
    extra = (
        f"{name}|{spec.info.name}|{','.join(spec.info.canonical)}|{spec.target}|{spec.roundtrip}"
    )
    return hashlib.sha256(_source_digest(source) + extra.encode()).digest()


class _KeyedDatabase(ExampleDatabase):
    """``database`` with every key prefixed by ``prefix``.

    Every run of :func:`check_pipeline` tests the same inner function, so Hypothesis would
    file all their examples under one key; the prefix (:func:`digest`) gives each pipeline,
    contract and target its own.

    >>> from hypothesis.database import InMemoryExampleDatabase
    >>> inner = InMemoryExampleDatabase()
    >>> keyed = _KeyedDatabase(inner, b"p:")
    >>> keyed.save(b"k", b"v")
    >>> list(keyed.fetch(b"k")), list(inner.fetch(b"p:k")), list(inner.fetch(b"k"))
    ([b'v'], [b'v'], [])
    """

    def __init__(self, database: ExampleDatabase, prefix: bytes) -> None:
        super().__init__()
        self.database = database
        self.prefix = prefix

    def __repr__(self) -> str:
        return f"_KeyedDatabase({self.database!r}, {self.prefix!r})"

    def save(self, key: bytes, value: bytes) -> None:
        self.database.save(self.prefix + key, value)

    def fetch(self, key: bytes) -> Iterable[bytes]:
        return self.database.fetch(self.prefix + key)

    def delete(self, key: bytes, value: bytes) -> None:
        self.database.delete(self.prefix + key, value)

    def move(self, src: bytes, dest: bytes, value: bytes) -> None:
        self.database.move(self.prefix + src, self.prefix + dest, value)


class _Deferred:
    """Text computed only when Hypothesis reports it (:func:`hypothesis.note` converts a
    non-string note to text only for the minimal failing example)."""

    def __init__(self, make_text: Callable[[], str]) -> None:
        self.make_text = make_text

    def __repr__(self) -> str:
        return self.make_text()


def _report(
    spec: PipelineSpec, failure: PipelineCheckFailed, train: pd.DataFrame, new: pd.DataFrame
) -> PipelineCheckFailed:
    """``failure`` with its frames, regression test and notes, raised outside Hypothesis."""
    failure.attach(train, new, lambda: regression_test(spec, train, new, failure))
    notes = [f"check failed: {failure.check}", frames_note(train, new), snippet_note(failure)]
    failure.__notes__ = [*getattr(failure, "__notes__", []), *notes]
    return failure


# ------------------------------------------------------------------------------------------
# the simplest frames


_ONE_DRAW = Settings(
    database=None,
    derandomize=True,
    max_examples=1,
    phases=[Phase.generate],  # the first draw is the simplest: nothing to shrink
    suppress_health_check=list(HealthCheck),
)


def _simplest(strategy: st.SearchStrategy[Any]) -> Any:
    return find(strategy, lambda _: True, settings=_ONE_DRAW)


def _second_class(spec: PipelineSpec, simplest: pd.DataFrame) -> pd.DataFrame | None:
    """``simplest`` with its last row's target set to the simplest other value the target
    admits, or None when it admits a single one."""
    target = spec.target
    pair = frames(spec.contract, columns=[target], rows=2)
    try:
        values = find(
            pair,
            lambda df: df[target].nunique(dropna=True) == 2,
            settings=Settings(_ONE_DRAW, max_examples=200, phases=[Phase.generate, Phase.shrink]),
        )
    except (NoSuchExample, Unsatisfiable):
        return None
    first = simplest[target].iloc[0]
    other = next(v for v in values[target] if not pd.isna(v) and v != first)
    train = simplest.copy()
    column = train[target].copy()
    column.iloc[-1] = other
    train[target] = column
    return train


def _single_class_failure(failure: PipelineCheckFailed, why: str) -> PipelineCheckFailed:
    out = PipelineCheckFailed("fit", f"{failure.detail}. {why}")
    out.__cause__ = failure.__cause__
    return out


def _probe(
    spec: PipelineSpec,
    trips: dict[str, Roundtrip],
    rows: tuple[int, int],
    new_frames: st.SearchStrategy[pd.DataFrame],
) -> tuple[pd.DataFrame, pd.DataFrame, bool]:
    """Run the checks on the simplest frames; raise their failure, if any, at once.

    Returns the frames and whether their training frame is a single-class one that ``fit``
    cannot take (then Hypothesis skips it without fitting again)."""
    lo, hi = rows
    train, new = _simplest(st.tuples(frames(spec.contract, rows=lo), new_frames))
    try:
        run_checks(spec, train, new, trips)
        return train, new, False
    except SingleClassFitFailed as exc:
        single = exc
    except PipelineCheckFailed as exc:
        raise _report(spec, exc, train, new) from exc.__cause__
    where = spec.info.canonical[spec.target].where
    varied = None
    if hi >= 2:  # one row cannot hold two classes: then the simplest two-row frame
        varied = _second_class(spec, train if lo >= 2 else _simplest(frames(spec.contract, rows=2)))
    if varied is None:
        why = (
            f"{where} admits a single value, so every training frame holds a single class"
            if hi >= 2
            else f"with max_rows={hi}, every training frame holds a single class"
        )
        raise _report(spec, _single_class_failure(single, why), train, new) from single
    try:
        run_checks(spec, varied, new, trips)
    except SingleClassFitFailed:
        pass  # still one class once null targets are dropped: leave it to the search
    except PipelineCheckFailed as exc:
        raise _report(spec, exc, varied, new) from exc.__cause__
    return train, new, True


# ------------------------------------------------------------------------------------------
# the search


def run_search(
    spec: PipelineSpec,
    trips: dict[str, Roundtrip],
    *,
    rows: tuple[int, int],
    predict_rows: tuple[int, int],
    settings: Settings,
) -> None:
    """Check ``spec``'s pipeline on the simplest frames, then on frames drawn by Hypothesis
    (``rows`` / ``predict_rows``: min and max row counts) under ``settings``; raise the
    simplest failure as a :class:`PipelineCheckFailed` with its frames, its regression test
    and notes showing both."""
    lo, hi = rows
    train_frames = frames(spec.contract, min_rows=lo, max_rows=hi)
    new_frames = frames(
        spec.contract, columns=spec.features, min_rows=predict_rows[0], max_rows=predict_rows[1]
    )
    simplest: tuple[pd.DataFrame, pd.DataFrame, bool] | None = None
    if Phase.generate in settings.phases:
        simplest = _probe(spec, trips, rows, new_frames)
    skipped: list[tuple[pd.DataFrame, pd.DataFrame, SingleClassFitFailed]] = []

    def pipeline_property(train: pd.DataFrame, new: pd.DataFrame) -> None:
        nonlocal simplest
        if simplest is not None and train.equals(simplest[0]) and new.equals(simplest[1]):
            # Hypothesis starts with the simplest frames, checked already: skipped once
            skip, simplest = simplest[2], None
            if skip:  # a single-class frame that fit cannot take
                reject()
            return  # passed
        try:
            run_checks(spec, train, new, trips)
        except SingleClassFitFailed as exc:
            skipped.append((train, new, exc))
            reject()
        except PipelineCheckFailed as exc:
            # Hypothesis raises the error of the minimal example, replayed last: it carries
            # the frames; the regression test is written when first read.
            failure = exc  # ``exc`` is unbound after the except block: the lambdas keep this
            failure.attach(train, new, lambda: regression_test(spec, train, new, failure))
            note(f"check failed: {failure.check}")
            note(_Deferred(lambda: frames_note(train, new)))
            note(_Deferred(lambda: snippet_note(failure)))
            raise

    database = settings.database
    keyed = Settings(
        settings, database=None if database is None else _KeyedDatabase(database, digest(spec))
    )
    test = keyed(given(train=train_frames, new=new_frames)(pipeline_property))
    try:
        test()
    except FailedHealthCheck:
        if not skipped:
            raise
        train, new, exc = min(skipped, key=lambda s: (len(s[0]), len(s[1])))
        why = (
            f"fit raised on {len(skipped)} of the training frames drawn, each holding a single "
            "class, and Hypothesis found too few others: widen the target's values or raise "
            "min_rows"
        )
        raise _report(spec, _single_class_failure(exc, why), train, new) from None
