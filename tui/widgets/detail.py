"""The detail pane: one obligation's full record, scrollable, drawn line by line.

It draws through Textual's line API instead of a Static in a scroll
container: new content repaints this pane only, with no screen-wide layout,
which keeps moving through the tree quick. Its text can be selected with the
mouse and copied (Textual's text selection: each line carries its offsets).
"""

from __future__ import annotations

from typing import ClassVar

from rich.console import Console
from rich.segment import Segment
from rich.text import Text
from textual.geometry import Region, Size
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

from store.model import Section
from tui.details import group_detail, obligation_detail, section_detail
from tui.labels import ROLES, safe_rich
from tui.nodes import NodeKind, NodeRef
from tui.view import TrackerView
from tui.widgets.selection import with_selection
from tui.widgets.themed import RoleStyles


class DetailPane(ScrollView, can_focus=True):
    """Shows a Rich Text, wrapped to the pane's width."""

    DEFAULT_CSS = """
    DetailPane { height: 1fr; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = set(ROLES)
    """The roles of the states it shows (the theme's colours, in app.tcss)."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._content = Text()
        self._lines: list[Strip] = []
        self._plain: list[str] = []
        """Each wrapped line's characters, for copying a selection."""
        self._wrapped_at = -1
        self.roles = RoleStyles(self)

    def on_mount(self) -> None:
        self.roles.follow_theme(self._recolour)

    def _recolour(self) -> None:
        self._wrap()
        self.refresh()

    @property
    def content(self) -> Text:
        """What the pane shows, unwrapped (tests and copy read this)."""
        return self._content

    def show(self, content: Text) -> None:
        """Show ``content``; what a terminal could act on is taken out of it first."""
        self._content = safe_rich(content)
        self._wrap()
        self.scroll_home(animate=False)
        self.refresh()

    def _wrap(self) -> None:
        width = max(10, self.scrollable_content_region.width or self.size.width or 80)
        console = Console(width=width, legacy_windows=False, color_system="truecolor")
        options = console.options.update(width=width, no_wrap=False, overflow="fold")
        shown = self.roles.apply(self._content)
        lines = console.render_lines(shown, options, pad=False, new_lines=False)
        self._lines = [Strip(Segment.adjust_line_length(line, width), width) for line in lines]
        self._plain = [strip.text.rstrip() for strip in self._lines]
        self._wrapped_at = width
        self._resize_content(Size(width, len(self._lines)))

    def _resize_content(self, size: Size) -> None:
        """Say how long the text is now: a screen-wide layout only when the scrollbar comes
        or goes (Textual lays out the whole screen for any change of a virtual size)."""
        before, room = self.virtual_size, self.scrollable_content_region.height
        if room and before.width == size.width and (before.height > room) == (size.height > room):
            self.set_reactive(DetailPane.virtual_size, size)
            if self.show_vertical_scrollbar:
                self.vertical_scrollbar.window_virtual_size = size.height
        else:
            self.virtual_size = size

    def render_lines(self, crop: Region) -> list[Strip]:
        # Wrapped to the width as the first layout gives it, before the text is drawn (the
        # resize that follows would draw the screen a second time); after a resize too.
        if self.scrollable_content_region.width != self._wrapped_at:
            self._wrap()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        index = y + self.scroll_offset.y
        if index >= len(self._lines):
            return Strip.blank(self.scrollable_content_region.width, self.rich_style)
        strip = self._lines[index]
        strip = with_selection(self, strip, index)
        return strip.apply_offsets(0, index).apply_style(self.rich_style)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected words, as the lines show them."""
        return selection.extract("\n".join(self._plain)), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self.refresh()


class ItemDetail(DetailPane):
    """The detail of the tree's selected line: an item, a group or a section."""

    view: var[TrackerView | None] = var(None)
    selected: var[NodeRef | None] = var(None)
    nothing_matches: var[str] = var("")
    """Said instead of a detail when the filter leaves the tree empty ("" when it does not)."""

    def watch_view(self) -> None:
        self._show_selected()

    def watch_selected(self) -> None:
        self._show_selected()

    def watch_nothing_matches(self) -> None:
        self._show_selected()

    def _show_selected(self) -> None:
        view, ref = self.view, self.selected
        if self.nothing_matches:
            self.show(Text(self.nothing_matches))
        elif view is None or ref is None:
            return
        elif ref.kind is NodeKind.OBLIGATION and ref.key in view.assessments:
            self.show(obligation_detail(view.assessments[ref.key], view))
        elif ref.kind is NodeKind.GROUP and ref.key in view.groups:
            self.show(group_detail(view.groups[ref.key], view))
        elif ref.kind is NodeKind.SECTION:
            self.show(section_detail(Section(ref.key), view))
        # else: a line whose item was just removed: the tree moves on at once
