"""The mandate tree's lines: each item's made once and kept until it changes.

A line depends on the item's assessment, the room the pane has, the mark and
the theme; a filter, a search or a plan of 10,000 items shown again reuses
the lines already made instead of building each anew.
"""

from __future__ import annotations

from rich.text import Text

from store.model import Group
from store.schedule import Assessment
from store.text import safe_text
from tui.labels import group_line, obligation_line
from tui.titles import cut_title, shared_starts
from tui.view import TrackerView
from tui.widgets.themed import RoleStyles

FEWEST_TITLE_COLUMNS = 1
"""A title gets what its line has left, at least an ellipsis: a line never runs past
the pane, where it would be cut with no sign that it was."""
EXPAND_ICON = 2
"""Columns of the open/closed triangle before a group's title."""
MARK = "● "
"""Before a marked line (``v``): a glyph, so the mark never rests on colour alone."""


class ObligationLines:
    """Makes items' tree lines and keeps them by (assessment, width, mark).

    An edit makes a new assessment, so the line of an edited item is made
    anew; a theme change or a headline that now starts like another's
    forgets them all.
    """

    def __init__(self, roles: RoleStyles) -> None:
        self.roles = roles
        self._made: dict[str, tuple[Assessment, int, bool, Text]] = {}
        self._view: TrackerView | None = None
        self._read: TrackerView | None = None
        """The view whose headlines were read last."""
        self._headlines: dict[str, str] = {}
        self._shared: dict[str, int] = {}
        """Item key → how much of its headline starts another item's (``shared_starts``)."""

    def follow(self, view: TrackerView) -> None:
        """Work out again which headlines start alike once the records changed (when the
        first line is made: a big plan opens with no item's line)."""
        self._view = view

    def _shared_starts(self) -> dict[str, int]:
        view, read = self._view, self._read
        if view is None or view is read:
            return self._shared
        self._read = view
        if read is not None and read.assessments.keys() == view.assessments.keys():
            # After a save: only the items it touched can have a new headline (reading all
            # 10,000 again held the screen 9 ms).
            changed = view.changed_since(read)
            if all(self._headlines[a.key] == a.obligation.headline for a in changed):
                return self._shared
        headlines = {key: a.obligation.headline for key, a in view.assessments.items()}
        if headlines != self._headlines:  # a search does not change them: sorted once
            self._headlines, self._shared = headlines, shared_starts(headlines)
            self.forget()
        return self._shared

    def forget(self) -> None:
        """Make every line anew from now on (another theme)."""
        self._made.clear()

    def line(
        self, view: TrackerView, assessment: Assessment, width: int, guides: int, marked: bool
    ) -> Text:
        """An item's line, its title cut to the room left on it: short starts leave more.

        ``guides``: the columns before it (the tree's guides); no ``width`` yet (not laid
        out): its number, till the first resize makes the lines.
        """
        if not width:
            return Text(assessment.obligation.number)
        shared = self._shared_starts()
        made = self._made.get(assessment.key)
        if made is not None and made[0] is assessment and made[1] == width and made[2] == marked:
            return made[3]
        obligation = assessment.obligation
        line = self.roles.apply(obligation_line(assessment, view.today, title=""))
        if marked:
            line = Text.assemble((MARK, "bold reverse"), line)
        room = max(FEWEST_TITLE_COLUMNS, width - guides - line.cell_len)
        line.append(cut_title(safe_text(obligation.headline), room, shared.get(obligation.key, 0)))
        self._made[assessment.key] = (assessment, width, marked, line)
        return line


class GroupLines:
    """Group lines with their counts, kept by (group, overdue, due soon, width)."""

    def __init__(self, roles: RoleStyles) -> None:
        self.roles = roles
        self._made: dict[str, tuple[tuple[Group, int, int, int], Text]] = {}

    def forget(self) -> None:
        """Make every line anew from now on (another theme)."""
        self._made.clear()

    def line(self, group: Group, late: int, soon: int, width: int, guides: int) -> Text:
        """``guides``: the columns before it (the tree's guides); no ``width`` yet (not laid
        out): its title, till the first resize makes the lines."""
        if not width:
            return Text(group.title)
        made = self._made.get(group.key)
        if made is not None and made[0] == (group, late, soon, width):
            return made[1]
        start = group_line(group.number, "", late, soon).cell_len + EXPAND_ICON
        room = max(FEWEST_TITLE_COLUMNS, width - guides - start)
        label = self.roles.apply(group_line(group.number, group.title, late, soon, room))
        self._made[group.key] = ((group, late, soon, width), label)
        return label
