"""Command palette entries: jump to an obligation, apply a filter, show a month.

Each entry calls the same screen method as the key that does the same thing.
Plan text never reaches the palette's markup parser: prompts are Rich Text
and help strings are escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from store.describe import event_dates
from tui.filters import fold
from tui.labels import as_markup_literal

if TYPE_CHECKING:
    from tui.screens.main import MainScreen

Entry = tuple[str, Callable[[], object], str]
"""(what the user searches and sees, what it does, help)."""


class TrackerCommands(Provider):
    """Everything the main screen can do from the palette."""

    @property
    def main(self) -> MainScreen:
        from tui.screens.main import MainScreen

        screen = self.screen
        assert isinstance(screen, MainScreen)
        return screen

    def _entries(self) -> Iterator[Entry]:
        screen = self.main
        view = screen.view
        for key, filter_label, action in screen.filter_commands():
            yield f"Filter: {filter_label}", action, f"show {filter_label} ({key})"
        plan = view.tracker.plan
        for month in range(1, 13):
            day = date(plan.year, month, 1)
            yield (
                f"Calendar: {day.strftime('%B %Y')}",
                partial(screen.show_day, day),
                "show this month in the calendar",
            )
        for event in view.tracker.events.values():
            if event.start is not None:
                yield (
                    f"Calendar: {event.name} ({event_dates(event)})",
                    partial(screen.show_day, event.start),
                    "show the meeting in the calendar",
                )
        for assessment in view.assessments.values():
            obligation = assessment.obligation
            yield (
                f"Go to {obligation.number}: {obligation.short_title}",
                partial(screen.jump_to, obligation.key),
                f"{assessment.state.value}",
            )

    async def discover(self) -> Hits:
        for label, action, help_text in self._entries():
            if not label.startswith("Go to "):
                yield DiscoveryHit(Text(label), action, label, as_markup_literal(help_text))

    async def search(self, query: str) -> Hits:
        words = fold(query).split()
        matcher = self.matcher(query)
        for label, action, help_text in self._entries():
            folded = fold(label)
            if words and all(word in folded for word in words):
                score = 0.5 + 0.5 * matcher.match(label)  # every word found: always shown
            else:
                score = matcher.match(label)
            if score > 0:
                yield Hit(score, Text(label), action, label, as_markup_literal(help_text))
