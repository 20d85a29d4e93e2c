"""The state every worker shares: active scenario, clock, sessions, counters and the request journal."""
