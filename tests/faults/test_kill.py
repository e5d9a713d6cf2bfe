"""kill -9 of a writer at random points: the file is always one whole version, never half.

Each round starts a writer (a loop of edits, or of ``import --replace``) that
reports what it is about to write, each step of a write (the temporary file
opened, synced, renamed, the folder synced) and what it has written, and waits
after each report until the test lets it go on. The test kills it with SIGKILL
at a report picked by a seeded random generator, so that each round kills at
the same step every time; then it checks that the file is byte for byte the
last version written or the one being written, and that the next open loads it
and leaves none of our temporary files behind.
"""

from __future__ import annotations

import hashlib
import random
import time
from dataclasses import replace
from pathlib import Path

from store.backups import rotating_backups
from store.files import stale_temp_files
from store.repository import Tracker
from store.storage import read_document
from tests.faults.conftest import KEY, Child, python, temp_files

ROUNDS = 100
SEED = 20081103

STEPS = ("fdopen", "fsync", "replace", "open")
"""The os calls of one atomic write, in order: the temporary file opened for writing (it
exists, empty), synced (written whole), renamed over the file, the folder opened to sync."""

WRITER = """
import hashlib, itertools, os, sys
from dataclasses import replace
from pathlib import Path

import store.backups, store.files, store.storage

path, mode, tag, key = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
exports = sys.argv[6:]
report = os.dup(1)
sys.stdout = open(os.devnull, "w")  # the CLI's own output must not mix with the reports

def tell(line):  # report, then wait until the test says go on (it may kill us instead)
    os.write(report, line.encode() + b"\\n")
    if not sys.stdin.buffer.readline():
        os._exit(1)  # the test is gone

class Stepping:  # store.files' os module, reporting each step of an atomic write before it

    def __getattr__(self, name):
        call = getattr(os, name)
        if name not in STEPS:
            return call

        def step(*args, **kwargs):
            tell(f"step {name}")
            return call(*args, **kwargs)

        return step

STEPS = set(sys.argv[5].split(","))
store.files.os = Stepping()

def announcing(what, write):
    def announced(target, content, **kwargs):
        tell(f"{what} {hashlib.sha256(content).hexdigest()}")
        return write(target, content, **kwargs)
    return announced

store.backups.atomic_write_bytes = announcing("backup", store.backups.atomic_write_bytes)
store.storage.atomic_write_bytes = announcing("writing", store.storage.atomic_write_bytes)

if mode == "edit":
    from store.repository import Tracker

    with Tracker.open(path) as tracker:
        tell("open")
        for n in itertools.count(1):
            tracker.save_obligation(replace(tracker.find(key), owner=f"{tag}-{n}"))
            tell(f"saved {n}")
else:
    from tui.cli.parser import main

    for n in itertools.count(1):
        code = main(["import", "--replace", exports[n % 2], "--db", str(path)])
        tell(f"saved {n}" if code == 0 else f"failed {code}")
"""


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _exports(tmp_path: Path) -> list[str]:
    """Two JSON exports that differ in the edited item's owner (import-0, import-1)."""
    from store.formats.exchange import export_json

    made = []
    for number in range(2):
        scratch = tmp_path / f"scratch-{number}" / "tracker.json"
        with Tracker.open(scratch) as tracker:
            item = tracker.obligation(KEY)
            tracker.save_obligation(replace(item, owner=f"import-{number}"))
            text = export_json(tracker.raw_document())
        export = tmp_path / f"export-{number}.json"
        export.write_text(text, "utf-8")
        made.append(str(export))
    return made


def stop_at(writer: Child, mark: str | tuple[str, ...], count: int, step: str | None) -> None:
    """Let the writer go on, report by report, up to its ``count``-th report starting with
    ``mark`` and then, when ``step`` is given, to that write's ``step``: it waits there."""
    seen = 0
    while True:
        line = writer.expect("")
        seen += line.startswith(mark)
        if seen == count and (step is None or line == f"step {step}"):
            return
        writer.go_on()


def _owner_of_version(mode: str, tag: str, number: int) -> str:
    return f"{tag}-{number}" if mode == "edit" else f"import-{number % 2}"


def test_a_writer_killed_at_random_points_leaves_a_whole_version(tmp_path: Path) -> None:
    path = tmp_path / "data" / "tracker.json"
    Tracker.open(path).close()
    exports = _exports(tmp_path)
    rng = random.Random(SEED)
    owner = ""
    kills_mid_write = kills_mid_backup = 0
    started = time.monotonic()
    for round_number in range(ROUNDS):
        mode = "import" if round_number % 3 == 2 else "edit"
        tag = f"r{round_number}"
        before = path.read_bytes()
        writer = Child(
            python(WRITER, str(path), mode, tag, KEY, ",".join(STEPS), *exports), stdin=True
        )
        point = rng.choice(("backup", "writing", "writing", "saved", "saved"))
        # Where in the write the kill lands: before it starts, or before one of its steps.
        step = None if point == "saved" else rng.choice((None, *STEPS))
        if point == "backup" and mode == "import":
            # Each import opens the tracker and backs up the previous import's file.
            stop_at(writer, "backup", 1, step)
        elif point == "backup":  # an edit loop backs up only at open, when the file is new
            stop_at(writer, ("backup", "writing"), 1, step)
        else:
            stop_at(writer, point, rng.randint(1, 3), step)
        writer.kill()

        # The file: the last version written whole, or the one being written, byte for byte.
        saved = [int(line.split()[1]) for line in writer.lines if line.startswith("saved ")]
        written = [line.split()[1] for line in writer.lines if line.startswith("writing ")]
        last = saved[-1] if saved else 0
        versions = {_digest(before): owner}
        if saved:
            versions = {written[last - 1]: _owner_of_version(mode, tag, last)}
        if len(written) > last:
            versions[written[last]] = _owner_of_version(mode, tag, last + 1)
        content = path.read_bytes()
        assert _digest(content) in versions, (
            f"round {round_number} ({mode}, killed at {point} {step}): the file is neither "
            f"the version saved before the kill nor the one being written ({len(content)} bytes)"
        )
        owner = versions[_digest(content)]
        kills_mid_write += bool(stale_temp_files(path))
        kills_mid_backup += any(".bak." in name for name in temp_files(path.parent))

        # The next open loads that version and removes what the kill left behind.
        with Tracker.open(path) as tracker:
            assert tracker.find(KEY).owner == owner  # type: ignore[union-attr]
            assert temp_files(path.parent) == [], f"round {round_number}: temporary files left"
            if saved and mode == "edit":
                assert f"process {writer.pid}" in " ".join(tracker.notices)
        assert "Traceback" not in writer.stderr, writer.stderr

    # The kills must really land inside writes, or this test proves nothing.
    assert kills_mid_write > 0, "no kill landed while a temporary file existed"
    kept = rotating_backups(path)
    assert 0 < len(kept) <= 5
    for backup in kept:
        assert read_document(backup.path) is not None
    elapsed = time.monotonic() - started
    print(
        f"{ROUNDS} kills in {elapsed:.1f} s: {kills_mid_write} mid-write, "
        f"{kills_mid_backup} mid-backup"
    )
