"""The detail pane's content for an obligation or a group, as Rich Text.

Plan and user text go in as plain strings (``Text.append``), never markup. An
item's fields read with the words their declarations give (``store.model``);
a field declared for the pane that it does not lay out shows as a line of its own.
"""

from __future__ import annotations

from rich.text import Text

from store.describe import describe_rule, session_dates, session_name, short_date
from store.fields import Output, field_of, one_line, shown_fields
from store.model import Completion, Evidence, Group, Obligation, Section
from store.report import Counts
from store.schedule import Assessment, DueOccurrence, OccurrenceState, State, parsed_rules
from tui.labels import (
    DONE,
    OCCURRENCE_GLYPH,
    OCCURRENCE_STYLE,
    RECURRING,
    RECURRING_GLYPH,
    STALE,
    STATE_GLYPH,
    STATE_STYLE,
    days_words,
)
from tui.view import TrackerView

LAID_OUT = frozenset(
    {"number", "group", "title", "text", "sources", "activity", "schedule_text", "rules"}
    | {"footnotes", "partners", "status", "owner", "last_reviewed", "notes", "completions"}
    | {"carried_from"}
)
"""The item's fields the pane lays out itself; any other declared for it comes as a line."""


def _heading(text: Text, title: str) -> None:
    text.append(f"\n{title}\n", style="bold underline")


def _word(name: str) -> str:
    """What the pane calls an item's field (its declared heading)."""
    return field_of(Obligation, name).heading


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
    _other_fields(text, obligation)
    if obligation.sources:
        _heading(text, _word("sources").capitalize())
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
    _carried_section(text, obligation, view)
    _history_section(text, obligation, view)
    return text


def _other_fields(text: Text, obligation: Obligation) -> None:
    for field in shown_fields(Obligation, Output.DETAIL):
        value = one_line(field, getattr(obligation, field.name))
        if field.name not in LAID_OUT and value:
            text.append(f"{field.heading}: ", style="dim")
            text.append(f"{value}\n")


def _group_path_words(group: Group, view: TrackerView) -> str:
    names: list[str] = []
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
        text.append(f"  {RECURRING_GLYPH} recurring", style=RECURRING)
    if assessment.stale and assessment.state is not State.STALE:
        text.append("  ◌ stale", style=STALE)
    text.append(f"   {_word('status')}: {obligation.status.value}")
    text.append(f"   {_word('owner')}: ")
    text.append(obligation.owner or "—")
    if obligation.last_reviewed:
        text.append(f"   reviewed {short_date(obligation.last_reviewed)}", style="dim")
    text.append("\n")


def _schedule_section(text: Text, assessment: Assessment, view: TrackerView) -> None:
    obligation = assessment.obligation
    meetings = view.meetings
    _heading(text, "Schedule")
    text.append("Printed: ")
    text.append(obligation.schedule_text or "(no calendar printed)", style="italic")
    text.append("\n")
    for rule in parsed_rules(obligation.rules):
        text.append("Means: ")
        text.append(describe_rule(rule, meetings, view.plan.year))
        text.append("\n")
    if assessment.period_ended:
        text.append(f"{STATE_GLYPH[State.PERIOD_ENDED]} ", style=STATE_STYLE[State.PERIOD_ENDED])
        text.append(State.PERIOD_ENDED.value, style=STATE_STYLE[State.PERIOD_ENDED])
        text.append(": the programme period is over; it is never overdue.\n")
    next_due = assessment.next_due
    if next_due is not None:
        text.append("Next due: ", style="bold")
        text.append(short_date(next_due), style="bold")
        days = (next_due - view.today).days
        text.append(f" ({days_words(days)})\n")
    if assessment.occurrences:
        text.append(f"Occurrences ({view.plan.year} plan):\n")
        for due in assessment.occurrences:
            _occurrence_lines(text, due, view)
    if assessment.history:
        text.append("No longer scheduled (the schedule changed after they were done):\n")
        for completion in assessment.history:
            _history_completion(text, completion)


def _occurrence_lines(text: Text, due: DueOccurrence, view: TrackerView) -> None:
    """``✓ 7 Mar 2008  done on 6 Mar 2008``, then its session, assumption and evidence."""
    style = OCCURRENCE_STYLE[due.state]
    occurrence = due.occurrence
    text.append(f"  {OCCURRENCE_GLYPH[due.state]} ", style=style)
    if due.due is None:
        text.append(f"waiting for the date of the {_session_words(occurrence.session, view)}")
        text.append("\n")
    else:
        text.append(f"{short_date(due.due)}  {due.state.value}", style=style)
        if due.done_on is not None:
            text.append(f" on {short_date(due.done_on)}", style=style)
        elif due.state in (OccurrenceState.OVERDUE, OccurrenceState.DUE_SOON):
            text.append(f" ({days_words(due.days_from_today or 0)})", style=style)
        text.append("\n")
        if occurrence.session:
            text.append("      session: ", style="dim")
            text.append(_session_words(occurrence.session, view))
            text.append("\n")
    if occurrence.assumed:
        text.append("      assumed: ", style="dim")
        text.append(occurrence.assumed, style="italic")
        text.append("\n")
    if due.completion is not None:
        _evidence_lines(text, due.completion.evidence)


def _session_words(session_key: str | None, view: TrackerView) -> str:
    """``CICTE regular session 2008 (Eighth Regular Session), 5–7 Mar 2008``."""
    if not session_key:
        return "meeting"
    series_key, _, year_text = session_key.rpartition("/")
    series = view.meetings.get(series_key)
    if series is None:
        return f"{session_key} (unknown meeting)"
    year = int(year_text)
    session = series.session(year)
    if session is None:
        return f"{series.name} {year}"
    return f"{session_name(series, session)}, {session_dates(session)}"


def _evidence_lines(text: Text, evidence: Evidence) -> None:
    for label, value in (
        ("document", evidence.document),
        ("link", evidence.link),
        ("outcome", evidence.outcome),
    ):
        if value:
            text.append(f"      {label}: ", style="dim")
            text.append(value)
            text.append("\n")


def _history_completion(text: Text, completion: Completion) -> None:
    style = DONE
    text.append("  ✓ ", style=style)
    due = f"due {short_date(completion.due)}" if completion.due else completion.occurrence
    text.append(f"{due}  done on {short_date(completion.done_on)}", style=style)
    text.append("  — no longer scheduled\n", style="dim")
    _evidence_lines(text, completion.evidence)


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
    _heading(text, f"{_word('partners').capitalize()} (Appendix II)")
    for key in obligation.partners:
        partner = partners.get(key)
        text.append(f"{key} ", style="dim")
        text.append(partner.name if partner else "(not in Appendix II)")
        text.append("\n")


def _notes_section(text: Text, obligation: Obligation) -> None:
    _heading(text, _word("notes").capitalize())
    if not obligation.notes:
        text.append("No notes yet.\n", style="dim")
        return
    for note in sorted(obligation.notes, key=lambda n: n.at, reverse=True):
        text.append(note.at.strftime("%Y-%m-%d %H:%M"), style="bold")
        text.append("  ")
        text.append(note.text)
        text.append("\n")


def _carried_section(text: Text, obligation: Obligation, view: TrackerView) -> None:
    """A carried-over item: why, and its record in the year it comes from (its notes)."""
    year = obligation.carried_from
    if year is None:
        return
    _heading(text, f"Carried over from {year}")
    earlier = view.records.obligations_of(year).get(obligation.key)
    if earlier is None:
        text.append(f"Its {year} record is no longer in the tracker.\n", style="dim")
        return
    text.append(
        f"Still open at the end of {year} (status then: {earlier.status.value}"
        f"{', owner ' + earlier.owner if earlier.owner else ''}). P opens the {year} plan.\n"
    )
    for note in sorted(earlier.notes, key=lambda n: n.at, reverse=True):
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
    _heading(text, f"{len(view.members(group.key))} items")
    for label, count in _summary(view.counts_under(group.key)):
        text.append(f"{count} {label}\n")
    return text


def _cited_footnotes(
    text: Text, cited_as: str, numbers: tuple[int, ...], view: TrackerView
) -> None:
    for footnote in view.reference.footnotes:
        if footnote.number in numbers or cited_as in footnote.cited_by:
            _heading(text, f"Footnote {footnote.number}")
            text.append(footnote.text + "\n")


def _summary(counts: Counts) -> list[tuple[str, int]]:
    counted = [
        ("overdue", counts.overdue),
        ("due soon", counts.due_soon),
        ("recurring", counts.recurring),
        ("stale", counts.stale),
        ("waiting for a meeting date", counts.waiting),
        ("period ended — renew or close", counts.period_ended),
        ("done", counts.done),
    ]
    return [(label, count) for label, count in counted if count]


def _appendix_note(text: Text, view: TrackerView) -> None:
    for note in view.reference.appendix_notes:
        text.append(f"\n{note}\n", style="italic dim")


def section_detail(section: Section, view: TrackerView) -> Text:
    plan = view.plan
    text = Text()
    text.append(f"{plan.label}\n", style="bold")
    text.append(f"{plan.committee}\n")
    if plan.issued:
        text.append(f"Issued {short_date(plan.issued)}; original: {plan.original_language}\n")
    _heading(text, f"{len(view.members(section.value))} items in Section {section.value}")
    for label, count in _summary(view.counts_under(section.value)):
        text.append(f"{count} {label}\n")
    _cited_footnotes(text, section.value, (), view)
    _appendix_note(text, view)
    _heading(text, "Meetings (E edits them)")
    for series in view.meetings.values():
        for session in series.sessions:
            text.append(f"{session_name(series, session)}: {session_dates(session)}")
            if session.place:
                text.append(f", {session.place}")
            text.append("\n")
        if series.alongside and series.alongside in view.meetings:
            basis = f" ({series.alongside_basis})" if series.alongside_basis else ""
            host = view.meetings[series.alongside].name
            text.append(f"{series.name}: alongside the {host}{basis}")
            text.append(" when it has no dates of its own\n", style="dim")
    return text
