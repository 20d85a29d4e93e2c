"""The names of the mock's own headers, cookies and query parameters, read and written across its layers."""

from __future__ import annotations

__all__ = [
    "CODE_PARAMETER",
    "FAULT_HEADER",
    "MOCK_PARAMETERS",
    "SCENARIO_COOKIE",
    "SCENARIO_HEADER",
    "SCENARIO_PARAMETER",
    "SCENARIO_RESPONSE_HEADER",
    "SESSION_COOKIE",
    "SESSION_HEADER",
    "SESSION_PARAMETER",
    "WARNING_HEADER",
]

# A request names its scenario and session with a header, a cookie or a query parameter (most specific first).
SCENARIO_HEADER, SESSION_HEADER = "X-Mock-Scenario", "X-Mock-Session"
SCENARIO_COOKIE, SESSION_COOKIE = "mock_scenario", "mock_session"
SCENARIO_PARAMETER, SESSION_PARAMETER, CODE_PARAMETER = "__scenario", "__session", "__code"
# The mock's own query parameters: read by the mock, removed before the backend emulation sees the query.
MOCK_PARAMETERS = frozenset({SCENARIO_PARAMETER, SESSION_PARAMETER, CODE_PARAMETER})
# What an answer tells the client: the scenario that answered, an injected fault, and one header per warning.
SCENARIO_RESPONSE_HEADER = "X-Mock-Scenario"
FAULT_HEADER = "X-Mock-Fault"
WARNING_HEADER = "X-Mock-Warning"
