"""Engines: polars frames (exact dtypes, validated by pandera's polars backend and by an
independent check) and big datasets with Dask (block seeding, uniqueness across partitions,
a real LocalCluster, Parquet datasets that appear only when complete)."""

from __future__ import annotations

import math
import sys
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hypo_contracts as hc
from hypo_contracts.engines import polars as polars_engine
from tests.contract_strategies import MAX_ROWS, Spec, _cell_problems, contracts

pl = pytest.importorskip("polars")

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@hc.data_contract
class Everything:
    small = hc.Int8().bounded_between(-3, 9).is_optional()
    key = hc.UInt64().is_unique()
    share = hc.Float32().bounded_between(0, 1).is_optional()
    text = hc.String().max_length(5).is_optional()
    code = hc.String().regex(r"[A-Z]{3}-\d{2}")
    colour = hc.Category(["red", "white", "rosé"]).is_optional()
    level = hc.Category([3, 1, 2])
    at = hc.Timestamp(time_zone="Europe/Paris").is_optional()
    naive = hc.Timestamp()
    day = hc.Date().is_optional()
    flag = hc.Bool().is_optional()
    on = hc.Bool()


EXPECTED = {
    "small": pl.Int8,
    "key": pl.UInt64,
    "share": pl.Float32,
    "text": pl.String,
    "code": pl.String,
    "colour": pl.Enum(["red", "white", "rosé"]),
    "level": pl.Int64,
    "at": pl.Datetime("ns", "Europe/Paris"),
    "naive": pl.Datetime("ns"),
    "day": pl.Date,
    "flag": pl.Boolean,
    "on": pl.Boolean,
}


def _expected_dtype(spec: Spec) -> Any:
    """The polars dtype a column of ``spec`` must have, from the spec alone."""
    column = spec.column
    if isinstance(column, hc.Date):
        return pl.Date
    if spec.dtype == "timedelta64[ns]":
        return pl.Duration("ns")
    if spec.dtype == "category":
        if all(isinstance(v, str) for v in spec.values or ()):
            return pl.Enum(list(spec.values or ()))
        return pl.Int64
    if spec.dtype.startswith("datetime64"):
        tz = spec.dtype[len("datetime64[ns, ") : -1] if "," in spec.dtype else None
        return pl.Datetime("ns", tz)
    names = {
        "str": "String",
        "object": "String",  # pandas 2's string dtype
        "bool": "Boolean",
        "boolean": "Boolean",
        "float32": "Float32",
        "float64": "Float64",
    }
    name = names.get(spec.dtype) or spec.dtype.lower().replace("uint", "UInt").replace("int", "Int")
    return getattr(pl, name)


def polars_violations(df: Any, specs: dict[str, Spec]) -> list[str]:
    """Everything wrong with the polars frame ``df`` for ``specs``, without the library."""
    if df.columns != list(specs):
        return [f"columns {df.columns} != {list(specs)}"]
    problems = []
    for name, spec in specs.items():
        s = df[name]
        want = _expected_dtype(spec)
        if s.dtype != want:
            problems.append(f"{name}: dtype {s.dtype} != {want}")
            continue
        if s.dtype.is_float() and s.is_nan().any():
            problems.append(f"{name}: NaN instead of a null")
        nulls = s.null_count()
        if nulls and not spec.nullable:
            problems.append(f"{name}: nulls in a required column")
        values = s.drop_nulls()
        if spec.unique and (values.is_duplicated().any() or nulls > 1):
            problems.append(f"{name}: repeated values in a unique column")
        if isinstance(s.dtype, pl.Datetime):
            tz = s.dtype.time_zone
            ns = values.dt.epoch("ns").to_list()
            cells = [pd.Timestamp(v, tz="UTC") for v in ns]
            cells = [v.tz_convert(tz) if tz else v.tz_localize(None) for v in cells]
        elif isinstance(s.dtype, pl.Duration):
            cells = [pd.Timedelta(v, unit="ns") for v in values.dt.total_nanoseconds().to_list()]
        elif s.dtype == pl.Date:
            cells = [pd.Timestamp(v) for v in values.to_list()]
        else:
            cells = values.to_list()
        for v in cells:
            problems += [f"{name}: {v!r} {p}" for p in _cell_problems(v, spec)]
    return problems


# ------------------------------------------------------------------------------------------
# polars


def test_example_gives_exact_polars_dtypes_and_polars_nulls():
    df = Everything.example(3_000, seed=1, backend="polars")
    assert isinstance(df, pl.DataFrame)
    assert dict(df.schema) == EXPECTED
    for name in ("small", "share", "text", "colour", "at", "day", "flag"):
        assert df[name].null_count() > 0, name
    assert not df["share"].is_nan().any()
    assert df["key"].is_unique().all()
    assert Everything.validate(df) is df
    polars_engine.to_pandera_polars(Everything.__contract__).validate(df, lazy=True)


def test_polars_rows_are_the_pandas_rows():
    pdf = Everything.example(500, seed=7)
    df = Everything.example(500, seed=7, backend="polars")
    for name in pdf.columns:
        want = pdf[name].astype(object).where(pdf[name].notna(), None).tolist()
        got = df[name].to_list()
        if name == "day":
            want = [None if v is None else v.date() for v in want]
        elif name in ("at", "naive"):  # polars' Python datetimes stop at microseconds
            ns = df[name].dt.epoch("ns").to_list()
            got = [None if v is None else pd.Timestamp(v, tz="UTC") for v in ns]
            want = [None if v is None else pd.Timestamp(v).tz_localize(None) for v in want]
            want = [None if v is None else v.tz_localize("UTC") for v in want]
            if name == "at":
                want = [
                    None if v is None else pd.Timestamp(p).tz_convert("UTC")
                    for v, p in zip(want, pdf[name], strict=True)
                ]
        assert got == want, name


def test_empty_polars_frames_keep_their_dtypes():
    df = Everything.example(0, seed=0, backend="polars")
    assert df.height == 0
    assert dict(df.schema) == EXPECTED


#: backend="polars" refuses Decimal columns (tests/test_decimal.py checks the InvalidArgument)
POLARS_CONTRACTS = contracts(decimals=False)


@SETTINGS
@given(POLARS_CONTRACTS, st.data())
def test_every_generated_polars_frame_satisfies_its_contract(generated, data):
    contract, specs = generated
    df = data.draw(hc.frames(contract, max_rows=MAX_ROWS, backend="polars"), label="frame")
    assert isinstance(df, pl.DataFrame)
    assert contract.validate(df) is df
    polars_engine.to_pandera_polars(contract.__contract__).validate(df, lazy=True)
    assert polars_violations(df, specs) == []


@SETTINGS
@given(POLARS_CONTRACTS, st.integers(0, MAX_ROWS), st.integers(0, 2**32))
def test_every_polars_example_satisfies_its_contract(generated, n, seed):
    contract, specs = generated
    df = contract.example(n, seed=seed, backend="polars")
    assert df.height == n
    assert contract.validate(df) is df
    assert polars_violations(df, specs) == []


def test_polars_frames_shrink_like_pandas_frames():
    from hypothesis import find

    df = find(
        hc.frames(Everything, min_rows=1, max_rows=30, backend="polars"),
        lambda d: (d["small"] > 5).any(),
    )
    assert df.height == 1 and df["small"].to_list() == [6]


def test_frames_columns_subset_in_polars():
    from hypothesis import find

    df = find(
        hc.frames(Everything, rows=4, columns=["day", "key"], backend="polars"), lambda d: True
    )
    assert df.columns == ["day", "key"] and df.schema["day"] == pl.Date


@pytest.mark.parametrize("backend", ["arrow", None, "Polars"])
def test_unknown_backends_are_invalid_arguments(backend):
    with pytest.raises(hc.InvalidArgument, match=r"^frames\(Everything, \.\.\.\): backend="):
        hc.frames(Everything, backend=backend)
    with pytest.raises(hc.InvalidArgument, match=r"^example\(Everything, \.\.\.\): backend="):
        Everything.example(3, backend=backend)


def _fails(df: Any, *needles: str) -> str:
    with pytest.raises(hc.ContractViolation) as err:
        Everything.validate(df)
    message = str(err.value)
    for needle in needles:
        assert needle in message, message
    return message


def test_validate_polars_reports_each_failing_column_and_check():
    good = Everything.example(20, seed=3, backend="polars")
    _fails(good.with_columns(pl.col("small").cast(pl.Int64)), "small: expected Int8")
    _fails(good.with_columns(pl.lit(50, dtype=pl.Int8).alias("small")), "small: less_than")
    _fails(good.with_columns(pl.lit(None, dtype=pl.Boolean).alias("on")), "on: not_nullable")
    _fails(good.with_columns(pl.lit(7, dtype=pl.UInt64).alias("key")), "key: field_uniqueness")
    _fails(good.with_columns(pl.lit("ab-12").alias("code")), "code: str_fullmatch")
    _fails(good.with_columns(pl.lit("toolong").alias("text")), "text: str_length")
    wrong_order = pl.Enum(["white", "red", "rosé"])
    _fails(
        good.with_columns(pl.col("colour").cast(pl.String).cast(wrong_order)), "colour: expected"
    )
    _fails(good.with_columns(pl.lit(4, dtype=pl.Int64).alias("level")), "level: isin")
    _fails(good.drop("flag"), "flag: missing column")
    both = good.with_columns(
        pl.lit(50, dtype=pl.Int8).alias("small"), pl.lit(1.5).cast(pl.Float32).alias("share")
    )
    assert _fails(both).startswith("Everything: 2 failing checks in 2 columns")


def test_validate_polars_uses_python_regex_semantics():
    @hc.data_contract
    class Digits:
        d = hc.String().regex(r"\d+")

    Digits.validate(pl.DataFrame({"d": ["12", "0"]}))
    with pytest.raises(hc.ContractViolation, match="str_fullmatch"):
        Digits.validate(pl.DataFrame({"d": ["١٢"]}))  # Arabic-Indic digits: not ASCII \d


def test_float_infinities_are_refused_unless_allowed():
    @hc.data_contract
    class F:
        x = hc.Float64()
        y = hc.Float64().allow_infinity()

    F.validate(pl.DataFrame({"x": [1.0], "y": [math.inf]}))
    with pytest.raises(hc.ContractViolation, match="x: finite"):
        F.validate(pl.DataFrame({"x": [math.inf], "y": [1.0]}))


def test_without_polars_pandas_keeps_working_and_polars_says_which_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "polars", None)
    assert len(Everything.example(5, seed=0)) == 5
    with pytest.raises(ImportError, match=r"pip install 'hypo-contracts\[polars\]'"):
        Everything.example(5, seed=0, backend="polars")
    with pytest.raises(ImportError, match=r"hypo-contracts\[polars\]"):
        hc.frames(Everything, backend="polars")


def test_np_and_pandas_values_survive_exactly():
    df = Everything.example(2_000, seed=11, backend="polars")
    pdf = Everything.example(2_000, seed=11)
    assert np.array_equal(df["key"].to_numpy(), pdf["key"].to_numpy())
    assert df["naive"].dt.epoch("ns").to_list() == pdf["naive"].astype("int64").tolist()


# ------------------------------------------------------------------------------------------
# Dask


@hc.data_contract
class Big:
    wine_id = hc.Int64().lower_bound(1).is_unique()
    quality = hc.Int64().bounded_between(0, 10)
    pH = hc.Float64().bounded_between(0, 14).is_optional()
    colour = hc.Category(["red", "white"])
    at = hc.Timestamp(time_zone="UTC").is_unique()


def test_rows_do_not_depend_on_partition_rows():
    """3 million rows: 30 partitions of 100,000 rows, then 3 of 1,000,000: the same cells."""
    a = Big.to_dask(3_000_000, seed=5, partition_rows=100_000)
    b = Big.to_dask(3_000_000, seed=5, partition_rows=1_000_000)
    assert (a.npartitions, b.npartitions) == (30, 3)
    da, db = a.compute(), b.compute()
    assert da.equals(db)
    assert da.index.equals(pd.RangeIndex(3_000_000))
    assert da["wine_id"].is_unique and da["at"].is_unique
    Big.validate(da)


def test_a_dataset_extends_exactly_and_another_seed_differs():
    short = Big.to_dask(70_000, seed=1, partition_rows=30_000).compute()
    long = Big.to_dask(150_000, seed=1, partition_rows=64_000).compute()
    assert long.iloc[:70_000].equals(short)
    other = Big.to_dask(70_000, seed=2, partition_rows=30_000).compute()
    assert not other["quality"].equals(short["quality"])


def test_unique_columns_are_unique_across_partitions_even_when_the_range_is_full():
    @hc.data_contract
    class Tight:
        n = hc.Int16().bounded_between(-100, 19_899).is_unique()
        day = hc.Date().bounded_between("2000-01-01", "2009-12-31").is_unique().is_optional()
        small = hc.UInt8().bounded_between(0, 250)

    rows = 3_653  # every day of the range
    df = Tight.to_dask(rows, seed=9, partition_rows=100).compute()
    assert df["day"].is_unique and df["day"].notna().all()
    assert df["day"].min() == pd.Timestamp("2000-01-01")
    assert df["day"].max() == pd.Timestamp("2009-12-31")
    with pytest.raises(hc.InvalidArgument, match=r"Tight\.day is unique with only 3653 values"):
        Tight.to_dask(3_654, seed=9)

    @hc.data_contract
    class Full:
        n = hc.Int16().bounded_between(-100, 19_899).is_unique()

    n = Full.to_dask(20_000, seed=9, partition_rows=777)["n"].compute()
    assert sorted(n.tolist()) == list(range(-100, 19_900))
    assert not n.is_monotonic_increasing


def test_dask_frames_have_the_contracts_dtypes_and_pass_validation():
    ddf = Everything.to_dask(100_000, seed=4, partition_rows=40_000)
    want = Everything.example(3, seed=0).dtypes
    assert ddf.dtypes.equals(want)
    df = ddf.compute()
    assert df.dtypes.equals(want)
    assert Everything.validate(df) is df
    assert Everything.to_dask(0, seed=0).compute().dtypes.equals(want)


def test_to_dask_refuses_what_it_cannot_keep():
    @hc.data_contract
    class Names:
        name = hc.String().is_unique()

    with pytest.raises(
        hc.InvalidArgument, match=r"^to_dask\(Names, \.\.\.\): Names.name is unique"
    ):
        Names.to_dask(10, seed=0)
    with pytest.raises(hc.InvalidArgument, match=r"^to_dask\(Big, \.\.\.\): seed=None"):
        Big.to_dask(10, seed=None)
    with pytest.raises(hc.InvalidArgument, match="partition_rows=0"):
        Big.to_dask(10, seed=0, partition_rows=0)
    with pytest.raises(hc.InvalidArgument, match="rows=-1"):
        Big.to_dask(-1, seed=0)


def test_dask_decimal_columns_are_decimals_unique_across_partitions():
    from decimal import Decimal as D

    @hc.data_contract
    class Ledger:
        ref = hc.Decimal(4, 2).bounded_between("-0.5", "49.49").is_unique()
        amount = hc.Decimal(9, 3).bounded_between("0.001", "1000").is_optional()
        tier = hc.Decimal(2, 1).accepted_values(["0.5", "1.5"])

    ddf = Ledger.to_dask(5_000, seed=3, partition_rows=999)
    assert ddf.dtypes.astype(str).tolist() == ["object"] * 3
    df = ddf.compute(scheduler="sync").reset_index(drop=True)
    assert Ledger.validate(df) is df
    assert sorted(df["ref"]) == [D(u).scaleb(-2) for u in range(-50, 4_950)]
    assert all(type(v) is D for v in df["ref"])
    assert set(df["tier"]) == {D("0.5"), D("1.5")}
    amounts = df["amount"].dropna()
    assert 0 < len(amounts) < len(df)
    assert D("0.001") <= amounts.min() and amounts.max() <= D("1000.000")
    again = Ledger.to_dask(5_000, seed=3, partition_rows=4_000).compute(scheduler="sync")
    assert again.reset_index(drop=True).equals(df)
    with pytest.raises(hc.InvalidArgument) as exc:
        Ledger.to_dask(5_001, seed=3)
    assert str(exc.value) == (
        "to_dask(Ledger, ...): Ledger.ref is unique with only 5000 values, so rows=5001 "
        "cannot exist. Ask for at most 5000 rows or widen the column."
    )

    @hc.data_contract
    class Tiers:
        tier = hc.Decimal(2, 1).accepted_values(["0.5", "1.5"]).is_unique()

    with pytest.raises(hc.InvalidArgument, match=r"^to_dask\(Tiers, \.\.\.\): Tiers.tier is uniq"):
        Tiers.to_dask(2, seed=0)


T0 = pd.Timestamp("2024-01-01", tz="UTC")


@hc.data_contract
class Shipped:
    shipment_id = hc.Int64().lower_bound(0).is_unique()
    status = hc.String().accepted_values(["placed", "shipped", "returned"])
    placed_at = hc.Timestamp(time_zone="UTC").bounded_between(T0, T0 + pd.Timedelta(days=365))
    shipped_at = (
        hc.Timestamp(time_zone="UTC")
        .at_least("placed_at", gap=pd.Timedelta(hours=1))
        .present_when(status=["shipped", "returned"])
    )
    price = hc.Float64().bounded_between(0.01, 1_000)
    quantity = hc.Int64().bounded_between(1, 99)
    total = hc.Float64().computed(
        lambda df: df["price"] * df["quantity"], uses=["price", "quantity"]
    )
    after = hc.Int64().at_least("shipment_id", gap=3)


def test_rules_within_a_row_hold_in_every_partition_whatever_the_split():
    a = Shipped.to_dask(150_000, seed=6, partition_rows=70_001).compute()
    b = Shipped.to_dask(150_000, seed=6, partition_rows=9_999).compute()
    assert a.equals(b)
    df = a.reset_index(drop=True)
    assert Shipped.validate(df) is df
    assert df["shipment_id"].is_unique
    shipped = df["status"] != "placed"
    assert df["shipped_at"].notna().eq(shipped).all()
    assert (
        df.loc[shipped, "shipped_at"] >= df.loc[shipped, "placed_at"] + pd.Timedelta(hours=1)
    ).all()
    assert df["total"].equals(df["price"] * df["quantity"])
    assert (df["after"] >= df["shipment_id"] + 3).all()
    assert 0 < shipped.mean() < 1 and df["after"].nunique() > 1


def test_rules_between_rows_are_refused():
    from hypo_contracts.engines.parquet import write_parquet_dataset

    @hc.data_contract(unique_together=[("quantity", "status")])
    class Pairs:
        status = hc.String().accepted_values(["placed", "shipped"])
        quantity = hc.Int64().bounded_between(1, 99)

    @hc.data_contract
    class Steps:
        sensor = hc.String().accepted_values(["a", "b"])
        step = hc.Int64().lower_bound(0).increasing(within="sensor")

    tail = (
        " relates rows to each other, and a Dask dataset generates its partitions "
        "independently: only rules within a row (at_least and the other orders, present_when, "
        "computed) are kept. Drop the rule for the dataset, or use example() for a frame that "
        "fits in memory."
    )
    with pytest.raises(hc.InvalidArgument) as info:
        Pairs.to_dask(10, seed=0)
    assert str(info.value) == "to_dask(Pairs, ...): (quantity, status) unique together" + tail
    with pytest.raises(hc.InvalidArgument) as info:
        write_parquet_dataset(Steps, 10, "never", seed=0, scheduler="synchronous")
    assert str(info.value) == (
        "write_parquet_dataset(Steps, ...): step increasing within sensor" + tail
    )


def test_the_permutation_is_a_bijection():
    from hypo_contracts._permute import permute

    for size in (1, 2, 3, 4, 5, 17, 1_000, 65_537):
        p = permute(np.arange(size, dtype=np.uint64), size, [1, 2, 3, 4])
        assert sorted(p.tolist()) == list(range(size))
    wide = permute(np.arange(100_000, dtype=np.uint64), 2**64, [9, 8, 7, 6])
    assert len(np.unique(wide)) == 100_000


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=":0",
    ) as local:
        yield local


def test_a_real_local_cluster_generates_and_writes_the_same_rows(cluster, tmp_path):
    from distributed import Client

    from hypo_contracts.engines.parquet import write_parquet_dataset

    want = Big.to_dask(250_000, seed=3, partition_rows=60_000).compute()
    with Client(cluster) as client:
        got = client.compute(Big.to_dask(250_000, seed=3, partition_rows=60_000)).result()
        assert got.equals(want)
        report = write_parquet_dataset(
            Big, 250_000, tmp_path / "big", seed=3, partition_rows=60_000, scheduler=client
        )
    assert (report.rows, report.files) == (250_000, 5)
    assert report.peak_worker_memory > 0
    assert sorted(p.name for p in (tmp_path / "big").iterdir())[0] == "part.000000.parquet"
    back = Big.read_parquet(tmp_path / "big")
    assert back.equals(want.reset_index(drop=True))
    assert [p.name for p in tmp_path.iterdir()] == ["big"]  # no temporary folder left
    with pytest.raises(hc.InvalidArgument, match="already exists"):
        write_parquet_dataset(Big, 10, tmp_path / "big", seed=3, scheduler=cluster)


def test_a_failing_partition_leaves_no_dataset(monkeypatch, tmp_path):
    distributed = pytest.importorskip("distributed")
    from hypo_contracts.engines import dask as dask_engine
    from hypo_contracts.engines.parquet import write_parquet_dataset

    real = dask_engine.partition_frame

    def flaky(columns, seed, bounds, rules=()):
        if bounds[0] == 20_000:
            raise RuntimeError("worker lost its disk")
        return real(columns, seed, bounds, rules)

    monkeypatch.setattr(dask_engine, "partition_frame", flaky)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as local:
        with pytest.raises(RuntimeError, match="worker lost its disk"):
            write_parquet_dataset(
                Big, 50_000, tmp_path / "out", seed=0, partition_rows=10_000, scheduler=local
            )
    with pytest.raises(RuntimeError, match="worker lost its disk"):
        write_parquet_dataset(
            Big, 50_000, tmp_path / "out", seed=0, partition_rows=10_000, scheduler="synchronous"
        )
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def killing(cluster, tmp_path):
    """Register a :class:`tests.dask_kill.KillOnPartition` on the cluster: ``killing(k,
    once=True)``; the plugin is removed and the scheduler's allowed failures restored after."""
    from distributed import Client

    from tests.dask_kill import KillOnPartition

    scheduler = cluster.scheduler
    allowed = scheduler.allowed_failures
    with Client(cluster) as client:

        def register(k: int, once: bool) -> None:
            marker = str(tmp_path / f"killed-{k}") if once else None
            client.register_plugin(KillOnPartition(k, marker), name="kill")

        yield register
        client.unregister_worker_plugin("kill")
    scheduler.allowed_failures = allowed
    cluster.wait_for_workers(2, timeout=60)


def _files(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_killed_worker_is_retried_and_the_dataset_is_the_clean_one(cluster, killing, tmp_path):
    from hypo_contracts.engines.parquet import write_parquet_dataset

    clean = write_parquet_dataset(
        Big, 5_000, tmp_path / "clean", seed=4, partition_rows=1_000, scheduler="synchronous"
    )
    killing(2, once=True)
    report = write_parquet_dataset(
        Big, 5_000, tmp_path / "out", seed=4, partition_rows=1_000, scheduler=cluster
    )
    assert (tmp_path / "killed-2").exists()  # partition 2 did kill a worker
    assert (report.rows, report.files) == (clean.rows, clean.files) == (5_000, 5)
    assert _files(tmp_path / "out") == _files(tmp_path / "clean")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean", "killed-2", "out"]


def test_a_worker_killed_on_every_try_leaves_no_dataset(cluster, killing, tmp_path):
    from distributed import KilledWorker

    from hypo_contracts.engines.parquet import write_parquet_dataset

    cluster.scheduler.allowed_failures = 0
    killing(1, once=False)
    with pytest.raises(KilledWorker):
        write_parquet_dataset(
            Big, 3_000, tmp_path / "out", seed=4, partition_rows=1_000, scheduler=cluster
        )
    assert not (tmp_path / "out").exists()
    assert list(tmp_path.iterdir()) == []  # the temporary folder is gone too


def test_the_cli_writes_the_dataset_through_a_killed_worker(cluster, killing, tmp_path):
    from click.testing import CliRunner

    from hypo_contracts.cli import main
    from hypo_contracts.engines.parquet import write_parquet_dataset

    contract = "tests.test_engines:Big"
    killing(0, once=True)
    args = ["generate", contract, "-n", "2500", "--seed", "8", "--engine", "dask"]
    args += ["--partition-rows", "1000", "--scheduler", cluster.scheduler_address]
    result = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert f"{tmp_path / 'out'}: 2,500 rows of Big in 3 Parquet files (seed 8," in result.output
    assert (tmp_path / "killed-0").exists()
    write_parquet_dataset(
        Big, 2_500, tmp_path / "clean", seed=8, partition_rows=1_000, scheduler="synchronous"
    )
    assert _files(tmp_path / "out") == _files(tmp_path / "clean")

    cluster.scheduler.allowed_failures = 0
    killing(1, once=False)
    result = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "failed")])
    assert result.exit_code == 1, result.output
    assert "a worker died on every try of a partition" in result.output
    assert f"{str(tmp_path / 'failed')!r} was not written" in result.output
    assert not (tmp_path / "failed").exists()


def test_the_cli_starts_a_local_cluster_by_default(tmp_path):
    from click.testing import CliRunner

    from hypo_contracts.cli import main

    out = tmp_path / "wine"
    args = ["generate", "hypo_contracts.examples:WineQuality", "-n", "1500", "--seed", "2"]
    result = CliRunner().invoke(
        main, [*args, "--engine", "dask", "--partition-rows", "700", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [f"part.00000{k}.parquet" for k in range(3)]
    from hypo_contracts.examples import WineQuality

    back = WineQuality.read_parquet(out)
    assert back.equals(WineQuality.to_dask(1_500, seed=2).compute().reset_index(drop=True))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contracts(), st.integers(0, 3 * MAX_ROWS), st.integers(1, 9), st.integers(0, 2**32))
def test_every_generated_contract_gives_valid_dask_partitions(generated, rows, size, seed):
    from tests.contract_strategies import independent_violations

    contract, specs = generated
    unsupported = [
        name
        for name, spec in specs.items()
        if spec.unique
        and (
            spec.values is not None
            if isinstance(spec.column, (hc.Timestamp, hc.Date, hc.Timedelta, hc.Decimal))
            else spec.values is not None or not spec.dtype.lower().startswith(("int", "uint"))
        )
    ]
    capacity_ok = all(
        not spec.unique or spec.hi is None or _room(spec) >= rows for spec in specs.values()
    )
    if unsupported:
        with pytest.raises(hc.InvalidArgument, match=r"is unique, and Dask datasets"):
            contract.to_dask(rows, seed=seed, partition_rows=size)
        return
    if not capacity_ok:
        with pytest.raises(hc.InvalidArgument, match=r"is unique with only"):
            contract.to_dask(rows, seed=seed, partition_rows=size)
        return
    df = contract.to_dask(rows, seed=seed, partition_rows=size).compute(scheduler="sync")
    assert len(df) == rows
    df = df.reset_index(drop=True)
    contract.validate(df)
    assert independent_violations(df, specs) == []
    again = contract.to_dask(rows, seed=seed, partition_rows=size + 3).compute(scheduler="sync")
    assert again.reset_index(drop=True).equals(df)


def _room(spec: Spec) -> float:
    if isinstance(spec.column, hc.Date):
        return (spec.hi - spec.lo).days + 1
    if isinstance(spec.hi, (pd.Timestamp, pd.Timedelta)):
        return spec.hi.value - spec.lo.value + 1
    if isinstance(spec.column, hc.Decimal):  # units of 10**-scale
        return int((spec.hi - spec.lo).scaleb(spec.extra["scale"])) + 1
    return spec.hi - spec.lo + 1


def test_patterns_in_polars():
    from hypothesis import find

    pattern = hc.with_values(Everything, {"small": [1, 2, 9]}, backend="polars")
    df = pattern.example(seed=0)
    assert isinstance(df, pl.DataFrame) and dict(df.schema) == EXPECTED
    assert df["small"].to_list() == [1, 2, 9]
    assert df["key"].is_unique().all() and df["on"].n_unique() == 1
    drawn = find(pattern, lambda d: True)
    assert drawn["small"].to_list() == [1, 2, 9] and Everything.validate(drawn) is drawn
    x = hc.features_for(
        Everything, {"day": ["2020-01-01"]}, columns=["day", "on"], backend="polars"
    )
    assert x.example(seed=1).schema["day"] == pl.Date
    with pytest.raises(hc.InvalidArgument, match=r"^with_values\(Everything, \.\.\.\): backend="):
        hc.with_values(Everything, {"small": [1]}, backend="spark")


def test_an_abandoned_dataset_folder_goes_even_when_a_late_partition_lands_in_it(
    tmp_path, monkeypatch
):
    from pathlib import Path

    from hypo_contracts.engines import parquet

    folder = tmp_path / ".out.partial-x"
    folder.mkdir()
    real = parquet.shutil.rmtree
    calls = []

    def racing(path, ignore_errors=False):
        calls.append(path)
        real(path, ignore_errors=ignore_errors)
        if len(calls) == 1:  # a cancelled partition, still running, writes its file meanwhile
            Path(path).mkdir()
            (Path(path) / ".part.000002.123").write_bytes(b"late")

    monkeypatch.setattr(parquet.shutil, "rmtree", racing)
    parquet._remove(str(folder))
    assert not folder.exists()
    assert len(calls) == 2
