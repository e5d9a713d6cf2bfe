"""The tree's search line: it says what to look for once the typing pauses."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input

SEARCH_DELAY = 0.15
"""Seconds of quiet typing before the search is applied, so each key stays fast."""


class SearchBar(Input):
    """Hidden until asked for; enter keeps the search, escape (the screen's) clears it."""

    @dataclass
    class Search(Message):
        """Look for ``text``; ``kept``: enter was pressed (the tree takes the focus back)."""

        text: str
        kept: bool

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(
            placeholder="search id, text, source, activity — enter to keep, escape to clear",
            id=id,
        )
        self._timer: Timer | None = None

    def on_mount(self) -> None:
        self.display = False

    def open(self) -> None:
        self.display = True
        self.focus()

    def close(self) -> None:
        """Empty and hidden, with no search still to come."""
        self._stop()
        with self.prevent(Input.Changed):
            self.value = ""
        self.display = False

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self._stop()
        self._timer = self.set_timer(
            SEARCH_DELAY, lambda: self.post_message(self.Search(event.value, kept=False))
        )

    @on(Input.Submitted)
    def _kept(self, event: Input.Submitted) -> None:
        event.stop()
        self._stop()
        self.post_message(self.Search(event.value, kept=True))
