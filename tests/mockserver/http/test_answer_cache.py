"""The answer cache: values by key, least recently used out first, within a byte budget."""

from __future__ import annotations

from mockserver.http.answer_cache import ENTRY_OVERHEAD, AnswerCache, Stored


def stored(size: int) -> Stored:
    """An answer whose body has size bytes and no headers."""
    return Stored("200 OK", (), b"x" * size)


def test_a_kept_value_is_found_by_its_key() -> None:
    """put then get returns the same value; another key finds nothing."""
    cache: AnswerCache[Stored] = AnswerCache(10_000)
    value = stored(10)
    assert cache.put(("a", 1), value)
    assert cache.get(("a", 1)) is value
    assert cache.get(("a", 2)) is None


def test_the_least_recently_used_go_first() -> None:
    """Past the budget the value used longest ago is evicted, not the one just read."""
    size = stored(100).size
    cache: AnswerCache[Stored] = AnswerCache(3 * size, max_entry=size)
    for key in "abc":
        cache.put(key, stored(100))
    cache.get("a")
    cache.put("d", stored(100))
    assert cache.keys_by_use() == ["c", "a", "d"]
    assert cache.bytes == 3 * size


def test_a_value_larger_than_max_entry_is_not_kept() -> None:
    """put refuses a value over max_entry (half the budget by default) and keeps the others."""
    cache: AnswerCache[Stored] = AnswerCache(1000 + 2 * ENTRY_OVERHEAD)
    cache.put("small", stored(10))
    assert not cache.put("big", stored(1000))
    assert cache.keys_by_use() == ["small"]


def test_the_key_counts_against_the_budget() -> None:
    """key_size adds to an entry's cost, so huge keys cannot hold memory unaccounted."""
    cache: AnswerCache[Stored] = AnswerCache(20_000)
    assert cache.put("k", stored(10), key_size=4000)
    assert cache.bytes == stored(10).size + 4000


def test_replacing_and_clearing_keep_the_count_right() -> None:
    """A key put twice counts once; clear() empties the cache."""
    cache: AnswerCache[Stored] = AnswerCache(10_000)
    cache.put("k", stored(10))
    cache.put("k", stored(20))
    assert (len(cache), cache.bytes) == (1, stored(20).size)
    cache.clear()
    assert (len(cache), cache.bytes) == (0, 0)
