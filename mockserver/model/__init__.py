"""The domain model: what a mailing is and how an account's mailings are generated (no HTTP, no Flask)."""
