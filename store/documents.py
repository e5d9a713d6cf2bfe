"""Conversion between stored JSON documents and the domain dataclasses.

The one place that knows field names on disk; everything else sees
dataclasses. A missing optional field takes its default, so documents
written by an older minor version still load.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

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

Doc = dict[str, Any]


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _local_time(value: str) -> datetime:
    """A stored time as local wall-clock time (an imported one may carry a zone)."""
    moment = datetime.fromisoformat(value)
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
    return PlanInfo(
        symbol=doc["symbol"],
        title=doc["title"],
        year=int(doc["year"]),
        period_start=date.fromisoformat(doc["period_start"]),
        period_end=date.fromisoformat(doc["period_end"]),
        language=doc.get("language", ""),
        issued=_date(doc.get("issued")),
        series=doc.get("series", ""),
        committee=doc.get("committee", ""),
        meeting=doc.get("meeting", ""),
        meeting_date=_date(doc.get("meeting_date")),
        original_language=doc.get("original_language", ""),
        derived_from=doc.get("derived_from"),
    )


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
        notes=tuple(Note(_local_time(n["at"]), n["text"]) for n in doc.get("notes", ())),
        completions=tuple(completion_from_doc(c) for c in doc.get("completions", ())),
        last_reviewed=_date(doc.get("last_reviewed")),
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
        done_on=date.fromisoformat(doc["done_on"]),
        due=_date(doc.get("due")),
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
    return Session(
        year=int(doc["year"]),
        start=_date(doc.get("start")),
        end=_date(doc.get("end")),
        title=doc.get("title", ""),
        place=doc.get("place", ""),
        note=doc.get("note", ""),
        document=doc.get("document", ""),
    )


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
    sessions = (session_from_doc(s) for s in doc.get("sessions", ()))
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
    return Change(
        at=datetime.fromisoformat(doc["at"]),
        target=doc["target"],
        key=doc["key"],
        action=doc["action"],
        summary=doc.get("summary", ""),
        before=doc.get("before"),
        after=doc.get("after"),
        plan=doc.get("plan"),
    )
