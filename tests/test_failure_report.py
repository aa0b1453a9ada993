"""What Hypothesis prints for a failing frame: every column that differs from the simplest
row, at any frame size, never truncated by pandas' display options (issue 9, item 5)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings

from hypo_contracts import Int64, data_contract, frames

Wide = data_contract(
    type("Wide", (), {f"f{i:02d}": Int64().bounded_between(0, 100) for i in range(20)})
)


@data_contract
class Narrow:
    a = Int64().bounded_between(0, 100)
    b = Int64().bounded_between(0, 100)


def _report(test) -> str:
    with pytest.raises(AssertionError) as err:
        test()
    return "\n".join(getattr(err.value, "__notes__", []))


def test_a_wide_three_row_frame_shows_the_culprit_column_and_value():
    @settings(max_examples=100, database=None, derandomize=True)
    @given(frames(Wide, rows=3))
    def test(df: pd.DataFrame) -> None:
        assert not (df["f07"] > 50).any()

    with pd.option_context("display.max_columns", 5, "display.width", 40):
        report = _report(test)
    note = next(line for line in report.split("\n\n") if line.startswith("frames(Wide)"))
    head, columns, row = note.splitlines()[:3]
    assert "1 of 20 columns that differ" in head
    assert columns.split() == ["f07"]
    assert row.split()[1:] == ["51"]  # after the row number: the minimal failing value


def test_a_narrow_small_frame_shows_every_column():
    @settings(max_examples=100, database=None, derandomize=True)
    @given(frames(Narrow, min_rows=1, max_rows=5))
    def test(df: pd.DataFrame) -> None:
        assert not (df["b"] > 7).any()

    report = _report(test)
    assert "frames(Narrow): 1 rows; the 1 row(s) that differ" in report
    assert "with all columns" in report
    lines = report.splitlines()
    header = lines.index(next(line for line in lines if line.startswith("frames(Narrow)")))
    assert lines[header + 1].split() == ["a", "b"]
    assert lines[header + 2].split() == ["0", "0", "8"]
