"""String columns built from code points and Arrow buffers (hypo_contracts._text)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hypo_contracts import Float64, Int64, String, _bulk, _text, data_contract
from hypo_contracts.kinds.string import STRING_DTYPE

ARROW = _text.arrow_backed(STRING_DTYPE)
needs_arrow = pytest.mark.skipif(not ARROW, reason="pandas' default str is not Arrow-backed")

WORDS = ["", "a", "bc", "déf", "ß", "中文字", "😀", "a😀ß中", "x" * 9, "\x00a", "é" * 5]


def codes_of(strings: list[str]) -> np.ndarray:
    raw = np.array(strings)
    return raw.view(np.uint32).reshape(len(raw), raw.dtype.itemsize // 4)


def test_utf8_offsets_and_bytes_are_exact():
    offsets, data = _text.utf8(codes_of(WORDS))
    blobs = [w.encode() for w in WORDS]
    assert offsets.tolist() == [0, *np.cumsum([len(b) for b in blobs]).tolist()]
    assert bytes(data) == b"".join(blobs)


def test_utf8_of_ascii_and_of_null_rows():
    offsets, data = _text.utf8(codes_of(["ab", "", "cde"]), np.array([False, False, True]))
    assert offsets.tolist() == [0, 2, 2, 2] and bytes(data) == b"ab"
    offsets, data = _text.utf8(codes_of(["abc", "def"]))  # no padding at all
    assert offsets.tolist() == [0, 3, 6] and bytes(data) == b"abcdef"


@needs_arrow
@pytest.mark.parametrize("with_nulls", [False, True])
def test_string_array_equals_the_array_from_str_objects(with_nulls):
    rng = np.random.default_rng(0)
    pool = [*WORDS, "\u07ff", "\u0800", "\uffff", "\U00010000", "\U0010ffff", "\x7f\x80"]
    strings = [pool[i] for i in rng.integers(0, len(pool), 500)]
    nulls = rng.random(500) < 0.2 if with_nulls else None
    got = _text.string_array(np.array(strings), nulls, STRING_DTYPE)
    objects = np.array(strings, dtype=object)
    if nulls is not None:
        objects[nulls] = None
    expected = pd.array(objects, dtype=STRING_DTYPE)
    assert pd.Series(got).equals(pd.Series(expected))
    kept = np.ones(500, dtype=bool) if nulls is None else ~nulls
    assert [s for s in got if isinstance(s, str)] == np.array(strings, dtype=object)[kept].tolist()


def test_string_array_of_empty_and_object_columns():
    assert len(_text.string_array(np.array([], dtype="<U3"), None, STRING_DTYPE)) == 0
    got = _text.string_array(np.array(["", ""]), None, STRING_DTYPE)
    assert list(got) == ["", ""]
    objects = np.array(["é", "b"], dtype=object)  # not a <U array: through str objects
    assert list(_text.string_array(objects, np.array([True, False]), STRING_DTYPE))[1] == "b"


@needs_arrow
def test_surrogates_go_through_str_objects():
    raw = np.array(["a\ud800"])
    with pytest.raises((UnicodeEncodeError, ValueError, TypeError)):
        pd.array(np.array(["a\ud800"], dtype=object), dtype=STRING_DTYPE)
    with pytest.raises((UnicodeEncodeError, ValueError, TypeError)):  # the same failure
        _text.string_array(raw, None, STRING_DTYPE)


@data_contract
class Texts:
    plain = String()
    short = String().max_length(3).is_optional()
    alt = String().regex(r"a|bc|déf")
    uni = String().regex(r"[éß中😀]{1,3}x").is_optional()
    code = String().regex(r"[A-Z]{3}-\d{4}").is_optional()
    u = String().max_length(4).is_unique()
    ur = String().regex(r"[a-z]{2}[0-9]{2}").is_unique()
    v = String().accepted_values(["x", "yy", "zéz"]).is_optional()
    free = String().regex(r"[a-z]+@[a-z]+\.com")
    n = Int64().is_optional()


@data_contract(unique_together=[("code", "tag")])
class Tagged:
    code = String().regex(r"[A-C]{2}")
    tag = String().max_length(2)
    kind = String().accepted_values(["x", "y"])
    note = String().regex(r"n[0-9é]{1,3}").present_when(kind=["x"])
    label = String().computed(lambda df: df["code"] + "-" + df["tag"], uses=["code", "tag"])
    price = Float64().bounded_between(0, 1)


# the values Contract.example gave for seed 3 before string columns skipped str objects
TEXTS_HEAD = {
    "plain": [":x/o7go;TYv", "g62.(1Nl", "]XqP,7DrRPxGY],RzF?", "iAig6B [;QLUO", "P?)+k"],
    "short": ["", " l", "13", "hlp", "F0k"],
    "alt": ["a", "a", "déf", "déf", "bc"],
    "uni": ["😀ßx", "ß中ßx", "😀😀éx", "😀中ßx", "中中x"],
    "code": ["VFE-6521", "DQM-6927", "ZAR-7449", None, "XGO-5986"],
    "u": ["zNr*", "1ZM(", "", "09", ":mpU"],
    "ur": ["oq65", "dh50", "uy42", "cv29", "xy55"],
    "v": ["zéz", "x", "x", "zéz", "x"],
    "free": [
        "bpewewtlokvbcgsv@nyi.com",
        "xadntveyeadwn@ui.com",
        "wz@vxykqhrxhpywxphy.com",
        "wc@blkiunmajuhgycs.com",
        "uppharhjkzhkmdg@rztnscnoaeafrdvqu.com",
    ],
}
TAGGED_HEAD = {
    "code": ["BC", "BA", "CC", "BC", "AC", "BA"],
    "tag": ["", ")", "l", "13", "2h", "l"],
    "kind": ["x", "x", "y", "y", "x", "x"],
    "note": ["n019", "n259", None, None, "n9é", "n200"],
    "label": ["BC-", "BA-)", "CC-l", "BC-13", "AC-2h", "BA-l"],
}


def head(df: pd.DataFrame, columns: dict[str, list[str]]) -> dict[str, list[object]]:
    k = len(next(iter(columns.values())))
    return {c: [None if pd.isna(v) else v for v in df[c].head(k)] for c in columns}


def test_example_strings_are_the_values_of_the_str_object_path():
    df = Texts.example(300, seed=3)
    assert head(df, TEXTS_HEAD) == TEXTS_HEAD
    assert df.isna().sum()[["short", "uni", "code", "v"]].tolist() == [19, 19, 17, 25]
    assert all(df[c].dtype == STRING_DTYPE for c in TEXTS_HEAD)
    Texts.validate(df)


def test_example_strings_with_rules_are_the_values_of_the_str_object_path():
    df = Tagged.example(300, seed=3)
    assert head(df, TAGGED_HEAD) == TAGGED_HEAD
    assert int(df["note"].isna().sum()) == 172
    Tagged.validate(df)


@pytest.mark.parametrize("contract", [Texts, Tagged])
def test_arrow_buffers_and_str_objects_build_equal_frames(contract, monkeypatch):
    fast = contract.example(2_000, seed=5)
    monkeypatch.setattr(_text, "arrow_backed", lambda dtype: False)
    slow = contract.example(2_000, seed=5)
    assert fast.equals(slow) and (fast.dtypes == slow.dtypes).all()


@data_contract
class Doubled:
    plain = String()
    code = String().regex(r"[A-Z]{2}")
    long = String().computed(
        lambda df: df["plain"] + df["plain"] + df["code"], uses=["plain", "code"]
    )


def test_rules_write_strings_longer_than_the_sampled_width():
    # 'long' is sampled as a <U array of String()'s length cap; the computed values are
    # longer (rules see the raw columns as str objects: a <U array would truncate them)
    df = Doubled.example(500, seed=1)
    assert df["long"].tolist() == (df["plain"] + df["plain"] + df["code"]).tolist()
    assert df["long"].str.len().max() > df["plain"].str.len().max()


@pytest.mark.parametrize("column", ["plain", "code", "alt", "uni"])
def test_fill_gives_str_objects_unless_asked_for_text(column):
    c = Texts.__contract__.canonical[column]
    q = np.random.default_rng(0).random(300)
    text = _bulk.fill(c, q, np.random.default_rng(1), text=True)
    objects = _bulk.fill(c, q, np.random.default_rng(1))
    assert text.dtype.kind == "U" and objects.dtype == object
    assert all(type(v) is str for v in objects)
    assert text.tolist() == objects.tolist()
