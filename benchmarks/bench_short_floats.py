"""How short a shrunk float is (issue 11): 24 value bugs on WineQuality, shrunk by Hypothesis.

For four float columns and a threshold each (``alcohol > 12.34``, ``pH > 7.77``,
``fixed_acidity > 3.21``, ``density > 0.53``), alone and together with ``quality >= 5`` in
the same row, on ``frames(WineQuality, rows=10)``, ``min_rows=1`` and ``rows=40``: the value
the minimal failing frame shows and its significant digits (short: at most 3). Derandomized,
so the figures are the same on every run of the same code.

Run ``PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_short_floats.py`` (about 30 s).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from hypo_contracts import frames
from hypo_contracts.examples import WineQuality

BUGS = {"alcohol": 12.34, "pH": 7.77, "fixed_acidity": 3.21, "density": 0.53}


class _Found(Exception):
    pass


def minimal(strategy: st.SearchStrategy[Any], condition: Callable[[Any], bool]) -> Any:
    """The example Hypothesis reports for a test failing on ``condition``."""
    found: list[Any] = []

    @settings(
        database=None,
        max_examples=1000,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
        phases=[Phase.generate, Phase.shrink],
    )
    @given(strategy)
    def run(value: Any) -> None:
        if condition(value):
            found.append(value)
            raise _Found

    try:
        run()
    except _Found:
        return found[-1]
    raise SystemExit("no failing example found")


def main() -> None:
    short = total = 0
    print("| bug | frames | shrunk value | significant digits |")
    print("|---|---|---:|---:|")
    for column, threshold in BUGS.items():
        for with_quality in (False, True):
            for kwargs in ({"rows": 10}, {"min_rows": 1}, {"rows": 40}):

                def bug(
                    d: pd.DataFrame, c: str = column, t: float = threshold, q: bool = with_quality
                ) -> bool:
                    hit = d[c] > t
                    return bool((hit & (d["quality"] >= 5) if q else hit).any())

                df = minimal(frames(WineQuality, **kwargs), bug)
                value = float(df[column][df[column] > threshold].iloc[0])
                digits = len(repr(value).split("e")[0].replace("-", "").replace(".", "").strip("0"))
                short += digits <= 3
                total += 1
                name = f"{column} > {threshold}" + (" and quality >= 5" if with_quality else "")
                args = ", ".join(f"{k}={v}" for k, v in kwargs.items())
                print(f"| {name} | {args} | {value!r} | {digits} |")
    print(f"\nat most 3 significant digits: {short} of {total}")


if __name__ == "__main__":
    main()
