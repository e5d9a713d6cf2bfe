"""The detail pane: one obligation's full record, scrollable, drawn line by line.

It draws through Textual's line API instead of a Static in a scroll
container: new content repaints this pane only, with no screen-wide layout,
which keeps moving through the tree quick.
"""

from __future__ import annotations

from rich.console import Console
from rich.segment import Segment
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.labels import safe_rich


class DetailPane(ScrollView, can_focus=True):
    """Shows a Rich Text, wrapped to the pane's width."""

    DEFAULT_CSS = """
    DetailPane { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._content = Text()
        self._lines: list[Strip] = []
        self._wrapped_at = -1

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
        lines = console.render_lines(self._content, options, pad=False, new_lines=False)
        self._lines = [Strip(Segment.adjust_line_length(line, width), width) for line in lines]
        self._wrapped_at = width
        self.virtual_size = Size(width, len(self._lines))

    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self._wrapped_at:
            self._wrap()

    def render_line(self, y: int) -> Strip:
        index = y + self.scroll_offset.y
        if index >= len(self._lines):
            return Strip.blank(self.scrollable_content_region.width, self.rich_style)
        return self._lines[index].apply_style(self.rich_style)
