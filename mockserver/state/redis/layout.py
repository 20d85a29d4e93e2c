"""Where the shared state lives in Redis: the keys, and the Lua scripts that change them atomically.

Every key starts with `sendstat:` (give the mock a Redis database of its own: redis://host:6379/N).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files

__all__ = ["CONTROL_KEYS", "JOURNAL_KEYS", "KEYS", "PREFIX", "Keys", "as_bytes", "script"]

PREFIX = "sendstat:"


@dataclass(frozen=True)
class Keys:
    """The keys of the state (a worker's own key is WORKER + its id)."""

    # A hash: epoch, version, active (JSON), clock (JSON), reloads, flush (the journal's flush requests),
    # seq and pruned (the journal's numbering).
    state: str = PREFIX + "state"
    # A hash of session id -> {"scenario", "clock", "created", "expires"} (JSON).
    sessions: str = PREFIX + "sessions"
    # A hash of counter scope (session or "-", scenario, endpoint) -> requests counted.
    counters: str = PREFIX + "counters"
    # The journal: hashes by sequence number of the entries (JSON: the summary, the request's headers, the
    # answer's id and size) and of the answers' ids; the answers by id (headers, kept body), and how many
    # entries name each. The state's seq numbers the entries, its pruned says up to where they are gone.
    entries: str = PREFIX + "journal:entries"
    answer_of: str = PREFIX + "journal:answer-of"
    answers: str = PREFIX + "journal:answers"
    refs: str = PREFIX + "journal:refs"
    # The set of live workers' ids; each worker's own hash (seen version, answered flush, pid, host) expires
    # unless the worker beats.
    workers: str = PREFIX + "workers"
    worker: str = PREFIX + "worker:"

    def worker_key(self, worker_id: str) -> str:
        """Return a worker's own key."""
        return self.worker + worker_id


KEYS = Keys()
# The KEYS of control.lua and journal.lua, the caller's own key last.
CONTROL_KEYS = (KEYS.state, KEYS.sessions, KEYS.counters, KEYS.entries, KEYS.answer_of, KEYS.answers, KEYS.refs)
JOURNAL_KEYS = (KEYS.state, KEYS.entries, KEYS.answer_of, KEYS.answers, KEYS.refs)


def as_bytes(value: bytes | str | None) -> bytes:
    """Return a value Redis gave back as bytes (the client gives bytes; its types also allow text)."""
    if value is None:
        return b""
    return value.encode() if isinstance(value, str) else value


def script(name: str) -> str:
    """Return the text of a Lua script of the scripts folder."""
    return files("mockserver.state.redis").joinpath(f"scripts/{name}.lua").read_text(encoding="utf-8")
