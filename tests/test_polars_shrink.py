"""polars frames through shrink() (the test sees polars frames only; the result and the
written regression test are polars) and through tables() / example_tables()."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from hypo_contracts import (
    Category,
    Float64,
    Int32,
    InvalidArgument,
    String,
    Timestamp,
    data_contract,
    shrink,
    tables,
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
    return df.with_columns(price=pl.when(pl.col("id") == 41).then(-3.25).otherwise(pl.col("price")))


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


def needs_a_null_key(frame: Any) -> None:
    SEEN.append(str(dict(frame.schema).get("k")))
    if (frame["price"] < 0).any() and frame["k"].null_count() > 0:
        raise ValueError("negative price with no key")


def test_columns_outside_the_contract_keep_their_polars_dtype_and_nulls() -> None:
    df = _orders().with_columns(k=pl.Series([None, 1] * 30, dtype=pl.UInt8))
    SEEN.clear()
    result = shrink(df, needs_a_null_key, contract=Order)
    assert result.frame.columns == ["id", "price", "colour", "note", "at", "k"]
    assert result.frame["k"].dtype == pl.UInt8 and result.frame["k"].to_list() == [None]
    assert set(SEEN) <= {"UInt8", "None"}  # k is dropped from some candidates, never recast

    plain = pl.DataFrame(
        {"k": pl.Series([1, None, 3] * 10, dtype=pl.Int16), "price": [1.0, -2.0, 3.0] * 10}
    )
    result = shrink(plain, needs_a_null_key)
    assert_frame_equal(
        result.frame,
        pl.DataFrame({"k": pl.Series([None], dtype=pl.Int16), "price": [-1.0]}),
    )


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


# ------------------------------------------------------------------------------------------
# tables(..., backend="polars") and example_tables(..., backend="polars")


@data_contract
class Authors:
    author_id = Int32().bounded_between(1, 10_000).is_unique()
    genre = Category(["poetry", "prose"])


@data_contract
class Books:
    author_id = Int32().references(Authors, "author_id")
    title = String().is_optional()


SCHEMAS = {
    "Authors": {"author_id": pl.Int32, "genre": pl.Enum(["poetry", "prose"])},
    "Books": {"author_id": pl.Int32, "title": pl.String},
}


def test_example_tables_polars_are_the_pandas_tables_converted() -> None:
    from hypo_contracts import example_tables

    kw: dict[str, Any] = {"rows": {Authors: 3, Books: 7}, "per_parent": {Books: (1, 4)}}
    pandas_t = example_tables(Books, seed=5, **kw)
    polars_t = example_tables(Books, seed=5, backend="polars", **kw)
    assert list(polars_t) == [Authors, Books]
    for contract in (Authors, Books):
        df = polars_t[contract]
        assert isinstance(df, pl.DataFrame)
        assert dict(df.schema) == SCHEMAS[contract.__name__]
        assert df.to_pandas().astype(object).equals(pandas_t[contract].astype(object))
    assert set(polars_t[Books]["author_id"]) <= set(polars_t[Authors]["author_id"])
    from hypo_contracts import validate_tables

    assert validate_tables(polars_t) is polars_t


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(t=tables(Books, rows={Authors: (1, 4), Books: (0, 6)}, backend="polars"))
def test_tables_polars_draws_polars_tables_whose_references_hold(t: Any) -> None:
    for contract in (Authors, Books):
        assert isinstance(t[contract], pl.DataFrame)
        assert dict(t[contract].schema) == SCHEMAS[contract.__name__]
    assert set(t[Books]["author_id"].to_list()) <= set(t[Authors]["author_id"].to_list())


def test_tables_polars_repr_and_seeded_example() -> None:
    strategy = tables(Books, rows={Authors: 2, Books: 3}, backend="polars")
    assert repr(strategy) == "tables(Authors, Books, backend='polars')"
    t = strategy.example(seed=0)
    assert [type(t[c]).__name__ for c in (Authors, Books)] == ["DataFrame", "DataFrame"]
    assert (t[Authors].height, t[Books].height) == (2, 3)


def test_tables_bad_backend_is_an_invalid_argument() -> None:
    from hypo_contracts import example_tables

    message = (
        "{}(Authors, ...): backend='arrow' is not a frame library hypo_contracts generates; "
        "pass backend='pandas' (the default) or 'polars'."
    )
    with pytest.raises(InvalidArgument) as info:
        tables(Books, backend="arrow")
    assert str(info.value) == message.format("tables")
    with pytest.raises(InvalidArgument) as info:
        example_tables(Books, backend="arrow")
    assert str(info.value) == message.format("example_tables")


def test_validate_tables_names_the_orphans_of_polars_tables() -> None:
    from hypo_contracts import ContractViolation, validate_tables

    authors = pl.DataFrame(
        [
            pl.Series("author_id", [1, 2], dtype=pl.Int32),
            pl.Series("genre", ["prose", "poetry"], dtype=pl.Enum(["poetry", "prose"])),
        ]
    )
    books = pl.DataFrame(
        [
            pl.Series("author_id", [2, 9, 1], dtype=pl.Int32),
            pl.Series("title", ["a", None, "c"], dtype=pl.String),
        ]
    )
    with pytest.raises(ContractViolation) as info:
        validate_tables({Authors: authors, Books: books})
    assert str(info.value) == ("Books.author_id: 1 row references no Authors.author_id: 9 (row 1)")
    with pytest.raises(InvalidArgument) as bad:
        validate_tables({Authors: authors, Books: [1]})
    assert str(bad.value) == (
        "validate_tables(Books, ...): the value for Books is of type list; pass a pandas or "
        "polars DataFrame."
    )
