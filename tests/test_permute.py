"""The seeded bijection (hypo_contracts._permute) and the unique columns of example() built
on it (issue 11)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hypo_contracts import Date, Int8, Int64, String, UInt64, data_contract
from hypo_contracts._permute import keys_for, permute, unpermute

KEYS = [11, 22, 33, 44]


@pytest.mark.parametrize("size", [*range(1, 70), 255, 256, 257, 1000, 4096, 4097, 70_000])
def test_permute_is_a_permutation_of_small_ranges(size):
    out = permute(np.arange(size, dtype=np.uint64), size, KEYS)
    assert out.dtype == np.uint64
    assert np.array_equal(np.sort(out), np.arange(size, dtype=np.uint64))
    assert np.array_equal(unpermute(out, size, KEYS), np.arange(size, dtype=np.uint64))


@pytest.mark.parametrize("size", [2**62 + 1, 2**63 - 1, 2**63, 2**64 - 1, 2**64])
def test_permute_on_huge_ranges_is_injective_and_invertible(size):
    index = np.arange(100_000, dtype=np.uint64)
    out = permute(index, size, KEYS)
    assert len(np.unique(out)) == 100_000
    assert int(out.max()) < size
    assert np.array_equal(unpermute(out, size, KEYS), index)


def test_permute_is_not_the_identity_and_spreads_values():
    out = permute(np.arange(1000, dtype=np.uint64), 10**12, KEYS).astype(np.float64)
    # spread over the range: a tenth of the values in each tenth, give or take
    counts = np.histogram(out, bins=10, range=(0, 10**12))[0]
    assert counts.min() >= 70 and counts.max() <= 130
    assert not np.all(np.diff(out) > 0)  # not sequential


def test_same_keys_same_output_other_keys_other_output():
    index = np.arange(500, dtype=np.uint64)
    a = permute(index, 10**9, KEYS)
    assert np.array_equal(a, permute(index, 10**9, list(KEYS)))
    assert not np.array_equal(a, permute(index, 10**9, [11, 22, 33, 45]))
    seq = np.random.SeedSequence(3)
    assert keys_for(seq) == keys_for(np.random.SeedSequence(3))
    assert keys_for(seq) != keys_for(np.random.SeedSequence(4))
    assert seq.n_children_spawned == 0


@settings(max_examples=30, deadline=None)
@given(
    size=st.integers(1, 2**64),
    start=st.integers(0, 10_000),
    count=st.integers(0, 300),
)
def test_each_index_maps_alone_whatever_the_batch(size, start, count):
    whole = permute(np.arange(min(size, start + count), dtype=np.uint64), size, KEYS)
    part = np.arange(min(start, size), min(size, start + count), dtype=np.uint64)
    assert np.array_equal(permute(part, size, KEYS), whole[len(whole) - len(part) :])
    assert np.array_equal(permute(part[::-1], size, KEYS), whole[len(whole) - len(part) :][::-1])


def test_bad_sizes_raise():
    with pytest.raises(ValueError, match="size=0"):
        permute(np.arange(1, dtype=np.uint64), 0, KEYS)
    with pytest.raises(ValueError, match="size="):
        permute(np.arange(1, dtype=np.uint64), 2**64 + 1, KEYS)


# -- unique columns of example() --------------------------------------------------------


@data_contract
class Keys:
    wide = Int64().is_unique()
    small = Int8().is_unique()
    id_ = Int64().bounded_between(1, 10**6).is_unique()
    maybe = Int64().bounded_between(0, 10**6).is_unique().is_optional()
    big = UInt64().is_unique()
    day = Date().is_unique()
    sku = String().regex(r"[A-Z]{2}-\d{3}").is_unique()


@data_contract
class Wide:
    wide = Int64().is_unique()
    id_ = Int64().bounded_between(1, 10**6).is_unique()
    maybe = Int64().bounded_between(0, 10**6).is_unique().is_optional()
    sku = String().regex(r"[A-Z]{2}-\d{3}").is_unique()


def test_unique_columns_are_distinct_and_spread():
    df = Keys.example(256, seed=1)
    Keys.validate(df)
    for name in ("wide", "small", "id_", "big", "day", "sku"):
        assert not df[name].duplicated().any(), name
    assert sorted(df["small"].tolist()) == list(range(-128, 128))  # every value, once
    assert df["maybe"].isna().sum() <= 1 and not df["maybe"].dropna().duplicated().any()
    assert all(re.fullmatch(r"[A-Z]{2}-\d{3}", s) for s in df["sku"])
    ids = df["id_"].to_numpy()
    assert ids.min() < 100_000 and ids.max() > 900_000  # spread over [1, 10**6]
    assert not np.all(np.diff(ids) > 0)


def test_unique_columns_are_deterministic_and_prefix_stable():
    a, b = Wide.example(300, seed=5), Wide.example(300, seed=5)
    assert a.equals(b)
    assert not a["id_"].equals(Wide.example(300, seed=6)["id_"])
    # without edge rows (placed by quantile), row i's value depends only on (seed, column, i)
    sku_a, sku_b = a["sku"].tolist(), Wide.example(1000, seed=5)["sku"].tolist()
    assert sku_a == sku_b[:300]


def test_large_unique_frames_keep_the_edge_values():
    df = Wide.example(20_000, seed=0)
    assert not df.drop(columns="maybe").apply(lambda s: s.duplicated().any()).any()
    for value in (1, 2, 10**6):
        assert (df["id_"] == value).sum() == 1
    for value in (0, 1, -1, -(2**63), 2**63 - 1):
        assert (df["wide"] == value).sum() == 1
    assert df["maybe"].isna().sum() == 1


def test_a_full_optional_column_still_places_its_one_null():
    @data_contract
    class Full:
        tiny = Int64().bounded_between(0, 4).is_unique().is_optional()

    df = Full.example(6, seed=0)
    assert df["tiny"].isna().sum() == 1
    assert sorted(df["tiny"].dropna().tolist()) == [0, 1, 2, 3, 4]


def test_unique_floats_past_the_whole_steps_are_the_nearest_representable_ones() -> None:
    # [2.5, 3]: one whole step (2.5), then the floats above it one by one (none below);
    # [-1, 1] as float32: whole steps -1, 0, 1, then the float32s next to 0, up then down
    from hypo_contracts import Float32, Float64
    from hypo_contracts.constraints import canonicalise
    from hypo_contracts.kinds import kind_of

    c = canonicalise(Float64().bounded_between(2.5, 3).is_unique(), contract="C", name="x")
    got = kind_of(c).enumerate_simplest(c, 4, frozenset())
    up = [2.5]
    for _ in range(3):
        up.append(float(np.nextafter(up[-1], np.inf)))
    assert got == up
    c = canonicalise(Float32().bounded_between(-1, 1).is_unique(), contract="C", name="x")
    tiny = float(np.nextafter(np.float32(0), np.float32(1)))
    got = kind_of(c).enumerate_simplest(c, 6, frozenset())
    assert got[:3] == [0.0, 1.0, -1.0] and sorted(got[3:]) == [-tiny, tiny, 2 * tiny]
    assert len(kind_of(c).enumerate_simplest(c, 100_000, frozenset())) == 100_000
