"""The mandate tree: Section I groups → mandates, Section II sectors → programmes → projects."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text, TextType
from textual import on
from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.message import Message
from textual.reactive import var
from textual.strip import Strip
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from store.model import Group, Section
from store.schedule import Assessment
from store.text import safe_text
from tui.filters import TreeFilter
from tui.labels import ROLES, as_markup_literal
from tui.nodes import NodeKind, NodeRef
from tui.tree_layout import EMPTY, TreeLayout, TreeLayouts, tally
from tui.view import TrackerView
from tui.widgets.themed import RoleStyles
from tui.widgets.tree_lines import EXPAND_ICON, GroupLines, ObligationLines

SECTION_TITLES = {
    Section.MANDATES: "Section I — mandates to the Secretariat",
    Section.PROGRAMMES: "Section II — programmes and activities",
}
EXPAND_ALL_UP_TO = 500
"""Above this many obligations the tree opens with groups collapsed."""
FILTER_OPENS_UP_TO = 200
"""A filter opens groups, in plan order, until this many of its items have lines; the
groups after that open when asked (Textual makes every line of an open group, and a
screen shows forty)."""


class KeyedTree(Tree[NodeRef]):
    """A tree moved with the arrows or h/j/k/l: right opens a group, then goes into it;
    left closes it, then goes up to its parent."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("right,l", "expand_or_enter", "Expand", show=False),
        Binding("left,h", "collapse_or_leave", "Collapse", show=False),
    ]

    def process_label(self, label: TextType) -> Text:
        """The label as it is when it is one line (ours are): Textual would copy each."""
        if isinstance(label, Text) and "\n" not in label.plain:
            return label
        return super().process_label(label)

    def get_label_width(self, node: TreeNode[NodeRef]) -> int:
        """A line's width without drawing it (Textual draws each line of the tree to know)."""
        label = node.label
        width = label.cell_len if isinstance(label, Text) else len(label)
        return width + (EXPAND_ICON if node.allow_expand else 0)

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


class MandateTree(KeyedTree):
    """Obligations grouped as in the plan, each line with its state at a glance."""

    COMPONENT_CLASSES: ClassVar[set[str]] = set(ROLES)
    """The roles its lines name: the theme's colours for states (app.tcss)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Space marks done today instead of the stock expand/collapse.
        Binding("space", "done_today", "Done today (next open occurrence)", show=False),
    ]

    view: var[TrackerView | None] = var(None)
    """What to show (handed down by the screen)."""
    tree_filter: var[TreeFilter] = var(TreeFilter())
    """Which items the tree shows."""
    marks: var[frozenset[str]] = var(frozenset())
    """Keys of the items marked for a bulk action (the screen owns the marks)."""

    @dataclass
    class DoneToday(Message):
        """Space on an item: mark its next open occurrence done today."""

    @dataclass
    class Populated(Message):
        """The lines were made anew: ``shown`` items pass the filter."""

        shown: int

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__("Work plan", id=id)
        self.show_root = False
        self.guide_depth = 2
        self._obligation_nodes: dict[str, TreeNode[NodeRef]] = {}
        self._group_nodes: dict[str, TreeNode[NodeRef]] = {}
        self._labelled_width = 0
        self._pending: dict[str, list[Assessment]] = {}
        """Group key → its items whose lines are made when it is first opened."""
        self._tallies: dict[str, tuple[int, int]] = {}
        """Group key → [overdue, due soon] among the items the filter shows under it."""
        self._room = 0
        """How many more items a filtered tree makes lines for before it leaves groups shut."""
        self._view: TrackerView
        self._lines_for: tuple[TrackerView, TreeFilter] | None = None
        """The view and filter the lines were made for."""
        self.roles = RoleStyles(self)
        self.lines = ObligationLines(self.roles)
        self.group_lines = GroupLines(self.roles)
        self._layouts = TreeLayouts()
        self._shown = EMPTY
        """What the lines show: the items under each group, and their counts."""

    def on_mount(self) -> None:
        self.roles.follow_theme(self._recolour)

    def _recolour(self) -> None:
        """The lines made so far, in the new theme's colours (or fitted to a new width)."""
        self.lines.forget()
        self.group_lines.forget()
        self._relabel()

    def _relabel(self) -> None:
        self._labelled_width = width = self.line_width
        for key, node in self._obligation_nodes.items():
            node.set_label(self._line(self._view.assessments[key], width))
        for key in self._group_nodes:
            self._label_group(key)

    # -- state coming down --------------------------------------------------

    def watch_view(self, old: TrackerView | None, new: TrackerView | None) -> None:
        if new is None:
            return
        if old is None or not new.has_lines_of(old):
            self.populate(new, self.tree_filter)
            if old is not None and old.records.year != new.records.year:
                self.move_cursor_to_line(0)  # another plan year: its first line
            return
        self._view = new
        self.update_obligations(new.changed_since(old))

    def watch_tree_filter(self) -> None:
        # Bound with the view, the filter is handed down at start too: the lines are made once.
        if self.view is not None and self._lines_for != (self.view, self.tree_filter):
            self.populate(self.view, self.tree_filter)

    def watch_marks(self, old: frozenset[str], new: frozenset[str]) -> None:
        """Mark these items' lines (``●``) and unmark the others."""
        if self.view is None:
            return
        width = self.line_width
        for key in old ^ new:
            node = self._obligation_nodes.get(key)
            if node is not None and key in self._view.assessments:
                node.set_label(self._line(self._view.assessments[key], width))
        self._show_counts()

    def _show_counts(self) -> None:
        """The filter (the header is cut on narrow terminals), how many items the tree shows,
        and how many are marked (first: borders get cut), on the tree's border."""
        shown = self._lines_for[1] if self._lines_for else TreeFilter()
        self.border_title = as_markup_literal(
            f"Work plan: {shown.describe()}" if shown.active else "Work plan"
        )
        counts = f"{self._shown.shown} of {len(self._view.assessments)} shown"
        if self.marks:
            hidden = len(self.marks - set(self.obligation_keys()))
            marked = f"● {len(self.marks)} marked" + (f" ({hidden} hidden)" if hidden else "")
            counts = f"{marked} · {counts}"
        self.border_subtitle = counts

    def action_done_today(self) -> None:
        self.post_message(self.DoneToday())

    # -- building ------------------------------------------------------------

    def populate(self, view: TrackerView, tree_filter: TreeFilter) -> int:
        """Rebuild the lines for what the filter lets through; returns how many obligations.

        On a large plan the groups open collapsed and a group's lines are made
        only when it is first opened, so 10,000 items open quickly; a filter
        opens groups until ``FILTER_OPENS_UP_TO`` of its items have lines.
        """
        keep = self.cursor_node.data if self.cursor_node else None
        keep_line = self.cursor_line
        layout = self._layouts.of(view, tree_filter)
        filtered = tree_filter.active
        if self._lines_for is not None and self._lines_for[0] is view and layout is self._shown:
            # A longer search that finds the same items: the lines stay as they are.
            self._lines_for = (view, tree_filter)
            self._show_counts()
            self.post_message(self.Populated(layout.shown))
            return layout.shown
        self._shown = layout
        expand = filtered or len(view.assessments) <= EXPAND_ALL_UP_TO
        self._room = FILTER_OPENS_UP_TO if filtered else layout.shown
        self.clear()
        self._view = view
        self._lines_for = (view, tree_filter)
        self._labelled_width = self.line_width
        self.lines.follow(view)
        self._tallies = dict(layout.tallies)
        self._obligation_nodes = {}
        self._group_nodes = {}
        self._pending = {}
        for section in view.sections():
            section_node = self.root.add(
                Text(SECTION_TITLES[section], style="bold"),
                NodeRef(NodeKind.SECTION, section.value),
            )
            for group in view.top_groups(section):
                self._add_group(section_node, group, layout, filtered, expand)
            if section_node.children or not filtered:
                section_node.expand()
            else:
                section_node.remove()
        self.root.expand()
        if (keep is None or not self.select_ref(keep, scroll=False)) and self.last_line >= 0:
            first = next(iter(self._shown.group_of), None)
            if filtered and first is not None and keep_line >= 0:
                # Filtered out: the first item that matches is what the user looks for
                # (or its group's line, when the group is too big to open at each key).
                home = self._shown.group_of[first]
                shut = home in self._pending
                ref = NodeRef(NodeKind.GROUP, home) if shut else NodeRef(NodeKind.OBLIGATION, first)
                self.select_ref(ref)
            else:  # deleted: stay at the same height
                self.move_cursor_to_line(max(0, min(keep_line, self.last_line)))
        self._show_counts()
        self.post_message(self.Populated(layout.shown))
        return layout.shown

    def _add_group(
        self,
        parent: TreeNode[NodeRef],
        group: Group,
        layout: TreeLayout,
        filtered: bool,
        expand: bool,
    ) -> None:
        """Add a group and what it holds (nothing, when the filter shows nothing in it)."""
        if filtered and not layout.members.get(group.key):
            return  # a filter hides groups with nothing to show
        node = parent.add(
            Text(safe_text(group.title)), NodeRef(NodeKind.GROUP, group.key), expand=expand
        )
        for child in self._view.child_groups(group.key):
            self._add_group(node, child, layout, filtered, expand)
        own = layout.own.get(group.key, [])
        if expand and len(own) <= self._room:
            self._room -= len(own)
            self._add_leaves(node, own)
        elif own:
            self._pending[group.key] = own
            node.allow_expand = True
            if node.is_expanded:
                node.collapse()  # a filter's items past the first few: shown when opened
        self._group_nodes[group.key] = node
        self._label_group(group.key)

    @property
    def line_width(self) -> int:
        """Columns a line has, guides included (the lines use all of them)."""
        return self.scrollable_content_region.width

    def _guides(self, depth: int) -> int:
        """Columns of the guides before a line with ``depth`` lines above it (its section,
        groups)."""
        return (depth + 1) * self.guide_depth

    def _add_leaves(self, node: TreeNode[NodeRef], assessments: list[Assessment]) -> None:
        width, now = self.line_width, self._view.assessments
        for assessment in assessments:  # as the view has it now: edited since, maybe
            self._obligation_nodes[assessment.key] = node.add_leaf(
                self._line(now.get(assessment.key, assessment), width),
                NodeRef(NodeKind.OBLIGATION, assessment.key),
            )

    def _line(self, assessment: Assessment, width: int) -> Text:
        depth = len(self._view.group_path(assessment.obligation))
        marked = assessment.key in self.marks
        return self.lines.line(self._view, assessment, width, self._guides(depth), marked)

    def render_lines(self, crop: Region) -> list[Strip]:
        # Fitted to the first layout's width before they are drawn (on_resize: a second paint).
        if self.line_width != self._labelled_width and self._group_nodes:
            self._relabel()
        return super().render_lines(crop)

    def _materialize(self, group_key: str) -> None:
        """Make the lines of a group that has not been opened yet."""
        pending = self._pending.pop(group_key, None)
        if pending:
            self._add_leaves(self._group_nodes[group_key], pending)

    @on(Tree.NodeExpanded)
    def _opened(self, event: Tree.NodeExpanded[NodeRef]) -> None:
        if event.node.data is not None and event.node.data.kind is NodeKind.GROUP:
            self._materialize(event.node.data.key)

    def _label_group(self, group_key: str, recount: bool = False) -> None:
        """A group's line with its counts (``recount``: an edit may have changed them)."""
        group = self._view.groups[group_key]
        if recount:
            self._tallies[group_key] = tally(self._view, self._shown.members.get(group_key, ()))
        late, soon = self._tallies.get(group_key, (0, 0))
        width = self.line_width
        guides = self._guides(self._view.group_depth(group))
        self._group_nodes[group_key].set_label(
            self.group_lines.line(group, late, soon, width, guides)
        )

    # -- updating in place ---------------------------------------------------

    def update_obligations(self, assessments: Iterable[Assessment]) -> None:
        """Relabel obligations after an edit (a bulk one: many), and each of their groups once."""
        groups: dict[str, None] = {}
        width = self.line_width
        for assessment in assessments:
            node = self._obligation_nodes.get(assessment.key)
            if node is not None:
                node.set_label(self._line(assessment, width))
            if assessment.key in self._shown.group_of:
                groups.update(dict.fromkeys(self._view.group_path(assessment.obligation)[1:]))
        for key in groups:
            if key in self._group_nodes:
                self._label_group(key, recount=True)

    def keys_under(self, ref: NodeRef) -> list[str]:
        """The items a line stands for, as the filter shows them: itself, or a group's."""
        if ref.kind is NodeKind.OBLIGATION:
            return [ref.key] if ref.key in self._shown.group_of else []
        if ref.kind is NodeKind.GROUP:
            return list(self._shown.members.get(ref.key, []))
        return [
            key
            for group in self._view.top_groups(Section(ref.key))
            for key in self._shown.members.get(group.key, [])
        ]

    def select_ref(self, ref: NodeRef, *, scroll: bool = True) -> bool:
        """Put the cursor on a line, opening its groups; False when it is filtered out."""
        if ref.kind is NodeKind.OBLIGATION and ref.key in self._shown.group_of:
            self._materialize(self._shown.group_of[ref.key])
        nodes = self._obligation_nodes if ref.kind is NodeKind.OBLIGATION else self._group_nodes
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
        """Every item the tree shows, in order, opened or not."""
        return [key for key, group in self._shown.group_of.items() if group in self._group_nodes]
