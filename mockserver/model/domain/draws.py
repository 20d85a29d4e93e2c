"""Deterministic randomness: one stream per (seed, mailing, section), cheap hash draws, exact sampling."""

from __future__ import annotations

import bisect
import hashlib
import itertools
import math
import random
import struct
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

_BLOCK_WORDS = 16
_WORDS = struct.Struct(f"<{_BLOCK_WORDS}I")
_FIRST_WORD = struct.Struct("<I")
_blake2b = hashlib.blake2b
_floor, _log, _log1p, _sqrt = math.floor, math.log, math.log1p, math.sqrt
WORD_SPAN = 2.0**32  # HashDraws.unit() is word() / WORD_SPAN
# Below this mean a binomial is drawn exactly (geometric jumps); above, by its normal approximation.
_EXACT_MEAN = 15.0


def stream(seed: int, mailing_id: int, section: str) -> random.Random:
    """Return the random stream of one section of one mailing, the same in every process."""
    # A str seed is hashed with sha512, so it is stable across processes (unlike hash()); every call
    # gets its own generator, so threads never share state.
    return random.Random(f"{seed}:{mailing_id}:{section}")  # noqa: S311 - deterministic fakes, not secrets


class HashDraws:
    """Cheap deterministic draws from blake2b digests of a key, where a whole stream costs too much.

    word() returns the next 32 bits: the 16 words of the key's digest number 0, then of number 1, ...
    """

    __slots__ = ("_block", "_key", "_used", "_words")

    def __init__(self, *parts: object) -> None:
        self._key = ":".join(map(str, parts)).encode()
        self._block = 0
        self._words = block_words(self._key, 0)
        self._used = 0

    def word(self) -> int:
        """Return the next 32 random bits."""
        used = self._used
        if used == _BLOCK_WORDS:
            self._block += 1
            self._words = block_words(self._key, self._block)
            used = 0
        self._used = used + 1
        return self._words[used]

    def unit(self) -> float:
        """Return a float in [0, 1)."""
        return self.word() / WORD_SPAN

    def below(self, n: int) -> int:
        """Return an int in [0, n) (n is small: the modulo bias is negligible)."""
        return self.word() % n

    def pick(self, items: Sequence[T]) -> T:
        """Return one item, uniformly."""
        return items[self.below(len(items))]

    def weighted(self, cumulative: Sequence[float]) -> int:
        """Return an index drawn by cumulative weights."""
        return bisect.bisect_right(cumulative, self.unit() * cumulative[-1])


def word_source(key: str) -> Callable[[], int]:
    """Return HashDraws(*parts).word for key ":".join(map(str, parts)) as a C-level call: the same words, cheaper.

    An index draws 100,000 titles: a bound method of HashDraws costs about three times as much per word.
    """
    raw = key.encode()
    return itertools.chain(block_words(raw, 0), _later_words(raw)).__next__


def first_digest_words(key: str) -> Callable[[], int]:
    """Return word_source(key) for the first 16 words only: a 17th call raises StopIteration."""
    return iter(block_words(key.encode(), 0)).__next__


def block_words(key: bytes, block: int) -> tuple[int, ...]:
    """Return the 16 words of a key's digest number block: the one formula of every hash draw."""
    words: tuple[int, ...] = _WORDS.unpack(_blake2b(key + b"#%d" % block, digest_size=64).digest())
    return words


def _later_words(key: bytes) -> Iterator[int]:
    """Yield the words of the key's digests number 1, 2, ... (a title rarely needs more than the first 16)."""
    block = 1
    while True:
        yield from block_words(key, block)
        block += 1


def first_words(head: object, indices: Iterable[int], tail: object) -> Iterator[int]:
    """Yield first_word(head, index, tail) for each index (every id of a large account, in a row)."""
    before, after = f"{head}:", f":{tail}#0"
    blake2b, unpack = _blake2b, _FIRST_WORD.unpack_from
    for index in indices:
        yield unpack(blake2b(f"{before}{index}{after}".encode(), digest_size=64).digest())[0]


def first_word(*parts: object) -> int:
    """Return HashDraws(*parts).word() without the object: one digest, the first 32 bits (ids of large accounts)."""
    key = ":".join(map(str, parts)).encode()
    word: int = _FIRST_WORD.unpack_from(_blake2b(key + b"#0", digest_size=64).digest())[0]
    return word


def binomial(rng: random.Random, n: int, p: float) -> int:
    """Draw the number of successes of n trials with probability p (about 250 draws per mailing: kept lean)."""
    if n <= 0 or p <= 1e-12:
        return 0
    if p >= 1.0:
        return n
    flipped = p > 0.5
    if flipped:
        # Draw the failures, whose probability 1 - p is at most a half.
        p = 1.0 - p
        if p <= 1e-12:
            return n
    mean = n * p
    if mean < _EXACT_MEAN:
        # Jump from success to success by geometric gaps: about mean + 1 steps, exact.
        # The gap's ratio is >= 0, so floor() is int() (truncation), and cheaper to call.
        log_q, log, floor, draw = _log1p(-p), _log, _floor, rng.random
        successes, position = 0, 0
        while True:
            position += floor(log(1.0 - draw()) / log_q) + 1
            if position > n:
                break
            successes += 1
    else:
        successes = min(n, max(0, round(rng.gauss(mean, _sqrt(mean * (1.0 - p))))))
    return n - successes if flipped else successes


def multinomial(rng: random.Random, n: int, weights: Sequence[float]) -> list[int]:
    """Split n over categories by weight (conditional binomials); the counts sum to n exactly."""
    size = len(weights)
    counts = [0] * size
    last = size - 1
    while last >= 0 and not weights[last] > 0:
        last -= 1
    if n <= 0:
        return counts
    if last < 0:
        raise ValueError("multinomial: no category has a positive weight")
    if n <= size:
        # Few items: draw each one (C speed) rather than a binomial per category.
        for index in rng.choices(range(size), cum_weights=list(itertools.accumulate(weights)), k=n):
            counts[index] += 1
        return counts
    remaining, rest = n, math.fsum(weights)
    for index in range(last):
        weight = weights[index]
        if weight <= 0:
            continue
        drawn = binomial(rng, remaining, weight / rest)
        counts[index] = drawn
        remaining -= drawn
        rest -= weight
        if remaining == 0:
            return counts
    counts[last] = remaining
    return counts


def lognormal_factor(rng: random.Random, sigma: float) -> float:
    """Return a log-normal factor with mean 1 (jitter of a rate or a share)."""
    return math.exp(rng.gauss(-sigma * sigma / 2.0, sigma))


def cumulative(weights: Sequence[float]) -> tuple[float, ...]:
    """Return the running sums of weights (for HashDraws.weighted and Random.choices)."""
    total, sums = 0.0, []
    for weight in weights:
        total += weight
        sums.append(total)
    return tuple(sums)
