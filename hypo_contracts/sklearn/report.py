"""The failure report: the minimal frames in full (:func:`frames_note`) and the source of a
pytest regression test that replays them through ``check_pipeline_on``
(:func:`regression_test`).
"""

from __future__ import annotations

import re
import sys
import textwrap
from typing import Any

import pandas as pd

from ..regression import ImportTarget, regression_module
from .spec import PipelineCheckFailed, PipelineSpec, decorated_test, fixtures_of, rows_text

__all__ = ["frame_text", "frames_note", "import_line", "regression_test"]


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


def frames_note(train: pd.DataFrame, new: pd.DataFrame) -> str:
    """The minimal frames, in full, for the failure report.

    >>> import pandas as pd
    >>> print(frames_note(pd.DataFrame({"x": [1, 1], "y": [0, 0]}), pd.DataFrame({"x": [5]})))
    minimal training frame: 2 rows, 1 distinct:
           x  y
        0  1  0
    minimal frame predicted on: 1 row:
           x
        0  5
    """
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


def regression_test(
    spec: PipelineSpec, train: pd.DataFrame, new: pd.DataFrame, error: PipelineCheckFailed
) -> str:
    """The source of a pytest test replaying ``train`` and ``new`` through
    ``check_pipeline_on`` (the frames as literals, dtypes kept).

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
    """
    make_import, make_name = import_line(spec.make, "make_pipeline")
    contract_import, contract_name = import_line(spec.contract, spec.info.name)
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
    head = make_name.removeprefix("lambda: ").split(".")[0].lstrip("_")
    test_name = re.sub(r"^(test_)+", "", re.sub(r"\W+", "_", head))
    return regression_module(
        f"test_{test_name}_regression",
        {"train": train, "new": new},
        [
            "check_pipeline_on(",
            f"    {make_name},",
            f"    {contract_name},",
            "    train,",
            "    new,",
            f"    target={spec.target!r},",
            f"    roundtrip={spec.roundtrip!r}{extra},",
            ")",
        ],
        comments=comments,
        imports=[*froms, *make_import, *contract_import],
        fixtures=fixtures,
    )
