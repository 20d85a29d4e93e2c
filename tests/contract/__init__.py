"""Tests of the contract suite (contract/): the suite judged against correct and broken servers."""
