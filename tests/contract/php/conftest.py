"""The PHP oracle: one `php oracle.php` process for the session (a visible skip without php-cli)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest

from tests._tools import require_tool
from tests.contract.php._oracle import ORACLE, PHP_SETTINGS, PhpOracle


@pytest.fixture(scope="session")
def php(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PhpOracle]:
    """A running oracle.php under `php -n` with the model's settings; stopped at the end of the session."""
    executable = require_tool("php", "to check contract/php against real PHP (install php-cli)")
    stderr_path = tmp_path_factory.mktemp("php") / "stderr.txt"
    settings = [arg for setting in PHP_SETTINGS for arg in ("-d", setting)]
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            [executable, "-n", *settings, str(ORACLE)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr
        )
        try:
            yield PhpOracle(process, stderr_path)
        finally:
            assert process.stdin is not None
            assert process.stdout is not None
            process.stdin.close()
            process.wait(timeout=30)
            process.stdout.close()
