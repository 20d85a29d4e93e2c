"""The application factory: config defaults, the mock's state on app.extensions, blueprints, hooks."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, jsonify

from contract.errors import ContractError
from contract.php import PhpJsonFlag
from contract.spec import Contract, default_document_path
from mockserver.control import selection
from mockserver.control.api import blueprint
from mockserver.control.setup import CONTROL_DEFAULTS, build_runtime, control_token
from mockserver.errors import ConfigError
from mockserver.http import auth, cors, docs_page, fastpath, hooks, routes, ui
from mockserver.http.answer_cache import AnswerCache
from mockserver.http.context import EXTENSION, FieldsReadings, MockState, state_of
from mockserver.http.cors import Cors
from mockserver.http.direct import DirectAnswers, Routes
from mockserver.http.warnings import documented_query_parameters

__all__ = ["DEFAULTS", "answer_headers", "close_app", "create_app"]

DEFAULTS: dict[str, Any] = {
    # A loaded Contract (tests share one); None: load SENDSTAT_CONTRACT_PATH (None: the shipped one).
    "SENDSTAT_CONTRACT": None,
    "SENDSTAT_CONTRACT_PATH": None,
    # CORS on the API (never on /__mock/): the request's Origin echoed with credentials allowed; a list of
    # origins restricts it (None: any); without credentials, `*`.
    "SENDSTAT_CORS": True,
    "SENDSTAT_CORS_CREDENTIALS": True,
    "SENDSTAT_CORS_ORIGINS": None,
    "SENDSTAT_CORS_MAX_AGE": 600,
    # Send X-Mock-Warning headers.
    "SENDSTAT_WARNINGS": True,
    # Bytes of finished API answers each worker keeps in memory (mockserver/http/fastpath.py); 0: none.
    "SENDSTAT_ANSWER_CACHE_BYTES": 64 * 2**20,
    # Deployment settings that win over every scenario's own; None leaves each to the scenario:
    # the account's mailings (a MailingSource), the seed of generated mailings, the API keys accepted in
    # X-Estis-Auth, the empty index's status (204 or 200), json_encode flags (an int or flag names).
    "SENDSTAT_SOURCE": None,
    "SENDSTAT_SEED": None,
    "SENDSTAT_AUTH_KEYS": None,
    "SENDSTAT_EMPTY_INDEX_STATUS": None,
    "SENDSTAT_PHP_JSON_FLAGS": None,
    # Scenarios, shared state, the control API: see mockserver/control/setup.py.
    **CONTROL_DEFAULTS,
}


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

    hooks.init_app(app, state.control)  # first: selection precedes CORS preflights and authentication
    cors.init_app(app, state.contract)
    auth.init_app(app, state.contract)
    app.register_blueprint(routes.api_blueprint(state.contract))
    app.register_blueprint(docs_page.bp)
    app.register_blueprint(ui.ui_blueprint(state.contract))
    blueprint.init_app(app, state.control, control_token(app.config))
    app.add_url_rule("/health", "health", _health)
    if state.answers is not None:
        paths = state.contract.document["paths"]
        direct = DirectAnswers(state, Routes.of(paths), Cors.of(app.config), auth.api_key_header(state.contract))
        app.wsgi_app = fastpath.FastPath(  # type: ignore[method-assign]
            app.wsgi_app,
            state.control,
            state.answers,
            fastpath.ApiPaths.of(paths),
            answer_headers(state.contract),
            direct,
        )
    return app


def answer_headers(contract: Contract) -> tuple[str, ...]:
    """Return every request header an API answer may depend on, as the modules that read them declare."""
    return (*selection.READS, *cors.READS, *auth.reads(contract))


def close_app(app: Flask) -> None:
    """Release what an app holds open (its shared-state connection): before a fork, or when done."""
    state_of(app.extensions).control.close()


def _health() -> Response:
    """Answer a liveness probe (not part of the API): ok, or degraded (still serving) with the state's problem."""
    return jsonify(state_of(current_app.extensions).control.health())


def _build_state(config: Mapping[str, Any]) -> MockState:
    """Read and check the SENDSTAT_* keys, raising ConfigError with the key's name."""
    contract_path = config["SENDSTAT_CONTRACT_PATH"]
    path = Path(contract_path) if contract_path else default_document_path()
    contract = config["SENDSTAT_CONTRACT"]
    try:
        text = path.read_bytes()
        if contract is None:
            # The shipped document is validated by the tests (and by `sendstat check`); at start-up only a
            # document of the operator's own is (the validation costs about half a second).
            contract = Contract.load(path, validate=path.resolve() != default_document_path().resolve())
    except (OSError, ContractError) as exc:
        raise ConfigError(f"SENDSTAT_CONTRACT_PATH: cannot serve the contract {path}: {exc}") from exc
    if not isinstance(contract, Contract):
        raise ConfigError(f"SENDSTAT_CONTRACT must be a contract.spec.Contract, not {type(contract).__name__}")
    control_token(config)
    budget = config["SENDSTAT_ANSWER_CACHE_BYTES"]
    if not isinstance(budget, int) or isinstance(budget, bool) or budget < 0:
        raise ConfigError(f"SENDSTAT_ANSWER_CACHE_BYTES must be a number of bytes >= 0, not {budget!r}")
    control = build_runtime(config, contract)
    return MockState(
        contract=contract,
        contract_text=text,
        json_flags=control.overrides.json_flags or PhpJsonFlag.NONE,
        warnings=bool(config["SENDSTAT_WARNINGS"]),
        query_parameters=documented_query_parameters(contract),
        control=control,
        readings=FieldsReadings(contract),
        answers=AnswerCache(budget) if budget else None,
    )
