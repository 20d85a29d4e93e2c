"""Progress on stderr (contract/progress.py)."""

from __future__ import annotations

import io

from contract.progress import EVERY, Progress


def test_stages_and_every_hundredth_request_are_shown() -> None:
    """A stage prints one line; requests print only every hundredth."""
    stream = io.StringIO()
    progress = Progress(stream)
    progress.stage("probing")
    for _ in range(EVERY):
        progress.request()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("probing")
    assert lines[1].endswith(f"{EVERY} requests")


def test_disabled_progress_is_silent() -> None:
    """A disabled progress writes nothing."""
    stream = io.StringIO()
    Progress(stream, enabled=False).stage("x")
    assert stream.getvalue() == ""
