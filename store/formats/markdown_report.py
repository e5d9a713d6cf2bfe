"""The whole tracker as a readable Markdown report: Section I groups, then Section II sectors."""

from __future__ import annotations

from collections.abc import Mapping

from store.describe import describe_schedule, session_dates, short_date
from store.fields import Output, field_of, one_line, shown_fields
from store.formats.markdown import md_document, md_heading, md_inline, md_line, md_paragraphs
from store.formats.phrases import completion_order, completion_words
from store.model import Group, Meetings, MeetingSeries, Obligation, PlanInfo, Section
from store.report import Counts, assess_all
from store.schedule import Assessment, Outlook, parsed_rules
from store.snapshot import TrackerRecords

WORKED_OUT = ("Schedule", "Next due", "State")
"""Facts of an item worked out from its schedule, by their name in the report."""
SHOWN_OTHERWISE = frozenset(
    {"number", "title", "text", "schedule_text", "rules", "activity", "completions", "notes"}
)
"""Fields the report shows in a heading, a paragraph or a list of their own."""
FACTS: tuple[str, ...] = (
    "sources",
    *WORKED_OUT,
    "status",
    "owner",
    "footnotes",
    "partners",
    "last_reviewed",
)
"""The one-line facts under an item, in order: a field by name, or one worked out. A
field declared for the report that is shown nowhere else comes after them."""
FACTS += tuple(
    field.name
    for field in shown_fields(Obligation, Output.MARKDOWN)
    if field.name not in FACTS and field.name not in SHOWN_OTHERWISE
)


def markdown_report(tracker: TrackerRecords, outlook: Outlook) -> str:
    """The whole tracker as a readable report: Section I groups, then Section II sectors."""
    plan, meetings = tracker.plan, tracker.meetings
    assessments = {a.key: a for a in assess_all(tracker, plan, meetings, outlook)}
    lines = [
        md_heading(f"# {md_inline(plan.label)}"),
        "",
        f"Tracker report as of {short_date(outlook.today)} "
        f"(due soon = within {outlook.due_soon_days} days).",
        "",
        counts_sentence(Counts.of(assessments.values())),
        "",
        "## Meetings",
        "",
    ]
    for series in meetings.values():
        lines += _meeting_lines(series, meetings)
    lines.append("")
    lines += _sections(tracker, assessments, plan, meetings)
    lines += _reference_lines(tracker)
    return md_document(lines)


def counts_sentence(counts: Counts) -> str:
    return (
        f"{counts.total} obligations: {counts.overdue} overdue, {counts.due_soon} due soon, "
        f"{counts.stale} stale, {counts.done} done, {counts.recurring} recurring, "
        f"{counts.waiting} waiting for a meeting date, "
        f"{counts.period_ended} period ended (renew or close)."
    )


def _meeting_lines(series: MeetingSeries, meetings: Meetings) -> list[str]:
    lines = [f"- {md_line(series.name)} (`{series.key}`)"]
    for session in series.sessions:
        title = f" — {md_inline(session.title)}" if session.title else ""
        place = f", {md_inline(session.place)}" if session.place else ""
        document = f"; document {md_inline(session.document)}" if session.document else ""
        lines.append(f"  - {session.year}{title}: {session_dates(session)}{place}{document}")
    host = meetings.get(series.alongside) if series.alongside else None
    if host is not None:
        basis = f" ({md_inline(series.alongside_basis)})" if series.alongside_basis else ""
        lines.append(
            f"  - without dates of its own, a session takes those of the "
            f"{md_inline(host.name)}{basis}"
        )
    elif not series.sessions:
        lines.append("  - no session yet")
    return lines


def _sections(
    tracker: TrackerRecords,
    assessments: Mapping[str, Assessment],
    plan: PlanInfo,
    meetings: Meetings,
) -> list[str]:
    groups = tracker.reference.groups
    by_group: dict[str, list[Obligation]] = {}
    for obligation in tracker:
        by_group.setdefault(obligation.group, []).append(obligation)
    listed = {g.key for g in groups}

    def obligation_lines(obligation: Obligation, heading: str) -> list[str]:
        return _obligation_lines(obligation, assessments[obligation.key], plan, meetings, heading)

    lines = ["## Section I — mandates to the Secretariat", ""]
    for group in (g for g in groups if g.section is Section.MANDATES):
        lines += [md_heading(f"### {md_inline(group.number)}. {md_inline(group.title)}"), ""]
        if group.sources:
            lines += ["Sources: " + md_inline("; ".join(group.sources)), ""]
        for obligation in by_group.get(group.key, []):
            lines += obligation_lines(obligation, "####")
    lines += ["## Section II — programmes and activities", ""]
    for sector in (g for g in groups if g.section is Section.PROGRAMMES and g.parent is None):
        lines += [md_heading(f"### {md_inline(sector.key)} {md_inline(sector.title)}"), ""]
        for programme in (g for g in groups if g.parent == sector.key):
            lines += [md_heading(f"#### {_programme_heading(programme)}"), ""]
            for obligation in by_group.get(programme.key, []):
                lines += obligation_lines(obligation, "#####")
    strays = [o for key, items in by_group.items() if key not in listed for o in items]
    if strays:
        lines += ["## Obligations outside the plan's groups", ""]
        for obligation in strays:
            lines += obligation_lines(obligation, "###")
    return lines


def _programme_heading(programme: Group) -> str:
    letter = f"{md_inline(programme.number)}. " if programme.number else ""
    return f"{letter}{md_inline(programme.title)}"


def _obligation_lines(
    obligation: Obligation,
    assessment: Assessment,
    plan: PlanInfo,
    meetings: Meetings,
    heading: str,
) -> list[str]:
    title = f"{heading} {md_line(obligation.number)} — {md_inline(obligation.short_title)}"
    lines = [md_heading(title), ""]
    if obligation.title:
        lines += [f"*{md_inline(obligation.title)}*", ""]
    lines += md_paragraphs(obligation.text)
    worked_out = {
        "Schedule": _schedule_fact(obligation, plan, meetings),
        "Next due": _next_due_fact(assessment),
        "State": assessment.state.value,
    }
    facts = [
        (name, worked_out[name])
        if name in worked_out
        else (field_of(Obligation, name).heading.capitalize(), _value(obligation, name))
        for name in FACTS
    ]
    lines += [f"- {name}: {md_inline(value)}" for name, value in facts if value]
    if obligation.activity:
        lines.append(f"- {field_of(Obligation, 'activity').heading.capitalize()}:")
        lines += [f"  - {md_line(step)}" for step in obligation.activity]
    if obligation.completions:
        lines.append("- Completed:")
        for completion in sorted(obligation.completions, key=completion_order):
            gone = (
                " (no longer an occurrence of the schedule)"
                if completion in assessment.history
                else ""
            )
            lines.append(f"  - {completion_words(completion, markdown=True)}{gone}")
    if obligation.notes:
        lines.append("- Notes:")
        lines += [
            f"  - {note.at.isoformat(sep=' ', timespec='minutes')} — {md_inline(note.text)}"
            for note in obligation.notes
        ]
    return [*lines, ""]


def _value(obligation: Obligation, name: str) -> str:
    return one_line(field_of(Obligation, name), getattr(obligation, name))


def _schedule_fact(obligation: Obligation, plan: PlanInfo, meetings: Meetings) -> str:
    meaning = describe_schedule(parsed_rules(obligation.rules), meetings, plan.year)
    if obligation.schedule_text:
        return f"« {obligation.schedule_text} » — {meaning}"
    return meaning


def _next_due_fact(assessment: Assessment) -> str:
    current = assessment.current
    if current is None or current.due is None:
        return ""
    assumed = f"; date assumed: {current.occurrence.assumed}" if current.occurrence.assumed else ""
    return f"{short_date(current.due)} ({current.state.value}{assumed})"


def _reference_lines(tracker: TrackerRecords) -> list[str]:
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
