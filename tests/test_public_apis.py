"""Dependencies' public APIs only, and a weak type registry (issue 10, items 1-3)."""

from __future__ import annotations

import gc
import re
import weakref
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st

from hypo_contracts import Int64, data_contract, frames, tables, with_values
from hypo_contracts.strategies import note_when_reported

PACKAGE = Path(__file__).resolve().parent.parent / "hypo_contracts"
FEW = settings(max_examples=5, database=None, derandomize=True)


def test_no_private_names_of_dependencies_are_imported():
    """The one private name left is the regex parser, behind one tested adapter
    (``_regex._parser``, see docs/design.md)."""
    private = re.compile(
        r"hypothesis\.internal|hypothesis\.[a-z_.]*\._|current_build_context|"
        r"pandas\._|pandera\._|mlflow\._|rstr\._|"
        r"\bre\._|sre_parse|sre_constants"
    )
    hits = [
        f"{path.relative_to(PACKAGE)}:{i}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for i, line in enumerate(path.read_text().splitlines(), 1)
        if private.search(line)
    ]
    assert [hit for hit in hits if not hit.startswith("_regex.py:")] == []


def _subclasses(cls: type) -> list[type]:
    return [c for sub in cls.__subclasses__() for c in (sub, *_subclasses(sub))]


def test_no_class_of_ours_subclasses_search_strategy():
    import hypo_contracts.patterns  # noqa: F401  (the module that used to)

    ours = [c for c in _subclasses(st.SearchStrategy) if c.__module__.startswith("hypo_contracts")]
    assert ours == []


# ------------------------------------------------------------------------------------------
# notes: rendered only when Hypothesis reports them


def test_a_note_is_rendered_only_on_the_reported_run():
    renders: list[int] = []

    def render() -> str:
        renders.append(1)
        return "the culprit\n  on two lines"

    @FEW
    @given(st.integers(0, 10))
    def passes(x: int) -> None:
        note_when_reported(render)

    passes()
    assert renders == []

    @settings(max_examples=50, database=None, derandomize=True)
    @given(st.integers(0, 10))
    def fails(x: int) -> None:
        note_when_reported(render)
        assert x < 3

    with pytest.raises(AssertionError) as err:
        fails()
    assert "the culprit\n  on two lines" in err.value.__notes__
    assert len(renders) == 1
    note_when_reported(render)  # outside a test: nothing to note on, no error
    assert len(renders) == 1


@data_contract
class Parents:
    parent_id = Int64().lower_bound(1).is_unique()


@data_contract
class Children:
    parent_id = Int64().references(Parents, "parent_id")
    size = Int64().bounded_between(0, 9)


def test_tables_note_every_table_on_the_reported_run():
    @settings(max_examples=50, database=None, derandomize=True)
    @given(tables(Parents, Children, rows={Parents: 1, Children: 1}))
    def fails(t) -> None:
        assert t[Children]["size"].iloc[0] < 1

    with pytest.raises(AssertionError) as err:
        fails()
    notes = [n for n in err.value.__notes__ if n.startswith("tables():")]
    assert notes == [
        "tables(): Parents: 1 row(s)\n   parent_id\n0          1",
        "tables(): Children: 1 row(s)\n   parent_id  size\n0          1     1",
    ]


# ------------------------------------------------------------------------------------------
# pattern strategies: public Hypothesis strategies


def test_a_pattern_is_a_public_strategy_with_a_seeded_example():
    @data_contract
    class Wine:
        alcohol = Int64().bounded_between(0, 20)
        quality = Int64().bounded_between(0, 10)

    pattern = with_values(Wine, {"alcohol": [11, 14]})
    assert type(pattern).__module__.startswith("hypothesis.")
    assert repr(pattern) == "with_values(Wine, {'alcohol': [...2 values]}, others='constant')"
    assert repr(pattern.example) == f"{pattern!r}.example"
    assert find(pattern, lambda df: True)["quality"].tolist() == [0, 0]
    pd.testing.assert_frame_equal(pattern.example(seed=3), pattern.example(seed=3))
    flat = pattern.flatmap(lambda df: st.just(len(df)))
    assert find(flat, lambda n: True) == 2


# ------------------------------------------------------------------------------------------
# the type registry does not keep contracts alive


def _declare() -> type:
    @data_contract
    class Passing:
        x = Int64().bounded_between(0, 3)

    return Passing


def test_a_contract_out_of_scope_is_garbage_collected():
    contract = _declare()
    contract.example(2, seed=0)
    find(frames(contract, rows=1), lambda df: True)
    ref = weakref.ref(contract)
    del contract
    gc.collect()
    assert ref() is None


def test_from_type_resolves_a_live_contract_and_only_contracts():
    contract = _declare()

    @FEW
    @given(st.from_type(contract))
    def run(df: pd.DataFrame) -> None:
        assert list(df.columns) == ["x"] and df["x"].between(0, 3).all()

    run()
    assert find(st.from_type(contract), lambda df: len(df) == 2)["x"].tolist() == [0, 0]
    assert issubclass(contract, object) and not issubclass(int, contract)
    # other types are not resolved to frames: the resolver answers NotImplemented
    assert not isinstance(find(st.from_type(object), lambda v: True), pd.DataFrame)
    assert "frames" not in repr(st.from_type(object))
