"""Benchmarks: speed against the other mocks and a raw WSGI baseline, start-up, memory, the kill rate."""
