"""Robustness tests: one real `sendstat mock` process under hostile input, fuzzing, load and switches."""
