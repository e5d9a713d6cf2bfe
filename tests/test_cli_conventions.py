"""The command-line conventions: --version, --no-color, shell completion, the man page,
one-line errors and the exit codes that the README documents."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from importlib.metadata import version
from pathlib import Path

import pytest

from store.repository import Tracker
from tests.conftest import modules_loaded_by
from tui.cli import exit_codes
from tui.cli.completion import SHELLS
from tui.cli.parser import build_parser
from tui.launch import main

README = Path(__file__).resolve().parents[1] / "README.md"
ESC = "\x1b"


def cicte(*argv: str, env: dict[str, str] | None = None, **options) -> subprocess.CompletedProcess:
    """The real command, in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "tui", *argv],
        text=True,
        timeout=60,
        env=env,
        **({"capture_output": True} | options),
    )


def commands() -> list[str]:
    """Every top-level command the parser knows."""
    parser = build_parser()
    [subparsers] = [a for a in parser._actions if a.dest == "command"]
    return list(subparsers.choices)


# -- --version ------------------------------------------------------------------------


def test_version_prints_the_installed_package_version():
    result = cicte("--version")
    assert result.returncode == exit_codes.EXIT_OK
    assert result.stdout == f"cicte-tui {version('cicte-tui')}\n"
    assert result.stderr == ""


def test_version_into_a_full_output_is_one_line_and_exit_5():
    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full")
    with open("/dev/full", "w") as full:
        result = cicte("--version", stdout=full, stderr=subprocess.PIPE, capture_output=False)
    assert result.returncode == exit_codes.EXIT_OUTPUT
    assert result.stderr.splitlines() == [
        "cicte-tui: cannot write to standard output: No space left on device"
    ]


# -- --no-color -----------------------------------------------------------------------


def colour_env(**extra: str) -> dict[str, str]:
    """An environment that makes Rich colour even into a pipe."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return env | {"FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "120"} | extra


STATUS = ("status", "--today", "2008-10-15")  # 1.ii and more are overdue: red rows


def test_forced_colour_does_colour_the_status_table(db_path):
    """The premise of the tests below: FORCE_COLOR does make Rich write escapes here."""
    result = cicte(*STATUS, "--db", str(db_path), env=colour_env())
    assert result.returncode == 0 and ESC in result.stdout


@pytest.mark.parametrize(
    "argv",
    [
        ("--no-color", *STATUS),  # before the command
        (*STATUS, "--no-color"),  # or after it
    ],
)
def test_no_color_leaves_no_escape_in_the_status_table_even_when_forced(db_path, argv):
    result = cicte(*argv, "--db", str(db_path), env=colour_env())
    assert result.returncode == 0
    assert "! OVERDUE" in result.stdout  # the words say what the red said
    assert ESC not in result.stdout and ESC not in result.stderr


def test_the_no_color_variable_does_the_same(db_path):
    result = cicte(*STATUS, "--db", str(db_path), env=colour_env(NO_COLOR="1"))
    assert result.returncode == 0 and "! OVERDUE" in result.stdout
    assert ESC not in result.stdout


def test_no_color_on_a_real_terminal(db_path):
    """A pseudo-terminal, not a pipe: Rich would colour; --no-color still writes plain text."""

    def on_a_terminal(*flags: str) -> str:
        leader, follower = os.openpty()
        env = {k: v for k, v in colour_env().items() if k != "FORCE_COLOR"}
        process = subprocess.Popen(
            [sys.executable, "-m", "tui", *STATUS, *flags, "--db", str(db_path)],
            stdin=subprocess.DEVNULL,
            stdout=follower,
            stderr=subprocess.PIPE,
            env=env,
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the command has closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
        assert process.wait(timeout=60) == 0
        return b"".join(chunks).decode("utf-8")

    assert ESC in on_a_terminal()
    plain = on_a_terminal("--no-color")
    assert ESC not in plain and "! OVERDUE" in plain


def test_no_color_reaches_the_app_through_the_environment(db_path, monkeypatch):
    """Textual reads NO_COLOR as the App is made: --no-color sets it just for the app's run."""
    import tui.app

    monkeypatch.delenv("NO_COLOR", raising=False)
    seen: dict[str, object] = {}

    def run(options, when_no_terminal):
        seen["variable"] = os.environ.get("NO_COLOR")
        with options.open_tracker(read_only=True) as tracker:
            app = tui.app.CicteApp(tracker, options.outlook, options.today_source)
        seen["monochrome"] = app.no_color
        return exit_codes.EXIT_OK

    monkeypatch.setattr(tui.app, "run", run)
    assert main(["--no-color", "--db", str(db_path), "--today", "2008-06-15"]) == 0
    assert seen == {"variable": "1", "monochrome": True}
    assert "NO_COLOR" not in os.environ  # given back as it was

    seen.clear()
    assert main(["--db", str(db_path), "--today", "2008-06-15"]) == 0
    assert seen == {"variable": None, "monochrome": False}


# -- shell completion ----------------------------------------------------------------


@pytest.fixture(scope="module")
def bash_script(tmp_path_factory) -> Path:
    result = cicte("completion", "bash")
    assert result.returncode == 0 and result.stderr == ""
    path = tmp_path_factory.mktemp("completion") / "cicte-tui.bash"
    path.write_text(result.stdout, "utf-8")
    return path


def test_the_bash_completion_script_is_valid_bash(bash_script):
    result = subprocess.run(["bash", "-n", str(bash_script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def bash_completes(script: Path, line: str) -> list[str]:
    """What bash offers for ``line`` (ending where the cursor is) with the script loaded."""
    words = line.split(" ")
    probe = (
        f"source {script}\n"
        f"COMP_WORDS=({' '.join(repr(w) for w in words)})\n"
        f"COMP_CWORD={len(words) - 1}\n"
        f"COMP_LINE={line!r}; COMP_POINT=${{#COMP_LINE}}\n"
        "_shtab_cicte_tui\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    result = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_bash_completes_commands_options_and_choices(bash_script):
    assert bash_completes(bash_script, "cicte-tui st") == ["status"]
    assert set(bash_completes(bash_script, "cicte-tui ")) >= set(commands())
    assert "--no-color" in bash_completes(bash_script, "cicte-tui status --no")
    assert bash_completes(bash_script, "cicte-tui status --format ") == [
        "table",
        "markdown",
        "json",
    ]
    assert bash_completes(bash_script, "cicte-tui completion ") == list(SHELLS)
    assert bash_completes(bash_script, "cicte-tui plan ") == ["new", "list", "set"]


def test_bash_offers_files_for_paths(bash_script):
    text = bash_script.read_text("utf-8")
    assert "_shtab_cicte_tui_status___db_COMPGEN=_shtab_compgen_files" in text
    assert "_shtab_cicte_tui_import_pos_0_COMPGEN=_shtab_compgen_files" in text


def test_the_zsh_completion_script_names_every_command():
    result = cicte("completion", "zsh")
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith("#compdef cicte-tui")
    for command in commands():
        assert re.search(rf"^ +{command}:'", result.stdout, re.MULTILINE), command
    if zsh := shutil.which("zsh"):
        check = subprocess.run([zsh, "-n"], input=result.stdout, capture_output=True, text=True)
        assert check.returncode == 0, check.stderr


def test_an_unknown_shell_is_one_line_and_exit_2():
    result = cicte("completion", "fish")
    assert result.returncode == exit_codes.EXIT_USAGE and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert "invalid choice: 'fish'" in line


@pytest.mark.parametrize("argv", [["completion", "bash"], ["man"]])
def test_completion_and_the_man_page_load_no_textual(argv):
    assert modules_loaded_by(argv) == (0, "[]")


# -- the man page ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def man_page(tmp_path_factory) -> Path:
    result = cicte("man")
    assert result.returncode == 0 and result.stderr == ""
    path = tmp_path_factory.mktemp("man") / "cicte-tui.1"
    path.write_text(result.stdout, "utf-8")
    return path


def roff(text: str) -> str:
    """Text as argparse-manpage writes it: hyphens escaped."""
    return text.replace("-", "\\-")


def test_the_man_page_is_roff_with_every_command_and_exit_status(man_page):
    page = man_page.read_text("utf-8")
    assert page.startswith('.TH CICTE\\-TUI "1"')
    assert roff(f"cicte-tui {version('cicte-tui')}") in page.splitlines()[0]
    for command in commands():
        assert f".SS \\fB{roff(f'cicte-tui {command}')}" in page, command
    for option in ("--version", "--no-color", "--db", "--fail-on-overdue"):
        assert roff(option) in page
    for heading in ("SYNOPSIS", "COMMANDS", "EXIT STATUS", "ENVIRONMENT", "FILES"):
        assert re.search(rf"^\.SH\s+{heading}$", page, re.MULTILINE), heading
    exit_section = page.partition(".SH EXIT STATUS\n")[2].partition(".SH")[0]
    listed = {int(code) for code in re.findall(r"^\.B (\d+)$", exit_section, re.MULTILINE)}
    assert listed == documented_codes()


def test_man_reads_the_page(man_page):
    if not shutil.which("man"):
        pytest.skip("needs man")
    env = os.environ | {"MANPAGER": "cat", "MANWIDTH": "100", "LC_ALL": "C.UTF-8"}
    result = subprocess.run(
        ["man", "-l", str(man_page)], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "CICTE-TUI(1)" in result.stdout
    for words in ("SYNOPSIS", "EXIT STATUS", "cicte-tui status", "cicte-tui completion"):
        assert words in result.stdout


# -- exit codes: the README's table, each one produced -----------------------------------


def documented_codes() -> set[int]:
    return {
        value
        for name, value in vars(exit_codes).items()
        if name.startswith("EXIT_") and isinstance(value, int)
    }


def readme_section(heading: str) -> str:
    """The README's lines under ``heading``, up to the next heading of its level or higher
    (a ``#`` comment in a code block is not a heading)."""
    level = len(heading.split(" ")[0])
    lines = README.read_text("utf-8").splitlines()
    section, fenced = [], False
    for line in lines[lines.index(heading) + 1 :]:
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced and re.match(rf"#{{1,{level}}} ", line):
            break
        section.append(line)
    return "\n".join(section)


def test_the_readme_table_lists_exactly_the_exit_codes():
    table = readme_section("### Exit codes")
    listed = {int(code) for code in re.findall(r"^\| (\d+) \|", table, re.MULTILINE)}
    assert listed == documented_codes()


def one_error_line(result: subprocess.CompletedProcess) -> str:
    [line] = result.stderr.splitlines()
    assert line.startswith("cicte-tui") and "Traceback" not in line
    return line


def test_exit_0_and_1(db_path):
    assert cicte("status", "--db", str(db_path), "--today", "2008-06-15").returncode == 0
    result = cicte("status", "--fail-on-overdue", "--db", str(db_path), "--today", "2008-10-15")
    assert result.returncode == exit_codes.EXIT_OVERDUE and "! OVERDUE" in result.stdout


@pytest.mark.parametrize(
    "argv",
    [
        ["--bogus"],
        ["no-such-command"],
        ["status", "--today", "2008-02-30"],
        ["status", "--format", "x\ny\x1b[2J"],  # what was typed, on one line, no escape
        ["plan"],
    ],
)
def test_exit_2_usage_is_one_line(db_path, argv):
    result = cicte(*argv, "--db", str(db_path))
    assert result.returncode == exit_codes.EXIT_USAGE
    assert ESC not in one_error_line(result)


def test_exit_3_a_corrupt_tracker(db_path):
    db_path.write_text("{broken", "utf-8")
    result = cicte("status", "--db", str(db_path))
    assert result.returncode == exit_codes.EXIT_STORE
    assert str(db_path) in one_error_line(result)


def test_exit_4_the_tracker_is_locked(db_path):
    with Tracker.open(db_path):
        result = cicte("note", "1.i", "hello", "--db", str(db_path), "--today", "2008-06-15")
    assert result.returncode == exit_codes.EXIT_LOCKED
    assert "another cicte-tui is editing" in one_error_line(result)


def test_exit_5_standard_output_closed(db_path):
    command = [sys.executable, "-m", "tui", "status", "--db", str(db_path)]
    result = subprocess.run(
        ["sh", "-c", '"$@" >&-', "sh", *command], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == exit_codes.EXIT_OUTPUT
    assert "cannot write to standard output" in one_error_line(result)


def test_exit_6_an_internal_error(db_path, tmp_path):
    """A bug stands in for a real one: the command's own run fails inside a real process."""
    probe = (
        "import sys, tui.cli.parser as cli, tui.cli.status as status\n"
        "def broken(*args, **kwargs):\n"
        "    raise RuntimeError('a bug')\n"
        "status.status_report = broken\n"
        f"sys.exit(cli.main(['status', '--db', {str(db_path)!r}]))\n"
    )
    env = os.environ | {"XDG_STATE_HOME": str(tmp_path / "state")}
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == exit_codes.EXIT_INTERNAL
    assert "internal error" in one_error_line(result)


def test_exit_130_interrupted(tmp_path):
    """Ctrl-C while `import` waits on a pipe that nobody writes to."""
    pipe = tmp_path / "export.json"
    os.mkfifo(pipe)
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "import", str(pipe), "--db", str(tmp_path / "t.json")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    writer = open_when_read(pipe, process)
    try:
        process.send_signal(signal.SIGINT)
    finally:
        # End of file: a command that took the signal just before it began to read is
        # woken by it, and then stops on the signal as it would have while reading.
        os.close(writer)
    out, err = process.communicate(timeout=60)
    assert process.returncode == exit_codes.EXIT_INTERRUPTED
    assert "Traceback" not in err and out == ""
    assert not (tmp_path / "t.json").exists()


def open_when_read(pipe: Path, reader: subprocess.Popen, within: float = 60) -> int:
    """The writing end of ``pipe``, opened once ``reader`` has opened the other (opening a
    FIFO for writing blocks until then). A reader that ends first, or not within
    ``within`` seconds, fails the test."""
    gave_up = threading.Event()

    def release_unless_read() -> None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            reader.wait(timeout=within)
        gave_up.set()
        with contextlib.suppress(OSError):  # a reader of our own lets the open return
            os.close(os.open(pipe, os.O_RDONLY | os.O_NONBLOCK))

    threading.Thread(target=release_unless_read, daemon=True).start()
    writer = os.open(pipe, os.O_WRONLY)
    if gave_up.is_set():
        os.close(writer)
        reader.kill()
        pytest.fail(f"the command did not read the pipe: {reader.communicate()}")
    return writer


# -- the README's first command ---------------------------------------------------------


def test_the_readme_first_command_uses_a_throwaway_tracker():
    section = readme_section("## Two commands")
    first_block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    first_command = next(
        line for line in first_block.splitlines() if line and not line.startswith("#")
    )
    assert "cicte-tui --db /tmp/" in first_command and "--today 2008-06-15" in first_command
    for needed in ("Python 3.11", "python3-venv", "sudo apt install python3-venv", "tmux"):
        assert needed in section
    assert re.search(r"about \d+.\d+ minutes", section)
