"""Run the sendstat command line as `python -m sendstat`."""

from __future__ import annotations

from sendstat.cli import main

raise SystemExit(main())
