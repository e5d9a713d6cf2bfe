"""The tracker's domain records: plan, obligations, events and tracking state.

Everything here is a frozen dataclass or an enum; the store hands these out
and never a raw TinyDB document. Each field is declared once, here: what users
call it, its limits and how it is kept (``store.fields.declared``); a record's
fields are declared in the order its stored document lists them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import cached_property
from typing import Any

from store.fields import (
    EVERYWHERE,
    ID_LIMIT,
    LINE_LIMIT,
    LINK_LIMIT,
    NOTE_LIMIT,
    OWNER_LIMIT,
    TEXT_LIMIT,
    Output,
    declared,
)

CSV, MARKDOWN, DETAIL = Output.CSV, Output.MARKDOWN, Output.DETAIL
READ_IN_FULL = frozenset({MARKDOWN, DETAIL})
"""The report and the detail pane, which show an item whole; the CSV is a table."""


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

    symbol: str = declared(required=True, limit=LINE_LIMIT)
    """Document symbol as printed, e.g. ``CICTE/RP/doc.2/07``."""
    title: str = declared(required=True, limit=LINE_LIMIT)
    year: int = declared(year=True)
    period_start: date = declared()
    """First day the plan covers (the plan runs one calendar year)."""
    period_end: date = declared()
    language: str = declared(missing="")
    issued: date | None = None
    """Date printed on the document."""
    series: str = ""
    committee: str = ""
    meeting: str = ""
    """The meeting the document was prepared for, as printed."""
    meeting_date: date | None = None
    original_language: str = ""
    derived_from: int | None = None
    """The year of the plan this one was started from (None: a plan as published)."""

    @property
    def label(self) -> str:
        """``symbol — title``, or one of them when they are the same (a started plan's)."""
        return self.symbol if self.symbol == self.title else f"{self.symbol} — {self.title}"


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
    """A footnote of the plan, with what cites it."""

    number: int
    text: str
    cited_by: tuple[str, ...] = ()
    """Keys of the groups and items that cite it, or a section (``II``) as a whole."""


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

    at: datetime = declared("note time", local_time=True)
    text: str = declared("note", limit=NOTE_LIMIT, multiline=True)


@dataclass(frozen=True)
class Evidence:
    """What shows that an occurrence was done; every part is optional."""

    document: str = declared(default="", limit=LINE_LIMIT)
    """A document symbol, e.g. ``CICTE/doc.4/08``."""
    link: str = declared(default="", limit=LINK_LIMIT)
    outcome: str = declared(default="", limit=LINE_LIMIT)
    """One line on what came of it."""

    def __bool__(self) -> bool:
        return bool(self.document or self.link or self.outcome)


@dataclass(frozen=True)
class Completion:
    """One occurrence of an obligation marked done, with its own dates.

    It keeps the due date the occurrence had when it was done: moving a
    session later moves only open occurrences, never this record.
    """

    occurrence: str = declared(limit=LINE_LIMIT)
    """The occurrence's key (see ``store.schedule.Occurrence.key``): its ISO
    due date, or ``SERIES/YEAR:[lead ]relation`` for one that hangs on a session."""
    done_on: date = declared("done on")
    """The day the work was done; never after *today* when recorded."""
    due: date | None = None
    """The occurrence's due date when it was done (None: it had none)."""
    session: str | None = None
    """``cicte-session/2008``: the session an event-relative occurrence hangs on."""
    evidence: Evidence = declared(factory=Evidence)
    """Stored in the completion's own document (``document``, ``link``, ``outcome``)."""


@dataclass(frozen=True)
class Obligation:
    """One mandate (Section I) or project (Section II) and its tracking state."""

    # Positional: key, number, section, group, text, schedule_text, rules; the
    # keyword-only fields sit where the stored document lists them.
    key: str = declared("id", required=True, limit=ID_LIMIT, in_calendar=True)
    """Stable id: ``I-1.ii``, ``II-1.A.2``."""
    number: str = declared(
        "id", limit=ID_LIMIT, fallback="key", in_calendar=True, shown_in=EVERYWHERE
    )
    """The plan's own numbering as shown to users: ``1.ii`` or ``II-1.A.2``."""
    section: Section = declared(in_calendar=True, shown_in=frozenset({CSV}))
    group: str = declared(required=True, shown_in=frozenset({CSV, DETAIL}))
    """Key of the group (Section I) or programme (Section II) it belongs to."""
    title: str | None = declared(
        default=None, kw_only=True, limit=LINE_LIMIT, in_calendar=True, shown_in=READ_IN_FULL
    )
    """Title of a quoted declaration or resolution (groups 5–8)."""
    text: str = declared(
        limit=TEXT_LIMIT, multiline=True, missing="", in_calendar=True, shown_in=EVERYWHERE
    )
    sources: tuple[str, ...] = declared(
        default=(),
        kw_only=True,
        element="source",
        limit=LINE_LIMIT,
        drop_empty=True,
        in_calendar=True,
        shown="source",
        shown_in=EVERYWHERE,
    )
    activity: tuple[str, ...] = declared(
        default=(),
        kw_only=True,
        limit=TEXT_LIMIT,
        multiline=True,
        drop_empty=True,
        joined="\n",
        shown_in=READ_IN_FULL,
    )
    activity_bulleted: bool = declared("activity layout", default=False, kw_only=True)
    schedule_text: str = declared(
        "printed schedule",
        limit=LINE_LIMIT,
        missing="",
        in_calendar=True,
        shown="schedule text",
        shown_in=EVERYWHERE,
    )
    """The CALENDRIER text exactly as printed (may be empty)."""
    rules: tuple[str, ...] = declared(
        "schedule",
        element="schedule",
        limit=LINE_LIMIT,
        missing=(),
        joined=" + ",
        in_calendar=True,
        shown="rule",
        shown_in=EVERYWHERE,
    )
    """Structured schedule, in the rule syntax of :mod:`store.rules`."""
    footnotes: tuple[int, ...] = declared(default=(), joined=", ", shown_in=READ_IN_FULL)
    partners: tuple[str, ...] = declared(
        default=(),
        element="partner",
        limit=ID_LIMIT,
        joined=", ",
        shown_in=READ_IN_FULL,
    )
    """Keys of :class:`Partner` records named by the item."""
    status: Status = declared(default=Status.NOT_STARTED, in_calendar=True, shown_in=EVERYWHERE)
    owner: str = declared(default="", limit=OWNER_LIMIT, shown_in=EVERYWHERE)
    notes: tuple[Note, ...] = declared(default=(), shown_in=EVERYWHERE)
    completions: tuple[Completion, ...] = declared(
        "completed occurrences", default=(), in_calendar=True, shown_in=EVERYWHERE
    )
    last_reviewed: date | None = declared("last reviewed", default=None, shown_in=READ_IN_FULL)
    """Last status change or note; drives staleness of continuous items."""
    order: int = 0
    """Position in the plan; a deleted item brought back by undo keeps its place."""
    plan_year: int = declared(default=0, in_calendar=True)
    """The year of the plan it belongs to (0: not yet placed in a tracker)."""
    carried_from: int | None = declared(default=None, shown_in=frozenset({DETAIL}))
    """The year of the plan it was still open at the end of, when it was carried over;
    its record there (same key) holds its history and notes."""

    @property
    def headline(self) -> str:
        """The first line of the text (or the quoted document's title), whole."""
        source = self.title or self.text or (self.activity[0] if self.activity else "")
        return source.strip().splitlines()[0] if source.strip() else ""

    @property
    def short_title(self) -> str:
        """The headline's first words, for tables and lists."""
        return shorten(self.headline, 60)

    @property
    def readable_title(self) -> str:
        """The headline's whole first sentence, never cut: what a brief names an item by.

        Short titles can make two items look alike (4.i and 4.ii open with the
        same sixty characters); a whole sentence tells them apart.
        """
        return first_sentence(self.headline)

    def completion_of(self, occurrence: str) -> Completion | None:
        return next((c for c in self.completions if c.occurrence == occurrence), None)


@dataclass(frozen=True)
class Session:
    """One year's sitting of a meeting series: its dates, place and record."""

    year: int = declared(year=True)
    """The plan year it serves (a preparatory meeting may sit the autumn before)."""
    start: date | None = declared("first day", default=None)
    """First day; None while not yet known."""
    end: date | None = declared("last day", default=None)
    title: str = declared(default="", limit=LINE_LIMIT)
    """Ordinal or title as the Secretariat names it: ``Eighth Regular Session``."""
    place: str = declared(default="", limit=LINE_LIMIT)
    note: str = declared(default="", limit=NOTE_LIMIT, multiline=True)
    document: str = declared(default="", limit=LINE_LIMIT)
    """The document that records it, e.g. ``AG/RES. 2396 (XXXVIII-O/08)``."""

    @property
    def last_day(self) -> date | None:
        return self.end or self.start

    @property
    def dated(self) -> bool:
        return self.start is not None


@dataclass(frozen=True)
class MeetingSeries:
    """A meeting that deadlines hang on, held once a year as a dated session."""

    # Positional: key, name, sessions; the others sit where the stored document lists them.
    key: str = declared(required=True, limit=ID_LIMIT)
    """Stable id used by schedule rules, e.g. ``cicte-session``."""
    name: str = declared(limit=LINE_LIMIT)
    alongside: str | None = declared(default=None, kw_only=True, blank_is_none=True)
    """Key of a series whose dates this one takes when it has none of its own."""
    alongside_basis: str = declared("alongside basis", default="", kw_only=True, limit=LINE_LIMIT)
    """Why it sits alongside the other, e.g. ``footnote 4``."""
    note: str = declared(default="", kw_only=True, limit=NOTE_LIMIT, multiline=True)
    sessions: tuple[Session, ...] = ()
    """At most one per year, in year order (kept so whatever order they are given in)."""

    def __post_init__(self) -> None:
        if any(a.year > b.year for a, b in zip(self.sessions, self.sessions[1:], strict=False)):
            object.__setattr__(self, "sessions", tuple(sorted(self.sessions, key=_year_of)))

    def session(self, year: int) -> Session | None:
        return self._by_year.get(year)

    @cached_property
    def _by_year(self) -> dict[int, Session]:
        """Sessions by year (the first, should one year have two): assessing 10,000
        event-anchored items looks a session up 10,000 times."""
        by_year: dict[int, Session] = {}
        for session in self.sessions:
            by_year.setdefault(session.year, session)
        return by_year


Meetings = Mapping[str, MeetingSeries]
"""A tracker's meeting series by key."""


def _year_of(session: Session) -> int:
    return session.year


def session_id(series: str, year: int) -> str:
    """``cicte-session/2008``: how occurrences and completions name a session."""
    return f"{series}/{year}"


class ChangeTarget(StrEnum):
    """What kind of record a change was made to (schema 1 said ``event`` for a series)."""

    OBLIGATION = "obligation"
    SERIES = "series"
    PLAN = "plan"


class ChangeAction(StrEnum):
    """What a change did."""

    EDIT = "edit"
    ADD = "add"
    DELETE = "delete"
    UNDO = "undo"
    REDO = "redo"


@dataclass(frozen=True)
class Change:
    """One saved edit, as the change log keeps it (old → new)."""

    at: datetime = declared("time")
    target: ChangeTarget = declared()
    key: str = declared(required=True)
    action: ChangeAction = declared()
    summary: str = declared(missing="")
    """What changed, in words: ``status: not started → done``."""
    before: dict[str, Any] | None = None
    """For an edit, only the fields that changed, as they were; the whole
    record for a deletion; None for an addition. See ``store.changes``."""
    after: dict[str, Any] | None = None
    """For an edit, the changed fields as they became; the whole record for
    an addition; None for a deletion."""
    plan: int | None = None
    """The plan year of the obligation changed (None for a meeting series)."""


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
    source_notes: tuple[SourceNote, ...] = ()
    """Notes on the source's typos and transcription choices."""


@dataclass(frozen=True)
class SourceNote:
    """A note on the source document's typos or a transcription choice."""

    where: str = ""
    """Where in the document (an item, a page); empty: the document as a whole."""
    note: str = ""


_SENTENCE_END = re.compile(r"(?<!\b\w)[.!?…](?=\s+[«\"“(\[]?[A-ZÀ-ÖØ-Þ])")
"""A full stop (or ! ? …) then a space and a capital: where a sentence ends. A single
letter before the stop is an initial or a list marker (``M. Dupont``, ``a.``), not an end."""


def first_sentence(text: str) -> str:
    """The whole first sentence of ``text`` (all of it when it has only one), spaces folded."""
    text = " ".join(text.split())
    found = _SENTENCE_END.search(text)
    return text[: found.end()] if found else text


def shorten(text: str, width: int) -> str:
    """Cut ``text`` at a word boundary to at most ``width`` characters."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"
