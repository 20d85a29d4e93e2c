"""`sendstat proxy`: the real service behind a proxy that judges every answer with the contract's own checks."""
