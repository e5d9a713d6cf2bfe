"""A synthetic tracker shaped like the 2008 plan, for the benchmark and the scale test.

``make_store(10_000, path, TODAY)`` writes a tracker of 10,000 obligations: the
58 of the embedded plan and synthetic ones spread over every group of it, with
the plan's mix: mostly continuous work, about 15 % recurring, about 10 % overdue
on *today*, items that hang on a meeting (CICTE session, General Assembly,
points of contact), statuses, notes, completed occurrences and the change
history that produced them. Texts are the plan's own (French, verbatim),
recombined. The file is built through the store's own code (documents,
change diffs, atomic write) and checked by opening it with ``Tracker`` and
assessing every item with the real schedule engine.

It is deterministic: the same count and *today* make the same file.
Run it alone: ``python tests/perf/synthetic.py 10000 /tmp/tracker-10k.json``.
"""

from __future__ import annotations

import random
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: PYTHONPATH (a checkout to measure) wins
    sys.path.append(str(Path(__file__).resolve().parents[2]))

from store.changes import diff
from store.documents import change_to_doc, obligation_from_doc, obligation_to_doc
from store.editing import to_roman
from store.model import (
    Change,
    ChangeAction,
    ChangeTarget,
    Completion,
    Note,
    Obligation,
    PlanInfo,
    Status,
)
from store.repository import Tracker, seed_document
from store.rules import EventRelative
from store.schedule import Outlook, assess, occurrences, parsed_rules
from store.storage import CHANGES, OBLIGATIONS, PLANS, SERIES, atomic_write_json

TODAY = date(2008, 6, 15)
"""The benchmark's *today*: mid-year, so the plan has a past and a future."""
SEED = 2008
CLOCK_START = datetime(2008, 1, 7, 9, 0)
"""Edits (status changes, notes, completions) are stamped from here to *today*."""

# What each synthetic item is made to be, and in which share (of the synthetic items;
# the plan's own 58 keep their state: 5 overdue, 8 recurring on 15 June 2008).
ROLES: dict[str, float] = {
    # overdue on today (10 %): a missed date, a missed session, a missed month
    "overdue-dated": 0.045,
    "overdue-event": 0.035,  # yearly, so recurring too
    "overdue-monthly": 0.020,  # recurring
    # recurring and up to date (9.5 %)
    "yearly-september": 0.020,
    "yearly-day": 0.010,
    "half-yearly": 0.020,
    "monthly-done": 0.020,
    "event-done": 0.025,
    # neither (80.5 %): the bulk of the plan is continuous work tracked by review
    "continuous": 0.500,
    "on-demand": 0.060,
    "tbd": 0.050,
    "year": 0.040,
    "years": 0.020,
    "period": 0.040,
    "dated-later": 0.040,
    "dated-done": 0.030,
    "status-done": 0.025,
}
OVERDUE_ROLES = frozenset({"overdue-dated", "overdue-event", "overdue-monthly"})
EVENT_ROLES = frozenset({"overdue-event", "event-done"})
RECURRING_ROLES = EVENT_ROLES | {
    "overdue-monthly", "yearly-september", "yearly-day", "half-yearly", "monthly-done"
}  # fmt: skip

EVENT_RULES = (
    "yearly during cicte-session",
    "yearly before and during cicte-session",
    "yearly between cicte-session and oas-ga",
    "yearly after cicte-session",
    "yearly during pcn-meeting",
)
"""Rules of the plan that hang on a meeting (their printed schedule is the plan's)."""
STATUS_WEIGHTS = {
    Status.NOT_STARTED: 45,
    Status.IN_PROGRESS: 30,
    Status.ONGOING: 15,
    Status.BLOCKED: 5,
    Status.DONE: 5,
}


@dataclass
class Synthetic:
    """A synthetic tracker document and what it was made to hold."""

    document: dict[str, Any]
    today: date
    count: int
    overdue: set[str] = field(default_factory=set)
    """Keys of the items overdue on ``today``, by construction."""
    recurring: set[str] = field(default_factory=set)
    event_anchored: set[str] = field(default_factory=set)
    with_notes: set[str] = field(default_factory=set)
    roles: Counter[str] = field(default_factory=Counter)

    @property
    def changes(self) -> int:
        return len(self.document.get(CHANGES, {}))


# -- the plan's own material ---------------------------------------------------------


@dataclass(frozen=True)
class PlanMaterial:
    """What synthetic items are made of: the plan's items by group, and its sentences."""

    plan: PlanInfo
    meetings: dict[str, Any]
    by_group: dict[str, list[Obligation]]
    sentences: list[str]
    """Sentences of the plan's activities, verbatim: extra text and notes."""
    printed: dict[str, str]
    """Rule → the plan's printed schedule text for it."""


def plan_material(document: dict[str, Any]) -> PlanMaterial:
    from store.documents import plan_from_doc, series_from_doc

    plan = plan_from_doc(next(iter(document[PLANS].values()))["plan"])
    meetings = {s.key: s for s in map(series_from_doc, document[SERIES].values())}
    items = [obligation_from_doc(row) for row in document[OBLIGATIONS].values()]
    by_group: dict[str, list[Obligation]] = {}
    for item in items:
        by_group.setdefault(item.group, []).append(item)
    sentences = sorted(
        {part.strip() for item in items for text in item.activity for part in _sentences(text)}
    )
    printed = {" + ".join(item.rules): item.schedule_text for item in items}
    return PlanMaterial(plan, meetings, by_group, sentences, printed)


def _sentences(text: str) -> Iterator[str]:
    """Whole sentences of at least a few words (list items, paragraphs)."""
    for line in text.splitlines():
        for part in line.split(". "):
            part = part.strip()
            if len(part.split()) >= 6:
                yield part if part.endswith((".", ";", ":")) else part + "."


# -- keys in each group's own numbering ------------------------------------------------


class KeyMaker:
    """New keys numbered as the group numbers its items (``1.xiv``, ``7.12``, ``II-3.B.9``)."""

    def __init__(self, by_group: dict[str, list[Obligation]]) -> None:
        self._next = {group: len(items) + 1 for group, items in by_group.items()}
        self._taken = {item.key for items in by_group.values() for item in items}

    def new(self, group: str) -> tuple[str, str]:
        while True:
            number = self._next[group]
            self._next[group] += 1
            key, shown = self._identity(group, number)
            if key not in self._taken:
                self._taken.add(key)
                return key, shown

    @staticmethod
    def _identity(group: str, number: int) -> tuple[str, str]:
        if group.startswith("I-"):
            figure = group[2:]
            tail = to_roman(number) if figure in "1234" else str(number)
            return f"I-{figure}.{tail}", f"{figure}.{tail}"
        key = f"{group.removesuffix('._')}.{number}"
        return key, key


# -- one synthetic item ------------------------------------------------------------------


class Maker:
    """Makes synthetic items one by one from the plan's material, with their history."""

    def __init__(self, material: PlanMaterial, today: date, chooser: random.Random) -> None:
        self.material = material
        self.today = today
        self.random = chooser
        self.keys = KeyMaker(material.by_group)
        self.groups = sorted(material.by_group)
        self.changes: list[Change] = []

    def item(self, index: int, role: str) -> Obligation:
        group = self.groups[index % len(self.groups)]  # round robin: every group grows alike
        template = self.random.choice(self.material.by_group[group])
        key, number = self.keys.new(group)
        text = template.text
        if self.random.random() < 0.5:  # recombined: the item's text and a planned activity
            text = f"{text} {self.random.choice(self.material.sentences)}".strip()
        rules, printed = self._schedule(role)
        fresh = replace(
            template,
            key=key,
            number=number,
            text=text,
            rules=rules,
            schedule_text=printed,
            status=Status.NOT_STARTED,
            owner="",
            notes=(),
            completions=(),
            last_reviewed=None,
            order=index,
        )
        return self._tracked(fresh, role)

    def _schedule(self, role: str) -> tuple[tuple[str, ...], str]:
        """The item's rules and printed schedule (the plan's own words where it has them)."""
        pick, day = self.random.choice, self._day
        rules: tuple[str, ...]
        match role:
            case "overdue-dated" | "dated-done":
                rules = (day(date(self.today.year, 1, 15), self.today - timedelta(1)).isoformat(),)
            case "overdue-event" | "event-done":
                return self._event_rule()
            case "overdue-monthly" | "monthly-done":
                rules = ("monthly",)
            case "yearly-september":
                rules = ("yearly in september",)
            case "yearly-day":
                rules = (f"yearly on {pick(('september', 'october', 'november'))} 15",)
            case "half-yearly":
                rules = ("continuous", "every 6 months from 2008-06-30")
            case "continuous":
                rules = ("continuous",)
            case "on-demand":
                rules = pick((("on demand",), ("continuous", "on demand")))
            case "tbd":
                rules = ("tbd",)
            case "year":
                rules = (str(self.today.year),)
            case "years":
                rules = (f"{self.today.year}-{self.today.year + 1}",)
            case "period":
                rules = (pick(("period 2006-2009", "period 2007-2009", "period 2004-2009")),)
            case "dated-later" | "status-done":
                later = self.today + timedelta(days=1)
                rules = (day(later, date(self.today.year, 12, 31)).isoformat(),)
            case _:
                raise ValueError(role)
        spec = " + ".join(rules)
        return rules, self.material.printed.get(spec, spec if rules[0][0].isdigit() else "")

    def _event_rule(self) -> tuple[tuple[str, ...], str]:
        """A yearly rule on a meeting whose session is over by today, as the plan prints it."""
        past = [
            rule
            for rule in EVENT_RULES
            if all(o.due is not None and o.due < self.today for o in self._occurrences((rule,)))
        ]
        rule = self.random.choice(past)
        return (rule,), self.material.printed.get(rule, "")

    def _occurrences(self, rules: tuple[str, ...]) -> list[Any]:
        material = self.material
        return occurrences(parsed_rules(rules), material.plan, material.meetings)

    def _day(self, first: date, last: date) -> date:
        return first + timedelta(days=self.random.randint(0, max(0, (last - first).days)))

    # -- tracking state, with the change log that made it ---------------------------

    def _tracked(self, item: Obligation, role: str) -> Obligation:
        """The item after half a year of use: completions, a status, notes, each one logged
        in the order it was made (so each entry's ``before`` is what the previous left)."""
        past = [
            o for o in self._occurrences(item.rules) if o.due is not None and o.due < self.today
        ]
        if role in OVERDUE_ROLES:
            past = past[:-1]  # the latest missed one stays open
        elif role in {"dated-later", "status-done"}:
            past = []
        latest = CLOCK_START
        for occurrence in past:
            done_on = min(occurrence.due + timedelta(days=self.random.randint(0, 6)), self.today)
            completion = Completion(occurrence.key, done_on, occurrence.due, occurrence.session)
            latest = max(latest, datetime.combine(done_on, time(17, 0)))
            completed = replace(
                item, completions=(*item.completions, completion), last_reviewed=done_on
            )
            summary = f"completed the occurrence due {occurrence.due} (done {done_on})"
            item = self._logged(item, completed, summary, latest)
        status = self._status(role)
        if status is not Status.NOT_STARTED:
            latest = self._moment(latest)
            changed = replace(item, status=status, last_reviewed=latest.date())
            item = self._logged(item, changed, f"status: not started → {status.value}", latest)
        for _ in range(self._note_count()):
            latest = self._moment(latest)
            note = Note(latest, self.random.choice(self.material.sentences))
            noted = replace(item, notes=(*item.notes, note), last_reviewed=latest.date())
            item = self._logged(item, noted, "note added", latest)
        return item

    def _status(self, role: str) -> Status:
        if role == "status-done":
            return Status.DONE
        weights = dict(STATUS_WEIGHTS)
        if role in OVERDUE_ROLES:
            weights.pop(Status.DONE)  # a done item is never overdue
        statuses = list(weights)
        return self.random.choices(statuses, weights=[weights[s] for s in statuses])[0]

    def _note_count(self) -> int:
        """About one item in five has notes, a few of them several."""
        roll = self.random.random()
        return 0 if roll < 0.8 else 1 if roll < 0.93 else self.random.randint(2, 4)

    def _moment(self, after: datetime) -> datetime:
        """A working hour of a day from ``after`` to today (``after`` itself when it is today)."""
        day = self._day(after.date(), self.today)
        moment = datetime.combine(day, time(self.random.randint(8, 18), self.random.randint(0, 59)))
        return max(moment, after)

    def _logged(self, old: Obligation, new: Obligation, summary: str, at: datetime) -> Obligation:
        """``new``, with the change log entry the editor would have written for it."""
        before, after = diff(obligation_to_doc(old), obligation_to_doc(new))
        self.changes.append(
            Change(
                at,
                ChangeTarget.OBLIGATION,
                new.key,
                ChangeAction.EDIT,
                summary,
                before,
                after,
                new.plan_year,
            )
        )
        return new


# -- the whole tracker -----------------------------------------------------------------------


def role_list(count: int, chooser: random.Random) -> list[str]:
    """Exactly ``count`` roles in the shares of ``ROLES``, shuffled."""
    roles = [role for role, share in ROLES.items() for _ in range(round(share * count))]
    roles = (roles + ["continuous"] * count)[:count]  # rounding: the rest is continuous work
    chooser.shuffle(roles)
    return roles


def build(count: int, today: date = TODAY, seed: int = SEED) -> Synthetic:
    """The document of a tracker of ``count`` obligations (at least the plan's own)."""
    document = seed_document()
    rows: dict[str, Any] = document[OBLIGATIONS]
    material = plan_material(document)
    if today.year != material.plan.year:
        raise ValueError(f"today must fall in the plan's year ({material.plan.year})")
    chooser = random.Random(seed)
    maker = Maker(material, today, chooser)
    synthetic = Synthetic(document, today, max(count, len(rows)))
    first = len(rows) + 1
    for index, role in enumerate(role_list(synthetic.count - len(rows), chooser), first):
        item = maker.item(index, role)
        rows[str(index)] = obligation_to_doc(item)
        synthetic.roles[role] += 1
        _expect(synthetic, item, role)
    outlook = Outlook(today)
    for row in list(rows.values())[: first - 1]:  # the plan's own items, as the engine sees them
        plan_item = obligation_from_doc(row)
        assessment = assess(plan_item, material.plan, material.meetings, outlook)
        if assessment.overdue:
            synthetic.overdue.add(plan_item.key)
        if assessment.recurring:
            synthetic.recurring.add(plan_item.key)
        if any(isinstance(rule, EventRelative) for rule in parsed_rules(plan_item.rules)):
            synthetic.event_anchored.add(plan_item.key)
    maker.changes.sort(key=lambda change: change.at)  # one log, in the order edits were made
    document[CHANGES] = {str(i): change_to_doc(c) for i, c in enumerate(maker.changes, 1)}
    return synthetic


def _expect(synthetic: Synthetic, item: Obligation, role: str) -> None:
    if role in OVERDUE_ROLES:
        synthetic.overdue.add(item.key)
    if role in RECURRING_ROLES:
        synthetic.recurring.add(item.key)
    if role in EVENT_ROLES:
        synthetic.event_anchored.add(item.key)
    if item.notes:
        synthetic.with_notes.add(item.key)


def make_store(count: int, path: Path, today: date = TODAY) -> Path:
    """Write a tracker of ``count`` obligations at ``path``, checked by opening it."""
    synthetic = build(count, today)
    atomic_write_json(path, synthetic.document)
    verify(path, synthetic)
    return path


def verify(path: Path, synthetic: Synthetic) -> dict[str, int]:
    """Open the file as the app does and check every item against what it was made to be."""
    with Tracker.open(path, read_only=True) as tracker:
        if len(tracker) != synthetic.count:
            raise AssertionError(f"{path}: {len(tracker)} items, made {synthetic.count}")
        outlook = Outlook(synthetic.today)
        assessments = [assess(o, tracker.plan, tracker.meetings, outlook) for o in tracker]
        changes = len(tracker.changes())
    overdue = {a.key for a in assessments if a.overdue}
    recurring = {a.key for a in assessments if a.recurring}
    for what, found, made in (
        ("overdue", overdue, synthetic.overdue),
        ("recurring", recurring, synthetic.recurring),
    ):
        if found != made:
            wrong = sorted(found ^ made)[:5]
            raise AssertionError(f"{path}: {what} items differ from those made, e.g. {wrong}")
    return {
        "items": len(assessments),
        "overdue": len(overdue),
        "recurring": len(recurring),
        "event anchored": len(synthetic.event_anchored),
        "with notes": len(synthetic.with_notes),
        "changes": changes,
        "groups": len({a.obligation.group for a in assessments}),
    }


# -- what a search should find, worked out without the app -------------------------------


def fold(text: str) -> str:
    """Lower case, without accents: how a user may type a word."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def items_matching(document: dict[str, Any], word: str) -> set[str]:
    """Keys of the items whose searchable text holds ``word``, accents and case aside.

    What a search looks at is the app's documented choice (``tui/filters.py``): the
    item's id, title, text, notes, sources, activity, owner, and its groups' titles.
    """
    reference = next(iter(document[PLANS].values()))["reference"]
    groups = {group["key"]: group for group in reference["groups"]}
    wanted = fold(word)
    found = set()
    for row in document[OBLIGATIONS].values():
        texts = [row["key"], row["number"], row["title"] or "", row["text"], row["owner"]]
        texts += row["sources"] + row["activity"] + [note["text"] for note in row["notes"]]
        texts += _group_titles(groups, row["group"])
        if any(wanted in fold(text) for text in texts):
            found.add(row["key"])
    return found


def _group_titles(groups: dict[str, Any], key: str | None) -> Iterable[str]:
    while key in groups:
        yield groups[key]["title"]
        key = groups[key]["parent"]


# -- the same items for Taskwarrior ---------------------------------------------------------


def taskwarrior_tasks(path: Path, today: date, now: date) -> list[dict[str, Any]]:
    """The tracker's items as Taskwarrior tasks, overdue on ``now`` exactly when ours are
    on ``today``.

    Taskwarrior has no *today* of its own, so every due date moves by ``now - today``.
    An item's due date is its earliest open occurrence (a recurring item is not made a
    Taskwarrior recurrence: the one open occurrence is what ``overdue`` asks about); an
    item that is done is a completed task; continuous work is pending with no due date.
    """
    shift = now - today
    tasks = []
    with Tracker.open(path, read_only=True) as tracker:
        outlook = Outlook(today)
        for index, item in enumerate(tracker, 1):
            assessment = assess(item, tracker.plan, tracker.meetings, outlook)
            task: dict[str, Any] = {
                "uuid": f"00000000-0000-4000-8000-{index:012d}",
                "description": f"{item.number} {item.short_title}",
                "project": item.group.replace(".", "-"),
                "entry": "20080101T090000Z",
                "status": "completed" if assessment.done else "pending",
            }
            if assessment.done:
                task["end"] = _stamp(today + shift)
            due = [d.due for d in assessment.occurrences if d.state.value in _OPEN and d.due]
            if due and not assessment.done:
                task["due"] = _stamp(min(due) + shift)
            tasks.append(task)
    return tasks


_OPEN = {"overdue", "due soon", "upcoming"}


def _stamp(day: date) -> str:
    """Noon UTC: a day late is before *now* and a day ahead after it, in any time zone."""
    return f"{day:%Y%m%d}T120000Z"


def main(argv: list[str]) -> int:
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("path", type=Path)
    parser.add_argument("--today", type=date.fromisoformat, default=TODAY)
    parser.add_argument("--taskwarrior", type=Path, help="also write the items as tasks here")
    parser.add_argument("--quiet", action="store_true")
    arguments = parser.parse_args(argv)
    synthetic = build(arguments.count, arguments.today)
    atomic_write_json(arguments.path, synthetic.document)
    summary = verify(arguments.path, synthetic)
    if arguments.taskwarrior:
        tasks = taskwarrior_tasks(arguments.path, arguments.today, date.today())
        lines = (json.dumps(task, ensure_ascii=False) for task in tasks)
        arguments.taskwarrior.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if not arguments.quiet:
        for what, number in summary.items():
            print(f"{what:>15}: {number:>6}  ({number / synthetic.count:.1%})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
