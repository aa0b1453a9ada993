"""``hypo-contracts infer``, ``generate`` and ``validate`` end to end."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

from hypo_contracts.cli import main
from tests.test_formats import CSV, FOREIGN_ODCS, canon

CONTRACTS_PY = """
import pandas as pd
from hypo_contracts import data_contract, Int64, String, Float64, Date

@data_contract
class Orders:
    order_id = Int64().lower_bound(1).is_unique()
    channel = String().accepted_values(["web", "store"])
    amount = Float64().bounded_between(0, 100).is_optional()
    day = Date().bounded_between("2024-01-01", "2024-12-31")
"""


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: Any) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "orders.csv").write_text(CSV)
    (tmp_path / "shop_contracts.py").write_text(CONTRACTS_PY)
    (tmp_path / "shop.yaml").write_text(FOREIGN_ODCS)
    return tmp_path


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_infer_writes_a_contract_that_validates_its_data(workdir: Path) -> None:
    result = run("infer", "orders.csv", "--name", "Orders", "-o", "inferred.py")
    assert result.exit_code == 0, result.output
    text = (workdir / "inferred.py").read_text()
    assert "class Orders:" in text and "placed = Date().bounded_between(" in text
    assert "shipped_at = Timestamp().bounded_between(" in text
    result = run("validate", "orders.csv", "--contract", "inferred.py:Orders")
    assert result.exit_code == 0, result.output
    assert "5 rows satisfy Orders" in result.output
    result = run("infer", "orders.csv", "-o", "inferred.yaml")
    assert result.exit_code == 0 and "apiVersion: v3.1.0" in (workdir / "inferred.yaml").read_text()
    result = run("validate", "orders.csv", "--contract", "inferred.yaml")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("suffix", ["parquet", "csv"])
def test_generate_then_validate(workdir: Path, suffix: str) -> None:
    out = f"out.{suffix}"
    result = run("generate", "shop_contracts:Orders", "-n", "2500", "--seed", "7", "-o", out)
    assert result.exit_code == 0, result.output
    assert run("validate", out, "--contract", "shop_contracts:Orders").exit_code == 0
    again = run(
        "generate", "shop_contracts.py", "-n", "2500", "--seed", "7", "-o", f"again.{suffix}"
    )
    assert again.exit_code == 0
    assert (workdir / out).read_bytes() == (workdir / f"again.{suffix}").read_bytes()


def test_generate_from_a_document_in_chunks_with_progress(workdir: Path, monkeypatch: Any) -> None:
    import hypo_contracts.formats.commands as commands

    monkeypatch.setattr(commands, "CHUNK_ROWS", 1000)
    result = run(
        "generate",
        "shop.yaml:customers",
        "-n",
        "3500",
        "--seed",
        "1",
        "-o",
        "c.parquet",
        "--progress",
    )
    assert result.exit_code == 0, result.output
    df = pd.read_parquet(workdir / "c.parquet")
    assert len(df) == 3500 and df["id"].is_unique  # a unique column is drawn in one go
    result = run("validate", "c.parquet", "--contract", "shop.yaml:customers")
    assert result.exit_code == 0, result.output


def test_validate_reports_violations(workdir: Path) -> None:
    pd.DataFrame(
        {
            "order_id": [1, 1],
            "channel": ["web", "fax"],
            "amount": [5.0, 500.0],
            "day": ["2024-01-02", "2024-02-03"],
        }
    ).to_csv(workdir / "bad.csv", index=False)
    result = run("validate", "bad.csv", "--contract", "shop_contracts:Orders")
    assert result.exit_code == 1
    assert (
        "channel: isin" in result.output and "amount: less_than_or_equal_to(100.0)" in result.output
    )
    pd.DataFrame(
        {"order_id": ["x"], "channel": ["web"], "amount": [1.0], "day": ["2024-01-02"]}
    ).to_csv(workdir / "uncastable.csv", index=False)
    result = run("validate", "uncastable.csv", "--contract", "shop_contracts:Orders")
    assert result.exit_code == 1 and "order_id" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["generate", "shop.yaml", "-o", "x.parquet"], "the document has 2 schemas"),
        (["generate", "nope:Orders", "-o", "x.parquet"], "cannot import module 'nope'"),
        (["generate", "shop_contracts:Orders", "-o", "x.txt"], "cannot tell the format"),
        (["generate", "broken.yaml", "-o", "x.parquet"], "broken.yaml': malformed YAML"),
        (["generate", "money.yaml", "-o", "x.parquet"], "x: unknown logicalType 'money'"),
        (["validate", "missing.csv", "--contract", "shop_contracts:Orders"], "no such file"),
        (["validate", "orders.csv"], "Missing option '--contract'"),
        (
            ["generate", "shop_contracts:Orders", "--partition-rows", "5", "-o", "x.csv"],
            "Error: --partition-rows is for --engine dask (the pandas engine writes one file)",
        ),
        (
            ["generate", "shop_contracts:Orders", "--scheduler", "tcp://127.0.0.1:1", "-o", "x"],
            "Error: --scheduler is for --engine dask",
        ),
        (
            ["generate", "shop_contracts:Orders", "--engine", "dask", "-o", "x.parquet"],
            "not the single file 'x.parquet': name a folder, e.g. -o x/",
        ),
        (
            ["generate", "shop_contracts:Orders", "--engine", "dask", "-o", "x.csv.gz"],
            "not the single file 'x.csv.gz'",
        ),
        (
            ["generate", "shop_contracts:Orders", "--engine", "dask", "-o", "."],
            "Error: -o '.' already exists; name a new folder",
        ),
        (
            [
                "generate",
                "shop_contracts:Orders",
                "--engine",
                "dask",
                "--partition-rows",
                "0",
                "-o",
                "x",
            ],
            "'--partition-rows': 0 is not in the range x>=1",
        ),
        (
            ["generate", "shop_contracts:Orders", "--engine", "dask", "-n", "-3", "-o", "x"],
            "'-n' / '--rows': -3 is not in the range x>=0",
        ),
        (
            ["generate", "shop_contracts:Orders", "--engine", "dask", "--seed", "-1", "-o", "x"],
            "Error: write_parquet_dataset(Orders, ...): seed=-1 must be an int >= 0.",
        ),
        (["generate", "shop_contracts:Orders", "-o", "."], "-o '.' is a directory"),
    ],
)
def test_usage_errors_exit_2_and_write_nothing(
    workdir: Path, args: list[str], message: str
) -> None:
    (workdir / "broken.yaml").write_text("schema: [unclosed\n")
    (workdir / "money.yaml").write_text(
        "schema:\n  - name: t\n    properties:\n      - {name: x, logicalType: money}\n"
    )
    before = set(os.listdir(workdir))
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert set(os.listdir(workdir)) == before


def test_infer_reads_booleans_with_blanks(workdir: Path) -> None:
    (workdir / "flags.csv").write_text("id,flag\n1,True\n2,\n3,False\n")
    result = run("infer", "flags.csv", "-o", "flags.py", "--name", "Flags")
    assert result.exit_code == 0, result.output
    assert "flag = Bool().is_optional()" in (workdir / "flags.py").read_text()
    assert run("validate", "flags.csv", "--contract", "flags.py").exit_code == 0


def test_infer_of_uninferable_data_exits_2(workdir: Path, monkeypatch: Any) -> None:
    import hypo_contracts.formats.commands as commands

    # a column of mixed types cannot come from a CSV (all text), but can from elsewhere
    monkeypatch.setattr(commands, "read_frame", lambda *a, **k: pd.DataFrame({"x": ["a", 1]}))
    before = set(os.listdir(workdir))
    result = CliRunner().invoke(main, ["infer", "orders.csv", "-o", "mixed.py"])
    assert result.exit_code == 2 and "column 'x' holds int values" in result.output
    assert set(os.listdir(workdir)) == before


def test_inferred_contract_round_trips_through_the_written_source(workdir: Path) -> None:
    from hypo_contracts import infer

    df = pd.read_csv(workdir / "orders.csv", parse_dates=["placed", "shipped_at"])
    assert run("infer", "orders.csv", "-o", "c.py", "--name", "C").exit_code == 0
    namespace: dict[str, Any] = {"__name__": "c"}
    exec((workdir / "c.py").read_text(), namespace)
    assert canon(namespace["C"]) == canon(infer(df, name="C"))


def test_outputs_get_the_usual_permissions(workdir: Path) -> None:
    umask = os.umask(0o022)
    try:
        assert run("generate", "shop_contracts:Orders", "-n", "5", "-o", "o.csv").exit_code == 0
    finally:
        os.umask(umask)
    assert (workdir / "o.csv").stat().st_mode & 0o777 == 0o644


def test_ignore_unsupported(workdir: Path) -> None:
    (workdir / "partly.yaml").write_text(
        "schema:\n  - name: t\n    properties:\n      - {name: x, logicalType: integer}\n"
        "      - {name: tags, logicalType: array}\n"
    )
    result = CliRunner().invoke(main, ["generate", "partly.yaml", "-n", "3", "-o", "p.csv"])
    assert result.exit_code == 2 and "Pass --ignore-unsupported" in result.output
    with pytest.warns(UserWarning, match="tags: logicalType 'array'"):
        result = run("generate", "partly.yaml", "-n", "3", "-o", "p.csv", "--ignore-unsupported")
    assert result.exit_code == 0 and list(pd.read_csv(workdir / "p.csv").columns) == ["x"]


def test_pandera_and_frictionless_files_as_contracts(workdir: Path) -> None:
    import json

    import pandera.pandas as pa

    schema = pa.DataFrameSchema(
        {"x": pa.Column(int, pa.Check.in_range(0, 9)), "s": pa.Column(str, nullable=True)}
    )
    (workdir / "schema.yaml").write_text(schema.to_yaml())
    assert run("generate", "schema.yaml", "-n", "200", "-o", "p.csv").exit_code == 0
    schema.validate(pd.read_csv(workdir / "p.csv", keep_default_na=False, na_values=[""]))
    assert run("validate", "p.csv", "--contract", "schema.yaml").exit_code == 0
    table = {"fields": [{"name": "x", "type": "integer", "constraints": {"maximum": 3}}]}
    (workdir / "table.json").write_text(json.dumps(table))
    assert run("generate", "table.json", "-n", "50", "-o", "t.parquet").exit_code == 0
    assert pd.read_parquet(workdir / "t.parquet")["x"].max() <= 3
    pd.DataFrame({"x": [1, 7]}).to_csv(workdir / "t.csv", index=False)
    result = run("validate", "t.csv", "--contract", "table.json")
    assert result.exit_code == 1 and "x: less_than_or_equal_to(3)" in result.output


def test_generate_with_dask_without_a_seed_reports_the_seed_it_drew(workdir: Path) -> None:
    args = ["generate", "shop_contracts:Orders", "-n", "25", "--engine", "dask"]
    args += ["--partition-rows", "10", "--scheduler", "synchronous"]
    result = run(*args, "-o", "first")
    assert result.exit_code == 0
    message = result.output.strip()
    assert message.startswith("first: 25 rows of Orders in 3 Parquet files (seed ")
    seed = message.split("(seed ")[1].split(",")[0]
    again = run(*args, "--seed", seed, "-o", "again/")
    assert again.exit_code == 0
    names = ["part.000000.parquet", "part.000001.parquet", "part.000002.parquet"]
    assert sorted(os.listdir("first")) == sorted(os.listdir("again")) == names
    for name in names:
        assert (workdir / "first" / name).read_bytes() == (workdir / "again" / name).read_bytes()
    df = pd.read_parquet("first")
    assert len(df) == 25 and df["order_id"].is_unique
