"""What a recording has fetched so far, kept in FILE.partial as it comes, so that an interrupted run resumes.

One JSON object a line: a head naming the target and the `fields` asked, the index answer, then one line per
view answered. Bodies are base64, exactly as the target sent them. The file holds customer data as the target
sent it (not yet anonymised): it is created readable by its owner only and deleted once FILE is written.
Request headers, the API key among them, are never written.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from contract.errors import UsageError

__all__ = ["Answer", "RecordLog"]

VERSION = 1


@dataclass(frozen=True)
class Answer:
    """One answer recorded: the path and query asked (relative to the target), its status and body bytes."""

    target: str
    status: int
    body: bytes

    def to_json(self) -> dict[str, Any]:
        """The line written for it."""
        return {"target": self.target, "status": self.status, "body": base64.b64encode(self.body).decode("ascii")}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Answer:
        """Read a written line back."""
        return cls(str(raw["target"]), int(raw["status"]), base64.b64decode(raw["body"]))


@dataclass
class RecordLog:
    """The answers recorded so far: the index, and the views by mailing id; appended to FILE.partial as they come."""

    path: Path
    target: str
    fields: str
    index: Answer | None = None
    views: dict[int, Answer] = field(default_factory=dict)
    _stream: TextIO | None = None

    @classmethod
    def open(cls, path: Path, target: str, fields: str) -> RecordLog:
        """Read what an earlier run of the same recording left, or start a new log; refuse another target's."""
        log = cls(path, target, fields)
        if path.exists():
            log._read()
        else:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
                stream.write(json.dumps({"sendstat-record": VERSION, "target": target, "fields": fields}) + "\n")
        log._stream = path.open("a", encoding="utf-8")
        return log

    def _read(self) -> None:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
            head = json.loads(lines[0]) if lines else {}
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise UsageError(f"{self.path}: not a partial recording ({exc}); delete it to start anew") from None
        if head.get("sendstat-record") != VERSION:
            raise UsageError(f"{self.path}: not a partial recording of this sendstat; delete it to start anew")
        if head.get("target") != self.target or head.get("fields") != self.fields:
            raise UsageError(
                f"{self.path} resumes a recording of {head.get('target')!r}, not of {self.target!r}: "
                "pass the same --target, or delete it to start anew"
            )
        for number, line in enumerate(lines[1:], start=2):
            try:
                raw = json.loads(line)
                if "index" in raw:
                    self.index = Answer.from_json(raw["index"])
                else:
                    self.views[int(raw["view"])] = Answer.from_json(raw["answer"])
            except (ValueError, KeyError, TypeError):
                # A line cut by the interruption: what it held is fetched again, and the line goes.
                if number != len(lines):
                    raise UsageError(f"{self.path}:{number}: unreadable; delete the file to start anew") from None
                self.path.write_text("".join(f"{kept}\n" for kept in lines[:-1]), encoding="utf-8")

    def add_index(self, answer: Answer) -> None:
        """Keep the index answer."""
        self.index = answer
        self._write({"index": answer.to_json()})

    def add_view(self, mailing_id: int, answer: Answer) -> None:
        """Keep one view answer."""
        self.views[mailing_id] = answer
        self._write({"view": mailing_id, "answer": answer.to_json()})

    def _write(self, line: dict[str, Any]) -> None:
        assert self._stream is not None
        self._stream.write(json.dumps(line) + "\n")
        self._stream.flush()

    def close(self) -> None:
        """Close the file (kept for the next run)."""
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    def remove(self) -> None:
        """Delete the file: the recording is written."""
        self.close()
        self.path.unlink(missing_ok=True)
