"""Every command's `--help` (and `--version` and a few usage errors), as the entry point prints them: pinned.

Cold-start work (issue 11 item 1) defers imports and replaces what click loads for `--help`; none of it may
change a character of the help. The golden file holds each command's help at three terminal widths: no
terminal (click's 80 columns), COLUMNS=60, and COLUMNS=20 (click's floor of 50), one fresh
interpreter per width, so that the width click computes is the one a user's first `--help` gets.
Regenerate on purpose with GARDENER_UPDATE_GOLDEN=1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_cli_imports import command_paths

GOLDEN = Path(__file__).resolve().parent / "golden" / "cli-help.txt"

# Beside the helps: the version, and usage errors (click's text on stderr, through cli._show).
OTHERS = (["--version"], ["ingest"], ["ingest", "--kind", "nope", "x"], ["nope"], ["history", "show"],
          ["run", "--fail-on", "P9"])

_PROBE = """
import contextlib, io, json, sys
from gardener.cli import main
for words in json.loads(sys.argv[1]):
    sys.argv = ["gardener", *words]
    out, err, code = io.StringIO(), io.StringIO(), 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main()
        except SystemExit as exc:
            code = exc.code
    print("==== gardener " + " ".join(words) + f" (exit {code})")
    print(out.getvalue(), end="")
    if err.getvalue():
        print("---- stderr")
        print(err.getvalue(), end="")
"""


def help_texts(columns: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    if columns is not None:
        env["COLUMNS"] = columns
    words = [[*w, "--help"] for w in command_paths()] + [list(o) for o in OTHERS]
    done = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(words)], capture_output=True, text=True,
                          timeout=120, env=env, check=True)
    return done.stdout


def test_every_help_text_is_unchanged():
    text = "".join(f"######## COLUMNS={c or '(unset, not a terminal)'}\n{help_texts(c)}" for c in (None, "60", "20"))
    if os.environ.get("GARDENER_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(text, encoding="utf-8")
    assert GOLDEN.exists(), f"missing golden file {GOLDEN}; run with GARDENER_UPDATE_GOLDEN=1"
    assert text == GOLDEN.read_text(encoding="utf-8"), "a help text changed; GARDENER_UPDATE_GOLDEN=1 if intended"


def test_the_width_follows_columns():
    # The pin above would not notice a width rule that ignores COLUMNS if every text fit in 58 columns.
    lines = [line for line in help_texts("60").splitlines() if not line.startswith(("====", "Error:"))]
    assert max(len(line) for line in lines) <= 58  # click's width: COLUMNS - 2


@pytest.mark.parametrize("columns", [None, "", "abc", "0", "-3", "1", "72", "500"])
def test_terminal_columns_is_what_shutil_says(monkeypatch, columns):
    import shutil

    from gardener.cli_click import terminal_columns

    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    assert terminal_columns() == shutil.get_terminal_size().columns


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal")
def test_on_a_terminal_help_is_laid_out_at_its_width(tmp_path):
    # The user's case: no COLUMNS, stdout a terminal 66 columns wide; the same text as COLUMNS=66 gives.
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 66, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    proc = subprocess.Popen([sys.executable, "-m", "gardener", "run", "--help"], stdout=slave, stderr=slave,
                            env=env, cwd=tmp_path)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert proc.wait(timeout=60) == 0
    on_terminal = b"".join(chunks).decode().replace("\r\n", "\n")
    piped = subprocess.run([sys.executable, "-m", "gardener", "run", "--help"], capture_output=True, text=True,
                           env=env | {"COLUMNS": "66"}, cwd=tmp_path, check=True).stdout
    assert on_terminal == piped
    assert max(len(line) for line in piped.splitlines()) <= 64
