"""Plan and user text as literal Markdown: the one escaping of status, brief, report and export.

By default the escaping is CommonMark's, and only of what would change the
meaning (emphasis, code, HTML, links, entities, a line taken for a list or a
heading), so that the raw text still reads well pasted into an e-mail.
``pandoc=True`` also escapes what pandoc's Markdown gives a meaning (spans,
pipe tables, sub- and superscript, TeX maths, attributes, fancy lists): the
year report is meant to be turned into documents with pandoc.

Every text first goes through :func:`store.text.safe_text`: no control or
escape sequence reaches the page, and none can hide a marker from the
escaping (``]`` ESC ``[0m(`` would become a link's ``](`` once ESC… is gone).
No Textual and no Rich here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from store.text import safe_text

_INLINE_SPECIAL = re.compile(r"([\\`*_<>])")
_LINK_OPENERS = re.compile(r"\](?=[(\[:])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_BLOCK_START = re.compile(
    r"^(#{1,6}(?=\s|$)|>|[-+](?=\s|$)|[-=](?=[-=\s]*$)|\d{1,9}(?=[.)](?:\s|$)))"
)
"""What makes the start of a line a heading, quote, list item or rule (CommonMark)."""
_PANDOC_SPECIAL = re.compile(r"(\\.)|([\[\]|~^${}])")
"""On escaped text: a pair the CommonMark escaping made, or a character pandoc gives a
meaning (links and spans, pipe tables, sub- and superscript, TeX maths, attributes)."""
_PANDOC_LIST_START = re.compile(
    r"^(?:(\()(?=(?:[A-Za-z]|[ivxlcdmIVXLCDM]+|\d{1,9}|#|@\w*)\)(?:\s|$))"
    r"|(?:[A-Za-z]|[ivxlcdmIVXLCDM]+|#)(?=[.)](?:\s|$))"
    r"|(?=[:+%]))"
)
"""Where a line would start a pandoc list (``a.``, ``iv)``, ``(b)``, ``#.``, ``(@)``),
a definition or fenced div (``:``), a table border (``+``) or a title block (``%``)."""
_LINKABLE = re.compile(r"(?:https?|ftps?|mailto):[^\s<>]+", re.IGNORECASE)
"""A URI shown as a link: only schemes that open a page or a mail, never ``javascript:``,
``data:`` or ``file:`` (those are shown as text)."""


def md_inline(text: str, *, pandoc: bool = False) -> str:
    """Plan or user text as literal Markdown inside a line: no emphasis, links or HTML.

    Line breaks and runs of spaces become one space.
    """
    text = _INLINE_SPECIAL.sub(r"\\\1", " ".join(safe_text(text).split()))
    text = _ENTITY.sub(r"\\&", _LINK_OPENERS.sub(r"\\]", text))
    return _PANDOC_SPECIAL.sub(_pandoc_escape, text) if pandoc else text


def md_line(text: str, *, pandoc: bool = False) -> str:
    """Like :func:`md_inline`, for text that starts a line or a list item.

    There a leading ``7.``, ``-``, ``#`` or ``>`` would make a list, heading
    or quote of it (and, for pandoc, ``a.``, ``(b)``, ``:`` or ``%`` too).
    """
    text = _BLOCK_START.sub(_escape_block_start, md_inline(text))
    if not pandoc:
        return text
    text = _PANDOC_SPECIAL.sub(_pandoc_escape, text)
    return _PANDOC_LIST_START.sub(_escape_pandoc_list_start, text, count=1)


def md_cell(text: str) -> str:
    """Text for a cell of a pipe table: inline, and its ``|`` cannot end the cell."""
    return md_inline(text).replace("|", "\\|")


def md_paragraphs(text: str, *, pandoc: bool = False) -> list[str]:
    """Each line of a multi-line text as its own paragraph: line breaks survive, nothing is cut."""
    paragraphs: list[str] = []
    for line in safe_text(text).splitlines():
        if line.strip():
            paragraphs += [md_line(line, pandoc=pandoc), ""]
    return paragraphs


def md_broken_lines(text: str, indent: str, *, pandoc: bool = False) -> str:
    """A multi-line text inside a list item, one hard line break per line."""
    lines = [md_line(part, pandoc=pandoc) for part in safe_text(text).splitlines() if part.strip()]
    return f"\\\n{indent}".join(lines)


def md_heading(line: str) -> str:
    """A whole heading line; a closing run of ``#`` would be taken for the heading's own end."""
    return re.sub(r"(#+)$", lambda m: "\\#" * len(m[1]), line)


def md_link(link: str, *, pandoc: bool = False) -> str:
    """A link kept exact and clickable (``<https://…>``) when it is a web or mail address;
    anything else (``javascript:…``) as literal text."""
    link = " ".join(safe_text(link).split())
    if _LINKABLE.fullmatch(link):
        return f"<{link}>"
    return md_inline(link, pandoc=pandoc)


def md_document(lines: Iterable[str]) -> str:
    """Join lines into Markdown with single blank lines and a final newline.

    The finished page goes through :func:`safe_text` once more: a text that
    reached it unescaped still cannot drive a terminal.
    """
    text = "\n".join(lines)
    return safe_text(re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n")


def _escape_block_start(match: re.Match[str]) -> str:
    marker = match[1]
    if marker[0].isdigit():
        return f"{marker}\\"  # "7. De demander…" must not become a numbered list
    return f"\\{marker}"


def _pandoc_escape(match: re.Match[str]) -> str:
    return match[1] or f"\\{match[2]}"


def _escape_pandoc_list_start(match: re.Match[str]) -> str:
    if match[1]:
        return "\\("  # "(b) …" stays text
    return f"{match[0]}\\" if match[0] else "\\"  # "a. …" → "a\. …"; ": …" → "\: …"
