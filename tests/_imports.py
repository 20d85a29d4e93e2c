"""What a fresh interpreter has imported after running some code (start-up time is kept by what is not)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable


def imported(code: str, names: Iterable[str]) -> list[str]:
    """Run code in a new interpreter; return the modules it loaded that are named, or lie inside a named package."""
    wanted = sorted(set(names))
    probe = (
        f"{code}\nimport json as _json, sys as _sys\nwanted = {wanted!r}\n"
        "print(_json.dumps(sorted(m for m in _sys.modules if any(m == w or m.startswith(w + '.') for w in wanted))))"
    )
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    found: list[str] = json.loads(output.strip().splitlines()[-1])
    return found
