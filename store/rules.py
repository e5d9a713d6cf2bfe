"""Structured schedule rules and their small text syntax.

A rule is written as a short English phrase, which is also how it is stored
and how users type it in the edit form:

    continuous | on demand | tbd
    2008-09-30                       a single due date
    2008 | 2006-2009                 due by the end of the last year
    period 2004-2008                 continuous work within those years; then "period ended"
    yearly in september              due on the last day of September, every year
    yearly on september 15
    monthly                          due on the last day of every month
    every 6 months from 2008-06-30   (days, weeks, months or years)
    rrule FREQ=MONTHLY;BYMONTHDAY=-1 [from 2008-01-31]
    [yearly] before|during|before and during|after EVENT
    [yearly] N days|weeks before|after EVENT   a lead time: 21 days before cicte-session
    [yearly] between EVENT and EVENT

EVENT is a meeting series key such as ``cicte-session`` or ``oas-ga``; each
plan year the rule resolves against that year's session of the series.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import ClassVar

from dateutil.rrule import rrulestr

from store.text import unaccented

MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip


class RuleError(ValueError):
    """A schedule rule that cannot be understood; the message says why."""


class Relation(StrEnum):
    BEFORE = "before"
    DURING = "during"
    BEFORE_AND_DURING = "before and during"
    AFTER = "after"
    BETWEEN = "between"


@dataclass(frozen=True)
class NeverDue:
    """A rule without a date: the work is kept alive by review."""

    spec: ClassVar[str]
    """The rule as written and stored."""
    meaning: ClassVar[str]
    """The rule in words."""


@dataclass(frozen=True)
class Continuous(NeverDue):
    """Ongoing work that never falls due; tracked by review."""

    spec = "continuous"
    meaning = "continuous: never falls due, tracked by review"


@dataclass(frozen=True)
class OnDemand(NeverDue):
    """Work done when asked; never falls due; tracked by review."""

    spec = "on demand"
    meaning = "on demand: never falls due, tracked by review"


@dataclass(frozen=True)
class ToBeDetermined(NeverDue):
    """No calendar yet."""

    spec = "tbd"
    meaning = "to be determined: no deadline yet"


@dataclass(frozen=True)
class Dated:
    due: date

    @property
    def spec(self) -> str:
        return self.due.isoformat()


@dataclass(frozen=True)
class Years:
    """A stretch of years, ``first`` to ``last`` (the same year for one year)."""

    first: int
    last: int

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"{self.first}-{self.last} ends before it starts")

    @property
    def last_day(self) -> date:
        """31 December of the last year."""
        return date(self.last, 12, 31)


@dataclass(frozen=True)
class YearRange(Years):
    """A bounded stretch of years; due by 31 December of the last one."""

    @property
    def spec(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"

    @property
    def due(self) -> date:
        return self.last_day


@dataclass(frozen=True)
class Period(Years):
    """Continuous work within a stretch of years ("Permanent : 2004-2008").

    It never falls due; after 31 December of the last year the programme
    period has ended, and the item asks to be renewed or closed.
    """

    @property
    def spec(self) -> str:
        return f"period {self.first}-{self.last}"

    @property
    def ends(self) -> date:
        return self.last_day


@dataclass(frozen=True)
class Recurring:
    """An RFC 5545 recurrence, expanded with dateutil."""

    spec: str
    """The rule as written and stored: the canonical phrase (``yearly in september``)."""
    rrule: str
    """The RRULE value, e.g. ``FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=-1``."""
    start: date | None = None
    """DTSTART; the plan's first day when not given."""


@dataclass(frozen=True)
class EventRelative:
    """A deadline that hangs on a meeting's dates."""

    relation: Relation
    event: str
    until_event: str | None = None
    """The second event of ``between``."""
    yearly: bool = False
    """The meeting recurs every year, and so does the obligation."""
    lead: str = ""
    """A lead time as written, ``21 days`` or ``2 weeks`` (before / after only)."""

    @property
    def spec(self) -> str:
        prefix = "yearly " if self.yearly else ""
        if self.relation is Relation.BETWEEN:
            return f"{prefix}between {self.event} and {self.until_event}"
        lead = f"{self.lead} " if self.lead else ""
        return f"{prefix}{lead}{self.relation.value} {self.event}"

    @property
    def events(self) -> tuple[str, ...]:
        return (self.event,) if self.until_event is None else (self.event, self.until_event)

    @property
    def anchor(self) -> str:
        """The series whose session sets the due date (the second one of ``between``)."""
        return self.until_event or self.event

    @property
    def lead_days(self) -> int:
        if not self.lead:
            return 0
        amount, unit = self.lead.split()
        return int(amount) * (7 if unit.startswith("week") else 1)


Rule = (
    Continuous | OnDemand | ToBeDetermined | Dated | YearRange | Period | Recurring | EventRelative
)

REVIEW_TRACKED = (Continuous, OnDemand, ToBeDetermined, Period)
"""Rules that never fall due: such obligations are kept alive by review."""

EVENT_KEY = re.compile(r"[a-z0-9][a-z0-9-]*")
"""What a meeting key may be: schedules name meetings by it."""
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_LEAD_DAYS = 366
"""A lead time longer than a year would reach into another session's year."""
MAX_INTERVAL = 999
"""``every 999 days`` at most: calendars (RFC 5545) and common sense stop long before."""

_UNITS = {"day": "DAILY", "week": "WEEKLY", "month": "MONTHLY", "year": "YEARLY"}


FIRST_YEAR, LAST_YEAR = 1900, 2100
"""The years any stored date may name: a rule's, a session's, a completion's, a plan's.

Far enough either way for any work plan, and far from the ends of Python's
calendar (years 1 and 9999), so that date arithmetic (a lead time, the day
after a session, a window of years) can never overflow."""


def out_of_bounds(day: date) -> str | None:
    """Why ``day`` is not between FIRST_YEAR and LAST_YEAR (None when it is), in the
    words ``parse_iso_date`` uses: the forms, the commands and import say the same."""
    if FIRST_YEAR <= day.year <= LAST_YEAR:
        return None
    return f"{day.isoformat()}: the year {day.year} is not between {FIRST_YEAR} and {LAST_YEAR}"


def parse_iso_date(text: str) -> date:
    """An ISO date, with a message a user can act on when it is wrong."""
    if not ISO_DATE.fullmatch(text):
        raise RuleError(f"{text!r} is not a date; write it as YYYY-MM-DD")
    try:
        day = date.fromisoformat(text)
    except ValueError as error:
        raise RuleError(f"{text} is not a real date ({error})") from None
    if (problem := out_of_bounds(day)) is not None:
        raise RuleError(problem)
    return day


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise RuleError(f"{year} is not between {FIRST_YEAR} and {LAST_YEAR}")


def _years(first_text: str, last_text: str, stretch: str) -> tuple[int, int]:
    """(first, last) of a stretch of years as written; ``stretch`` names it in messages."""
    first, last = int(first_text), int(last_text)
    if last < first:
        raise RuleError(f"{stretch} ends before it starts")
    _check_year(first)
    _check_year(last)
    return first, last


MOIS = (
    "janvier", "fevrier", "mars", "avril", "mai", "juin",
    "juillet", "aout", "septembre", "octobre", "novembre", "decembre",
)  # fmt: skip
"""French month names, unaccented: the plan is French, so "en septembre" reads naturally."""


def _month(name: str) -> int:
    name = unaccented(name.lower())
    for names in (MONTHS, MOIS):
        if name in names:
            return names.index(name) + 1
    matches = {
        i
        for names in (MONTHS, MOIS)
        for i, month in enumerate(names, 1)
        if len(name) >= 3 and month.startswith(name)
    }
    if len(matches) != 1:
        raise RuleError(f"{name!r} is not a month name (english or french)")
    return matches.pop()


def _checked_rrule(value: str, start: date | None) -> str:
    value = value.strip().upper()
    if value.startswith("RRULE:"):
        value = value[len("RRULE:") :]
    try:
        rrulestr(value, dtstart=datetime(2000, 1, 1) if start is None else midnight(start))
    except (ValueError, TypeError) as error:
        raise RuleError(f"not a valid RRULE: {error}") from None
    if "FREQ=" not in value:
        raise RuleError("an RRULE needs FREQ=…")
    if re.search(r"FREQ=(HOURLY|MINUTELY|SECONDLY)|BY(HOUR|MINUTE|SECOND)=", value):
        # Deadlines are days: finer rules would expand to thousands of occurrences.
        raise RuleError("a deadline recurs at most daily (FREQ=DAILY or slower, no BYHOUR…)")
    return value


def midnight(day: date) -> datetime:
    """The start of a day, as dateutil's recurrences want it."""
    return datetime(day.year, day.month, day.day)


def parse_rule(text: str, known_events: Collection[str] | None = None) -> Rule:
    """Parse one rule; ``known_events`` (when given) refuses unknown event keys."""
    phrase = " ".join(text.strip().lower().split())
    if not phrase:
        raise RuleError("the schedule is empty")
    rule = _parse(phrase)
    if isinstance(rule, EventRelative) and known_events is not None:
        for key in rule.events:
            if key not in known_events:
                known = ", ".join(sorted(known_events)) or "none"
                raise RuleError(f"unknown event {key!r} (known: {known})")
    return rule


def _parse(phrase: str) -> Rule:  # noqa: C901 - one branch per form of the syntax
    if phrase in ("continuous", "ongoing", "permanent"):
        return Continuous()
    if phrase in ("on demand", "on-demand", "as needed"):
        return OnDemand()
    if phrase in ("tbd", "to be determined"):
        return ToBeDetermined()
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", phrase):
        return Dated(parse_iso_date(phrase))
    if match := re.fullmatch(r"(\d{4})(?:\s*-\s*(\d{4}))?", phrase):
        return YearRange(*_years(match[1], match[2] or match[1], f"the range {phrase}"))
    if match := re.fullmatch(r"period (\d{4})\s*-\s*(\d{4})", phrase):
        return Period(*_years(match[1], match[2], f"the period {match[1]}-{match[2]}"))
    if match := re.fullmatch(r"yearly in (\w+)", phrase):
        month = _month(match[1])
        return Recurring(
            f"yearly in {MONTHS[month - 1]}", f"FREQ=YEARLY;BYMONTH={month};BYMONTHDAY=-1"
        )
    if match := re.fullmatch(r"yearly on (\w+) (\d{1,2})", phrase):
        month, day = _month(match[1]), int(match[2])
        try:
            date(2008, month, day)  # a leap year, so 29 February is allowed
        except ValueError:
            raise RuleError(f"{MONTHS[month - 1]} has no day {day}") from None
        return Recurring(
            f"yearly on {MONTHS[month - 1]} {day}",
            f"FREQ=YEARLY;BYMONTH={month};BYMONTHDAY={day}",
        )
    if phrase == "monthly":
        return Recurring("monthly", "FREQ=MONTHLY;BYMONTHDAY=-1")
    if match := re.fullmatch(r"every (\d+) (day|week|month|year)s? from (\S+)", phrase):
        interval = int(match[1])
        if not 1 <= interval <= MAX_INTERVAL:
            raise RuleError(f"the interval must be between 1 and {MAX_INTERVAL}")
        start = parse_iso_date(match[3])
        unit = match[2]
        rrule = f"FREQ={_UNITS[unit]};INTERVAL={interval}"
        if unit == "month" and (start + timedelta(days=1)).day == 1:
            rrule += ";BYMONTHDAY=-1"  # from a month's end, stay on month ends
        return Recurring(
            f"every {interval} {unit}{'s' if interval > 1 else ''} from {start.isoformat()}",
            rrule,
            start,
        )
    if match := re.fullmatch(r"rrule (\S+)(?: from (\S+))?", phrase):
        rrule_start = parse_iso_date(match[2]) if match[2] else None
        value = _checked_rrule(match[1], rrule_start)
        suffix = f" from {rrule_start.isoformat()}" if rrule_start else ""
        return Recurring(f"rrule {value}{suffix}", value, rrule_start)
    return _parse_event_relative(phrase)


def _parse_event_relative(phrase: str) -> EventRelative:
    yearly = phrase.startswith("yearly ")
    body = phrase.removeprefix("yearly ")
    if match := re.fullmatch(rf"between ({EVENT_KEY.pattern}) and ({EVENT_KEY.pattern})", body):
        if match[1] == match[2]:
            raise RuleError("'between' needs two different events")
        return EventRelative(Relation.BETWEEN, match[1], match[2], yearly)
    for relation in (Relation.BEFORE_AND_DURING, Relation.BEFORE, Relation.DURING, Relation.AFTER):
        if match := re.fullmatch(rf"{relation.value} ({EVENT_KEY.pattern})", body):
            return EventRelative(relation, match[1], None, yearly)
    if match := re.fullmatch(rf"(\d+) (day|week)s? (before|after) ({EVENT_KEY.pattern})", body):
        amount, unit = int(match[1]), match[2]
        if not 0 < amount * (7 if unit == "week" else 1) <= MAX_LEAD_DAYS:
            raise RuleError(f"a lead time is 1 to {MAX_LEAD_DAYS} days")
        lead = f"{amount} {unit}{'s' if amount > 1 else ''}"
        return EventRelative(Relation(match[3]), match[4], None, yearly, lead)
    raise RuleError(
        f"cannot read {phrase!r}; try e.g. 2008-09-30, yearly in september, "
        "every 6 months from 2008-06-30, before cicte-session, 21 days before cicte-session, "
        "period 2004-2008, continuous, on demand, tbd"
    )


def parse_schedule(text: str, known_events: Collection[str] | None = None) -> list[Rule]:
    """Parse a schedule of one or more rules joined by `` + ``."""
    parts = [part for part in text.split(" + ") if part.strip()]
    if not parts:
        raise RuleError("the schedule is empty")
    return [parse_rule(part, known_events) for part in parts]


def format_schedule(rules: Collection[Rule]) -> str:
    return " + ".join(rule.spec for rule in rules)
