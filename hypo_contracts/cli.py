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


@main.command(name="shrink")
@click.argument("data", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--test",
    "test_spec",
    required=True,
    metavar="MODULE:FUNCTION",
    help="The pipeline to debug: called with the frame, fails by raising.",
)
@click.option(
    "--contract",
    "contract_spec",
    metavar="MODULE:CLASS",
    help="Keep every candidate valid for this @data_contract (CSV columns are cast to it).",
)
@click.option(
    "--any-failure", is_flag=True, help="Accept any exception, not only the original one."
)
@click.option("--max-calls", type=click.IntRange(min=1), help="Stop after this many test calls.")
@click.option(
    "--timeout", type=click.FloatRange(min=0, min_open=True), help="Stop after this many seconds."
)
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the minimal frame (.csv or .parquet).",
)
@click.option(
    "--pytest",
    "pytest_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write a pytest regression test with the minimal frame as a literal.",
)
@click.option(
    "--progress/--no-progress", default=None, help="Progress display (default: on a terminal)."
)
def shrink_command(
    data: Path,
    test_spec: str,
    contract_spec: str | None,
    any_failure: bool,
    max_calls: int | None,
    timeout: float | None,
    out: Path,
    pytest_out: Path | None,
    progress: bool | None,
) -> None:
    """Shrink DATA (CSV or Parquet) to the smallest frame on which the test still fails.

    Exit status: 0 shrunk (OUT written), 1 the test does not fail on DATA, 2 usage errors and
    unusable inputs, 130 interrupted before the first failure was confirmed. DATA is never
    modified.
    """
    from ._cli_shrink import run

    code = run(
        data, test_spec, contract_spec, any_failure, max_calls, timeout, out, pytest_out, progress
    )
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
