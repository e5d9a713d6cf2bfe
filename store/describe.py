"""Schedule rules and dates in plain words, for every view and export."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from store.model import Event
from store.rules import (
    MONTHS,
    Continuous,
    Dated,
    EventRelative,
    OnDemand,
    Recurring,
    Relation,
    Rule,
    ToBeDetermined,
    YearRange,
)
from store.schedule import AFTER_EVENT_DAYS


def short_date(day: date) -> str:
    """``5 Mar 2008``."""
    return f"{day.day} {MONTHS[day.month - 1][:3].title()} {day.year}"


def event_dates(event: Event) -> str:
    """``5–7 Mar 2008``, or ``date not set``."""
    if event.start is None:
        return "date not set"
    end = event.end or event.start
    if end == event.start:
        return short_date(event.start)
    if (end.year, end.month) == (event.start.year, event.start.month):
        return f"{event.start.day}–{short_date(end)}"
    return f"{short_date(event.start)} – {short_date(end)}"


def event_label(key: str, events: Mapping[str, Event]) -> str:
    event = events.get(key)
    if event is None:
        return f"{key} (unknown event)"
    return f"the {event.name} ({event_dates(event)})"


def describe_rule(rule: Rule, events: Mapping[str, Event]) -> str:
    """One rule in words, e.g. 'every year in September (due 30 Sep)'."""
    if isinstance(rule, Continuous):
        return "continuous: never falls due, tracked by review"
    if isinstance(rule, OnDemand):
        return "on demand: never falls due, tracked by review"
    if isinstance(rule, ToBeDetermined):
        return "to be determined: no deadline yet"
    if isinstance(rule, Dated):
        return f"due {short_date(rule.due)}"
    if isinstance(rule, YearRange):
        years = str(rule.first) if rule.first == rule.last else f"{rule.first}–{rule.last}"
        return f"during {years}, due by {short_date(rule.due)}"
    if isinstance(rule, Recurring):
        return _describe_recurring(rule)
    return _describe_event_relative(rule, events)


def _describe_recurring(rule: Recurring) -> str:
    words = rule.phrase.split()
    if rule.phrase.startswith("yearly in "):
        month = words[2].title()
        return f"every year in {month} (due by the last day of {month})"
    if rule.phrase.startswith("yearly on "):
        return f"every year on {words[3]} {words[2].title()}"
    if rule.phrase == "monthly":
        return "every month (due by the last day of the month)"
    if rule.phrase.startswith("every "):
        start = date.fromisoformat(words[-1])
        return f"every {' '.join(words[1:3])}, starting {short_date(start)}"
    return f"recurring: {rule.rrule}"


def _describe_event_relative(rule: EventRelative, events: Mapping[str, Event]) -> str:
    prefix = "every year, " if rule.yearly else ""
    anchor = event_label(rule.event, events)
    if rule.relation is Relation.BETWEEN:
        until = event_label(rule.until_event or "", events)
        return f"{prefix}between {anchor} and {until}"
    if rule.relation is Relation.AFTER:
        return f"{prefix}after {anchor}; due {AFTER_EVENT_DAYS} days after it ends"
    return f"{prefix}{rule.relation.value} {anchor}"


def describe_schedule(rules: Iterable[Rule], events: Mapping[str, Event]) -> str:
    return "; and ".join(describe_rule(rule, events) for rule in rules)
