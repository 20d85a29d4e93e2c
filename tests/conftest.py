"""Shared fixtures: a hand-made account, apps and clients from the factory, real PHP (the oracle), real Redis."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bench._redis import RedisServer
from contract.spec import Contract
from mockserver.http.app import create_app
from mockserver.model.mailing import Common, DomainCounts, Mailing
from mockserver.scenario.library import LoadContext, ScenarioLibrary, default_scenario_dirs
from tests._sockets import closed_url as _closed_url
from tests._tools import require_tool
from tests.contract.php._oracle import ORACLE, PHP_SETTINGS, PhpOracle

MakeApp = Callable[..., Flask]
# Scenarios made for tests (a fault on every request, half the requests failing), beside the shipped ones.
TEST_SCENARIOS = Path(__file__).parent / "data" / "scenarios"


class FakeSource:
    """A MailingSource over hand-made mailings, so that HTTP tests control their data."""

    def __init__(self, mailings: Sequence[Mailing]) -> None:
        self._mailings = {mailing.id: mailing for mailing in sorted(mailings, key=lambda m: m.id)}

    def ids(self) -> Sequence[int]:
        """Return every id, ascending."""
        return list(self._mailings)

    def title(self, mailing_id: int) -> str:
        """Return a listed mailing's subject line."""
        return self._mailings[mailing_id].letter_title

    def mailing(self, mailing_id: int) -> Mailing | None:
        """Return the mailing, or None."""
        return self._mailings.get(mailing_id)


def _common(count: int, delivered: int, bounce: int, opened: int = 0, clicked: int = 0) -> Common:
    return Common(count=count, delivered=delivered, bounce=bounce, opened=opened, clicked=clicked, spam=0, unsubs=0)


# The seed's own example (seed README): one letter, delivered and opened once.
SEED_MAILING = Mailing(
    id=1,
    letter_title="letter_title",
    sent_at=1474279200,
    common=_common(1, 1, 0, opened=1),
    open_time={1474279200: 1},
    click_statistic={},
    domain_statistic={"example.com": DomainCounts(delivered=1, bounce=0)},
    errors={},
)
# Zero recipients: every map is empty and must arrive as [].
EMPTY_MAILING = Mailing(
    id=7,
    letter_title="Пустая рассылка",
    sent_at=1474279200,
    common=_common(0, 0, 0),
    open_time={},
    click_statistic={},
    domain_statistic={},
    errors={},
)
# errors holding only code 0 arrives as a list ([7]); a Russian title with an emoji, links with slashes.
LIST_ERRORS_MAILING = Mailing(
    id=42,
    letter_title="Скидки до 50% только до воскресенья 🔥",
    sent_at=1474279200,
    common=_common(500, 493, 7, opened=120, clicked=9),
    open_time={1474279200: 80, 1474282800: 40},
    click_statistic={"https://example.com/sale?utm=mail": 6, "https://example.com/": 3},
    domain_statistic={"mail.ru": DomainCounts(400, 5), "почта.рф": DomainCounts(93, 2)},
    errors={0: 7},
)
# Codes 0 and 6: not 0..n-1, so errors stays an object.
OBJECT_ERRORS_MAILING = Mailing(
    id=100,
    letter_title="Дайджест недели: 5 статей о маркетинге",
    sent_at=1474279200,
    common=_common(10, 7, 3, opened=2, clicked=1),
    open_time={1474279200: 2},
    click_statistic={"https://example.com/a": 1},
    domain_statistic={"gmail.com": DomainCounts(7, 3)},
    errors={0: 1, 6: 2},
)
MAILINGS = (SEED_MAILING, EMPTY_MAILING, LIST_ERRORS_MAILING, OBJECT_ERRORS_MAILING)


@pytest.fixture(scope="session")
def contract() -> Contract:
    """The shipped contract, loaded and validated once."""
    return Contract.load()


@pytest.fixture(scope="session")
def library(contract: Contract) -> ScenarioLibrary:
    """The test scenarios and the shipped ones, loaded once (tests that change files build their own library)."""
    return ScenarioLibrary([TEST_SCENARIOS, *default_scenario_dirs()], LoadContext.create(contract))


@pytest.fixture
def make_app(contract: Contract, library: ScenarioLibrary) -> MakeApp:
    """Build an app over the hand-made mailings (SENDSTAT_SOURCE=None: the scenarios' own); config by keyword."""

    def make(mailings: Sequence[Mailing] = MAILINGS, **config: Any) -> Flask:
        settings = {
            "TESTING": True,
            "SENDSTAT_CONTRACT": contract,
            "SENDSTAT_SOURCE": FakeSource(mailings),
            "SENDSTAT_SCENARIO_LIBRARY": library,
            "SENDSTAT_RELOAD_INTERVAL": None,
        }
        return create_app({**settings, **config})

    return make


@pytest.fixture
def app(make_app: MakeApp) -> Flask:
    """An app with the default config over the hand-made mailings."""
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of the app."""
    return app.test_client()


@pytest.fixture(scope="session")
def php(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PhpOracle]:
    """Real PHP: a running oracle.php under `php -n` with the model's settings; stopped at the end of the session."""
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


REDIS_WHY = "to hold the mock's shared state in the Redis tests (install redis-server)"


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """One redis-server for the session's tests (each test empties it first: see `redis_url`)."""
    server = RedisServer(require_tool("redis-server", REDIS_WHY), tmp_path_factory.mktemp("redis")).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """The URL of the session's Redis, emptied for this test."""
    redis_server.flush()
    return redis_server.url()


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server of this test's own, which the test may stop and start again."""
    server = RedisServer(require_tool("redis-server", REDIS_WHY), tmp_path).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def closed_url() -> str:
    """The URL of a local port nobody listens on (bound on port 0, then released)."""
    return _closed_url()
