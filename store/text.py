"""User text as stored: no control characters or terminal escape sequences.

A note pasted from a terminal can carry sequences that retitle the window
(``ESC ] 0 ; … BEL``), clear the screen (``ESC [ 2 J``) or hide text (NUL);
they are removed before anything is saved.
"""

from __future__ import annotations

import re
import unicodedata

_ESCAPE_SEQUENCES = re.compile(
    r"""
    \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?   # OSC … BEL or ST (window title, hyperlinks)
    | \x1b[P^_][^\x1b]*(?:\x1b\\)?       # DCS, PM, APC strings
    | (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]    # CSI (7- and 8-bit): cursor moves, clears, colours
    | \x1b[@-Z\\-_]                       # other two-byte escapes
    """,
    re.VERBOSE,
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 and C1 controls, keeping tab (\\x09) and newline (\\x0a)."""
_SURROGATES = re.compile("[\ud800-\udfff]")
"""What Python makes of bytes that are not UTF-8 (e.g. from a Latin-1 terminal's argv)."""


def clean_text(text: str, *, multiline: bool = False) -> str:
    """``text`` without escape sequences and control characters, trimmed.

    Single-line fields also lose tabs and newlines (folded to spaces).
    """
    text = _ESCAPE_SEQUENCES.sub("", text.replace("\r\n", "\n"))
    text = _SURROGATES.sub("\ufffd", _CONTROLS.sub("", text))
    if not multiline:
        text = " ".join(text.split())
    return text.strip()


def unaccented(text: str) -> str:
    """``sécurité`` → ``securite``: for matching what users type without accents."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))
