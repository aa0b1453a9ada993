"""A contract as Python source: the ``@data_contract`` class that re-declares it.

:func:`to_source` writes each column from its canonical form (:mod:`hypo_contracts.constraints`),
so the source declares a contract with equal canonical constraints: bounds as they were
intersected, accepted values as they were filtered, timestamps as ``pd.Timestamp`` with their
offset. It is what ``Contract.to_source()`` returns and what ``hypo-contracts infer`` writes.

>>> from hypo_contracts import data_contract, Int64, String
>>> @data_contract
... class Users:
...     user_id = Int64().lower_bound(1).lower_bound(5).is_unique()
...     name = String().max_length(12).is_optional()
>>> print(Users.to_source())
import pandas as pd  # noqa: F401  (timestamp bounds)
<BLANKLINE>
from hypo_contracts import Int64, String, data_contract
<BLANKLINE>
<BLANKLINE>
@data_contract
class Users:
    user_id = Int64().lower_bound(5).is_unique()
    name = String().max_length(12).is_optional()
<BLANKLINE>

Names that are not Python identifiers (``"sepal length (cm)"``) are declared through
``type(...)``, which ``@data_contract`` accepts like a class statement.
"""

from __future__ import annotations

import keyword
from typing import Any

from .compiled import ContractInfo, own_info
from .constraints import Canonical, has_bounds
from .declaration import plain_scalar
from .errors import bad_argument
from .kinds import kind_of
from .rules import ORDER_OPS, Rule

__all__ = ["column_source", "has_bounds", "to_source"]


def column_source(c: Canonical) -> str:
    """The declaration of one canonical column.

    >>> from hypo_contracts import data_contract, Float32, Timestamp
    >>> import pandas as pd
    >>> @data_contract
    ... class T:
    ...     x = Float32().bounded_between(0, 0.1)
    ...     at = Timestamp(time_zone="UTC").upper_bound(pd.Timestamp("2024-01-01", tz="UTC"))
    >>> for c in T.__contract__.canonical.values():
    ...     print(column_source(c))
    Float32().bounded_between(0.0, 0.09999999403953552)
    Timestamp(time_zone='UTC').upper_bound(pd.Timestamp('2024-01-01T00:00:00+00:00'))
    """
    kind = kind_of(c)
    text = kind.constructor_source(c)
    has_lo, has_hi = has_bounds(c)
    if has_lo and has_hi:
        text += f".bounded_between({kind.bound_source(c, c.lo)}, {kind.bound_source(c, c.hi)})"
    elif has_lo:
        text += f".lower_bound({kind.bound_source(c, c.lo)})"
    elif has_hi:
        text += f".upper_bound({kind.bound_source(c, c.hi)})"
    text += kind.constraints_source(c)
    if c.allow_inf:
        text += ".allow_infinity()"
    if c.nullable:
        text += ".is_optional()"
    if c.unique:
        text += ".is_unique()"
    return text


def _is_attribute_name(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)


def to_source(info: ContractInfo, *, class_name: str | None = None) -> str:
    """The Python module text declaring a contract equal to ``info`` (canonical constraints,
    ``strict``, ``unique_together`` and references, the referenced contracts declared first);
    ``class_name`` defaults to the contract's name. Cross-column rules are written as their
    constraint calls, except ``computed(fn)``, whose function cannot be written: it is an
    ``InvalidArgument`` rather than silently lost.

    >>> from hypo_contracts import data_contract, Float64
    >>> C = data_contract(type("Iris", (), {"sepal length (cm)": Float64().lower_bound(0)}))
    >>> print(to_source(C.__contract__).split("\\n\\n\\n")[1])
    Iris = data_contract(
        type(
            'Iris',
            (),
            {
                'sepal length (cm)': Float64().lower_bound(0.0),
            },
        )
    )
    <BLANKLINE>
    """
    infos = _with_parents(info)
    names = {i.name: _variable(i.name) for i in infos}
    if class_name:
        names[info.name] = _variable(class_name)
    classes = [_class_source(i, names) for i in infos]
    used = sorted(
        {kind_of(c).declaration_name(c) for i in infos for c in i.canonical.values()}
        | {"data_contract"},
        key=lambda s: (s == "data_contract", s),
    )
    header = (
        "import pandas as pd  # noqa: F401  (timestamp bounds)\n\n"
        f"from hypo_contracts import {', '.join(used)}\n\n\n"
    )
    return header + "\n\n".join(classes)


def _variable(name: str) -> str:
    if _is_attribute_name(name):
        return name
    return "Contract_" + "".join(ch if ch.isalnum() else "_" for ch in name)


def _with_parents(info: ContractInfo) -> list[ContractInfo]:
    """``info`` after every contract it references (transitively), parents first."""
    out: dict[str, ContractInfo] = {}

    def add(i: ContractInfo) -> None:
        for ref in i.references:
            add(own_info(ref.parent, "to_source()"))
        out.setdefault(i.name, i)

    add(info)
    return list(out.values())


_ORDER_NAMES = {op: name for name, (op, _) in ORDER_OPS.items()}


def _condition_value(info: ContractInfo, rule: Rule, c: Canonical, value: Any) -> str:
    """One of ``present_when``'s condition values (as declared) as a Python literal."""
    text = kind_of(c).condition_source(c, value)
    if text is not None:
        return text
    raise bad_argument(
        "to_source",
        info.name,
        f"{info.name}.{rule.column} has the rule {rule.text}, whose value "
        f"{plain_scalar(value)!r} to_source cannot write as a literal; write the source of a "
        "copy without the rule and declare the rule by hand.",
    )


def _rule_source(info: ContractInfo, rule: Rule) -> str:
    """The constraint call declaring ``rule`` on its column (``.at_least('start', gap=2)``)."""
    c = info.canonical[rule.column or ""]
    if rule.kind == "order":
        gap = f", gap={kind_of(c).gap_source(c, rule.gap)}" if rule.gap else ""
        return f".{_ORDER_NAMES[rule.op]}({rule.uses[0]!r}{gap})"
    if rule.kind == "monotone":
        args = []
        if rule.uses:
            args.append(f"within={rule.uses[0] if len(rule.uses) == 1 else list(rule.uses)!r}")
        if rule.strict:
            args.append("strictly=True")
        return f".{rule.op}({', '.join(args)})"
    if rule.kind == "present_when":
        (name,) = rule.uses
        cond = info.canonical[name]
        values = f"[{', '.join(_condition_value(info, rule, cond, v) for v in rule.declared)}]"
        if _is_attribute_name(name):
            return f".present_when({name}={values})"
        return f".present_when(**{{{name!r}: {values}}})"
    raise bad_argument(
        "to_source",
        info.name,
        f"{info.name}.{rule.column} has the cross-column rule {rule.text}, which holds a Python "
        "function that to_source cannot write (it would silently be lost); write the source of "
        "a copy without the rule and declare the rule by hand.",
    )


def _class_source(info: ContractInfo, names: dict[str, str]) -> str:
    written: dict[str, str] = {}
    for rule in info.rules:
        if rule.kind != "unique_together":
            col = rule.column or ""
            written[col] = written.get(col, "") + _rule_source(info, rule)
    refs = {r.column: r for r in info.references}
    columns = {}
    for col, c in info.canonical.items():
        text = column_source(c)
        if col in refs:
            ref = refs[col]
            text += f".references({names[ref.parent_name]}, {ref.parent_column!r})"
        columns[col] = text + written.get(col, "")
    options = []
    if info.strict:
        options.append("strict=True")
    if info.unique_together:
        options.append(f"unique_together={[tuple(u) for u in info.unique_together]!r}")
    args = f"({', '.join(options)})" if options else ""
    name = names[info.name]
    if all(_is_attribute_name(col) and not col.startswith("__") for col in columns):
        body = "".join(f"    {col} = {text}\n" for col, text in columns.items())
        return f"@data_contract{args}\nclass {name}:\n{body}"
    call = f"data_contract{args}(" if options else "data_contract("
    body = "".join(f"            {col!r}: {text},\n" for col, text in columns.items())
    return (
        f"{name} = {call}\n    type(\n        {info.name!r},\n        (),\n"
        f"        {{\n{body}        }},\n    )\n)\n"
    )
