"""The journal of every backend (local, Redis): append, find with filters, count, clear, a bounded size, workers."""

from __future__ import annotations

import pytest

from mockserver.errors import ControlError
from mockserver.state.backend import SharedState
from mockserver.state.batching import BatchSettings
from mockserver.state.exchange import REDACTED, Exchange, answer_of
from mockserver.state.journal import MAX_TEXT, Entry, Journal, JournalFilter
from tests.mockserver.state.conftest import Backend, entry


@pytest.fixture
def state(backend: Backend) -> SharedState:
    """A backend's state, journal of at most 100 entries."""
    return backend.open()


@pytest.fixture
def journal(state: SharedState) -> Journal:
    """The state's journal."""
    return state.journal


def test_entries_come_back_as_written(journal: Journal) -> None:
    """An appended entry is found with its sequence number and every field."""
    written = entry(warnings=("a, b", "c"), fault="truncate", session="qa", time=1000.25, duration_ms=0.125)
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


def test_recorded_batches_keep_exactly_the_limit(journal: Journal) -> None:
    """Entries recorded (written in batches) past the limit leave the newest `limit`, in order."""
    for number in range(250):
        journal.record(entry(path=f"/{number}", time=1000.0 + number))
    found, count = journal.find(JournalFilter(limit=1000))
    assert count == 100
    assert [e.path for e in found] == [f"/{n}" for n in range(150, 250)]


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
        (JournalFilter(path="/b_*"), 1),
        (JournalFilter(path="/b%"), 0),
    ],
)
def test_filters_select_entries(journal: Journal, where: JournalFilter, count: int) -> None:
    """Each filter field narrows the entries; a path ending in * is a prefix, never a LIKE pattern."""
    journal.append(entry("/a", 200))
    journal.append(entry("/ab", 404, session="qa"))
    journal.append(entry("/b_%", 400, scenario="flaky"))
    journal.append(entry("/c", None, time=3000.0))
    assert journal.count(where) == count
    assert journal.find(where)[1] == count


def test_clear_deletes_what_matches(journal: Journal) -> None:
    """clear() with a filter deletes those, returning how many."""
    journal.append(entry(session="a"))
    journal.append(entry(session="b"))
    assert journal.clear(JournalFilter(session="a")) == 1
    assert journal.count(JournalFilter()) == 1
    assert journal.clear(JournalFilter()) == 1
    assert journal.count(JournalFilter()) == 0


def test_newest_order_lists_the_last_matches_first(journal: Journal) -> None:
    """order=newest returns the last `limit` matches, newest first, and still counts them all."""
    for number in range(5):
        journal.append(entry(path=f"/{number}", time=1000.0 + number))
    found, count = journal.find(JournalFilter(limit=2, order="newest"))
    assert ([e.path for e in found], count) == (["/4", "/3"], 5)


def exchanged(body: bytes, **headers: str) -> Exchange:
    """An exchange of a GET with these request headers whose answer is body."""
    raw = tuple((f"HTTP_{name.upper()}", value) for name, value in headers.items())
    return Exchange(raw, answer_of([("Content-Type", "application/json")], body, len(body)))


def test_an_entry_opens_in_full(journal: Journal) -> None:
    """opened() shows the summary, the request's headers with credentials hidden, the answer's headers and body."""
    seq = journal.append(entry(exchange=exchanged('{"id":1,"т":"ю"}'.encode(), X_Estis_Auth="key", Accept="*/*")))
    found = journal.opened(seq)
    assert found is not None
    assert found["entry"]["seq"] == seq
    assert found["request"] == {"headers": [["X-Estis-Auth", REDACTED], ["Accept", "*/*"]]}
    assert found["response"] == {
        "headers": [["Content-Type", "application/json"]],
        "body": '{"id":1,"т":"ю"}',
        "body_size": 18,
        "body_kept": 18,
    }
    assert journal.opened(seq + 1) is None


def test_an_entry_without_an_answer_opens_with_none(journal: Journal) -> None:
    """An entry whose answer was never sent has request headers and a null response."""
    seq = journal.append(entry(status=None, exchange=Exchange((("HTTP_ACCEPT", "*/*"),), None)))
    found = journal.opened(seq)
    assert found is not None
    assert (found["request"], found["response"]) == ({"headers": [["Accept", "*/*"]]}, None)


def test_an_answer_is_stored_once_and_goes_with_its_last_entry(backend: Backend, state: SharedState) -> None:
    """Entries with the same answer share one stored copy; clearing the entries that name it deletes it."""
    journal = state.journal
    for _ in range(3):
        journal.record(entry(session="a", exchange=exchanged(b"[1]")))
    journal.record(entry(session="b", exchange=exchanged(b"[2]")))
    assert journal.count(JournalFilter()) == 4
    assert backend.answers_held(state) == 2
    journal.clear(JournalFilter(session="a"))
    assert backend.answers_held(state) == 1
    state.store.reset()
    assert backend.answers_held(state) == 0


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
            "order": "newest",
        }
    )
    assert (where.path, where.method, where.status, where.session, where.since, where.limit, where.order) == (
        "/x*",
        "GET",
        "5xx",
        "qa",
        60,
        5,
        "newest",
    )


@pytest.mark.parametrize(
    "args",
    [
        {"paths": "/"},
        {"status": "4x"},
        {"limit": "0"},
        {"limit": "ten"},
        {"after": "١"},
        {"since": "soon"},
        {"order": "random"},
    ],
)
def test_bad_query_arguments_are_refused(args: dict[str, str]) -> None:
    """Unknown names and bad values raise ControlError (400)."""
    with pytest.raises(ControlError):
        JournalFilter.from_args(args)


SLOW = BatchSettings(interval=60.0, max_items=10_000, idle=60.0, tick=0.001)


@pytest.fixture
def two_workers(backend: Backend) -> tuple[Journal, Journal]:
    """Two journals on one shared state, as two workers have, that write only when asked to."""
    return backend.open(batches=SLOW).journal, backend.open(batches=SLOW).journal


def test_a_recorded_entry_is_seen_by_the_next_read(journal: Journal) -> None:
    """record() buffers; a read first writes the buffer, so the entry is there."""
    journal.record(entry(path="/buffered"))
    found, count = journal.find(JournalFilter())
    assert (count, found[0].path) == (1, "/buffered")


def test_a_read_sees_the_other_workers_entries(two_workers: tuple[Journal, Journal]) -> None:
    """Entries buffered by another worker are written before a read returns (the flush request)."""
    reader, writer = two_workers
    for number in range(5):
        writer.record(entry(path=f"/{number}"))
    assert reader.count(JournalFilter()) == 5
    writer.record(entry(path="/5"))
    assert [found.path for found in reader.find(JournalFilter())[0]] == [f"/{n}" for n in range(6)]


def test_entries_are_listed_by_time_across_workers(two_workers: tuple[Journal, Journal]) -> None:
    """A later answer of one worker comes after an earlier one of another, whatever order they were written in."""
    first, second = two_workers
    first.record(entry(path="/late", time=2000.0))
    second.record(entry(path="/early", time=1000.0))
    first.sync()
    assert [found.path for found in second.find(JournalFilter())[0]] == ["/early", "/late"]
