"""The benchmark's baseline app: a bare Textual Tree as big as the tracker, and nothing else.

What Textual itself costs to start, draw and move a cursor over that many
lines; the benchmark sets cicte-tui beside it. The lines are grouped like the
plan's (two sections, 20 groups), and the groups open collapsed beyond the
size at which cicte-tui collapses its own, so both draw about as many lines.
Run it alone: ``python tests/perf/bare_tree.py 10000`` (``q`` quits).
"""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Tree

GROUPS = 20
EXPAND_ALL_UP_TO = 500
"""cicte-tui's own threshold (``tui.widgets.mandate_tree``): beyond it groups open closed."""


class BareTree(App[None]):
    """A Tree of ``size`` leaves in ``GROUPS`` groups; ``q`` quits."""

    BINDINGS = [Binding("q", "quit", "Quit")]  # noqa: RUF012 - Textual's class attribute

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size_of_tree = size

    def compose(self) -> ComposeResult:
        tree: Tree[int] = Tree("Work plan")
        tree.show_root = False
        expand = self.size_of_tree <= EXPAND_ALL_UP_TO
        sections = [tree.root.add(f"Section {name}", expand=True) for name in ("I", "II")]
        groups = [
            sections[index * 2 // GROUPS].add(f"Group {index + 1}", expand=expand)
            for index in range(GROUPS)
        ]
        for leaf in range(self.size_of_tree):
            groups[leaf % GROUPS].add_leaf(f"{leaf:>5}  item {leaf} of the plan", data=leaf)
        yield tree


if __name__ == "__main__":
    BareTree(int(sys.argv[1]) if len(sys.argv) > 1 else 58).run()
