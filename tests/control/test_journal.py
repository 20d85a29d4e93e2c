"""The journal table: append, find with filters, count, clear, a bounded size."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mockserver.control.errors import ControlError
from mockserver.control.journal import MAX_TEXT, Entry, Journal, JournalFilter
from mockserver.control.store import StateStore


def entry(path: str = "/mailer/sendstatistics", status: int | None = 200, **fields: object) -> Entry:
    """Build an entry with defaults."""
    values: dict[str, object] = {
        "time": 1000.0,
        "method": "GET",
        "path": path,
        "query": "",
        "scenario": "default",
        "session": None,
        "status": status,
        "fault": None,
        "warnings": (),
        "duration_ms": 1.5,
        "worker": 7,
        **fields,
    }
    return Entry(**values)  # type: ignore[arg-type]


@pytest.fixture
def journal() -> Iterator[Journal]:
    """A journal of at most 100 entries, in memory."""
    store = StateStore(None)
    yield Journal(store, limit=100)
    store.close()


def test_entries_come_back_as_written(journal: Journal) -> None:
    """An appended entry is found with its sequence number and every field."""
    written = entry(warnings=("a, b", "c"), fault="truncate", session="qa")
    seq = journal.append(written)
    found, count = journal.find(JournalFilter())
    assert (found, count) == ([Entry(**{**vars(written), "seq": seq})], 1)
    assert found[0].to_json()["time"] == "1970-01-01T00:16:40Z"


def test_long_paths_and_queries_are_cut(journal: Journal) -> None:
    """A path or query longer than MAX_TEXT characters is stored cut to MAX_TEXT."""
    journal.append(entry(path="/" + "x" * 10_000, query="q" * 10_000))
    (found,), _ = journal.find(JournalFilter())
    assert (len(found.path), len(found.query)) == (MAX_TEXT, MAX_TEXT)


def test_the_journal_stays_bounded(journal: Journal) -> None:
    """Past its limit the oldest entries go (in batches), so it never holds much more than the limit."""
    for number in range(300):
        journal.append(entry(path=f"/{number}"))
    count = journal.count(JournalFilter())
    assert 100 <= count < 100 + 64
    found, _ = journal.find(JournalFilter(limit=1000))
    assert found[-1].path == "/299"


@pytest.mark.parametrize(
    ("where", "count"),
    [
        (JournalFilter(path="/a"), 1),
        (JournalFilter(path="/a*"), 2),
        (JournalFilter(path="*"), 4),
        (JournalFilter(status="4xx"), 2),
        (JournalFilter(status="404"), 1),
        (JournalFilter(session="qa"), 1),
        (JournalFilter(scenario="flaky"), 1),
        (JournalFilter(since=2000.0), 1),
        (JournalFilter(after=3), 1),
        (JournalFilter(method="POST"), 0),
    ],
)
def test_filters_select_entries(journal: Journal, where: JournalFilter, count: int) -> None:
    """Each filter field narrows the entries; a path ending in * is a prefix, never a LIKE pattern."""
    journal.append(entry("/a", 200))
    journal.append(entry("/ab", 404, session="qa"))
    journal.append(entry("/b_%", 400, scenario="flaky"))
    journal.append(entry("/c", None, time=3000.0))
    assert journal.count(where) == count


def test_clear_deletes_what_matches(journal: Journal) -> None:
    """clear() with a filter deletes those, returning how many."""
    journal.append(entry(session="a"))
    journal.append(entry(session="b"))
    assert journal.clear(JournalFilter(session="a")) == 1
    assert journal.count(JournalFilter()) == 1


def test_filters_are_read_from_query_arguments() -> None:
    """from_args reads every field; the method is upper-cased and since may be ISO text."""
    where = JournalFilter.from_args(
        {
            "path": "/x*",
            "method": "get",
            "status": "5xx",
            "session": "qa",
            "since": "1970-01-01T00:01:00Z",
            "limit": "5",
        }
    )
    assert (where.path, where.method, where.status, where.session, where.since, where.limit) == (
        "/x*",
        "GET",
        "5xx",
        "qa",
        60,
        5,
    )


@pytest.mark.parametrize(
    "args", [{"paths": "/"}, {"status": "4x"}, {"limit": "0"}, {"limit": "ten"}, {"after": "١"}, {"since": "soon"}]
)
def test_bad_query_arguments_are_refused(args: dict[str, str]) -> None:
    """Unknown names and bad values raise ControlError (400)."""
    with pytest.raises(ControlError):
        JournalFilter.from_args(args)
