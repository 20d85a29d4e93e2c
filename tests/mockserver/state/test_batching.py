"""Batched writes: items in order, written on time, on size, on request; the thread ends idle or at close."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pytest

from mockserver.state.batching import Batcher, BatchSettings

FAST = BatchSettings(interval=0.01, max_items=4, idle=0.05, tick=0.001)
SLOW = BatchSettings(interval=60.0, max_items=1000, idle=60.0, tick=0.001)


class Sink:
    """Records each written batch and what it answered; lets a test wait for a number of items."""

    def __init__(self) -> None:
        self.batches: list[tuple[list[int], int]] = []
        self.changed = threading.Condition()

    def write(self, items: Sequence[int], answered: int) -> None:
        """Record a batch."""
        with self.changed:
            self.batches.append((list(items), answered))
            self.changed.notify_all()

    def items(self) -> list[int]:
        """Every item written, in order."""
        return [item for batch, _ in self.batches for item in batch]

    def wait_for(self, count: int) -> None:
        """Wait (bounded) until count items were written."""
        with self.changed:
            assert self.changed.wait_for(lambda: len(self.items()) >= count, timeout=10)


def test_items_are_written_in_order_within_the_interval() -> None:
    """Items added one by one come out in order, in batches no larger than max_items."""
    sink = Sink()
    batcher = Batcher(sink.write, FAST)
    for item in range(10):
        batcher.add(item)
    sink.wait_for(10)
    assert sink.items() == list(range(10))
    batcher.close()


def test_a_full_buffer_is_written_before_the_interval() -> None:
    """max_items waiting items are written at the next tick, however long the interval."""
    sink = Sink()
    batcher = Batcher(sink.write, BatchSettings(interval=60.0, max_items=3, idle=60.0, tick=0.001))
    for item in range(3):
        batcher.add(item)
    sink.wait_for(3)
    assert sink.items() == [0, 1, 2]
    batcher.close()


def test_flush_writes_at_once_in_the_calling_thread() -> None:
    """flush() writes what is buffered now, without waiting for the interval."""
    sink = Sink()
    batcher = Batcher(sink.write, SLOW)
    batcher.add(1)
    batcher.flush()
    assert sink.items() == [1]
    assert batcher.pending() == 0
    batcher.close()


def test_a_flush_may_write_with_nothing_new() -> None:
    """flush(always=True) calls write even with nothing buffered and no new request; a plain flush does not."""
    sink = Sink()
    batcher = Batcher(sink.write, SLOW)
    batcher.flush()
    assert sink.batches == []
    batcher.flush(always=True)
    assert sink.batches == [([], 0)]
    batcher.close()


def test_a_request_is_answered_even_with_nothing_buffered() -> None:
    """When requested() moves, the thread writes a batch (possibly empty) answering that number."""
    sink = Sink()
    number = [0]
    batcher = Batcher(sink.write, SLOW, requested=lambda: number[0])
    batcher.add(7)
    batcher.flush()
    number[0] = 3
    with sink.changed:
        assert sink.changed.wait_for(lambda: sink.batches[-1] == ([], 3), timeout=10)
    batcher.close()


def test_the_thread_ends_when_idle_and_comes_back() -> None:
    """An idle thread ends (on_idle runs); the next item starts it again (on_start runs)."""
    events: list[str] = []
    sink = Sink()
    batcher = Batcher(sink.write, FAST, on_start=lambda: events.append("start"), on_idle=lambda: events.append("idle"))
    batcher.add(1)
    sink.wait_for(1)
    for thread in [t for t in threading.enumerate() if t.name == "sendstat-batcher"]:
        thread.join(timeout=10)
    batcher.add(2)
    sink.wait_for(2)
    batcher.close()
    assert events[:3] == ["start", "idle", "start"]


def test_close_writes_what_is_left_and_refuses_more() -> None:
    """close() writes the buffer; an item after close is refused."""
    sink = Sink()
    batcher = Batcher(sink.write, SLOW)
    batcher.add(1)
    batcher.close()
    assert sink.items() == [1]
    with pytest.raises(RuntimeError, match="closed"):
        batcher.add(2)


def test_the_thread_is_no_daemon_even_from_a_daemon_thread() -> None:
    """Started from a daemon thread (as a server's are), the writer still keeps the interpreter until it wrote."""
    sink = Sink()
    batcher = Batcher(sink.write, SLOW, name="sendstat-probe")
    starter = threading.Thread(target=batcher.add, args=(1,), daemon=True)
    starter.start()
    starter.join()
    (writer,) = [t for t in threading.enumerate() if t.name == "sendstat-probe"]
    assert not writer.daemon
    batcher.close()


def test_a_failed_batch_is_logged_and_dropped(caplog: pytest.LogCaptureFixture) -> None:
    """A write that raises is logged and its batch dropped; the next item is written by a new thread."""
    written: list[int] = []

    def write(items: Sequence[int], answered: int) -> None:
        if 1 in items:
            raise OSError("disk full")
        written.extend(items)

    batcher = Batcher(write, FAST)
    batcher.add(1)
    with caplog.at_level("ERROR", logger="mockserver.state.batching"):
        for _ in range(1000):
            if caplog.records:
                break
            threading.Event().wait(0.01)
    batcher.add(2)
    batcher.close()
    assert written == [2]
    assert "could not be written" in caplog.records[0].getMessage()
