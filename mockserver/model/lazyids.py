"""A base for ascending id sequences computed on demand: indexing and slicing over one `_at(index)`."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from typing import overload


class LazyIds(Sequence[int]):
    """An ascending sequence of ids whose subclass computes the id at an index; nothing is materialised."""

    @abstractmethod
    def _at(self, index: int) -> int:
        """Return the id at a non-negative index within bounds."""

    @abstractmethod
    def __len__(self) -> int: ...

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[int]: ...
    def __getitem__(self, index: int | slice) -> int | Sequence[int]:
        length = len(self)
        if isinstance(index, slice):
            return [self._at(i) for i in range(*index.indices(length))]
        if index < 0:
            index += length
        if not 0 <= index < length:
            raise IndexError("mailing index out of range")
        return self._at(index)
