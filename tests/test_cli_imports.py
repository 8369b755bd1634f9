"""Cold start (issue 11 item 1): what `gardener --help` and each command's `--help` load.

The import graph is asserted, not the time: a command that imports its stages at module level in
gardener/cli.py (or a stage that pulls in jinja2, PyGithub, junitparser, xml.sax and with it
urllib/http.client/email/ssl) shows up here as a module loaded for nothing.
"""

from __future__ import annotations

import functools
import subprocess
import sys
from pathlib import Path

import click
import pytest

from gardener import cli

# Loaded by `--help` of any command: none of these (the allow-list below says it more strictly; this says why).
HEAVY = (
    "jinja2", "github", "junitparser", "defusedxml", "xml.sax", "xml.etree.ElementTree", "email", "http.client",
    "ssl", "urllib.request", "sqlite3", "psycopg", "psycopg2", "tomllib", "_hashlib",
    "gardener.pipeline", "gardener.ingest", "gardener.rules", "gardener.classify", "gardener.render",
    "gardener.redact", "gardener.config", "gardener.model", "gardener.github", "gardener.sandbox",
    "gardener.garden", "gardener.actions", "gardener.view", "gardener.errors", "gardener.dataclass_code",
    "gardener.cli_run_history",
)
# All of gardener that `--help` and a usage error load: the command tree, the name escaping of errors and the exit
# freeze the entry point sets (exit_gc, with the built-in atexit and gc modules).
CLI_MODULES = {"gardener", "gardener.cli", "gardener.cli_click", "gardener.cli_history", "gardener.shown",
               "gardener.exit_gc", "atexit", "gc"}
# Beyond those, only what click itself loads for the same: a group and a command with the option types
# gardener uses, `--help`, `--version` and a usage error (the reference app below). The reference is told
# its help width, as cli_click.GardenerContext works it out without shutil (and with it zlib, bz2, lzma),
# which click's HelpFormatter imports when it has to find the width itself (click 8.1 imports it anyway).

# The probe imports nothing before the entry point, so that sys.modules is what the command loaded.
_PROBE = """
import sys
sys.argv = ["gardener", *sys.argv[1:]]
from gardener.cli import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write("\\nMODULES " + " ".join(sorted(sys.modules)) + "\\n")
"""

_CLICK_ALONE = """
import sys
import click

@click.group(context_settings={"help_option_names": ["-h", "--help"], "terminal_width": int(sys.argv[1])})
@click.version_option("1", prog_name="app")
def app():
    "An app."

@app.command("cmd")
@click.option("--kind", type=click.Choice(["a", "b"]), default="a", show_default=True, help="Kind.")
@click.option("--path", type=click.Path(dir_okay=False), help="A path.")
@click.option("--count", type=int, default=0, show_default=True, help="A count.")
@click.option("--flag", is_flag=True, envvar="APP_FLAG", help="A flag.")
@click.argument("paths", nargs=-1, required=True)
def cmd(kind, path, count, flag, paths):
    "A command."

for words in (["--help"], ["cmd", "--help"], ["--version"], ["cmd", "--kind", "c", "x"], ["nope"]):
    try:
        app.main(words, prog_name="app", standalone_mode=False)
    except click.ClickException as exc:
        exc.show()
    except click.exceptions.Exit:
        pass
sys.stderr.write("\\nMODULES " + " ".join(sorted(sys.modules)) + "\\n")
"""


def _modules(done: subprocess.CompletedProcess[str]) -> set[str]:
    line = next(x for x in done.stderr.splitlines() if x.startswith("MODULES "))
    return set(line.removeprefix("MODULES ").split())


def loaded_by(*args: str, cwd: Path | None = None) -> tuple[set[str], str]:
    done = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, timeout=60,
                          cwd=cwd)
    return _modules(done), done.stdout


@functools.cache
def click_alone(width: int = 78) -> frozenset[str]:
    """What a plain click app told its help width loads for its `--help`, `--version` and a usage error."""
    done = subprocess.run([sys.executable, "-c", _CLICK_ALONE, str(width)], capture_output=True, text=True,
                          timeout=60)
    return frozenset(_modules(done))


@functools.cache
def at_start() -> frozenset[str]:
    """What this interpreter loads before any code runs: a site-packages `.pth` file may load pathlib, zipfile or
    importlib's readers itself (this machine's certificate hook does), which no command can avoid."""
    done = subprocess.run([sys.executable, "-c", 'import sys; sys.stderr.write("MODULES " + " ".join(sys.modules))'],
                          capture_output=True, text=True, timeout=60)
    return frozenset(_modules(done))


def beyond_click(modules: set[str]) -> list[str]:
    """What a command loaded that neither the CLI's own modules nor click alone account for."""
    return sorted(modules - click_alone() - CLI_MODULES)


def command_paths(group: click.Group = cli.cli, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command and group, as the words that name it (`("rules", "check")`)."""
    found: list[tuple[str, ...]] = [prefix]
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found += command_paths(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


@pytest.mark.parametrize("words", command_paths(), ids=lambda w: " ".join(w) or "gardener")
def test_help_loads_no_stage_and_no_heavy_library(words):
    modules, out = loaded_by(*words, "--help")
    assert "Usage:" in out
    assert not [m for m in HEAVY if m in modules]
    # Issue 11 item 1's cold start: nothing but click and the CLI's own modules (no json, pathlib,
    # dataclasses, datetime's users, nor the stages' error types).
    assert not beyond_click(modules)


@pytest.mark.parametrize("words", [["ingest", "--kind", "nope", "x"], ["nope"], ["run", "--fail-on", "P9"],
                                   ["--version"]])
def test_a_usage_error_or_the_version_loads_nothing_either(words):
    modules, _ = loaded_by(*words)
    assert not [m for m in HEAVY if m in modules]
    assert not beyond_click(modules)


def test_the_allow_list_is_no_wider_than_needed():
    # The reference app loads what click needs and nothing gardener avoids; if click itself starts loading
    # one of these, this pins it (and the guards above stop meaning what they say).
    by_click = click_alone() - at_start()
    assert not [m for m in ("json", "pathlib", "dataclasses", "jinja2", "sqlite3", "gardener") if m in by_click]


def test_help_finds_its_width_without_shutil_where_click_allows():
    if "shutil" in click_alone():
        pytest.skip("this click imports shutil for any help (click 8.1)")
    modules, out = loaded_by("run", "--help")
    assert "Usage:" in out and "shutil" not in modules


# What a local `gardener run` (no repository, no GitHub run, history off) never needs: PyGithub and the
# network, the sandbox, a database, the GitHub-run reader, the JUnit writer, and XML or junitparser when no
# JUnit file is read (the bundled example is three text logs).
NOT_FOR_A_LOCAL_RUN = (
    "github", "gardener.github.client", "gardener.sandbox", "gardener.sources", "gardener.run_source",
    "gardener.writeback", "gardener.demo", "requests", "urllib3", "http.client", "ssl", "socket",
    "urllib.request", "email", "sqlite3", "sqlalchemy", "psycopg", "psycopg2", "gardener.history.store",
    "gardener.over_time", "junitparser", "defusedxml", "xml.sax", "xml.etree.ElementTree",
    "gardener.ingest.junit.collect", "gardener.ingest.junit.read",
    # Nor what only a tracker, GitHub Actions or --execute uses: the issue drafts and writes, the annotations
    # and the workflow-command token (secrets, hmac), starting a command (subprocess).
    "gardener.garden.apply", "gardener.garden.drafts", "gardener.actions.annotations", "secrets", "hmac",
    "gardener.ingest.commands.process_run", "gardener.ingest.commands.command_line", "subprocess",
)


def _example_run(tmp_path: Path, *extra: str) -> tuple[set[str], str]:
    example = Path(cli.__file__).parent / "examples" / "seed-websocket"
    return loaded_by("run", "--config", str(example / "gardener.toml"), "--focus", "websocket",
                     "--out", str(tmp_path / "out"), *extra, cwd=tmp_path)


def test_run_without_a_repository_never_loads_pygithub_the_sandbox_or_a_database(tmp_path):
    modules, out = _example_run(tmp_path)
    assert "3 finding(s)" in out
    assert "jinja2" in modules  # it renders: that is what it is for
    assert not [m for m in NOT_FOR_A_LOCAL_RUN if m in modules]


def test_a_run_recording_history_in_sqlite_loads_neither_postgresql_nor_github(tmp_path, monkeypatch):
    monkeypatch.delenv("GARDENER_NO_HISTORY")
    modules, out = _example_run(tmp_path, "--history", str(tmp_path / "h.sqlite"))
    assert "3 finding(s)" in out and (tmp_path / "h.sqlite").is_file()
    assert "sqlite3" in modules and "gardener.history.store" in modules  # it records: that is what the store is for
    assert not [m for m in ("psycopg", "psycopg2", "github", "junitparser", "gardener.sandbox", "http.client")
                if m in modules]


def test_recording_history_in_sqlite_loads_no_sqlalchemy(tmp_path, monkeypatch):
    # Issue 11 target 1: importing SQLAlchemy alone cost ~150 ms, more than half of a default `run`; the store
    # is on the DB-API (sqlite3 here) with one SQL path.
    monkeypatch.delenv("GARDENER_NO_HISTORY")
    modules, out = _example_run(tmp_path, "--history", str(tmp_path / "h.sqlite"))
    assert "3 finding(s)" in out and "gardener.history.store" in modules
    assert not [m for m in modules if m.split(".")[0] == "sqlalchemy"]


def test_a_run_reading_junit_does_load_the_junit_reader(tmp_path):
    report = tmp_path / "report.xml"
    report.write_text('<testsuite name="s" tests="1"><testcase classname="c" name="t">'
                      '<failure message="boom">boom</failure></testcase></testsuite>', encoding="utf-8")
    modules, out = loaded_by("run", str(report), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert "1 finding(s)" in out
    assert "gardener.ingest.junit.collect" in modules  # the guard above is about need, not a broken reader


def test_the_cli_choices_are_the_stages_own():
    from gardener.ingest import KINDS
    from gardener.model import PRIORITIES

    assert cli.KIND_CHOICES == KINDS
    assert cli.PRIORITY_CHOICES == PRIORITIES


@pytest.mark.parametrize("command", ["ingest", "classify", "explain"])
def test_reading_and_classifying_never_load_templates_github_or_a_database(command, tmp_path):
    example = Path(cli.__file__).parent / "examples" / "seed-websocket" / "unified-test-runner.log"
    modules, out = loaded_by(command, str(example), cwd=tmp_path)
    assert out.strip()
    assert not [m for m in ("jinja2", "github", "sqlite3", "psycopg", "psycopg2", "gardener.render",
                            "gardener.pipeline", "gardener.garden", "gardener.sandbox") if m in modules]
