"""The ``hypo-contracts`` command line: ``demo`` (and ``shrink``, see docs/shrinking.md)."""

from __future__ import annotations

import sys
from pathlib import Path

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


if __name__ == "__main__":  # pragma: no cover
    main()
