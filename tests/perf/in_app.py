"""The benchmark's measurements inside one process: keys under Pilot, saved edits, file growth.

``bench.py`` runs this file in a child process whose ``PYTHONPATH`` is the
checkout being measured, so an older release is measured by its own code.
Each mode prints one JSON object of raw samples (seconds, bytes) on stdout:

    in_app.py keys PATH WORD ROUNDS     CPU per key, cicte-tui and a bare Tree app
    in_app.py edit PATH ROUNDS          one saved edit beside writing the same bytes
    in_app.py growth PATH EDITS         the file's size after each of EDITS edits

``PATH`` is a scratch copy: the modes edit it.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

TODAY = date(2008, 6, 15)
SIZE = (100, 30)
CURSOR_PRESSES = 5
"""Cursor presses per round (each one a sample)."""


# -- CPU per key ---------------------------------------------------------------------


class LoopWatch:
    """A task that wakes every 5 ms and keeps its worst lateness: how long the loop was held."""

    PERIOD = 0.005

    def __init__(self) -> None:
        self.worst = 0.0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.worst = 0.0
        self._task = asyncio.get_running_loop().create_task(self._tick())

    async def stop(self) -> float:
        assert self._task is not None
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)
        return self.worst

    async def _tick(self) -> None:
        while True:
            asked = time.perf_counter()
            await asyncio.sleep(self.PERIOD)
            self.worst = max(self.worst, time.perf_counter() - asked - self.PERIOD)


async def cpu_of(step: Callable[[], Awaitable[None]]) -> float:
    """CPU seconds of the whole process (every thread: a save runs on a worker) for ``step``."""
    start = time.process_time()
    await step()
    return time.process_time() - start


async def settled(pilot: Any) -> None:
    """The key's work is done: messages handled, workers (a save) finished, screen refreshed."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot: Any, condition: Callable[[], bool]) -> None:
    for _ in range(400):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("the app never got there")


def search_delay() -> float:
    """How long the search line waits for typing to pause (0 for a release without one)."""
    try:
        from tui.widgets.search_bar import SEARCH_DELAY
    except ImportError:
        return 0.0
    return float(SEARCH_DELAY)


async def app_keys(path: Path, word: str, rounds: int, overdue: list[str]) -> dict[str, Any]:
    from store.repository import Tracker
    from store.schedule import Outlook
    from tui.app import CicteApp

    samples: dict[str, Any] = {"cursor": [], "o": [], "search": [], "escape": [], "month": []}
    samples |= {"x": [], "x_wall": [], "x_blocked": []}
    watch = LoopWatch()
    with Tracker.open(path) as tracker:
        app = CicteApp(tracker, Outlook(TODAY), "--today")
        async with app.run_test(size=SIZE) as pilot:
            await settled(pilot)
            screen = app.screen
            for round_ in range(rounds):
                await one_round(pilot, screen, word, samples)
                screen.jump_to(overdue[round_ % len(overdue)])
                await settled(pilot)
                watch.start()
                wall = time.perf_counter()
                samples["x"].append(await cpu_of(lambda: press(pilot, "x")))
                samples["x_wall"].append(time.perf_counter() - wall)
                samples["x_blocked"].append(await watch.stop())
    return samples


async def press(pilot: Any, key: str) -> None:
    await pilot.press(key)
    await settled(pilot)


async def one_round(pilot: Any, screen: Any, word: str, samples: dict[str, Any]) -> None:
    """Cursor, ``o`` (and off again), a typed search, escape, next month."""
    for _ in range(CURSOR_PRESSES):
        samples["cursor"].append(await cpu_of(lambda: press(pilot, "down")))
    samples["o"].append(await cpu_of(lambda: press(pilot, "o")))
    await press(pilot, "o")
    await press(pilot, "slash")
    typed = ""
    keystrokes = []
    for letter in word:
        typed += letter

        async def search(typed: str = typed, letter: str = letter) -> None:
            await pilot.press(letter)
            # The search applies once typing pauses: wait for it, its work counts.
            await until(pilot, lambda: screen.tree_filter.search == typed)
            await settled(pilot)

        keystrokes.append(await cpu_of(search))
    samples["search"].append(keystrokes)
    samples["escape"].append(await cpu_of(lambda: press(pilot, "escape")))
    samples["month"].append(await cpu_of(lambda: press(pilot, "right_square_bracket")))


async def bare_keys(size: int, word: str, rounds: int) -> dict[str, Any]:
    """The same presses on a bare Tree: cursor moves it; other keys do nothing there."""
    sys.path.insert(0, str(Path(__file__).parent))
    from bare_tree import BareTree

    delay = search_delay()
    samples: dict[str, Any] = {"cursor": [], "noop": [], "noop_search": []}
    async with BareTree(size).run_test(size=SIZE) as pilot:
        await settled(pilot)

        async def typed_noop() -> None:
            await pilot.press("f12")  # bound to nothing
            await asyncio.sleep(delay)  # what the app's search waits, idle
            await settled(pilot)

        for _ in range(rounds):
            for _ in range(CURSOR_PRESSES):
                samples["cursor"].append(await cpu_of(lambda: press(pilot, "down")))
            for _ in range(3):
                samples["noop"].append(await cpu_of(lambda: press(pilot, "f12")))
            for _ in word:
                samples["noop_search"].append(await cpu_of(typed_noop))
    return samples


def overdue_keys(path: Path, count: int) -> list[str]:
    from store.repository import Tracker
    from store.schedule import Outlook, assess

    with Tracker.open(path, read_only=True) as tracker:
        outlook = Outlook(TODAY)
        found = [
            o.key for o in tracker if assess(o, tracker.plan, tracker.meetings, outlook).overdue
        ]
    return found[:count]


def keys_mode(path: Path, word: str, rounds: int) -> dict[str, Any]:
    overdue = overdue_keys(path, rounds)
    from store.repository import Tracker

    with Tracker.open(path, read_only=True) as tracker:
        size = len(tracker)
    return {
        "app": asyncio.run(app_keys(path, word, rounds, overdue)),
        "bare": asyncio.run(bare_keys(size, word, rounds)),
    }


# -- one saved edit ------------------------------------------------------------------------


def write_floor(path: Path, content: bytes) -> float:
    """Seconds to write ``content`` as a careful program must: temp file, fsync, rename."""
    start = time.perf_counter()
    temp = path.with_name(path.name + ".floor")
    with open(temp, "wb") as file:
        file.write(content)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temp, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
    return time.perf_counter() - start


def edit_mode(path: Path, rounds: int) -> dict[str, Any]:
    from store.editing import Editor
    from store.repository import Tracker

    samples: dict[str, list[float]] = {"edit": [], "floor": []}
    floor_copy = path.with_name("floor-" + path.name)
    with Tracker.open(path) as tracker:
        # As the product runs it: the app freezes what it loaded out of the garbage
        # collector's passes, the commands run without the collector (tui.launch).
        gc.freeze()
        editor = Editor(tracker, datetime.now)
        keys = [o.key for o in tracker][:: max(1, len(tracker) // max(rounds, 1))]
        for round_ in range(rounds):  # alternate, so a noisy second hits both alike
            start = time.perf_counter()
            editor.cycle_status(keys[round_ % len(keys)], TODAY)
            samples["edit"].append(time.perf_counter() - start)
            samples["floor"].append(write_floor(floor_copy, path.read_bytes()))
    return samples


# -- the file's growth -------------------------------------------------------------------


def growth_mode(path: Path, edits: int) -> dict[str, Any]:
    """Sizes after each edit, the same mix over and over: a note on one item (its list of
    notes grows: a log of whole records would grow with it), a status, a completion."""
    from store.editing import EditError, Editor
    from store.repository import Tracker

    sizes = [path.stat().st_size]
    with Tracker.open(path) as tracker:
        editor = Editor(tracker, datetime.now)
        keys = [o.key for o in tracker]
        noted = keys[0]
        for index in range(edits):
            key = keys[(index * 7919) % len(keys)]
            kind = index % 3
            if kind == 0:
                editor.add_note(noted, f"growth note {index}", TODAY)
            elif kind == 1:
                editor.cycle_status(key, TODAY)
            else:
                try:
                    editor.complete(key, TODAY)
                except EditError:  # nothing to complete there: a status, the same size
                    editor.cycle_status(key, TODAY)
            sizes.append(path.stat().st_size)
    return {"sizes": sizes}


def main(argv: list[str]) -> int:
    mode, path = argv[0], Path(argv[1])
    if mode == "keys":
        result = keys_mode(path, argv[2], int(argv[3]))
    elif mode == "edit":
        result = edit_mode(path, int(argv[2]))
    elif mode == "growth":
        result = growth_mode(path, int(argv[2]))
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
