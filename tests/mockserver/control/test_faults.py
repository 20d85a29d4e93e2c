"""Fault decisions (reproducible, at their rates) and what each fault kind puts in the answer."""

from __future__ import annotations

import json

import pytest
from werkzeug.wrappers import Response

from mockserver.control.faults import PHP_NOTICE, decide, dropped, error_body, malformed, needs_count, truncated
from mockserver.scenario.spec import Fault, Latency

FAULTS = (Fault("500", 0.2), Fault("drop", 0.1))


def test_decisions_are_a_function_of_seed_endpoint_and_number() -> None:
    """The same (seed, endpoint, number) decides the same; another seed or endpoint decides otherwise."""
    run = [decide(1, "view", n, Latency(10, 20), FAULTS) for n in range(1, 200)]
    assert run == [decide(1, "view", n, Latency(10, 20), FAULTS) for n in range(1, 200)]
    assert run != [decide(2, "view", n, Latency(10, 20), FAULTS) for n in range(1, 200)]
    assert run != [decide(1, "index", n, Latency(10, 20), FAULTS) for n in range(1, 200)]


def test_faults_meet_their_rates() -> None:
    """Over 5000 requests each fault meets about its rate, and at most one fault per request."""
    kinds = [decide(7, "view", n, None, FAULTS).fault for n in range(1, 5001)]
    assert 900 <= sum(1 for f in kinds if f is not None and f.kind == "500") <= 1100
    assert 400 <= sum(1 for f in kinds if f is not None and f.kind == "drop") <= 600


@pytest.mark.parametrize(("rate", "expected"), [(0.0, 0), (1.0, 100)])
def test_rates_zero_and_one_are_exact(rate: float, expected: int) -> None:
    """Rate 0 never fails and rate 1 always does."""
    decisions = [decide(3, "index", n, None, (Fault("503", rate),)) for n in range(1, 101)]
    assert sum(1 for d in decisions if d.fault is not None) == expected


def test_latency_is_fixed_plus_jitter() -> None:
    """The delay lies in [fixed, fixed + jitter]; without jitter it is exactly the fixed part."""
    delays = [decide(1, "view", n, Latency(100, 50), ()).delay_ms for n in range(1, 300)]
    assert all(100 <= d <= 150 for d in delays)
    assert max(delays) - min(delays) > 40
    assert decide(1, "view", 1, Latency(100, 0), ()).delay_ms == 100


@pytest.mark.parametrize(
    ("latency", "faults", "needed"),
    [(None, (), False), (Latency(5, 0), (), False), (Latency(5, 1), (), True), (None, FAULTS, True)],
)
def test_only_faults_or_jitter_need_a_request_number(
    latency: Latency | None, faults: tuple[Fault, ...], needed: bool
) -> None:
    """A scenario without faults or jitter never touches the shared counter."""
    assert needs_count(latency, faults) is needed


@pytest.mark.parametrize(("kind", "status"), [("500", 500), ("503", 503)])
def test_error_faults_have_json_bodies(kind: str, status: int) -> None:
    """500 and 503 carry {"message": ...}."""
    code, body = error_body(kind)
    assert code == status
    assert set(body) == {"message"}


def test_a_dropped_answer_announces_a_byte_and_yields_none() -> None:
    """Content-Length 1, no Content-Type, an empty generator."""
    response = dropped()
    assert response.headers["Content-Length"] == "1"
    assert "Content-Type" not in response.headers
    assert response.is_streamed
    assert b"".join(response.response) == b""


def test_a_truncated_answer_keeps_status_headers_and_length() -> None:
    """Half the body, the full Content-Length, the same status and headers; a body-less answer is dropped."""
    full = Response(b'{"id":12345}', status=404, headers={"X-Mock-Warning": "w"}, content_type="application/json")
    cut = truncated(full)
    assert (cut.status_code, cut.headers["Content-Length"], cut.headers["X-Mock-Warning"]) == (404, "12", "w")
    assert b"".join(cut.response) == b'{"id":'
    assert truncated(Response(status=204)).headers["Content-Length"] == "1"


def test_a_malformed_answer_is_200_with_a_php_warning_first() -> None:
    """Status 200 whatever the answer was, the PHP warning then the JSON; no parser accepts it."""
    full = Response(b'{"message":"Not found"}', status=404, content_type="application/json")
    bad = malformed(full)
    assert bad.status_code == 200
    assert bad.get_data() == PHP_NOTICE + b'{"message":"Not found"}'
    assert bad.headers["Content-Length"] == str(len(bad.get_data()))
    with pytest.raises(json.JSONDecodeError):
        json.loads(bad.get_data())
