"""The mandate tree: Section I groups → mandates, Section II sectors → programmes → projects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from store.model import Group, Section
from store.schedule import Assessment
from tui.filters import TreeFilter
from tui.labels import group_line, obligation_line
from tui.view import TrackerView

SECTION_TITLES = {
    Section.MANDATES: "Section I — mandates to the Secretariat",
    Section.PROGRAMMES: "Section II — programmes and activities",
}
EXPAND_ALL_UP_TO = 500
"""Above this many obligations the tree opens with groups collapsed."""


@dataclass(frozen=True)
class NodeRef:
    """What a tree line stands for."""

    kind: str
    """``section``, ``group`` or ``obligation``."""
    key: str


class MandateTree(Tree[NodeRef]):
    """Obligations grouped as in the plan, each line with its state at a glance."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("right,l", "expand_or_enter", "Expand", show=False),
        Binding("left,h", "collapse_or_leave", "Collapse", show=False),
        # Space marks done (the screen's action) instead of the stock expand/collapse.
        Binding("space", "screen.toggle_done", "Mark occurrence done", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__("Work plan", id=id)
        self.show_root = False
        self.guide_depth = 2
        self._obligation_nodes: dict[str, TreeNode[NodeRef]] = {}
        self._group_nodes: dict[str, TreeNode[NodeRef]] = {}

    # -- building ------------------------------------------------------------

    def populate(self, view: TrackerView, tree_filter: TreeFilter) -> int:
        """Rebuild the lines for what the filter lets through; returns how many obligations."""
        keep = self.cursor_node.data if self.cursor_node else None
        keep_line = self.cursor_line
        visible = view.visible(tree_filter)
        by_group: dict[str, list[Assessment]] = {}
        for assessment in visible:
            by_group.setdefault(assessment.obligation.group, []).append(assessment)
        for members in by_group.values():
            members.sort(key=lambda a: a.obligation.order)  # an undone delete is back in place
        expand = tree_filter.active or len(view.assessments) <= EXPAND_ALL_UP_TO
        self.clear()
        self._obligation_nodes = {}
        self._group_nodes = {}
        for section in view.sections():
            section_node = self.root.add(
                Text(SECTION_TITLES[section], style="bold"), NodeRef("section", section.value)
            )
            for group in view.top_groups(section):
                self._add_group(section_node, group, view, by_group, tree_filter.active, expand)
            if section_node.children or not tree_filter.active:
                section_node.expand()
            else:
                section_node.remove()
        self.root.expand()
        if (keep is None or not self.select_ref(keep, scroll=False)) and self.last_line >= 0:
            # The line's item is gone (deleted, filtered out): stay at the same height.
            self.move_cursor_to_line(max(0, min(keep_line, self.last_line)))
        return len(visible)

    def _add_group(
        self,
        parent: TreeNode[NodeRef],
        group: Group,
        view: TrackerView,
        by_group: dict[str, list[Assessment]],
        filtered: bool,
        expand: bool,
    ) -> None:
        node = parent.add(Text(group.title), NodeRef("group", group.key), expand=expand)
        for child in view.child_groups(group.key):
            self._add_group(node, child, view, by_group, filtered, expand)
        for assessment in by_group.get(group.key, []):
            self._obligation_nodes[assessment.key] = node.add_leaf(
                obligation_line(assessment), NodeRef("obligation", assessment.key)
            )
        if filtered and not node.children:
            node.remove()  # a filter hides groups with nothing to show
            return
        self._group_nodes[group.key] = node
        self._label_group(node, group, view)

    def _label_group(self, node: TreeNode[NodeRef], group: Group, view: TrackerView) -> None:
        assessments = [view.assessments[leaf.data.key] for leaf in _leaves(node) if leaf.data]
        late = sum(1 for a in assessments if a.overdue)
        soon = sum(1 for a in assessments if a.due_soon)
        node.set_label(group_line(group.number, group.title, late, soon))

    # -- updating in place ---------------------------------------------------

    def update_obligation(self, assessment: Assessment, view: TrackerView) -> None:
        """Relabel one obligation and the counts of its groups after an edit."""
        node = self._obligation_nodes.get(assessment.key)
        if node is None:
            return
        node.set_label(obligation_line(assessment))
        parent = node.parent
        while parent is not None and parent.data is not None and parent.data.kind == "group":
            self._label_group(parent, view.groups[parent.data.key], view)
            parent = parent.parent

    def select_ref(self, ref: NodeRef, *, scroll: bool = True) -> bool:
        """Put the cursor on a line, opening its groups; False when it is filtered out."""
        nodes = self._obligation_nodes if ref.kind == "obligation" else self._group_nodes
        node = nodes.get(ref.key)
        if node is None:
            return False
        ancestor = node.parent
        while ancestor is not None:
            ancestor.expand()
            ancestor = ancestor.parent
        _ = self.last_line  # lays out the lines now, so the node knows its line
        self.move_cursor(node)
        if scroll:
            self.scroll_to_node(node, animate=False)
        return True

    def obligation_keys(self) -> list[str]:
        return list(self._obligation_nodes)

    # -- keys ----------------------------------------------------------------

    def action_expand_or_enter(self) -> None:
        node = self.cursor_node
        if node is None or not node.children:
            return
        if node.is_expanded:
            self.action_cursor_down()
        else:
            node.expand()

    def action_collapse_or_leave(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.children and node.is_expanded:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.move_cursor(node.parent)


def _leaves(node: TreeNode[NodeRef]) -> list[TreeNode[NodeRef]]:
    found: list[TreeNode[NodeRef]] = []
    for child in node.children:
        if child.data is not None and child.data.kind == "obligation":
            found.append(child)
        else:
            found.extend(_leaves(child))
    return found
