"""schemathesis' sessions through the suite's adapter (contract/engine_sessions.py), for one run's config only."""

from __future__ import annotations

import pytest
import schemathesis
from requests.adapters import HTTPAdapter
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import context as engine_context

from contract.bounded import BoundedAdapter, Limits
from contract.budget import Clock
from contract.engine import run_engine
from contract.engine_config import engine_config
from contract.engine_sessions import mounted
from contract.settings import Settings
from contract.spec import Contract
from tests.contract.hostile import hostile_server


def test_only_the_running_config_gets_the_adapter(contract: Contract) -> None:
    """Within a run its config's sessions send through the adapter, another config's do not; then all is restored."""
    original = engine_context.make_session
    ours, theirs = (
        schemathesis.openapi.from_dict(
            dict(contract.document), config=SchemathesisConfig.from_dict(engine_config(Settings(base_url="http://x")))
        ).config
        for _ in range(2)
    )
    adapter = BoundedAdapter(Limits(1.0, 1024), Clock(60))
    with mounted(ours, adapter):
        assert engine_context.make_session(ours).get_adapter("http://x/") is adapter
        assert engine_context.make_session(ours).get_adapter("https://x/") is adapter
        other = engine_context.make_session(theirs).get_adapter("http://x/")
        assert type(other) is HTTPAdapter
    assert engine_context.make_session is original


@pytest.mark.slow
def test_schemathesis_probes_are_bounded(contract: Contract) -> None:
    """Even schemathesis' probing phase reads at most --max-body of a 2 GiB answer, and the suite counts it."""
    observed = []
    with hostile_server() as hostile:
        settings = Settings(base_url=hostile.url("huge"), max_body=1024 * 1024, timeout=5, seed=1, max_examples=1)
        result = run_engine(
            contract.document, settings, Clock(20), base_path="/huge", on_observed=observed.append, on_phase=print
        )
    probes = [item.exchange for item in observed if item.exchange.operation is None]
    assert probes
    assert {exchange.error_check for exchange in probes} == {"body-size"}
    assert result.sent >= len(observed)
