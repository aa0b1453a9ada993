"""10-row frames against pandera's strategy, and 1,000 against 10 rows (issue 11), in one process.

Part 1 of ``bench_generate.py`` for the 10-row pair and our 1,000-row frames only, with the
same settings (100 examples, generate phase only, no database, no deadline, every health
check suppressed), CPU time of this process (``time.process_time``), median of ``--repeat``
runs (default 3) after one short warm-up run of each strategy. Targets: pandera / ours at
least 15x at 10 rows; ours at 1,000 rows at most 2x ours at 10 rows.

Run ``PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_small_frames.py`` (about 30 s).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import warnings
from collections.abc import Callable
from typing import Any

import pandas as pd
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import strategies as st

from hypo_contracts import frames
from hypo_contracts.examples import WineQuality


def ms_per_example(strategy: st.SearchStrategy[Any], examples: int = 100) -> float:
    """CPU milliseconds per example of ``examples`` examples of ``strategy``."""

    @settings(
        max_examples=examples,
        phases=[Phase.generate],
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
        print_blob=False,
    )
    @given(strategy)
    def body(df: pd.DataFrame) -> None:
        pass

    start = time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandera: "falling back to filtering"
        body()
    return (time.process_time() - start) / examples * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    args = parser.parse_args()
    makers: dict[str, Callable[[], st.SearchStrategy[Any]]] = {
        "ours, 10 rows": lambda: frames(WineQuality, rows=10),
        "ours, 1,000 rows": lambda: frames(WineQuality, rows=1_000),
        "pandera, 10 rows": lambda: WineQuality.to_pandera().strategy(size=10),
    }
    for make in makers.values():  # warm-up: imports, caches, strategy construction
        ms_per_example(make(), 3)
    figures = {
        name: statistics.median(ms_per_example(make()) for _ in range(args.repeat))
        for name, make in makers.items()
    }
    for name, ms in figures.items():
        print(f"{name:18s} {ms:7.2f} ms per example")
    ours, big, peer = figures.values()
    print(f"pandera / ours at 10 rows: {peer / ours:.1f}x (target >= 15x)")
    print(f"ours 1,000 / 10 rows: {big / ours:.2f}x (target <= 2x)")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
