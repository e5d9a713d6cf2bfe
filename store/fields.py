"""How a record's field is declared, once, on the model: its words, its limits, how it is kept.

Each field of a model dataclass (``store.model``) carries a :class:`Spec` in its
metadata, written with :func:`declared`. Everything else reads it from there:
the stored and exchanged documents (``store.documents``), the text gate
(``store.gate``), the length checks (``store.validation``), the words the
history uses for a change (``store.editing``), and the facts the exports and
the detail pane show. Adding a field is one edit: its line in the model.

The declaration order of a dataclass is the order of the keys in its stored
document (the tracker file is compared byte for byte across releases).
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable
from dataclasses import MISSING, dataclass
from datetime import date
from enum import StrEnum
from typing import Any

# Length limits, in characters. Each is far above what the 2008 plan or a user needs
# (the plan's longest item text, a quoted resolution, has 2,183 characters; its longest
# title 198), and low enough that a pasted file or a runaway script is refused at once.
ID_LIMIT = 50
"""An item's id, a meeting's key, an Appendix II partner key."""
OWNER_LIMIT = 100
LINE_LIMIT = 500
"""One line of text: an item's title, a source, the printed schedule, one rule, a
meeting's name, a session's title, place or document, an outcome, a plan's symbol or title."""
LINK_LIMIT = 2_000
"""A link: long enough for any URL a browser takes."""
TEXT_LIMIT = 10_000
"""An item's text and its planned activity: the plan quotes whole resolutions."""
NOTE_LIMIT = 20_000
"""A note on an item, and the note of a meeting or a session."""


class Output(StrEnum):
    """Where a record's fields are shown to people."""

    CSV = "csv"
    MARKDOWN = "markdown"
    DETAIL = "detail"
    """The app's detail pane."""


EVERYWHERE = frozenset(Output)

SPEC = "cicte-tui"


class _Unset:
    """No value declared (``dataclasses.MISSING`` cannot be a dataclass field's default)."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()
"""The metadata key a field's :class:`Spec` is kept under."""


@dataclass(frozen=True)
class Spec:
    """What the rest of the store knows of one field, all of it declared on the field."""

    label: str = ""
    """What users call it, in the history and in messages (default: its name, spaced)."""
    limit: int | None = None
    """The most characters it may hold; for a list of texts, all of them together,
    or each one when ``element`` names one."""
    required: bool = False
    """A document must give it, as text that is not empty (an id, a plan's symbol)."""
    element: str = ""
    """What one element of a list is called, in messages about that element (``source``)."""
    multiline: bool = False
    """Its text keeps line breaks through the gate; other texts fold them to spaces."""
    drop_empty: bool = False
    """The gate drops the empty elements of the list (an empty source is no source)."""
    shown: str = ""
    """What the exports and the detail pane call it where they show it (``source``; a
    Markdown fact capitalises it); default: its label."""
    shown_in: frozenset[Output] = frozenset()
    """The outputs that show it: a field added with ``shown_in=EVERYWHERE`` appears in
    each, after the facts they already lay out."""
    joined: str = "; "
    """How the elements of a list read on one line of an export."""
    in_calendar: bool = False
    """A calendar event shows it: a logged change to it raises the event's SEQUENCE."""
    missing: Any = UNSET
    """What a document without the field reads as, when not the field's own default."""
    fallback: str = ""
    """The field whose value it takes when a document leaves it out or empty."""
    blank_is_none: bool = False
    """An empty text in a document reads as None."""
    year: bool = False
    """A year: a document's must lie between ``FIRST_YEAR`` and ``LAST_YEAR``."""
    local_time: bool = False
    """A time that a document may give with a zone: it reads as local wall-clock time."""


def declared(
    label: str = "",
    *,
    default: Any = MISSING,
    factory: Any = MISSING,
    kw_only: bool = False,
    **spec: Any,
) -> Any:
    """A dataclass field with its :class:`Spec` (``label`` and ``spec``'s keywords)."""
    metadata = {SPEC: Spec(label=label, **spec)}
    if factory is not MISSING:
        return dataclasses.field(default_factory=factory, kw_only=kw_only, metadata=metadata)
    return dataclasses.field(default=default, kw_only=kw_only, metadata=metadata)


@dataclass(frozen=True)
class Declared:
    """One field of a record type, resolved: name, type, default and spec."""

    name: str
    hint: Any
    """The field's type, resolved (``date | None``, ``tuple[str, ...]``…)."""
    spec: Spec
    default: Any
    """The field's default (``MISSING`` when it has none)."""

    @property
    def label(self) -> str:
        return self.spec.label or self.name.replace("_", " ")

    @property
    def heading(self) -> str:
        """What an output calls it."""
        return self.spec.shown or self.label

    @property
    def missing(self) -> Any:
        """What a document that leaves the field out gives (``MISSING``: it is required)."""
        return self.default if self.spec.missing is UNSET else self.spec.missing

    @property
    def optional(self) -> bool:
        """It may be None."""
        return type(None) in typing.get_args(self.hint)

    @property
    def base(self) -> Any:
        """The type without ``| None``."""
        args = [arg for arg in typing.get_args(self.hint) if arg is not type(None)]
        return args[0] if self.optional and len(args) == 1 else self.hint

    @property
    def element(self) -> Any:
        """For ``tuple[X, ...]``, X; else None."""
        base = self.base
        if typing.get_origin(base) is tuple:
            return typing.get_args(base)[0]
        return None


def declared_fields(record_type: type) -> tuple[Declared, ...]:
    """The fields of a model dataclass in declaration order (the stored order)."""
    found = _DECLARED.get(record_type)
    if found is None:
        found = _DECLARED[record_type] = _resolved(record_type)
    return found


_DECLARED: dict[type, tuple[Declared, ...]] = {}


def _resolved(record_type: type) -> tuple[Declared, ...]:
    hints = typing.get_type_hints(record_type)
    found = []
    for item in dataclasses.fields(record_type):
        if item.default is not MISSING:
            default = item.default
        elif item.default_factory is not MISSING:
            default = item.default_factory()
        else:
            default = MISSING
        spec = item.metadata.get(SPEC, Spec())
        found.append(Declared(item.name, hints[item.name], spec, default))
    return tuple(found)


def field_of(record_type: type, name: str) -> Declared:
    return next(f for f in declared_fields(record_type) if f.name == name)


def label_of(record_type: type, name: str) -> str:
    """What users call a field of ``record_type``."""
    return field_of(record_type, name).label


def shown_fields(record_type: type, output: Output) -> tuple[Declared, ...]:
    """The fields ``output`` shows, in declaration order."""
    return tuple(f for f in declared_fields(record_type) if output in f.spec.shown_in)


def one_line(field: Declared, value: Any) -> str:
    """A field's value as an export writes it on one line: a list joined, a date in ISO."""
    if value is None:
        return ""
    if isinstance(value, tuple):
        return field.spec.joined.join(str(item) for item in value)
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def names_where(record_type: type, wanted: Callable[[Spec], bool]) -> frozenset[str]:
    return frozenset(f.name for f in declared_fields(record_type) if wanted(f.spec))


def is_record(kind: Any) -> bool:
    """A model dataclass (a nested record, such as a completion's evidence)."""
    return isinstance(kind, type) and dataclasses.is_dataclass(kind)
