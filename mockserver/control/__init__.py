"""The control plane: which scenario, session and clock answer a request, faults, and the /__mock/ API."""
