"""The text gate (clean_text) and the output wall (safe_text): what they remove and keep."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.text import (
    clean_text,
    json_safe,
    may_hold_controls,
    safe_text,
    safe_tree,
    scrub_tree,
)

CASES = json.loads((Path(__file__).parents[1] / "hostile" / "cases.json").read_text("utf-8"))[
    "cases"
]
BIDI_AND_INVISIBLE = set(
    "\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)


def unsafe_characters(text: str) -> list[str]:
    """Every character of ``text`` a terminal could act on, or that hides or reorders text."""
    return [
        c
        for c in text
        if (ord(c) < 0x20 and c not in "\n\t")
        or 0x7F <= ord(c) <= 0x9F
        or c in BIDI_AND_INVISIBLE
        or 0xD800 <= ord(c) <= 0xDFFF
    ]


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_each_hostile_case_is_cleaned_to_what_the_corpus_says(case):
    assert clean_text(case["text"], multiline=True) == case["clean"]
    assert unsafe_characters(safe_text(case["text"])) == []


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("a\x1b]52;c;SGVsbG8=\x07b", "ab"),  # OSC 52, BEL
        ("a\x1b]2;title\x1b\\b", "ab"),  # OSC 2, ST
        ("a\x9d8;;http://x\x9cb", "ab"),  # 8-bit OSC and ST: the payload goes too
        ("a\x9d0;t\x1b\\b", "ab"),  # 8-bit OSC, 7-bit ST
        ("a\x90q#0;2\x9cb", "ab"),  # 8-bit DCS
        ("a\x98sos\x9cb", "ab"),  # 8-bit SOS
        ("a\x9epm\x9cb", "ab"),  # 8-bit PM
        ("a\x9fGapc\x9cb", "ab"),  # 8-bit APC
        ("a\x1bPdcs\x1b\\b", "ab"),
        ("a\x1bXsos\x1b\\b", "ab"),
        ("a\x1b^pm\x1b\\b", "ab"),
        ("a\x1b_apc\x1b\\b", "ab"),
        ("a\x1b[2Jb", "ab"),
        ("a\x1b[38;2;255;0;0mb", "ab"),
        ("a\x9b2Jb", "ab"),  # 8-bit CSI
        ("a\x1b[?1049hb", "ab"),
        ("a\x1bcb", "ab"),  # reset
        ("a\x1b(Bb", "ab"),  # charset
        ("a\x1b", "a"),  # a lone ESC at the end
        ("a\x1b[12", "a"),  # a CSI cut short
        ("a\x1b]2;never ends\nnext line", "a"),  # an unterminated string eats to the end
        ("a\x90never ends", "a"),
        ("a\x85b\x00c\x07d\x7fe", "abcde"),  # C1 NEL, NUL, BEL, DEL
        ("a\u202eb\u2066c\u2069d\u200ee\u200ff\u061cg", "abcdefg"),  # bidi controls
        ("a\u200bb\u200cc\u200dd\u2060e\ufefff", "abcdef"),  # zero-width
    ],
)
def test_whole_sequences_and_single_controls_are_removed(text, kept):
    assert safe_text(text) == kept
    assert clean_text(text, multiline=True) == kept


def test_newlines_and_tabs_are_kept_and_carriage_returns_become_newlines():
    assert safe_text("a\tb\nc\r\nd\re") == "a\tb\nc\nd\ne"
    assert clean_text("a\tb\nc\r\nd\re", multiline=True) == "a\tb\nc\nd\ne"
    assert clean_text("  a\tb\nc\r\nd\re  ") == "a b c d e"  # single line: folded, trimmed


def test_safe_text_neither_trims_nor_normalises_and_returns_clean_text_itself():
    text = "  se\u0301curite\u0301 \n"
    assert safe_text(text) is text
    assert clean_text(text) == "sécurité"  # the gate composes accents (NFC)
    assert clean_text("e\u200d\u0301") == "é"  # once the joiner is gone, they compose


def test_lone_surrogates_become_replacement_characters():
    assert safe_text("a\udcffb") == "a\ufffdb"
    assert clean_text("a\ud800") == "a\ufffd"


def test_plan_text_and_markup_pass_unchanged():
    for text in ("« Continu »", "[bold]x[/]", "=HYPERLINK()", "<img src=x>", "sécurité — 1.ii"):
        assert safe_text(text) is text
        assert clean_text(text) == text


@given(st.text())
def test_nothing_unsafe_ever_gets_through(text):
    assert unsafe_characters(safe_text(text)) == []
    cleaned = clean_text(text, multiline=True)
    assert unsafe_characters(cleaned) == []
    assert unicodedata.is_normalized("NFC", cleaned)
    assert clean_text(cleaned, multiline=True) == cleaned  # the gate is idempotent


@given(st.text(alphabet=st.sampled_from("ab\x1b\x9b\x9d\x9c\x07[]P\\;2J\x90\r\n\u202e")))
def test_sequences_in_any_order_leave_nothing_unsafe(text):
    assert unsafe_characters(safe_text(text)) == []


def test_a_file_without_controls_skips_the_walk():
    ours = json.dumps({"note": "Sécurité « Continu » [x] <y>", "n": [1, "\t"]}, ensure_ascii=False)
    assert not may_hold_controls(ours)


@pytest.mark.parametrize(
    "value",
    ["a\x1bb", "a\u009db", "a\u202eb", "a\u200bb", "a\rb", "a\bb", "a\fb", "e\u0301"],
)
def test_any_way_a_file_can_carry_a_control_is_noticed(value):
    for ensure_ascii in (True, False):
        raw = json.dumps({"note": value}, ensure_ascii=ensure_ascii)
        assert may_hold_controls(raw), (value, raw)
        scrubbed = scrub_tree(json.loads(raw))
        assert isinstance(scrubbed, dict)
        assert unsafe_characters(scrubbed["note"]) == []
        assert unicodedata.is_normalized("NFC", scrubbed["note"])


def test_scrub_tree_cleans_keys_and_values_and_keeps_the_rest():
    value = {"a\x1b[2J": ["x\u202ey", 3, None, True, {"k": " \x9d0;t\x9c spaced "}]}
    assert scrub_tree(value) == {"a": ["xy", 3, None, True, {"k": "  spaced "}]}


def test_safe_tree_cleans_every_string_for_output():
    assert safe_tree({"t\x07": ("a\x1b]2;x\x07b", 1)}) == {"t": ["ab", 1]}


def test_json_safe_escapes_what_json_leaves_raw_and_keeps_the_data():
    document = {"note": "a\x7f\x85\u202e\u200bb é", "esc": "\x1b"}
    text = json_safe(json.dumps(document, ensure_ascii=False))
    assert unsafe_characters(text) == []
    assert "é" in text  # accents stay readable
    assert json.loads(text) == document
