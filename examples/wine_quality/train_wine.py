"""Train the wine quality model: ``python examples/wine_quality/train_wine.py --help``.

Reads a CSV extract (or, without ``--data``, makes a synthetic one from the contract with a
planted rule: quality 8 above 12% alcohol, 4 below), validates it against ``WineSample``, fits
``make_pipeline()``, writes the model with skops and, with ``--mlflow-uri``, logs it in an
MLflow run and registers it in the model registry.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import skops.io as sio
from wine_contract import COLORS, FEATURES, TARGET, WineSample
from wine_pipeline import make_pipeline

from hypo_contracts import planted

__all__ = ["load_data", "main", "synthetic_data"]


def synthetic_data(rows: int, seed: int) -> pd.DataFrame:
    """A valid extract whose quality follows a known rule (for trying the script out)."""
    rule = planted(WineSample, TARGET, lambda X: np.where(X["alcohol"] > 12, 8, 4), rows=rows)
    return rule.example(seed=seed)


def load_data(path: Path) -> pd.DataFrame:
    """Read a CSV extract with the contract's dtypes and validate it."""
    df = pd.read_csv(path, dtype={"color": pd.CategoricalDtype(COLORS)})
    return WineSample.validate(df)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Train the wine quality model on a CSV extract (validated against the "
        "WineSample contract) or on synthetic data, and save it with skops."
    )
    parser.add_argument("--data", type=Path, help="CSV extract (without it: synthetic data)")
    parser.add_argument("--rows", type=int, default=500, help="rows of synthetic data: %(default)s")
    parser.add_argument("--seed", type=int, default=0, help="seed of data and forest: %(default)s")
    parser.add_argument("--trees", type=int, default=50, help="trees in the forest: %(default)s")
    parser.add_argument(
        "--out", type=Path, default=Path("wine_model.skops"), help="model file: %(default)s"
    )
    parser.add_argument(
        "--mlflow-uri", help="also register the model in this MLflow URI (sqlite:///mlflow.db)"
    )
    parser.add_argument("--model-name", default="wine-quality", help="registered as: %(default)s")
    args = parser.parse_args(argv)

    df = load_data(args.data) if args.data else synthetic_data(args.rows, args.seed)
    X, y = df[FEATURES], df[TARGET]
    model = make_pipeline(n_estimators=args.trees, random_state=args.seed).fit(X, y)
    print(f"trained on {len(df)} rows; training accuracy {model.score(X, y):.3f}")

    sio.dump(model, args.out)
    print(f"model written to {args.out}")
    if args.mlflow_uri:
        os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")  # no usage data sent out
        import mlflow
        import mlflow.sklearn

        mlflow.set_tracking_uri(args.mlflow_uri)
        mlflow.set_registry_uri(args.mlflow_uri)
        trusted = sio.get_untrusted_types(file=args.out)  # we just wrote it ourselves
        with mlflow.start_run():
            info = mlflow.sklearn.log_model(
                model,
                name="model",
                registered_model_name=args.model_name,
                serialization_format="skops",
                skops_trusted_types=trusted,
            )
        print(f"registered {args.model_name} version {info.registered_model_version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
