"""The files the app writes into the current folder: a meeting's brief and the exports.

Each file is built and written by a store job on the worker thread (a large
export should not freeze the screen, and the job reads the tracker there);
the screen is told where it went, or why it was not written.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from textual.screen import Screen

from store.editing import Editor
from store.formats.brief import brief_markdown
from store.formats.export import export_bytes
from store.model import MeetingSeries, session_id
from store.output import OutputError, write_output
from store.repository import Tracker
from tui.saving import StoreLink
from tui.screens.brief_choice import BriefChoice, briefable_sessions


class ExportKind(StrEnum):
    """The formats the tracker is exported in (``export_bytes``'s kinds)."""

    ICS = "ics"
    MARKDOWN = "markdown"
    CSV = "csv"
    JSON = "json"

    @property
    def suffix(self) -> str:
        return "md" if self is ExportKind.MARKDOWN else self.value

    @property
    def words(self) -> str:
        """What the file is for, as the palette says it."""
        return _EXPORT_WORDS[self]


_EXPORT_WORDS = {
    ExportKind.ICS: "iCalendar (.ics) for Outlook, Google, Thunderbird",
    ExportKind.MARKDOWN: "Markdown report",
    ExportKind.CSV: "CSV spreadsheet",
    ExportKind.JSON: "JSON (whole tracker, for import)",
}


@dataclass(frozen=True)
class NotWritten:
    """Why a file was not written, in words for the user."""

    why: str


def next_session(meetings: Mapping[str, MeetingSeries], day: date) -> str | None:
    """The session under way on ``day``, else the next one after it, as ``SERIES/YEAR``;
    None when no dated meeting follows."""
    following = [
        (session.start, series.key, session.year)
        for series in meetings.values()
        for session in series.sessions
        if session.start is not None and (session.last_day or session.start) >= day
    ]
    if not following:
        return None
    _, key, year = min(following)
    return session_id(key, year)


def brief_for_day(screen: Screen[Any], link: StoreLink, day: date) -> Awaitable[Path | None] | None:
    """Write the brief for the meeting on ``day``, else the next one; with none ahead, ask
    which session (the last one first) at once, so that the keys typed next answer it.
    Returns the writing to await, when there is one to do now."""
    view = link.view
    event = next_session(view.meetings, day)
    if event is not None:
        return write_brief(screen, link, event)
    sessions = briefable_sessions(view.meetings)
    if not sessions:
        screen.notify("No meeting has a date yet: press E to give a session its dates.")
        return None

    def chosen(event: str | None) -> None:
        if event is not None:
            screen.run_worker(write_brief(screen, link, event), group="command")

    screen.app.push_screen(BriefChoice(sessions, view.today, day), callback=chosen)
    return None


async def write_brief(screen: Screen[Any], link: StoreLink, event: str) -> Path | None:
    """Write the brief for ``event`` (``SERIES/YEAR``) in the current folder; say where."""
    view = link.view
    stem = f"cicte-brief-{event.partition('/')[0]}-{view.today.isoformat()}"
    outlook = view.outlook
    return await _write(
        screen,
        link,
        f"{stem}.md",
        lambda tracker: brief_markdown(tracker, outlook, event).encode("utf-8"),
    )


async def write_export(screen: Screen[Any], link: StoreLink, kind: ExportKind) -> Path | None:
    """Write the whole tracker as ``kind`` and say where."""
    outlook = link.view.outlook
    name = f"cicte-tracker-{outlook.today.isoformat()}.{kind.suffix}"
    return await _write(screen, link, name, lambda tracker: export_bytes(kind, tracker, outlook))


async def _write(
    screen: Screen[Any], link: StoreLink, name: str, build: Callable[[Tracker], bytes]
) -> Path | None:
    """Build the file and write it as ``name`` in the current folder (``-2``, ``-3``…
    before the suffix when that name is taken), then say where, or why not."""

    def job(tracker: Tracker, _editor: Editor) -> Path | NotWritten:
        try:
            content = build(tracker)
            target = free_name(Path.cwd(), name)
            written = write_output(str(target), content, protect=tracker.path)
        except (OutputError, ValueError, OSError) as error:
            return NotWritten(str(error))
        assert written is not None  # a file, never standard output
        return written

    outcome = await link.run(job, refresh="none")
    written = outcome.value
    if isinstance(written, Path):
        screen.notify(f"Wrote {written}", markup=False, timeout=10)
        return written
    if isinstance(written, NotWritten):
        why = written.why
    else:  # the store refused the job itself (its words say "Not saved: …")
        why = outcome.refusal.words.removeprefix("Not saved: ") if outcome.refusal else "?"
    screen.notify(f"Not written: {why}", severity="error", markup=False, timeout=10)
    return None


def free_name(folder: Path, name: str) -> Path:
    """``folder/name``, or ``stem-2.suffix``, ``stem-3.suffix``… when taken."""
    stem, dot, suffix = name.rpartition(".")
    path = folder / name
    index = 2
    while path.exists():
        path = folder / f"{stem}-{index}{dot}{suffix}"
        index += 1
    return path
