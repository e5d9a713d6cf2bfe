"""At 10,000 items the app opens, and its overdue filter and search find exactly the right items.

Not a timing test (``tests/perf/bench.py`` times things): a speed-up that
skips items, or finds them twice, must fail here. What should be found is
worked out without the app: the overdue items by how the synthetic tracker was
made (``tests/perf/synthetic.py``, which also checks the engine agrees), the
search hits by folding the items' texts here.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from store.repository import Tracker
from store.schedule import Outlook
from tests.perf.synthetic import TODAY, Synthetic, build, items_matching, verify
from tui.app import CicteApp
from tui.cli.parser import main
from tui.widgets.mandate_tree import MandateTree

SIZE = 10_000
WORD = "securite"
"""Typed without accents: it must find "sécurité" and "SÉCURITÉ"."""


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Synthetic, Path]:
    from store.storage import atomic_write_json

    synthetic = build(SIZE, TODAY)
    path = tmp_path_factory.mktemp("scale") / "tracker-10k.json"
    atomic_write_json(path, synthetic.document)
    return synthetic, path


def test_the_synthetic_tracker_has_the_plans_mix(big):
    synthetic, path = big
    counts = verify(path, synthetic)  # the engine finds the overdue items they were made to be
    assert counts["items"] == SIZE
    assert 0.09 * SIZE <= counts["overdue"] <= 0.11 * SIZE
    assert 0.14 * SIZE <= counts["recurring"] <= 0.16 * SIZE
    assert counts["groups"] == 20 and counts["event anchored"] > 0 and counts["changes"] > SIZE


def test_status_lists_every_overdue_item_once(big, capsys):
    synthetic, path = big
    assert (
        main(["status", "--db", str(path), "--today", TODAY.isoformat(), "--format", "json"]) == 0
    )
    report = json.loads(capsys.readouterr().out)
    overdue = [item["key"] for item in report["items"] if item["state"] == "overdue"]
    assert Counter(overdue) == Counter(synthetic.overdue)
    assert report["counts"]["overdue"] == len(synthetic.overdue)
    assert report["counts"]["total"] == SIZE


async def test_the_app_filters_and_searches_ten_thousand_items(big):
    synthetic, path = big
    with Tracker.open(path, read_only=True) as tracker:
        app = CicteApp(tracker, Outlook(TODAY), "--today")
        async with app.run_test(size=(120, 40)) as pilot:
            tree = app.screen.query_one(MandateTree)
            assert len(tree.obligation_keys()) == SIZE

            await pilot.press("o")
            await pilot.pause()
            assert Counter(tree.obligation_keys()) == Counter(synthetic.overdue)

            await pilot.press("o", "slash", *WORD, "enter")
            await pilot.pause()
            expected = items_matching(synthetic.document, WORD)
            assert 0 < len(expected) < SIZE
            assert Counter(tree.obligation_keys()) == Counter(expected)

            await pilot.press("escape")
            await pilot.pause()
            assert len(tree.obligation_keys()) == SIZE
