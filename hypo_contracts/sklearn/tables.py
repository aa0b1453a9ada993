"""Terminal rendering of the drift and feature-use reports: a ``rich`` table on a terminal,
the report's plain text (its ``str()``) anywhere else (pytest failure messages, logs, files).

>>> from io import StringIO
>>> from rich.console import Console
>>> table = report_table("check", ("name", "outcome"), [("a", "held")], {"held": "green"})
>>> console = Console(file=StringIO(), force_terminal=True, width=40, color_system=None)
>>> console.print(table)
>>> "┃ name ┃ outcome ┃" in console.file.getvalue()
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.console import Console, RenderResult
from rich.table import Table
from rich.text import Text

__all__ = ["OUTCOME_STYLES", "render_report", "report_table"]

#: The style of each outcome word in a report table (others: unstyled).
OUTCOME_STYLES = {
    "held": "green",
    "raised": "yellow",
    "n/a": "dim",
    "changed": "bold red",
    "predicted": "bold red",
    "used": "green",
    "UNUSED": "bold red",
}


def report_table(
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    styles: Mapping[str, str] = OUTCOME_STYLES,
) -> Table:
    """A ``rich`` table of ``rows`` under ``headers``; a cell whose whole text is a key of
    ``styles`` gets that style."""
    table = Table(title=title, title_justify="left")
    for header in headers:
        table.add_column(header, overflow="fold")
    for row in rows:
        table.add_row(*(Text(cell, style=styles.get(cell, "")) for cell in row))
    return table


def render_report(console: Console, table: Table, plain: str) -> RenderResult:
    """What a report's ``__rich_console__`` yields: ``table`` on a terminal, else the plain
    text ``plain`` (the report's ``str()``)."""
    yield table if console.is_terminal else Text(plain)
