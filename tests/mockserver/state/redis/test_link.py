"""The link to Redis: URLs shown without passwords, one-line refusals at start, one log line per loss and recovery."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import redis

from bench._redis import RedisServer
from mockserver.errors import ConfigError, StateUnavailable
from mockserver.state.redis.link import Link, shown_url


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"),
        ("redis://:s3cret@db:6379/2", "redis://***@db:6379/2"),
        ("rediss://mock:s3cret@db.example:6380/1", "rediss://***@db.example:6380/1"),
        ("redis://:s3cret@[::1]:6379/0", "redis://***@[::1]:6379/0"),
    ],
)
def test_a_url_is_shown_without_its_credentials(url: str, shown: str) -> None:
    """Logs, errors and /health never carry a password."""
    assert shown_url(url) == shown


def test_a_url_that_is_not_redis_is_refused() -> None:
    """Another scheme is a ConfigError naming what --state takes, without the password."""
    with pytest.raises(ConfigError, match=r"neither `local` nor a redis:// or rediss:// URL") as info:
        Link("http://:s3cret@db:6379/0")
    assert "s3cret" not in str(info.value)


def test_a_redis_that_refuses_connections_is_one_line(redis_server: RedisServer) -> None:
    """Nothing listening: ConfigError saying so, on one line."""
    link = Link("redis://127.0.0.1:1/0")
    with pytest.raises(ConfigError, match=r"^--state redis://127.0.0.1:1/0: cannot use Redis: .*refused") as info:
        link.check()
    assert "\n" not in str(info.value)


def test_wrong_credentials_are_one_line(redis_server: RedisServer) -> None:
    """A user and password Redis does not know: ConfigError saying the credentials were refused, password hidden."""
    link = Link(f"redis://nobody:wrong@127.0.0.1:{redis_server.port}/0")
    with pytest.raises(ConfigError, match=r"Redis refused the credentials") as info:
        link.check()
    assert "wrong" not in str(info.value)
    assert "***@" in str(info.value)


def test_a_redis_too_old_is_refused(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A server older than the scripts need is a ConfigError naming both versions."""
    link = Link(redis_url)
    monkeypatch.setattr(link.client, "info", lambda *args: {"redis_version": "4.0.14"})
    with pytest.raises(ConfigError, match=r"Redis 4.0.14 is too old \(the mock needs 5.0 or later\)"):
        link.check()


def test_a_lost_redis_is_said_once_and_so_is_its_return(
    own_redis: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    """Calls while Redis is gone fail at once (StateUnavailable, 503) and log one line; its return logs one more."""
    link = Link(own_redis.url())
    link.check()
    own_redis.stop()
    with caplog.at_level(logging.INFO, logger="mockserver.state.redis.link"):
        for _ in range(3):
            with pytest.raises(StateUnavailable) as info:
                link.run(lambda client: client.ping())
            assert info.value.status == 503
        assert not link.up
        assert not link.probe()
        own_redis.restart()
        assert link.probe()
        assert link.probe()
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 2, lines
    assert "does not answer" in lines[0]
    assert "answers again" in lines[1]
    assert link.run(lambda client: client.ping())
    link.close()


def test_a_refusal_of_redis_is_a_503_and_keeps_the_link_up(redis_url: str) -> None:
    """Redis answering with an error (out of memory, a replica) fails the call, not the link."""
    link = Link(redis_url)

    def refused(client: Any) -> None:
        raise redis.ResponseError("OOM command not allowed when used memory > 'maxmemory'")

    with pytest.raises(StateUnavailable, match="OOM"):
        link.run(refused)
    assert link.up
    link.close()
