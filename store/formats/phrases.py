"""Words the exports and the brief share: evidence, a completion, the latest note."""

from __future__ import annotations

from datetime import date

from store.describe import short_date
from store.formats.markdown import md_inline, md_line, md_link
from store.model import Completion, Evidence, Obligation


def evidence_phrase(evidence: Evidence, *, markdown: bool = False) -> str:
    """``document CICTE/doc.4/08; link https://…; outcome: …``, or empty when there is none.

    With ``markdown``, user text is escaped and a web link kept clickable and exact.
    """

    def text(value: str) -> str:
        value = " ".join(value.split())
        return md_inline(value) if markdown else value

    link = " ".join(evidence.link.split())
    if markdown and link:
        link = md_link(link)
    parts = []
    if evidence.document:
        parts.append(f"document {text(evidence.document)}")
    if link:
        parts.append(f"link {link}")
    if evidence.outcome:
        parts.append(f"outcome: {text(evidence.outcome)}")
    return "; ".join(parts)


def completion_order(completion: Completion) -> tuple[date, date]:
    return (completion.due or completion.done_on, completion.done_on)


def completion_words(completion: Completion, *, markdown: bool) -> str:
    """``due 2008-03-07 (cicte-session/2008), done on 2008-03-06; document CICTE/doc.4/08``.

    Markdown reads ``7 Mar 2008`` and escapes user text; CSV keeps ISO dates.
    """

    def day(value: date) -> str:
        return short_date(value) if markdown else value.isoformat()

    what = f"due {day(completion.due)}" if completion.due else completion.occurrence
    if markdown and not completion.due:
        what = md_line(what)
    session = completion.session or ""
    session = f" ({md_inline(session) if markdown else session})" if session else ""
    evidence = evidence_phrase(completion.evidence, markdown=markdown)
    return f"{what}{session}, done on {day(completion.done_on)}" + (
        f"; {evidence}" if evidence else ""
    )


def last_note(obligation: Obligation) -> str:
    if not obligation.notes:
        return ""
    note = max(obligation.notes, key=lambda n: (n.at.date(), n.at.time()))
    return f"{note.at.date().isoformat()}: {note.text}"
