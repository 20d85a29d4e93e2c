"""The control API under /__mock/: scenarios, sessions, the clock and the journal, as JSON."""
