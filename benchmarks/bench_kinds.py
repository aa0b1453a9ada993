"""``example(100_000)`` per column kind, each as a one-column contract, plain and with
``is_unique()`` (uniqueness repair included).

Run ``.venv/bin/python benchmarks/bench_kinds.py`` (about half a minute on 2 cores);
``--rows`` changes the row count, ``--repeat`` the number of timed runs (the median is shown,
after one warm-up run). ``--clock cpu`` reads CPU time instead of wall time.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

from hypo_contracts import (
    Bool,
    Category,
    Date,
    Decimal,
    Float64,
    Int64,
    String,
    Timedelta,
    Timestamp,
    data_contract,
)

#: (kind, a column of it, whether is_unique() can hold 100,000 rows)
KINDS: list[tuple[str, Any, bool]] = [
    ("bool", Bool(), False),
    ("int", Int64(), True),
    ("float", Float64(), True),
    ("string", String().max_length(12), True),
    ("string (regex)", String().regex(r"[A-Z]{3}-\d{6}"), True),
    ("category", Category(["a", "b", "c"]), False),
    ("timestamp", Timestamp(), True),
    ("date", Date(), True),
    ("timedelta", Timedelta(), True),
    ("decimal", Decimal(12, 2), True),
]


def contract_of(column: Any) -> type:
    @data_contract
    class One:
        x = column

    return One


def measure(fn: Callable[[], object], repeat: int, clock: Callable[[], float]) -> float:
    fn()  # warm-up: caches, regex pools
    times = []
    for _ in range(repeat):
        start = clock()
        fn()
        times.append(clock() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--clock", choices=["wall", "cpu"], default="wall")
    args = parser.parse_args()
    clock = time.perf_counter if args.clock == "wall" else time.process_time
    print(f"example({args.rows:,}, seed=0), median of {args.repeat} ({args.clock} time)")
    print("| kind | plain (ms) | is_unique() (ms) |\n|---|---:|---:|")
    for name, column, can_be_unique in KINDS:
        plain = contract_of(column)
        t_plain = measure(lambda c=plain: c.example(args.rows, seed=0), args.repeat, clock)
        unique_text = "n/a (too few values)"
        if can_be_unique:
            unique = contract_of(column.is_unique())
            t_unique = measure(lambda c=unique: c.example(args.rows, seed=0), args.repeat, clock)
            unique_text = f"{t_unique * 1e3:.1f}"
        print(f"| {name} | {t_plain * 1e3:.1f} | {unique_text} |")


if __name__ == "__main__":
    main()
