"""Engine benchmarks (issue 15), side by side in one run.

1. ``C.example(1_000_000, backend="polars")`` against ``dataframely``'s ``Schema.sample``
   on the same schema: a unique integer, a bounded integer, a bounded float, a category and
   a regex string (skipped when dataframely is not installed). Median of 3 after a warm-up.
2. WineQuality rows to Parquet: single-process ``example`` (rows/s, no writing), the same
   partitions written in this process (``scheduler="synchronous"``), and
   ``write_parquet_dataset`` on a ``LocalCluster`` of one single-threaded worker process per
   core on loopback (rows/s, peak resident memory per worker).
3. The same through the command line, ``hypo-contracts generate --engine dask`` in a new
   process (everything counted: interpreter start, imports, its own LocalCluster).

Run ``.venv/bin/python benchmarks/bench_engines.py`` (``--rows`` sets the Parquet rows,
default 10 million; ``--quick`` is a smoke run of a few seconds).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _peers import Sample, dataframely_sample

from hypo_contracts.engines.parquet import local_cluster, write_parquet_dataset
from hypo_contracts.examples import WineQuality


def _median(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    fn()  # warm-up
    times, out = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def bench_polars(n: int, repeats: int) -> None:
    print(f"\n1. {n:,} rows as a polars DataFrame, median of {repeats} (after a warm-up)")
    ours, df = _median(lambda: Sample.example(n, seed=0, backend="polars"), repeats)
    Sample.validate(df)
    print(f"   hypo_contracts example(backend='polars'): {ours:7.3f} s  ({n / ours:,.0f} rows/s)")
    pandas_only, _ = _median(lambda: Sample.example(n, seed=0), repeats)
    print(f"   hypo_contracts example() (pandas):        {pandas_only:7.3f} s")
    peer = dataframely_sample()
    if peer is None:
        print("   dataframely is not installed: skipped")
        return
    dy, DySample = peer

    theirs, _ = _median(
        lambda: DySample.sample(num_rows=n, generator=dy.random.Generator(seed=0)), repeats
    )
    print(
        f"   dataframely {dy.__version__} Schema.sample:          {theirs:7.3f} s  "
        f"({n / theirs:,.0f} rows/s; ours is {theirs / ours:.1f}x faster)"
    )


def bench_dask(rows: int, partition_rows: int) -> None:
    cores = os.cpu_count() or 1
    print(f"\n2. WineQuality (12 columns): {rows:,} rows in partitions of {partition_rows:,}")
    single, _ = _median(lambda: WineQuality.example(1_000_000, seed=0), 3)
    print(f"   example(1_000_000), one process, in memory: {1_000_000 / single:12,.0f} rows/s")
    folder = tempfile.mkdtemp(prefix="bench-engines-")
    try:
        sync = write_parquet_dataset(
            WineQuality,
            rows,
            f"{folder}/sync",
            seed=0,
            partition_rows=partition_rows,
            scheduler="synchronous",
            progress=False,
        )
        shutil.rmtree(sync.path)
        print(
            f"   to Parquet, this process (synchronous):     {sync.rows_per_second:12,.0f} rows/s"
            f"  ({sync.seconds:.1f} s, {sync.rows_per_cpu_second:,.0f} rows per CPU-second, "
            f"peak {sync.peak_worker_memory / 2**20:,.0f} MiB)"
        )
        start = time.perf_counter()
        with local_cluster(cores) as cluster:
            started = time.perf_counter() - start
            # warm-up, not counted: each worker imports hypo_contracts (pandas, pandera...)
            # when it unpickles its first partition
            warm = write_parquet_dataset(
                WineQuality,
                2 * cores,
                f"{folder}/warm",
                seed=0,
                partition_rows=1,
                scheduler=cluster,
                progress=False,
            )
            shutil.rmtree(warm.path)
            report = write_parquet_dataset(
                WineQuality,
                rows,
                f"{folder}/cluster",
                seed=0,
                partition_rows=partition_rows,
                scheduler=cluster,
                progress=False,
            )
        size = sum(p.stat().st_size for p in report.path.iterdir())
        print(
            f"   to Parquet, LocalCluster {cores} workers x 1 thread: "
            f"{report.rows_per_second:9,.0f} rows/s  ({report.seconds:.1f} s, cluster start "
            f"{started:.1f} s and a warm-up not counted; {report.files} files, "
            f"{size / 2**30:.2f} GiB, peak "
            f"{report.peak_worker_memory / 2**20:,.0f} MiB per worker)"
        )
        print(
            f"   per core on the cluster: {report.rows_per_second / cores:,.0f} rows/s of wall "
            f"time, {report.rows_per_cpu_second:,.0f} rows per worker CPU-second; load average "
            f"during the run {os.getloadavg()[0]:.1f} on {cores} cores"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def bench_cli(rows: int, partition_rows: int) -> None:
    """The command line end to end, in a fresh process: interpreter start, imports, the
    LocalCluster it starts, the partitions, the rename."""
    folder = tempfile.mkdtemp(prefix="bench-engines-cli-")
    out = f"{folder}/wine"
    command = [sys.executable, "-m", "hypo_contracts.cli", "generate"]
    command += ["hypo_contracts.examples:WineQuality", "-n", str(rows), "--seed", "0"]
    command += ["--engine", "dask", "--partition-rows", str(partition_rows)]
    command += ["--no-progress", "-o", out]
    try:
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        seconds = time.perf_counter() - start
        files = len(os.listdir(out))
        print(
            f"   hypo-contracts generate --engine dask (a new process, its own LocalCluster): "
            f"{rows / seconds:,.0f} rows/s  ({seconds:.1f} s all counted, {files} files)"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--partition-rows", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    print(
        f"Python {platform.python_version()}, {os.cpu_count()} cores, "
        f"hypo_contracts engines benchmark{' (quick: indicative only)' if args.quick else ''}"
    )
    if args.quick:
        bench_polars(50_000, 1)
        bench_dask(400_000, 100_000)
        bench_cli(400_000, 100_000)
    else:
        bench_polars(1_000_000, 3)
        bench_dask(args.rows, args.partition_rows)
        bench_cli(args.rows, args.partition_rows)


if __name__ == "__main__":
    main()
