"""Generation benchmarks for hypo_contracts (issues 2 and 3), all in one process.

1. 100 examples (generate phase only) of ``frames(WineQuality, rows=N)`` against pandera's
   ``WineQuality.to_pandera().strategy(size=N)`` and a hand-written
   ``hypothesis.extra.pandas.data_frames`` on the same columns (``benchmarks/_peers.py``).
   Each peer run is capped in time (SIGALRM); a peer that fails (Unsatisfiable, timeout, ...)
   is recorded with its time to failure and skipped at larger sizes.
2. The issue-3 targets, checked on those figures.
3. ``WineQuality.example(1_000_000, seed=0)`` against raw numpy filling the same shape.
4. ``Sample.example(1_000_000, seed=0)`` (a unique integer, a bounded integer, a bounded
   float, a category and a regex string) against ``dataframely``'s ``Schema.sample`` on the
   same schema, as a ratio (skipped when dataframely is not installed; issue 11, target 5x).

Run ``.venv/bin/python benchmarks/bench_generate.py`` (3 to 4 minutes on 2 cores) or add
``--quick`` for a smoke run of a few seconds (figures then are indicative only);
``--clock cpu`` reads CPU time instead of wall time; ``--dataframely-only`` runs part 4 alone.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hypothesis
import numpy as np
import pandas as pd
import pandera
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _peers import Sample, dataframely_sample, handwritten_frames, pandera_frames

from hypo_contracts import frames
from hypo_contracts.examples import WineQuality

NCOLS = len(WineQuality.columns)
#: The clock every figure is read from: ``time.perf_counter`` (wall) or ``time.process_time``
#: (CPU time of this process; steadier when other processes compete for the cores).
_CLOCK: Callable[[], float] = time.perf_counter


class _Timeout(BaseException):
    """Raised by SIGALRM when a capped measurement runs out of time."""


@contextlib.contextmanager
def _time_cap(seconds: float) -> Iterator[list[bool]]:
    """Raise :class:`_Timeout` after ``seconds`` of wall time. Yields a one-item list that
    turns ``[True]`` once the cap fired: Hypothesis may wrap the exception in its own
    (``FlakyStrategyDefinition``, ...), so callers check this rather than the type."""
    fired = [False]
    if not hasattr(signal, "setitimer"):  # no SIGALRM (Windows): run uncapped
        yield fired
        return

    def _fire(signum: int, frame: Any) -> None:
        fired[0] = True
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, _fire)
    # Fire again every half second: an exception raised inside a gc callback (Hypothesis
    # installs one) is printed and swallowed, so one alarm is not always enough.
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)
    hook = sys.unraisablehook

    def _quiet(unraisable: Any) -> None:
        if not isinstance(unraisable.exc_value, _Timeout):
            hook(unraisable)

    sys.unraisablehook = _quiet
    try:
        yield fired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        sys.unraisablehook = hook


@dataclass
class Run:
    """One measurement: ``examples`` frames in ``seconds``, or a failure."""

    examples: int
    seconds: float  # by _CLOCK
    wall: float  # wall seconds, for time to failure (the cap is in wall time too)
    failure: str | None = None

    @property
    def ms(self) -> float:
        """Milliseconds per generated example (nan when none was generated)."""
        return self.seconds / self.examples * 1000 if self.examples else math.nan

    def cell(self) -> str:
        if self.failure is None:
            return f"{self.ms:10.2f}"
        return f"{self.failure} after {self.wall:.1f} s"


def measure(
    strategy: st.SearchStrategy[Any],
    rows: int,
    examples: int,
    cap: float,
    clock: Callable[[], float] | None = None,
) -> Run:
    """Run ``examples`` examples of ``strategy`` (generate phase only) under a time cap,
    timed by ``clock`` (default: the ``--clock`` of this script)."""
    count = 0
    clock = clock or _CLOCK

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
        nonlocal count
        assert df.shape == (rows, NCOLS), df.shape
        count += 1

    start, wall = clock(), time.perf_counter()
    failure = None
    fired = [False]
    try:
        with _time_cap(cap) as fired, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pandera: "falling back to filtering"
            body()
    except _Timeout:
        pass
    except Exception as exc:  # Unsatisfiable, FailedHealthCheck, a peer's own bug...
        failure = type(exc).__name__
    if fired[0]:
        failure = f"timeout ({count} ok)"
    seconds, wall = clock() - start, time.perf_counter() - wall
    if failure is None and count < examples:
        failure = f"only {count} examples"
    return Run(count, seconds, wall, failure)


def best_of(
    make: Callable[[int], st.SearchStrategy[Any]], rows: int, examples: int, cap: float, reps: int
) -> Run:
    """Median per-example time over ``reps`` runs; the first failure ends the series."""
    runs = []
    for _ in range(reps):
        run = measure(make(rows), rows, examples, cap)
        if run.failure is not None:
            return run
        runs.append(run)
    return sorted(runs, key=lambda r: r.ms)[len(runs) // 2]


def bench_frames(
    sizes: list[int], solo: list[int], examples: int, cap: float, reps: int
) -> dict[tuple[str, int], Run]:
    peers: dict[str, Callable[[int], st.SearchStrategy[Any]]] = {
        "pandera": pandera_frames,
        "hand-written": handwritten_frames,
    }
    ours_make = lambda n: frames(WineQuality, rows=n)  # noqa: E731
    # Warm-up: imports, caches and strategy construction, all strategies, a few examples.
    for make in (ours_make, *peers.values()):
        measure(make(10), 10, 3, cap)

    results: dict[tuple[str, int], Run] = {}
    failed_at: dict[str, int] = {}
    print(f"\n## {examples} examples of WineQuality frames ({NCOLS} columns), generate phase only")
    print(
        f"(ms per example, median of {reps} runs; each peer run is capped at {cap:g} s of wall "
        "time; a failure shows its wall time to failure)\n"
    )
    header = (
        f"{'rows':>8} | {'ours ms':>10} | {'pandera ms':>24} | {'hand-written ms':>24} | "
        f"{'pandera/ours':>12} | {'hand/ours':>10}"
    )
    print(header)
    print("-" * len(header))
    for n in sizes + solo:
        ours = best_of(ours_make, n, examples, cap=max(cap, 600.0), reps=reps)
        results[("ours", n)] = ours
        shown, ratios = [], []
        for name, make in peers.items():
            if n in solo:
                shown.append("not run")
                ratios.append("")
            elif name in failed_at:
                shown.append(f"skipped (failed at {failed_at[name]})")
                ratios.append("skipped")
            else:
                run = best_of(make, n, examples, cap, reps)
                results[(name, n)] = run
                if run.failure is not None:
                    failed_at[name] = n
                shown.append(run.cell())
                ratios.append("fails" if run.failure else f"{run.ms / ours.ms:.1f}x")
        print(
            f"{n:>8} | {ours.cell():>10} | {shown[0]:>24} | {shown[1]:>24} | "
            f"{ratios[0]:>12} | {ratios[1]:>10}",
            flush=True,
        )
    return results


def check_targets(results: dict[tuple[str, int], Run], quick: bool) -> None:
    print("\n## Issue 3 targets" + (" (quick run: indicative only)" if quick else ""))

    def verdict(ok: bool) -> str:
        return "MET" if ok else "NOT MET"

    ours10, ours1000 = results.get(("ours", 10)), results.get(("ours", 1000))
    if ours10 and ours1000:
        r = ours1000.ms / ours10.ms
        print(
            f"- 1,000 rows cost {r:.2f}x 10 rows ({ours1000.ms:.2f} vs {ours10.ms:.2f} ms per "
            f"example; target <= 3x): {verdict(r <= 3)}"
        )
    for peer, n in (("pandera", 10), ("hand-written", 50)):
        ours, other = results.get(("ours", n)), results.get((peer, n))
        if ours is None or other is None:
            print(f"- vs {peer} at {n} rows: not measured")
        elif other.failure is not None:
            print(f"- vs {peer} at {n} rows: the peer failed ({other.cell()}): MET")
        else:
            r = other.ms / ours.ms
            print(
                f"- {r:.1f}x faster than {peer} at {n} rows ({ours.ms:.2f} vs {other.ms:.2f} ms "
                f"per example; target >= 10x): {verdict(r >= 10)}"
            )


def _median_seconds(fn: Callable[[], object], reps: int) -> float:
    times = []
    for _ in range(reps):
        start = _CLOCK()
        fn()
        times.append(_CLOCK() - start)
    return statistics.median(times)


def bench_example(n: int, reps: int, quick: bool) -> None:
    float_names = [name for name in WineQuality.columns if name != "quality"]

    def ours() -> object:
        return WineQuality.example(n, seed=0)

    def numpy_frame() -> object:
        rng = np.random.default_rng(0)
        data: dict[str, np.ndarray] = {name: rng.random(n) for name in float_names}
        data["quality"] = rng.integers(0, 11, size=n)
        return pd.DataFrame(data)

    def numpy_bare() -> object:
        return np.random.default_rng(0).random((n, NCOLS))

    ours()  # warm-up
    t_ours = _median_seconds(ours, reps)
    t_frame = _median_seconds(numpy_frame, reps)
    t_bare = _median_seconds(numpy_bare, reps)
    print(f"\n## WineQuality.example({n:_}, seed=0) vs raw numpy (median of {reps})\n")
    print(f"{'what':<60} | {'ms':>9} | {'ours / this':>11}")
    print("-" * 87)
    print(f"{'WineQuality.example(n, seed=0)':<60} | {t_ours * 1000:9.1f} | {'':>11}")
    print(
        f"{'numpy: 11 x rng.random(n) + rng.integers(n) -> DataFrame':<60} | "
        f"{t_frame * 1000:9.1f} | {t_ours / t_frame:10.2f}x"
    )
    print(
        f"{'numpy: bare rng.random((n, 12)), no DataFrame':<60} | "
        f"{t_bare * 1000:9.1f} | {t_ours / t_bare:10.2f}x"
    )
    r = t_ours / t_frame
    print(
        f"\n- example() within 3x of raw numpy filling the same frame: {r:.2f}x: "
        f"{'MET' if r <= 3 else 'NOT MET'}" + (" (quick run: indicative only)" if quick else "")
    )


def bench_dataframely(n: int, reps: int, quick: bool) -> None:
    """Part 4: ``Sample.example(n)`` against ``dataframely.Schema.sample`` on the same
    schema, both pandas-free of conversions (ours a pandas frame, theirs a polars one)."""
    peer = dataframely_sample()
    if peer is None:
        print("\n## Sample.example vs dataframely: dataframely is not installed, skipped")
        return
    dy, DySample = peer

    def ours() -> object:
        return Sample.example(n, seed=0)

    def theirs() -> object:
        return DySample.sample(num_rows=n, generator=dy.random.Generator(seed=0))

    Sample.validate(ours())  # warm-up, and a check that the frame is right
    theirs()
    t_ours, t_theirs = _median_seconds(ours, reps), _median_seconds(theirs, reps)
    print(
        f"\n## Sample.example({n:_}, seed=0) vs dataframely {dy.__version__} (median of {reps})\n"
    )
    print(f"{'what':<48} | {'ms':>9}")
    print("-" * 60)
    print(f"{'Sample.example(n, seed=0) (pandas)':<48} | {t_ours * 1000:9.1f}")
    print(f"{'DySample.sample(num_rows=n) (polars)':<48} | {t_theirs * 1000:9.1f}")
    r = t_theirs / t_ours
    print(
        f"\n- example() at least 5x faster than dataframely's sample: {r:.2f}x: "
        f"{'MET' if r >= 5 else 'NOT MET'}" + (" (quick run: indicative only)" if quick else "")
    )


def _revision() -> str:
    """The git commit measured (``-dirty`` with uncommitted changes), if git is at hand."""
    try:
        out = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() or "unknown"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run of a few seconds")
    parser.add_argument("--cap", type=float, default=None, help="seconds per peer run")
    parser.add_argument(
        "--clock",
        choices=["wall", "cpu"],
        default="wall",
        help="wall time (default) or this process's CPU time (steadier on a busy machine)",
    )
    parser.add_argument(
        "--dataframely-only", action="store_true", help="run part 4 (dataframely) alone"
    )
    args = parser.parse_args(argv)
    global _CLOCK
    _CLOCK = time.perf_counter if args.clock == "wall" else time.process_time
    if args.quick:
        sizes, solo, examples, cap, reps = [10, 50], [1000], 10, 5.0, 1
        example_rows, example_reps = 100_000, 3
    else:
        sizes, solo, examples, cap, reps = [10, 50, 100, 1000], [10_000, 100_000], 100, 60.0, 3
        example_rows, example_reps = 1_000_000, 7
    cap = args.cap if args.cap is not None else cap

    print(f"# bench_generate.py {' '.join(sys.argv[1:] if argv is None else argv)}".rstrip())
    print(f"clock: {args.clock} time")
    print(
        f"python {platform.python_version()} | {os.cpu_count()} cores | "
        f"{platform.platform()} | hypothesis {hypothesis.__version__} | "
        f"pandera {pandera.__version__} | pandas {pd.__version__} | numpy {np.__version__}"
    )
    print(f"code: {_revision()}")
    if hasattr(os, "getloadavg"):  # other processes on the machine skew every figure
        print("load average at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    if not args.dataframely_only:
        results = bench_frames(sizes, solo, examples, cap, reps)
        check_targets(results, args.quick)
        bench_example(example_rows, example_reps, args.quick)
    bench_dataframely(example_rows, example_reps, args.quick)


if __name__ == "__main__":
    main()
