"""What the main screen's helpers (editing, triage, filters) may ask of the screen.

The helpers are plain classes the screen delegates its commands to; this
protocol is all they know of it, so they never import the screen.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import date
from typing import Any, Protocol, TypeVar

from textual.app import App
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen

from store.editing import Editor
from store.errors import StoreError
from store.model import Obligation
from store.repository import Tracker
from tui.filters import QuickFilter
from tui.nodes import NodeKind, NodeRef
from tui.saving import READ_ONLY, StoreLink
from tui.view import AgendaLine, TrackerView

T = TypeVar("T")


class MainHost(Protocol):
    @property
    def app(self) -> App[Any]: ...

    @property
    def link(self) -> StoreLink: ...

    @property
    def view(self) -> TrackerView: ...

    @property
    def marks(self) -> frozenset[str]: ...

    @property
    def owner(self) -> str:
        """The user's name for "my items" ("" when unknown)."""
        ...

    def selected_ref(self) -> NodeRef | None:
        """The tree's cursor line."""
        ...

    def focused_agenda_line(self) -> AgendaLine | None:
        """The agenda's line under its cursor, when the agenda has the focus."""
        ...

    def calendar_day(self, *, focused_only: bool = False) -> date | None:
        """The calendar's cursor day (``focused_only``: None unless the calendar has the
        focus)."""
        ...

    def shown_keys(self) -> list[str]:
        """The items the tree shows, in order."""
        ...

    def keys_under_cursor(self) -> list[str]:
        """The items the tree's cursor line stands for (a group: its items shown)."""
        ...

    def set_marks(self, keys: Iterable[str]) -> None: ...

    def set_quick_filter(self, quick: QuickFilter | None) -> None: ...

    def show_every_item(self) -> None:
        """No search, no quick filter."""
        ...

    @property
    def quick_filter(self) -> QuickFilter | None: ...

    def jump_to(self, key: str) -> None: ...

    def cursor_down(self) -> None: ...

    def start(self, handler: Callable[[], object]) -> None:
        """Run ``handler``; what it leaves to do (an awaitable) runs as a worker."""
        ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...


def selected_obligation(host: MainHost) -> Obligation | None:
    """The obligation on the tree's cursor line, else a warning that says to pick one."""
    ref = host.selected_ref()
    if ref is None or ref.kind is not NodeKind.OBLIGATION:
        host.notify("Select an obligation in the tree first.", severity="warning")
        return None
    return host.view.obligation(ref.key)


Later = Awaitable[object] | None
"""What a command leaves to a worker once it has read what it acts on (None: nothing)."""


def open_then(host: MainHost, screen: ModalScreen[T], then: Callable[[Any], object]) -> Later:
    """Open ``screen`` now, so that the keys typed next go to it, and call ``then`` with its
    answer (unless cancelled); what ``then`` leaves to do runs as a worker.

    A read-only tracker first tries to become the writer (in a worker: the rare case
    where the keys typed next may still reach the main screen).
    """

    def answered(result: T | None) -> None:
        if result is not None and result is not False:
            host.start(lambda: then(result))

    if not host.view.read_only:
        host.app.push_screen(screen, callback=answered)
        return None

    async def when_writable() -> None:
        if await ensure_writable(host):
            host.app.push_screen(screen, callback=answered)

    return when_writable()


async def ensure_writable(host: MainHost) -> bool:
    """Whether edits can be saved; a read-only tracker first tries to become the writer
    (the other cicte-tui may have closed by now)."""
    if not host.view.read_only:
        return True

    def become_writer(tracker: Tracker, _editor: Editor) -> str | None:
        try:
            return None if tracker.become_writer() else READ_ONLY
        except StoreError as error:
            return f"Read-only: {error}"

    outcome = await host.link.run(become_writer, refresh="none")
    problem = outcome.value if outcome.refusal is None else outcome.refusal.words
    if problem is not None:
        host.notify(problem, severity="error", markup=False)
        return False
    host.notify("The other cicte-tui has closed: this one edits the tracker now.")
    return True
