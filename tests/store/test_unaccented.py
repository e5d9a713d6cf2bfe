"""``unaccented`` folds with one regular expression per text: it must say what the plain
character-by-character fold says, for every character."""

from __future__ import annotations

import sys
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from store.text import unaccented

LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})


def folded_one_by_one(text: str) -> str:
    """The fold as first written: ligatures, NFKD, then each combining mark dropped."""
    decomposed = unicodedata.normalize("NFKD", text.translate(LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def test_every_character_folds_as_it_did_one_by_one():
    points = [p for p in range(sys.maxunicode + 1) if not 0xD800 <= p <= 0xDFFF]
    for start in range(0, len(points), 4096):
        # Each character after a letter, as an accent follows it in a word.
        text = "".join("e" + chr(p) for p in points[start : start + 4096])
        assert unaccented(text) == folded_one_by_one(text), hex(points[start])


@given(st.text())
def test_any_text_folds_as_it_did_one_by_one(text):
    assert unaccented(text) == folded_one_by_one(text)


def test_french_text_folds_for_matching():
    assert unaccented("Sécurité, œuvre, Æsop, naïve, Ça") == "Securite, oeuvre, AEsop, naive, Ca"
