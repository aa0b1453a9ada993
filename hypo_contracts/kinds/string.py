"""The string kind: pandas' default string dtype; lengths, a regex or accepted values."""

from __future__ import annotations

import string
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from ..errors import ContractError
from .base import BadValue, Kind, member

if TYPE_CHECKING:
    from ..constraints import Canonical

# Characters used for strings without a regex: printable ASCII without whitespace control
# characters. "0" first, as in Hypothesis, so the simplest string of length k is "0" * k.
ALPHABET = string.digits + string.ascii_letters + " -_.,:;/+*#@!?()[]"

STRING_DTYPE = pd.Series(["a"]).dtype
"""pandas' default string dtype: ``str`` on pandas 3, ``object`` on pandas 2."""


class StringKind(Kind):
    name = "string"

    def dtype(self, c: Canonical) -> Any:
        return STRING_DTYPE

    def dtype_matches(self, c: Canonical, dtype: Any, series: pd.Series | None) -> bool:
        if isinstance(dtype, pd.StringDtype):
            return True
        if isinstance(dtype, pd.ArrowDtype):
            import pyarrow as pyarrow

            return bool(
                pyarrow.types.is_string(dtype.pyarrow_dtype)
                or pyarrow.types.is_large_string(dtype.pyarrow_dtype)
            )
        if dtype == np.dtype(object):
            return series is None or pd.api.types.infer_dtype(series, skipna=True) in (
                "string",
                "empty",
            )
        return False

    def simplest(self, c: Canonical) -> Any:
        if c.regex_language is not None:
            try:
                return c.regex_language.simplest
            except ContractError as exc:
                raise ContractError(f"{c.where}: {exc}") from None
        return ALPHABET[0] * c.min_len

    def capacity(self, c: Canonical) -> int | None:
        if c.regex_language is not None:
            return c.regex_language.size  # None when the language is not countable
        return sum(len(ALPHABET) ** k for k in range(c.min_len, c.length_cap + 1))

    def cast(self, c: Canonical, v: Any, lookup: dict[Any, int] | None) -> Any:
        if not isinstance(v, str):
            raise BadValue("is not a string")
        if lookup is not None:
            return member(c, lookup, str(v))
        if len(v) < c.min_len:
            raise BadValue(f"has {len(v)} characters, fewer than min_length({c.min_len})")
        if c.max_len is not None and len(v) > c.max_len:
            raise BadValue(f"has {len(v)} characters, more than max_length({c.max_len})")
        if c.compiled_regex is not None and c.compiled_regex.fullmatch(v) is None:
            raise BadValue(f"does not fully match regex({c.regex!r})")
        return str(v)

    def cell(self, c: Canonical) -> st.SearchStrategy[Any]:
        if c.regex is not None:
            base = st.from_regex(c.compiled_regex, fullmatch=True)  # type: ignore[arg-type]
            if c.min_len > 0 or c.max_len is not None:
                lo, hi = c.min_len, c.length_cap
                base = base.filter(lambda s: lo <= len(s) <= hi)
            return base
        return st.text(alphabet=ALPHABET, min_size=c.min_len, max_size=c.length_cap)

    # -- canonicalisation (constraints, bounds, narrowing) --

    # -- bulk sampling and columns (_bulk, _regex) --

    # -- validation and coercion (values, interop, coercion) --

    # -- cross-column rules (rules, rule_values, rule_fill) --

    def rule_value(self, c: Canonical, value: Any) -> Any:
        if isinstance(value, str):
            return value
        return super().rule_value(c, value)

    def raw_of_series(self, c: Canonical, s: pd.Series, null: np.ndarray) -> np.ndarray:
        out = s.astype(object).to_numpy(dtype=object).copy()
        out[null] = ""
        return out

    def raw_fault(self, c: Canonical, raw: Any, null: np.ndarray) -> tuple[Any, str] | None:
        lengths = np.array([len(v) if isinstance(v, str) else -1 for v in raw])
        wrong = ~null & (
            (lengths < c.min_len) | (lengths > (c.max_len if c.max_len is not None else 2**62))
        )
        rx = c.compiled_regex
        if rx is not None:
            wrong |= ~null & np.array(
                [not (isinstance(v, str) and rx.fullmatch(v)) for v in raw], dtype=bool
            )
        return (wrong, "breaks the column's length or regex constraints") if wrong.any() else None

    # -- shrinking and sklearn (shrink_models, sklearn) --

    # -- source text and formats (source, odcs_doc, formats, engines) --
