"""Cross-column rules, canonicalised: order, ``present_when``, ``computed``,
``unique_together`` and ``increasing``/``decreasing`` (see ``docs/rules.md``).

``@data_contract`` calls :func:`compile_rules` with the contract's canonical columns. It reads
every column's rule constraints, checks that they name columns of the contract of a fitting
kind, propagates the bounds order rules imply (``b.at_least("a")`` with ``b <= 10`` gives
``a <= 10``), refuses what can never hold, and returns the narrowed columns together with the
rules in dependency order (a rule comes after every rule that writes a column it reads).
Generation (:mod:`hypo_contracts.rule_fill`) applies them in that order; validation
(:mod:`hypo_contracts.interop`) checks each with :func:`failing_rows`.

>>> import pandas as pd
>>> from hypo_contracts import data_contract, Int64
>>> @data_contract
... class Span:
...     start = Int64().bounded_between(0, 100)
...     end = Int64().upper_bound(50).at_least("start")
>>> [rule.text for rule in Span.__contract__.rules]
['end >= start']
>>> Span.__contract__.canonical["start"].hi  # implied by end >= start and end <= 50
50
>>> failing_rows(Span.__contract__.rules[0], pd.DataFrame({"start": [1, 9], "end": [5, 3]}))
array([False,  True])
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .constraints import Canonical
from .declaration import Keyword, fmt_arg
from .errors import ContractError
from .kinds import BadValue, kind_of

__all__ = ["ORDER_OPS", "Rule", "compile_rules", "failing_rows", "raw_gap", "to_raw_value"]

#: Order constraint name -> (operator, strict).
ORDER_OPS = {
    "at_least": (">=", False),
    "greater_than": (">", True),
    "at_most": ("<=", False),
    "less_than": ("<", True),
}


@dataclass(frozen=True)
class Rule:
    """One canonical rule.

    ``kind`` is ``order``, ``present_when``, ``computed``, ``unique_together`` or
    ``monotone``; ``column`` the column it writes (``None`` for ``unique_together``);
    ``uses`` the columns it reads; ``text`` what messages call it. Order rules have ``op``
    (``>=``, ``>``, ``<=``, ``<``), ``gap`` (raw units: a number, nanoseconds or days; a strict
    rule steps past it by the kind's ``rule_shift``: one whole step, or the next float).
    ``present_when`` has ``values`` (raw values of the condition column),
    ``computed`` has ``fn``, ``monotone`` has ``op`` (``increasing``/``decreasing``),
    ``strict`` and ``uses`` (the ``within`` columns).
    """

    kind: str
    column: str | None
    uses: tuple[str, ...]
    text: str
    op: str = ""
    gap: Any = 0
    strict: bool = False
    values: tuple[Any, ...] = ()
    fn: Callable[[pd.DataFrame], Any] | None = None
    #: order rules: the gap in a frame's units (ns for dates too); present_when: the
    #: condition's values as declared
    frame_gap: Any = 0
    declared: tuple[Any, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the rule involves, written column first."""
        return ((self.column,) if self.column else ()) + self.uses

    @property
    def row_wise(self) -> bool:
        """Whether the rule constrains each row on its own (so ``records()`` can apply it)."""
        return self.kind in ("order", "present_when", "computed")


def _fail(contract: str, message: str) -> ContractError:
    return ContractError(f"{contract}: {message}")


def _kw(args: tuple[Any, ...], name: str, default: Any = None) -> Any:
    for a in args:
        if isinstance(a, Keyword) and a.name == name:
            return a.value
    return default


def raw_gap(c: Canonical, gap: Any, where: str) -> Any:
    """A declared ``gap`` in ``c``'s raw units (numbers; ns for timestamps; days for dates),
    or ContractError."""
    if gap is None:
        return 0
    try:
        return kind_of(c).rule_gap(c, gap)
    except BadValue as exc:
        raise ContractError(f"{where}: {exc}") from None


def to_raw_value(c: Canonical, value: Any, where: str) -> Any:
    """A user's value of column ``c`` in raw form (an index into accepted values or
    categories, ns, days, or the value), or ContractError when ``c`` cannot hold it."""
    if c.values is not None:
        for i, v in enumerate(c.values):
            if (v == value and type(v) is not bool) or v is value:
                return i
        raise ContractError(f"{where}: {value!r} is not among {c.where}'s values {list(c.values)}.")
    try:
        return kind_of(c).rule_value(c, value)
    except (TypeError, ValueError):
        pass
    raise ContractError(f"{where}: {value!r} is not a value of {c.where} ({c.dtype_name}).")


def _frame_value(c: Canonical, raw: Any) -> Any:
    """A raw value as it appears in a frame (to compare with ``isin``)."""
    if c.values is not None:
        return c.values[int(raw)]
    return kind_of(c).pandas_value(c, raw)


# ------------------------------------------------------------------------------------------
# reading the declarations


def _read(
    contract: str,
    canonical: Mapping[str, Canonical],
    unique_together: Sequence[Sequence[str]],
) -> list[Rule]:
    rules: list[Rule] = []

    def known(name: Any, where: str, text: str) -> str:
        if not isinstance(name, str) or name not in canonical:
            raise _fail(
                contract,
                f"{where}: {text} names {name!r}, which is not a column of {contract} "
                f"(its columns are: {', '.join(canonical)}).",
            )
        return name

    for name, c in canonical.items():
        column = c.source
        if column is None:
            continue
        where = f"{contract}.{name}"
        for cname, args in column.constraints:
            text = f"{cname}({', '.join(_arg_text(a) for a in args)})"
            if cname in ORDER_OPS:
                rules.append(
                    _order_rule(
                        contract, canonical, c, cname, args, known(args[0], where, text), text
                    )
                )
            elif cname == "present_when":
                kw = args[0]
                cond = canonical[known(kw.name, where, text)]
                if kw.name == name:
                    raise _fail(contract, f"{where}: {text} names the column itself.")
                values = tuple(to_raw_value(cond, v, f"{where}: {text}") for v in kw.value)
                shown = list(kw.value)
                rules.append(
                    Rule(
                        "present_when",
                        name,
                        (kw.name,),
                        f"{name} present exactly when {kw.name} in {shown!r}",
                        values=values,
                        declared=tuple(_frame_value(cond, v) for v in values),
                    )
                )
            elif cname == "computed":
                fn, uses = args[0], tuple(_kw(args, "uses", ()))
                if not callable(fn):
                    raise _fail(contract, f"{where}: {text}: {fn!r} is not a function.")
                for u in uses:
                    known(u, where, text)
                    if u == name:
                        raise _fail(contract, f"{where}: {text} uses the column itself.")
                rules.append(
                    Rule(
                        "computed",
                        name,
                        uses,
                        f"{name} == {getattr(fn, '__name__', 'fn')}({', '.join(uses)})",
                        fn=fn,
                    )
                )
            elif cname in ("increasing", "decreasing"):
                within = _kw(args, "within")
                groups = (
                    ()
                    if within is None
                    else ((within,) if isinstance(within, str) else tuple(within))
                )
                for g in groups:
                    known(g, where, text)
                    if g == name:
                        raise _fail(contract, f"{where}: {text} groups by the column itself.")
                if not kind_of(c).ordered or c.values is not None:
                    raise _fail(
                        contract,
                        f"{where}: {text} needs a number, timestamp or date column without "
                        "accepted_values.",
                    )
                strict = bool(_kw(args, "strictly", False))
                word = ("strictly " if strict else "") + cname
                by = f" within {', '.join(groups)}" if groups else ""
                rules.append(
                    Rule("monotone", name, groups, f"{name} {word}{by}", op=cname, strict=strict)
                )
    for combo in unique_together:
        if isinstance(combo, str) or not isinstance(combo, Iterable):
            raise _fail(
                contract,
                f"unique_together={list(unique_together)!r}: each entry is a tuple of column "
                f"names, not {combo!r}.",
            )
        cols = tuple(combo)
        text = f"unique_together{cols!r}"
        for col in cols:
            known(col, "unique_together", text)
        if len(set(cols)) != len(cols) or not cols:
            raise _fail(contract, f"{text}: list each column once (and at least one).")
        rules.append(Rule("unique_together", None, cols, f"({', '.join(cols)}) unique together"))
    return rules


def _arg_text(a: Any) -> str:
    return fmt_arg(a)


def _order_rule(
    contract: str,
    canonical: Mapping[str, Canonical],
    c: Canonical,
    cname: str,
    args: tuple[Any, ...],
    other: str,
    text: str,
) -> Rule:
    where = f"{contract}.{c.name}: {text}"
    ref = canonical[other]
    if other == c.name:
        raise _fail(contract, f"{c.name}: {text} compares the column with itself.")
    for x in (c, ref):
        if not kind_of(x).ordered or x.values is not None:
            raise ContractError(
                f"{where}: order rules compare numbers, timestamps or dates without "
                f"accepted_values, but {x.name} is {x.dtype_name}"
                f"{' with accepted_values' if x.values is not None else ''}."
            )
    for x in (c, ref):
        if x.allow_inf:
            raise ContractError(
                f"{where}: {x.name} allows infinities, which order rules do not support yet; "
                "drop allow_infinity() or the rule."
            )
    clash = kind_of(c).order_clash(c, ref)
    if clash is not None:
        raise ContractError(f"{where}: {clash}")
    op, strict = ORDER_OPS[cname]
    gap_decl = _kw(args, "gap")
    gap = raw_gap(c, gap_decl, where)
    shown = f"{c.name} {op} {other}"
    if gap_decl is not None:
        shown += f" {'+' if op[0] == '>' else '-'} {gap_decl}"
    frame_gap = kind_of(c).frame_gap(c, gap)
    return Rule(
        "order", c.name, (other,), shown, op=op, gap=gap, strict=strict, frame_gap=frame_gap
    )


# ------------------------------------------------------------------------------------------
# checks between rules, implied bounds, order


def _propagate(contract: str, canonical: dict[str, Canonical], rules: list[Rule]) -> None:
    """Narrow bounds in place until nothing changes: ``b >= a + g`` gives
    ``b.lo >= a.lo + g`` and ``a.hi <= b.hi - g``."""
    for _ in range(4 * len(rules) + 4):
        changed = False
        for r in rules:
            if r.kind != "order":
                continue
            assert r.column is not None
            dep, ref = canonical[r.column], canonical[r.uses[0]]
            kind = kind_of(dep)
            shift = functools.partial(kind.rule_shift, dep, gap=r.gap, strict=r.strict)
            show = functools.partial(kind.bound_text, dep)
            if r.op[0] == ">":  # dep >= ref + gap
                lo, hi = shift(ref.lo, up=True), shift(dep.hi, up=False)
                new_dep = dataclasses.replace(dep, lo=max(dep.lo, lo)) if lo > dep.lo else dep
                new_ref = dataclasses.replace(ref, hi=min(ref.hi, hi)) if hi < ref.hi else ref
                bad = lo > dep.hi
                limit = (
                    f"{ref.name} + gap is at least {show(lo)} but {dep.name} is at most "
                    f"{show(dep.hi)}"
                )
            else:  # dep <= ref - gap
                hi, lo = shift(ref.hi, up=False), shift(dep.lo, up=True)
                new_dep = dataclasses.replace(dep, hi=min(dep.hi, hi)) if hi < dep.hi else dep
                new_ref = dataclasses.replace(ref, lo=max(ref.lo, lo)) if lo > ref.lo else ref
                bad = hi < dep.lo
                limit = (
                    f"{ref.name} - gap is at most {show(hi)} but {dep.name} is at least "
                    f"{show(dep.lo)}"
                )
            if bad:
                raise _fail(
                    contract, f"rule {r.text} can never hold ({dep.name}, {ref.name}): {limit}."
                )
            if new_dep is not dep or new_ref is not ref:
                canonical[dep.name], canonical[ref.name] = new_dep, new_ref
                changed = True
        if not changed:
            return


def _check_combinations(
    contract: str, canonical: Mapping[str, Canonical], rules: list[Rule]
) -> None:
    """Refuse combinations generation cannot build by construction (yet)."""
    writers: dict[str, list[Rule]] = {}
    for r in rules:
        for col in r.uses if r.kind == "unique_together" else (r.column,):
            if col is not None:
                writers.setdefault(col, []).append(r)
    for col, rs in writers.items():
        value_rules = [
            r for r in rs if r.kind in ("order", "computed", "monotone", "unique_together")
        ]
        if len(value_rules) > 1:
            raise _fail(
                contract,
                f"{col} has {len(value_rules)} rules that set its value "
                f"({'; '.join(r.text for r in value_rules)}); one per column is supported "
                "(put further order rules on the other columns, as a chain).",
            )
        nulls = [r for r in rs if r.kind == "present_when"]
        if len(nulls) > 1:
            raise _fail(
                contract,
                f"{col}: one present_when per column ({'; '.join(r.text for r in nulls)}).",
            )
        if nulls and value_rules and value_rules[0].kind == "unique_together":
            raise _fail(contract, f"{col}: present_when cannot combine with {value_rules[0].text}.")
        c = canonical[col]
        if c.unique and nulls:
            raise _fail(
                contract,
                f"{col}: is_unique() cannot combine with {nulls[0].text} (a unique column holds "
                "at most one null).",
            )
        if c.unique and value_rules and value_rules[0].kind == "computed":
            raise _fail(
                contract,
                f"{col}: is_unique() cannot combine with {value_rules[0].text} (computed values "
                "may repeat; not supported yet).",
            )
        if c.unique and value_rules and value_rules[0].kind in ("order", "monotone"):
            raise _fail(
                contract,
                f"{col}: is_unique() cannot combine with the rule {value_rules[0].text} (not "
                "supported yet).",
            )


def _sort(contract: str, rules: list[Rule]) -> tuple[Rule, ...]:
    """Rules in dependency order: a column's value rule, then its present_when, before every
    rule that reads the column. A cycle is a ContractError naming its rules."""
    writes: dict[str, list[int]] = {}
    for i, r in enumerate(rules):
        for col in r.uses if r.kind == "unique_together" else (r.column,):
            if col is not None:
                writes.setdefault(col, []).append(i)
    after: dict[int, set[int]] = {i: set() for i in range(len(rules))}
    for i, r in enumerate(rules):
        reads = () if r.kind == "unique_together" else r.uses
        for col in reads:
            after[i] |= {j for j in writes.get(col, []) if j != i}
        if r.kind == "present_when":  # after the value rule of the same column
            after[i] |= {j for j in writes.get(r.column or "", []) if j != i}
    done: list[int] = []
    pending = list(range(len(rules)))
    while pending:
        ready = [i for i in pending if after[i] <= set(done)]
        if not ready:
            cycle = ", ".join(rules[i].text for i in pending)
            raise _fail(contract, f"the rules form a cycle: {cycle}.")
        done += ready
        pending = [i for i in pending if i not in ready]
    return tuple(rules[i] for i in done)


def compile_rules(
    contract: str,
    canonical: Mapping[str, Canonical],
    unique_together: Sequence[Sequence[str]] = (),
) -> tuple[dict[str, Canonical], tuple[Rule, ...]]:
    """The contract's canonical columns narrowed by the bounds its rules imply (and made
    nullable where ``present_when`` asks), and its rules in dependency order; ContractError
    for a rule that names an unknown column, compares incomparable kinds, forms a cycle or
    can never hold."""
    out = dict(canonical)
    rules = _read(contract, out, unique_together)
    if not rules:
        return out, ()
    _check_combinations(contract, out, rules)
    ordered = _sort(contract, rules)
    for r in rules:
        if r.kind == "present_when" and r.column is not None and not out[r.column].nullable:
            out[r.column] = dataclasses.replace(out[r.column], nullable=True)
    _propagate(contract, out, rules)
    return out, ordered


# ------------------------------------------------------------------------------------------
# checking a frame


def _numeric(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Values comparable across columns and the null mask: int64 ns for timestamps, exact
    integers (Python ints past 2**52, where floats would round) and floats."""
    null = s.isna().to_numpy(dtype=bool)
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        if isinstance(s.dtype, pd.DatetimeTZDtype):
            s = s.dt.tz_convert("UTC").dt.tz_localize(None)
        v = s.astype("datetime64[ns]").to_numpy().view(np.int64).copy()
        return v, null
    if pd.api.types.is_integer_dtype(s.dtype):
        filled = s.where(~s.isna(), 0) if null.any() else s
        ints = filled.to_numpy(dtype=np.uint64 if "uint64" in str(s.dtype).lower() else np.int64)
        if len(ints) and (int(ints.max()) > 2**52 or int(ints.min()) < -(2**52)):
            return np.array([int(v) for v in ints], dtype=object), null
        return ints.astype(np.float64), null
    return s.astype("float64").to_numpy(dtype=np.float64, na_value=np.nan), null


def failing_rows(rule: Rule, df: pd.DataFrame) -> np.ndarray:
    """A boolean mask of the rows of ``df`` that break ``rule`` (nulls satisfy order and
    monotone rules; ``unique_together`` flags every repeat after the first)."""
    n = len(df)
    if rule.kind == "unique_together":
        return df[list(rule.uses)].duplicated(keep="first").to_numpy(dtype=bool)
    assert rule.column is not None
    s = df[rule.column]
    if rule.kind == "present_when":
        cond = df[rule.uses[0]]
        wanted = cond.isin(list(rule.declared)).to_numpy(dtype=bool)
        return np.asarray(s.isna().to_numpy(dtype=bool) == wanted, dtype=bool)
    if rule.kind == "computed":
        assert rule.fn is not None
        expected = pd.Series(rule.fn(df[list(rule.uses)]), index=df.index)
        a, an = _numeric(s) if _is_numberish(s) else (s.to_numpy(object), s.isna().to_numpy(bool))
        b, bn = (
            _numeric(expected)
            if _is_numberish(expected)
            else (expected.to_numpy(object), expected.isna().to_numpy(bool))
        )
        if a.dtype.kind in "fiu" and b.dtype.kind in "fiu":
            same = np.isclose(a.astype(np.float64), b.astype(np.float64), rtol=1e-6, atol=1e-9)
        else:
            same = np.asarray(a == b, dtype=bool)
        return ~((an & bn) | (~an & ~bn & same))
    x, xn = _numeric(s)
    if rule.kind == "order":
        y, yn = _numeric(df[rule.uses[0]])
        gap = rule.frame_gap
        with np.errstate(invalid="ignore"):
            if rule.op == ">=":
                ok = x >= y + gap
            elif rule.op == ">":
                ok = x > y + gap
            elif rule.op == "<=":
                ok = x <= y - gap
            else:
                ok = x < y - gap
        return ~(np.asarray(ok, dtype=bool) | xn | yn)
    # monotone: compare each non-null value with the previous non-null one of its group
    bad = np.zeros(n, dtype=bool)
    rows = np.flatnonzero(~xn)
    if len(rows) < 2:
        return bad
    if rule.uses:
        keys = df[list(rule.uses)].iloc[rows]
        codes = keys.groupby(list(rule.uses), sort=False, dropna=False).ngroup().to_numpy()
    else:
        codes = np.zeros(len(rows), dtype=np.int64)
    order = np.argsort(codes, kind="stable")
    r, v, c = rows[order], x[rows][order], codes[order]
    same = c[1:] == c[:-1]
    with np.errstate(invalid="ignore"):
        if rule.op == "increasing":
            wrong = (v[1:] <= v[:-1]) if rule.strict else (v[1:] < v[:-1])
        else:
            wrong = (v[1:] >= v[:-1]) if rule.strict else (v[1:] > v[:-1])
    bad[r[1:][same & np.asarray(wrong, dtype=bool)]] = True
    return bad


def _is_numberish(s: pd.Series) -> bool:
    return bool(
        pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype)
    ) or pd.api.types.is_datetime64_any_dtype(s.dtype)
