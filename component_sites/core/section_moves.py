"""How the content of each standard section moves when sites merge, as the apps say.

The merge itself is control-plane work (``tenants.merging``); what belongs where is known
only by the content apps, which tell ``core`` in their ``AppConfig.ready``:

- ``register_section_move(key, mode, container)``: the pages of section ``key`` go under
  the survivor's section of the same kind (``INTO``; ``container`` may choose a page
  inside it, a news category named after the former unit, say), under “Đơn vị cũ” ›
  <former unit> (``FORMER_UNIT``), or nowhere (``NOT_COPIED``: the survivor's own section
  stands for them).  A key nobody registers is not copied.
- ``register_row_mover(name, mover)``: ``mover(transfer)`` moves rows that are not pages
  (questions and answers) after the pages moved; ``transfer`` is a :class:`RowTransfer`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

INTO = "into"  # its pages go under the survivor's section of the same kind
FORMER_UNIT = "former_unit"  # its pages go under “Đơn vị cũ” › <former unit>
NOT_COPIED = "not_copied"  # nothing copied; the survivor's own section stands for it


@dataclass(frozen=True)
class SectionMove:
    """How the pages of one standard section move into the survivor when sites merge.

    ``container`` (for ``INTO``) is given the survivor's section, the former unit's name
    and slug, and returns the page the moved pages go under (a news category, say).
    """

    mode: str = NOT_COPIED
    container: Callable[[object, str, str], object] | None = None


class MovedPaths(Protocol):
    moved_paths: list[tuple[str, str]]


class RowTransfer(Protocol):
    """What a row mover is given: the two schemas and where to record what it did."""

    source: str
    target: str
    written_files: list[str]
    result: MovedPaths

    def on_file_written(self, name: str) -> None: ...

    def old_address(self, url_path: str) -> str: ...

    def new_address(self, url_path: str) -> str: ...

    def count(self, kind: str, number: int) -> None: ...


_SECTION_MOVES: dict[str, SectionMove] = {}
_ROW_MOVERS: list[tuple[str, Callable[[RowTransfer], None]]] = []


def register_section_move(
    key, mode: str, container: Callable[[object, str, str], object] | None = None
) -> None:
    """Say how section ``key`` moves in a merge (``INTO``, ``FORMER_UNIT``, ``NOT_COPIED``)."""
    if mode not in (INTO, FORMER_UNIT, NOT_COPIED):
        raise ValueError(f"unknown section move {mode!r} for section {key!r}")
    _SECTION_MOVES[str(key)] = SectionMove(mode, container)


def section_move(key) -> SectionMove:
    """How section ``key`` moves; not copied when no app said otherwise."""
    return _SECTION_MOVES.get(str(key), SectionMove())


def register_row_mover(name: str, mover: Callable[[RowTransfer], None]) -> None:
    """Add ``mover``, called with the transfer after the pages moved, to move rows that
    are not pages (it appends its old → new addresses to ``transfer.result.moved_paths``)."""
    if name not in {existing for existing, _mover in _ROW_MOVERS}:
        _ROW_MOVERS.append((name, mover))


def row_movers() -> list[Callable[[RowTransfer], None]]:
    """The registered row movers, in registration order."""
    return [mover for _name, mover in _ROW_MOVERS]
