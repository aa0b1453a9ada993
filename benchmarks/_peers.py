"""Peer strategies for the WineQuality columns, used by the benchmarks.

- :func:`pandera_frames`: pandera's own strategy for ``WineQuality.to_pandera()``.
- :func:`handwritten_frames`: what a careful user writes by hand with
  ``hypothesis.extra.pandas``: one ``column`` per contract column, floats without NaN or
  infinity (the contract's default), bounds where the contract has them.
- :class:`Sample` and :func:`dataframely_sample`: the five-column schema (a unique integer, a
  bounded integer, a bounded float, a category, a regex string) that ``example`` is timed on
  against ``dataframely.Schema.sample`` (bench_generate part 4, bench_engines part 1).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.pandas import column, data_frames, range_indexes

import hypo_contracts as hc
from hypo_contracts.examples import WineQuality

SAMPLE_REGEX = r"[A-Z]{3}-\d{4}"


@hc.data_contract
class Sample:
    wine_id = hc.Int64().is_unique()
    quality = hc.Int64().bounded_between(0, 10)
    pH = hc.Float64().bounded_between(0, 14)
    colour = hc.Category(["red", "white", "rosé"])
    code = hc.String().regex(SAMPLE_REGEX)


def dataframely_sample() -> tuple[Any, Any] | None:
    """``(dataframely, DySample)``: :class:`Sample` as a dataframely schema, or None when
    dataframely is not installed."""
    try:
        import dataframely as dy
    except ImportError:
        return None

    class DySample(dy.Schema):
        wine_id = dy.Int64(unique=True)
        quality = dy.Int64(min=0, max=10)
        pH = dy.Float64(min=0, max=14)
        colour = dy.Enum(["red", "white", "rosé"])
        code = dy.String(regex=f"^{SAMPLE_REGEX}$")

    return dy, DySample


#: The WineQuality columns as hand-written Hypothesis element strategies.
_UNBOUNDED = st.floats(allow_nan=False, allow_infinity=False)
WINE_ELEMENTS: dict[str, st.SearchStrategy[Any]] = {
    "fixed_acidity": _UNBOUNDED,
    "volatile_acidity": _UNBOUNDED,
    "citric_acid": _UNBOUNDED,
    "residual_sugar": _UNBOUNDED,
    "chlorides": _UNBOUNDED,
    "free_sulfur_dioxide": _UNBOUNDED,
    "total_sulfur_dioxide": _UNBOUNDED,
    "density": _UNBOUNDED,
    "pH": st.floats(0, 14, allow_nan=False, allow_infinity=False),
    "sulphates": _UNBOUNDED,
    "alcohol": st.floats(0, 20, allow_nan=False, allow_infinity=False),
    "quality": st.integers(0, 10),
}
assert list(WINE_ELEMENTS) == list(WineQuality.columns)


def handwritten_frames(rows: int) -> st.SearchStrategy[Any]:
    """``hypothesis.extra.pandas.data_frames`` with exactly ``rows`` rows of WineQuality."""
    return data_frames(
        [
            column(
                name,
                elements=elements,
                dtype=np.int64 if name == "quality" else np.float64,
            )
            for name, elements in WINE_ELEMENTS.items()
        ],
        index=range_indexes(min_size=rows, max_size=rows),
    )


def pandera_frames(rows: int) -> st.SearchStrategy[Any]:
    """pandera's strategy for the WineQuality schema, ``rows`` rows per frame."""
    return WineQuality.to_pandera().strategy(size=rows)
