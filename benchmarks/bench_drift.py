"""The cost of ``check_drift`` and ``check_feature_use`` on the example project's wine
pipeline (issue 16, item 4).

The pipeline is the example project's (``examples/wine_quality/wine_pipeline.py``: median
imputation + scaling for 11 measurements, one-hot for the colour, a 50-tree random forest) and
the demo's (``hypo_contracts.demo.wine_pipeline``, the same with 10 trees), on the 13-column
``Wine`` contract of ``hypo_contracts.demo`` (the example project's ``WineSample``). It times
``check_drift`` with its defaults (every variant, 2 fitted examples of 50 rows, 20 rows
predicted) and ``check_feature_use`` on the first 3, 6 and 12 features (200 training and 200
fresh rows each), and prints seconds per feature.

Run ``.venv/bin/python benchmarks/bench_drift.py`` (about a minute).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "examples" / "wine_quality"))

from hypo_contracts.demo import FEATURES, Wine, wine_pipeline  # noqa: E402
from hypo_contracts.sklearn import check_drift, check_feature_use  # noqa: E402


def _example_pipeline() -> Any:
    from wine_pipeline import make_pipeline  # type: ignore[import-not-found]

    return make_pipeline()


PIPELINES: dict[str, Callable[[], Any]] = {
    "example project (50 trees)": _example_pipeline,
    "demo (10 trees)": wine_pipeline,
}


def _best(run: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main(repeat: int = 3) -> None:
    print(f"best of {repeat}; {len(FEATURES)} features in the contract")
    print("| pipeline | check_drift s | feature_use 3 s (s/feature) | 6 | 12 |")
    print("|---|---:|---:|---:|---:|")
    for name, make in PIPELINES.items():
        drift = _best(lambda make=make: check_drift(make, Wine, target="quality"), repeat)
        cells = []
        for k in (3, 6, 12):
            chosen = FEATURES[:k]
            seconds = _best(
                lambda make=make, chosen=chosen: check_feature_use(
                    make, Wine, target="quality", features=chosen
                ),
                repeat,
            )
            cells.append(f"{seconds:.2f} ({seconds / k:.3f})")
        print(f"| {name} | {drift:.2f} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
