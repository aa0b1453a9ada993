"""The ``hypo-contracts`` command line: ``demo``, ``shrink`` (docs/shrinking.md), and
``infer``, ``generate``, ``validate`` (docs/interop.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="hypo-contracts")
def main() -> None:
    """Data contracts that compile into Hypothesis strategies."""


@main.command()
def demo() -> None:
    """Tell the article's story on the built-in WineQuality contract."""
    from .demo import run

    run()


@main.command(name="shrink", short_help="Shrink a CSV/Parquet file that breaks a pipeline.")
@click.argument("data", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--test",
    "test_spec",
    required=True,
    metavar="MODULE:FUNCTION",
    help="The function to debug, called with a data frame; it fails by raising. MODULE is "
    "imported from the current directory first.",
)
@click.option(
    "--contract",
    "contract_spec",
    metavar="MODULE:CLASS",
    multiple=True,
    help="Keep every candidate valid for this @data_contract (CSV columns are cast to it). "
    "With several DATA files (related tables), one --contract per file, in the same order.",
)
@click.option(
    "--parse-dates",
    "parse_dates",
    metavar="COL[,COL]",
    help="CSV columns to read as timestamps (without --contract, CSV timestamps are text).",
)
@click.option(
    "--any-failure", is_flag=True, help="Accept any exception, not only the original one."
)
@click.option(
    "--max-calls",
    type=click.IntRange(min=1),
    metavar="N",
    help="Stop after N test calls (the best frame so far is written).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="Stop after this many seconds (checked between calls).",
)
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    metavar="OUT",
    type=click.Path(path_type=Path),
    help="Where to write the minimal frame (.csv or .parquet); with several DATA files, a "
    "directory that receives one file per table, under the input file's name.",
)
@click.option(
    "--pytest",
    "pytest_out",
    metavar="TEST_FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write a pytest regression test with the minimal frame as a literal.",
)
@click.option(
    "--progress/--no-progress", default=None, help="Progress display (default: on a terminal)."
)
def shrink_command(
    data: tuple[Path, ...],
    test_spec: str,
    contract_spec: tuple[str, ...],
    parse_dates: str | None,
    any_failure: bool,
    max_calls: int | None,
    timeout: float | None,
    out: Path,
    pytest_out: Path | None,
    progress: bool | None,
) -> None:
    """Shrink DATA (CSV or Parquet) to the smallest frame on which the test still fails
    the same way (same exception type, raised at the same line), and write it to OUT.

    \b
    Example, for train(df) in ./pipeline.py and Orders in ./contracts.py:
      hypo-contracts shrink extract.csv --test pipeline:train \\
          --contract contracts:Orders -o minimal.parquet --pytest test_minimal.py

    \b
    Related tables (the test gets a mapping contract -> frame; docs/tables.md):
      hypo-contracts shrink customers.csv orders.parquet --test pipeline:join \\
          --contract contracts:Customers --contract contracts:Orders -o minimal/

    Exit status: 0 shrunk (OUT written; also when stopped early by --max-calls or --timeout,
    with the best frame so far), 1 the test does not fail on DATA, 2 usage errors and
    unusable inputs, 130 interrupted before the first failure was confirmed. DATA is never
    modified. More in docs/shrinking.md.
    """
    from ._cli_shrink import run

    if len(data) > 1:
        from ._cli_tables import run_tables

        if parse_dates:
            raise click.UsageError("--parse-dates is for one DATA file")
        sys.exit(
            run_tables(
                list(data),
                test_spec,
                list(contract_spec),
                any_failure,
                max_calls,
                timeout,
                out,
                progress,
                pytest_out,
            )
        )
    if len(contract_spec) > 1:
        raise click.UsageError("one DATA file takes at most one --contract")
    if out.is_dir():
        raise click.UsageError(f"OUT {str(out)!r} is a directory; name a .csv or .parquet file")
    dates = [c.strip() for c in parse_dates.split(",") if c.strip()] if parse_dates else None
    code = run(
        data[0],
        test_spec,
        contract_spec[0] if contract_spec else None,
        any_failure,
        max_calls,
        timeout,
        out,
        pytest_out,
        progress,
        dates,
    )
    sys.exit(code)


_CONTRACT_HELP = (
    "MODULE:CLASS, FILE.py[:CLASS], or a pandera, Frictionless or ODCS file "
    "(.yaml/.yml/.json, told apart by content; FILE.yaml:SCHEMA picks an ODCS schema)."
)


@main.command(name="infer", short_help="Infer a contract from a CSV/Parquet file.")
@click.argument("data", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the contract here: Python source (.py) or ODCS YAML (.yaml); default stdout.",
)
@click.option("--name", default="Inferred", show_default=True, help="The contract's class name.")
@click.option(
    "--margin",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    help="Widen every observed range by this fraction of itself on each side.",
)
@click.option(
    "--max-values",
    type=click.IntRange(min=0),
    default=10,
    show_default=True,
    help="Strings and integers with at most this many distinct, repeating values get "
    "accepted_values.",
)
def infer_command(data: Path, out: Path | None, name: str, margin: float, max_values: int) -> None:
    """Infer a data contract from DATA (.csv or .parquet; ISO date/timestamp text in a CSV is
    parsed) and write it as a @data_contract class. Exit status: 0 written, 2 unusable input.

    \b
    Example:
      hypo-contracts infer orders.csv --name Orders -o contracts.py
    """
    from .formats.commands import run_infer

    sys.exit(run_infer(data, out, name, margin, max_values))


@main.command(name="generate", short_help="Write rows that satisfy a contract.")
@click.argument("contract_spec", metavar="CONTRACT")
@click.option("-n", "--rows", type=click.IntRange(min=0), default=1000, show_default=True)
@click.option("--seed", type=int, default=None, help="The same seed gives the same file.")
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    help="The file to write: .parquet or .csv (written atomically); with --engine dask, a "
    "new folder that receives one Parquet file per partition.",
)
@click.option(
    "--engine",
    type=click.Choice(["pandas", "dask"]),
    default="pandas",
    show_default=True,
    help="pandas: one frame in memory, one file. dask: partitions written by the workers of "
    "a dask.distributed cluster (docs/engines.md).",
)
@click.option(
    "--partition-rows",
    type=click.IntRange(min=1),
    metavar="N",
    help="With --engine dask: rows per partition and file (default 1000000).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="With --engine dask: the scheduler to use (e.g. tcp://10.0.0.5:8786; 'synchronous' "
    "writes in this process); default a LocalCluster of one single-threaded worker process "
    "per core on loopback.",
)
@click.option(
    "--ignore-unsupported",
    is_flag=True,
    help="Drop what a pandera/Frictionless/ODCS contract file says that no contract can "
    "express (listed in a warning) instead of failing.",
)
@click.option(
    "--progress/--no-progress", default=None, help="Progress bar (default: on a terminal)."
)
def generate_command(
    contract_spec: str,
    rows: int,
    seed: int | None,
    out: Path,
    engine: str,
    partition_rows: int | None,
    scheduler: str | None,
    progress: bool | None,
    ignore_unsupported: bool,
) -> None:
    """Write ROWS rows that satisfy CONTRACT to OUT, drawn with the numpy sampler.

    CONTRACT is MODULE:CLASS, FILE.py[:CLASS], or a pandera, Frictionless or ODCS file
    (.yaml/.yml/.json; FILE.yaml:SCHEMA picks one ODCS schema).

    \b
    Example:
      hypo-contracts generate contracts:Orders -n 1000000 --seed 0 -o orders.parquet

    \b
    A big dataset, one Parquet file per partition, on a dask.distributed cluster:
      hypo-contracts generate contracts:Orders -n 100000000 --seed 0 \\
          --engine dask --partition-rows 1000000 -o orders/

    Exit status: 0 written, 2 usage errors and unusable contracts (nothing is written; a
    dataset folder appears only once every partition is written).
    """
    from .formats.commands import run_generate, run_generate_dask

    unsupported: Literal["error", "ignore"] = "ignore" if ignore_unsupported else "error"
    if engine == "dask":
        sys.exit(
            run_generate_dask(
                contract_spec, rows, seed, out, partition_rows, scheduler, progress, unsupported
            )
        )
    for option, value in (("--partition-rows", partition_rows), ("--scheduler", scheduler)):
        if value is not None:
            raise click.UsageError(
                f"{option} is for --engine dask (the pandas engine writes one file)"
            )
    if out.is_dir():
        raise click.UsageError(f"-o {str(out)!r} is a directory; name a .csv or .parquet file")
    sys.exit(run_generate(contract_spec, rows, seed, out, progress, unsupported))


@main.command(name="validate", short_help="Check a CSV/Parquet file against a contract.")
@click.argument("data", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--contract", "contract_spec", required=True, metavar="CONTRACT", help=_CONTRACT_HELP)
@click.option(
    "--ignore-unsupported",
    is_flag=True,
    help="Drop what a pandera/Frictionless/ODCS contract file says that no contract can "
    "express (listed in a warning) instead of failing.",
)
def validate_command(data: Path, contract_spec: str, ignore_unsupported: bool) -> None:
    """Validate DATA (.csv or .parquet) against the contract; columns are cast to the
    contract's dtypes first (Contract.read_csv / read_parquet).

    \b
    Example:
      hypo-contracts validate orders.csv --contract orders.odcs.yaml

    Exit status: 0 valid, 1 violations (the report on stdout), 2 usage errors.
    """
    from .formats.commands import run_validate

    unsupported: Literal["error", "ignore"] = "ignore" if ignore_unsupported else "error"
    sys.exit(run_validate(data, contract_spec, unsupported))


if __name__ == "__main__":  # pragma: no cover
    main()
