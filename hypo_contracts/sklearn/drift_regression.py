"""The regression test of a :func:`~hypo_contracts.sklearn.check_drift` failure: a pytest
module that rebuilds the training frame, the frame predicted on and its failing variant as
literals (:func:`hypo_contracts.regression.frame_literal`, dtypes kept), fits the pipeline and
asserts the variant gets the same predictions (or, for a missing feature, is refused): it
fails until the pipeline is fixed."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..regression import regression_module
from .report import import_line
from .spec import PipelineSpec, fixtures_of

__all__ = ["DriftCase", "drift_regression_test"]


@dataclass(frozen=True)
class DriftCase:
    """One failing form: ``train`` (features and target) fitted on, ``new`` predicted on,
    ``variant`` its other form (row ``i`` is row ``order[i]`` of ``new``; ``None``: the same
    rows), ``outcome`` ``"changed"`` or ``"predicted"``, ``proba`` when only the
    probabilities changed, ``floats`` when the predictions are floats (compared to a relative
    1e-6)."""

    label: str
    train: pd.DataFrame
    new: pd.DataFrame
    variant: pd.DataFrame
    order: np.ndarray | None
    outcome: str
    proba: bool = False
    floats: bool = False


def _compare(method: str, floats: bool, order: str) -> list[str]:
    got = f"np.asarray(pipe.{method}(variant))"
    expected = f"np.asarray(pipe.{method}(new)){order}"
    if floats:
        return [f"np.testing.assert_allclose({got}, {expected}, rtol=1e-6)"]
    return [f"np.testing.assert_array_equal({got}, {expected})"]


def drift_regression_test(spec: PipelineSpec, case: DriftCase, comment: str) -> str | None:
    """The source of a pytest module replaying ``case`` (None when a frame cannot be written
    as a literal, e.g. an Arrow-backed column).

    >>> from sklearn.dummy import DummyClassifier
    >>> from hypo_contracts import data_contract, Float64, Int64
    >>> from hypo_contracts.sklearn.spec import make_spec
    >>> @data_contract
    ... class Wine:
    ...     alcohol = Float64()
    ...     quality = Int64()
    >>> train = pd.DataFrame({"alcohol": [9.0, 12.0], "quality": [4, 8]})
    >>> new = train[["alcohol"]]
    >>> case = DriftCase("without 'alcohol'", train, new, new.drop(columns="alcohol"), None,
    ...                  "predicted")
    >>> source = drift_regression_test(make_spec("f()", DummyClassifier, Wine, "quality"),
    ...                                case, "[drift] ...")
    >>> print(source[source.index("    pipe = "):])
        pipe = DummyClassifier()
        pipe.fit(train[['alcohol']], train['quality'])
        pipe.predict(new)  # the contract form predicts
        with pytest.raises(Exception):  # a declared feature is missing: it must be refused
            pipe.predict(variant)
    <BLANKLINE>
    """
    make_import, make_name = import_line(spec.make, "make_pipeline")
    contract_import, _ = import_line(spec.contract, spec.info.name)
    del contract_import  # the frames are literals: the contract is not needed
    fixtures = fixtures_of(spec.make)
    comments = [comment if len(comment) <= 90 else comment[:87] + "...", f"form: {case.label}"]
    if fixtures:
        make_call = f"{make_name}({', '.join(f'{f}={f}' for f in fixtures)})"
    else:
        make_call = f"{make_name}()"
    body = [
        f"pipe = {make_call}",
        f"pipe.fit(train[{list(spec.features)!r}], train[{spec.target!r}])",
    ]
    imports = ["import pytest"] if case.outcome == "predicted" else ["import numpy as np"]
    if case.outcome == "predicted":
        body += [
            "pipe.predict(new)  # the contract form predicts",
            "with pytest.raises(Exception):  # a declared feature is missing: it must be refused",
            "    pipe.predict(variant)",
        ]
    else:
        order = ""
        if case.order is not None:
            body.append(f"order = {[int(i) for i in case.order]!r}  # variant row i is new row")
            order = "[order]"
        body.append("# the same values in another form: the same predictions")
        if case.proba:
            body += _compare("predict_proba", True, order)
        else:
            body += _compare("predict", case.floats, order)
    head = make_name.split(".")[0].lstrip("_")
    name = re.sub(r"^(test_)+", "", re.sub(r"\W+", "_", head))
    try:
        return regression_module(
            f"test_{name}_drift_regression",
            {"train": case.train, "new": case.new, "variant": case.variant},
            body,
            comments=comments,
            imports=[*imports, *make_import],
            fixtures=fixtures,
        )
    except ValueError:
        return None
