"""The training pipeline: imputation and scaling for the measurements, one-hot for the colour,
a random forest for the quality score.

``make_pipeline`` is the pipeline the project ships. ``make_broken_pipeline`` is the same
pipeline after a well-meant change: a "free sulfur ratio" feature (free / total sulfur
dioxide). It looks harmless on the data it was tried on, but the contract allows
``total_sulfur_dioxide == 0``, and a division by zero puts an infinity in front of the imputer.
The smoke tests find that, shrink it to one row, and keep the variant as an expected failure.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from wine_contract import CATEGORICAL, COLORS, NUMERIC

__all__ = ["SulfurRatio", "make_broken_pipeline", "make_pipeline"]


def _preprocessing(numeric: list[str]) -> ColumnTransformer:
    measurements = Pipeline(
        [
            # keep_empty_features: a sensor that reported nothing in a whole batch is still a
            # column of the model (imputed to 0), so training and serving agree on the width.
            ("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
            ("scale", StandardScaler()),
        ]
    )
    # The categories come from the contract, not from whichever colours the training batch had.
    colour = OneHotEncoder(categories=[COLORS], handle_unknown="ignore")
    return ColumnTransformer(
        [("measurements", measurements, numeric), ("colour", colour, CATEGORICAL)]
    )


def make_pipeline(n_estimators: int = 50, random_state: int = 0) -> Pipeline:
    """A new, unfitted quality model."""
    return Pipeline(
        [
            ("features", _preprocessing(NUMERIC)),
            ("model", RandomForestClassifier(n_estimators=n_estimators, random_state=random_state)),
        ]
    )


class SulfurRatio(TransformerMixin, BaseEstimator):
    """Adds ``free_sulfur_ratio = free_sulfur_dioxide / total_sulfur_dioxide`` (the bug: no
    guard for a total of zero)."""

    def fit(self, X: pd.DataFrame, y: Any = None) -> SulfurRatio:
        return self

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        out = X.copy()
        out["free_sulfur_ratio"] = X["free_sulfur_dioxide"] / X["total_sulfur_dioxide"]
        return out


def make_broken_pipeline(n_estimators: int = 50, random_state: int = 0) -> Pipeline:
    """``make_pipeline`` plus the unguarded sulfur ratio feature."""
    return Pipeline(
        [
            ("ratio", SulfurRatio()),
            ("features", _preprocessing([*NUMERIC, "free_sulfur_ratio"])),
            ("model", RandomForestClassifier(n_estimators=n_estimators, random_state=random_state)),
        ]
    )
