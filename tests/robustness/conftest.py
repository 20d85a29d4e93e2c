"""One real `sendstat mock --port 0` subprocess for the whole session, and checks that it survives each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.robustness._mock import MockProcess, start_mock


@pytest.fixture(scope="session")
def mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockProcess]:
    """The mock in its default layout on a free port; its stderr (the access log) goes to a file."""
    running = start_mock([], tmp_path_factory.mktemp("mock") / "stderr.log")
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(autouse=True)
def survives(mock: MockProcess) -> Iterator[None]:
    """After each test the server still runs and has written no traceback."""
    offset = mock.log_offset()
    yield
    assert mock.process.poll() is None, f"the mock exited with {mock.process.returncode}"
    written = mock.log_since(offset)
    assert "Traceback" not in written, written[-4000:]
