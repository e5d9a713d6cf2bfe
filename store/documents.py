"""Conversion between stored JSON documents and the domain dataclasses.

The one place that knows field names on disk; everything else sees
dataclasses. A missing optional field takes its default, so documents
written by an older minor version still load. A date outside 1900–2100
(a hand-edited file) is refused here, with the words of ``store.validation``,
so that no view ever computes with it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypeVar

from store.model import (
    Change,
    Completion,
    Evidence,
    Footnote,
    Group,
    MeetingSeries,
    Note,
    Obligation,
    Partner,
    PlanInfo,
    PlanReference,
    Section,
    Session,
    Status,
)
from store.rules import FIRST_YEAR, LAST_YEAR, out_of_bounds
from store.validation import period_problems

Doc = dict[str, Any]


class OutOfBounds(ValueError):
    """A stored record with a date outside 1900–2100: refused whole, never half-read."""

    def __init__(self, problem: str, record: str = "") -> None:
        super().__init__(f"{record}: {problem}" if record else problem)
        self.problem = problem
        """What is wrong, in the words the forms and import use."""
        self.record = record
        """Which record (``meeting cicte-session``), for a message about a whole file."""

    def of(self, record: str) -> OutOfBounds:
        """The same problem, said of ``record``."""
        return OutOfBounds(self.problem, record)


Day = TypeVar("Day", date, datetime)


def _bounded(field: str, day: Day) -> Day:
    problem = out_of_bounds(day)
    if problem is not None:
        raise OutOfBounds(f"{field}: {problem}")
    return day


def _day(value: str, field: str) -> date:
    return _bounded(field, date.fromisoformat(value))


def _date(value: str | None, field: str) -> date | None:
    return _day(value, field) if value else None


def _year(value: Any) -> int:
    year = int(value)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise OutOfBounds(f"year: {year} is not between {FIRST_YEAR} and {LAST_YEAR}")
    return year


def _local_time(value: str, field: str) -> datetime:
    """A stored time as local wall-clock time (an imported one may carry a zone)."""
    moment = _bounded(field, datetime.fromisoformat(value))
    return moment.astimezone().replace(tzinfo=None) if moment.tzinfo else moment


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def plan_to_doc(plan: PlanInfo) -> Doc:
    return {
        "symbol": plan.symbol,
        "title": plan.title,
        "year": plan.year,
        "period_start": plan.period_start.isoformat(),
        "period_end": plan.period_end.isoformat(),
        "language": plan.language,
        "issued": _iso(plan.issued),
        "series": plan.series,
        "committee": plan.committee,
        "meeting": plan.meeting,
        "meeting_date": _iso(plan.meeting_date),
        "original_language": plan.original_language,
        "derived_from": plan.derived_from,
    }


def plan_from_doc(doc: Doc) -> PlanInfo:
    try:
        plan = PlanInfo(
            symbol=doc["symbol"],
            title=doc["title"],
            year=_year(doc["year"]),
            period_start=_day(doc["period_start"], "period start"),
            period_end=_day(doc["period_end"], "period end"),
            language=doc.get("language", ""),
            issued=_date(doc.get("issued"), "issued"),
            series=doc.get("series", ""),
            committee=doc.get("committee", ""),
            meeting=doc.get("meeting", ""),
            meeting_date=_date(doc.get("meeting_date"), "meeting date"),
            original_language=doc.get("original_language", ""),
            derived_from=doc.get("derived_from"),
        )
        if problems := period_problems(plan):  # a period of centuries would cost centuries
            raise OutOfBounds(problems[0])
    except OutOfBounds as error:
        raise error.of(f"plan {doc.get('year')}") from None
    return plan


def reference_to_doc(reference: PlanReference) -> Doc:
    return {
        "groups": [
            {
                "key": g.key,
                "section": g.section.value,
                "number": g.number,
                "title": g.title,
                "parent": g.parent,
                "sources": list(g.sources),
                "footnotes": list(g.footnotes),
            }
            for g in reference.groups
        ],
        "footnotes": [
            {"number": f.number, "text": f.text, "cited_by": list(f.cited_by)}
            for f in reference.footnotes
        ],
        "partners": [
            {"key": p.key, "name": p.name, "sub_entries": list(p.sub_entries)}
            for p in reference.partners
        ],
        "appendix_notes": list(reference.appendix_notes),
        "absent_appendix_citations": list(reference.absent_appendix_citations),
        "source_notes": [{"where": w, "note": n} for w, n in reference.source_notes],
    }


def reference_from_doc(doc: Doc) -> PlanReference:
    return PlanReference(
        groups=tuple(
            Group(
                key=g["key"],
                section=Section(g["section"]),
                number=g["number"],
                title=g["title"],
                parent=g.get("parent"),
                sources=tuple(g.get("sources", ())),
                footnotes=tuple(g.get("footnotes", ())),
            )
            for g in doc.get("groups", ())
        ),
        footnotes=tuple(
            Footnote(f["number"], f["text"], tuple(f.get("cited_by", ())))
            for f in doc.get("footnotes", ())
        ),
        partners=tuple(
            Partner(p["key"], p["name"], tuple(p.get("sub_entries", ())))
            for p in doc.get("partners", ())
        ),
        appendix_notes=tuple(doc.get("appendix_notes", ())),
        absent_appendix_citations=tuple(doc.get("absent_appendix_citations", ())),
        source_notes=tuple((n["where"], n["note"]) for n in doc.get("source_notes", ())),
    )


def obligation_to_doc(obligation: Obligation) -> Doc:
    return {
        "key": obligation.key,
        "number": obligation.number,
        "section": obligation.section.value,
        "group": obligation.group,
        "title": obligation.title,
        "text": obligation.text,
        "sources": list(obligation.sources),
        "activity": list(obligation.activity),
        "activity_bulleted": obligation.activity_bulleted,
        "schedule_text": obligation.schedule_text,
        "rules": list(obligation.rules),
        "footnotes": list(obligation.footnotes),
        "partners": list(obligation.partners),
        "status": obligation.status.value,
        "owner": obligation.owner,
        "notes": [
            {"at": n.at.isoformat(timespec="seconds"), "text": n.text} for n in obligation.notes
        ],
        "completions": [completion_to_doc(c) for c in obligation.completions],
        "last_reviewed": _iso(obligation.last_reviewed),
        "order": obligation.order,
        "plan_year": obligation.plan_year,
        "carried_from": obligation.carried_from,
    }


def obligation_from_doc(doc: Doc) -> Obligation:
    try:
        return _obligation_from_doc(doc)
    except OutOfBounds as error:
        raise error.of(f"item {doc.get('key')} of {doc.get('plan_year')}") from None


def _obligation_from_doc(doc: Doc) -> Obligation:
    return Obligation(
        key=doc["key"],
        number=doc.get("number") or doc["key"],
        section=Section(doc["section"]),
        group=doc["group"],
        text=doc.get("text", ""),
        schedule_text=doc.get("schedule_text", ""),
        rules=tuple(doc.get("rules", ())),
        title=doc.get("title"),
        sources=tuple(doc.get("sources", ())),
        activity=tuple(doc.get("activity", ())),
        activity_bulleted=bool(doc.get("activity_bulleted", False)),
        footnotes=tuple(doc.get("footnotes", ())),
        partners=tuple(doc.get("partners", ())),
        status=Status(doc.get("status", Status.NOT_STARTED.value)),
        owner=doc.get("owner", ""),
        notes=tuple(
            Note(_local_time(n["at"], "note time"), n["text"]) for n in doc.get("notes", ())
        ),
        completions=tuple(completion_from_doc(c) for c in doc.get("completions", ())),
        last_reviewed=_date(doc.get("last_reviewed"), "last reviewed"),
        order=int(doc.get("order", 0)),
        plan_year=int(doc.get("plan_year", 0)),
        carried_from=doc.get("carried_from"),
    )


def completion_to_doc(completion: Completion) -> Doc:
    evidence = completion.evidence
    return {
        "occurrence": completion.occurrence,
        "done_on": completion.done_on.isoformat(),
        "due": _iso(completion.due),
        "session": completion.session,
        "document": evidence.document,
        "link": evidence.link,
        "outcome": evidence.outcome,
    }


def completion_from_doc(doc: Doc) -> Completion:
    return Completion(
        occurrence=doc["occurrence"],
        done_on=_day(doc["done_on"], "done on"),
        due=_date(doc.get("due"), "due"),
        session=doc.get("session"),
        evidence=Evidence(doc.get("document", ""), doc.get("link", ""), doc.get("outcome", "")),
    )


def session_to_doc(session: Session) -> Doc:
    return {
        "year": session.year,
        "start": _iso(session.start),
        "end": _iso(session.end),
        "title": session.title,
        "place": session.place,
        "note": session.note,
        "document": session.document,
    }


def session_from_doc(doc: Doc) -> Session:
    try:
        year = _year(doc["year"])
    except OutOfBounds as error:  # as series_problems says it
        raise OutOfBounds(f"session {doc['year']}, {error.problem}") from None
    try:
        return Session(
            year=year,
            start=_date(doc.get("start"), "first day"),
            end=_date(doc.get("end"), "last day"),
            title=doc.get("title", ""),
            place=doc.get("place", ""),
            note=doc.get("note", ""),
            document=doc.get("document", ""),
        )
    except OutOfBounds as error:
        raise OutOfBounds(f"session {year}, {error.problem}") from None


def series_to_doc(series: MeetingSeries) -> Doc:
    return {
        "key": series.key,
        "name": series.name,
        "alongside": series.alongside,
        "alongside_basis": series.alongside_basis,
        "note": series.note,
        "sessions": [session_to_doc(s) for s in sorted(series.sessions, key=lambda s: s.year)],
    }


def series_from_doc(doc: Doc) -> MeetingSeries:
    try:
        sessions = [session_from_doc(s) for s in doc.get("sessions", ())]
    except OutOfBounds as error:
        raise error.of(f"meeting {doc.get('key')}") from None
    return MeetingSeries(
        key=doc["key"],
        name=doc["name"],
        sessions=tuple(sorted(sessions, key=lambda s: s.year)),
        alongside=doc.get("alongside") or None,
        alongside_basis=doc.get("alongside_basis", ""),
        note=doc.get("note", ""),
    )


def change_to_doc(change: Change) -> Doc:
    return {
        "at": change.at.isoformat(timespec="seconds"),
        "target": change.target,
        "key": change.key,
        "action": change.action,
        "summary": change.summary,
        "before": change.before,
        "after": change.after,
        "plan": change.plan,
    }


def change_from_doc(doc: Doc) -> Change:
    try:
        at = _bounded("time", datetime.fromisoformat(doc["at"]))
    except OutOfBounds as error:
        raise error.of(f"change to {doc.get('key')}") from None
    return Change(
        at=at,
        target=doc["target"],
        key=doc["key"],
        action=doc["action"],
        summary=doc.get("summary", ""),
        before=doc.get("before"),
        after=doc.get("after"),
        plan=doc.get("plan"),
    )
