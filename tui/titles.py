"""Titles cut to fit a line, at a word boundary, never so that two items look the same.

The plan has items that open with the same sixty characters (4.i and 4.ii:
"Maintenir et distribuer parmi les États membres un répertoire des…"). A
title cut before the first word that tells it from another item's keeps its
opening words and adds the words that differ: "Maintenir et distribuer … des
autorités compétentes…". No Textual here: the tree and the status table use it.
"""

from __future__ import annotations

from collections.abc import Mapping

from store.model import shorten

ELLIPSIS = "…"
GAP = " … "
"""Between a title's opening words and the words that tell it apart."""
SHORTEST = 8
"""Under this many columns a title is only cut, never rebuilt."""


def one_line(text: str) -> str:
    return " ".join(text.split())


def shared_starts(headlines: Mapping[str, str]) -> dict[str, int]:
    """Key → how many characters its headline shares with the start of another item's.

    Identical headlines (1.x and II-5.B say the same) are not compared: no cut
    can tell them apart, their ids do. Sorted neighbours hold the longest shared
    start, so a plan of 10,000 items takes one sort.
    """
    texts = sorted({one_line(text) for text in headlines.values()})
    longest: dict[str, int] = dict.fromkeys(texts, 0)
    for before, after in zip(texts, texts[1:], strict=False):
        shared = _common_length(before, after)
        longest[before] = max(longest[before], shared)
        longest[after] = max(longest[after], shared)
    return {key: longest[one_line(text)] for key, text in headlines.items()}


def _common_length(first: str, second: str) -> int:
    """How many first characters the two have in common (halving: slices compare in C)."""
    low, high = 0, min(len(first), len(second))
    while low < high:
        middle = (low + high + 1) // 2
        if first[low:middle] == second[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def cut_title(headline: str, width: int, shared: int = 0) -> str:
    """``headline`` in at most ``width`` characters, cut at a word boundary with an ellipsis.

    ``shared``: how many of its first characters another item's headline has too
    (:func:`shared_starts`). A cut that would show only those gets the words
    that differ instead of the middle.
    """
    text = one_line(headline)
    if width <= len(ELLIPSIS):
        return text if len(text) <= width else ELLIPSIS[:width]
    cut = shorten(text, width)
    if cut == text or width < SHORTEST:
        return cut
    kept = cut[: -len(ELLIPSIS)] if cut.endswith(ELLIPSIS) else cut
    if len(kept) > shared:
        return cut  # what it shows already tells it apart
    start = text.rfind(" ", 0, shared) + 1  # the first word that differs
    rest = text[start:]
    first_word = rest.split(" ", 1)[0]
    least = min(len(rest), len(first_word) + len(ELLIPSIS))
    tail_room = min(len(rest), max(least, width // 2))
    head = _words_within(text[:start], width - len(GAP) - tail_room)
    if not head:
        return ELLIPSIS + shorten(rest, width - len(ELLIPSIS))
    return f"{head}{GAP}{shorten(rest, width - len(head) - len(GAP))}"


def _words_within(text: str, room: int) -> str:
    """The longest run of ``text``'s first whole words in ``room`` characters."""
    text = text.rstrip()
    if room <= 0:
        return ""
    if len(text) <= room:
        return text.rstrip(" ,;:")
    cut = text[: room + 1]
    cut = cut.rsplit(" ", 1)[0] if " " in cut else ""
    return cut.rstrip(" ,;:")


def distinct_titles(headlines: Mapping[str, str], width: int) -> dict[str, str]:
    """Key → its headline cut to ``width`` so that no two different headlines look alike."""
    shared = shared_starts(headlines)
    return {key: cut_title(text, width, shared[key]) for key, text in headlines.items()}
