"""Short float values: drawn cells are the shortest number their shrink level allows
(_sampling.simplest_between, FloatPlan, _bulk.Filler), so shrunk frames read 12.5."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hypo_contracts import Float32, Float64, Int64, data_contract, frames
from hypo_contracts._bulk import Filler, fill
from hypo_contracts._sampling import FloatPlan, simplest_between
from hypo_contracts.examples import WineQuality
from tests.test_strategies import minimal, simplest_wine_row


@pytest.mark.parametrize(
    ("lo", "hi", "short"),
    [
        (12.36, 12.71, 12.4),
        (0.0, 0.0042, 0.001),
        (3.0, 3.0, 3.0),  # an empty interval keeps hi
        (7.5, 7.2, 7.2),  # so does a reversed one
        (99.5, 100.2, 99.6),
        (1e-300, 3e-300, 2e-300),
        (1e300, 5e300, 2e300),
        (0.0, 5e-324, 5e-324),  # narrower than 1e-300: left alone
        (2.0, math.inf, math.inf),
        (0.29, 0.31, 0.3),  # 0.29 * 100 rounds below 29: the pick lands on lo, so the next
    ],
)
def test_simplest_between_known_intervals(lo, hi, short):
    assert simplest_between(np.array([lo]), np.array([hi])).tolist() == [short]


def _significant(x: float) -> int:
    mantissa = repr(x).lower().split("e")[0].replace("-", "").replace(".", "")
    return len(mantissa.strip("0"))


def test_simplest_between_is_inside_and_short_for_nearly_every_interval():
    rng = np.random.default_rng(0)
    lo = 10.0 ** rng.uniform(-6, 15, 20_000) * rng.random(20_000)
    hi = lo + np.maximum(lo, 1e-9) * 10.0 ** rng.uniform(-9, 1, 20_000)
    pick = simplest_between(lo, hi)
    assert ((pick > lo) & (pick <= hi)).all()
    grid = np.floor(np.log10(pick)) - np.floor(np.log10(hi - lo)) + 1  # digits the width allows
    digits = np.array([_significant(float(v)) for v in pick])
    assert np.mean(digits <= np.maximum(grid, 1) + 1) > 0.995  # hi itself only where rounding
    assert np.mean(pick == hi) < 0.01  # lands the pick outside (a few in a thousand)


@given(st.floats(0, 1e300, allow_subnormal=False), st.floats(1e-15, 10.0))
def test_simplest_between_never_leaves_the_interval(lo, share):
    hi = lo + max(lo, 1e-300) * share
    (pick,) = simplest_between(np.array([lo]), np.array([hi])).tolist()
    assert lo < pick <= hi


def test_a_cell_moves_towards_the_simplest_value_as_its_level_falls():
    from hypo_contracts.strategies import _BELOW, _SPREADS

    @data_contract
    class Span:
        x = Float64().bounded_between(0, 20)
        y = Float64()

    filler = Filler(list(Span.__contract__.canonical.values()))
    levels = np.arange(256)
    for u in np.random.default_rng(7).random(50) * 0.95:  # below the edge quantiles
        grid = np.full((2, 256), u)
        q = grid * _SPREADS[levels]
        raws = filler(q, np.random.default_rng(8), lambda rows, g=grid: g[rows] * _BELOW[levels])
        x = raws[0]
        assert (np.diff(x) >= 0).all() and x[:2].tolist() == [0.0, 0.0]
        assert _significant(float(x[-1])) >= 10  # the high levels keep their precision


@data_contract
class Mixed:
    up = Float64().bounded_between(0, 14)
    down = Float64().bounded_between(-5, 0)
    both = Float64().bounded_between(-3, 1_000)
    wide = Float64()
    single = Float32().bounded_between(-2, 2)
    key = Float64().bounded_between(0, 1).is_unique()
    n = Int64().bounded_between(0, 9)


def _cols():
    return list(Mixed.__contract__.canonical.values())


def test_float_plan_without_lower_ends_samples_like_floats():
    cols = _cols()[:5]
    q = np.random.default_rng(1).random((5, 400))
    plan = FloatPlan(cols)
    for c, raw in zip(cols, plan.fill(q, np.random.default_rng(2)), strict=True):
        assert raw.dtype == np.dtype(c.dtype_name) and len(raw) == 400
        assert ((raw >= c.lo) & (raw <= c.hi)).all()
    both = plan.fill(q, np.random.default_rng(2))[2]
    assert (both < 0).any() and (both > 0).any()  # two-sided columns draw both sides


def test_float_plan_shortens_only_cells_with_an_interval():
    cols = _cols()[:5]
    q = np.random.default_rng(3).random((5, 300)) * 0.9
    plain = FloatPlan(cols).fill(q, np.random.default_rng(4))
    same = FloatPlan(cols).fill(q, np.random.default_rng(4), prev=q.copy())
    short = FloatPlan(cols).fill(q, np.random.default_rng(4), prev=q * 0.95)
    for a, b, s in zip(plain, same, short, strict=True):
        assert np.array_equal(a, b)  # prev == q: an empty interval, nothing changes
        moved = s != a
        assert moved.mean() > 0.9  # nearly every cell has a shorter number below it
        assert (np.abs(s) <= np.abs(a)).all()  # never further from the simplest value
    assert np.mean([_significant(float(v)) <= 3 for v in short[0]]) > 0.9


def test_filler_batches_floats_and_leaves_unique_and_other_kinds_to_fill():
    cols = _cols()
    filler = Filler(cols)
    [(_, rows, js, _)] = filler.groups
    assert js == [0, 1, 2, 3, 4] and rows == slice(0, 5)  # the unique float and the int: alone
    assert filler.single == [5, 6]
    q = np.random.default_rng(5).random((len(cols), 50))
    raws = filler(q, np.random.default_rng(6), lambda rows: q[rows] * 0.5)
    assert np.array_equal(raws[6], fill(cols[6], q[6], np.random.default_rng(0)))
    assert len(set(raws[5].tolist())) == 50
    top = q >= 0.96  # edge cells keep their edge values
    assert np.isin(raws[3][top[3]], [-1e300, 1e300, 1.0, -1.0, 0.5, 0.0, 1e-300, -1e-300]).any()


def test_a_value_bug_shrinks_to_a_short_value():
    df = minimal(frames(WineQuality, min_rows=1), lambda d: (d["alcohol"] > 12.34).any())
    assert df.to_dict("records") == [{**simplest_wine_row(0), "alcohol": 12.5}]
    fixed = minimal(frames(WineQuality, rows=40), lambda d: (d["pH"] > 7.77).any())
    culprit = fixed[fixed["pH"] > 0]
    assert len(fixed) == 40 and culprit["pH"].tolist() == [7.8]


def test_a_two_column_bug_shrinks_to_short_values_in_one_row():
    df = minimal(
        frames(WineQuality, min_rows=1),
        lambda d: ((d["density"] > 0.53) & (d["quality"] >= 5)).any(),
    )
    assert df.to_dict("records") == [{**simplest_wine_row(5), "density": 0.6}]


def test_a_float_a_rule_derives_is_short_too():
    @data_contract
    class Span:
        start = Float64().bounded_between(0, 100)
        end = Float64().bounded_between(0, 100).at_least("start")

    df = minimal(frames(Span, min_rows=1), lambda d: ((d["end"] - d["start"]) > 3.33).any())
    assert df.to_dict("records") == [{"start": 0.0, "end": 3.6}]
