"""``hypo-contracts shrink`` end to end: CSV and Parquet in and out, exit codes, messages."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner, Result

from hypo_contracts.cli import main

PIPELINE = textwrap.dedent(
    """
    import pandas as pd

    from hypo_contracts import Float64, Int64, String, data_contract


    @data_contract
    class Readings:
        sensor = String().min_length(1)
        day = Int64().bounded_between(1, 366)
        value = Float64().bounded_between(-50, 50)


    def table(frame):
        return frame.pivot(index="day", columns="sensor", values="value")


    def negative(frame):
        if (frame["value"] < 0).any():
            raise ValueError("negative reading")


    def passes(frame):
        return len(frame)


    def short_code(frame):
        if (frame["code"].str.len() < 3).any():
            raise ValueError("short code")


    @data_contract
    class Codes:
        code = String()
        n = Int64()


    def big_n(frame):
        if (frame["n"] > 5).any():
            raise ValueError("big n")


    def exits(frame):
        if (frame["value"] < 0).any():
            raise SystemExit(4)


    def interrupts(frame):
        raise KeyboardInterrupt


    def late(frame):
        if (frame["at"].dt.hour >= 22).any():
            raise ValueError("late event")


    def warns(frame):
        import warnings

        warnings.warn(f"odd frame of {len(frame)} rows", RuntimeWarning)
        warnings.warn("another kind", UserWarning)
        negative(frame)
    """
)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A directory with ``pipe_mod.py``, made the current directory; imports are undone."""
    (tmp_path / "pipe_mod.py").write_text(PIPELINE)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.delitem(sys.modules, "pipe_mod", raising=False)
    yield tmp_path
    sys.modules.pop("pipe_mod", None)


def readings(n: int = 900) -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "sensor": [("north", "south", "east")[i % 3] for i in range(n)],
            "day": np.arange(n) // 3 + 1,
            "value": np.round(np.linspace(1.0, 49.0, n), 3),
        }
    )
    df.loc[700, ["sensor", "day"]] = [df.loc[40, "sensor"], df.loc[40, "day"]]
    return df


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, ["shrink", *args], catch_exceptions=False)


def test_csv_in_csv_out_with_a_pytest_file(workdir: Path) -> None:
    readings().to_csv(workdir / "data.csv", index=False)
    before = (workdir / "data.csv").read_bytes()
    result = invoke(
        "data.csv", "--test", "pipe_mod:table", "-o", "small.csv", "--pytest", "test_small.py"
    )
    assert result.exit_code == 0, result.output
    assert "900 rows x 3 columns -> 2 rows x 3 columns" in result.stdout
    assert "Failure: ValueError at " in result.stdout
    assert (workdir / "data.csv").read_bytes() == before
    assert (workdir / "small.csv").read_text() == "sensor,day,value\n,0,0.0\n,0,0.0\n"
    assert not [p.name for p in workdir.iterdir() if p.name.startswith(".hypo-contracts-")]

    source = (workdir / "test_small.py").read_text()
    assert "from pipe_mod import table" in source
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_small.py"],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
    )
    # the regression test fails the same way until the bug is fixed
    assert run.returncode == 1, run.stdout + run.stderr
    assert "1 failed" in run.stdout
    assert "ValueError: Index contains duplicate entries" in run.stdout


def test_csv_with_a_contract_is_cast_and_stays_valid(workdir: Path) -> None:
    readings().to_csv(workdir / "data.csv", index=False)
    result = invoke(
        "data.csv", "--test", "pipe_mod:table", "--contract", "pipe_mod:Readings", "-o", "s.csv"
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    small = pd.read_csv(workdir / "s.csv", dtype={"sensor": str})
    expected = pd.DataFrame({"sensor": ["0", "0"], "day": [1, 1], "value": [0.0, 0.0]})
    pd.testing.assert_frame_equal(small, expected, check_dtype=False)


def test_parquet_in_parquet_out_keeps_dtypes(workdir: Path) -> None:
    n = 400
    df = pd.DataFrame(
        {
            "station": pd.Categorical([("a", "b")[i % 2] for i in range(n)]),
            "at": pd.date_range("2024-01-01", periods=n, freq="h", tz="Europe/Paris"),
            "value": np.linspace(1.0, 20.0, n),
            "flag": pd.array([True, False, None, True] * (n // 4), dtype="boolean"),
        }
    )
    df.loc[321, "value"] = -4.5
    df.to_parquet(workdir / "data.parquet")
    result = invoke("data.parquet", "--test", "pipe_mod:negative", "-o", "out.parquet")
    assert result.exit_code == 0, result.output
    small = pd.read_parquet(workdir / "out.parquet")
    pd.testing.assert_frame_equal(small, pd.DataFrame({"value": [-1.0]}), check_exact=True)


def test_parquet_input_with_csv_output_and_max_calls(workdir: Path) -> None:
    df = readings()
    df["value"] = df["value"].where(df.index != 500, -3.0)
    df.to_parquet(workdir / "data.parquet")
    result = invoke(
        "data.parquet", "--test", "pipe_mod:negative", "--max-calls", "4", "-o", "o.csv"
    )
    assert result.exit_code == 0, result.output
    assert "stopped by max_calls" in result.stdout
    assert len(pd.read_csv(workdir / "o.csv")) < len(df)


def test_a_test_that_does_not_fail_exits_1(workdir: Path) -> None:
    readings().to_csv(workdir / "data.csv", index=False)
    result = invoke("data.csv", "--test", "pipe_mod:passes", "-o", "out.csv")
    assert result.exit_code == 1
    assert "does not fail on data.csv" in result.stderr
    assert not (workdir / "out.csv").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv", "--test", "pipe_mod:table", "-o", "o.csv"], "does not exist"),
        (["data.txt", "--test", "pipe_mod:table", "-o", "o.csv"], "cannot tell the format"),
        (["data.csv", "--test", "pipe_mod:table", "-o", "o.xlsx"], "cannot tell the format"),
        (["data.csv", "--test", "nowhere_mod:table", "-o", "o.csv"], "cannot import module"),
        (["data.csv", "--test", "pipe_mod:nothing", "-o", "o.csv"], "has no attribute"),
        (["data.csv", "--test", "pipe_mod", "-o", "o.csv"], "module:name"),
        (
            ["data.csv", "--test", "pipe_mod:table", "-o", "data.csv"],
            "OUT must be another file than DATA (DATA is never written)",
        ),
        (["data.csv", "--test", "pipe_mod:table", "-o", "o.csv", "--pytest", "o.csv"], "different"),
        (["data.csv", "--test", "pipe_mod:table", "-o", "no/dir/o.csv"], "no directory 'no/dir'"),
        (
            ["data.csv", "--test", "pipe_mod:table", "-o", "o.csv", "--pytest", "no/t.py"],
            "--pytest 'no/t.py': no directory 'no'",
        ),
        (["data.csv", "--test", "pipe_mod:table"], "Missing option"),
        (["bad.parquet", "--test", "pipe_mod:table", "-o", "o.csv"], "cannot read"),
        (
            ["data.csv", "--test", "pipe_mod:table", "--contract", "pipe_mod:table", "-o", "o.csv"],
            "is not a @data_contract class",
        ),
        (
            ["data.csv", "--test", "pipe_mod:table", "--max-calls", "0", "-o", "o.csv"],
            "0 is not in the range x>=1",
        ),
    ],
)
def test_usage_errors_exit_2(workdir: Path, args: list[str], message: str) -> None:
    readings().to_csv(workdir / "data.csv", index=False)
    (workdir / "data.txt").write_text("x\n1\n")
    (workdir / "bad.parquet").write_text("not parquet")
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert not (workdir / "o.csv").exists()


def test_warnings_of_the_test_are_summed_up_in_one_line(workdir: Path) -> None:
    df = readings()
    df.loc[500, "value"] = -3.0
    df.to_csv(workdir / "data.csv", index=False)
    result = invoke("data.csv", "--test", "pipe_mod:warns", "-o", "o.csv")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "note: the test emitted warnings on some candidate frames (RuntimeWarning: odd frame "
        "of 900 rows, and 1 other kind(s)); they are not failures. Run the test on OUT to see "
        "them.\n"
    )


def test_help_names_every_argument_and_the_exit_codes() -> None:
    top = CliRunner().invoke(main, ["--help"]).output
    # words, not spacing: the column width follows the longest command name
    assert "shrink Shrink a CSV/Parquet file that breaks a pipeline." in " ".join(top.split())
    text = CliRunner().invoke(main, ["shrink", "--help"]).output
    for expected in ("-o, --output OUT", "--pytest TEST_FILE", "--max-calls N", "Exit status: 0"):
        assert expected in text


def test_data_that_breaks_the_contract_exits_2(workdir: Path) -> None:
    df = readings()
    df.loc[3, "value"] = 99.0
    df.to_csv(workdir / "data.csv", index=False)
    result = invoke(
        "data.csv", "--test", "pipe_mod:table", "--contract", "pipe_mod:Readings", "-o", "o.csv"
    )
    assert result.exit_code == 2
    assert "does not satisfy --contract pipe_mod:Readings" in result.stderr
    assert "value: less_than_or_equal_to(50.0) failed for 1 row: 99.0 (row 3)" in result.stderr


def test_csv_column_that_cannot_be_cast_exits_2(workdir: Path) -> None:
    df = readings()
    df["day"] = df["day"].astype(str)
    df.loc[5, "day"] = "monday"
    df.to_csv(workdir / "data.csv", index=False)
    result = invoke(
        "data.csv", "--test", "pipe_mod:table", "--contract", "pipe_mod:Readings", "-o", "o.csv"
    )
    assert result.exit_code == 2
    assert "column 'day' cannot be read as int64 as Readings.day declares" in result.stderr


def test_a_csv_that_loses_the_failure_is_reported(workdir: Path) -> None:
    df = pd.DataFrame({"code": ["ABCDE"] * 50})
    df.loc[17, "code"] = "ab"
    df.to_csv(workdir / "data.csv", index=False)
    result = invoke("data.csv", "--test", "pipe_mod:short_code", "-o", "o.csv")
    assert result.exit_code == 0, result.output
    assert "o.csv does not reproduce the failure when read back" in result.stderr
    result = invoke("data.csv", "--test", "pipe_mod:short_code", "-o", "o.parquet")
    assert result.exit_code == 0 and result.stderr == ""
    assert pd.read_parquet(workdir / "o.parquet")["code"].tolist() == [""]


def test_csv_columns_are_cast_to_the_contract(workdir: Path) -> None:
    (workdir / "typed_mod.py").write_text(
        textwrap.dedent(
            """
            import pandas as pd

            from hypo_contracts import Bool, Category, String, Timestamp, data_contract

            PARIS = "Europe/Paris"


            @data_contract
            class Visits:
                at = Timestamp(time_zone=PARIS).bounded_between(
                    pd.Timestamp("2020-01-01", tz=PARIS), pd.Timestamp("2030-01-01", tz=PARIS)
                )
                level = Category(["low", "high"])
                ok = Bool()
                zip = String().regex(r"[0-9]{5}")


            def check(frame):
                assert str(frame["at"].dtype) == "datetime64[ns, Europe/Paris]"
                assert frame["level"].dtype == "category"
                if (frame["zip"].str.startswith("0") & ~frame["ok"]).any():
                    raise ValueError("overseas zip not ok")
            """
        )
    )
    sys.modules.pop("typed_mod", None)
    n = 200
    df = pd.DataFrame(
        {
            "at": pd.date_range("2024-03-01", periods=n, freq="7h", tz="Europe/Paris"),
            "level": [("low", "high")[i % 2] for i in range(n)],
            "ok": [True] * n,
            "zip": ["75011"] * n,
        }
    )
    df.loc[150, ["ok", "zip"]] = [False, "01234"]
    df.to_csv(workdir / "visits.csv", index=False)
    result = invoke(
        "visits.csv", "--test", "typed_mod:check", "--contract", "typed_mod:Visits", "-o", "o.csv"
    )
    sys.modules.pop("typed_mod", None)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "200 rows x 4 columns -> 1 row x 4 columns" in result.stdout
    assert (workdir / "o.csv").read_text() == (
        "at,level,ok,zip\n2020-01-01 00:00:00+01:00,low,False,00000\n"
    )


def test_integers_and_number_categories_survive_csv_and_parquet(workdir: Path) -> None:
    # CSV: an optional Int64 column with big values and gaps used to go through float64 and
    # fail the cast; Parquet: categories of numbers come back as plain integers
    (workdir / "ids_mod.py").write_text(
        textwrap.dedent(
            """
            import pandas as pd

            from hypo_contracts import Category, Int64, data_contract


            @data_contract
            class Accounts:
                account = Int64().is_optional()
                level = Category([1, 2, 3])


            def check(frame):
                assert frame["level"].dtype == "category", frame["level"].dtype
                if ((frame["account"] > 2**60) & (frame["level"] == 3)).any():
                    raise ValueError("big account on level 3")
            """
        )
    )
    sys.modules.pop("ids_mod", None)
    n = 300
    df = pd.DataFrame(
        {
            "account": pd.array([2**62 + i if i % 5 else None for i in range(n)], dtype="Int64"),
            "level": pd.Categorical([(1, 2)[i % 2] for i in range(n)], categories=[1, 2, 3]),
        }
    )
    df.loc[211, "level"] = 3
    df.to_csv(workdir / "accounts.csv", index=False)
    df.to_parquet(workdir / "accounts.parquet")
    expected = "account,level\n1152921504606846977,3\n"
    try:
        for data in ("accounts.csv", "accounts.parquet"):
            args = ["--test", "ids_mod:check", "--contract", "ids_mod:Accounts", "-o", "o.csv"]
            result = invoke(data, *args)
            assert result.exit_code == 0, result.output
            assert result.stderr == ""
            assert (workdir / "o.csv").read_text() == expected
    finally:
        sys.modules.pop("ids_mod", None)


def test_a_test_that_raises_system_exit_is_shrunk_and_exits_0(workdir: Path) -> None:
    # the read-back check used to let the test's SystemExit(4) end the command with status 4
    df = readings()
    df.loc[500, "value"] = -3.0
    df.to_csv(workdir / "data.csv", index=False)
    result = invoke("data.csv", "--test", "pipe_mod:exits", "-o", "o.csv")
    assert result.exit_code == 0, result.output
    assert "Failure: SystemExit at " in result.stdout
    assert result.stderr == ""
    assert (workdir / "o.csv").read_text() == "value\n-1.0\n"


def test_ctrl_c_before_the_first_call_ends_is_not_exit_1(workdir: Path) -> None:
    readings().to_csv(workdir / "data.csv", index=False)
    result = invoke("data.csv", "--test", "pipe_mod:interrupts", "-o", "o.csv")
    assert result.exit_code == 130
    assert "interrupted; nothing written" in result.stderr
    assert not (workdir / "o.csv").exists()


def test_empty_csv_cells_of_a_non_nullable_string_column_are_empty_strings(
    workdir: Path,
) -> None:
    (workdir / "data.csv").write_text("code,n\n,1\nab,9\n,3\n")
    result = invoke(
        "data.csv", "--test", "pipe_mod:big_n", "--contract", "pipe_mod:Codes", "-o", "o.parquet"
    )
    assert result.exit_code == 0, result.output
    small = pd.read_parquet(workdir / "o.parquet")
    expected = pd.DataFrame({"code": pd.Series([""], dtype="str"), "n": [6]})
    pd.testing.assert_frame_equal(small, expected, check_exact=True)


# -- CSV timestamps without a contract (issue 9, item 10c) --------------------------------


def events(n: int = 60) -> pd.DataFrame:
    at = pd.date_range("2024-03-01 08:00", periods=n, freq="17min")
    df = pd.DataFrame({"at": at, "n": np.arange(n), "x": np.linspace(0, 1, n), "y": ["a"] * n})
    df.loc[41, "at"] = pd.Timestamp("2024-03-01 23:30")
    return df


def test_csv_timestamps_without_a_contract_are_text_and_a_warning_says_so(workdir: Path) -> None:
    events().to_csv(workdir / "data.csv", index=False)
    result = invoke("data.csv", "--test", "pipe_mod:late", "-o", "o.csv")
    assert (
        "warning: data.csv is read without --contract, so column(s) 'at' that look like "
        "timestamps are text (str), not datetime64" in result.stderr
    )
    assert "Pass --parse-dates at (or --contract MODULE:CLASS)" in result.stderr


def test_parse_dates_reads_csv_timestamps_and_shrinks_the_real_failure(workdir: Path) -> None:
    events().to_csv(workdir / "data.csv", index=False)
    result = invoke("data.csv", "--test", "pipe_mod:late", "--parse-dates", "at", "-o", "o.csv")
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr
    assert "60 rows x 4 columns -> 1 row x 1 column" in result.stdout
    assert "Failure: ValueError at " in result.stdout
    small = pd.read_csv(workdir / "o.csv", parse_dates=["at"])
    assert len(small) == 1 and small["at"].dt.hour.iloc[0] >= 22


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--parse-dates", "when"), "--parse-dates: 'data.csv' has no column 'when'"),
        (
            ("--parse-dates", "y"),
            "--parse-dates: column 'y' of 'data.csv' is not made of timestamps",
        ),
    ],
)
def test_parse_dates_names_what_it_cannot_parse(workdir: Path, args, message) -> None:
    events().to_csv(workdir / "data.csv", index=False)
    result = invoke("data.csv", "--test", "pipe_mod:late", *args, "-o", "o.csv")
    assert result.exit_code == 2 and message in result.stderr


def test_parse_dates_is_for_csv(workdir: Path) -> None:
    events().to_parquet(workdir / "data.parquet")
    result = invoke("data.parquet", "--test", "pipe_mod:late", "--parse-dates", "at", "-o", "o.csv")
    assert result.exit_code == 2 and "--parse-dates is for CSV DATA" in result.stderr


def test_several_tables_want_a_directory_not_a_file_name(workdir: Path) -> None:
    readings().to_csv(workdir / "data.csv", index=False)
    pd.DataFrame({"code": ["abc"], "n": [1]}).to_csv(workdir / "codes.csv", index=False)
    args = ["data.csv", "codes.csv", "--test", "pipe_mod:negative"]
    args += ["--contract", "pipe_mod:Readings", "--contract", "pipe_mod:Codes"]
    result = invoke(*args, "-o", "minimal/x.csv")
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines()[-1] == (
        "Error: with several DATA files OUT is a directory that receives one file per table, "
        "not a file name like 'minimal/x.csv'; pass e.g. -o minimal/x"
    )
    assert not (workdir / "minimal").exists()
