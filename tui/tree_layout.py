"""What the mandate tree holds for one view and one filter, worked out once: no Textual here.

Which items show under which group, in plan order, every item under each
group and how many of them are late or due soon. The tree keeps the layouts
of the filters it showed last, so turning a filter off and on again, or
clearing a search, only draws the lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter

from store.model import Group
from store.schedule import Assessment
from tui.filters import TreeFilter
from tui.view import TrackerView

IN_PLAN_ORDER = attrgetter("obligation.order")
LAYOUTS_KEPT = 8
"""Filters whose layout is kept for a view (``o`` twice, a search cleared)."""


@dataclass(frozen=True, eq=False)
class TreeLayout:
    """The items one filter shows, placed in the plan's groups (shared: never changed)."""

    items: list[Assessment]
    """The items the filter lets through, in plan order."""
    own: dict[str, list[Assessment]]
    """Group key → the items directly in it, in plan order."""
    members: dict[str, list[str]]
    """Group key → the keys of every item under it, as the tree lists them."""
    tallies: dict[str, tuple[int, int]]
    """Group key → (overdue, due soon) among the items under it."""
    group_of: dict[str, str]
    """Item key → the group it shows under, in the tree's order."""

    @property
    def shown(self) -> int:
        """How many items the filter lets through."""
        return len(self.items)


EMPTY = TreeLayout([], {}, {}, {}, {})


def tally(view: TrackerView, keys: Iterable[str]) -> tuple[int, int]:
    """(overdue, due soon) among these items."""
    urgency = [view.urgency(key) for key in keys]
    return sum(late for late, _ in urgency), sum(soon for _, soon in urgency)


def tree_layout(view: TrackerView, visible: list[Assessment]) -> TreeLayout:
    """The layout of ``visible`` (what a filter lets through) in ``view``'s groups."""
    own: dict[str, list[Assessment]] = {}
    tallies: dict[str, tuple[int, int]] = {}
    for assessment in visible:
        own.setdefault(assessment.obligation.group, []).append(assessment)
        late, soon = view.urgency(assessment.obligation.key)
        if late or soon:
            for key in view.group_path(assessment.obligation)[1:]:
                before = tallies.get(key, (0, 0))
                tallies[key] = (before[0] + late, before[1] + soon)
    for items in own.values():
        items.sort(key=IN_PLAN_ORDER)  # an undone delete is back in place
    members: dict[str, list[str]] = {}
    group_of: dict[str, str] = {}

    def gather(group: Group) -> list[str]:
        keys: list[str] = []
        for child in view.child_groups(group.key):
            keys += gather(child)
        own_keys = [a.obligation.key for a in own.get(group.key, ())]
        group_of.update(dict.fromkeys(own_keys, group.key))
        keys += own_keys
        members[group.key] = keys
        return keys

    for section in view.sections():
        for group in view.top_groups(section):
            gather(group)
    return TreeLayout(visible, own, members, tallies, group_of)


class TreeLayouts:
    """The layouts of the last few filters shown on one view."""

    def __init__(self) -> None:
        self._view: TrackerView | None = None
        self._layouts: dict[TreeFilter, TreeLayout] = {}

    def of(self, view: TrackerView, tree_filter: TreeFilter) -> TreeLayout:
        if view is not self._view:
            self._layouts, self._view = {}, view
        layout = self._layouts.get(tree_filter)
        if layout is None:
            items = view.visible(tree_filter)
            # The same items as a filter shown before (typing on found no fewer): its layout.
            same = (kept for kept in self._layouts.values() if kept.items is items)
            layout = next(same, None) or tree_layout(view, items)
            if len(self._layouts) >= LAYOUTS_KEPT:  # the oldest goes; all items stay
                del self._layouts[next(f for f in self._layouts if f.active)]
            self._layouts[tree_filter] = layout
        return layout
