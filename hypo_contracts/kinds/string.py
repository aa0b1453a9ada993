"""The string kind: pandas' default string dtype; lengths, a regex or accepted values."""

from __future__ import annotations

import dataclasses
import re
import string
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from .. import _regex, _text
from .._permute import permute
from .._regex import INDEX_LIMIT
from ..bounds import Clash, Declared, intersect_accepted
from ..declaration import Column
from ..errors import ContractError
from ..shrink_steps import Attempt, shrink_string
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

    #: Samples drawn to look for one match of a regex inside a length window.
    regex_window_samples: ClassVar[int] = 5_000

    def canonical_fields(self, column: Column, clash: Clash) -> dict[str, Any]:
        return {"dtype_name": "str"}

    def constrain(self, c: Canonical, declared: Declared, clash: Clash) -> dict[str, Any]:
        for n, text in declared.min_lens + declared.max_lens:
            if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 0:
                raise clash.fail(f"{text}: lengths are whole numbers >= 0.")
        min_len, min_text = max(((int(n), t) for n, t in declared.min_lens), default=(0, None))
        max_len, max_text = min(((int(n), t) for n, t in declared.max_lens), default=(None, None))
        if max_len is not None and min_len > max_len:
            raise clash.fail(f"{min_text} > {max_text}: no string is that long and that short.")
        regexes = declared.regexes
        if len(regexes) > 1:
            raise clash.fail(
                f"{' and '.join(r[2] for r in regexes)}: one regex per column; combine them."
            )
        regex, unicode = regexes[0][:2] if regexes else (None, False)
        if regex is not None:
            self._check_regex(regexes[0], min_len, max_len, min_text, max_text, clash)
        fields: dict[str, Any] = {
            "min_len": min_len,
            "max_len": max_len,
            "regex": regex,
            "unicode": unicode,
        }
        for listed, text in declared.accepted:  # as for Category: a repeat is a typo
            repeated = next((v for i, v in enumerate(listed) if v in listed[:i]), None)
            if repeated is not None:
                raise clash.fail(f"{text}: value {repeated!r} is repeated; list each value once.")
        if declared.accepted:

            def as_str(v: Any, text: str) -> str:
                if not isinstance(v, str):
                    raise clash.fail(f"{text}: {v!r} is not a string.")
                return v

            listed_values, texts = intersect_accepted(declared.accepted, clash, as_str)
            draft = dataclasses.replace(c, **fields)
            values = [v for v in listed_values if self.admits(draft, v)]
            if not values:
                others = [t for t in (min_text, max_text) if t] + [r[2] for r in regexes]
                raise clash.fail(
                    f"{' and '.join(texts)} leaves no value that satisfies {' and '.join(others)}."
                )
            return {**fields, "values": tuple(values)}
        if regex is not None:
            filtered = _regex.filtered(regex, 0 if unicode else re.ASCII)
            if min_len > 0 or max_len is not None or filtered is not None:
                window = " and ".join(t for t in (min_text, max_text) if t)
                self._check_window(dataclasses.replace(c, **fields), regexes[0][2], window, clash)
        return fields

    def _check_regex(
        self,
        declared: tuple[str, bool, str],
        min_len: int,
        max_len: int | None,
        min_text: str | None,
        max_text: str | None,
        clash: Clash,
    ) -> None:
        """A regex that does not compile, or whose matches are all too long or too short for
        the length window, is a ContractError."""
        regex, unicode, rtext = declared
        if not isinstance(regex, str):
            raise clash.fail(f"{rtext}: the pattern must be a string.")
        flags = 0 if unicode else re.ASCII
        try:
            re.compile(regex, flags)
        except re.error as exc:
            raise clash.fail(f"{rtext} is not a valid regular expression: {exc}.") from None
        rmin, rmax = _regex.widths(regex, flags)
        if max_len is not None and rmin > max_len:
            raise clash.fail(
                f"{rtext} matches nothing shorter than {rmin} characters, but {max_text}."
            )
        if rmax < min_len:
            raise clash.fail(
                f"{rtext} matches nothing longer than {rmax} characters, but {min_text}."
            )

    def _check_window(self, c: Canonical, rtext: str, window: str, clash: Clash) -> None:
        """A regex whose widths straddle the length window can still have no match inside it
        (``(ab|cde)*`` has none of length 1): count them when the language is countable, else
        look for one by construction, then by sampling. Regexes with lookarounds are always
        checked: their matches are built without them and filtered."""
        lang = c.regex_language
        assert lang is not None and c.regex is not None
        samples = self.regex_window_samples
        if lang.has_match(samples):
            return
        filtered = _regex.filtered(c.regex, 0 if c.unicode else re.ASCII)
        if filtered is not None:
            within = f" allowed by {window}" if window else ""
            raise clash.fail(
                f"{rtext} uses {filtered}; strings are built without it and kept when they "
                f"match, and none of {samples:,} did{within}. Rewrite the regex without it."
            )
        how = "none" if lang.size is not None else f"none in {samples:,} samples"
        raise clash.fail(
            f"{rtext} has no match allowed by {window} ({how}); widen the length window "
            "or change the regex."
        )

    def repr_parts(self, c: Canonical) -> list[str]:
        return [f"len=[{c.min_len}, {c.max_len}]"] if c.min_len or c.max_len is not None else []

    def admits(self, c: Canonical, value: Any) -> bool:
        if len(value) < c.min_len or (c.max_len is not None and len(value) > c.max_len):
            return False
        return c.compiled_regex is None or bool(c.compiled_regex.fullmatch(value))

    def narrows_within(self, outer: Canonical, inner: Canonical) -> str | None:
        where = outer.where
        if inner.min_len < outer.min_len:
            return f"its minimum length {inner.min_len} is below {where}'s {outer.min_len}"
        if outer.max_len is not None and (inner.max_len is None or inner.max_len > outer.max_len):
            longest = "unbounded" if inner.max_len is None else inner.max_len
            return f"its maximum length ({longest}) is above {where}'s {outer.max_len}"
        if outer.regex is not None and (inner.regex, inner.unicode) != (outer.regex, outer.unicode):
            return (
                f"{where} has regex({outer.regex!r}); keep the same regex in the override "
                "(containment of regexes is not checked)"
            )
        return None

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
    ) -> pd.Series:
        if c.values is not None and _text.arrow_backed(c.dtype):  # no str object per cell
            return pd.Series(_text.pick_strings(c.values, raw, nulls, c.dtype), name=name)
        return pd.Series(_text.string_array(self.lookup(c, raw), nulls, c.dtype), name=name)

    # -- validation and coercion (values, interop, coercion) --

    blank_strings = True

    def reads_as_text(self, c: Canonical) -> bool:
        return True  # so that "007" stays "007"

    def pandera_checks(self, c: Canonical, check: Any) -> list[Any]:
        checks = super().pandera_checks(c, check)
        if c.min_len or c.max_len is not None:
            checks.append(check.str_length(c.min_len or None, c.max_len))
        if c.compiled_regex is not None:
            rx = c.compiled_regex
            checks.append(
                check(
                    lambda v: isinstance(v, str) and rx.fullmatch(v) is not None,
                    element_wise=True,
                    name=f"str_fullmatch({c.regex!r})",
                )
            )
        return checks

    def coerce_series(self, c: Canonical, s: pd.Series, blanks: bool) -> pd.Series:
        return (s.fillna("") if blanks else s).astype(c.dtype)

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

    def shrink_value(
        self, c: Canonical, value: Any, simplest: Any, dtype: Any, attempt: Attempt, step_ns: int
    ) -> None:
        shrink_string(str(value), str(simplest), attempt)

    def target_failure(self, c: Canonical, shown: str) -> str | None:
        return f"{shown} breaks {c.where} ({c.source!r})."

    # -- source text and formats (source, odcs_doc, formats, engines) --

    declared_name = "String"

    def constraints_source(self, c: Canonical) -> str:
        text = ""
        if c.min_len:
            text += f".min_length({c.min_len})"
        if c.max_len is not None:
            text += f".max_length({c.max_len})"
        if c.regex is not None:
            text += f".regex({c.regex!r}{', unicode=True' if c.unicode else ''})"
        return text + super().constraints_source(c)
