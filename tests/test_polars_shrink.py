"""polars frames through shrink() (the test sees polars frames only; the result and the
written regression test are polars) and through tables() / example_tables()."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from hypo_contracts import (
    Category,
    Float64,
    Int32,
    InvalidArgument,
    String,
    Timestamp,
    data_contract,
    shrink,
)

pl = pytest.importorskip("polars")
from polars.testing import assert_frame_equal  # noqa: E402

SEEN: list[str] = []  # the type of every frame the pipelines received


@data_contract
class Order:
    id = Int32().bounded_between(1, 1_000)
    price = Float64().is_optional()
    colour = Category(["red", "white"])
    note = String()
    at = Timestamp(time_zone="Europe/Paris")


def priced(frame: Any) -> None:
    """Fails on a negative price (module level: to_pytest imports it)."""
    SEEN.append(type(frame).__module__.split(".")[0])
    if (frame["price"] < 0).any():
        raise ValueError("negative price")


def _orders(n: int = 60) -> Any:
    df = pl.DataFrame(
        [
            pl.Series("id", range(1, n + 1), dtype=pl.Int32),
            pl.Series("price", [9.5] * n, dtype=pl.Float64),
            pl.Series("colour", ["white"] * n, dtype=pl.Enum(["red", "white"])),
            pl.Series("note", ["paid"] * n, dtype=pl.String),
            pl.Series("at", [1_700_000_000_000_000_000] * n, dtype=pl.Int64).cast(
                pl.Datetime("ns", "Europe/Paris")
            ),
        ]
    )
    return df.with_columns(
        price=pl.when(pl.col("id") == 41).then(-3.25).otherwise(pl.col("price"))
    )


def test_shrink_a_polars_frame_without_a_contract() -> None:
    df = pl.DataFrame(
        {
            "n": pl.Series(range(50), dtype=pl.Int16),
            "price": [9.5] * 41 + [-2.0] + [9.5] * 8,
            "note": ["ok"] * 50,
        }
    )
    SEEN.clear()
    result = shrink(df, priced)
    assert isinstance(result.frame, pl.DataFrame)
    assert_frame_equal(result.frame, pl.DataFrame({"price": [-1.0]}))
    assert result.complete and isinstance(result.error, ValueError)
    assert set(SEEN) == {"polars"} and len(SEEN) == result.calls
    assert df.height == 50  # the input is untouched


def test_shrink_a_polars_frame_with_a_contract_keeps_its_polars_dtypes() -> None:
    SEEN.clear()
    result = shrink(_orders(), priced, contract=Order)
    expected = pl.DataFrame(
        [
            pl.Series("id", [1], dtype=pl.Int32),
            pl.Series("price", [-1.0], dtype=pl.Float64),
            pl.Series("colour", ["red"], dtype=pl.Enum(["red", "white"])),
            pl.Series("note", [""], dtype=pl.String),
            pl.Series("at", [0], dtype=pl.Int64).cast(pl.Datetime("ns", "Europe/Paris")),
        ]
    )
    assert isinstance(result.frame, pl.DataFrame)
    assert_frame_equal(result.frame, expected)
    assert set(SEEN) == {"polars"} and len(SEEN) == result.calls
    Order.validate(result.frame)


def test_the_regression_module_rebuilds_the_polars_frame_and_fails_the_same_way(
    tmp_path: Path,
) -> None:
    result = shrink(_orders(), priced, contract=Order)
    source = result.to_pytest("test_priced_regression")
    assert "import polars as pl" in source and "import pandas" not in source
    assert "from tests.test_polars_shrink import priced" in source
    namespace: dict[str, Any] = {}
    exec(compile(source, "<generated test>", "exec"), namespace)
    SEEN.clear()
    with pytest.raises(ValueError, match="negative price"):
        namespace["test_priced_regression"]()
    assert SEEN == ["polars"]

    path = tmp_path / "test_written.py"
    path.write_text(source)
    root = str(Path(__file__).resolve().parents[1])
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": root, "PATH": ""},
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "ValueError: negative price" in run.stdout
    assert "1 failed" in run.stdout


def test_shrink_rejects_other_frame_types_naming_what_it_accepts() -> None:
    with pytest.raises(InvalidArgument) as info:
        shrink([[1, 2]], priced)
    assert str(info.value) == (
        "shrink(...): expects a pandas or a polars DataFrame (or a mapping of tables), not "
        "list; convert it to one of those first."
    )


def test_shrinking_pandas_frames_does_not_import_polars() -> None:
    code = (
        "import sys, pandas as pd\n"
        "from hypo_contracts import shrink\n"
        "def t(df):\n"
        "    if (df['x'] < 0).any(): raise ValueError\n"
        "r = shrink(pd.DataFrame({'x': [3, -7]}), t)\n"
        "r.to_pytest(target='m:t')\n"
        "print(r.frame['x'].tolist(), 'polars' in sys.modules)\n"
    )
    root = str(Path(__file__).resolve().parents[1])
    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": root, "PATH": ""},
    )
    assert run.stdout == "[-1] False\n", run.stderr
