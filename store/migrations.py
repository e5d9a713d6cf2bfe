"""Upgrades of tracker documents written by earlier releases, one schema at a time.

Pure functions from a parsed document to a new one; the storage decides
when the result is written (after a backup of the original file).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from typing import Any

from store.changes import diff
from store.documents import plan_from_doc, series_from_doc
from store.plan_data import embedded_plan
from store.rules import EventRelative, Relation
from store.schedule import occurrences

Document = dict[str, dict[str, Any]]

SCHEMA_1_SEED_NOTES = {
    # What the 0.1.0 seed wrote in each meeting's note: a note still equal to it
    # says nothing of the user's, and the 0.2 record's own words replace it.
    "cicte-session": "Eighth Regular Session of CICTE, recorded by AG/RES. 2396 (XXXVIII-O/08).",
    "oas-ga": "Thirty-eighth regular session of the OAS General Assembly.",
    "preparatory-meeting": (
        "The meeting to which the draft work plan CICTE/RP/doc.2/07 was submitted."
    ),
    "pcn-meeting": (
        "The national points of contact usually meet each year alongside the CICTE regular "
        "session (footnote 4); set the date once it is known."
    ),
}
Dates = tuple[str, str | None]


def schema_1_to_2(document: Document) -> Document:
    """Meetings become series of dated sessions; completions get dates of their own.

    - each event becomes a series; its dates become the session of the plan
      year (a preparatory meeting the autumn before still serves that year);
      dates a user had moved to another year become that year's session, and
      the plan year keeps the last dates it had, from the change log;
    - each completion is attached to the occurrence it satisfied in the plan
      year, keeping the day it was recorded as its done date;
    - "Permanent : YYYY-YYYY" schedules read as periods of continuous work;
    - the change log keeps only what each edit changed.
    """
    migrated = copy.deepcopy(document)
    meta = next(iter(migrated["meta"].values()))
    plan_year = int(meta["plan"]["year"])
    events = migrated.pop("events", {})
    keys = {event["key"] for event in events.values()}
    history = _event_dates_in_log(migrated.get("changes", {}))
    migrated["series"] = {
        row_id: _series_from_event(event, plan_year, keys, history.get(event["key"], []))
        for row_id, event in events.items()
    }
    meetings = {row["key"]: series_from_doc(row) for row in migrated["series"].values()}
    for obligation in migrated.get("obligations", {}).values():
        _migrate_obligation(obligation, meta["plan"], meetings)
    for change in migrated.get("changes", {}).values():
        _migrate_change(change)
    meta["schema_version"] = 2
    return migrated


def _event_dates_in_log(changes: dict[str, Any]) -> dict[str, list[Dates]]:
    """Each event's dates as the change log saw them, oldest first."""
    seen: dict[str, list[Dates]] = {}
    for change in sorted(changes.values(), key=lambda c: str(c.get("at", ""))):
        if change.get("target") != "event":
            continue
        for side in ("before", "after"):
            record = change.get(side)
            if isinstance(record, dict) and record.get("start"):
                seen.setdefault(change["key"], []).append((record["start"], record.get("end")))
    return seen


def _series_from_event(
    event: dict[str, Any], plan_year: int, keys: set[str], logged: list[Dates]
) -> dict[str, Any]:
    key = event["key"]
    seeded = {series.key: series for series in embedded_plan().meetings}.get(key)
    seed_note = SCHEMA_1_SEED_NOTES.get(key)
    user_note = "" if event.get("note", "") == seed_note else event.get("note", "")
    sessions: dict[int, dict[str, Any]] = {}
    start = event.get("start") or event.get("end")  # 0.1 let an end stand alone
    if start:
        dates = (start, event.get("end") or start)
        year = _session_year(start, plan_year)
        sessions[year] = _session(year, dates, event.get("place", ""), user_note)
    if plan_year not in sessions:
        # The user moved the meeting to another year: the plan year keeps the last
        # dates it had, so that work done against them stays dated.
        in_plan_year = [d for d in logged if _session_year(d[0], plan_year) == plan_year]
        if in_plan_year:
            sessions[plan_year] = _session(plan_year, in_plan_year[-1], "", "")
    if seeded is not None:
        for year, session in sessions.items():
            original = seeded.session(year)
            if original and original.start and original.start.isoformat() == session["start"]:
                session["title"], session["document"] = original.title, original.document
                session["note"] = session["note"] or original.note
    alongside = "cicte-session" if key == "pcn-meeting" and "cicte-session" in keys else None
    series_note = "" if sessions else user_note or (seeded.note if seeded else "")
    return {
        "key": key,
        "name": event["name"],
        "alongside": alongside,
        "alongside_basis": "footnote 4" if alongside else "",
        "note": series_note,
        "sessions": [sessions[year] for year in sorted(sessions)],
    }


def _session_year(start: str, plan_year: int) -> int:
    first = date.fromisoformat(start)
    return plan_year if first.year in (plan_year - 1, plan_year) else first.year


def _session(year: int, dates: Dates, place: str, note: str) -> dict[str, Any]:
    start, end = dates
    return {
        "year": year,
        "start": start,
        "end": end or start,
        "title": "",
        "place": place,
        "note": note,
        "document": "",
    }


def _migrate_obligation(
    obligation: dict[str, Any], plan: dict[str, Any], meetings: dict[str, Any]
) -> None:
    rules = obligation.get("rules", [])
    if obligation.get("schedule_text", "").startswith("Permanent :") and len(rules) == 2:
        first, second = rules
        if first == "continuous" and _is_year_range(second) and "-" in second:
            obligation["rules"] = [f"period {second}"]
    obligation["completions"] = [
        _migrate_completion(c, plan, meetings) for c in obligation.get("completions", [])
    ]


def _is_year_range(spec: str) -> bool:
    parts = spec.split("-")
    return all(part.isdigit() and len(part) == 4 for part in parts)


def _migrate_completion(
    completion: dict[str, Any], plan: dict[str, Any], meetings: dict[str, Any]
) -> dict[str, Any]:
    old_key, done_on = completion["occurrence"], completion["completed_on"]
    new: dict[str, Any] = {
        "occurrence": old_key,
        "done_on": done_on,
        "due": None,
        "session": None,
        "document": "",
        "link": "",
        "outcome": "",
    }
    if not old_key.startswith("event:"):
        new["due"] = old_key  # the ISO due date it was
        return new
    # "event:RELATION:A[/B]": the rule it satisfied, whatever the rules say now.
    _, relation, anchors = old_key.split(":", 2)
    events = anchors.split("/")
    rule = EventRelative(Relation(relation), events[0], events[1] if len(events) > 1 else None)
    (occurrence,) = occurrences([rule], plan_from_doc(plan), meetings)
    new["occurrence"], new["session"] = occurrence.key, occurrence.session
    new["due"] = occurrence.due.isoformat() if occurrence.due else None
    return new


def _migrate_change(change: dict[str, Any]) -> None:
    if change.get("target") == "event":
        change["target"] = "series"
    before, after = change.get("before"), change.get("after")
    if isinstance(before, dict) and isinstance(after, dict):
        change["before"], change["after"] = diff(before, after)


def schema_2_to_3(document: Document) -> Document:
    """One plan becomes the first of several: a ``plans`` table, and each obligation
    and each change to one names its plan year."""
    migrated = copy.deepcopy(document)
    meta = next(iter(migrated["meta"].values()))
    plan = meta.pop("plan")
    reference = meta.pop("reference", {})
    year = int(plan["year"])
    migrated["plans"] = {"1": {"plan": plan, "reference": reference}}
    for obligation in migrated.get("obligations", {}).values():
        obligation["plan_year"] = year
        obligation.setdefault("carried_from", None)
    for change in migrated.get("changes", {}).values():
        change["plan"] = year if change.get("target") == "obligation" else None
    meta["schema_version"] = 3
    return migrated


MIGRATIONS: dict[int, Callable[[Document], Document]] = {1: schema_1_to_2, 2: schema_2_to_3}
"""Version N → function upgrading a document from N to N + 1."""
