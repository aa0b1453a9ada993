"""One argument policy, every public entry point (Hypothesis's ``BAD_ARGS`` style).

A bad argument raises :class:`hypo_contracts.InvalidArgument` (also Hypothesis's
``InvalidArgument`` and a ``ValueError``) whose message starts with ``func(Contract, ...): ``
and says what to do; the CLI turns the same mistakes into exit code 2 and one line.
"""

from __future__ import annotations

import re
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument as HypothesisInvalidArgument

from hypo_contracts import (
    Float64,
    Int64,
    InvalidArgument,
    data_contract,
    example_tables,
    features_for,
    frames,
    from_frictionless,
    from_odcs,
    planted,
    records,
    shrink,
    tables,
    validate_tables,
    with_values,
)
from hypo_contracts.cli import main
from hypo_contracts.examples import Customers, Orders, WineQuality


@data_contract
class Points:
    pid = Int64().bounded_between(0, 4).is_unique()
    x = Float64().bounded_between(0, 1)


def _draw(strategy: st.SearchStrategy[Any]) -> None:
    strategy.validate()


def _pipeline() -> Any:
    from sklearn.dummy import DummyClassifier

    return DummyClassifier()


def _check_pipeline(**kwargs: Any) -> None:
    from hypo_contracts.sklearn import check_pipeline

    check_pipeline(_pipeline, WineQuality, **kwargs)


SHOP = {
    Customers: pd.DataFrame({"customer_id": [1], "segment": ["retail"]}),
    Orders: pd.DataFrame({"order_id": [1], "customer_id": [1], "amount": [2.0]}),
}


def _check_pipeline_on(**tables: Any) -> None:
    from hypo_contracts.sklearn import check_pipeline_on

    train, new = tables.get("train", SHOP), tables.get("new", SHOP)
    check_pipeline_on(_pipeline, (Customers, Orders), train, new, target="segment")


def _fails(frame: pd.DataFrame) -> None:
    raise ValueError("always")


FRAME = pd.DataFrame({"x": [0.5]})
PACKAGE = {
    "resources": [
        {"name": "p", "path": "p.csv", "schema": {"fields": [{"name": "x", "type": "integer"}]}}
    ]
}
ODCS = "schema:\n  - name: t\n    properties:\n      - {name: x, logicalType: integer}\n"

BAD_ARGS: list[tuple[str, Callable[[], Any], str]] = [
    # frames / records
    (
        "frames rows<0",
        lambda: frames(Points, rows=-1),
        r"^frames\(Points, \.\.\.\): rows=-1 must be >= 0",
    ),
    (
        "frames rows float",
        lambda: frames(Points, rows=1.5),
        r"^frames\(Points, \.\.\.\): rows=1\.5 must be a whole number",
    ),
    (
        "frames rows and range",
        lambda: frames(Points, rows=3, max_rows=4),
        r"^frames\(Points, \.\.\.\): Pass either rows=3",
    ),
    (
        "frames min>max",
        lambda: frames(Points, min_rows=5, max_rows=2),
        r"^frames\(Points, \.\.\.\): min_rows=5 > max_rows=2",
    ),
    (
        "frames unique room",
        lambda: frames(Points, rows=6),
        r"^frames\(Points, \.\.\.\): Points\.pid is unique with only 5",
    ),
    (
        "frames max above room",
        lambda: frames(Points, max_rows=9),
        r"^frames\(Points, \.\.\.\): max_rows=9: Points\.pid is unique",
    ),
    (
        "frames columns str",
        lambda: frames(Points, columns="x"),
        r"^frames\(Points, \.\.\.\): columns='x' must be a list",
    ),
    (
        "frames unknown column",
        lambda: frames(Points, columns=["y"]),
        r"^frames\(Points, \.\.\.\): Points has no column 'y'",
    ),
    (
        "frames repeated column",
        lambda: frames(Points, columns=["x", "x"]),
        r"^frames\(Points, \.\.\.\): columns repeats 'x'",
    ),
    (
        "frames not a contract",
        lambda: frames(FRAME),
        r"^frames\(\) expects a class decorated with @data_contract, but got a DataFrame of shape \(1, 1\)",
    ),
    (
        "records unknown column",
        lambda: records(Points, columns=["y"]),
        r"^records\(Points, \.\.\.\): Points has no column 'y'",
    ),
    # patterns
    (
        "with_values unknown",
        lambda: with_values(Points, {"y": [1]}),
        r"^with_values\(Points, \.\.\.\): pins 'y', a column Points does not declare",
    ),
    (
        "with_values others",
        lambda: with_values(Points, {"x": [0.5]}, others="x"),
        r"^with_values\(\): others='x' must be",
    ),
    (
        "features_for unknown",
        lambda: features_for(Points, {"y": [1]}),
        r"^features_for\(Points, \.\.\.\): pins 'y'",
    ),
    (
        "features_for columns",
        lambda: features_for(Points, {"x": [0.5]}, columns=["y"]),
        r"^features_for\(Points, \.\.\.\): Points has no column 'y'",
    ),
    (
        "planted unknown target",
        lambda: planted(Points, "y", lambda df: df["x"]),
        r"^planted\(Points, \.\.\.\): targets 'y'",
    ),
    ("planted rule", lambda: planted(Points, "x", 3), r"rule=3 must be a function"),
    (
        "planted rows",
        lambda: planted(Points, "x", lambda df: df["x"], rows=-2),
        r"^planted\(Points, \.\.\.\): rows=-2 must be >= 0",
    ),
    (
        "pattern example seed",
        lambda: with_values(Points, {"x": [0.5]}).example(seed=-1),
        r"\.example\(seed=-1\): the seed must be an int >= 0",
    ),
    # the numpy sampler, validation, coercion
    (
        "example n<0",
        lambda: Points.example(-1),
        r"^example\(Points, \.\.\.\): n=-1 must be a whole number",
    ),
    (
        "example n float",
        lambda: Points.example(2.5),
        r"^example\(Points, \.\.\.\): n=2\.5 must be a whole number",
    ),
    (
        "example seed<0",
        lambda: Points.example(3, seed=-1),
        r"^example\(Points, \.\.\.\): seed=-1 must be an int >= 0",
    ),
    (
        "example unique room",
        lambda: Points.example(7, seed=0),
        r"^example\(Points, \.\.\.\): Points\.pid is unique with only 5",
    ),
    (
        "validate not a frame",
        lambda: Points.validate([1, 2]),
        r"^validate\(Points, \.\.\.\): expects a pandas DataFrame \(or a polars one\), not list",
    ),
    (
        "coerce not a frame",
        lambda: Points.coerce([1, 2]),
        r"^coerce\(Points, \.\.\.\): expects a pandas DataFrame, not list",
    ),
    # shrink
    (
        "shrink not a frame",
        lambda: shrink([1], _fails),
        r"^shrink\(\.\.\.\): expects a pandas or a polars DataFrame \(or a mapping of tables\), not list",
    ),
    ("shrink test", lambda: shrink(FRAME, 3), r"^shrink\(\.\.\.\): test=3 must be callable"),
    (
        "shrink max_calls",
        lambda: shrink(FRAME, _fails, max_calls=0),
        r"^shrink\(\.\.\.\): max_calls=0 must be a whole number >= 1",
    ),
    (
        "shrink timeout",
        lambda: shrink(FRAME, _fails, timeout=-1),
        r"^shrink\(\.\.\.\): timeout=-1 must be a number of seconds",
    ),
    (
        "shrink progress",
        lambda: shrink(FRAME, _fails, progress="yes"),
        r"^shrink\(\.\.\.\): progress='yes' must be True",
    ),
    (
        "shrink same_failure",
        lambda: shrink(FRAME, _fails, same_failure="yes"),
        r"^shrink\(\.\.\.\): same_failure='yes' must be True or False",
    ),
    (
        "shrink contract",
        lambda: shrink(FRAME, _fails, contract=FRAME),
        r"expects a class decorated with @data_contract",
    ),
    # check_pipeline
    (
        "check_pipeline target",
        lambda: _check_pipeline(target="score"),
        r"target='score' is not a column of WineQuality",
    ),
    ("check_pipeline rows", lambda: _check_pipeline(target="quality", min_rows=0), r"min_rows"),
    (
        "check_pipeline roundtrip",
        lambda: _check_pipeline(target="quality", roundtrip=["pickle"]),
        r"pickle",
    ),
    (
        "check_pipeline prefix",
        lambda: _check_pipeline(target="quality", max_rows=0),
        r"^check_pipeline\(WineQuality, \.\.\.\): max_rows=0 must be a whole number >= 20\.$",
    ),
    (
        "check_pipeline_on tables not a mapping",
        lambda: _check_pipeline_on(train=[FRAME]),
        r"^check_pipeline_on\(Customers, \.\.\.\): train must be a mapping contract -> frame "
        r"such as \{Customers: customers_df, Orders: orders_df\}, not a list\.$",
    ),
    (
        "check_pipeline_on table missing",
        lambda: _check_pipeline_on(train={Customers: SHOP[Customers]}),
        r"^check_pipeline_on\(Customers, \.\.\.\): train has no table Orders; give Customers, "
        r"Orders\.$",
    ),
    (
        "check_pipeline_on table not a frame",
        lambda: _check_pipeline_on(new={Customers: SHOP[Customers], "Orders": [1]}),
        r"^check_pipeline_on\(Customers, \.\.\.\): new\[Orders\] must be a pandas DataFrame, "
        r"not a list\.$",
    ),
    (
        "check_pipeline_on table of another contract",
        lambda: _check_pipeline_on(train={**SHOP, Points: FRAME}),
        r"^check_pipeline_on\(Customers, \.\.\.\): train has a table Points that is none of "
        r"Customers, Orders\.$",
    ),
    # related tables
    (
        "example_tables seed",
        lambda: example_tables(Points, seed="x"),
        r"^example_tables\(Points, \.\.\.\): seed='x' must be an int >= 0 or None\.$",
    ),
    (
        "validate_tables list",
        lambda: validate_tables([FRAME]),
        r"^validate_tables\(\.\.\.\): pass a mapping contract -> frame such as "
        r"\{Customers: customers_df, Orders: orders_df\}, not a list\.$",
    ),
    (
        "validate_tables value",
        lambda: validate_tables({Points: [1]}),
        r"^validate_tables\(Points, \.\.\.\): the value for Points is of type list; pass a "
        r"pandas or polars DataFrame\.$",
    ),
    (
        "tables not a contract",
        lambda: tables(Points, 3),
        r"^tables\(Points, \.\.\.\): each contract must be a class decorated with "
        r"@data_contract, but got 3\.",
    ),
    # formats
    (
        "from_frictionless resource",
        lambda: from_frictionless(PACKAGE, resource="nope"),
        r"^from_frictionless\(\.\.\.\): resource='nope' is not a resource of Data Package; "
        r"pass one of 'p'\.$",
    ),
    (
        "from_odcs schema",
        lambda: from_odcs(ODCS, schema="nope"),
        r"^from_odcs\(\.\.\.\): schema='nope' is not a schema object of ODCS document; "
        r"pass one of 't'\.$",
    ),
]


@pytest.mark.parametrize(("case", "call", "message"), BAD_ARGS, ids=[c[0] for c in BAD_ARGS])
def test_bad_arguments_raise_invalid_argument(case: str, call: Callable[[], Any], message: str):
    with pytest.raises(InvalidArgument) as err:
        result = call()
        if isinstance(result, st.SearchStrategy):
            _draw(result)
    assert re.search(message, str(err.value)), str(err.value)
    # one exception type, three ways to catch it
    assert isinstance(err.value, HypothesisInvalidArgument)
    assert isinstance(err.value, ValueError) and isinstance(err.value, TypeError)


CLI_MODULE = textwrap.dedent(
    """
    from hypo_contracts import data_contract, Float64

    @data_contract
    class Parent:
        x = Float64()

    class UndecoratedChild(Parent):
        y = Float64()

    def fails(frame):
        raise ValueError("always")
    """
)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--contract", "cli_mod:UndecoratedChild"],
            "UndecoratedChild subclasses the contract Parent",
        ),
        (["--contract", "cli_mod:fails"], "is not a @data_contract class"),
        (["--max-calls", "-1"], "is not in the range x>=1"),
        (["--test", "cli_mod:missing"], "has no attribute"),
    ],
)
def test_cli_usage_errors_exit_2_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
):
    (tmp_path / "cli_mod.py").write_text(CLI_MODULE)
    pd.DataFrame({"x": [1.0, 2.0]}).to_csv(tmp_path / "data.csv", index=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path])
    monkeypatch.delitem(sys.modules, "cli_mod", raising=False)
    base = ["shrink", "data.csv", "--test", "cli_mod:fails", "-o", "out.csv"]
    if "--test" in args:
        base = ["shrink", "data.csv", "-o", "out.csv"]
    result = CliRunner().invoke(main, [*base, *args])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out.csv").exists()
