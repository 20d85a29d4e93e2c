"""Hot reload: a change to the scenario files is noticed once, only when a poll is due."""

from __future__ import annotations

import os
from pathlib import Path

from mockserver.control.reloader import Reloader


class Ticks:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        """Return the time."""
        return self.now


def test_changes_are_noticed_once_per_due_poll(tmp_path: Path) -> None:
    """Adding, modifying and removing a file each report True once, and only after the interval."""
    ticks = Ticks()
    reloader = Reloader([tmp_path], 1.0, ticks)
    (tmp_path / "a.yaml").write_text("name: a\n")
    assert reloader.changed() is False  # the interval has not passed
    ticks.now += 1.0
    assert (reloader.changed(), reloader.changed()) == (True, False)
    ticks.now += 1.0
    assert reloader.changed() is False
    (tmp_path / "a.yaml").write_text("name: a\ndescription: longer\n")
    ticks.now += 1.0
    assert reloader.changed() is True
    (tmp_path / "a.yaml").unlink()
    ticks.now += 1.0
    assert reloader.changed() is True


def test_only_scenario_files_count(tmp_path: Path) -> None:
    """Other files, missing directories and a touched mtime alone are seen as they are."""
    ticks = Ticks()
    reloader = Reloader([tmp_path, tmp_path / "missing"], 0.0, ticks)
    (tmp_path / "notes.txt").write_text("x")
    assert reloader.changed() is False
    path = tmp_path / "b.yml"
    path.write_text("name: b\n")
    assert reloader.changed() is True
    os.utime(path, ns=(0, 0))
    assert reloader.changed() is True


def test_no_interval_means_no_polling(tmp_path: Path) -> None:
    """interval None: never polls."""
    reloader = Reloader([tmp_path], None)
    (tmp_path / "a.yaml").write_text("name: a\n")
    assert reloader.changed() is False


def test_mark_takes_the_files_as_seen(tmp_path: Path) -> None:
    """After an explicit reload, mark() keeps the same change from being reported again."""
    ticks = Ticks()
    reloader = Reloader([tmp_path], 0.0, ticks)
    (tmp_path / "a.yaml").write_text("name: a\n")
    reloader.mark()
    assert reloader.changed() is False
