"""The detail pane's content for an obligation or a group, as Rich Text.

Plan and user text go in as plain strings (``Text.append``), never markup.
"""

from __future__ import annotations

from rich.text import Text

from store.describe import describe_rule, event_dates, short_date
from store.model import Group, Obligation, Section
from store.report import Counts
from store.schedule import Assessment, State, parsed_rules
from tui.labels import (
    OCCURRENCE_GLYPH,
    OCCURRENCE_STYLE,
    RECURRING_GLYPH,
    STATE_GLYPH,
    STATE_STYLE,
    days_words,
)
from tui.view import TrackerView


def _heading(text: Text, title: str) -> None:
    text.append(f"\n{title}\n", style="bold underline")


def obligation_detail(assessment: Assessment, view: TrackerView) -> Text:
    obligation = assessment.obligation
    text = Text()
    text.append(obligation.number, style="bold reverse")
    group = view.groups.get(obligation.group)
    if group is not None:
        text.append(f"  {_group_path_words(group, view)}", style="dim")
    text.append("\n")
    _state_line(text, assessment)
    if obligation.title:
        text.append(f"\n{obligation.title}\n", style="bold")
    if obligation.text:
        text.append("\n")
        text.append(obligation.text)
        text.append("\n")
    if obligation.sources:
        _heading(text, "Source")
        for source in obligation.sources:
            text.append(f"{source}\n")
    if obligation.activity:
        _heading(text, "Planned activity")
        for paragraph in obligation.activity:
            text.append("• " if obligation.activity_bulleted else "")
            text.append(f"{paragraph}\n")
    _schedule_section(text, assessment, view)
    _footnotes_section(text, obligation, view)
    _partners_section(text, obligation, view)
    _notes_section(text, obligation)
    _history_section(text, obligation, view)
    return text


def _group_path_words(group: Group, view: TrackerView) -> str:
    names = []
    current: Group | None = group
    while current is not None:
        label = f"{current.number}. {current.title}" if current.number else current.title
        names.insert(0, label)
        current = view.groups.get(current.parent) if current.parent else None
    section = "Section I" if group.section is Section.MANDATES else "Section II"
    return " › ".join([section, *names])


def _state_line(text: Text, assessment: Assessment) -> None:
    obligation = assessment.obligation
    style = STATE_STYLE[assessment.state]
    text.append(f"{STATE_GLYPH[assessment.state]} {assessment.state.value}", style=style)
    if assessment.recurring:
        text.append(f"  {RECURRING_GLYPH} recurring", style="cyan")
    if assessment.stale and assessment.state is not State.STALE:
        text.append("  ◌ stale", style="dim yellow")
    text.append(f"   status: {obligation.status.value}")
    text.append("   owner: ")
    text.append(obligation.owner or "—")
    if obligation.last_reviewed:
        text.append(f"   reviewed {short_date(obligation.last_reviewed)}", style="dim")
    text.append("\n")


def _schedule_section(text: Text, assessment: Assessment, view: TrackerView) -> None:
    obligation = assessment.obligation
    events = view.events
    _heading(text, "Schedule")
    text.append("Printed: ")
    text.append(obligation.schedule_text or "(no calendar printed)", style="italic")
    text.append("\n")
    for rule in parsed_rules(obligation.rules):
        text.append("Means: ")
        text.append(describe_rule(rule, events))
        text.append("\n")
    next_due = assessment.next_due
    if next_due is not None:
        text.append("Next due: ", style="bold")
        text.append(short_date(next_due), style="bold")
        days = (next_due - view.today).days
        text.append(f" ({days_words(days)})\n")
    if not assessment.occurrences:
        return
    text.append(f"Occurrences ({view.plan.year} plan):\n")
    for due in assessment.occurrences:
        style = OCCURRENCE_STYLE[due.state]
        text.append(f"  {OCCURRENCE_GLYPH[due.state]} ", style=style)
        if due.due is None:
            waiting = events.get(due.occurrence.waiting_on or "")
            name = waiting.name if waiting else due.occurrence.waiting_on
            text.append(f"waiting for the date of the {name}", style=style)
        else:
            text.append(f"{short_date(due.due)}  {due.state.value}", style=style)
            if due.completed_on:
                text.append(f" on {short_date(due.completed_on)}", style=style)
        text.append("\n")


def _footnotes_section(text: Text, obligation: Obligation, view: TrackerView) -> None:
    """The item's own footnotes, its group's, and its section's (footnote 6 for Section II)."""
    reference = view.reference
    group = view.groups.get(obligation.group)
    numbers = {*obligation.footnotes, *(group.footnotes if group else ())}
    numbers |= {f.number for f in reference.footnotes if obligation.section.value in f.cited_by}
    footnotes = {f.number: f for f in reference.footnotes}
    if numbers:
        _heading(text, "Footnotes")
    for number in sorted(numbers):
        footnote = footnotes.get(number)
        text.append(f"{number}. ", style="bold")
        text.append(footnote.text if footnote else "(footnote text not in the plan)")
        text.append("\n")
    if obligation.key in reference.absent_appendix_citations:
        _appendix_note(text, view)


def _partners_section(text: Text, obligation: Obligation, view: TrackerView) -> None:
    if not obligation.partners:
        return
    partners = {p.key: p for p in view.reference.partners}
    _heading(text, "Partners (Appendix II)")
    for key in obligation.partners:
        partner = partners.get(key)
        text.append(f"{key} ", style="dim")
        text.append(partner.name if partner else "(not in Appendix II)")
        text.append("\n")


def _notes_section(text: Text, obligation: Obligation) -> None:
    _heading(text, "Notes")
    if not obligation.notes:
        text.append("No notes yet.\n", style="dim")
        return
    for note in sorted(obligation.notes, key=lambda n: n.at, reverse=True):
        text.append(note.at.strftime("%Y-%m-%d %H:%M"), style="bold")
        text.append("  ")
        text.append(note.text)
        text.append("\n")


HISTORY_LINES = 10


def _history_section(text: Text, obligation: Obligation, view: TrackerView) -> None:
    changes = view.changes(obligation.key)
    if not changes:
        return
    _heading(text, "History (when each edit was saved)")
    for change in reversed(changes[-HISTORY_LINES:]):
        text.append(change.at.strftime("%Y-%m-%d %H:%M"), style="dim")
        text.append("  ")
        text.append(change.summary)
        text.append("\n")
    if len(changes) > HISTORY_LINES:
        text.append(f"… {len(changes) - HISTORY_LINES} earlier changes\n", style="dim")


def group_detail(group: Group, view: TrackerView) -> Text:
    text = Text()
    text.append(_group_path_words(group, view), style="bold")
    text.append("\n")
    if group.sources:
        _heading(text, "Source")
        for source in group.sources:
            text.append(f"{source}\n")
    _cited_footnotes(text, group.key, group.footnotes, view)
    members = [a for a in view.assessments.values() if group.key in view.group_path(a.obligation)]
    _heading(text, f"{len(members)} items")
    for label, count in _summary(members):
        text.append(f"{count} {label}\n")
    return text


def _cited_footnotes(
    text: Text, cited_as: str, numbers: tuple[int, ...], view: TrackerView
) -> None:
    for footnote in view.reference.footnotes:
        if footnote.number in numbers or cited_as in footnote.cited_by:
            _heading(text, f"Footnote {footnote.number}")
            text.append(footnote.text + "\n")


def _summary(members: list[Assessment]) -> list[tuple[str, int]]:
    counts = Counts.of(members)
    counted = [
        ("overdue", counts.overdue),
        ("due soon", counts.due_soon),
        ("recurring", counts.recurring),
        ("stale", counts.stale),
        ("waiting for a meeting date", counts.waiting),
        ("ended before the plan year", counts.lapsed),
        ("done", counts.done),
    ]
    return [(label, count) for label, count in counted if count]


def _appendix_note(text: Text, view: TrackerView) -> None:
    for note in view.reference.appendix_notes:
        text.append(f"\n{note}\n", style="italic dim")


def section_detail(section: Section, view: TrackerView) -> Text:
    plan = view.plan
    text = Text()
    text.append(f"{plan.symbol} — {plan.title}\n", style="bold")
    text.append(f"{plan.committee}\n")
    if plan.issued:
        text.append(f"Issued {short_date(plan.issued)}; original: {plan.original_language}\n")
    members = [a for a in view.assessments.values() if a.obligation.section is section]
    _heading(text, f"{len(members)} items in Section {section.value}")
    for label, count in _summary(members):
        text.append(f"{count} {label}\n")
    _cited_footnotes(text, section.value, (), view)
    _appendix_note(text, view)
    _heading(text, "Meetings")
    for event in view.events.values():
        text.append(f"{event.name}: {event_dates(event)}")
        if event.place:
            text.append(f", {event.place}")
        text.append("\n")
    return text
