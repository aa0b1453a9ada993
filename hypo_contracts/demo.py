"""``hypo-contracts demo``: the article's workflow on the built-in WineQuality contract."""

from __future__ import annotations


def run() -> None:
    from .examples import WineQuality

    df = WineQuality.example(5, seed=0)
    print(df)
