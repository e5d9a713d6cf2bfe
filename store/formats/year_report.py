"""`cicte-tui report year`: a plan year's outcome as Markdown (for pandoc) or CSV.

No Textual and no Rich. The Markdown is meant to be turned into the annual
report (1.viii) and next year's draft plan (1.ii) with pandoc, so plan and
user text is escaped for pandoc's Markdown as well as CommonMark: it can hold
no table, list, link, span, footnote or HTML of its own, and is never cut.
"""

from __future__ import annotations

from collections.abc import Iterable

from store.describe import short_date
from store.formats.csv_table import csv_document
from store.formats.markdown import (
    md_broken_lines,
    md_document,
    md_heading,
    md_inline,
    md_line,
    md_link,
    md_paragraphs,
)
from store.model import Completion, Evidence, Group, Note, Section
from store.schedule import CARRIED_STATUSES
from store.year_report import (
    DeadlineLine,
    ItemReport,
    Outcome,
    SectorReport,
    Tally,
    YearReport,
)

FORMATS = ("markdown", "csv")

# -- pandoc-safe text (store.formats.markdown's escaping, pandoc flavour) --------------------------


def inline(text: str) -> str:
    """Plan or user text inside a line, literal in CommonMark and in pandoc."""
    return md_inline(text, pandoc=True)


def line(text: str) -> str:
    """Like :func:`inline`, for text that starts a line or a list item."""
    return md_line(text, pandoc=True)


def paragraphs(text: str) -> list[str]:
    """Each line of a multi-line text as its own paragraph: line breaks survive, nothing is cut."""
    return md_paragraphs(text, pandoc=True)


def broken_lines(text: str, indent: str) -> str:
    """A multi-line text inside a list item, one hard line break per line."""
    return md_broken_lines(text, indent, pandoc=True)


def heading(text: str) -> str:
    """A whole heading line; a closing run of ``#`` would be taken for the heading's own end."""
    return md_heading(text)


# -- Markdown -------------------------------------------------------------------------------


def render_markdown(report: YearReport) -> str:
    plan = report.plan
    lines = [
        heading(f"# {_title(report)}: {inline(plan.symbol)}"),
        "",
        f"Plan: {_plan_name(report)}",
        "",
        *_scope(report),
        "",
        "## Summary",
        "",
        _summary(report),
        "",
        *_table(report),
        "",
        *_carried_in(report),
        *_open_at_year_end(report),
    ]
    for sector in report.sectors:
        lines += _sector(report, sector)
    return md_document(lines)


def _plan_name(report: YearReport) -> str:
    plan = report.plan
    if plan.title == plan.symbol:  # a plan started in the tracker, not yet given its own
        return inline(plan.symbol)
    return inline(plan.label)


def _title(report: YearReport) -> str:
    year = report.plan.year
    if report.year_over:
        return f"Year-end report {year}"
    return f"Interim report {year}, as of {short_date(report.as_of)}"


def _scope(report: YearReport) -> list[str]:
    plan = report.plan
    lines = [f"- Plan year: {short_date(plan.period_start)} – {short_date(plan.period_end)}."]
    if report.year_over:
        lines.append(
            f"- States at the end of the year, as of {short_date(report.as_of)} (the day after "
            "it ended): a deadline not done by then is **missed**; one due later is **open**."
        )
        if report.today > report.as_of:
            lines.append(
                f"- Work recorded since, up to {short_date(report.today)}, is shown with its "
                "dates; it does not change what was missed."
            )
    else:
        lines.append(
            f"- The plan year is not over: states as of {short_date(report.as_of)}. "
            "A deadline not done by then is **overdue**; one due later is **open**."
        )
    lines.append(
        f"- Raw material for the annual report to the CICTE regular session (1.viii) "
        f"and the draft plan for {plan.year + 1} (1.ii)."
    )
    return lines


def _missed_word(report: YearReport) -> str:
    return "missed" if report.year_over else "overdue"


def _summary(report: YearReport) -> str:
    total = report.total
    at = "at year end" if report.year_over else f"on {short_date(report.as_of)}"
    return (
        f"{_count(total.obligations, 'obligation')}. "
        f"{_count(total.deadlines, 'deadline')} in the plan year: {total.done} done, "
        f"{total.missed} {_missed_word(report)}, {total.open} still open. "
        f"{total.review_tracked} tracked by review (continuous, on demand or to be "
        f"determined): {total.reviewed_in_year} reviewed during the year, "
        f"{total.stale} stale {at} (not reviewed for {report.review_days} days). "
        f"{total.carried_in} carried in from an earlier plan; "
        f"{total.open_at_year_end} still open {at}."
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


_TABLE_HEADINGS = (
    "Items",
    "Deadlines",
    "Done",
    "{missed}",
    "Open",
    "By review",
    "Reviewed",
    "Carried in",
    "Still open",
)


def _table(report: YearReport) -> list[str]:
    headings = [h.format(missed=_missed_word(report).title()) for h in _TABLE_HEADINGS]
    rows = [
        "| Group or sector | " + " | ".join(headings) + " |",
        # Dash counts set pandoc's column widths: room for the names, little for numbers.
        "|:" + "-" * 39 + ("|" + "-" * 5 + ":") * len(headings) + "|",
    ]
    for sector in report.sectors:
        rows.append(_table_row(_sector_name(sector), sector.tally))
    rows.append(_table_row("**Total**", report.total))
    at = "at the end of the year" if report.year_over else f"on {short_date(report.as_of)}"
    return [
        *rows,
        "",
        f"Items: obligations. Deadlines: occurrences in the plan year, by what became of them. "
        f"By review: items tracked by review, of which *Reviewed* had a status change, note "
        f"or completion during the year. Carried in: from an earlier plan. Still open: "
        f"{_missed_word(report)} deadlines or work in progress or blocked {at}.",
    ]


def _table_row(name: str, tally: Tally) -> str:
    numbers = (
        tally.obligations,
        tally.deadlines,
        tally.done,
        tally.missed,
        tally.open,
        tally.review_tracked,
        tally.reviewed_in_year,
        tally.carried_in,
        tally.open_at_year_end,
    )
    return f"| {name} | " + " | ".join(str(n) for n in numbers) + " |"


def _sector_name(sector: SectorReport) -> str:
    group = sector.group
    if group is None:
        return "Outside the plan's groups"
    return f"{inline(group.key)} {inline(group.title)}"


def _item_name(item: ItemReport, why: str) -> str:
    """Id, why it is listed, and the whole first sentence: two items never look alike."""
    obligation = item.obligation
    return f"{line(obligation.number)} ({why}): {inline(obligation.readable_title)}"


def _item_heading(item: ItemReport) -> str:
    """Id and the whole first sentence (the full text follows): two headings never match."""
    obligation = item.obligation
    return f"{line(obligation.number)} — {inline(obligation.readable_title)}"


def _carried_in(report: YearReport) -> list[str]:
    items = report.carried_in
    lines = [f"## Carried in from an earlier plan ({len(items)})", ""]
    if not items:
        return [*lines, "No item was carried over into this plan.", ""]
    lines += [
        "Still open when that plan's year ended; the item's record there keeps its "
        "history and notes.",
        "",
    ]
    lines += [f"- {_item_name(item, f'from the {item.carried_from} plan')}" for item in items]
    return [*lines, ""]


def _open_at_year_end(report: YearReport) -> list[str]:
    items = report.open_at_year_end
    at = "at the end of the year" if report.year_over else f"on {short_date(report.as_of)}"
    lines = [f"## Still open {at} ({len(items)})", ""]
    if not items:
        return [
            *lines,
            "Nothing: no deadline was missed and no work is in progress or blocked.",
            "",
        ]
    for item in items:
        reasons = []
        if item.missed:
            days = _and_list([_due_words(d) for d in item.missed])
            reasons.append(f"{_missed_word(report)} {days}")
        status = item.obligation.status
        if status in CARRIED_STATUSES:
            reasons.append(f"status {status.value}")
        lines.append(f"- {_item_name(item, '; '.join(reasons))}")
    return [*lines, ""]


def _and_list(words: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _due_words(deadline: DeadlineLine) -> str:
    return short_date(deadline.due) if deadline.due else "(date not set)"


def _sector(report: YearReport, sector: SectorReport) -> list[str]:
    group = sector.group
    lines: list[str] = []
    if group is None:
        lines += ["## Obligations outside the plan's groups", ""]
        level = "###"
    elif group.section is Section.MANDATES:
        if group is report.sectors[0].group:
            lines += ["## Section I — mandates to the Secretariat", ""]
        lines += [heading(f"### {inline(group.number)}. {inline(group.title)}"), ""]
        level = "####"
    else:
        if _first_of_section_ii(report, sector):
            lines += ["## Section II — programmes and activities", ""]
        lines += [heading(f"### {inline(group.key)} {inline(group.title)}"), ""]
        level = "####"
    lines += [_sector_counts(report, sector.tally), ""]
    for block in sector.blocks:
        item_level = level
        if block.programme is not None:
            lines += [heading(f"{level} {_programme_heading(block.programme)}"), ""]
            item_level = level + "#"
            if not block.items:
                lines += ["No project in this programme.", ""]
        for item in block.items:
            lines += _item(report, item, item_level)
    return lines


def _first_of_section_ii(report: YearReport, sector: SectorReport) -> bool:
    first = next(
        (s for s in report.sectors if s.group and s.group.section is Section.PROGRAMMES), None
    )
    return first is sector


def _programme_heading(programme: Group) -> str:
    letter = f"{inline(programme.number)}. " if programme.number else ""
    return f"{letter}{inline(programme.title)}"


def _sector_counts(report: YearReport, tally: Tally) -> str:
    return (
        f"{_count(tally.obligations, 'obligation')}; "
        f"{_count(tally.deadlines, 'deadline')}: {tally.done} done, "
        f"{tally.missed} {_missed_word(report)}, {tally.open} open; "
        f"{tally.review_tracked} tracked by review, {tally.reviewed_in_year} reviewed "
        f"during the year; {tally.carried_in} carried in; {tally.open_at_year_end} still open."
    )


def _item(report: YearReport, item: ItemReport, level: str) -> list[str]:
    obligation = item.obligation
    lines = [heading(f"{level} {_item_heading(item)}"), ""]
    if obligation.title:
        lines += [f"*{inline(obligation.title)}*", ""]
    lines += paragraphs(obligation.text)
    facts = []
    if obligation.sources:
        facts.append(f"- Source: {inline('; '.join(obligation.sources))}")
    schedule = inline(item.schedule)
    if obligation.schedule_text:
        schedule = f"« {inline(obligation.schedule_text)} » — {schedule}"
    facts.append(f"- Schedule: {schedule}")
    owner = f"; owner: {inline(obligation.owner)}" if obligation.owner else ""
    facts.append(f"- Status: {obligation.status.value}{owner}")
    if item.carried_from is not None:
        facts.append(
            f"- Carried over from the {item.carried_from} plan: its record there keeps "
            "its history and notes."
        )
    if item.deadlines:
        facts.append("- Deadlines:")
        facts += [f"  - {_deadline(report, d)}" for d in item.deadlines]
    for completion in item.former:
        facts.append(f"- Done against a deadline no longer in the schedule: {_former(completion)}")
    if item.review_tracked:
        facts.append(f"- Review: {_review(report, item)}")
    if item.latest_note is not None:
        facts.append(f"- Latest note, {_note(item.latest_note)}")
    return [*lines, *facts, ""]


def _deadline(report: YearReport, deadline: DeadlineLine) -> str:
    when = short_date(deadline.due) if deadline.due else "date not set"
    if deadline.outcome is Outcome.DONE:
        if deadline.marked_done or deadline.completion is None:
            return f"{when}: **done** (the item was marked done as a whole)"
        return f"{when}: **done** on {_completion(deadline)}"
    if deadline.outcome is Outcome.MISSED:
        words = f"{when}: **{_missed_word(report)}**"
    else:
        words = f"{when}: **open**"
        if deadline.due is None:
            words += f", waiting for a date of the {inline(deadline.waiting_for)}"
        elif deadline.beyond_year:
            words += ", due after the plan year"
    if deadline.before_year:
        words += ", due before the plan year (carried over)"
    if deadline.done_since:
        words += f"; done since, on {_completion(deadline)}"
    return words


def _completion(deadline: DeadlineLine) -> str:
    """``5 Mar 2008, 3 days late; document …; outcome: …``."""
    completion = deadline.completion
    assert completion is not None
    late = deadline.days_late
    words = short_date(completion.done_on)
    if late:
        words += f", {_count(late, 'day')} late"
    evidence = evidence_words(completion.evidence)
    return f"{words}; {evidence}" if evidence else words


def _former(completion: Completion) -> str:
    due = f"due {short_date(completion.due)}" if completion.due else inline(completion.occurrence)
    evidence = evidence_words(completion.evidence)
    return f"{due}, done on {short_date(completion.done_on)}" + (
        f"; {evidence}" if evidence else ""
    )


def evidence_words(evidence: Evidence) -> str:
    """``document CICTE/doc.4/08; link <https://…>; outcome: …``, escaped; empty when none."""
    parts = []
    if evidence.document:
        parts.append(f"document {inline(evidence.document)}")
    if evidence.link.strip():
        parts.append(f"link {md_link(evidence.link, pandoc=True)}")
    if evidence.outcome:
        parts.append(f"outcome: {inline(evidence.outcome)}")
    return "; ".join(parts)


def _review(report: YearReport, item: ItemReport) -> str:
    reviewed = item.obligation.last_reviewed
    parts = [f"last reviewed {short_date(reviewed)}" if reviewed else "never reviewed"]
    if reviewed is not None and not item.reviewed_in_year:
        parts.append("not during the plan year")
    if item.period_ended:
        parts.append("its period has ended: renew or close it")
    elif item.stale:
        at = "at year end" if report.year_over else f"on {short_date(report.as_of)}"
        parts.append(f"stale {at}")
    return "; ".join(parts)


def _note(note: Note) -> str:
    stamp = f"{short_date(note.at.date())} {note.at:%H:%M}"
    return f"{stamp}: {broken_lines(note.text, '  ')}"


# -- CSV ------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "plan year",
    "id",
    "section",
    "sector",
    "group",
    "row",
    "due",
    "session",
    "at year end",
    "done on",
    "days late",
    "document",
    "link",
    "outcome",
    "remark",
    "status",
    "owner",
    "last reviewed",
    "reviewed in year",
    "stale",
    "latest note on",
    "latest note",
    "carried from",
    "still open",
    "schedule text",
    "schedule",
    "title",
    "text",
    "as of",
)
"""One row per deadline (``deadline``), per completion of a deadline no longer in the
schedule (``former deadline``) and per item tracked by review (``review``).
Columns are only ever added at the end."""


def csv_text(report: YearReport) -> str:
    """Every row in plan order; multi-line texts stay in one quoted cell, no cell a formula."""
    rows = (
        row
        for sector in report.sectors
        for item in sector.items
        for row in _csv_rows(report, sector.group.key if sector.group else "", item)
    )
    return csv_document(CSV_COLUMNS, rows)


def csv_bytes(report: YearReport, *, excel_marker: bool) -> bytes:
    # The byte-order mark tells Excel the file is UTF-8, as the CSV export does;
    # standard output goes without it, where it would get in a pipe's way.
    return csv_text(report).encode("utf-8-sig" if excel_marker else "utf-8")


def _csv_rows(report: YearReport, sector_key: str, item: ItemReport) -> Iterable[list[str]]:
    obligation = item.obligation
    note = item.latest_note
    reviewed = obligation.last_reviewed

    def row(
        kind: str,
        due: str = "",
        session: str = "",
        state: str = "",
        completion: Completion | None = None,
        days_late: int = 0,
        remark: str = "",
    ) -> list[str]:
        evidence = completion.evidence if completion else Evidence()
        return [
            str(report.plan.year),
            obligation.number,
            obligation.section.value,
            sector_key,
            obligation.group,
            kind,
            due,
            session,
            state,
            completion.done_on.isoformat() if completion else "",
            str(days_late) if days_late else "",
            evidence.document,
            evidence.link,
            evidence.outcome,
            remark,
            obligation.status.value,
            obligation.owner,
            reviewed.isoformat() if reviewed else "",
            _yes(item.reviewed_in_year),
            _yes(item.stale),
            note.at.isoformat(sep=" ", timespec="minutes") if note else "",
            note.text if note else "",
            str(item.carried_from) if item.carried_from is not None else "",
            _yes(item.open_at_year_end),
            obligation.schedule_text,
            item.schedule,
            obligation.title or "",
            obligation.text,
            report.as_of.isoformat(),
        ]

    for deadline in item.deadlines:
        yield row(
            "deadline",
            deadline.due.isoformat() if deadline.due else "",
            deadline.occurrence.session or "",
            deadline.outcome.value,
            deadline.completion,
            deadline.days_late,
            _remark(deadline),
        )
    for completion in item.former:
        yield row(
            "former deadline",
            completion.due.isoformat() if completion.due else "",
            completion.session or "",
            Outcome.DONE.value,
            completion,
            remark="no longer in the schedule",
        )
    if item.review_tracked or not (item.deadlines or item.former):
        remark = "period ended: renew or close" if item.period_ended else ""
        yield row("review", remark=remark)


def _remark(deadline: DeadlineLine) -> str:
    if deadline.marked_done:
        return "the item was marked done as a whole"
    if deadline.done_since:
        return "done after the year-end point"
    if deadline.due is None:
        return f"waiting for a date of the {deadline.waiting_for}"
    if deadline.beyond_year:
        return "due after the plan year"
    if deadline.before_year:
        return "due before the plan year (carried over)"
    return ""


def _yes(value: bool) -> str:
    return "yes" if value else "no"
