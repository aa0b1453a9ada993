"""The drift and feature-use reports' one shape (:class:`RowReport`) and their terminal
rendering: a ``rich`` table on a terminal, the report's plain text (its ``str()``) anywhere
else (pytest failure messages, logs, files).

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
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

import pandas as pd
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text

__all__ = ["OUTCOME_STYLES", "RowReport", "render_report", "report_table"]

Row = TypeVar("Row")

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


@dataclass(frozen=True)
class RowReport(Generic[Row]):
    """A report of one row per thing checked: ``to_frame``, ``str()`` (aligned plain text),
    ``to_table`` and ``rich`` rendering. A subclass says how a row reads (:meth:`cells`,
    :meth:`fields`, :meth:`passed`) and names its failed rows (e.g. ``failed``, ``unused``)
    after :meth:`bad_rows`.
    """

    rows: tuple[Row, ...]

    #: the title of the rich table (the check's name)
    title: ClassVar[str]
    #: the headers of :meth:`cells` (the rich table's columns)
    headers: ClassVar[tuple[str, ...]]
    #: the columns of :meth:`fields` (:meth:`to_frame`)
    frame_columns: ClassVar[tuple[str, ...]]
    #: one line of ``str()``: ``{w}`` is the width of the first cell over all rows
    line: ClassVar[str]

    def cells(self, row: Row) -> tuple[str, ...]:
        """The row as text, one cell per header."""
        raise NotImplementedError

    def fields(self, row: Row) -> tuple[Any, ...]:
        """The row's values, one per frame column."""
        raise NotImplementedError

    def passed(self, row: Row) -> bool:
        """Whether the row passed its check."""
        raise NotImplementedError

    def bad_rows(self) -> tuple[Row, ...]:
        return tuple(row for row in self.rows if not self.passed(row))

    def to_frame(self) -> pd.DataFrame:
        """The report as a frame, one row per row checked."""
        return pd.DataFrame([self.fields(r) for r in self.rows], columns=list(self.frame_columns))

    def __str__(self) -> str:
        cells = [self.cells(r) for r in self.rows]
        width = max((len(c[0]) for c in cells), default=0)
        return "\n".join(self.line.format(*c, w=width).rstrip() for c in cells)

    def to_table(self) -> Table:
        """The report as a ``rich`` table (outcome words coloured)."""
        return report_table(self.title, self.headers, [self.cells(r) for r in self.rows])

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """A table on a terminal, the plain text elsewhere (see :meth:`to_table`)."""
        return render_report(console, self.to_table(), str(self))
