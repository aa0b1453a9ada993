"""Pattern combinators: frames with pinned columns, held-constant columns and planted rules.

The article's "partially controlled data" (see ``docs/patterns.md``): pin a few columns to
known values, let every other column be valid but carry no signal, and check that a pipeline
loads the data and that a model learns the planted pattern.

* :func:`with_values` pins columns to given values; every other column is drawn once and
  held constant over all rows (``others="constant"``) or drawn per row (``others="random"``).
* :func:`features_for` is the predict side: the same, restricted to and ordered by
  ``columns`` (e.g. ``X.columns``).
* :func:`planted` draws frames whose other columns vary per row and whose target column is
  ``rule(features)``.

Pinned values are cast to the column's dtype and checked against every constraint when the
pattern is built; rule outputs are checked at each draw. Anything that breaks the contract
raises :class:`~hypo_contracts.ContractError` naming the column, the value, its position and
the constraint.

Each pattern is a Hypothesis strategy (use it in ``@given`` or ``st.data()``) that also has
``.example(seed=...)``: one frame filled with numpy (the ``Contract.example`` sampler, no
Hypothesis involved), the same for the same seed.

>>> from hypo_contracts import data_contract, Float64, Int64, with_values
>>> @data_contract
... class Wine:
...     pH = Float64().bounded_between(0, 14)
...     alcohol = Float64().bounded_between(0, 20)
...     quality = Int64().bounded_between(0, 10)
>>> df = with_values(Wine, {"alcohol": [11, 14], "quality": [4, 8]}).example(seed=0)
>>> df[["alcohol", "quality"]].to_dict("list")
{'alcohol': [11.0, 14.0], 'quality': [4, 8]}
>>> df["pH"].nunique()
1
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from . import _bulk
from .arguments import call_head, check_rows, select_columns
from .compiled import ContractInfo, contract_info
from .constraints import Canonical
from .engines import polars as polars_engine
from .engines.polars import check_backend
from .errors import ContractError, InvalidArgument
from .rule_fill import enforce, rule_rows, writes
from .rules import failing_rows
from .seeded_strategy import PatternStrategy, SeededExample, pattern_strategy
from .strategies import element_strategy, frames
from .values import BadValue, accept_array, cast_value, is_null, lookup_table, show_value

__all__ = ["PatternStrategy", "SeededExample", "features_for", "planted", "with_values"]

_OTHERS = ("constant", "random")


# ------------------------------------------------------------------------------------------
# casting and checking values against one column


def _fail(c: Canonical, what: str, value: Any, where: str, problem: str) -> ContractError:
    declared = f" (declared: {c.source!r})" if c.source is not None else ""
    return ContractError(f"{c.where}: {what} {show_value(value)} {where} {problem}{declared}.")


def _coerce(
    c: Canonical, values: Sequence[Any], what: str, unit: str
) -> tuple[np.ndarray, np.ndarray | None]:
    """Cast ``values`` to ``c``'s raw representation and check every constraint; returns
    raw values and a null mask (``None`` for required columns)."""
    n = len(values)
    raw = _bulk.simplest_raw(c, n)
    nulls = np.zeros(n, dtype=bool)
    lookup = lookup_table(c)
    seen: dict[Any, int] = {}
    for i, v in enumerate(values):
        if is_null(v):
            if not c.nullable:
                raise _fail(
                    c,
                    what,
                    v,
                    f"at {unit} {i}",
                    "is null, but the column is required (declare .is_optional() to allow nulls)",
                )
            if c.unique and nulls.any():
                j = int(np.flatnonzero(nulls)[0])
                raise _fail(
                    c, what, v, f"at {unit} {i}",
                    f"is a second null (the first is at {unit} {j}); a unique column "
                    "(is_unique()) holds at most one null",
                )  # fmt: skip
            nulls[i] = True
            continue
        try:
            r = cast_value(c, v, lookup)
        except BadValue as bad:
            raise _fail(c, what, v, f"at {unit} {i}", str(bad.args[0])) from None
        if c.unique:
            j = seen.setdefault(r, i)
            if j != i:
                raise _fail(
                    c, what, v, f"at {unit} {i}",
                    f"repeats the value at {unit} {j}, but the column is unique (is_unique())",
                )  # fmt: skip
        raw[i] = r
    return raw, (nulls if c.nullable else None)


# ------------------------------------------------------------------------------------------
# pinned values


def _as_list(values: Any, label: str, where: str) -> list[Any]:
    if isinstance(values, (str, bytes)) or isinstance(values, Mapping):
        raise InvalidArgument(
            f"{where}: {label} must be a sequence of values (one per row), not {values!r}; "
            f"did you mean [{values!r}]?"
        )
    if isinstance(values, (np.ndarray, pd.Series, pd.Index, pd.api.extensions.ExtensionArray)):
        if getattr(values, "ndim", 1) != 1:
            raise InvalidArgument(f"{where}: {label} must be one-dimensional.")
        return list(pd.Series(values, copy=False))
    if not isinstance(values, Iterable):
        raise InvalidArgument(
            f"{where}: {label} must be a sequence of values (one per row), not {values!r}; "
            f"did you mean [{values!r}]?"
        )
    return list(values)


def _unknown(info: ContractInfo, name: Any, where: str, role: str) -> InvalidArgument:
    return InvalidArgument(
        f"{call_head(where, info)}{role} {name!r}, a column {info.name} does not declare. "
        f"Its columns are: {', '.join(info.canonical)}."
    )


def _pins(info: ContractInfo, values: Any, where: str) -> tuple[dict[str, pd.Series], int]:
    """Check pinned values and turn them into columns of the exact dtype."""
    if isinstance(values, pd.DataFrame):
        values = {name: values[name] for name in values.columns}
    if not isinstance(values, Mapping):
        raise InvalidArgument(
            f"{where}: values must map column names to sequences, e.g. "
            f"{{'alcohol': [11, 13]}}, not {values!r}."
        )
    if not values:
        raise InvalidArgument(
            f"{where}: values pins no column, so the row count is unknown. Pin at least one "
            f"column, or use frames({info.name}, rows=...) for frames with nothing pinned."
        )
    for name in values:
        if not isinstance(name, str) or name not in info.canonical:
            raise _unknown(info, name, where, "pins")
    lists = {name: _as_list(seq, f"values[{name!r}]", where) for name, seq in values.items()}
    lengths = {name: len(seq) for name, seq in lists.items()}
    if len(set(lengths.values())) > 1:
        shown = ", ".join(f"{name} has {k}" for name, k in lengths.items())
        raise ContractError(
            f"{info.name}: {where} pins sequences of unequal length ({shown}); every pinned "
            "column needs exactly one value per row."
        )
    out = {}
    for name, seq in lists.items():
        c = info.canonical[name]
        raw, nulls = _coerce(c, seq, "pinned value", "position")
        out[name] = _bulk.to_series(c, raw, nulls, name)
    return out, next(iter(lengths.values()))


def _check_others(others: Any, where: str) -> str:
    if not isinstance(others, str) or others not in _OTHERS:
        raise InvalidArgument(
            f"{where}: others={others!r} must be 'constant' (other columns hold one value "
            "over all rows) or 'random' (drawn per row)."
        )
    return others


def _constant(c: Canonical, v: Any, n: int) -> pd.Series:
    """``n`` copies of raw value ``v`` (``None``: null)."""
    raw = _bulk.simplest_raw(c, n)
    nulls = None
    if v is None:
        nulls = np.ones(n, dtype=bool)
    else:
        raw[:] = v
    return _bulk.to_series(c, raw, nulls, c.name)


def _sub(cols: Sequence[Canonical]) -> Any:
    """Enough of a contract for ``_bulk.example``: just these columns."""
    return SimpleNamespace(
        name=cols[0].contract if cols else "Contract", canonical={c.name: c for c in cols}
    )


def _repeat(df: pd.DataFrame, n: int) -> pd.DataFrame:
    return df.iloc[np.zeros(n, dtype=np.int64)].reset_index(drop=True)


def _pattern(
    contract: Any,
    info: ContractInfo,
    pins: dict[str, pd.Series],
    n: int,
    selected: Sequence[Canonical],
    others: str,
    description: str,
) -> PatternStrategy:
    free = [c for c in selected if c.name not in pins]
    # unique columns cannot hold one value over several rows: they get distinct values
    shared = [c for c in free if not (c.unique and n > 1)] if others == "constant" else []
    distinct = [c for c in free if c.unique and n > 1] if others == "constant" else []

    _check_pinned_rules(info, pins, selected, description.split("(", 1)[0] + "()")

    def assemble(drawn: dict[str, pd.Series]) -> pd.DataFrame:
        data = {name: s.copy() for name, s in pins.items()}
        data.update(drawn)
        return enforce(info.rules, selected, _bulk.assemble(selected, data), pins)

    inner: st.SearchStrategy[pd.DataFrame]
    if others == "random" and free:
        inner = frames(contract, rows=n, columns=[c.name for c in free]).map(
            lambda df: assemble({name: df[name] for name in df.columns})
        )
    else:
        cells = st.tuples(*[element_strategy(c) for c in shared])
        # distinct values per row, at any row count, shrinking to the simplest distinct ones
        per_row: st.SearchStrategy[pd.DataFrame | None] = (
            frames(contract, rows=n, columns=[c.name for c in distinct]) if distinct else st.none()
        )

        def build(parts: tuple[tuple[Any, ...], pd.DataFrame | None]) -> pd.DataFrame:
            held, many = parts
            drawn = {c.name: _constant(c, v, n) for c, v in zip(shared, held, strict=True)}
            if many is not None:
                drawn.update({name: many[name] for name in many.columns})
            return assemble(drawn)

        inner = st.tuples(cells, per_row).map(build)

    def sample(seed: int | None) -> pd.DataFrame:
        s_shared, s_distinct, s_free = np.random.SeedSequence(seed).generate_state(3)
        drawn: dict[str, pd.Series] = {}
        if others == "random":
            df = _bulk.example(_sub(free), n, seed=int(s_free))
            drawn.update({name: df[name] for name in df.columns})
        else:
            if shared:
                one = _repeat(_bulk.example(_sub(shared), 1, seed=int(s_shared)), n)
                drawn.update({name: one[name] for name in one.columns})
            if distinct:
                many = _bulk.example(_sub(distinct), n, seed=int(s_distinct))
                drawn.update({name: many[name] for name in many.columns})
        return assemble(drawn)

    names = [c.name for c in selected]
    return pattern_strategy(inner, sample, description, (info, pins, names))


def _check_pinned_rules(
    info: ContractInfo, pins: Mapping[str, pd.Series], selected: Sequence[Canonical], where: str
) -> None:
    """Pinned values must satisfy every rule that sets a pinned column (ContractError naming
    the rule, the position and the cells), and such a rule's other columns must be pinned
    too; rules that set unpinned columns are applied to each frame instead."""
    names = {c.name for c in selected}
    frame = pd.DataFrame(dict(pins))
    for rule in info.rules:
        if any(col not in names for col in rule.columns):
            continue
        fixed = [col for col in writes(rule) if col in pins]
        if not fixed:
            continue
        missing = [col for col in rule.columns if col not in pins]
        if missing and rule.kind == "unique_together":
            if not frame[fixed].duplicated().any():
                continue  # distinct pinned parts keep the combinations distinct
        if missing:
            raise ContractError(
                f"{info.name}: {where} pins {', '.join(fixed)} but not {', '.join(missing)}, "
                f"which the rule {rule.text} ties to it; pin {', '.join(missing)} too."
            )
        bad = np.flatnonzero(failing_rows(rule, frame))
        if len(bad):
            i = int(bad[0])
            cells = ", ".join(f"{col}={show_value(frame[col].iloc[i])}" for col in rule.columns)
            raise ContractError(
                f"{info.name}: pinned values break the rule {rule.text} at position {i} ({cells})."
            )


def _in_backend(pattern: PatternStrategy, info: ContractInfo, backend: str) -> PatternStrategy:
    """``pattern`` as polars frames for ``backend="polars"`` (drawn and sampled as pandas
    frames first, so it shrinks alike), else ``pattern`` itself.

    >>> from hypo_contracts.examples import WineQuality
    >>> pattern = with_values(WineQuality, {"quality": [3, 9]}, backend="polars")
    >>> pattern.example(seed=0)["quality"].to_list()
    [3, 9]
    """
    if backend != "polars":
        return pattern
    polars_engine.import_polars(f"{pattern!r}: backend='polars'")
    convert = functools.partial(polars_engine.to_polars, info)
    seeded = pattern.example
    assert isinstance(seeded, SeededExample)
    sample = seeded.sample
    description = f"{seeded.description[:-1]}, backend='polars')"
    return pattern_strategy(pattern.map(convert), lambda seed: convert(sample(seed)), description)


def _describe(name: str, info: ContractInfo, pins: Mapping[str, Any], **kwargs: Any) -> str:
    pinned = ", ".join(f"{k!r}: [...{len(v)} values]" for k, v in pins.items())
    extra = "".join(f", {k}={v!r}" for k, v in kwargs.items())
    return f"{name}({info.name}, {{{pinned}}}{extra})"


def with_values(
    contract: Any,
    values: Mapping[str, Sequence[Any]],
    *,
    others: str = "constant",
    backend: str = "pandas",
) -> PatternStrategy:
    """Frames whose pinned columns hold exactly ``values`` and whose other columns are valid
    but carry no signal.

    ``values`` maps column names to sequences of equal length (the row count); they are cast
    to each column's dtype and checked against its constraints now: a value that breaks the
    contract raises :class:`~hypo_contracts.ContractError` naming the column, the value, its
    position and the constraint. With ``others="constant"`` (the default) every other
    column is drawn once and repeated over all rows, except unique columns, which get
    distinct values; when shrinking, held-constant columns go to their simplest value. With
    ``others="random"`` the other columns are drawn per row, as by :func:`frames`.
    ``backend="polars"`` gives the same frames as polars DataFrames (docs/engines.md).
    ``tables(..., patterns={contract: with_values(...)})`` pins rows of related tables.

    >>> from hypothesis import given
    >>> from hypo_contracts import with_values
    >>> from hypo_contracts.examples import WineQuality
    >>> pattern = with_values(WineQuality, {"alcohol": [11, 13, 15], "quality": [4, 8, 8]})
    >>> @given(pattern)
    ... def test_only_alcohol_varies(df):
    ...     assert df.drop(columns=["alcohol", "quality"]).nunique().eq(1).all()
    ...     assert df["quality"].tolist() == [4, 8, 8]
    >>> test_only_alcohol_varies()
    >>> from hypo_contracts import ContractError
    >>> try:
    ...     with_values(WineQuality, {"pH": [3.2, 99]})
    ... except ContractError as e:
    ...     print(e)
    WineQuality.pH: pinned value 99 at position 1 is above the upper bound 14.0
    (declared: Float64().bounded_between(0, 14)).
    """
    where = "with_values()"
    info = contract_info(contract, where)
    others = _check_others(others, where)
    pins, n = _pins(info, values, where)
    selected = list(info.canonical.values())
    backend = check_backend(where, info, backend)
    description = _describe("with_values", info, pins, others=others)
    return _in_backend(
        _pattern(contract, info, pins, n, selected, others, description), info, backend
    )


def features_for(
    contract: Any,
    values: Mapping[str, Sequence[Any]],
    *,
    columns: Iterable[str] | None = None,
    others: str = "constant",
    backend: str = "pandas",
) -> PatternStrategy:
    """The predict side of :func:`with_values`: the same frames, restricted to and ordered
    by ``columns`` (e.g. ``X.columns``, with the target left out).

    Every pinned column must be among ``columns``; only the selected columns are drawn.
    An unknown name in ``columns`` is an ``InvalidArgument``, as in :func:`frames`.

    >>> from hypo_contracts import features_for
    >>> from hypo_contracts.examples import WineQuality
    >>> X_columns = [c for c in WineQuality.columns if c != "quality"]
    >>> df = features_for(WineQuality, {"alcohol": [11, 14]}, columns=X_columns).example(seed=1)
    >>> list(df.columns) == X_columns, df["alcohol"].tolist()
    (True, [11.0, 14.0])
    """
    where = "features_for()"
    info = contract_info(contract, where)
    others = _check_others(others, where)
    selected = select_columns(info, columns, where)
    pins, n = _pins(info, values, where)
    names = {c.name for c in selected}
    left_out = [name for name in pins if name not in names]
    if left_out:
        raise InvalidArgument(
            f"{where}: {', '.join(map(repr, left_out))} pinned but not among columns="
            f"{[c.name for c in selected]!r}; add it to columns or stop pinning it."
        )
    kwargs: dict[str, Any] = {"others": others}
    if columns is not None:
        kwargs["columns"] = [c.name for c in selected]
    backend = check_backend(where, info, backend)
    description = _describe("features_for", info, pins, **kwargs)
    return _in_backend(
        _pattern(contract, info, pins, n, selected, others, description), info, backend
    )


# ------------------------------------------------------------------------------------------
# planted rules


def _rule_output(c: Canonical, out: Any, n: int) -> pd.Series:
    where = f"{c.where}: planted() rule"
    if isinstance(out, pd.DataFrame):
        raise ContractError(
            f"{where} returned a DataFrame; return one value per row (a Series, array or list)."
        )
    fast = accept_array(c, out)
    if fast is not None and len(fast[0]) == n:
        return _bulk.to_series(c, fast[0], fast[1], c.name)
    if isinstance(out, (str, bytes, Mapping)) or not isinstance(
        out, (Iterable, pd.api.extensions.ExtensionArray)
    ):
        raise ContractError(
            f"{where} returned {out!r}; it must return one value per row (a Series, array or list)."
        )
    try:
        values = _as_list(out, "the rule's output", "planted()")
    except InvalidArgument as exc:
        raise ContractError(f"{where}: {exc}") from None
    if len(values) != n:
        raise ContractError(
            f"{where} returned {len(values)} values for a {n}-row frame; it must return one "
            "value per row."
        )
    raw, nulls = _coerce(c, values, "rule output", "row")
    return _bulk.to_series(c, raw, nulls, c.name)


def planted(
    contract: Any,
    target: str,
    rule: Callable[[pd.DataFrame], Any],
    *,
    rows: int | None = None,
    min_rows: int = 0,
    max_rows: int | None = None,
    columns: Iterable[str] | None = None,
) -> PatternStrategy:
    """Frames whose other columns vary per row and whose ``target`` column is
    ``rule(features)``: "can the model still learn a simple rule?" smoke tests.

    ``rule`` receives the frame without ``target`` (a copy) and returns one value per row
    (a Series, taken by position, an array or a list). Its output is cast to the target's
    dtype and checked at every draw: a value that breaks the column raises
    :class:`~hypo_contracts.ContractError` naming the column, the value, its row and the
    constraint. ``rows``, ``min_rows``, ``max_rows`` and ``columns`` are as in
    :func:`frames`; ``columns`` must include ``target``.

    >>> import numpy as np
    >>> from hypo_contracts import planted
    >>> from hypo_contracts.examples import WineQuality
    >>> pattern = planted(WineQuality, "quality", lambda X: np.where(X["alcohol"] > 12, 8, 4))
    >>> df = pattern.example(seed=3)
    >>> bool(((df["alcohol"] > 12) == (df["quality"] == 8)).all())
    True
    """
    where = "planted()"
    info = contract_info(contract, where)
    if not isinstance(target, str) or target not in info.canonical:
        raise _unknown(info, target, where, "targets")
    if not callable(rule):
        raise InvalidArgument(f"{where}: rule={rule!r} must be a function of the feature frame.")
    selected = select_columns(info, columns, where)
    if target not in {c.name for c in selected}:
        raise InvalidArgument(
            f"{where}: columns={[c.name for c in selected]!r} leaves out the target {target!r}."
        )
    features = [c for c in selected if c.name != target]
    if not features:
        raise InvalidArgument(
            f"{where}: the rule needs at least one column besides the target {target!r}."
        )
    lo, hi = check_rows(info, selected, rows, min_rows, max_rows, where)
    hi = rule_rows(
        info, selected, lo, hi, rows is None and max_rows is None, call_head(where, info)
    )
    names = [c.name for c in features]
    if rows is not None:
        base = frames(contract, rows=lo, columns=names)
    else:
        base = frames(contract, min_rows=lo, max_rows=hi, columns=names)
    tc = info.canonical[target]

    def apply(df: pd.DataFrame) -> pd.DataFrame:
        data = {name: df[name] for name in names}
        data[target] = _rule_output(tc, rule(df.copy()), len(df))
        out = enforce(info.rules, selected, _bulk.assemble(selected, data), [target])
        _check_pinned_rules(
            info, {target: out[target]} | {n: out[n] for n in names}, selected, where
        )
        return out

    def sample(seed: int | None) -> pd.DataFrame:
        s_rows, s_frame = np.random.SeedSequence(seed).generate_state(2)
        n = lo if lo == hi else int(np.random.default_rng(int(s_rows)).integers(lo, hi + 1))
        return apply(_bulk.example(_sub(features), n, seed=int(s_frame)))

    kwargs: dict[str, Any] = {}
    if rows is not None:
        kwargs["rows"] = rows
    if min_rows != 0:
        kwargs["min_rows"] = min_rows
    if max_rows is not None:
        kwargs["max_rows"] = max_rows
    if columns is not None:
        kwargs["columns"] = [c.name for c in selected]
    extra = "".join(f", {k}={v!r}" for k, v in kwargs.items())
    description = f"planted({info.name}, {target!r}, {getattr(rule, '__name__', rule)!r}{extra})"
    return pattern_strategy(base.map(apply), sample, description)
