"""Tests of mockserver.model.domain.draws: deterministic streams and exact sampling."""

from __future__ import annotations

import random
import statistics

import pytest

from mockserver.model.domain.draws import (
    HashDraws,
    binomial,
    cumulative,
    first_word,
    first_words,
    multinomial,
    stream,
    word_source,
)


def test_streams_differ_by_section() -> None:
    """Two sections of one mailing draw different numbers; the same section draws the same."""
    assert stream(1, 2, "opens").random() == stream(1, 2, "opens").random()
    assert stream(1, 2, "opens").random() != stream(1, 2, "clicks").random()


def test_hash_draws_are_reproducible_past_one_digest() -> None:
    """Hash draws repeat for the same key, also beyond the first 16 words."""
    first, second = HashDraws(1, "x"), HashDraws(1, "x")
    assert [first.below(1000) for _ in range(40)] == [second.below(1000) for _ in range(40)]


@pytest.mark.parametrize(("n", "p"), [(10, 0.3), (1000, 0.004), (100_000, 0.02), (50, 0.9)])
def test_binomial_mean_and_bounds(n: int, p: float) -> None:
    """Binomial draws stay within [0, n] and average n * p."""
    rng = random.Random(5)
    draws = [binomial(rng, n, p) for _ in range(3000)]
    assert min(draws) >= 0
    assert max(draws) <= n
    assert statistics.fmean(draws) == pytest.approx(n * p, rel=0.05)


@pytest.mark.parametrize(("n", "p", "expected"), [(0, 0.5, 0), (7, 0.0, 0), (7, 1.0, 7)])
def test_binomial_edges(n: int, p: float, expected: int) -> None:
    """No trials, no chance and certainty give exact answers."""
    assert binomial(random.Random(1), n, p) == expected


@pytest.mark.parametrize("n", [0, 3, 48, 1000, 250_000])
def test_multinomial_is_exact(n: int) -> None:
    """Multinomial counts add up to n exactly and leave zero-weight categories empty."""
    counts = multinomial(random.Random(n), n, [3.0, 0.0, 1.0, 0.5, 0.0])
    assert sum(counts) == n
    assert counts[1] == counts[4] == 0


def test_multinomial_without_weight_fails() -> None:
    """Splitting items over categories that all weigh zero is an error."""
    with pytest.raises(ValueError, match="positive weight"):
        multinomial(random.Random(1), 5, [0.0, 0.0])


def test_weighted_hash_draw_follows_weights() -> None:
    """A weighted hash draw picks each index about as often as its weight says."""
    picks = [HashDraws(i, "w").weighted(cumulative([1.0, 3.0])) for i in range(4000)]
    assert picks.count(1) / len(picks) == pytest.approx(0.75, abs=0.03)


def test_first_word_is_the_first_hash_draw() -> None:
    """first_word gives the word a HashDraws of the same parts gives first."""
    expected = [HashDraws(7, index, "id").word() for index in range(50)]
    assert [first_word(7, index, "id") for index in range(50)] == expected


def test_first_words_are_first_word_in_a_row() -> None:
    """first_words gives first_word of each index, for any head and tail."""
    for head, tail in ((7, "id"), ("x y", 3), (-1, "")):
        assert list(first_words(head, range(60), tail)) == [first_word(head, i, tail) for i in range(60)]


@pytest.mark.parametrize("parts", [(1, 123456, "title"), (0, -5, "t"), ("a:b", 2, "c")])
def test_word_source_gives_the_hash_draws_words(parts: tuple[object, ...]) -> None:
    """word_source(key) gives HashDraws(*parts).word's words, past the first digest's 16 too."""
    drawn = HashDraws(*parts)
    source = word_source(":".join(map(str, parts)))
    assert [source() for _ in range(50)] == [drawn.word() for _ in range(50)]


@pytest.mark.parametrize(("n", "p"), [(40, 0.75), (30_000, 0.97), (5, 1.0 - 1e-13), (1000, 0.5000001)])
def test_a_likely_success_is_drawn_as_the_failures_of_its_complement(n: int, p: float) -> None:
    """With p above a half, binomial(n, p) is n less the failures drawn with 1 - p, from the same numbers."""
    assert binomial(random.Random(3), n, p) == n - binomial(random.Random(3), n, 1.0 - p)
