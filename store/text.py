"""User text as stored and as shown: no control characters, terminal escapes or bidi controls.

A note pasted from a terminal, or a hand-edited or imported file, can carry
sequences that write the clipboard (``ESC ] 52 ; …``), retitle the window
(``ESC ] 2 ; … BEL``), clear the screen (``ESC [ 2 J``) or hide text (NUL),
and bidi overrides or zero-width characters that make text read otherwise
than it is stored. Two walls keep them out of a terminal or a spreadsheet:
:func:`clean_text` is the gate every text passes on its way into the store,
and :func:`safe_text` the one every renderer prints through.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_STRING_OPENERS = "\x90\x98\x9d\x9e\x9f"
"""8-bit DCS, SOS, OSC, PM and APC: each opens a string that runs to a terminator."""
_SEQUENCES = re.compile(
    rf"""
    (?:\x1b[P\]X^_]|[{_STRING_OPENERS}])  # a string: DCS, OSC, SOS, PM, APC (7- or 8-bit)
      .*?(?:\x07|\x1b\\|\x9c|\Z)          #   its payload, to BEL or ST (or the end of the text)
    | (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?    # CSI: cursor moves, clears, colours (7- or 8-bit)
    | \x1b[ -/]*[0-~]?                    # any other escape (charset, reset, keypad…)
    """,
    re.VERBOSE | re.DOTALL,
)
"""What a terminal would read as one escape sequence, removed whole; an unterminated
string eats to the end of the text, as the terminal would."""
_INVISIBLE = "\u061c\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff"
"""Bidi marks, embeddings, overrides and isolates; zero-width spaces, joiners and
no-break (BOM); invisible operators: they change how text reads, never what it says."""
_CONTROLS = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_INVISIBLE}]")
"""C0 and C1 controls but tab (\\x09) and newline (\\x0a), DEL, and the invisible ones."""
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_INVISIBLE}\ud800-\udfff]")
"""Any character :func:`safe_text` changes: one search tells that a text is fine as it is."""
_SURROGATES = re.compile("[\ud800-\udfff]")
"""What Python makes of bytes that are not UTF-8 (e.g. from a Latin-1 terminal's argv)."""
_JSON_ESCAPES = re.compile(r"\\[ubfr]")
"""JSON escapes that can stand for a control (``\\u001b``, ``\\b``…), a bidi character,
a surrogate or a decomposed accent."""


def safe_text(text: str) -> str:
    """``text`` fit to print on a terminal or into a file: what every renderer prints through.

    Escape sequences (7- and 8-bit), control characters but newline and tab,
    bidi controls and zero-width characters are removed; a carriage return is
    a newline; a lone surrogate is U+FFFD. Nothing is trimmed or folded.
    """
    if _UNSAFE.search(text) is None:
        return text
    text = _SEQUENCES.sub("", text)
    text = _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _SURROGATES.sub("\ufffd", text)


def clean_text(text: str, *, multiline: bool = False) -> str:
    """``text`` as it may be stored: safe to print (:func:`safe_text`), NFC, trimmed.

    Single-line fields also lose tabs and newlines (folded to spaces).
    """
    text = unicodedata.normalize("NFC", safe_text(text))
    if not multiline:
        text = " ".join(text.split())
    return text.strip()


def may_hold_controls(raw: str) -> bool:
    """Whether a JSON text may hold a string that :func:`scrub_tree` would change.

    JSON writes C0 controls as escapes (``\\u001b``, ``\\r``); C1, bidi and
    zero-width characters may be raw or escaped, and so may a decomposed
    accent. A file with none of these (ours, written as UTF-8) is clean as it
    is: loading it skips the walk over every string.
    """
    return (
        _UNSAFE.search(raw) is not None
        or _JSON_ESCAPES.search(raw) is not None
        or not unicodedata.is_normalized("NFC", raw)
    )


def scrub_tree(value: object) -> object:
    """Every string in a parsed JSON value (keys included) safe to print, and NFC.

    Which field a string is does not matter here: nothing is trimmed or folded.
    Containers are rebuilt; numbers, booleans and None are kept.
    """
    if isinstance(value, str):
        return _scrubbed(value)
    if isinstance(value, dict):
        return {_scrubbed(k) if isinstance(k, str) else k: scrub_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub_tree(item) for item in value]
    return value


def _scrubbed(text: str) -> str:
    if text.isascii() and _UNSAFE.search(text) is None:
        return text
    return unicodedata.normalize("NFC", safe_text(text))


def safe_tree(value: object) -> object:
    """Every string in a JSON-ready value passed through :func:`safe_text`, for output."""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, dict):
        return {safe_tree(k): safe_tree(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [safe_tree(item) for item in value]
    return value


_JSON_UNSAFE = re.compile(f"[\x7f-\x9f{_INVISIBLE}\ud800-\udfff]")


def json_safe(text: str) -> str:
    """A JSON text (``ensure_ascii=False``) with every character a terminal could act on
    written as a ``\\uXXXX`` escape: the same data, byte for byte safe to print.

    JSON itself escapes C0 controls; DEL, C1, bidi and zero-width characters it
    leaves raw. Outside strings a JSON text is ASCII, so this never touches its syntax.
    """
    if _JSON_UNSAFE.search(text) is None:
        return text
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match[0]):04x}", text)


_LIGATURES = (("œ", "oe"), ("Œ", "OE"), ("æ", "ae"), ("Æ", "AE"))
"""Letters that Unicode does not decompose but a French reader types as two: "oeuvre"."""
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def unaccented(text: str) -> str:
    """``sécurité`` → ``securite``, ``œuvre`` → ``oeuvre``: for matching what users type
    without accents or ligatures."""
    if text.isascii():
        return text
    for ligature, letters in _LIGATURES:
        if ligature in text:
            text = text.replace(ligature, letters)
    decomposed = unicodedata.normalize("NFKD", text)
    # One pass of a regular expression over the text: searching 10,000 items folds them all.
    bare = _combining_marks().sub("", decomposed)
    if _ASTRAL.search(bare) is None:
        return bare
    return "".join(c for c in bare if not unicodedata.combining(c))  # rare: marks past U+FFFF


@functools.cache
def _combining_marks() -> re.Pattern[str]:
    """Runs of the combining marks of the Basic Multilingual Plane (``unicodedata.combining``).

    Made on first use from ``unicodedata`` itself (a few milliseconds), so it
    follows Python's Unicode version; a class past U+FFFF would make the
    expression many times slower, so those few marks are dropped one by one.
    """
    ranges: list[tuple[int, int]] = []
    for point in range(0x10000):
        if unicodedata.combining(chr(point)):
            if ranges and ranges[-1][1] == point - 1:
                ranges[-1] = (ranges[-1][0], point)
            else:
                ranges.append((point, point))
    members = "".join(
        re.escape(chr(first)) + ("" if last == first else "-" + re.escape(chr(last)))
        for first, last in ranges
    )
    return re.compile(f"[{members}]+")
