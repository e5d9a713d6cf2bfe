"""Benchmark: start to first paint, key-press latency, `status` wall time, one saved edit.

Run it by hand (it is not a test): ``.venv/bin/python tests/perf/bench.py``.
It measures the embedded 2008 plan and a synthetic 10,000-obligation file,
and prints one table. Numbers are medians over several runs. Key-press times
include Pilot's own round trip; the "baseline" row (a bare Textual Tree)
shows how much of each is Pilot rather than cicte-tui. The worst key press
is the `o` filter, which rebuilds the tree.
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from store.editing import Editor  # noqa: E402
from store.repository import Tracker, seed_document  # noqa: E402
from store.schedule import Outlook  # noqa: E402
from store.storage import atomic_write_json  # noqa: E402

TODAY = date(2008, 6, 15)
BIG = 10_000
RULES = (
    ("continuous",),
    ("yearly in september",),
    ("2008-05-31",),
    ("yearly during cicte-session",),
)


def synthetic_file(folder: Path, count: int) -> Path:
    """The 2008 plan padded with projects until it holds ``count`` obligations."""
    document = seed_document()
    rows = document["obligations"]
    template = rows["58"]
    for index in range(len(rows) + 1, count + 1):
        key = f"II-6.{index}"
        rows[str(index)] = template | {
            "key": key,
            "number": key,
            "text": f"Projet synthétique numéro {index} pour mesurer la tenue en charge.",
            "rules": list(RULES[index % len(RULES)]),
            "order": index,
        }
    path = folder / f"tracker-{count}.json"
    atomic_write_json(path, document)
    return path


def median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:8.1f} ms"


def time_status(path: Path, runs: int = 5) -> list[float]:
    command = [str(Path(sys.executable).with_name("cicte-tui")), "status", "--db", str(path)]
    command += ["--today", TODAY.isoformat(), "--format", "json"]
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        samples.append(time.perf_counter() - start)
    return samples


def time_edit(path: Path, runs: int = 5) -> list[float]:
    samples = []
    with Tracker.open(path) as tracker:
        editor = Editor(tracker, datetime.now)
        key = next(iter(tracker)).key
        for _ in range(runs):
            start = time.perf_counter()
            editor.cycle_status(key, TODAY)
            samples.append(time.perf_counter() - start)
    return samples


async def time_app(path: Path, presses: int = 30) -> tuple[float, list[float]]:
    """(open + first paint, per-key latencies) with the real file, driven by Pilot."""
    from tui.app import CicteApp

    start = time.perf_counter()
    with Tracker.open(path, read_only=True) as tracker:
        app = CicteApp(tracker, Outlook(TODAY), "--today")
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            first_paint = time.perf_counter() - start
            latencies = []
            for index in range(presses):
                key = "down" if index % 4 else "j"
                tick = time.perf_counter()
                await pilot.press(key)
                await pilot.pause()
                latencies.append(time.perf_counter() - tick)
            tick = time.perf_counter()
            await pilot.press("o")
            await pilot.pause()
            latencies.append(time.perf_counter() - tick)  # a filter over the whole plan
    return first_paint, latencies


async def time_bare_tree(presses: int = 30) -> list[float]:
    """The same key presses on a bare Textual Tree: what Pilot itself costs per key."""
    from textual.app import App, ComposeResult
    from textual.widgets import Tree

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            tree: Tree[None] = Tree("plan")
            for index in range(60):
                tree.root.add_leaf(f"item {index}")
            tree.root.expand()
            yield tree

    latencies = []
    async with Bare().run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for _ in range(presses):
            tick = time.perf_counter()
            await pilot.press("down")
            await pilot.pause()
            latencies.append(time.perf_counter() - tick)
    return latencies


def measure(label: str, path: Path, report: Callable[[str, str, str], None]) -> None:
    first_paint, keys = asyncio.run(time_app(path))
    report(label, "start to first paint", f"{first_paint * 1000:8.1f} ms")
    report(label, "key press (median)", median_ms(keys))
    report(label, "key press (worst)", f"{max(keys) * 1000:8.1f} ms")
    report(label, "status wall time", median_ms(time_status(path)))
    report(label, "one saved edit", median_ms(time_edit(path)))


def main() -> None:
    rows: list[tuple[str, str, str]] = []

    def report(label: str, what: str, value: str) -> None:
        rows.append((label, what, value))
        print(f"{label:<18} {what:<24} {value}", flush=True)

    report("baseline", "bare Tree key press", median_ms(asyncio.run(time_bare_tree())))
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        plan = base / "tracker-2008.json"
        Tracker.open(plan).close()
        measure("2008 plan (58)", plan, report)
        measure(f"synthetic ({BIG:,})", synthetic_file(base, BIG), report)


if __name__ == "__main__":
    main()
