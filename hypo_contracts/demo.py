"""``hypo-contracts demo``: the article's story, end to end, in the terminal.

Generate frames from the article's WineQuality contract, validate them, pin a pattern, train
a random forest and predict ``[4, 8]``, property-test a realistic pipeline, round-trip it
through an MLflow model registry, watch a planted bug get found and shrunk, first by
Hypothesis and then, on a production-like extract, by :func:`hypo_contracts.shrinking.shrink`,
and catch what plumbing checks cannot see: a forgotten feature
(:func:`~hypo_contracts.sklearn.check_feature_use`) and a step that reads its columns by
position (:func:`~hypo_contracts.sklearn.check_drift`).

Needs the ``sklearn`` and ``mlflow`` extras (``make demo`` installs them). Everything it
writes goes to a temporary folder that is removed afterwards.
"""

from __future__ import annotations

import tempfile
import time
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.syntax import Syntax
from rich.table import Table

__all__ = ["run"]

STEPS = 9


def _table(df: pd.DataFrame, columns: Sequence[str], *, title: str | None = None) -> Table:
    table = Table(title=title, title_justify="left", header_style="bold cyan", box=None)
    table.add_column("", style="dim", justify="right")
    for name in columns:
        table.add_column(name, justify="right")
    for index, row in df[list(columns)].iterrows():
        table.add_row(str(index), *(_cell(row[name]) for name in columns))
    return table


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "[dim]NaN[/dim]"
    if isinstance(value, (float, np.floating)):
        number = float(value)
        return f"{number:.4g}" if abs(number) < 1e6 else f"{number:.3e}"
    return str(value)


def _wine_contract() -> Any:
    from .contract import data_contract
    from .declaration import Category, Float64
    from .examples import WineQuality

    @data_contract
    class Wine(WineQuality):
        """WineQuality with the ranges of the UCI data, a colour, and two sensors that
        sometimes report nothing."""

        fixed_acidity = Float64().bounded_between(3.5, 16)
        volatile_acidity = Float64().bounded_between(0.05, 1.6)
        citric_acid = Float64().bounded_between(0, 1.7)
        residual_sugar = Float64().bounded_between(0.5, 66).is_optional()
        chlorides = Float64().bounded_between(0.005, 0.65)
        free_sulfur_dioxide = Float64().bounded_between(0, 290)
        total_sulfur_dioxide = Float64().bounded_between(0, 440)
        density = Float64().bounded_between(0.98, 1.04)
        sulphates = Float64().bounded_between(0.2, 2).is_optional()
        color = Category(["red", "white"])

    Wine.__qualname__ = "Wine"
    return Wine


#: The realistic contract of the demo's second half (importable, so regression tests can
#: import it: ``from hypo_contracts.demo import Wine``).
Wine: Any = _wine_contract()
FEATURES = [name for name in Wine.columns if name != "quality"]
NUMERIC = [name for name in FEATURES if name != "color"]


def _preprocessing(columns: list[str]) -> Any:
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    measurements = Pipeline(
        [
            ("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
            ("scale", StandardScaler()),
        ]
    )
    colour = OneHotEncoder(categories=[["red", "white"]], handle_unknown="ignore")
    return ColumnTransformer([("num", measurements, columns), ("cat", colour, ["color"])])


def wine_pipeline() -> Any:
    """The demo project's pipeline: impute + scale + one-hot + a small random forest."""
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.pipeline import Pipeline

    return Pipeline(
        [
            ("features", _preprocessing(NUMERIC)),
            ("model", RandomForestClassifier(n_estimators=10, random_state=0)),
        ]
    )


def broken_wine_pipeline() -> Any:
    """``wine_pipeline`` after someone added free / total sulfur dioxide as a feature."""
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer

    return Pipeline(
        [
            ("ratio", FunctionTransformer(_sulfur_ratio)),
            ("features", _preprocessing([*NUMERIC, "free_sulfur_ratio"])),
            ("model", RandomForestClassifier(n_estimators=10, random_state=0)),
        ]
    )


def _sulfur_ratio(X: pd.DataFrame) -> pd.DataFrame:
    out = X.copy()
    out["free_sulfur_ratio"] = X["free_sulfur_dioxide"] / X["total_sulfur_dioxide"]  # bug
    return out


@contextmanager
def _quiet() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@contextmanager
def _hypothesis_home(directory: Path) -> Iterator[None]:
    """Hypothesis keeps caches in ./.hypothesis; the demo leaves nothing behind."""
    from hypothesis import configuration

    configuration.set_hypothesis_home_dir(directory)
    try:
        yield
    finally:
        configuration.set_hypothesis_home_dir(None)


def run(console: Console | None = None) -> None:
    """Tell the story (about ten seconds); writes only to a temporary folder."""
    console = console or Console(highlight=False)
    start = time.perf_counter()
    with (
        tempfile.TemporaryDirectory(prefix="hypo-demo-") as tmp,
        _hypothesis_home(Path(tmp) / "hypothesis"),
    ):
        _story(console, Path(tmp))
    console.print()
    console.rule(f"[bold green]done in {time.perf_counter() - start:.0f} s", align="left")


def _story(console: Console, tmp: Path) -> None:
    from hypothesis import settings

    from . import patterns
    from .errors import ContractViolation
    from .examples import WineQuality
    from .shrinking import shrink
    from .sklearn import PipelineCheckFailed, check_pipeline

    article: Any = WineQuality
    step = iter(range(1, STEPS + 1))

    def heading(text: str) -> None:
        console.print()
        console.rule(f"[bold]{next(step)}/{STEPS}  {text}", align="left")

    console.print(
        Panel.fit(
            "[bold]hypo_contracts[/bold]: smoke-testing an ML pipeline from its data contract\n"
            "[dim]the story of 'Smoke Testing for ML Pipelines', run for real[/dim]"
        )
    )

    heading("Generate: frames from the article's WineQuality contract")
    df = article.example(5, seed=0)
    console.print(_table(df, ["alcohol", "pH", "residual_sugar", "density", "quality"]))
    bare = len(article.columns) - 3
    console.print(
        f"[dim]pH in [0, 14], alcohol in [0, 20], quality in [0, 10]; the other {bare} columns "
        "are bare Float64(), so anything goes (look at the density).[/dim]"
    )

    heading("Validate: the contract rejects what breaks it")
    article.validate(df)
    console.print(f"[green]✓[/green] the generated frame is valid ({len(df)} rows)")
    bad = df.copy()
    bad.loc[1, "pH"] = 15.2
    bad.loc[3, "quality"] = 11
    try:
        article.validate(bad)
    except ContractViolation as exc:
        console.print(f"[red]✗[/red] {escape(str(exc))}")

    heading("Pattern: pin alcohol and quality, hold everything else constant")
    values = {"alcohol": [11, 13, 15, 9, 14], "quality": [4, 8, 8, 4, 8]}
    train = patterns.with_values(article, values).example(seed=0)
    console.print(_table(train, ["alcohol", "quality", "pH", "density"]))
    console.print(
        escape(
            "with_values(WineQuality, {'alcohol': [11, 13, 15, 9, 14], 'quality': [4, 8, 8, 4, 8]})"
        ),
        style="dim",
    )

    heading("Train and predict: does the model find the pattern?")
    from sklearn.ensemble import RandomForestClassifier

    X, y = train.drop(columns="quality"), train["quality"]
    model = RandomForestClassifier(random_state=0).fit(X, y)
    new = patterns.features_for(article, {"alcohol": [11, 14]}, columns=X.columns).example(seed=1)
    predictions = model.predict(new).tolist()
    mark = "[green]✓[/green]" if predictions == [4, 8] else "[red]✗[/red]"
    console.print(
        f"{mark} RandomForestClassifier().fit(X, y).predict("
        f"features_for(WineQuality, {{'alcohol': [11, 14]}})) = {predictions}"
    )

    quiet = settings(database=None, derandomize=True)
    heading("Property test: the project's real pipeline on any valid data")
    console.print(
        "[dim]contract Wine(WineQuality): realistic ranges, a colour, two optional sensors\n"
        "pipeline: impute + scale + one-hot + random forest[/dim]"
    )
    fits = 0

    def counted() -> Any:
        nonlocal fits
        fits += 1
        return wine_pipeline()

    t0 = time.perf_counter()
    with _quiet():
        check_pipeline(counted, Wine, target="quality", max_examples=15, settings=quiet)
    console.print(
        f"[green]✓[/green] {fits} fresh pipelines trained and checked in "
        f"{time.perf_counter() - t0:.1f} s: one prediction per row, every label in quality's "
        "range, probabilities summing to 1, input frames untouched, the same predictions after "
        "a joblib round trip"
    )

    heading("Model registry: log, register and reload through MLflow")
    _registry_step(console, tmp, quiet)

    heading("A planted bug: someone adds free / total sulfur dioxide as a feature")
    t0 = time.perf_counter()
    try:
        with _quiet():
            check_pipeline(
                broken_wine_pipeline,
                Wine,
                target="quality",
                min_rows=10,
                max_rows=40,
                predict_rows=(1, 5),
                max_examples=30,
                settings=quiet,
            )
    except PipelineCheckFailed as exc:
        _show_failure(console, exc, time.perf_counter() - t0)
    else:  # pragma: no cover - the bug is always found
        console.print("[red]the planted bug was not found[/red]")

    heading("A production extract: shrink 5,000 rows to the one that matters")
    rule = patterns.planted(Wine, "quality", _alcohol_rule, rows=5_000)
    extract = rule.example(seed=11)
    extract["total_sulfur_dioxide"] = extract["total_sulfur_dioxide"].clip(lower=5.0)
    glitch = [1234, 3141, 4321]  # a batch whose total SO2 sensor read zero
    extract.loc[glitch, "total_sulfur_dioxide"] = 0.0
    extract.loc[glitch, "free_sulfur_dioxide"] = [12.0, 31.5, 7.25]
    console.print(
        f"[dim]{len(extract):,} valid rows on which training crashes; "
        "shrink(extract, train_broken, contract=Wine):[/dim]"
    )
    result = shrink(extract, _train_broken, contract=Wine, progress=False)
    console.print(
        f"[green]✓[/green] {len(extract):,} rows → {len(result.frame)} in {result.calls} calls "
        f"({result.elapsed:.1f} s), every other value back at its simplest:"
    )
    console.print(_table(result.frame, [*_SO2, "alcohol", "color", "quality"]))
    first = str(result.error).splitlines()[0]
    console.print(escape(f"{type(result.error).__name__}: {first}"), style="dim")
    console.print("[dim]result.to_pytest() writes the regression test.[/dim]")

    heading("Beyond plumbing: a forgotten feature, and columns read by position")
    _beyond_plumbing(console)


_SO2 = ["free_sulfur_dioxide", "total_sulfur_dioxide"]


def forgetful_wine_pipeline() -> Any:
    """``wine_pipeline`` after a refactor that left alcohol out of the numeric columns."""
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.pipeline import Pipeline

    return Pipeline(
        [
            ("features", _preprocessing([n for n in NUMERIC if n != "alcohol"])),
            ("model", RandomForestClassifier(n_estimators=10, random_state=0)),
        ]
    )


def positional_wine_pipeline() -> Any:
    """A pipeline whose first step takes "the eleven measurements" as the first eleven columns."""
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer

    return Pipeline(
        [
            ("measurements", FunctionTransformer(_first_eleven_columns)),
            ("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
            ("model", RandomForestClassifier(n_estimators=10, random_state=0)),
        ]
    )


def _first_eleven_columns(X: pd.DataFrame) -> np.ndarray:
    numbers = X.iloc[:, : len(NUMERIC)].apply(pd.to_numeric, errors="coerce")  # bug: by position
    return numbers.to_numpy(dtype=np.float64)


def _beyond_plumbing(console: Console) -> None:
    from .sklearn import DriftCheckFailed, FeatureUseFailed, check_drift, check_feature_use

    t0 = time.perf_counter()
    try:
        with _quiet():
            check_feature_use(forgetful_wine_pipeline, Wine, target="quality")
    except FeatureUseFailed as exc:
        unused = ", ".join(f"{r.feature} ({r.rule}: {r.score:.2f})" for r in exc.report.unused)
        used = len(exc.report.rows) - len(exc.report.unused)
        console.print(
            f"[red]✗[/red] check_feature_use: {used} of {len(exc.report.rows)} features learned, "
            f"not {escape(unused)} ({time.perf_counter() - t0:.1f} s)"
        )
    console.print(
        "[dim]each feature in turn carries the only signal (a threshold rule, every other "
        "column constant); balanced accuracy 0.5 is chance[/dim]"
    )
    t0 = time.perf_counter()
    try:
        with _quiet():
            check_drift(positional_wine_pipeline, Wine, target="quality")
    except DriftCheckFailed as exc:
        console.print(
            f"[red]✗[/red] check_drift: the same values in another form, other predictions "
            f"({time.perf_counter() - t0:.1f} s):"
        )
        for row in exc.report.failed:
            console.print(f"  {row.variant}: {escape(row.detail)}")
        held = ", ".join(r.variant for r in exc.report.rows if r.passed)
        console.print(f"[dim]held or refused: {held}[/dim]")


def _alcohol_rule(X: pd.DataFrame) -> np.ndarray:
    return np.where(X["alcohol"] > 12, 8, 4)


def _train_broken(frame: pd.DataFrame) -> None:
    with _quiet():
        broken_wine_pipeline().fit(frame[FEATURES], frame["quality"])


def _registry_step(console: Console, tmp: Path, quiet: Any) -> None:
    from .sklearn import check_pipeline
    from .sklearn.roundtrips import mlflow_env, quiet_mlflow

    uri = f"sqlite:///{tmp / 'mlflow.db'}"
    name = "hypo-contracts-Wine-wine_pipeline"
    t0 = time.perf_counter()
    with mlflow_env():
        with quiet_mlflow():
            from mlflow import MlflowClient

            client = MlflowClient(tracking_uri=uri, registry_uri=uri)
            client.create_experiment(
                "hypo-contracts-checks", artifact_location=(tmp / "artifacts").as_uri()
            )
        with _quiet():
            check_pipeline(
                wine_pipeline,
                Wine,
                target="quality",
                roundtrip=("mlflow",),
                mlflow_uri=uri,
                max_examples=2,
                settings=quiet,
            )
        with quiet_mlflow():
            versions = sorted(
                int(v.version) for v in client.search_model_versions(f"name = '{name}'")
            )
    console.print(
        f"[green]✓[/green] {len(versions)} trained pipelines logged in MLflow runs, registered as "
        f"{name!r} versions {versions}, loaded back from models:/{name}/<version>: the same "
        f"predictions and probabilities ({time.perf_counter() - t0:.1f} s)"
    )
    console.print(
        "[dim]store: SQLite tracking + registry in a temporary folder; no server, no network[/dim]"
    )


def _show_failure(console: Console, exc: Any, seconds: float) -> None:
    console.print(f"[red]✗[/red] check_pipeline failed in {seconds:.1f} s:")
    console.print(f"  {escape(str(exc))}", style="bold")
    for name, frame in (("train", exc.train), ("new", exc.new)):
        if frame is None:
            continue
        if len(frame) > 1 and len(frame.drop_duplicates()) == 1:
            console.print(f"  minimal {name!r} frame: {len(frame)} identical rows, all simplest")
        else:
            rows = "row" if len(frame) == 1 else "rows"
            console.print(f"  minimal {name!r} frame: {len(frame)} {rows}")
            console.print(_table(frame, [*_SO2, "alcohol", "color"]))
    console.print("  and a pytest regression test to keep (exc.regression_test, abridged):")
    console.print(
        Syntax(_abridged(exc.regression_test or ""), "python", background_color="default")
    )


def _abridged(source: str, width: int = 76) -> str:
    """The regression test without its frame literals, its comments cut to ``width``.

    >>> lines = ["def test() -> None:", "    # " + "x" * 80, "    df = pd.DataFrame(",
    ...          "        {}", "    )", "    f(df)"]
    >>> print(_abridged("\\n".join(lines)))
    def test() -> None:
        # xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...
        df = pd.DataFrame(...)
        f(df)
    """
    out: list[str] = []
    skipping = False
    for line in source.splitlines():
        if skipping:
            if line.startswith("    )"):
                skipping = False
            continue
        if line.endswith("= pd.DataFrame("):
            out.append(line + "...)")
            skipping = True
            continue
        if line.lstrip().startswith("#") and len(line) > width:
            line = line[: width - 3].rstrip(". ") + "..."
        out.append(line)
    return "\n".join(out).strip()
