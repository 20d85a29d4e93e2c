"""The control plane's exception: a status and a JSON body."""

from __future__ import annotations

from mockserver.errors import ControlError, MockServerError


def test_a_control_error_renders_its_message_first_then_details() -> None:
    """body() is {"message": ..., **details}; the status defaults to 400; it is a MockServerError."""
    error = ControlError("no such thing", known=["a", "b"])
    assert (error.status, error.body()) == (400, {"message": "no such thing", "known": ["a", "b"]})
    assert list(error.body()) == ["message", "known"]
    assert isinstance(error, MockServerError)
    assert ControlError("gone", 404).status == 404
