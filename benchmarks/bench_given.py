"""Find + shrink with a plain ``@given(frames(C))`` on a real pipeline (issue 9, item 4).

A 15-column credit-scoring contract and a scikit-learn ``ColumnTransformer`` + gradient
boosting pipeline with a planted bug: it raises when an applicant over 60 has an income above
1 (say, a lookup table that was built without them). This runs a plain ``@given`` test with
Hypothesis's default settings (explain phase included) and with the ``hypo-ci`` profile, and
reports the wall time to find and shrink, the number of test calls, and how simple the final
example is: rows, the culprit's income and age, and whether every bystander value is its
column's simplest.

Run ``.venv/bin/python benchmarks/bench_given.py`` (a minute or two).
"""

from __future__ import annotations

import sys
import time
import warnings
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given, settings

from hypo_contracts import Bool, Category, Float64, Int64, String, data_contract, frames


@data_contract
class Credit:
    applicant_id = String().regex(r"AC-[0-9]{6}").is_unique()
    age = Int64().bounded_between(18, 99)
    income = Float64().bounded_between(0, 500)
    debt = Float64().bounded_between(0, 200)
    years_employed = Int64().bounded_between(0, 60)
    dependents = Int64().bounded_between(0, 10)
    region = Category(["north", "south", "east", "west"])
    product = String().accepted_values(["card", "loan", "mortgage"])
    owns_home = Bool()
    score_a = Float64().bounded_between(-3, 3)
    score_b = Float64().bounded_between(-3, 3)
    score_c = Float64().bounded_between(0, 1)
    late_payments = Int64().bounded_between(0, 50)
    credit_lines = Int64().bounded_between(0, 30)
    defaulted = Bool()


NUMERIC = ["age", "income", "debt", "years_employed", "dependents", "score_a", "score_b",
           "score_c", "late_payments", "credit_lines"]  # fmt: skip


def pipeline() -> Any:
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    features = ColumnTransformer(
        [
            ("num", StandardScaler(), NUMERIC),
            ("cat", OneHotEncoder(handle_unknown="ignore"), ["region", "product", "owns_home"]),
        ]
    )
    return make_pipeline(features, HistGradientBoostingClassifier(max_iter=10))


def train(df: pd.DataFrame) -> None:
    if ((df["age"] > 60) & (df["income"] > 1)).any():
        raise KeyError("no rate for applicants over 60 with an income")
    y = df["defaulted"]
    if y.nunique() > 1:
        pipeline().fit(df.drop(columns=["applicant_id", "defaulted"]), y)


def run(profile: str | None) -> dict[str, Any]:
    calls = 0
    last: list[pd.DataFrame] = []
    base = settings(database=None, deadline=None, print_blob=False, derandomize=True)
    chosen = (
        settings(settings.get_profile(profile), database=None, deadline=None, print_blob=False)
        if profile
        else base
    )

    @chosen
    @given(frames(Credit, min_rows=1, max_rows=200))
    def test_train(df: pd.DataFrame) -> None:
        nonlocal calls
        calls += 1
        try:
            train(df)
        except KeyError:
            last.append(df)
            raise

    start = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            test_train()
    except KeyError:
        pass
    seconds = time.perf_counter() - start
    df = last[-1]
    culprit = df[(df["age"] > 60) & (df["income"] > 1)].iloc[0]
    others = df.drop(index=culprit.name)
    simple_ids = df["applicant_id"].tolist() == [f"AC-{i:06d}" for i in range(len(df))]
    return {
        "seconds": seconds,
        "calls": calls,
        "rows": len(df),
        "income": float(culprit["income"]),
        "age": int(culprit["age"]),
        "bystander rows": len(others),
        "ids simplest": simple_ids,
        "debt simplest": bool((df["debt"] == 0).all()),
    }


def main() -> None:
    import hypo_contracts  # noqa: F401  (registers the hypo-ci profile)

    print(f"# bench_given.py {' '.join(sys.argv[1:])}".rstrip())
    print(f"numpy {np.__version__} | pandas {pd.__version__}\n")
    for profile in (None, "hypo-ci"):
        result = run(profile)
        shown = ", ".join(
            f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}" for k, v in result.items()
        )
        print(f"- {profile or 'default settings'}: {shown}", flush=True)


if __name__ == "__main__":
    main()
