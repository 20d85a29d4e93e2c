"""Tests of contract/php: unit tests, and differential tests against real PHP (oracle.php)."""
