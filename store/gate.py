"""The one gate every text passes on its way into the store, record by record.

The editor (forms and scriptable edits) and import send whole records
through it; the storage cleans every string of a file as it is read
(``store.text.scrub_tree``). Single-line fields lose line breaks here, which
only the record's declaration (``multiline``) can tell.
"""

from __future__ import annotations

from dataclasses import replace
from enum import Enum
from typing import Any, TypeVar

from store.fields import Declared, declared_fields, is_record
from store.text import clean_text

R = TypeVar("R")


def cleaned(record: R) -> R:
    """Every text of the record through the gate: no controls, escapes or bidi controls.

    Notes and completions are cleaned where they are made, and again here: a
    whole record saved by a form or a script passes this one gate.
    """
    changes = {
        field.name: _cleaned(field, getattr(record, field.name))
        for field in declared_fields(type(record))
    }
    return replace(record, **changes)  # type: ignore[type-var]


def _cleaned(field: Declared, value: Any) -> Any:
    """A field's value through the gate: its texts cleaned, its records each in turn.

    An enum's value is a text too, but a closed one: it passes as it is."""
    if value is None or isinstance(value, Enum):
        return value
    if isinstance(value, str):
        return clean_text(value, multiline=field.spec.multiline)
    if isinstance(value, tuple):
        items = [_cleaned(field, item) for item in value]
        return tuple(item for item in items if item or not field.spec.drop_empty)
    if is_record(type(value)):
        return cleaned(value)
    return value
