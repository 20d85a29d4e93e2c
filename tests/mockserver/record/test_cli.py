"""Tests of `sendstat record` against live stand-ins: the mock, the fault matrix's reference server, php -S."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pytest
import requests
import yaml

from contract.checks import CheckContext, run_exchange
from contract.exchange import Exchange
from contract.expect import Account
from contract.spec import Contract
from mockserver.http.app import close_app, create_app
from sendstat.cli import main
from tests.contract.faults.reference import create_app as reference_app
from tests.mockserver.threaded import Counted, served

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

pytestmark = pytest.mark.slow
ALL = quote(json.dumps(["id", "common", "open_time", "click_statistic", "domain_statistic", "errors"]))
KEY = "test-key-do-not-print"
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z


def record(target: str, out: Path, *args: str) -> int:
    """Run `sendstat record` in-process, fast and without a bar."""
    return main(
        ["record", "--target", target, "--out", str(out), "--rate-limit", "1000/s", "--progress", "never", *args]
    )


def requests_of(target: str, headers: dict[str, str] | None = None) -> list[str]:
    """The index and every listed view with all six sections."""
    index = requests.get(f"{target}/mailer/sendstatistics", headers=headers, timeout=10)
    ids = [item["id"] for item in index.json()["statistics"]] if index.status_code == 200 else []
    return ["/mailer/sendstatistics", *(f"/mailer/sendstatistics/{i}?fields={ALL}" for i in ids)]


def serving_file(path: Path) -> Any:
    """The mock's app serving a written scenario file."""
    return create_app(
        {"SENDSTAT_SCENARIO": path.stem, "SENDSTAT_SCENARIO_DIRS": [str(path.parent)], "SENDSTAT_RELOAD_INTERVAL": None}
    )


def assert_same_bytes(target: str, path: Path, headers: dict[str, str] | None = None) -> int:
    """Every recorded request answered by the mock on the file as by the target: status and bytes; return the count."""
    app = serving_file(path)
    client = app.test_client()
    paths = requests_of(target, headers)
    for request in paths:
        direct = requests.get(target + request, headers=headers, timeout=10)
        served_answer = client.get(request)
        assert (served_answer.status_code, served_answer.get_data()) == (direct.status_code, direct.content), request
    close_app(app)
    return len(paths)


@pytest.fixture(scope="module")
def mock_apps() -> Iterator[dict[str, str]]:
    """The mock on one port per scenario: stand-ins of real accounts."""
    names = ["php-empty-maps", "all-error-codes", "unicode-and-extremes", "default", "unescaped-json"]
    stack: list[Any] = []
    urls: dict[str, str] = {}
    for name in names:
        context = served(create_app({"SENDSTAT_SCENARIO": name, "SENDSTAT_RELOAD_INTERVAL": None}))
        urls[name] = context.__enter__()
        stack.append(context)
    yield urls
    for context in reversed(stack):
        context.__exit__(None, None, None)


@pytest.mark.parametrize("scenario", ["php-empty-maps", "all-error-codes", "unicode-and-extremes", "unescaped-json"])
def test_without_anonymising_the_mock_answers_as_the_target_did(
    mock_apps: dict[str, str], tmp_path: Path, scenario: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --no-anonymise the recording serves every recorded request byte for byte, and validates."""
    out = tmp_path / "recorded.yaml"
    assert record(mock_apps[scenario], out, "--no-anonymise") == 0
    assert assert_same_bytes(mock_apps[scenario], out) > 1
    assert "byte for byte as the target's" in capsys.readouterr().err
    assert main(["scenario", "validate", str(out)]) == 0
    assert not out.with_name("recorded.yaml.partial").exists()


def test_an_anonymised_recording_keeps_every_rule_and_only_the_strings_change(
    mock_apps: dict[str, str], tmp_path: Path, contract: Contract
) -> None:
    """Anonymised: same ids and counts, other titles, links and company domains, and no rule of the suite broken."""
    target = mock_apps["default"]
    out = tmp_path / "anon.yaml"
    assert record(target, out) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Recorded by sendstat")
    assert "Anonymised:" in text.splitlines()[2]
    app = serving_file(out)
    client = app.test_client()
    index = client.get("/mailer/sendstatistics").get_json()["statistics"]
    original = requests.get(f"{target}/mailer/sendstatistics", timeout=10).json()["statistics"]
    assert [item["id"] for item in index] == [item["id"] for item in original]
    assert all(
        a["letter_title"] != b["letter_title"] for a, b in zip(index, original, strict=True) if b["letter_title"]
    )
    ctx = CheckContext(contract, Account(listed=tuple(item["id"] for item in index)))
    public = {"mail.ru", "gmail.com", "yandex.ru"}
    for item in original:
        path = f"/mailer/sendstatistics/{item['id']}?fields={ALL}"
        mine = client.get(path)
        theirs = requests.get(target + path, timeout=10).json()
        exchange = Exchange(
            "test",
            "GET",
            "http://recorded.invalid" + path,
            {},
            mine.status_code,
            {"content-type": mine.content_type},
            mine.get_data(),
            0.0,
        )
        assert run_exchange(ctx, exchange) == [], path
        body = mine.get_json()
        assert body["common"] == theirs["common"]
        assert body["open_time"] == theirs["open_time"]
        assert body["errors"] == theirs["errors"]
        assert sorted(body["click_statistic"].values() if body["click_statistic"] else []) == sorted(
            theirs["click_statistic"].values() if theirs["click_statistic"] else []
        )
        assert all(url.split("/")[2].endswith("example.com") for url in body["click_statistic"] or {})
        for domain in theirs["domain_statistic"] or {}:
            assert (domain in body["domain_statistic"]) == (domain in public) or domain not in public
    close_app(app)


def test_the_same_answers_give_the_same_file(
    mock_apps: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two anonymised recordings of the same account are the same bytes (SOURCE_DATE_EPOCH fixes the header's time)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first, second = tmp_path / "a" / "rec.yaml", tmp_path / "b" / "rec.yaml"
    first.parent.mkdir()
    second.parent.mkdir()
    assert record(mock_apps["unicode-and-extremes"], first) == 0
    assert record(mock_apps["unicode-and-extremes"], second) == 0
    assert first.read_bytes() == second.read_bytes()
    assert "at 2026-01-01T00:00:00Z" in first.read_text(encoding="utf-8")


@pytest.mark.parametrize("flags", [(), ("empty-map-as-object",), ("raw-utf8",), ("list-as-object",)])
def test_a_targets_shapes_and_flags_round_trip(tmp_path: Path, flags: tuple[str, ...]) -> None:
    """`{}` for empty maps, `{"0": 7}`, raw UTF-8: the recording serves the target's bytes; the key is not written."""
    with served(reference_app(flags)) as target:
        out = tmp_path / "ref.yaml"
        assert record(target, out, "--no-anonymise", "--header", f"X-Estis-Auth: {KEY}") == 0
        assert assert_same_bytes(target, out, {"X-Estis-Auth": KEY}) == 5
    assert KEY not in out.read_text(encoding="utf-8")


def test_a_faulty_target_is_recorded_with_its_faults_declared(tmp_path: Path) -> None:
    """A view that breaks a seed rule is served as a declared fault, byte for byte, and the file validates."""
    with served(reference_app(("delivered-bounce-over-count",))) as target:
        out = tmp_path / "faulty.yaml"
        assert record(target, out, "--no-anonymise", "--header", f"X-Estis-Auth: {KEY}") == 0
        assert assert_same_bytes(target, out, {"X-Estis-Auth": KEY}) == 5
    forced = yaml.safe_load(out.read_text(encoding="utf-8"))["forced"]
    assert list(forced) == ["42"]
    assert forced["42"]["status"] == 200
    assert forced["42"]["fault"] is True
    assert main(["scenario", "validate", str(out)]) == 0


class Gate:
    """A WSGI middleware that leaves view requests unanswered (held) until opened, after `free` views."""

    def __init__(self, app: Any, free: int) -> None:
        self.app = Counted(app)
        self.free = free
        self.views = 0
        self.open = threading.Event()

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Hold a view past the client's deadline while closed, then answer."""
        if environ.get("PATH_INFO", "").count("/") == 3 and not self.open.is_set():
            self.views += 1
            if self.views > self.free:
                self.open.wait(timeout=5)  # simulates a target gone silent, well past --timeout 0.3
        return self.app(environ, start_response)


def test_an_interrupted_recording_resumes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A target that stops answering ends the run with a resume hint; the next run fetches only what is missing."""
    gate = Gate(create_app({"SENDSTAT_SCENARIO": "all-error-codes", "SENDSTAT_RELOAD_INTERVAL": None}), free=4)
    out = tmp_path / "resumed.yaml"
    with served(gate) as target:
        assert record(target, out, "--no-anonymise", "--timeout", "0.3") == 2
        err = capsys.readouterr().err
        assert "4 of 18 mailings recorded" in err
        assert "run the same command again to resume" in err
        assert out.with_name("resumed.yaml.partial").exists()
        gate.open.set()
        before = dict(gate.app.seen)
        assert record(target, out, "--no-anonymise", "--timeout", "5") == 0
        again = {
            path: count - before.get(path, 0) for path, count in gate.app.seen.items() if count > before.get(path, 0)
        }
        assert len(again) == 14  # the 14 views not recorded before, each once; neither the index nor the 4 done
        assert not any(path == "/mailer/sendstatistics" for path in again)
        assert assert_same_bytes(target, out) == 19
