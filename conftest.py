"""Test-suite settings: CI runs Hypothesis derandomized, so a submission's result does not
depend on luck; local runs stay random and keep exploring."""

from __future__ import annotations

import os

from hypothesis import Phase, settings

# No explain phase: it re-runs every failing example hundreds of times only to annotate the
# report (most of the time of the tests that shrink tables or wide frames); nothing asserts it.
settings.register_profile(
    "hypo-contracts-ci",
    derandomize=True,
    deadline=None,
    print_blob=True,
    phases=[phase for phase in Phase if phase is not Phase.explain],
)
if os.environ.get("CI"):
    settings.load_profile("hypo-contracts-ci")


def pytest_collection_modifyitems(config: object, items: list[object]) -> None:
    """The doctests show what pandas 3 prints (``str`` columns, ``us`` units): on pandas 2
    (Python 3.10 has no pandas 3) they are skipped; the unit tests still run."""
    import pandas as pd
    import pytest

    if int(pd.__version__.split(".")[0]) >= 3:
        return
    skip = pytest.mark.skip(reason="doctests show pandas 3 output")
    skip_marked = pytest.mark.skip(reason="asserts pandas 3 behaviour (str dtype, us units)")
    for item in items:
        if type(item).__name__ == "DoctestItem":
            item.add_marker(skip)  # type: ignore[attr-defined]
        elif item.get_closest_marker("pandas3") is not None:  # type: ignore[attr-defined]
            item.add_marker(skip_marked)  # type: ignore[attr-defined]
