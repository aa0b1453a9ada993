"""Related tables (issue 13): generation and shrinking figures.

Command: ``.venv/bin/python benchmarks/bench_tables.py [--clock cpu]`` (about a minute).

1. 100 examples (generate phase only) of ``tables(Customers, Orders)`` with 100 customers
   and 1,000 orders, against two independent ``frames()`` of the same sizes drawn in the
   same test; median of 3 runs, ms per example; target: tables <= 2x frames.
2. ``example_tables`` with 100,000 customers and 1,000,000 orders (median of 3).
3. ``shrink`` of a planted orphan in 50,000 orders (5,000 customers): calls and time.
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np
from hypothesis import HealthCheck, Phase, given, settings

from hypo_contracts import example_tables, frames, shrink, tables
from hypo_contracts.examples import Customers, Orders

clock = time.process_time if "--clock" in sys.argv and "cpu" in sys.argv else time.perf_counter

SETTINGS = settings(
    max_examples=100,
    phases=[Phase.generate],
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


def run_tables() -> None:
    @SETTINGS
    @given(tables(Customers, Orders, rows={Customers: 100, Orders: 1_000}))
    def test(t: object) -> None:
        pass

    test()


def run_frames() -> None:
    @SETTINGS
    @given(frames(Customers, rows=100), frames(Orders, rows=1_000))
    def test(a: object, b: object) -> None:
        pass

    test()


def median_ms(fn: object, runs: int = 3) -> float:
    fn()  # type: ignore[operator]  # warm-up
    times = []
    for _ in range(runs):
        t0 = clock()
        fn()  # type: ignore[operator]
        times.append(clock() - t0)
    return statistics.median(times) * 1000 / 100


def main() -> None:
    ours, two = median_ms(run_tables), median_ms(run_frames)
    print(
        f"generation: tables {ours:.2f} ms/example, two frames {two:.2f} ms/example, "
        f"ratio {ours / two:.2f}x (target <= 2x)"
    )
    times = []
    for _ in range(3):
        t0 = clock()
        example_tables(Orders, rows={Customers: 100_000, Orders: 1_000_000}, seed=0)
        times.append(clock() - t0)
    print(f"example_tables 100,000 customers + 1,000,000 orders: {statistics.median(times):.2f} s")

    t = example_tables(Orders, rows={Customers: 5_000, Orders: 50_000}, seed=0)
    orders = t[Orders].copy()
    orders.loc[31_337, "customer_id"] = 10**12 + 7

    def pipeline(t: object) -> None:
        m = t["Orders"].merge(t["Customers"], on="customer_id", how="left", indicator=True)  # type: ignore[index]
        if (m["_merge"] == "left_only").any():
            raise KeyError("an order without a customer")

    t0 = time.perf_counter()
    result = shrink({Customers: t[Customers], Orders: orders}, pipeline)
    elapsed = time.perf_counter() - t0
    print(
        f"shrink planted orphan in 50,000 orders: {result.calls} calls, {elapsed:.2f} s -> "
        f"{len(result.tables[Customers])} customers, "
        f"{result.tables[Orders].to_dict('records')}"
    )
    assert np.isfinite(elapsed)


if __name__ == "__main__":
    main()
