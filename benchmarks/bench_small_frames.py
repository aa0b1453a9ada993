"""10-row frames against pandera's strategy, and 1,000 against 10 rows (issue 11), in one process.

Part 1 of ``bench_generate.py`` for the 10-row pair and our 1,000-row frames only, with the
same settings (100 examples, generate phase only, no database, no deadline, every health
check suppressed), CPU time of this process (``time.process_time``), ``--repeat`` rounds
(default 7) that each time every strategy once, after one short warm-up run of each; the
figures are medians over the rounds, the ratios per round then their median and range.
Targets: pandera / ours at least 15x at 10 rows; ours at 1,000 rows at most 2x ours at 10
rows.

Run ``PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_small_frames.py`` (about a minute).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from bench_generate import measure
from hypothesis import strategies as st

from hypo_contracts import frames
from hypo_contracts.examples import WineQuality


def ms_per_example(strategy: st.SearchStrategy[Any], rows: int, examples: int = 100) -> float:
    """CPU milliseconds per example of ``examples`` examples of ``strategy`` (part 1's
    :func:`bench_generate.measure`, capped at 10 minutes; a failure stops the script)."""
    run = measure(strategy, rows, examples, cap=600.0, clock=time.process_time)
    if run.failure is not None:
        raise SystemExit(f"{rows}-row frames: {run.failure}")
    return run.ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="rounds (medians of them)")
    args = parser.parse_args()
    makers: dict[str, tuple[int, Callable[[], st.SearchStrategy[Any]]]] = {
        "ours, 10 rows": (10, lambda: frames(WineQuality, rows=10)),
        "ours, 1,000 rows": (1_000, lambda: frames(WineQuality, rows=1_000)),
        "pandera, 10 rows": (10, lambda: WineQuality.to_pandera().strategy(size=10)),
    }
    for rows, make in makers.values():  # warm-up: imports, caches, strategy construction
        ms_per_example(make(), rows, 3)
    # round robin: each round times every strategy once, so that a slow spell of the
    # machine hits all three alike; the ratios are per round, then their median
    rounds = [
        {name: ms_per_example(make(), rows) for name, (rows, make) in makers.items()}
        for _ in range(args.repeat)
    ]
    for name in makers:
        ms = statistics.median(r[name] for r in rounds)
        print(f"{name:18s} {ms:7.2f} ms per example (median of {args.repeat} rounds)")
    names = list(makers)
    ratios = sorted(r[names[2]] / r[names[0]] for r in rounds)
    scale = sorted(r[names[1]] / r[names[0]] for r in rounds)
    print(
        f"pandera / ours at 10 rows: {statistics.median(ratios):.1f}x, rounds "
        f"{ratios[0]:.1f}x to {ratios[-1]:.1f}x (target >= 15x)"
    )
    print(
        f"ours 1,000 / 10 rows: {statistics.median(scale):.2f}x, rounds {scale[0]:.2f}x to "
        f"{scale[-1]:.2f}x (target <= 2x)"
    )
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
