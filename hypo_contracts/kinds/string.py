"""The string kind: pandas' default string dtype; lengths, a regex or accepted values."""

from __future__ import annotations

import string
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from .. import _text
from .._permute import permute
from .._regex import INDEX_LIMIT
from ..errors import ContractError
from .base import BadValue, Kind, member

if TYPE_CHECKING:
    from ..constraints import Canonical

# Characters used for strings without a regex: printable ASCII without whitespace control
# characters. "0" first, as in Hypothesis, so the simplest string of length k is "0" * k.
ALPHABET = string.digits + string.ascii_letters + " -_.,:;/+*#@!?()[]"
ALPHABET_CODES = np.array([ord(ch) for ch in ALPHABET], dtype=np.uint32)
"""The code points of :data:`ALPHABET`, for the bulk string sampler."""

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

    def raw_dtype(self, c: Canonical) -> np.dtype[Any]:
        return np.dtype(object)

    def raw_column(self, c: Canonical, q: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Regex matches (a ``<U`` array when the language is countable, else ``str``
        objects) or strings over :data:`ALPHABET` (a ``<U`` array), lengths growing with
        ``q``; ``hypo_contracts._bulk`` turns ``<U`` arrays into objects before writing."""
        n = len(q)
        if c.regex_language is not None:
            if n == 0:
                return np.empty(0, dtype=object)
            try:  # unique: n distinct matches, simpler ones where q is small
                return c.regex_language.from_quantiles(q, rng, c.unique)
            except ContractError as exc:
                raise ContractError(f"{c.where}: {exc}") from None
        cap = c.length_cap
        lengths = c.min_len + np.floor(q * (cap - c.min_len + 1)).astype(np.int64)
        np.minimum(lengths, cap, out=lengths)
        if cap == 0:
            return np.full(n, "", dtype=object)
        codes = ALPHABET_CODES[rng.integers(0, len(ALPHABET), size=(n, cap))]
        codes[np.arange(cap)[None, :] >= lengths[:, None]] = 0
        return codes.view(f"<U{cap}").reshape(n)

    def edge_values(self, c: Canonical) -> list[Any]:
        if c.regex is not None:
            return []
        return [ALPHABET[0] * c.min_len, ALPHABET[-1] * c.length_cap]

    def edge_order(self, c: Canonical, values: list[Any]) -> list[Any]:
        return sorted(values, key=lambda v: (len(v), v))

    def enumerate_simplest(self, c: Canonical, count: int, avoid: frozenset[Any]) -> list[Any]:
        if c.regex_language is not None:  # simplest first (then sampled ones if uncountable)
            return c.regex_language.first(count, avoid)
        out: list[Any] = []
        base = len(ALPHABET)
        for length in range(c.min_len, c.length_cap + 1):
            need = count - len(out)
            if need <= 0:
                break
            total = base**length
            k = np.arange(min(need, total), dtype=np.int64)
            if length == 0:
                out.append("")
                continue
            digits = (k[:, None] // (base ** np.arange(length - 1, -1, -1, dtype=np.int64))) % base
            codes = ALPHABET_CODES[digits]
            out.extend(codes.view(f"<U{length}").reshape(len(k)).tolist())
        return out[:count]

    def permuted(self, c: Canonical, q: np.ndarray, keys: list[int]) -> np.ndarray | None:
        """Countable regex languages: row ``i`` holds the ``p(i)``-th match."""
        lang, n = c.regex_language, len(q)
        if lang is None or lang.products is None or lang.size is None:
            return None
        if not n <= lang.size < INDEX_LIMIT:
            return None
        return lang.nth(permute(np.arange(n, dtype=np.uint64), lang.size, keys).view(np.int64))

    def lookup(self, c: Canonical, raw: np.ndarray) -> np.ndarray:
        return raw if c.values is None else np.array(c.values, dtype=object)[raw]

    def series(
        self, c: Canonical, raw: np.ndarray, nulls: np.ndarray | None, name: str
    ) -> pd.Series | None:
        if c.values is not None and _text.arrow_backed(c.dtype):  # no str object per cell
            return pd.Series(_text.pick_strings(c.values, raw, nulls, c.dtype), name=name)
        return pd.Series(_text.string_array(self.lookup(c, raw), nulls, c.dtype), name=name)

    # -- validation and coercion (values, interop, coercion) --

    # -- cross-column rules (rules, rule_values, rule_fill) --

    # -- shrinking and sklearn (shrink_models, sklearn) --

    # -- source text and formats (source, odcs_doc, formats, engines) --
