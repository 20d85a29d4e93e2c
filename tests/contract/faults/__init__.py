"""Broken servers for the contract suite: a correct reference, its fault flags, the matrix catalogue."""
