"""The ``hypo-contracts`` command line: ``demo`` (and ``shrink``, see docs/shrinking.md)."""

from __future__ import annotations

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


if __name__ == "__main__":  # pragma: no cover
    main()
