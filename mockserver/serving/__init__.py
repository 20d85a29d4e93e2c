"""Serving the mock: `sendstat mock` under granian, its workers, and the access log."""
