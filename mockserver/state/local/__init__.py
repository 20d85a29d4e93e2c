"""The local state: SQLite and shared memory in a scratch directory, shared by the workers of one server."""
