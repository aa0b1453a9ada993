"""Regular expressions: parsing, widths, the simplest match, counting and generating matches.

The only module that touches Python's private regex parser (:func:`parse`). It works on plain
arguments (pattern, flags, length window, the alphabet for "any character") and imports only
the standard library, numpy, :mod:`hypo_contracts.errors` and :mod:`hypo_contracts._text`
(which spells countable matches as a ``<U`` array of code points, no ``str`` per match).

A pattern made of literals, character classes, fixed or bounded repeats and alternations
expands into a short list of *products*: fixed-width sequences of character sets. When
those are pairwise disjoint (checked exactly), the language is a sum of mixed-radix
numbers: :attr:`Language.size` is exact and :meth:`Language.nth` maps integers to matches
vectorised (index 0 is the simplest match, shorter and simpler matches come first). Unique
columns are then distinct integers mapped through, with no sampling and no repair. Other
patterns (unbounded repeats, backreferences, word boundaries, ``(?i)``...) are sampled from
the parse tree with :class:`random.Random`, once per language (the pool is cached).

>>> lang = language(r"AC-[0-9]{2}", 0, 0, None, "0123456789abc")
>>> lang.size, lang.simplest
(100, 'AC-00')
>>> lang.nth(np.array([0, 1, 99])).tolist()
['AC-00', 'AC-01', 'AC-99']
"""

from __future__ import annotations

import functools
import itertools
import math
import random
import re
import string
import warnings
from typing import Any

import numpy as np

from ._text import spell
from .errors import ContractError

__all__ = ["INDEX_LIMIT", "Language", "filtered", "language", "parse", "widths"]

#: Most products (fixed-width alternatives) a countable language may expand into.
MAX_PRODUCTS = 1024
#: Most character positions in all products together (each is a numpy step per draw).
MAX_POSITIONS = 50_000
#: Characters a class may hold in the countable path (larger unicode ranges are sampled).
MAX_CLASS = 1 << 16
#: Unbounded repeats are sampled up to this many extra times (or the length window's cap).
REPEAT_EXTRA = 10
#: Countable languages below this size are indexed with int64 (``Language.nth``).
INDEX_LIMIT = 2**62
_TABLE_LIMIT = 1 << 12  # languages up to this size are spelled out once, then indexed
_CHOICE_LIMIT = 1 << 24  # unique draws from languages up to this size use Generator.choice
_LEAD_LIMIT = 2**50  # leading digits taken from a quantile (float precision)
_ANCHORS = ("AT_BEGINNING", "AT_BEGINNING_STRING", "AT_END", "AT_END_STRING")
_ASCII_CATEGORY = {
    "DIGIT": string.digits,
    "WORD": string.ascii_letters + string.digits + "_",
    "SPACE": " \t\n\r\x0b\x0c",
}


def _parser() -> Any:
    """The private regex parser: ``re._parser`` on Python >= 3.11, ``sre_parse`` on 3.10."""
    module = getattr(re, "_parser", None)  # a submodule of the re package since 3.11
    if module is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            import sre_parse as module
    return module


def parse(pattern: str, flags: int = 0) -> Any:
    """The parse tree (a ``SubPattern``) of ``pattern``; raises ``re.error`` when invalid."""
    return _parser().parse(pattern, flags)


def widths(pattern: str, flags: int = 0) -> tuple[int, int]:
    """The shortest and longest lengths a full match of ``pattern`` can have."""
    lo, hi = parse(pattern, flags).getwidth()
    return int(lo), int(hi)


def _name(op: Any) -> str:
    return str(getattr(op, "name", op))


def _walk(tree: Any) -> Any:
    """Every (op name, argument) in ``tree``, depth first (not inside lookarounds and
    conditionals: :func:`filtered` stops at those)."""
    for op, arg in tree:
        name = _name(op)
        yield name, arg
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            yield from _walk(arg[2])
        elif name == "BRANCH":
            for branch in arg[1]:
                yield from _walk(branch)
        elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
            yield from _walk(arg[-1])


def filtered(pattern: str, flags: int = 0) -> str | None:
    """The first construct in ``pattern`` that generation leaves to ``fullmatch`` (a
    lookaround: strings are built without it and kept when they match; a conditional group:
    its branch is picked by whether the group took part), or None."""
    for name, arg in _walk(parse(pattern, flags)):
        if name in ("ASSERT", "ASSERT_NOT"):
            kind = "lookbehind" if arg[0] < 0 else "lookahead"
            return f"a {'negative ' if name == 'ASSERT_NOT' else ''}{kind}"
        if name == "GROUPREF_EXISTS":
            return "a conditional group (?(...)...)"
    return None


# ------------------------------------------------------------------------------------------
# character sets


class _Chars:
    """Character-set helpers over a generation alphabet; chars sort alphabet-first."""

    def __init__(self, alphabet: str, flags: int) -> None:
        self.alphabet = alphabet
        self.ascii = bool(flags & re.ASCII)
        self._memo: dict[tuple[str, int], tuple[str, ...] | None] = {}
        self.rank = {ch: i for i, ch in enumerate(alphabet)}
        self.exact = True  # False once a set was cut down to the alphabet

    def sort(self, chars: set[str]) -> tuple[str, ...]:
        """``chars`` in alphabet order, then the others by code point."""
        return tuple(sorted(chars, key=lambda ch: (self.rank.get(ch, len(self.rank)), ch)))

    def category(self, arg: Any, counted: bool = True) -> set[str]:
        """``\\d``, ``\\w``, ``\\s`` as ASCII sets, their negations within the alphabet."""
        name = _name(arg).replace("CATEGORY_", "").replace("UNI_", "").replace("LOC_", "")
        negate = name.startswith("NOT_")
        chars = set(_ASCII_CATEGORY.get(name.replace("NOT_", ""), ""))
        if counted and not self.ascii:
            self.exact = False  # unicode digits, letters and spaces are not generated
        if negate:
            self.exact = False
            return set(self.alphabet) - chars
        return chars

    def of_in(self, items: Any) -> set[str]:
        """The characters of an ``IN`` node (negations within the alphabet)."""
        negate = bool(items) and _name(items[0][0]) == "NEGATE"
        chars: set[str] = set()
        for op, arg in items[1:] if negate else items:
            name = _name(op)
            if name == "LITERAL":
                chars.add(chr(arg))
            elif name == "RANGE" and negate:  # only the alphabet's characters matter
                chars.update(ch for ch in self.alphabet if arg[0] <= ord(ch) <= arg[1])
            elif name == "RANGE":
                top = min(arg[1], arg[0] + MAX_CLASS - 1)
                self.exact = self.exact and top == arg[1]
                chars.update(chr(x) for x in range(arg[0], top + 1))
            elif name == "CATEGORY":
                chars |= self.category(arg, not negate)
            else:
                raise ValueError(name)
        if negate:
            self.exact = False
            return set(self.alphabet) - chars
        return chars

    def atom(self, name: str, arg: Any) -> tuple[str, ...] | None:
        """:meth:`of_atom`, sorted and memoised per node."""
        key = (name, arg if isinstance(arg, int) else id(arg))
        if key not in self._memo:
            found = self.of_atom(name, arg)
            self._memo[key] = None if found is None else self.sort(found)
        return self._memo[key]

    def of_atom(self, name: str, arg: Any) -> set[str] | None:
        """The characters one single-character node matches, or None for other nodes."""
        if name == "LITERAL":
            return {chr(arg)}
        if name == "NOT_LITERAL":
            self.exact = False
            return set(self.alphabet) - {chr(arg)}
        if name == "ANY":
            self.exact = False
            return set(self.alphabet)
        if name == "IN":
            return self.of_in(arg)
        return None


# ------------------------------------------------------------------------------------------
# countable languages: products of character sets


_Product = tuple[tuple[str, ...], ...]


class _Uncountable(Exception):
    """Raised while expanding a pattern outside the countable subset."""


def _concat(left: list[_Product], right: list[_Product], limit: int | None) -> list[_Product]:
    """Every ``a + b`` no longer than ``limit``, without repeats."""
    if len(left) * len(right) > 16 * MAX_PRODUCTS:
        raise _Uncountable
    out = dict.fromkeys(
        a + b for a in left for b in right if limit is None or len(a) + len(b) <= limit
    )
    if len(out) > MAX_PRODUCTS:
        raise _Uncountable
    return list(out)


def _expand(tree: Any, chars: _Chars, limit: int | None) -> list[_Product]:
    """``tree`` as a list of fixed-width products (the union of their languages), leaving
    out those longer than ``limit``."""
    out: list[_Product] = [()]
    part: list[_Product]
    for op, arg in tree:
        name = _name(op)
        atom = chars.atom(name, arg)
        if atom is not None:
            if not atom or len(atom) > MAX_CLASS:
                raise _Uncountable
            part = [(atom,)]
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            lo, hi, sub = arg
            if limit is not None:  # more (non-empty) repeats cannot fit
                hi = min(hi, max(lo, limit))
            if hi - lo > MAX_PRODUCTS:
                raise _Uncountable
            inner = _expand(sub, chars, limit)
            part, positions = [], 0
            power: list[_Product] = [()]
            for k in range(hi + 1):
                if k >= lo:
                    part += power
                    positions += sum(map(len, power))
                if k < hi:
                    power = _concat(power, inner, limit)
                if len(part) > MAX_PRODUCTS or positions > MAX_POSITIONS:
                    raise _Uncountable
                if not power:
                    break
            part = list(dict.fromkeys(part))
        elif name == "BRANCH":
            part = [p for branch in arg[1] for p in _expand(branch, chars, limit)]
            if part and all(len(p) == 1 for p in part):  # (a|b|c): one character set
                part = [(chars.sort({ch for p in part for ch in p[0]}),)]
        elif name == "SUBPATTERN":
            if arg[1] & re.IGNORECASE:
                raise _Uncountable
            part = _expand(arg[-1], chars, limit)
        elif name == "ATOMIC_GROUP":
            part = _expand(arg[-1], chars, limit)
        elif name == "AT" and _name(arg) in _ANCHORS:
            continue  # checked on sample matches (Language._verified)
        else:
            raise _Uncountable
        out = _concat(out, part, limit)
    return out


def _disjoint(a: _Product, b: _Product, sets: dict[tuple[str, ...], frozenset[str]]) -> bool:
    return any(sets[x].isdisjoint(sets[y]) for x, y in zip(a, b, strict=True))


def _countable(tree: Any, chars: _Chars, lo: int, hi: int | None) -> list[_Product] | None:
    """The products of ``tree`` within lengths ``[lo, hi]``, shortest and simplest first,
    when they are pairwise disjoint (so that their sizes add up to the language's)."""
    if tree.state.flags & re.IGNORECASE:
        return None
    try:
        products = _expand(tree, chars, hi)
    except (_Uncountable, ValueError, RecursionError):
        return None
    if sum(len(p) for p in products) > MAX_POSITIONS:
        return None
    if any("\x00" in s for p in products for s in p):  # NUL pads the '<U' arrays
        return None
    kept = sorted(
        {p for p in products if lo <= len(p) and (hi is None or len(p) <= hi)},
        key=lambda p: (len(p), "".join(s[0] for s in p), p),
    )
    sets = {s: frozenset(s) for p in kept for s in p}
    for i, a in enumerate(kept):
        for b in kept[i + 1 :]:
            if len(b) != len(a):
                break
            if not _disjoint(a, b, sets):
                return None
    return kept


# ------------------------------------------------------------------------------------------
# sampling from the parse tree


def _build(tree: Any, chars: _Chars, groups: dict, rnd: random.Random | None, extra: int) -> str:
    """A string ``tree`` generates: a random one with ``rnd`` (unbounded repeats up to
    ``extra`` more times), else the shortest and simplest. Anchors and boundaries emit
    nothing, lookarounds too (callers check with ``fullmatch``); ValueError for an empty
    class."""
    out = []
    for op, arg in tree:
        name = _name(op)
        atom = chars.atom(name, arg)
        if atom is not None:
            if not atom:
                raise ValueError("empty class")
            out.append(atom[rnd.randrange(len(atom))] if rnd is not None else atom[0])
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            lo, hi, sub = arg
            times = rnd.randint(lo, min(hi, lo + extra)) if rnd is not None else lo
            out.extend(_build(sub, chars, groups, rnd, extra) for _ in range(times))
        elif name == "BRANCH" and rnd is not None:
            out.append(_build(arg[1][rnd.randrange(len(arg[1]))], chars, groups, rnd, extra))
        elif name == "BRANCH":
            found = (_build(b, chars, groups, None, 0) for b in arg[1])
            out.append(min(found, key=lambda s: (len(s), s)))
        elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
            text = _build(arg[-1], chars, groups, rnd, extra)
            if name == "SUBPATTERN" and arg[0] is not None:
                groups[arg[0]] = text
            out.append(text)
        elif name == "GROUPREF":
            out.append(groups.get(arg, ""))
        elif name == "GROUPREF_EXISTS":  # (?(group)yes|no)
            branch = arg[1] if arg[0] in groups else arg[2]
            out.append(_build(branch, chars, groups, rnd, extra) if branch is not None else "")
        elif name not in ("AT", "ASSERT", "ASSERT_NOT"):
            raise ValueError(name)
    return "".join(out)


# ------------------------------------------------------------------------------------------
# the language of one column


class Language:
    """The matches of ``pattern`` with lengths in ``[min_len, max_len]`` that hypo_contracts
    generates (``.``, negated classes and ``\\D``/``\\W``/``\\S`` draw from ``alphabet``;
    ``\\d``, ``\\w`` and ``\\s`` from ASCII). Build it with :func:`language` (cached)."""

    def __init__(
        self, pattern: str, flags: int, min_len: int, max_len: int | None, alphabet: str
    ) -> None:
        self.pattern, self.flags = pattern, flags
        self.min_len, self.max_len, self.alphabet = min_len, max_len, alphabet
        self.compiled = re.compile(pattern, flags)
        self._tree = parse(pattern, flags)
        self._chars = _Chars(alphabet, flags)
        cap = max_len if max_len is not None else min_len + 20
        self._extra = max(REPEAT_EXTRA, cap)
        self._pool: dict[str, None] = {}
        self._rnd = random.Random(0)
        self._tries = 0
        self._short = math.inf  # a pool request that came up short
        self.products = _countable(self._tree, self._chars, min_len, max_len)
        #: False when ``size`` only counts matches made of the generation alphabet.
        self.exact = self._chars.exact
        self.size: int | None = None
        if self.products is not None:
            self._sizes = [math.prod(len(s) for s in p) for p in self.products]
            self._starts = [0, *itertools.accumulate(self._sizes)]
            self.size = self._starts[-1]
            sets = {s for p in self.products for s in p}
            codes = {s: np.array([ord(ch) for ch in s], dtype=np.uint32) for s in sets}
            self._tables = [[codes[s] for s in p] for p in self.products]
            if self.size and not self._verified():
                self.products, self.size = None, None

    def __repr__(self) -> str:
        return f"Language({self.pattern!r}, len=[{self.min_len}, {self.max_len}], size={self.size})"

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:  # parse trees do not pickle
        return language, (self.pattern, self.flags, self.min_len, self.max_len, self.alphabet)

    def _in_window(self, s: str) -> bool:
        return len(s) >= self.min_len and (self.max_len is None or len(s) <= self.max_len)

    def _verified(self) -> bool:
        """Spot checks that the products match the pattern (anchors, flags): the first and
        last match of each product, and the middle one."""
        assert self.products is not None and self.size is not None
        got = [("".join(s[0] for s in p), "".join(s[-1] for s in p)) for p in self.products]
        probe = [s for pair in got for s in pair]
        if self.size < INDEX_LIMIT:
            probe += self.nth(np.array([self.size // 2])).tolist()
        return all(self.compiled.fullmatch(s) is not None for s in probe)

    # -- countable: integers to matches --------------------------------------------------

    def nth(self, k: np.ndarray) -> np.ndarray:
        """The ``k``-th matches (int64 array, each in ``[0, size)``) as a ``<U`` array; a
        bijection from ``range(size)`` onto the language, ``nth(0)`` the simplest match."""
        assert self.products is not None and self.size is not None and self.size < INDEX_LIMIT
        k = np.asarray(k, dtype=np.int64)
        if self.size <= _TABLE_LIMIT:
            return self._every[k]
        pidx = np.searchsorted(self._first, k, side="right") - 1
        return self._digits(pidx, k - self._first[pidx])

    @functools.cached_property
    def _first(self) -> np.ndarray:  # the index of each product's first match
        return np.array(self._starts[:-1], dtype=np.int64)

    @functools.cached_property
    def _every(self) -> np.ndarray:  # all matches of a small language, for draws to index
        pidx = np.repeat(np.arange(len(self._sizes)), self._sizes)
        return self._digits(pidx, np.arange(len(pidx)) - self._first[pidx])

    def _digits(
        self,
        pidx: np.ndarray,
        local: np.ndarray,
        rng: np.random.Generator | None = None,
        lead: list[int] | None = None,
    ) -> np.ndarray:
        """Matches for products ``pidx`` at offsets ``local`` into them; with ``lead``,
        ``local`` only indexes each product's first ``lead[p]`` positions and ``rng`` draws
        the others (:func:`hypo_contracts._text.spell`)."""
        assert self.products is not None
        return spell(self._tables, pidx, local, rng, lead)

    def _lead(self) -> list[int]:
        """Per product, how many leading positions an int below ``_LEAD_LIMIT`` covers."""
        assert self.products is not None
        spans = (itertools.accumulate(map(len, p), lambda a, b: a * b) for p in self.products)
        return [sum(span < _LEAD_LIMIT for span in prefix) for prefix in spans]

    def from_quantiles(self, q: np.ndarray, rng: np.random.Generator, unique: bool) -> np.ndarray:
        """Matches for quantiles ``q`` (small ``q``: simple matches), ``<U`` (countable) or
        str objects (sampled). With ``unique``, ``len(q)`` distinct matches, the smallest
        where ``q`` is smallest (rows beyond ``size`` repeat the simplest match)."""
        n, size = len(q), self.size
        if self.products is None or not size:
            return self._sampled(q, rng, unique)
        if unique and size < INDEX_LIMIT:
            m = min(n, size)  # rows beyond the language repeat the simplest match
            if size <= _CHOICE_LIMIT or m <= size // 50:
                ks = np.sort(rng.choice(size, m, replace=False, shuffle=False))
            else:  # one integer in each of m equal strata (no size-long permutation)
                i = np.arange(m, dtype=np.int64)
                base, rem = divmod(size, m)
                lo = i * base + (i * rem) // m
                hi = np.append(lo[1:], size)
                ks = lo + (rng.random(m) * (hi - lo)).astype(np.int64)
            ks = np.concatenate([ks, np.zeros(n - m, dtype=np.int64)])
            out = self.nth(ks)  # reordered: the smallest matches where q is smallest
            out[np.argsort(q, kind="stable")] = out.copy()
            return out
        if len(self._sizes) == 1 and size < INDEX_LIMIT:  # one product: q indexes it directly
            return self.nth(np.minimum((q * float(size)).astype(np.int64), size - 1))
        # by product: half the weight by size, half shared evenly (short matches show up)
        sizes = np.array([float(s) for s in self._sizes])
        weights = 0.5 * sizes / sizes.sum() + 0.5 / len(sizes)
        cum = np.concatenate([[0.0], np.cumsum(weights)])
        cum[-1] = 1.0
        pidx = np.minimum(np.searchsorted(cum, q, side="right") - 1, len(sizes) - 1)
        frac = np.clip((q - cum[pidx]) / weights[pidx], 0.0, np.nextafter(1.0, 0.0))
        lead = self._lead() if size >= INDEX_LIMIT else None  # the rest: random digits
        span = sizes
        if lead is not None:
            pairs = zip(self.products, lead, strict=True)
            span = np.array([float(math.prod(len(s) for s in p[:m])) for p, m in pairs])
        local = np.minimum((frac * span[pidx]).astype(np.int64), span[pidx].astype(np.int64) - 1)
        if lead is None:
            return self.nth(self._first[pidx] + local)
        out = self._digits(pidx, local, rng, lead)
        if unique:  # >= 2**62 matches: repeats are practically impossible
            for _ in range(100):
                dup = np.ones(n, dtype=bool)  # True at each repeat of an earlier value
                dup[np.unique(out.astype(str), return_index=True)[1]] = False
                if not dup.any():
                    break
                out[dup] = self.from_quantiles(rng.random(int(dup.sum())), rng, False)
        return out

    # -- sampled: a cached pool ----------------------------------------------------------

    def matches(self, count: int, budget: int | None = None) -> tuple[list[str], int]:
        """Up to ``count`` distinct sampled matches within the length window (shortest
        first), from a pool cached on this language and grown with ``budget`` more draws
        at most (default ``50 * count + 200``), and how many draws the pool took in all.
        Fewer than ``count`` means the language has about that many matches."""
        budget = 50 * count + 200 if budget is None else budget
        spent = 0
        while len(self._pool) < count and spent < budget and count < self._short:
            spent += 1
            try:
                s = _build(self._tree, self._chars, {}, self._rnd, self._extra)
            except ValueError:  # an empty class: no match at all
                break
            if self._in_window(s) and s not in self._pool and self.compiled.fullmatch(s):
                self._pool[s] = None
        self._tries += spent
        if len(self._pool) < count:  # larger requests would come up short as well
            self._short = min(self._short, count)
        # the first ``count`` found (the same whatever was asked for before), shortest first
        found = sorted(itertools.islice(self._pool, count), key=lambda s: (len(s), s))
        return found, self._tries

    def _sampled(self, q: np.ndarray, rng: np.random.Generator, unique: bool) -> np.ndarray:
        n = len(q)
        pool, tries = self.matches(2 * n if unique else 512)
        if not pool or (unique and len(pool) < n):
            raise self.too_few(len(pool), n if unique else 1, tries)
        if unique:
            picks = np.sort(rng.choice(len(pool), n, replace=False, shuffle=False))
            out = np.empty(n, dtype=object)
            out[np.argsort(q, kind="stable")] = np.array(pool, dtype=object)[picks]
            return out
        idx = np.minimum((q * len(pool)).astype(np.int64), len(pool) - 1)
        return np.array(pool, dtype=object)[idx]

    def too_few(self, found: int, count: int, tries: int) -> ContractError:
        """The error for sampling fewer distinct matches than ``count`` (1: any match)."""
        fix = ", ask for fewer rows, or drop is_unique()" if count > 1 else ""
        return ContractError(
            f"regex {self.pattern!r}: sampling found only {found} distinct matches within "
            f"lengths [{self.min_len}, {self.max_len}] in {tries} tries; {count} "
            f"{'were' if count > 1 else 'was'} needed. Loosen the regex or the length window{fix}."
        )

    def first(self, count: int, avoid: frozenset[str] = frozenset()) -> list[str]:
        """The ``count`` simplest matches not in ``avoid`` (fewer when there are not that
        many), simplest first; sampled ones after the simplest for uncountable languages."""
        if count <= 0:
            return []
        if self.products is not None and self.size is not None and self.size < INDEX_LIMIT:
            total = min(self.size, count + len(avoid))
            found = self.nth(np.arange(total, dtype=np.int64)).tolist()
        else:
            found = [self.simplest, *self.matches(count + len(avoid))[0]]
        return [s for s in dict.fromkeys(found) if s not in avoid][:count]

    @functools.cached_property
    def shortest(self) -> str | None:
        """The shortest match built from the parse tree (ignoring the length window), or
        None for constructs the builder does not handle."""
        try:
            candidate = _build(self._tree, self._chars, {}, None, 0)
        except (ValueError, RecursionError):
            return None
        return candidate if self.compiled.fullmatch(candidate) else None

    @functools.cached_property
    def simplest(self) -> str:
        """The simplest match within the length window (index 0 when countable); raises
        ContractError when none is found."""
        if self.products is not None and self.size:
            return "".join(s[0] for s in self.products[0])
        s = self.shortest
        if s is not None and self._in_window(s):
            return s
        pool, tries = self.matches(32)
        if not pool:
            raise self.too_few(0, 1, tries)
        return pool[0]

    def has_match(self, budget: int) -> bool:
        """Whether some match lies in the length window (exact when countable, else from
        the shortest match or ``budget`` samples)."""
        if self.size is not None:
            return self.size > 0
        s = self.shortest
        return (s is not None and self._in_window(s)) or bool(self.matches(1, budget)[0])


@functools.lru_cache(maxsize=512)
def language(
    pattern: str, flags: int, min_len: int, max_len: int | None, alphabet: str
) -> Language:
    """The (cached) :class:`Language` of ``pattern`` within lengths ``[min_len, max_len]``."""
    return Language(pattern, flags, min_len, max_len, alphabet)
