"""Bring your pandera schema: frames of N rows from ``frames(from_pandera(schema), rows=N)``
next to pandera's own ``schema.strategy(size=N)``, every frame checked by ``schema.validate``.

Command: ``.venv/bin/python benchmarks/bench_from_pandera.py [N ...]`` (default 100 1000
10000; about 10 minutes, nearly all of it pandera's strategy failing at 1,000 and 10,000
rows). Figures are in docs/interop.md.
"""

from __future__ import annotations

import sys
import time
from typing import Any

import pandera.pandas as pa
from hypothesis import HealthCheck, given, settings

import hypo_contracts as hc

SCHEMA = pa.DataFrameSchema(
    {
        "pH": pa.Column(float, pa.Check.in_range(0, 14)),
        "quality": pa.Column(int, pa.Check.in_range(0, 10)),
        "colour": pa.Column(str, pa.Check.isin(["red", "white"])),
        "alcohol": pa.Column(float, [pa.Check.ge(8), pa.Check.le(15)], nullable=True),
    },
    name="Wine",
)
FRAMES = 3


def seconds_per_frame(strategy: Any) -> str:
    @settings(
        max_examples=FRAMES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def check(df: Any) -> None:
        SCHEMA.validate(df)

    start = time.perf_counter()
    try:
        check()
    except Exception as exc:
        return f"fails after {time.perf_counter() - start:.0f} s: {type(exc).__name__}"
    return f"{(time.perf_counter() - start) / FRAMES:.2f} s per frame"


def main(sizes: list[int]) -> None:
    wine = hc.from_pandera(SCHEMA)
    for n in sizes:
        print(f"{n:>7,} rows  ours: {seconds_per_frame(hc.frames(wine, rows=n))}", flush=True)
        print(f"{'':>7}       pandera: {seconds_per_frame(SCHEMA.strategy(size=n))}", flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 1_000, 10_000])
