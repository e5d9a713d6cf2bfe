"""Benchmark: what users feel, each figure beside a baseline measured in the same run.

Run it by hand (it is not part of the tests)::

    python tests/perf/bench.py [--quick] [--root DIR] [--only SECTION ...]
    python tests/perf/bench.py --make-store 10000 /tmp/tracker-10k.json

``--quick`` takes under a minute (fewer repeats, the same sizes); the full run a
few minutes. ``--root`` measures another checkout (an older release) with this
benchmark: every measured process runs that checkout's code (``PYTHONPATH``),
and its stores are made by that code too. Needs the ``perf`` extra (``pyte``);
``task`` (Taskwarrior, ``apt-get install taskwarrior``) for one baseline.

Sections, and what each figure is set beside:

status   ``cicte-tui status`` (JSON and table) as a whole process at 58, 1,000 and
         10,000 items, beside ``python -c pass``, beside its *import floor* (a
         process that imports every module a status run of that format loads, then
         exits: what is left is the work itself) and beside ``task overdue`` on the
         same items (skipped, with a note, when ``task`` is not installed).
frames   start → the last write that changes the screen, on a real pty replayed
         through ``pyte``, beside a bare Textual Tree app of the same size; and how
         many full paints the start took.
keys     CPU time (``time.process_time``, every thread) per key under Pilot at
         10,000 items, net of a bare Tree app doing the same (cursor) or nothing.
edit     one saved edit (``Editor.cycle_status``) at 1,000 and 10,000 items beside
         writing the same bytes atomically by hand (temp file, fsync, rename); the
         longest the event loop is held while ``x`` saves; how the file grows.
memory   comes with status and frames: peak resident memory of the app and of
         ``status`` at 10,000 items (each process's own rusage).

Targets are ratios within one run (or CPU figures net of the bare app), so they
hold on a noisy machine. Numbers are medians, with the 90th percentile in brackets.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pty_frames import PtyRun

HERE = Path(__file__).resolve().parent
CHECKOUT = HERE.parents[1]
TODAY = date(2008, 6, 15)
SIZES = (58, 1_000, 10_000)
BIG = 10_000
SEARCH_WORD = "surete"
"""Typed without its accents, as people do: it must find "sûreté"."""
APP = "import sys; from tui.launch import main; sys.exit(main())"
"""How the installed ``cicte-tui`` starts, from whichever checkout is on PYTHONPATH."""
SECTIONS = ("status", "frames", "keys", "edit")


@dataclass(frozen=True)
class Repeats:
    status: int
    frames: int
    key_rounds: int
    edits: int
    growth_edits: int


QUICK = Repeats(status=3, frames=1, key_rounds=1, edits=3, growth_edits=100)
FULL = Repeats(status=10, frames=5, key_rounds=5, edits=10, growth_edits=300)


# -- figures and the table -----------------------------------------------------------


@dataclass
class Row:
    """One line of the table: a figure beside its baseline, and its target."""

    figure: str
    size: str
    ours: list[float]
    base: list[float] | None = None
    base_label: str = ""
    unit: str = "ms"
    target: str = ""
    check: Callable[[Row], bool] | None = None
    net: bool = False
    """The figure is CPU net of the bare app (ours − baseline median), not a ratio."""

    @property
    def ratio(self) -> float | None:
        if not self.base or not self.ours or self.unit == "paints":  # counts: compared as such
            return None
        base = median(self.base)
        return median(self.ours) / base if base else None

    @property
    def net_value(self) -> float:
        return median(self.ours) - (median(self.base) if self.base else 0.0)

    def met(self) -> str:
        if self.check is None:
            return ""
        return "yes" if self.check(self) else "NO"


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, row: Row) -> None:
        self.rows.append(row)
        progress(f"  {row.figure} [{row.size}]: {show(row.ours, row.unit)}")


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


def p90(values: Sequence[float]) -> float:
    """Nearest rank: with few samples, the worst but one or the worst."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)] if ordered else math.nan


SCALE = {"ms": 1000.0, "MiB": 1 / 1024, "B/edit": 1.0, "paints": 1.0}


def show(values: Sequence[float] | None, unit: str) -> str:
    if not values:
        return "—"
    scale = SCALE[unit]
    middle, high = median(values) * scale, p90(values) * scale
    digits = 0 if unit in ("B/edit", "paints") or middle >= 100 else 1
    return f"{middle:,.{digits}f} ({high:,.{digits}f}) {unit}"


def render(report: Report, title: str) -> str:
    header = (
        "figure",
        "size",
        "cicte-tui median (p90)",
        "baseline median (p90)",
        "ratio / net",
        "target",
        "met?",
    )
    lines = [header]
    for row in report.rows:
        if row.net:
            compared = f"net {row.net_value * SCALE[row.unit]:.1f} {row.unit}"
        else:
            compared = f"{row.ratio:.2f}×" if row.ratio is not None else "—"
        base = f"{row.base_label}: {show(row.base, row.unit)}" if row.base_label else "—"
        lines.append(
            (row.figure, row.size, show(row.ours, row.unit), base, compared, row.target, row.met())
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = [title, ""]
    for index, line in enumerate(lines):
        out.append(" | ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))
        if index == 0:
            out.append("-+-".join("-" * width for width in widths))
    out += ["", *(f"note: {note}" for note in report.notes)]
    return "\n".join(out)


def progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# -- processes of the checkout being measured ---------------------------------------


@dataclass(frozen=True)
class Checkout:
    """The code being measured and a scratch folder for its files and settings."""

    root: Path
    scratch: Path

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CICTE_", "TEXTUAL"))}
        env.pop("NO_COLOR", None)
        # As on a user's machine, Python keeps the modules it compiled: without that,
        # every start compiles each changed module again (80 ms of the app's start).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        config = self.scratch / "home"
        env |= {
            "PYTHONPATH": str(self.root),
            "TERM": "xterm-256color",
            "COLUMNS": "100",
            "LINES": "30",
            # No user settings, theme or data of the person running the benchmark.
            "XDG_CONFIG_HOME": str(config / "config"),
            "XDG_DATA_HOME": str(config / "data"),
            "XDG_STATE_HOME": str(config / "state"),
            "XDG_CACHE_HOME": str(config / "cache"),
        }
        return env

    def python(self, *args: str) -> list[str]:
        return [sys.executable, *args]

    def run_json(self, *args: str) -> dict[str, object]:
        """Run a helper of this folder with the checkout's code; its JSON answer."""
        done = subprocess.run(
            self.python(*args), env=self.env(), cwd=self.root, capture_output=True, text=True
        )
        if done.returncode:
            raise RuntimeError(f"{' '.join(args[:2])} failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])


@dataclass(frozen=True)
class Spawned:
    seconds: float
    peak_kib: int
    code: int


def spawn(argv: list[str], env: dict[str, str], cwd: Path) -> Spawned:
    """Run a whole process, output discarded; its wall time and its own peak memory."""
    start = time.perf_counter()
    process = subprocess.Popen(
        argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait
    return Spawned(seconds, usage.ru_maxrss, process.returncode)


def timed(
    argv: list[str], env: dict[str, str], cwd: Path, runs: int, *, warm: bool = True
) -> list[Spawned]:
    """``runs`` runs, after one unmeasured when ``warm`` (the first run of a program writes
    its bytecode caches; the stores are freshly written, so already in the page cache)."""
    if warm:
        check(argv, env, cwd, spawn(argv, env, cwd))
    runs_done = [spawn(argv, env, cwd) for _ in range(runs)]
    check(argv, env, cwd, runs_done[0])
    return runs_done


def check(argv: list[str], env: dict[str, str], cwd: Path, run: Spawned) -> None:
    """A figure of a failed run means nothing: say why it failed instead."""
    if run.code:
        done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True)
        raise RuntimeError(f"{' '.join(argv[-6:])} exited {run.code}:\n{done.stderr[-2000:]}")


def seconds(runs: list[Spawned]) -> list[float]:
    return [run.seconds for run in runs]


def peaks(runs: list[Spawned]) -> list[float]:
    return [float(run.peak_kib) for run in runs]


# -- stores ------------------------------------------------------------------------


def make_stores(checkout: Checkout, sizes: Sequence[int]) -> dict[int, Path]:
    """A tracker of each size, made by the measured checkout's own store code."""
    stores = {}
    for size in sizes:
        path = checkout.scratch / f"tracker-{size}.json"
        tasks = checkout.scratch / f"tasks-{size}.json"
        argv = [str(HERE / "synthetic.py"), str(size), str(path), "--taskwarrior", str(tasks)]
        done = subprocess.run(
            checkout.python(*argv, "--quiet"), env=checkout.env(), capture_output=True, text=True
        )
        if done.returncode:
            raise RuntimeError(f"making the {size}-item store failed:\n{done.stderr[-3000:]}")
        stores[size] = path
    return stores


def scratch_copy(path: Path, name: str) -> Path:
    """A copy to edit, so that every measure starts from the same file."""
    copy = path.with_name(f"{name}-{path.name}")
    shutil.copyfile(path, copy)
    return copy


def size_label(size: int) -> str:
    return "2008 plan (58)" if size == 58 else f"{size:,}"


# -- status -------------------------------------------------------------------------


FORMS = ("json", "table")


def status_argv(checkout: Checkout, store: Path, form: str) -> list[str]:
    argv = checkout.python("-c", APP, "status", "--db", str(store), "--today", TODAY.isoformat())
    return argv + (["--format", "json"] if form == "json" else [])


FLOOR = """\
import importlib, sys
for name in open(sys.argv[1]).read().split():
    try:
        importlib.import_module(name)
    except Exception:
        pass
"""
"""The import floor: import each module a status run loaded, and do nothing else."""

MODULES = """\
import json, sys
from tui.launch import main
code = main(sys.argv[1:])
names = sorted(n for n, m in sys.modules.items() if m is not None and n != "__main__")
sys.stderr.write("\\n@@modules " + json.dumps(names))
"""


def import_floor(checkout: Checkout, store: Path, form: str) -> list[str]:
    """The floor's command: the modules a status run of ``form`` loaded, from a real run."""
    argv = status_argv(checkout, store, form)
    argv[2] = MODULES
    done = subprocess.run(argv, env=checkout.env(), cwd=checkout.root, capture_output=True)
    names = json.loads(done.stderr.decode().rpartition("@@modules ")[2])
    listing = checkout.scratch / f"modules-{form}.txt"
    listing.write_text("\n".join(names))
    return checkout.python("-c", FLOOR, str(listing))


@dataclass
class Taskwarrior:
    """``task overdue`` over the same items, in a folder of its own."""

    folder: Path
    rc: Path

    @classmethod
    def load(cls, scratch: Path, size: int) -> Taskwarrior:
        folder = scratch / f"taskwarrior-{size}"
        folder.mkdir(exist_ok=True)
        rc = folder / "taskrc"
        settings = ("confirmation=off", "verbose=nothing", "color=off", "hooks=off")
        rc.write_text("\n".join([f"data.location={folder}", *settings]) + "\n")
        tasks = scratch / f"tasks-{size}.json"
        subprocess.run(
            ["task", "import", str(tasks)], env=cls._env(rc), check=True, capture_output=True
        )
        return cls(folder, rc)

    @staticmethod
    def _env(rc: Path) -> dict[str, str]:
        return dict(os.environ, TASKRC=str(rc), TASKDATA=str(rc.parent))

    @property
    def env(self) -> dict[str, str]:
        return self._env(self.rc)

    def overdue_count(self) -> int:
        done = subprocess.run(["task", "+OVERDUE", "count"], env=self.env, capture_output=True)
        return int(done.stdout.decode().strip() or 0)


def status_overdue(checkout: Checkout, store: Path) -> int:
    argv = status_argv(checkout, store, "json")
    done = subprocess.run(argv, env=checkout.env(), cwd=checkout.root, capture_output=True)
    return int(json.loads(done.stdout)["counts"]["overdue"])


def measure_status(checkout: Checkout, stores: dict[int, Path], runs: int, report: Report) -> None:
    env, cwd = checkout.env(), checkout.root
    bare = seconds(timed(checkout.python("-c", "pass"), env, cwd, runs))
    # What status imports does not depend on the tracker's size: listed once, on the plan.
    floors = {form: import_floor(checkout, stores[min(stores)], form) for form in FORMS}
    has_task = shutil.which("task") is not None
    if not has_task:
        report.notes.append("task (Taskwarrior) is not installed: its baseline is skipped.")
    for size, store in stores.items():
        warm = size == min(stores)
        tasks = Taskwarrior.load(checkout.scratch, size) if has_task else None
        task_runs = timed(["task", "overdue"], tasks.env, cwd, runs) if tasks else []
        if tasks is not None:
            ours, theirs = status_overdue(checkout, store), tasks.overdue_count()
            if ours != theirs:
                report.notes.append(f"{size}: status says {ours} overdue, task {theirs}.")
        for form in FORMS:
            status_runs = timed(status_argv(checkout, store, form), env, cwd, runs, warm=warm)
            floor_runs = timed(floors[form], env, cwd, runs, warm=warm)
            status_rows(report, size, form, status_runs, floor_runs, bare, task_runs)
    report.notes.append(
        "import floor: a process that imports every module a status run of that format "
        "loads (listed from a run on the 2008 plan), then exits."
    )
    if has_task:
        report.notes.append(
            "task overdue: the same items imported, each due on its earliest open occurrence "
            "moved by (real today − the bench's today); recurrences not imported; "
            "the overdue counts are checked equal."
        )


def status_rows(
    report: Report,
    size: int,
    form: str,
    status_runs: list[Spawned],
    floor_runs: list[Spawned],
    bare: list[float],
    task_runs: list[Spawned],
) -> None:
    figure = f"status ({form})"
    ours, label = seconds(status_runs), size_label(size)
    report.add(Row(figure, label, ours, bare, "python -c pass"))
    floor_target, floor_check = "", None
    if size == 58:
        floor_target, floor_check = "≤ 1.3×", _ratio_at_most(1.3)
    report.add(
        Row(
            figure,
            label,
            ours,
            seconds(floor_runs),
            "import floor",
            target=floor_target,
            check=floor_check,
        )
    )
    if task_runs:
        limit = 1.0 if form == "json" else 1.5
        target, check = (f"≤ {limit}×", _ratio_at_most(limit)) if size == BIG else ("", None)
        report.add(
            Row(figure, label, ours, seconds(task_runs), "task overdue", target=target, check=check)
        )
    if size == BIG:
        report.add(
            Row(
                f"peak memory, status ({form})",
                label,
                peaks(status_runs),
                peaks(floor_runs),
                "import floor",
                unit="MiB",
            )
        )


def _ratio_at_most(limit: float) -> Callable[[Row], bool]:
    return lambda row: row.ratio is not None and row.ratio <= limit


def _net_at_most(limit_ms: float) -> Callable[[Row], bool]:
    return lambda row: row.net_value * 1000 <= limit_ms


# -- start → last frame ---------------------------------------------------------------


def measure_frames(checkout: Checkout, stores: dict[int, Path], runs: int, report: Report) -> None:
    from pty_frames import run_on_pty

    env, cwd = checkout.env(), checkout.root

    def app(store: Path) -> list[str]:
        ours = scratch_copy(store, "frames")  # the app opens it for writing
        return checkout.python("-c", APP, "--db", str(ours), "--today", TODAY.isoformat())

    def bare(size: int) -> list[str]:
        return checkout.python(str(HERE / "bare_tree.py"), str(size))

    smallest = min(stores)
    run_on_pty(app(stores[smallest]), env, cwd)  # writes the bytecode caches: not counted
    run_on_pty(bare(smallest), env, cwd)
    for size, store in stores.items():
        ours, theirs = [], []
        for _ in range(runs):  # alternate, so a noisy second hits both alike
            ours.append(run_on_pty(app(store), env, cwd))
            theirs.append(run_on_pty(bare(size), env, cwd))
        frame_rows(report, size, ours, theirs)


FRAME_TARGETS = {58: 1.2, BIG: 1.5}
"""Start → last frame, as a ratio to the bare Tree app of the same size."""


def frame_rows(report: Report, size: int, app: list[PtyRun], bare: list[PtyRun]) -> None:
    label = size_label(size)
    limit = FRAME_TARGETS.get(size)
    target, check = (f"≤ {limit}×", _ratio_at_most(limit)) if limit else ("", None)
    report.add(
        Row(
            "start → last frame (pty)",
            label,
            [r.last_frame for r in app],
            [r.last_frame for r in bare],
            "bare Tree app",
            target=target,
            check=check,
        )
    )
    report.add(
        Row(
            "paints at start (frames changing ≥ 2 % of cells)",
            label,
            [float(r.paint_count) for r in app],
            [float(r.paint_count) for r in bare],
            "bare Tree app",
            unit="paints",
            target="1",
            check=lambda row: max(row.ours) == 1,
        )
    )
    if size == BIG:
        report.add(
            Row(
                "peak memory, app",
                label,
                [float(r.peak_kib) for r in app],
                [float(r.peak_kib) for r in bare],
                "bare Tree app",
                unit="MiB",
            )
        )


# -- keys, saves, growth (in a process of the measured checkout) --------------------------


KEY_TARGETS = {"cursor": 6, "o": 50, "search": 50, "escape": 50, "month": 20}
KEY_FIGURES = {
    "cursor": "CPU/key: cursor down",
    "o": "CPU/key: o (overdue only)",
    "search": "CPU/key: search keystroke (worst)",
    "escape": "CPU/key: escape (clear search)",
    "month": "CPU/key: ] (next month)",
    "x": "CPU/key: x (done, saved)",
}


def measure_keys(checkout: Checkout, store: Path, rounds: int, report: Report) -> None:
    copy = scratch_copy(store, "keys")
    found = checkout.run_json(str(HERE / "in_app.py"), "keys", str(copy), SEARCH_WORD, str(rounds))
    app, bare = found["app"], found["bare"]
    assert isinstance(app, dict) and isinstance(bare, dict)
    label = size_label(BIG)
    for key, figure in KEY_FIGURES.items():
        ours = app[key]
        if key == "search":  # the keystroke whose median is worst, over the rounds
            per_letter = list(zip(*ours, strict=True))
            ours = list(max(per_letter, key=median))
            each = ", ".join(
                f"{letter} {median(cpu) * 1000:.0f}"
                for letter, cpu in zip(SEARCH_WORD, per_letter, strict=True)
            )
            report.notes.append(f"search keystrokes typing {SEARCH_WORD!r}, CPU ms: {each}.")
        base, base_label = {
            "cursor": (bare["cursor"], "bare Tree: down"),
            "search": (bare["noop_search"], "bare: no-op key + same wait"),
        }.get(key, (bare["noop"], "bare: no-op key"))
        limit = KEY_TARGETS.get(key)
        report.add(
            Row(
                figure,
                label,
                ours,
                base,
                base_label,
                net=True,
                target=f"net ≤ {limit} ms" if limit else "",
                check=_net_at_most(limit) if limit else None,
            )
        )
    report.add(
        Row(
            "event loop held while x saves",
            label,
            app["x_blocked"],
            target="≤ 16 ms",
            check=lambda row: max(row.ours) * 1000 <= 16,
        )
    )
    report.add(Row("x: press → saved and shown (wall)", label, app["x_wall"]))


def measure_edits(
    checkout: Checkout, stores: dict[int, Path], repeats: Repeats, report: Report
) -> None:
    helper = str(HERE / "in_app.py")
    for size in (1_000, BIG):
        if size not in stores:
            continue
        copy = scratch_copy(stores[size], "edit")
        found = checkout.run_json(helper, "edit", str(copy), str(repeats.edits))
        target, check = ("≤ 1.5×", _ratio_at_most(1.5)) if size == BIG else ("", None)
        report.add(
            Row(
                "one saved edit (wall)",
                size_label(size),
                found["edit"],
                found["floor"],
                "atomic write of the same bytes",
                target=target,
                check=check,
            )
        )
    if 1_000 in stores:
        copy = scratch_copy(stores[1_000], "growth")
        found = checkout.run_json(helper, "growth", str(copy), str(repeats.growth_edits))
        growth_row(report, found["sizes"])


def growth_row(report: Report, sizes: list[int]) -> None:
    """Bytes per edit over the first and the last 50 edits: linear growth keeps them equal."""
    steps = [after - before for before, after in zip(sizes, sizes[1:], strict=False)]
    first, last = [statistics.mean(steps[:50])], [statistics.mean(steps[-50:])]
    report.add(
        Row(
            f"file growth per edit, last 50 of {len(steps)}",
            size_label(1_000),
            last,
            first,
            "first 50 edits",
            unit="B/edit",
            target="≤ 1.1× (linear)",
            check=_ratio_at_most(1.1),
        )
    )


# -- the run --------------------------------------------------------------------------------


def run(root: Path, repeats: Repeats, sections: Sequence[str]) -> Report:
    report = Report()
    with tempfile.TemporaryDirectory(prefix="cicte-bench-") as folder:
        checkout = Checkout(root, Path(folder))
        progress(f"making stores of {', '.join(map(str, SIZES))} items with {root}")
        stores = make_stores(checkout, SIZES)
        steps: dict[str, Callable[[], None]] = {
            "status": lambda: measure_status(checkout, stores, repeats.status, report),
            "frames": lambda: measure_frames(
                checkout, {size: stores[size] for size in (58, BIG)}, repeats.frames, report
            ),
            "keys": lambda: measure_keys(checkout, stores[BIG], repeats.key_rounds, report),
            "edit": lambda: measure_edits(checkout, stores, repeats, report),
        }
        for section, step in steps.items():
            if section in sections:
                start = time.perf_counter()
                progress(f"{section}:")
                step()
                progress(f"  ({time.perf_counter() - start:.0f} s)")
    return report


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats: under a minute")
    parser.add_argument("--root", type=Path, default=CHECKOUT, help="the checkout to measure")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=SECTIONS)
    parser.add_argument(
        "--make-store",
        nargs=2,
        metavar=("N", "PATH"),
        help="write a synthetic tracker of N items to PATH, and stop",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse(sys.argv[1:] if argv is None else argv)
    root = arguments.root.resolve()
    if arguments.make_store:
        count, path = arguments.make_store
        checkout = Checkout(root, Path(tempfile.gettempdir()))
        command = checkout.python(str(HERE / "synthetic.py"), count, path)
        return subprocess.run(command, env=checkout.env()).returncode
    sys.path.insert(0, str(HERE))  # pty_frames, beside this file
    repeats = QUICK if arguments.quick else FULL
    start = time.perf_counter()
    report = run(root, repeats, arguments.only)
    mode = "quick" if arguments.quick else "full"
    title = (
        f"cicte-tui benchmark ({mode}, {time.perf_counter() - start:.0f} s) — {root}, "
        f"today {TODAY}, medians (p90)"
    )
    print(render(report, title))
    return 0


if __name__ == "__main__":
    sys.exit(main())
