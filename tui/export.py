"""`cicte-tui export`: the tracker as iCalendar, Markdown, CSV or JSON, and safe output files.

No Textual and no Rich here: the one-shot commands import this module, and
the app calls the same functions (``export_bytes``, ``write_output``).
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from dateutil.rrule import rrulestr
from icalendar import Calendar, vRecur
from icalendar import Event as CalendarEvent

from store.describe import describe_rule, describe_schedule, event_dates, short_date
from store.exchange import export_json
from store.model import Event, Group, Obligation, PlanInfo, Section
from store.report import Counts, assess_all
from store.repository import Tracker
from store.rules import Recurring
from store.schedule import (
    Assessment,
    DueOccurrence,
    OccurrenceState,
    Outlook,
    parsed_rules,
    recurrence_dates,
)
from store.storage import atomic_write_bytes

FORMATS = ("ics", "markdown", "csv", "json")
STDOUT = "-"
UID_DOMAIN = "cicte-tui"
DONE_MARK = "[done] "
"""Put before the SUMMARY of a completed deadline: every calendar program shows it."""


class OutputError(ValueError):
    """An output file that cannot or must not be written; the message says which and why."""


# -- writing output ------------------------------------------------------------


def write_output(
    target: str, content: bytes, *, force: bool = False, protect: Path | None = None
) -> Path | None:
    """Write ``content`` to the file ``target`` (atomically), or to stdout for ``-``.

    An existing file is kept unless ``force``; ``protect`` (the tracker file)
    is never overwritten. Returns the path written, or None for stdout.
    """
    if target == STDOUT:
        _write_stdout(content)
        return None
    path = Path(target).expanduser()
    if path.is_dir():
        raise OutputError(f"{path} is a folder; give a file name")
    if protect is not None and _same_file(path, protect):
        raise OutputError(f"{path} is the tracker file itself; choose another output file")
    if path.exists() and not force:
        raise OutputError(f"{path} already exists; add --force to overwrite it")
    try:
        atomic_write_bytes(path, content)
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
    return path


def _same_file(path: Path, other: Path) -> bool:
    try:
        return path.resolve() == other.expanduser().resolve()
    except OSError:
        return False


def _write_stdout(content: bytes) -> None:
    # Bytes, not text: standard output carries the same UTF-8 as a file
    # would, whatever the terminal's locale.
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(content.decode("utf-8"))
    else:
        buffer.write(content)
        buffer.flush()


# -- Markdown helpers (shared with the brief) ---------------------------------

_INLINE_SPECIAL = re.compile(r"([\\`*_<>])")
_LINK_OPENERS = re.compile(r"\](?=[(\[:])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
# What makes the start of a line a heading, quote, list item or rule.
_BLOCK_START = re.compile(
    r"^(#{1,6}(?=\s|$)|>|[-+](?=\s|$)|[-=](?=[-=\s]*$)|\d{1,9}(?=[.)](?:\s|$)))"
)


def md_inline(text: str) -> str:
    """Plan or user text as literal Markdown inside a line: no emphasis, links or HTML.

    Escapes only what would change the meaning, so the raw text still reads
    well pasted into an e-mail.
    """
    text = _INLINE_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    text = _LINK_OPENERS.sub(r"\\]", text)
    return _ENTITY.sub(r"\\&", text)


def md_line(text: str) -> str:
    """Like :func:`md_inline`, for text that starts a line or a list item.

    There a leading ``7.``, ``-``, ``#`` or ``>`` would make a list, heading
    or quote of it.
    """
    return _BLOCK_START.sub(_escape_block_start, md_inline(text))


def _escape_block_start(match: re.Match[str]) -> str:
    marker = match[1]
    if marker[0].isdigit():
        return f"{marker}\\"  # "7. De demander…" must not become a numbered list
    return f"\\{marker}"


def md_paragraphs(text: str) -> list[str]:
    """Each line of a multi-line text as its own paragraph, so line breaks survive."""
    paragraphs: list[str] = []
    for line in text.splitlines():
        if line.strip():
            paragraphs += [md_line(line), ""]
    return paragraphs


def md_document(lines: Iterable[str]) -> str:
    """Join lines into Markdown with single blank lines and a final newline."""
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


# -- iCalendar -------------------------------------------------------------------


def calendar_of(tracker: Tracker, stamp: datetime | None = None) -> Calendar:
    """All dated deadlines and meetings as an RFC 5545 calendar.

    Deadlines are all-day events on their due date; a recurring rule is one
    event with an RRULE bounded by the plan period; completed deadlines are
    marked ``[done]`` (an override of the one occurrence, for a recurrence).
    Undated deadlines (waiting for a meeting date) are left out. ``stamp``
    (DTSTAMP) defaults to now.
    """
    stamp = stamp or datetime.now(UTC).replace(microsecond=0)
    plan, events = tracker.plan, tracker.events
    calendar = Calendar()
    calendar.add("prodid", "-//cicte-tui//CICTE work plan tracker//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{plan.symbol} — {plan.title}")
    # Completions do not depend on the day: any "today" gives the same calendar.
    outlook = Outlook(plan.period_start)
    for assessment in assess_all(tracker, plan, events, outlook):
        for component in _deadline_events(assessment, plan, events, stamp):
            calendar.add_component(component)
    for event in sorted(events.values(), key=lambda e: (e.start or date.max, e.key)):
        if event.start is not None:
            calendar.add_component(_meeting_event(event, plan, stamp))
    return calendar


def ics_bytes(tracker: Tracker, stamp: datetime | None = None) -> bytes:
    return calendar_of(tracker, stamp).to_ical()


def deadline_uid(plan: PlanInfo, obligation: Obligation, what: str) -> str:
    """``2008.I-1.ii.yearly-in-september@cicte-tui``: stable across exports.

    ``what`` is an occurrence key or a recurring rule's phrase. The plan year
    keeps next year's plan from overwriting this one in a calendar.
    """
    return f"{plan.year}.{obligation.key}.{_slug(what)}@{UID_DOMAIN}"


def meeting_uid(plan: PlanInfo, event: Event) -> str:
    return f"{plan.year}.event.{event.key}@{UID_DOMAIN}"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.]+", "-", text).strip("-").lower()


def _deadline_events(
    assessment: Assessment, plan: PlanInfo, events: Mapping[str, Event], stamp: datetime
) -> list[CalendarEvent]:
    obligation = assessment.obligation
    dated = [due for due in assessment.occurrences if due.due is not None]
    # Undated occurrences wait for a meeting's date: nothing to put in a calendar yet.
    by_rule: dict[Recurring, list[DueOccurrence]] = {}
    for due in dated:
        if isinstance(due.occurrence.rule, Recurring):
            by_rule.setdefault(due.occurrence.rule, []).append(due)
    components: list[CalendarEvent] = []
    for rule, dues in by_rule.items():
        components += _recurring_events(obligation, rule, dues, plan, events, stamp)
    # Two rules that fall on the same day make one occurrence (one key, one
    # completion): one calendar entry, not two with the same UID.
    emitted = {due.occurrence.key for dues in by_rule.values() for due in dues}
    for due in dated:
        if due.occurrence.key in emitted:
            continue
        emitted.add(due.occurrence.key)
        uid = deadline_uid(plan, obligation, due.occurrence.key)
        components.append(_deadline(obligation, due, uid, events, stamp))
    return components


def _recurring_events(
    obligation: Obligation,
    rule: Recurring,
    dues: list[DueOccurrence],
    plan: PlanInfo,
    events: Mapping[str, Event],
    stamp: datetime,
) -> list[CalendarEvent]:
    """One VEVENT with an RRULE, plus a ``[done]`` override per completed occurrence."""
    first = dues[0].due
    assert first is not None
    recurrence = bounded_rrule(rule, first, plan)
    if recurrence is None:
        # A hand-written RRULE that cannot be restated from its first date
        # (COUNT from an earlier start, say): list its dates one by one.
        return [
            _deadline(
                obligation, due, deadline_uid(plan, obligation, due.occurrence.key), events, stamp
            )
            for due in dues
        ]
    uid = deadline_uid(plan, obligation, rule.phrase)
    master = _deadline(obligation, dues[0], uid, events, stamp, mark_done=False)
    master.add("rrule", vRecur.from_ical(recurrence))
    overrides = [
        _deadline(obligation, due, uid, events, stamp, recurrence_id=True)
        for due in dues
        if due.state is OccurrenceState.DONE
    ]
    return [master, *overrides]


def bounded_rrule(rule: Recurring, first: date, plan: PlanInfo) -> str | None:
    """The rule's RRULE ending with the plan period (UNTIL), to start on ``first``.

    DTSTART must itself be an occurrence (RFC 5545 counts it as one), so the
    calendar starts on the first due date rather than the rule's own start.
    None when the result would not give exactly the schedule engine's dates.
    """
    parts = [part for part in rule.rrule.split(";") if part.split("=")[0] not in ("UNTIL", "COUNT")]
    parts.append(f"UNTIL={plan.period_end:%Y%m%d}")
    value = ";".join(parts)
    start = datetime(first.year, first.month, first.day)
    expanded = [moment.date() for moment in rrulestr(value, dtstart=start)]
    return value if expanded == recurrence_dates(rule, plan) else None


def _deadline(
    obligation: Obligation,
    due: DueOccurrence,
    uid: str,
    events: Mapping[str, Event],
    stamp: datetime,
    *,
    mark_done: bool = True,
    recurrence_id: bool = False,
) -> CalendarEvent:
    assert due.due is not None
    done = mark_done and due.state is OccurrenceState.DONE
    component = CalendarEvent()
    component.add("uid", uid)
    component.add("dtstamp", stamp)
    component.add("dtstart", due.due)
    component.add("dtend", due.due + timedelta(days=1))
    if recurrence_id:
        component.add("recurrence-id", due.due)
    prefix = DONE_MARK if done else ""
    component.add("summary", f"{prefix}{obligation.number} · {obligation.short_title}")
    component.add("description", _deadline_description(obligation, due, events, done))
    component.add("categories", ["CICTE deadline"] + (["done"] if done else []))
    component.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    component.add("x-cicte-obligation", obligation.key)
    return component


def _deadline_description(
    obligation: Obligation, due: DueOccurrence, events: Mapping[str, Event], done: bool
) -> str:
    lines = [f"Obligation {obligation.number} ({obligation.key}), Section {obligation.section}"]
    if obligation.sources:
        lines.append("Source: " + "; ".join(obligation.sources))
    if obligation.schedule_text:
        lines.append(f"Schedule: {obligation.schedule_text}")
    lines.append(f"Rule: {describe_rule(due.occurrence.rule, events)}")
    if done:
        when = f" on {due.completed_on.isoformat()}" if due.completed_on else ""
        lines.append(f"COMPLETED{when}.")
    lines.append("")
    if obligation.title:
        lines.append(obligation.title)
    lines.append(obligation.text)
    return "\n".join(lines).rstrip()


def _meeting_event(event: Event, plan: PlanInfo, stamp: datetime) -> CalendarEvent:
    assert event.start is not None
    component = CalendarEvent()
    component.add("uid", meeting_uid(plan, event))
    component.add("dtstamp", stamp)
    component.add("dtstart", event.start)
    component.add("dtend", (event.end or event.start) + timedelta(days=1))  # DTEND is exclusive
    component.add("summary", event.name)
    if event.place:
        component.add("location", event.place)
    if event.note:
        component.add("description", event.note)
    component.add("categories", ["CICTE meeting"])
    component.add("x-cicte-event", event.key)
    return component


# -- CSV ---------------------------------------------------------------------------

CSV_COLUMNS = (
    "id",
    "section",
    "group",
    "text",
    "source",
    "schedule text",
    "rule",
    "next due",
    "state",
    "status",
    "owner",
    "last note",
)


def csv_text(tracker: Tracker, outlook: Outlook) -> str:
    """One row per obligation, in plan order; multi-line texts stay in one quoted cell."""
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(CSV_COLUMNS)
    for assessment in assess_all(tracker, tracker.plan, tracker.events, outlook):
        writer.writerow(_csv_row(assessment))
    return stream.getvalue()


def _csv_row(assessment: Assessment) -> list[str]:
    obligation = assessment.obligation
    next_due = assessment.next_due
    return [
        obligation.number,
        obligation.section.value,
        obligation.group,
        obligation.text,
        "; ".join(obligation.sources),
        obligation.schedule_text,
        " + ".join(obligation.rules),
        next_due.isoformat() if next_due else "",
        assessment.state.value,
        obligation.status.value,
        obligation.owner,
        _last_note(obligation),
    ]


def _last_note(obligation: Obligation) -> str:
    if not obligation.notes:
        return ""
    note = max(obligation.notes, key=lambda n: (n.at.date(), n.at.time()))
    return f"{note.at.date().isoformat()}: {note.text}"


def csv_bytes(tracker: Tracker, outlook: Outlook, *, excel_marker: bool) -> bytes:
    # The byte-order mark tells Excel the file is UTF-8, or it garbles accents;
    # it is left off standard output, where it would get in a pipe's way.
    encoding = "utf-8-sig" if excel_marker else "utf-8"
    return csv_text(tracker, outlook).encode(encoding)


# -- Markdown report -----------------------------------------------------------------


def markdown_report(tracker: Tracker, outlook: Outlook) -> str:
    """The whole tracker as a readable report: Section I groups, then Section II sectors."""
    plan, events = tracker.plan, tracker.events
    assessments = {a.key: a for a in assess_all(tracker, plan, events, outlook)}
    lines = [
        f"# {md_inline(plan.symbol)} — {md_inline(plan.title)}",
        "",
        f"Tracker report as of {short_date(outlook.today)} "
        f"(due soon = within {outlook.due_soon_days} days).",
        "",
        _counts_sentence(Counts.of(assessments.values())),
        "",
        "## Meetings",
        "",
    ]
    lines += [_meeting_line(event) for event in events.values()] + [""]
    lines += _sections(tracker, assessments, events)
    lines += _reference_lines(tracker)
    return md_document(lines)


def _counts_sentence(counts: Counts) -> str:
    return (
        f"{counts.total} obligations: {counts.overdue} overdue, {counts.due_soon} due soon, "
        f"{counts.stale} stale, {counts.done} done, {counts.recurring} recurring, "
        f"{counts.waiting} waiting for a meeting date."
    )


def _meeting_line(event: Event) -> str:
    place = f", {md_inline(event.place)}" if event.place else ""
    return f"- {md_line(event.name)} (`{event.key}`): {event_dates(event)}{place}"


def _sections(
    tracker: Tracker, assessments: Mapping[str, Assessment], events: Mapping[str, Event]
) -> list[str]:
    groups = tracker.reference.groups
    by_group: dict[str, list[Obligation]] = {}
    for obligation in tracker:
        by_group.setdefault(obligation.group, []).append(obligation)
    listed = {g.key for g in groups}
    lines = ["## Section I — mandates to the Secretariat", ""]
    for group in (g for g in groups if g.section is Section.MANDATES):
        lines += [f"### {group.number}. {md_inline(group.title)}", ""]
        if group.sources:
            lines += ["Sources: " + md_inline("; ".join(group.sources)), ""]
        for obligation in by_group.get(group.key, []):
            lines += _obligation_lines(obligation, assessments[obligation.key], events, "####")
    lines += ["## Section II — programmes and activities", ""]
    for sector in (g for g in groups if g.section is Section.PROGRAMMES and g.parent is None):
        lines += [f"### {sector.key} {md_inline(sector.title)}", ""]
        for programme in (g for g in groups if g.parent == sector.key):
            lines += [f"#### {_programme_heading(programme)}", ""]
            for obligation in by_group.get(programme.key, []):
                lines += _obligation_lines(obligation, assessments[obligation.key], events, "#####")
    strays = [o for key, items in by_group.items() if key not in listed for o in items]
    if strays:
        lines += ["## Obligations outside the plan's groups", ""]
        for obligation in strays:
            lines += _obligation_lines(obligation, assessments[obligation.key], events, "###")
    return lines


def _programme_heading(programme: Group) -> str:
    letter = f"{programme.number}. " if programme.number else ""
    return f"{letter}{md_inline(programme.title)}"


def _obligation_lines(
    obligation: Obligation, assessment: Assessment, events: Mapping[str, Event], heading: str
) -> list[str]:
    lines = [f"{heading} {md_line(obligation.number)} — {md_inline(obligation.short_title)}", ""]
    if obligation.title:
        lines += [f"*{md_inline(obligation.title)}*", ""]
    lines += md_paragraphs(obligation.text)
    facts = [
        ("Source", "; ".join(obligation.sources)),
        ("Schedule", _schedule_fact(obligation, events)),
        ("Next due", _next_due_fact(assessment)),
        ("State", assessment.state.value),
        ("Status", obligation.status.value),
        ("Owner", obligation.owner),
        ("Footnotes", ", ".join(str(n) for n in obligation.footnotes)),
        ("Partners", ", ".join(obligation.partners)),
        ("Last reviewed", obligation.last_reviewed.isoformat() if obligation.last_reviewed else ""),
    ]
    lines += [f"- {name}: {md_inline(value)}" for name, value in facts if value]
    if obligation.activity:
        lines.append("- Activity:")
        lines += [f"  - {md_line(step)}" for step in obligation.activity]
    if obligation.completions:
        lines.append("- Completed:")
        lines += [
            f"  - {md_line(c.occurrence)} on {c.completed_on.isoformat()}"
            for c in obligation.completions
        ]
    if obligation.notes:
        lines.append("- Notes:")
        lines += [
            f"  - {note.at.isoformat(sep=' ', timespec='minutes')} — {md_inline(note.text)}"
            for note in obligation.notes
        ]
    return [*lines, ""]


def _schedule_fact(obligation: Obligation, events: Mapping[str, Event]) -> str:
    meaning = describe_schedule(parsed_rules(obligation.rules), events)
    if obligation.schedule_text:
        return f"« {obligation.schedule_text} » — {meaning}"
    return meaning


def _next_due_fact(assessment: Assessment) -> str:
    current = assessment.current
    if current is None or current.due is None:
        return ""
    return f"{short_date(current.due)} ({current.state.value})"


def _reference_lines(tracker: Tracker) -> list[str]:
    reference = tracker.reference
    lines: list[str] = []
    if reference.footnotes:
        lines += ["## Footnotes", ""]
        lines += [f"- {f.number}: {md_inline(f.text)}" for f in reference.footnotes] + [""]
    if reference.partners:
        lines += ["## Appendix II — cooperating bodies", ""]
        lines += [f"- {md_line(p.key)}: {md_inline(p.name)}" for p in reference.partners] + [""]
    if reference.appendix_notes:
        lines += ["## Appendices", ""]
        lines += [f"- {md_line(note)}" for note in reference.appendix_notes] + [""]
    return lines


# -- one entry point per format --------------------------------------------------------


def export_bytes(kind: str, tracker: Tracker, outlook: Outlook, *, to_file: bool = True) -> bytes:
    """The tracker in format ``kind`` (one of ``FORMATS``), as the bytes to write."""
    if kind == "ics":
        return ics_bytes(tracker)
    if kind == "csv":
        return csv_bytes(tracker, outlook, excel_marker=to_file)
    if kind == "markdown":
        return markdown_report(tracker, outlook).encode("utf-8")
    if kind == "json":
        return export_json(tracker.raw_document()).encode("utf-8")
    raise ValueError(f"unknown export format {kind!r} (known: {', '.join(FORMATS)})")
