"""Command palette entries: jump to an obligation, apply a filter, show a month.

Each entry calls the same screen method as the key that does the same thing.
Plan text never reaches the palette's markup parser: prompts are Rich Text
and help strings are escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Protocol, cast, runtime_checkable

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from store.describe import session_dates, session_name
from tui.command_list import MAIN_COMMANDS
from tui.filters import fold
from tui.labels import as_markup_literal
from tui.screens.host import MainHost


class PaletteHost(MainHost, Protocol):
    """What the palette asks of the main screen (it never imports the screen)."""

    @property
    def filtering(self) -> FilterEntries: ...

    def run_command(self, command_id: str) -> None: ...

    def start(self, handler: Callable[[], object]) -> None: ...

    def show_day(self, day: date) -> None: ...


class FilterEntries(Protocol):
    def palette_entries(
        self, run: Callable[[Callable[[], object]], None]
    ) -> Iterator[tuple[str, Callable[[], object]]]: ...


@runtime_checkable
class PlanSwitching(Protocol):
    """What the palette asks of the app: plan years and the theme."""

    def show_plan(self, year: int) -> None: ...

    def start_next_plan(self) -> object: ...

    def action_change_theme(self) -> None: ...


@dataclass(frozen=True)
class Entry:
    label: str
    """What the user searches and sees."""
    action: Callable[[], object]
    help: str
    exact: str = ""
    """A term that, typed alone, should rank this entry first (an obligation's id)."""
    title: str = ""
    """Its title, folded: words found here rank above words found only in ``text``
    (empty: the label is the title)."""
    text: str = ""
    """An item's whole searchable text, folded: its text, sources, notes and the
    titles of its groups."""


class TrackerCommands(Provider):
    """Everything the main screen can do from the palette."""

    @property
    def main(self) -> PaletteHost:
        return cast(PaletteHost, self.screen)  # the provider of the main screen only

    def _entries(self) -> Iterator[Entry]:
        screen = self.main
        view = screen.view
        for filter_label, action in screen.filtering.palette_entries(screen.start):
            yield Entry(f"Filter: {filter_label}", action, f"show {filter_label}")
        for command in MAIN_COMMANDS:
            if command.palette is not None:
                run = partial(screen.run_command, command.id)
                yield Entry(command.palette, run, command.key_words)
        app = screen.app
        assert isinstance(app, PlanSwitching)
        for year in view.plans:
            if year != view.plan.year:
                yield Entry(
                    f"Plan: work on the {year} plan",
                    partial(app.show_plan, year),
                    "key: P",
                )
        yield Entry(
            "Change theme: the colours of the app (remembered)",
            app.action_change_theme,
            "light or dark; kept for the next start",
        )
        following = max(view.plans) + 1
        yield Entry(f"Plan: start the {following} plan…", app.start_next_plan, "key: P")
        plan = view.plan
        for month in range(1, 13):
            day = date(plan.year, month, 1)
            yield Entry(
                f"Calendar: {day.strftime('%B %Y')}",
                partial(screen.show_day, day),
                "show this month in the calendar",
            )
        for series in view.meetings.values():
            for session in series.sessions:
                if session.start is not None:
                    yield Entry(
                        f"Calendar: {session_name(series, session)} ({session_dates(session)})",
                        partial(screen.show_day, session.start),
                        "show the meeting in the calendar",
                    )
        for assessment in view.assessments.values():
            obligation = assessment.obligation
            yield Entry(
                f"Go to {obligation.number}: {obligation.short_title}",
                partial(screen.jump_to, obligation.key),
                assessment.state.value,
                exact=fold(obligation.number),
                title=fold(f"{obligation.number} {obligation.headline}"),
                text=view.search_text(obligation.key),
            )

    async def discover(self) -> Hits:
        for entry in self._entries():
            if not entry.exact:
                yield DiscoveryHit(
                    Text(entry.label), entry.action, entry.label, as_markup_literal(entry.help)
                )

    async def search(self, query: str) -> Hits:
        words = fold(query).split()
        matcher = self.matcher(query)
        for entry in self._entries():
            title = entry.title or fold(entry.label)
            # Tiers, as the fuzzy score is unbounded: the id typed exactly, then every
            # word in the title, then every word in the item's text or its groups'
            # titles (accents and ligatures ignored), then fuzzy matches on the label.
            fuzzy = matcher.match(entry.label)
            if entry.exact and entry.exact in words:
                score = 3_000_000.0 + fuzzy
            elif words and all(word in title for word in words):
                # A command named by the words comes before an item whose title has them.
                score = (2_000_000.0 if entry.exact else 2_500_000.0) + fuzzy
            elif words and entry.text and all(word in entry.text for word in words):
                score = 1_000_000.0 + fuzzy
            else:
                score = fuzzy
            if score > 0:
                yield Hit(
                    score,
                    Text(entry.label),
                    entry.action,
                    entry.label,
                    as_markup_literal(entry.help),
                )
