"""The string kind: pandas' default string dtype; lengths, a regex or accepted values."""

from __future__ import annotations

import string
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from ..errors import ContractError
from ..shrink_steps import Attempt, shrink_string
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

    # -- shrinking and sklearn (shrink_models, sklearn) --

    def shrink_value(
        self, c: Canonical, value: Any, simplest: Any, dtype: Any, attempt: Attempt, step_ns: int
    ) -> None:
        shrink_string(str(value), str(simplest), attempt)

    def target_failure(self, c: Canonical, shown: str) -> str | None:
        return f"{shown} breaks {c.where} ({c.source!r})."

    # -- source text and formats (source, odcs_doc, formats, engines) --
