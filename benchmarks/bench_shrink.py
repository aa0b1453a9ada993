"""Shrinking benchmark (issue 5): ``hypo_contracts.shrink`` against a plain row-ddmin.

Two planted bugs in real-sized data, both shrunk in the same process by
``hypo_contracts.shrink`` (rows, then columns, then values) and by the classic ddmin of Zeller
and Hildebrandt (2002) over rows only, with a cache of tested subsets and the same failure
identity (exception type + innermost file/line):

1. scikit-learn's breast-cancer data (569 rows x 30 features + target) resampled to 20,000 rows,
   with ``inf`` in one cell of one row (a division by zero upstream). ``StandardScaler`` +
   ``LogisticRegression`` raise "Input X contains infinity". Target: 1 row in at most
   2*log2(n) + 20 test calls.
2. 10,000 sensor readings (day, sensor, value) whose (day, sensor) pairs are unique except for
   two rows; ``DataFrame.pivot`` raises "Index contains duplicate entries". Target: 2 rows in
   at most 300 calls.

Run ``.venv/bin/python benchmarks/bench_shrink.py`` (about 10 seconds on 2 cores; wall times are
medians of ``--repeat`` runs, 3 by default; call counts are deterministic). The table is
printed as Markdown, ready for benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import math
import platform
import statistics
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import sklearn
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from hypo_contracts import shrink
from hypo_contracts.shrinking import _origin

SEED = 20240605
DDMIN_MAX_CALLS = 20_000


# ------------------------------------------------------------------------------------------
# the two pipelines and their data


def train(frame: pd.DataFrame) -> None:
    """The pipeline of case 1: scale, then fit a logistic regression."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning on tiny or odd subsets
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=200))
        model.fit(frame.drop(columns="target"), frame["target"])


def daily_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The pipeline of case 2: one row per day, one column per sensor."""
    return frame.pivot(index="day", columns="sensor", values="value")


def breast_cancer_20k(rng: np.random.Generator) -> tuple[pd.DataFrame, int]:
    data = load_breast_cancer(as_frame=True).frame
    df = data.iloc[rng.integers(0, len(data), 20_000)].reset_index(drop=True)
    row = int(rng.integers(0, len(df)))
    df.loc[row, "mean radius"] = np.inf
    return df, row


def readings_10k(rng: np.random.Generator) -> tuple[pd.DataFrame, tuple[int, int]]:
    n, sensors = 10_000, 8
    df = pd.DataFrame(
        {
            "day": pd.date_range("2023-01-01", periods=n // sensors, freq="D").repeat(sensors),
            "sensor": [f"s{i % sensors}" for i in range(n)],
            "value": np.round(rng.normal(20.0, 5.0, n), 2),
        }
    )
    a, b = sorted(int(x) for x in rng.choice(n, size=2, replace=False))
    df.loc[b, ["day", "sensor"]] = [df.loc[a, "day"], df.loc[a, "sensor"]]
    return df, (a, b)


# ------------------------------------------------------------------------------------------
# the baseline: classic ddmin over rows


def ddmin_rows(frame: pd.DataFrame, test: Callable[[pd.DataFrame], Any]) -> tuple[list[int], int]:
    """Zeller & Hildebrandt's ddmin over row positions (subsets, then complements, doubling
    the granularity), with a cache; returns the 1-minimal rows and the number of test calls."""
    try:
        test(frame.copy())
    except Exception as exc:
        origin = _origin(exc)
    else:
        raise AssertionError("the test must fail on the full frame")
    cache: dict[tuple[int, ...], bool] = {}
    calls = 1

    def fails(rows: Sequence[int]) -> bool:
        nonlocal calls
        key = tuple(rows)
        if key not in cache:
            if calls >= DDMIN_MAX_CALLS:
                raise TimeoutError
            calls += 1
            try:
                test(frame.iloc[list(rows)].copy())
            except Exception as exc:
                cache[key] = _origin(exc) == origin
            else:
                cache[key] = False
        return cache[key]

    items = list(range(len(frame)))
    granularity = 2
    try:
        while len(items) >= 2:
            size = len(items)
            bounds = [size * i // granularity for i in range(granularity + 1)]
            chunks = [items[bounds[i] : bounds[i + 1]] for i in range(granularity)]
            for chunk in chunks:
                if fails(chunk):
                    items, granularity = chunk, 2
                    break
            else:
                for i in range(granularity):
                    complement = [x for j, c in enumerate(chunks) if j != i for x in c]
                    if fails(complement):
                        items, granularity = complement, max(granularity - 1, 2)
                        break
                else:
                    if granularity >= len(items):
                        break
                    granularity = min(len(items), 2 * granularity)
    except TimeoutError:
        pass
    return items, calls


# ------------------------------------------------------------------------------------------


@dataclass
class Row:
    case: str
    method: str
    calls: int
    seconds: float
    in_test: float
    shape: tuple[int, int]
    found: str
    target: str


def _shape(shape: tuple[int, int]) -> str:
    rows, cols = shape
    return f"{rows} row{'' if rows == 1 else 's'} x {cols} col{'' if cols == 1 else 's'}"


class _Stopwatch:
    """Wraps the test to add up the time spent inside it."""

    def __init__(self, test: Callable[[pd.DataFrame], Any]) -> None:
        self.test, self.total = test, 0.0

    def __call__(self, df: pd.DataFrame) -> Any:
        t0 = time.perf_counter()
        try:
            return self.test(df)
        finally:
            self.total += time.perf_counter() - t0


def _which(same: bool, n: int) -> str:
    what = "the planted row" if n == 1 else f"the {n} planted rows"
    return what if same else f"NOT {what}"


def _timed(repeat: int, fn: Callable[[], Any], watch: _Stopwatch) -> tuple[Any, float, float]:
    """``fn()``'s result (identical on every run: both searches are deterministic), and the
    median wall time and median time inside the test over ``repeat`` runs."""
    times, inside, results = [], [], []
    for _ in range(repeat):
        watch.total = 0.0
        t0 = time.perf_counter()
        results.append(fn())
        times.append(time.perf_counter() - t0)
        inside.append(watch.total)
    return results[-1], statistics.median(times), statistics.median(inside)


def run_case(
    case: str,
    frame: pd.DataFrame,
    test: Callable[[pd.DataFrame], Any],
    planted: Sequence[int],
    bound: float,
    repeat: int,
) -> list[Row]:
    rows: list[Row] = []
    seen: list[tuple[list[Any], Any]] = []  # (index labels, failure origin or None) per call

    watch = _Stopwatch(test)

    def traced(df: pd.DataFrame) -> Any:
        try:
            out = watch(df)
        except Exception as exc:
            seen.append((df.index.tolist(), _origin(exc)))
            raise
        seen.append((df.index.tolist(), None))
        return out

    def ours_once() -> Any:
        seen.clear()
        return shrink(frame, traced, progress=False)

    result, ours, ours_in_test = _timed(repeat, ours_once, watch)
    # the first failing call with the final number of rows: where the row search ended
    original = seen[0][1]
    at, labels = next(
        (i + 1, idx)
        for i, (idx, origin) in enumerate(seen)
        if origin == original and len(idx) == len(result.frame)
    )
    same = sorted(labels) == sorted(planted)
    ok = result.complete and same and result.calls <= bound
    rows.append(
        Row(
            case,
            "hypo_contracts.shrink",
            result.calls,
            ours,
            ours_in_test,
            result.frame.shape,
            f"{_which(same, len(planted))}, after {at} calls",
            f"<= {math.floor(bound)}: {'met' if ok else 'MISSED'}",
        )
    )
    (kept, calls), base, base_in_test = _timed(repeat, lambda: ddmin_rows(frame, watch), watch)
    same = sorted(kept) == sorted(planted)
    rows.append(
        Row(
            case,
            "row ddmin (baseline)",
            calls,
            base,
            base_in_test,
            (len(kept), frame.shape[1]),
            f"{_which(same, len(planted))}, after {calls} calls",
            f"<= {math.floor(bound)}: {'met' if calls <= bound and same else 'missed'}",
        )
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    repeat = parser.parse_args().repeat
    rng = np.random.default_rng(SEED)
    cancer, poisoned = breast_cancer_20k(rng)
    pivot, pair = readings_10k(rng)
    table = run_case(
        "1 poisoned row in 20,000 (breast cancer, scaler + logistic regression)",
        cancer,
        train,
        [poisoned],
        2 * math.log2(len(cancer)) + 20,
        repeat,
    )
    table += run_case(
        "2 rows with a duplicate key in 10,000 (pivot)", pivot, daily_table, list(pair), 300, repeat
    )
    print(
        f"Python {platform.python_version()}, pandas {pd.__version__}, numpy {np.__version__}, "
        f"scikit-learn {sklearn.__version__}, {platform.machine()}; seed {SEED}; "
        f"wall time: median of {repeat} runs\n"
    )
    print(
        "| case | method | test calls | wall time | of which in the test | result | rows found "
        "| calls target |"
    )
    print("|---|---|---:|---:|---:|---|---|---|")
    for r in table:
        print(
            f"| {r.case} | {r.method} | {r.calls} | {r.seconds:.2f} s | {r.in_test:.2f} s | "
            f"{_shape(r.shape)} | {r.found} | {r.target} |"
        )


if __name__ == "__main__":
    main()
