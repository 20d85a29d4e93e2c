"""Scenarios: YAML files read, validated, judged against the contract and built into what the mock serves."""
