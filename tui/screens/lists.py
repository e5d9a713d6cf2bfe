"""Modal lists: a heading, options to choose from, a hint; and lists whose records are edited
in place (notes, meetings), each edit saved through the store link and the list shown again."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import ClassVar, Generic, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from store.editing import Editor
from store.model import Change
from tui.saving import Outcome, StoreLink
from tui.screens.form import Submit
from tui.view import TrackerView

Chosen = TypeVar("Chosen")
Result = TypeVar("Result")
Answer = TypeVar("Answer")

Operation = Callable[[Editor], Change | None]
"""One edit, run by the store link on its worker thread."""


class ListScreen(ModalScreen[Chosen | None], Generic[Chosen]):
    """A list to choose from: enter chooses the highlighted line, escape closes (None)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    FRAME_CLASSES: ClassVar[str] = "dialog wide"
    FRAME_ID: ClassVar[str | None] = None
    LIST_ID: ClassVar[str]

    def heading(self) -> Text:
        """The first line (user text in it is never markup)."""
        raise NotImplementedError

    def options(self) -> list[Option]:
        raise NotImplementedError

    def hint(self) -> Text | None:
        """A line under the list (None: none)."""
        return None

    def first_highlight(self) -> int:
        """The line the cursor starts on."""
        return 0

    def shown(self) -> None:
        """Called each time the options are listed (to say what the list lacks, say)."""

    def choose(self, option: Option) -> None:
        """What enter on ``option`` does."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(classes=self.FRAME_CLASSES, id=self.FRAME_ID):
            yield Static(self.heading())
            yield OptionList(*self.options(), id=self.LIST_ID)
            hint = self.hint()
            if hint is not None:
                yield Static(hint, id="list-hint")

    @property
    def option_list(self) -> OptionList:
        return self.query_one(f"#{self.LIST_ID}", OptionList)

    def on_mount(self) -> None:
        # Subclasses say what differs through the hooks above: Textual calls every
        # class's own on_mount, so one defined again would run twice.
        options = self.option_list
        options.focus()
        options.highlighted = self.first_highlight()
        self.shown()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.choose(event.option)

    def action_close(self) -> None:
        self.dismiss(None)


class RecordList(ListScreen[None]):
    """A list of records edited in place: its keys open forms and questions over it, save
    through ``link``, then show the list again from the view the save built."""

    def __init__(self, link: StoreLink) -> None:
        super().__init__()
        self.link = link
        self.view: TrackerView = link.view
        """What the list shows: the view after this screen's last save."""
        self._editing = False

    def highlighted_id(self) -> str | None:
        options = self.option_list
        if options.highlighted is None:
            return None
        return options.get_option_at_index(options.highlighted).id

    def show(self, focus: str | None = None) -> None:
        """List the records of ``view`` again, the cursor on ``focus`` (if still listed)."""
        if not self.is_attached:
            return  # closed while its save went on
        options = self.option_list
        options.clear_options()
        options.add_options(self.options())
        options.highlighted = 0 if options.option_count else None
        if focus is not None:
            self.move_to(focus)
        self.shown()

    def move_to(self, option_id: str) -> None:
        """Put the cursor on the line ``option_id``, if it is listed (it may be gone)."""
        options = self.option_list
        with suppress(OptionDoesNotExist):
            options.highlighted = options.get_option_index(option_id)

    def start(self, flow: Callable[[], Awaitable[None]]) -> None:
        """Run one edit's flow in a worker (it may wait for forms); one at a time, so a key
        pressed again before its form opens does not start a second."""
        if self._editing:
            return

        async def run() -> None:
            try:
                await flow()
            finally:
                self._editing = False

        self._editing = True
        self.run_worker(run(), group="record-edit")

    async def ask(self, screen: ModalScreen[Answer]) -> Answer:
        """Open ``screen`` over the list and wait for its answer."""
        return await self.app.push_screen_wait(screen)

    def follow(self, view: TrackerView) -> None:
        """Someone else's save (a clash settled, a change on disk): list its records."""
        if view.serial > self.view.serial and not self._editing:
            self.view = view
            self.show(self.highlighted_id())

    def _took(self, outcome: Outcome[Change | None]) -> None:
        if outcome.view is not None:
            self.view = outcome.view

    async def save(self, operation: Operation) -> Change | None:
        """Save one edit and say what it did, or why not (the list is not shown again)."""
        outcome = await self.link.edit(operation)
        self._took(outcome)
        self.link.report(outcome)
        return outcome.value

    def submit(self, operation: Callable[[Result], Operation]) -> Submit[Result]:
        """What a form over this list calls to save its result (see ``FormScreen.submit``)."""

        async def submit(result: Result) -> str | None:
            outcome = await self.link.edit(operation(result))
            self._took(outcome)
            if outcome.refusal is not None:
                return outcome.refusal.words
            self.link.report(outcome)
            return None

        return submit
