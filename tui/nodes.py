"""What a line of the mandate tree stands for: what the screen selects and the detail shows."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class NodeKind(StrEnum):
    SECTION = "section"
    GROUP = "group"
    OBLIGATION = "obligation"


@dataclass(frozen=True)
class NodeRef:
    """One line of the tree: a section (by its number), a group or an obligation (by key)."""

    kind: NodeKind
    key: str
