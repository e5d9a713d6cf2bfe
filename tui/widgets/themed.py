"""Theme colours for lines built as Rich Text: roles swapped for app.tcss's styles.

Lines name roles (``tui.labels.ROLES``) instead of colours. A widget that
shows them lists the roles in its ``COMPONENT_CLASSES``; app.tcss gives each
role the theme's variables, and :class:`RoleStyles` turns them into Rich
styles, anew after each change of theme.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.style import Style
from rich.text import Text
from textual.color import BLACK, WHITE, Color
from textual.theme import Theme
from textual.widget import Widget

from tui.labels import themed


class RoleStyles:
    """The styles of one widget's roles under the current theme, cached until it changes."""

    def __init__(self, widget: Widget) -> None:
        self.widget = widget
        self._styles: dict[str, Style] = {}

    def __call__(self, role: str) -> Style:
        style = self._styles.get(role)
        if style is None:
            style = self._styles[role] = role_style(self.widget, role)
        return style

    def apply(self, text: Text) -> Text:
        """``text`` in this theme's colours."""
        return themed(text, self)

    def follow_theme(self, redraw: Callable[[], Any]) -> None:
        """Forget the styles and call ``redraw`` whenever the user picks another theme."""

        def changed(_theme: Theme) -> None:
            self._styles.clear()
            redraw()

        self.widget.app.theme_changed_signal.subscribe(self.widget, changed)


MINIMUM_CONTRAST = 4.5
"""WCAG's AA level for text: a theme whose colour reads less well on the pane gets it
moved towards black or white until it does (light themes' yellows and greens)."""


def role_style(widget: Widget, role: str) -> Style:
    """A role's colours and text style, as app.tcss sets them for ``widget``, made readable.

    Only what the role's rule sets: a span with no background of its own keeps
    the line's (the tree's cursor bar, the pane's surface). A colour is moved
    towards black or white until it reads on the pane (:data:`MINIMUM_CONTRAST`);
    on a band of colour, the pane's text is, when it would not read there.
    """
    rule = widget.get_component_styles(role)
    blended = widget.get_component_rich_style(role)  # colours with alpha, mixed over the widget
    _, _, background, foreground = widget.colors
    color = bgcolor = None
    if rule.has_rule("color") and blended.color is not None:
        colour = Color.from_rich_color(blended.color)
        color = readable(colour, background, towards=background.get_contrast_text(1.0)).rich_color
    if rule.has_rule("background") and blended.bgcolor is not None:
        band = Color.from_rich_color(blended.bgcolor)
        bgcolor = band.rich_color
        if color is None and band.ansi is None and foreground.ansi is None:
            text = readable(foreground, band, towards=band.get_contrast_text(1.0))
            color = None if text == foreground else text.rich_color
    return Style(color=color, bgcolor=bgcolor) + rule.text_style


def readable(colour: Color, other: Color, *, towards: Color) -> Color:
    """``colour``, blended towards black or white until it contrasts with ``other`` enough.

    ``towards`` is tried first (the pane's contrasting text colour); on a mid-tone
    band where neither reaches the mark, the best of the two. ANSI colours are the
    terminal's to choose, and are left as they are.
    """
    if colour.ansi is not None or other.ansi is not None or towards.ansi is not None:
        return colour
    opposite = WHITE if _luminance(towards) < 0.5 else BLACK
    best = colour
    for target in (towards, opposite):
        for step in range(11):
            candidate = colour.blend(target, step / 10)
            if contrast(candidate, other) >= MINIMUM_CONTRAST:
                return candidate
            if contrast(candidate, other) > contrast(best, other):
                best = candidate
    return best


def contrast(first: Color, second: Color) -> float:
    """WCAG's contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: Color) -> float:
    def channel(value: int) -> float:
        share = value / 255
        return share / 12.92 if share <= 0.03928 else ((share + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in colour.rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue
