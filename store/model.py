"""The tracker's domain records: plan, obligations, events and tracking state.

Everything here is a frozen dataclass or an enum; the store hands these out
and never a raw TinyDB document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    """The tracking status a user gives an obligation."""

    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    DONE = "done"
    BLOCKED = "blocked"
    ONGOING = "ongoing"


class Section(StrEnum):
    """The two sections of the work plan."""

    MANDATES = "I"
    """Section I: mandates to the Secretariat."""
    PROGRAMMES = "II"
    """Section II: programmes and activities."""


@dataclass(frozen=True)
class PlanInfo:
    """The work plan document that seeded the tracker."""

    symbol: str
    """Document symbol as printed, e.g. ``CICTE/RP/doc.2/07``."""
    title: str
    year: int
    period_start: date
    """First day the plan covers (the plan runs one calendar year)."""
    period_end: date
    language: str
    issued: date | None = None
    """Date printed on the document."""
    series: str = ""
    committee: str = ""
    meeting: str = ""
    """The meeting the document was prepared for, as printed."""
    meeting_date: date | None = None
    original_language: str = ""


@dataclass(frozen=True)
class Group:
    """A node above obligations: a Section I group, a sector or a programme."""

    key: str
    """Stable key: ``I-1`` (group), ``II-3`` (sector), ``II-3.B`` (programme)."""
    section: Section
    number: str
    """Number or letter as printed (``3``, ``B``, or ``""`` when unlettered)."""
    title: str
    parent: str | None = None
    """Key of the enclosing sector, for a programme."""
    sources: tuple[str, ...] = ()
    footnotes: tuple[int, ...] = ()


@dataclass(frozen=True)
class Footnote:
    number: int
    text: str
    cited_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Partner:
    """An Appendix II body that cooperates with the Secretariat."""

    key: str
    """``A9``, ``B25``…: appendix part letter and entry number."""
    name: str
    sub_entries: tuple[str, ...] = ()


@dataclass(frozen=True)
class Note:
    """A timestamped note a user wrote on an obligation."""

    at: datetime
    text: str


@dataclass(frozen=True)
class Completion:
    """One occurrence of an obligation marked done."""

    occurrence: str
    """The occurrence's key: its ISO due date, or its event anchor, which
    stays the same when the event's dates are edited."""
    completed_on: date


@dataclass(frozen=True)
class Obligation:
    """One mandate (Section I) or project (Section II) and its tracking state."""

    key: str
    """Stable id: ``I-1.ii``, ``II-1.A.2``."""
    number: str
    """The plan's own numbering as shown to users: ``1.ii`` or ``II-1.A.2``."""
    section: Section
    group: str
    """Key of the group (Section I) or programme (Section II) it belongs to."""
    text: str
    schedule_text: str
    """The CALENDRIER text exactly as printed (may be empty)."""
    rules: tuple[str, ...]
    """Structured schedule, in the rule syntax of :mod:`store.rules`."""
    title: str | None = None
    """Title of a quoted declaration or resolution (groups 5–8)."""
    sources: tuple[str, ...] = ()
    activity: tuple[str, ...] = ()
    activity_bulleted: bool = False
    footnotes: tuple[int, ...] = ()
    partners: tuple[str, ...] = ()
    """Keys of :class:`Partner` records named by the item."""
    status: Status = Status.NOT_STARTED
    owner: str = ""
    notes: tuple[Note, ...] = ()
    completions: tuple[Completion, ...] = ()
    last_reviewed: date | None = None
    """Last status change or note; drives staleness of continuous items."""
    order: int = 0
    """Position in the plan; a deleted item brought back by undo keeps its place."""

    @property
    def headline(self) -> str:
        """The first line of the text (or the quoted document's title), whole."""
        source = self.title or self.text or (self.activity[0] if self.activity else "")
        return source.strip().splitlines()[0] if source.strip() else ""

    @property
    def short_title(self) -> str:
        """The headline's first words, for tables and lists."""
        return shorten(self.headline, 60)

    def completion_of(self, occurrence: str) -> Completion | None:
        return next((c for c in self.completions if c.occurrence == occurrence), None)


@dataclass(frozen=True)
class Event:
    """A meeting that deadlines hang on; dates are editable, or unknown."""

    key: str
    """Stable id used by schedule rules, e.g. ``cicte-session``."""
    name: str
    start: date | None = None
    end: date | None = None
    place: str = ""
    note: str = ""

    @property
    def last_day(self) -> date | None:
        return self.end or self.start


@dataclass(frozen=True)
class Change:
    """One saved edit, as the change log keeps it (old → new)."""

    at: datetime
    target: str
    """``obligation`` or ``event``."""
    key: str
    action: str
    """``edit``, ``add``, ``delete``, ``undo`` or ``redo``."""
    summary: str
    """What changed, in words: ``status: not started → done``."""
    before: dict[str, Any] | None = None
    """The record before the edit, as stored (None: it did not exist)."""
    after: dict[str, Any] | None = None
    """The record after the edit, as stored (None: it was deleted)."""


@dataclass(frozen=True)
class PlanReference:
    """Reference material of the plan that users read but do not track."""

    groups: tuple[Group, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    partners: tuple[Partner, ...] = ()
    appendix_notes: tuple[str, ...] = ()
    """What the document says of its appendices (e.g. Appendix I absent)."""
    absent_appendix_citations: tuple[str, ...] = ()
    """Keys of items that cite an appendix the document does not include."""
    source_notes: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    """(where, note) pairs on the source's typos and transcription choices."""


def shorten(text: str, width: int) -> str:
    """Cut ``text`` at a word boundary to at most ``width`` characters."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"
