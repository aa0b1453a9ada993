"""Choice budget of one frame (issue 11), in one process.

Hypothesis draws every test case from a choice sequence of at most 8 KiB (its
``BUFFER_SIZE``). This measures what one ``frames(WineQuality, rows=N)`` spends of it (the
serialized size of its choices, as Hypothesis counts them) and how many such frames fit in
one test case, drawn together with ``st.data()``.

The size is read from Hypothesis's ``ConjectureData.length``: internal API, used here only,
in :func:`choice_bytes`, to measure (the library itself uses only public API).

Run ``.venv/bin/python benchmarks/bench_budget.py`` (about a minute).
"""

from __future__ import annotations

import random
import statistics
import sys
from typing import Any

from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import strategies as st
from hypothesis.control import BuildContext
from hypothesis.errors import Unsatisfiable
from hypothesis.internal.conjecture.data import ConjectureData
from hypothesis.internal.conjecture.engine import BUFFER_SIZE

from hypo_contracts import frames
from hypo_contracts.examples import WineQuality


def choice_bytes(strategy: st.SearchStrategy[Any], seed: int) -> int:
    """The choice bytes one draw of ``strategy`` spends (internal Hypothesis API)."""
    data = ConjectureData(random=random.Random(seed))
    with BuildContext(data, wrapped_test=lambda: None):
        data.draw(strategy)
    return int(data.length)


def frames_that_fit(rows: int, most: int = 64) -> int:
    """How many ``frames(WineQuality, rows=rows)`` 20 test cases in a row can draw with
    ``st.data()`` without a health check or ``Unsatisfiable`` (doubling, then bisecting)."""

    def fits(k: int) -> bool:
        @settings(
            max_examples=20,
            phases=[Phase.generate],
            database=None,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
            verbosity=Verbosity.quiet,
            print_blob=False,
        )
        @given(st.data())
        def run(data: Any) -> None:
            for _ in range(k):
                data.draw(frames(WineQuality, rows=rows))

        try:
            run()
        except (Unsatisfiable, Exception):
            return False
        return True

    lo, hi = 0, 1
    while hi <= most and fits(hi):
        lo, hi = hi, hi * 2
    hi = min(hi, most + 1)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if fits(mid) else (lo, mid)
    return lo


def main() -> None:
    print(f"# bench_budget.py {' '.join(sys.argv[1:])}".rstrip())
    print(f"Hypothesis choice budget per test case: {BUFFER_SIZE} bytes\n")
    print(f"{'rows':>8} | {'mean bytes':>10} | {'max bytes':>9} | {'frames per test case':>20}")
    print("-" * 58)
    for rows in (10, 1_000, 100_000):
        sizes = [choice_bytes(frames(WineQuality, rows=rows), seed) for seed in range(50)]
        fit = frames_that_fit(rows, most=32 if rows >= 100_000 else 64)
        shown = f"{fit}" if fit < (32 if rows >= 100_000 else 64) else f">= {fit}"
        print(
            f"{rows:>8,} | {statistics.mean(sizes):10.0f} | {max(sizes):9d} | {shown:>20}",
            flush=True,
        )


if __name__ == "__main__":
    main()
