"""The application factory: config defaults, the mock's state on app.extensions, blueprints, hooks."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, jsonify

from contract.errors import ContractError
from contract.spec import Contract, default_document_path
from mockserver.errors import ConfigError
from mockserver.model import MailingSource
from mockserver.phpjson import PhpJsonError, PhpJsonFlag, parse_flags
from mockserver.request_rules import documented_query_parameters

__all__ = ["DEFAULTS", "EXTENSION", "MockState", "create_app", "mock_state"]

EXTENSION = "sendstat"

DEFAULTS: dict[str, Any] = {
    # The account's mailings (a MailingSource); None: mockserver.account.default_account(seed).
    "SENDSTAT_SOURCE": None,
    "SENDSTAT_SEED": 1,
    # A loaded Contract (tests share one); None: load SENDSTAT_CONTRACT_PATH (None: the shipped one).
    "SENDSTAT_CONTRACT": None,
    "SENDSTAT_CONTRACT_PATH": None,
    # API keys accepted in the document's X-Estis-Auth header; empty or None: no authentication.
    "SENDSTAT_AUTH_KEYS": None,
    "SENDSTAT_CORS": True,
    "SENDSTAT_CORS_CREDENTIALS": False,
    "SENDSTAT_CORS_MAX_AGE": 600,
    # An account with no mailings: 204 and an empty body (openapi.yaml), or 200 {"statistics": []}.
    "SENDSTAT_EMPTY_INDEX_STATUS": 204,
    # json_encode flags of the deployment: an int bitmask or names such as "JSON_UNESCAPED_UNICODE".
    "SENDSTAT_PHP_JSON_FLAGS": 0,
    # Send X-Mock-Warning headers.
    "SENDSTAT_WARNINGS": True,
}


@dataclass(frozen=True)
class MockState:
    """What every request reads: the contract, the account's mailings, and the encoding choices."""

    contract: Contract
    contract_text: bytes
    source: MailingSource
    json_flags: PhpJsonFlag
    empty_index_status: int
    warnings: bool
    query_parameters: Mapping[str, frozenset[str]]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build a mock server app; config keys (SENDSTAT_*) override DEFAULTS."""
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    if config is not None:
        app.config.from_mapping(config)
    # No redirects on an API: `//` and trailing slashes are plain 404s, as a client should see them.
    app.url_map.merge_slashes = False
    state = _build_state(app.config)
    app.extensions[EXTENSION] = state

    from mockserver import auth, cors, docs_page, views

    cors.init_app(app, state.contract)
    auth.init_app(app, state.contract)
    app.register_blueprint(views.api_blueprint(state.contract))
    app.register_blueprint(docs_page.bp)
    app.add_url_rule("/health", "health", _health)
    return app


def mock_state() -> MockState:
    """Return the state of the app handling the current request."""
    state = current_app.extensions[EXTENSION]
    assert isinstance(state, MockState)
    return state


def _health() -> Response:
    """Answer a liveness probe (not part of the API)."""
    return jsonify(status="ok")


def _build_state(config: Mapping[str, Any]) -> MockState:
    """Read and check the SENDSTAT_* keys, raising ConfigError with the key's name."""
    contract_path = config["SENDSTAT_CONTRACT_PATH"]
    path = Path(contract_path) if contract_path else default_document_path()
    contract = config["SENDSTAT_CONTRACT"]
    try:
        text = path.read_bytes()
        if contract is None:
            contract = Contract.load(path)
    except (OSError, ContractError) as exc:
        raise ConfigError(f"SENDSTAT_CONTRACT_PATH: cannot serve the contract {path}: {exc}") from exc
    if not isinstance(contract, Contract):
        raise ConfigError(f"SENDSTAT_CONTRACT must be a contract.spec.Contract, not {type(contract).__name__}")
    status = config["SENDSTAT_EMPTY_INDEX_STATUS"]
    if status not in (200, 204):
        raise ConfigError(f"SENDSTAT_EMPTY_INDEX_STATUS must be 204 or 200, not {status!r}")
    try:
        flags = parse_flags(config["SENDSTAT_PHP_JSON_FLAGS"])
    except PhpJsonError as exc:
        raise ConfigError(f"SENDSTAT_PHP_JSON_FLAGS: {exc}") from exc
    source = config["SENDSTAT_SOURCE"]
    if source is None:
        source = _default_source(config["SENDSTAT_SEED"])
    if not all(callable(getattr(source, name, None)) for name in ("ids", "title", "mailing")):
        raise ConfigError(f"SENDSTAT_SOURCE must be a MailingSource (ids, title, mailing), not {source!r}")
    return MockState(
        contract=contract,
        contract_text=text,
        source=source,
        json_flags=flags,
        empty_index_status=status,
        warnings=bool(config["SENDSTAT_WARNINGS"]),
        query_parameters=documented_query_parameters(contract),
    )


def _default_source(seed: Any) -> MailingSource:
    """Build the default account with the given seed; the domain model is imported only when needed."""
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise ConfigError(f"SENDSTAT_SEED must be an integer, not {seed!r}")
    from mockserver.account import Account, default_account

    account = default_account()
    if seed == account.config.seed:
        return account
    # default_account() takes no seed: the same account config with another seed, sharing the loaded data.
    return Account(dataclasses.replace(account.config, seed=seed), account.data)
