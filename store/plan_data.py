"""The embedded 2008 work plan (package data) as domain records.

``plan_2008.json`` is the faithful transcription of CICTE/RP/doc.2/07;
``schedule_rules.json`` maps each printed CALENDRIER text to its rules;
``meetings_2008.json`` holds the meeting series (and 2008 sessions) those rules hang on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from store.documents import series_from_doc
from store.model import (
    Footnote,
    Group,
    MeetingSeries,
    Obligation,
    Partner,
    PlanInfo,
    PlanReference,
    Section,
    SourceNote,
)


@dataclass(frozen=True)
class EmbeddedPlan:
    """The 2008 plan as shipped: what a new tracker starts from."""

    plan: PlanInfo
    obligations: tuple[Obligation, ...]
    reference: PlanReference
    meetings: tuple[MeetingSeries, ...]


def _load_json(name: str) -> Any:
    return json.loads(resources.files("store").joinpath("data", name).read_text("utf-8"))


def transcription() -> dict[str, Any]:
    """The raw transcription, as shipped."""
    return _load_json("plan_2008.json")  # type: ignore[no-any-return]


@cache
def schedule_rules() -> dict[str, tuple[str, ...]]:
    """Printed schedule text → rule specs."""
    mapping: dict[str, list[str]] = _load_json("schedule_rules.json")
    return {text: tuple(rules) for text, rules in mapping.items() if not text.startswith("_")}


def rules_for(schedule_text: str) -> tuple[str, ...]:
    try:
        return schedule_rules()[schedule_text]
    except KeyError:
        raise KeyError(f"no rule mapped for schedule text {schedule_text!r}") from None


@cache
def embedded_plan() -> EmbeddedPlan:
    raw = transcription()
    groups = _groups(raw)
    group_sources = {g.key: g.sources for g in groups}
    obligations = [_mandate(m, group_sources) for m in raw["mandates"]]
    obligations += [
        _project(sector, programme, project)
        for sector in raw["sectors"]
        for programme in sector["programmes"]
        for project in programme["projects"]
    ]
    obligations = [replace(o, order=index) for index, o in enumerate(obligations, 1)]
    meetings = tuple(series_from_doc(doc) for doc in _load_json("meetings_2008.json"))
    reference = PlanReference(
        groups=tuple(groups),
        footnotes=tuple(
            Footnote(f["number"], f["text"], tuple(f["cited_by"])) for f in raw["footnotes"]
        ),
        partners=tuple(_partners(raw)),
        appendix_notes=tuple(a["note"] for a in raw["appendices"] if a.get("note")),
        absent_appendix_citations=tuple(
            key for a in raw["appendices"] if not a["present"] for key in a.get("cited_by", ())
        ),
        source_notes=tuple(SourceNote(n["where"], n["note"]) for n in raw["source_notes"]),
    )
    return EmbeddedPlan(_plan_info(raw["document"]), tuple(obligations), reference, meetings)


def _plan_info(document: dict[str, Any]) -> PlanInfo:
    return PlanInfo(
        symbol=document["symbol"],
        title=document["title"],
        year=document["year"],
        period_start=date.fromisoformat(document["period_start"]),
        period_end=date.fromisoformat(document["period_end"]),
        language=document["language"],
        issued=date.fromisoformat(document["date"]),
        series=document["series"],
        committee=document["committee"],
        meeting=document["meeting"],
        meeting_date=date.fromisoformat(document["meeting_date"]),
        original_language=document["original_language"],
    )


def programme_key(sector: str, letter: str) -> str:
    # Sector 6's single programme is printed without a letter.
    return f"II-{sector}.{letter or '_'}"


def _groups(raw: dict[str, Any]) -> list[Group]:
    groups = [
        Group(
            key=f"I-{g['number']}",
            section=Section.MANDATES,
            number=g["number"],
            title=g["title"],
            sources=tuple(g["sources"]),
            footnotes=tuple(g["footnotes"]),
        )
        for g in raw["groups"]
    ]
    for sector in raw["sectors"]:
        sector_key = f"II-{sector['number']}"
        groups.append(Group(sector_key, Section.PROGRAMMES, sector["number"], sector["title"]))
        groups.extend(
            Group(
                key=programme_key(sector["number"], programme["letter"]),
                section=Section.PROGRAMMES,
                number=programme["letter"],
                title=programme["title"],
                parent=sector_key,
            )
            for programme in sector["programmes"]
        )
    return groups


def _mandate(raw: dict[str, Any], group_sources: dict[str, tuple[str, ...]]) -> Obligation:
    group = f"I-{raw['group']}"
    return Obligation(
        key=f"I-{raw['number']}",
        number=raw["number"],
        section=Section.MANDATES,
        group=group,
        title=raw["title"],
        text=raw["text"],
        # Items of groups 1–4 are printed under their group's source documents.
        sources=tuple(raw["sources"]) or group_sources[group],
        activity=tuple(raw["activity"]),
        activity_bulleted=raw["activity_bulleted"],
        schedule_text=raw["schedule"],
        rules=rules_for(raw["schedule"]),
        footnotes=tuple(raw["footnotes"]),
        partners=tuple(raw["partners"]),
    )


def _project(sector: dict[str, Any], programme: dict[str, Any], raw: dict[str, Any]) -> Obligation:
    parts = [sector["number"], programme["letter"], raw["number"]]
    key = "II-" + ".".join(part for part in parts if part)
    return Obligation(
        key=key,
        number=key,
        section=Section.PROGRAMMES,
        group=programme_key(sector["number"], programme["letter"]),
        text=raw["text"],
        schedule_text=raw["schedule"],
        rules=rules_for(raw["schedule"]),
        partners=tuple(raw["partners"]),
    )


def _partners(raw: dict[str, Any]) -> list[Partner]:
    appendix = next(a for a in raw["appendices"] if a["id"] == "II")
    return [
        Partner(f"{part['letter']}{entry['number']}", entry["name"], tuple(entry["sub_entries"]))
        for part in appendix["parts"]
        for entry in part["entries"]
    ]
