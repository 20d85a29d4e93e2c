"""The domain model of mailings: audience, bounces, error codes, opens, clicks and titles (no HTTP)."""
