"""Tests of mockserver/record/journal.py and progress.py: the partial file, and the bar only on a terminal."""

from __future__ import annotations

import io
import stat
from pathlib import Path

import pytest

from contract.errors import UsageError
from mockserver.record.journal import Answer, RecordLog
from mockserver.record.progress import Bar


def test_a_log_reads_back_what_it_kept(tmp_path: Path) -> None:
    """The index and views written are read back by the next run; the file is its owner's only."""
    path = tmp_path / "r.yaml.partial"
    log = RecordLog.open(path, "http://t", "[]")
    log.add_index(Answer("/mailer/sendstatistics", 200, b'{"statistics":[]}'))
    log.add_view(3, Answer("/mailer/sendstatistics/3", 404, b"\x00\xff"))
    log.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = RecordLog.open(path, "http://t", "[]")
    assert again.index == Answer("/mailer/sendstatistics", 200, b'{"statistics":[]}')
    assert again.views == {3: Answer("/mailer/sendstatistics/3", 404, b"\x00\xff")}
    again.remove()
    assert not path.exists()


def test_a_line_cut_by_the_interruption_is_fetched_again(tmp_path: Path) -> None:
    """A last line cut short is ignored; a bad line before it is an error naming the line."""
    path = tmp_path / "r.yaml.partial"
    RecordLog.open(path, "http://t", "[]").close()
    with path.open("a", encoding="utf-8") as stream:
        stream.write('{"view": 3, "answer": {"tar')
    resumed = RecordLog.open(path, "http://t", "[]")
    resumed.add_view(5, Answer("/v/5", 200, b"{}"))
    resumed.close()
    assert resumed.views == {5: Answer("/v/5", 200, b"{}")}
    reread = RecordLog.open(path, "http://t", "[]")
    reread.close()
    assert reread.views == {5: Answer("/v/5", 200, b"{}")}
    with path.open("a", encoding="utf-8") as stream:
        stream.write('\n{"view": 4}\n')
    with pytest.raises(UsageError, match=r"r\.yaml\.partial:3: unreadable"):
        RecordLog.open(path, "http://t", "[]")


def test_another_targets_log_is_refused(tmp_path: Path) -> None:
    """A partial recording of another target is not mixed in: the error says what to do."""
    path = tmp_path / "r.yaml.partial"
    RecordLog.open(path, "http://one", "[]").close()
    with pytest.raises(UsageError, match="pass the same --target, or delete it"):
        RecordLog.open(path, "http://two", "[]")


def test_the_bar_is_drawn_on_a_terminal_only() -> None:
    """Off a terminal nothing is written; on one the bar is redrawn in place and ends its line."""
    quiet = io.StringIO()
    Bar(4, quiet).advance(2)
    assert quiet.getvalue() == ""
    shown = io.StringIO()
    bar = Bar(4, shown, enabled=True)
    bar.advance(2)
    bar.finish()
    assert shown.getvalue() == "\rrecording 2/4 [###############---------------]  50%\n"
