"""Mouse-selected text drawn as selected, for widgets that draw their own lines."""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widget import Widget


def with_selection(widget: Widget, strip: Strip, line: int) -> Strip:
    """``strip`` (line ``line`` of ``widget``'s content) with the selected part highlighted."""
    selection = widget.text_selection
    if selection is None or (span := selection.get_span(line)) is None:
        return strip
    start, end = span
    end = strip.cell_length if end == -1 else end
    chosen = widget.screen.get_component_rich_style("screen--selection")
    middle = strip.crop(start, end)
    middle = Strip(Segment.apply_style(list(middle), post_style=chosen), middle.cell_length)
    return Strip.join([strip.crop(0, start), middle, strip.crop(end)])
