"""Issue-12 figure: the cost of cross-column rules.

1. 100 examples (generate phase only) of ``frames(C, rows=1_000)`` for a contract with one
   rule of each kind (order, present_when, computed, unique_together, increasing) against the
   same columns without rules; target <= 1.5x.
2. ``C.example(1_000)`` x 100, with and without rules.
3. pandera's own strategy for ``C.to_pandera()`` (the rules as frame-level checks), with
   a time cap: expected to fail, and the failure is printed.

Run ``.venv/bin/python benchmarks/bench_rules.py`` (about a minute on 2 cores).
"""

from __future__ import annotations

import signal
import time
import warnings
from typing import Any

import pandas as pd
from hypothesis import HealthCheck, Phase, given, settings

from hypo_contracts import Date, Float64, Int64, String, Timestamp, data_contract, frames

T0 = pd.Timestamp("2024-01-01", tz="UTC")
T1 = pd.Timestamp("2024-12-31", tz="UTC")


def columns(rules: bool, tz: str | None = "UTC") -> dict[str, Any]:
    t0, t1 = (T0, T1) if tz else (T0.tz_localize(None), T1.tz_localize(None))
    shipped = Timestamp(time_zone=tz)
    total = Float64()
    step = Int64().lower_bound(0)
    if rules:
        shipped = shipped.at_least("placed_at").present_when(status=["shipped", "returned"])
        total = total.computed(lambda df: df["price"] * df["quantity"], uses=["price", "quantity"])
        step = step.increasing(within="sensor")
    return {
        "day": Date().bounded_between("2024-01-01", "2024-12-31"),
        "sensor": String().accepted_values(["a", "b", "c", "d"]),
        "status": String().accepted_values(["placed", "shipped", "returned"]),
        "placed_at": Timestamp(time_zone=tz).bounded_between(t0, t1),
        "shipped_at": shipped,
        "price": Float64().bounded_between(0.01, 1_000),
        "quantity": Int64().bounded_between(1, 99),
        "total": total,
        "step": step,
    }


WithRules = data_contract(unique_together=[("day", "sensor")])(type("WithRules", (), columns(True)))
WithoutRules = data_contract(type("WithoutRules", (), columns(False)))
#: the same with naive timestamps (pandera cannot generate aware ones at all)
NaiveRules = data_contract(unique_together=[("day", "sensor")])(
    type("NaiveRules", (), columns(True, tz=None))
)
GEN = settings(
    max_examples=100,
    phases=[Phase.generate],
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def time_frames(contract: Any, rows: int) -> float:
    @GEN
    @given(frames(contract, rows=rows))
    def run(df: pd.DataFrame) -> None:
        assert len(df) == rows

    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def time_example(contract: Any, rows: int) -> float:
    start = time.perf_counter()
    for seed in range(100):
        contract.example(rows, seed=seed)
    return time.perf_counter() - start


def pandera_peer(contract: Any, rows: int, cap: float = 60.0) -> str:
    schema = contract.to_pandera()

    def alarm(*_: Any) -> None:
        raise TimeoutError(f"no frame in {cap:.0f} s")

    signal.signal(signal.SIGALRM, alarm)
    signal.alarm(int(cap))
    start = time.perf_counter()
    warnings.simplefilter("ignore", UserWarning)  # "falling back to filtering", per draw
    try:

        @GEN
        @given(schema.strategy(size=rows))
        def run(df: pd.DataFrame) -> None:
            pass

        run()
        return f"ok in {time.perf_counter() - start:.1f} s"
    except BaseException as exc:
        if time.perf_counter() - start >= cap - 1:
            return (
                f"no frame in {cap:.0f} s (pandera filters whole frames on the frame-level "
                f"checks; reported as {type(exc).__name__})"
            )
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return (
            f"fails after {time.perf_counter() - start:.1f} s: {type(exc).__name__}: {first[:160]}"
        )
    finally:
        signal.alarm(0)


def best(runs: int, fn: Any, *args: Any) -> float:
    """The fastest of ``runs`` timings (the machine is shared: the minimum is the cost)."""
    return min(fn(*args) for _ in range(runs))


def main() -> None:
    rows = 1_000
    time_frames(WithRules, 10)  # warm up
    time_frames(WithoutRules, 10)
    with_f, without_f = (
        best(3, time_frames, WithRules, rows),
        best(3, time_frames, WithoutRules, rows),
    )
    with_e = best(3, time_example, WithRules, rows)
    without_e = best(3, time_example, WithoutRules, rows)
    print(
        f"frames(rows={rows}) x100: rules {with_f:.2f} s, no rules {without_f:.2f} s, "
        f"ratio {with_f / without_f:.2f}x (target <= 1.5x)"
    )
    print(
        f"example({rows}) x100:     rules {with_e:.2f} s, no rules {without_e:.2f} s, "
        f"ratio {with_e / without_e:.2f}x"
    )
    for contract in (WithRules, NaiveRules):
        print(
            f"pandera {contract.__name__}.to_pandera().strategy(size={rows}), rules as "
            f"frame-level checks: {pandera_peer(contract, rows)}"
        )


if __name__ == "__main__":
    main()
