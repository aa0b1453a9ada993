"""hypo_contracts._regex: parsing, exact language sizes, the k-th match, unique regex columns."""

from __future__ import annotations

import itertools
import pickle
import re
import sys
import types

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from hypo_contracts import ContractError, String, _regex, data_contract, frames
from hypo_contracts.constraints import ALPHABET

# patterns whose generated language is countable, over small alphabets
COUNTABLE = [
    (r"[ab]{1,3}", "ab"),
    (r"a|ab", "ab"),
    (r"(a|ab)(b|)", "ab"),
    (r"(a|ab)(c|bc)", "abc"),
    (r"[ab]{1,2}[ab]{1,2}", "ab"),
    (r"(ab|ba){1,2}", "ab"),
    (r"x[0-2]{2}|y", "xy012"),
    (r"[^a]b?", "abc"),
    (r".c", "abc"),
    (r"^[ab]c?$", "abc"),
    (r"(?:red|green|blue)", "bdeglnru"),
    (r"[a-c]-[a-c]", "abc-"),
    (r"[ab]{1,12}", "ab"),  # beyond _TABLE_LIMIT: spelled per draw
]


def brute_force(pattern: str, alphabet: str, lo: int, hi: int) -> set[str]:
    """Every string over ``alphabet`` with length in ``[lo, hi]`` that fully matches."""
    rx = re.compile(pattern, re.ASCII)
    return {
        "".join(t)
        for k in range(lo, hi + 1)
        for t in itertools.product(alphabet, repeat=k)
        if rx.fullmatch("".join(t))
    }


def lang(pattern: str, alphabet: str = ALPHABET, lo: int = 0, hi: int | None = None):
    return _regex.language(pattern, re.ASCII, lo, hi, alphabet)


# -- parser adapter ------------------------------------------------------------------------


def test_parse_and_widths_work_on_the_running_python():
    assert _regex.widths(r"AC-[0-9]{6}") == (9, 9)
    assert _regex.widths(r"a{2,5}b?") == (2, 6)
    assert [str(op) for op, _ in _regex.parse(r"ab")] == ["LITERAL", "LITERAL"]


def test_parse_falls_back_to_sre_parse_where_re_has_no_parser(monkeypatch):
    # Python 3.10 has sre_parse and no re._parser: the adapter must not need the latter
    real = _regex._parser()
    calls: list[str] = []
    fake = types.ModuleType("sre_parse")

    def parse(pattern: str, flags: int = 0):
        calls.append(pattern)
        return real.parse(pattern, flags)

    fake.parse = parse  # type: ignore[attr-defined]
    monkeypatch.delattr(re, "_parser", raising=False)  # as on 3.10
    monkeypatch.setitem(sys.modules, "sre_parse", fake)
    assert _regex._parser() is fake
    assert _regex.widths(r"[ab]{2,3}") == (2, 3)
    assert lang(r"[xy]{2}q", "xyq").size == 4  # a pattern not cached before
    assert calls == [r"[ab]{2,3}", r"[xy]{2}q"]


# -- exact sizes and the k-th match --------------------------------------------------------


@pytest.mark.parametrize(("pattern", "alphabet"), COUNTABLE)
def test_language_size_is_exact(pattern, alphabet):
    language = lang(pattern, alphabet)
    hi = _regex.widths(pattern)[1]
    assert language.size == len(brute_force(pattern, alphabet, 0, hi))


@pytest.mark.parametrize(("pattern", "alphabet"), COUNTABLE)
@pytest.mark.parametrize(("lo", "hi"), [(0, 1), (2, 2), (1, 3)])
def test_language_size_is_exact_inside_a_length_window(pattern, alphabet, lo, hi):
    language = lang(pattern, alphabet, lo, hi)
    assert language.size == len(brute_force(pattern, alphabet, lo, hi))


@pytest.mark.parametrize(("pattern", "alphabet"), COUNTABLE)
def test_nth_is_a_bijection_onto_the_language_simplest_first(pattern, alphabet):
    language = lang(pattern, alphabet)
    got = language.nth(np.arange(language.size)).tolist()
    assert len(set(got)) == len(got)
    assert set(got) == brute_force(pattern, alphabet, 0, _regex.widths(pattern)[1])
    assert got[0] == language.simplest
    assert [len(s) for s in got] == sorted(len(s) for s in got)  # shorter matches first


def test_unbounded_repeats_are_counted_inside_a_length_window():
    assert lang(r"[ab]+", "ab", 0, 3).size == 2 + 4 + 8
    assert lang(r"x(a?)*", "ax", 2, 4).size == 3
    assert lang(r"\w+@\w+\.(com|org)", ALPHABET, 0, 12).size is not None


def test_overlapping_alternatives_are_not_counted():
    assert lang(r"[ab]c|[bc]c", "abc").size is None  # 'bc' is in both
    assert lang(r"\d+").size is None  # unbounded
    assert lang(r"(a)\1").size is None  # backreference
    assert lang(r"(?i)ab").size is None  # case-insensitive


def test_simplest_matches_come_first():
    assert lang(r"[A-Z]{2}-\d{3}").first(3) == ["AA-000", "AA-001", "AA-002"]
    assert lang(r"[A-Z]{2}-\d{3}").first(2, frozenset({"AA-000"})) == ["AA-001", "AA-002"]
    assert lang(r"(red|green|blue)").simplest == "red"
    assert lang(r"x*y").simplest == "y"


def test_uncountable_languages_sample_from_the_tree_into_a_pool_built_once():
    language = lang(r"(a)\1[0-9]+")
    rng = np.random.default_rng(0)
    first = language.from_quantiles(rng.random(100), rng, False)
    assert all(re.fullmatch(r"(a)\1[0-9]+", s) for s in first)
    tries = language.matches(1)[1]
    language.from_quantiles(rng.random(100), rng, False)
    assert language.matches(1)[1] == tries  # no new draws: the pool is cached


def test_unique_draws_from_a_large_share_of_a_big_language_use_strata(monkeypatch):
    monkeypatch.setattr(_regex, "_CHOICE_LIMIT", 0)
    language = lang(r"[0-9]{4}")
    rng = np.random.default_rng(1)
    q = rng.random(5_000)
    out = language.from_quantiles(q, rng, True)
    assert len(set(out.tolist())) == 5_000
    assert all(re.fullmatch(r"[0-9]{4}", s) for s in out)
    assert list(out[np.argsort(q)]) == sorted(out)  # small quantiles, small matches


def test_unique_draws_from_a_language_beyond_int64():
    language = lang(r"[a-z]{20}")
    assert language.size == 26**20
    rng = np.random.default_rng(2)
    out = language.from_quantiles(rng.random(2_000), rng, True)
    assert len(set(out.tolist())) == 2_000
    assert all(re.fullmatch(r"[a-z]{20}", s) for s in out)


# -- unique regex columns ------------------------------------------------------------------


def test_unique_regex_column_at_exactly_full_capacity():
    @data_contract
    class Codes:
        code = String().regex(r"[0-9]{3}").is_unique()

    df = Codes.example(1_000, seed=0)
    assert df["code"].is_unique
    assert df["code"].str.fullmatch(r"[0-9]{3}").all()
    assert set(df["code"]) == {f"{i:03d}" for i in range(1_000)}


def test_unique_regex_column_one_row_beyond_capacity_is_a_clear_error():
    @data_contract
    class Codes:
        code = String().regex(r"[0-9]{3}").is_unique()

    with pytest.raises(
        InvalidArgument, match=r"only 1000 possible values \(1000 distinct values\)"
    ):
        Codes.example(1_001, seed=0)


def test_nullable_unique_regex_column_holds_its_language_and_one_null():
    @data_contract
    class Codes:
        code = String().regex(r"[0-9]{2}").is_unique().is_optional()

    df = Codes.example(101, seed=3)
    assert df["code"].isna().sum() == 1
    assert df["code"].dropna().is_unique and len(df["code"].dropna()) == 100


def test_frames_use_the_exact_size_of_a_regex_language_beyond_2000_matches():
    @data_contract
    class Codes:
        code = String().regex(r"[0-9]{3}[abc]").is_unique()

    with pytest.raises(InvalidArgument, match="unique with only 3000 possible values"):
        frames(Codes, rows=3_001)
    with pytest.raises(InvalidArgument, match="Pass max_rows=3000 or fewer"):
        frames(Codes, max_rows=3_500)


@data_contract
class Accounts:
    code = String().regex(r"AC-[0-9]{6}").is_unique()


@settings(max_examples=5, deadline=None)
@given(frames(Accounts, rows=5_000))
def test_frames_of_a_unique_regex_column(df):
    assert df["code"].is_unique
    assert df["code"].str.fullmatch(r"AC-[0-9]{6}").all()


# -- constructs with no generator ----------------------------------------------------------


@pytest.mark.parametrize(
    "pattern", [r"(?=a)a", r"(?!0)\d{3}", r"(?=.*\d)[a-z0-9]{4}", r"(a)?(?(1)b|c)x"]
)
def test_lookarounds_and_conditionals_are_generated_and_filtered(pattern):
    # (?=a)a used to be accepted, then fail in example() with an is_unique() hint
    @data_contract
    class Ahead:
        s = String().regex(pattern)

    df = Ahead.example(200, seed=0)
    assert df["s"].map(lambda v: re.fullmatch(pattern, v, re.ASCII) is not None).all()


@pytest.mark.parametrize(
    ("pattern", "what"),
    [
        (r"(?=b)a", "a lookahead"),
        (r"a(?!\w)\w", "a negative lookahead"),
        (r"(?<=a)b", "a lookbehind"),
    ],
)
def test_lookarounds_with_no_match_are_refused_at_declaration(pattern, what):
    with pytest.raises(ContractError, match=re.escape(f"uses {what}; strings are built")):

        @data_contract
        class Ahead:
            s = String().regex(pattern)


def test_backreferences_are_generated():
    @data_contract
    class Twice:
        s = String().regex(r"([a-c]{2})-\1")

    df = Twice.example(50, seed=0)
    assert df["s"].str.fullmatch(r"([a-c]{2})-\1").all()


# -- random small patterns against brute force -------------------------------------------


def _pattern(depth: int) -> st.SearchStrategy[str]:
    atoms = [st.sampled_from(["a", "b", "c", "[ab]", "[^a]", ".", "[a-c]", "(?:b?)"])]
    if depth > 0:
        inner = _pattern(depth - 1)
        atoms.append(inner.map(lambda p: f"({p})"))
        atoms.append(inner.map(lambda p: f"(?:{p})"))
    atom = st.one_of(*atoms)
    quantifiers = st.sampled_from(["", "?", "{2}", "{0,2}", "{1,2}", "*", "+", "{2,}"])
    piece = st.tuples(atom, quantifiers).map("".join)
    seq = st.lists(piece, min_size=1, max_size=3).map("".join)
    return st.lists(seq, min_size=1, max_size=3).map("|".join)


@settings(max_examples=150, deadline=None)
@given(_pattern(1), st.integers(0, 2), st.integers(0, 3))
def test_counted_languages_agree_with_brute_force(pattern, lo, extra):
    hi = lo + extra
    language = lang(pattern, "abc", lo, hi)
    truth = brute_force(pattern, "abc", lo, hi)
    if language.size is None:  # not countable: sampled matches are still matches
        assert set(language.matches(20)[0]) <= truth
        return
    assert language.size == len(truth)
    got = language.nth(np.arange(language.size)).tolist()
    assert len(got) == len(set(got)) and set(got) == truth
    if truth:
        assert got[0] == language.simplest


def test_columns_with_a_built_language_still_pickle():
    @data_contract
    class Codes:
        code = String().regex(r"[0-9]{2}|x+")

    Codes.example(20, seed=0)
    c = Codes.__contract__.canonical["code"]
    assert c.regex_language is not None
    assert pickle.loads(pickle.dumps(c)).regex_language is c.regex_language
