"""The one gate every text passes on its way into the store, record by record.

The editor (forms and scriptable edits) and import send whole records
through it; the storage cleans every string of a file as it is read
(``store.text.scrub_tree``). Single-line fields lose line breaks here, which
only the record's shape can tell.
"""

from __future__ import annotations

from dataclasses import replace

from store.model import Completion, Evidence, MeetingSeries, Obligation, PlanInfo, Session
from store.text import clean_text


def cleaned_session(session: Session) -> Session:
    return replace(
        session,
        title=clean_text(session.title),
        place=clean_text(session.place),
        note=clean_text(session.note, multiline=True),
        document=clean_text(session.document),
    )


def cleaned_evidence(evidence: Evidence) -> Evidence:
    return Evidence(
        clean_text(evidence.document), clean_text(evidence.link), clean_text(evidence.outcome)
    )


def cleaned_completion(completion: Completion) -> Completion:
    session = clean_text(completion.session) if completion.session is not None else None
    return replace(
        completion,
        occurrence=clean_text(completion.occurrence),
        session=session,
        evidence=cleaned_evidence(completion.evidence),
    )


def cleaned_obligation(obligation: Obligation) -> Obligation:
    """Every text of the record through the gate: no controls, escapes or bidi controls.

    Notes and completions are cleaned where they are made, and again here: a
    whole record saved by a form or a script passes this one gate.
    """
    title = clean_text(obligation.title) if obligation.title is not None else None
    return replace(
        obligation,
        key=clean_text(obligation.key),
        number=clean_text(obligation.number),
        group=clean_text(obligation.group),
        title=title,
        text=clean_text(obligation.text, multiline=True),
        schedule_text=clean_text(obligation.schedule_text),
        rules=tuple(clean_text(rule) for rule in obligation.rules),
        owner=clean_text(obligation.owner),
        sources=tuple(s for s in (clean_text(s) for s in obligation.sources) if s),
        activity=tuple(
            a for a in (clean_text(a, multiline=True) for a in obligation.activity) if a
        ),
        partners=tuple(clean_text(p) for p in obligation.partners),
        notes=tuple(
            replace(note, text=clean_text(note.text, multiline=True)) for note in obligation.notes
        ),
        completions=tuple(cleaned_completion(c) for c in obligation.completions),
    )


def cleaned_series(series: MeetingSeries) -> MeetingSeries:
    return replace(
        series,
        key=clean_text(series.key),
        name=clean_text(series.name),
        note=clean_text(series.note, multiline=True),
        alongside_basis=clean_text(series.alongside_basis),
        sessions=tuple(sorted((cleaned_session(s) for s in series.sessions), key=lambda s: s.year)),
    )


def cleaned_plan(plan: PlanInfo) -> PlanInfo:
    return replace(
        plan,
        symbol=clean_text(plan.symbol),
        title=clean_text(plan.title),
        meeting=clean_text(plan.meeting),
    )
