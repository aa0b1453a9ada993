"""The failure report: the minimal frames (or related tables) in full (:func:`frames_note`)
and the source of a pytest regression test that replays them through ``check_pipeline_on``
(:func:`regression_test`, :func:`snippet_note`).
"""

from __future__ import annotations

import re
import sys
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ..compiled import contract_info
from ..regression import ImportTarget, regression_module
from .spec import PipelineCheckFailed, PipelineSpec, decorated_test, fixtures_of, rows_text

__all__ = ["frame_text", "frames_note", "import_line", "regression_test", "snippet_note"]

#: The minimal frames, or related tables (contract -> frame), of a failure.
Frames = pd.DataFrame | Mapping[Any, pd.DataFrame]


def frame_text(frame: pd.DataFrame) -> str:
    """Every column and every distinct row of ``frame`` (wide frames turned on their side).

    >>> print(frame_text(pd.DataFrame({"x": [1, 1, 2]})))
    3 rows, 2 distinct:
           x
        0  1
        2  2
    """
    distinct = frame.drop_duplicates()
    many = len(distinct) < len(frame)
    head = f"{rows_text(len(frame))}" + (f", {len(distinct)} distinct:" if many else ":")
    if frame.shape[1] == 0 or len(frame) == 0:
        return head.rstrip(":") + f", columns {list(frame.columns)}"
    sideways = frame.shape[1] > 6 and len(distinct) <= 6
    shown = distinct.astype(object).T if sideways else distinct  # object: ints stay ints
    with pd.option_context(
        "display.max_columns", None, "display.max_rows", None, "display.width", 10_000
    ):
        return head + "\n" + textwrap.indent(shown.to_string(), "    ")


def _name(contract: Any) -> str:
    return contract_info(contract, "check_pipeline()").name


def _tables_text(tables: Mapping[Any, pd.DataFrame]) -> str:
    return "\n".join(
        textwrap.indent(f"{_name(c)}: {frame_text(df)}", "    ") for c, df in tables.items()
    )


def frames_note(train: Frames, new: Frames) -> str:
    """The minimal frames (or tables: mappings contract -> frame), in full, for the failure
    report.

    >>> import pandas as pd
    >>> print(frames_note(pd.DataFrame({"x": [1, 1], "y": [0, 0]}), pd.DataFrame({"x": [5]})))
    minimal training frame: 2 rows, 1 distinct:
           x  y
        0  1  0
    minimal frame predicted on: 1 row:
           x
        0  5
    >>> from hypo_contracts import data_contract, Int64
    >>> @data_contract
    ... class Points:
    ...     x = Int64()
    >>> print(frames_note({Points: pd.DataFrame({"x": [1]})}, {Points: pd.DataFrame({"x": []})}))
    minimal training tables:
        Points: 1 row:
               x
            0  1
    minimal tables predicted on:
        Points: 0 rows, columns ['x']
    """
    if isinstance(train, Mapping) and isinstance(new, Mapping):
        return (
            f"minimal training tables:\n{_tables_text(train)}\n"
            f"minimal tables predicted on:\n{_tables_text(new)}"
        )
    assert isinstance(train, pd.DataFrame) and isinstance(new, pd.DataFrame)
    return (
        f"minimal training frame: {frame_text(train)}\n"
        f"minimal frame predicted on: {frame_text(new)}"
    )


# ------------------------------------------------------------------------------------------
# regression snippet


def import_line(obj: Any, fallback: str) -> tuple[list[str], str]:
    """``(import lines, expression)`` for ``obj`` in a generated test module.

    Names that pytest would collect again from the generated module (``test_*`` functions,
    ``Test*`` classes) are imported under a private alias (:class:`ImportTarget`)."""
    decorated = decorated_test(obj)
    if decorated is not None:  # a @pipeline_test factory
        factory = decorated.__wrapped__
        for candidate, suffix in ((decorated, ".__wrapped__"), (factory, "")):
            lines, name = import_line(candidate, "")
            if name:
                return lines, name + suffix
        return [f"# {fallback} is defined inline: import or define it here"], fallback
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    found = getattr(sys.modules.get(module or ""), qualname or "", None)
    if not module or not qualname or found is not obj:
        return [f"# {fallback} is defined inline: import or define it here"], fallback
    target = ImportTarget(module, qualname)
    if module == "__main__":
        line = target.import_lines()[0]
        return [f"{line}  # move it into an importable module"], target.name
    return target.import_lines(), target.name


def _snake(name: str) -> str:
    """``"ShopCustomers"`` -> ``"shop_customers"``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def _tables_literal(
    var: str,
    tables: Mapping[Any, pd.DataFrame],
    frames: dict[str, pd.DataFrame],
    imports: list[str],
) -> str:
    """``var = Tables({Customers: var_customers, ...})``, each table added to ``frames`` under
    its variable and each contract's import to ``imports``."""
    entries = []
    for contract, df in tables.items():
        lines, expr = import_line(contract, _name(contract))
        imports += lines
        name = f"{var}_{_snake(_name(contract))}"
        while name in frames:
            name += "_"
        frames[name] = df
        entries.append(f"{expr}: {name}")
    return f"{var} = Tables({{{', '.join(entries)}}})"


def regression_test(
    spec: PipelineSpec,
    train: Frames,
    new: Frames,
    error: PipelineCheckFailed,
    contracts: Sequence[Any] | None = None,
) -> str:
    """The source of a pytest test replaying ``train`` and ``new`` through
    ``check_pipeline_on`` (the frames as literals, dtypes kept).

    With several tables, ``contracts`` are the contracts given to ``check_pipeline`` and
    ``train`` and ``new`` mappings contract -> frame: the test writes each table as a literal,
    rebuilds both :class:`~hypo_contracts.Tables` and passes ``contracts`` on.

    >>> from sklearn.dummy import DummyClassifier
    >>> from hypo_contracts import data_contract, Float64, Int64
    >>> from hypo_contracts.sklearn.spec import make_spec
    >>> @data_contract
    ... class Wine:
    ...     alcohol = Float64()
    ...     quality = Int64()
    >>> frame = pd.DataFrame({"alcohol": [9.0], "quality": [4]})
    >>> source = regression_test(make_spec("f()", DummyClassifier, Wine, "quality"), frame,
    ...                          frame, PipelineCheckFailed("nan", "..."))
    >>> print(source[source.index("def "):])  # doctest: +ELLIPSIS
    def test_DummyClassifier_regression() -> None:
        # [nan] ...
        train = pd.DataFrame(...
        check_pipeline_on(
            DummyClassifier,
            Wine,
            train,
            new,
            target='quality',
            roundtrip=('joblib',),
        )
    >>> @data_contract
    ... class Cellars:
    ...     cellar_id = Int64().is_unique()
    >>> @data_contract
    ... class Bottles:
    ...     cellar_id = Int64().references(Cellars, "cellar_id")
    ...     quality = Int64()
    >>> t = {Cellars: pd.DataFrame({"cellar_id": [0]}), Bottles: frame[[]].assign(cellar_id=0)}
    >>> source = regression_test(make_spec("f()", DummyClassifier, Bottles, "quality"), t, t,
    ...                          PipelineCheckFailed("nan", "..."), (Bottles,))
    >>> print(source[source.index("    train = Tables"):])  # doctest: +ELLIPSIS
        train = Tables({Cellars: train_cellars, Bottles: train_bottles})
        new = Tables({Cellars: new_cellars, Bottles: new_bottles})
        check_pipeline_on(
            DummyClassifier,
            (Bottles,),
            train,
            new,
            target='quality',
            roundtrip=('joblib',),
        )
    """
    make_import, make_name = import_line(spec.make, "make_pipeline")
    fixtures = fixtures_of(spec.make)
    comments = [str(error).splitlines()[0]]
    comments[0] = comments[0] if len(comments[0]) <= 90 else comments[0][:87] + "..."
    if fixtures:  # a @pipeline_test factory that takes pytest fixtures: so does the test
        factory = make_name.split(".")[0].lstrip("_")
        make_name = f"lambda: {make_name}({', '.join(f'{f}={f}' for f in fixtures)})"
        comments.append(
            f"{factory} takes the fixture(s) {', '.join(fixtures)}: keep them visible "
            "here (conftest.py)"
        )
    extra = ""
    froms = ["from hypo_contracts.sklearn import check_pipeline_on"]
    if spec.trusted:
        extra += f", trusted={sorted(spec.trusted)!r}"
    if spec.prediction_column is not None:
        extra += f", predictions={spec.prediction_column!r}"
        froms.append(f"from hypo_contracts import {type(spec.prediction_column).__name__}")
    target = spec.target
    rebuild: list[str] = []
    if contracts is None:  # one frame each
        assert isinstance(train, pd.DataFrame) and isinstance(new, pd.DataFrame)
        contract_import, contract_name = import_line(spec.contract, spec.info.name)
        frames: dict[str, pd.DataFrame] = {"train": train, "new": new}
    else:  # related tables: one literal per table, then the two Tables
        assert isinstance(train, Mapping) and isinstance(new, Mapping)
        contract_import, names = [], []
        for contract in contracts:
            lines, name = import_line(contract, _name(contract))
            contract_import += lines
            names.append(name)
        contract_name = f"({', '.join(names)}{',' if len(names) == 1 else ''})"
        frames = {}
        for var, tables in (("train", train), ("new", new)):
            rebuild.append(_tables_literal(var, tables, frames, contract_import))
        froms.append("from hypo_contracts import Tables")
        if sum(target in contract_info(c, "check_pipeline()").canonical for c in contracts) > 1:
            target = f"{spec.info.name}.{target}"
    head = make_name.removeprefix("lambda: ").split(".")[0].lstrip("_")
    test_name = re.sub(r"^(test_)+", "", re.sub(r"\W+", "_", head))
    return regression_module(
        f"test_{test_name}_regression",
        frames,
        [
            *rebuild,
            "check_pipeline_on(",
            f"    {make_name},",
            f"    {contract_name},",
            "    train,",
            "    new,",
            f"    target={target!r},",
            f"    roundtrip={spec.roundtrip!r}{extra},",
            ")",
        ],
        comments=comments,
        imports=[*froms, *make_import, *contract_import],
        fixtures=fixtures,
    )


def snippet_note(failure: PipelineCheckFailed) -> str:
    """The report's last note: the failure's regression test."""
    return "a pytest regression test for this failure:\n\n" + str(failure.regression_test)
