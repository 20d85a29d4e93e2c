"""Shared cells: integers every process of a state directory reads without a query."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockserver.state.local.cells import FLUSH, VERSION, Cells


def test_cells_on_one_file_are_shared(tmp_path: Path) -> None:
    """A write through one mapping of the file is read through another at once."""
    first, second = Cells(tmp_path / "cells.bin"), Cells(tmp_path / "cells.bin")
    first[VERSION] = 41
    second[FLUSH] = 2**62
    assert (second[VERSION], first[FLUSH]) == (41, 2**62)
    first.close()
    second.close()


def test_anonymous_cells_start_at_zero() -> None:
    """Cells of one process start at zero."""
    cells = Cells(None)
    assert (cells[VERSION], cells[FLUSH]) == (0, 0)
    cells.close()


def test_closed_cells_refuse_reads() -> None:
    """Reading after close raises ValueError saying so."""
    cells = Cells(None)
    cells.close()
    with pytest.raises(ValueError, match="closed"):
        cells[VERSION]
