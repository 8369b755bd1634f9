"""Cold start (issue 11 item 1): what `gardener --help` and each command's `--help` load.

The import graph is asserted, not the time: a command that imports its stages at module level in
gardener/cli.py (or a stage that pulls in jinja2, PyGithub, junitparser, xml.sax and with it
urllib/http.client/email/ssl) shows up here as a module loaded for nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

from gardener import cli

# Loaded by `--help` of any command: none of these. (click itself, pathlib and re are fine.)
HEAVY = (
    "jinja2", "github", "junitparser", "defusedxml", "xml.sax", "xml.etree.ElementTree", "email", "http.client",
    "ssl", "urllib.request", "sqlite3", "psycopg", "psycopg2", "tomllib", "_hashlib",
    "gardener.pipeline", "gardener.ingest", "gardener.rules", "gardener.classify", "gardener.render",
    "gardener.redact", "gardener.config", "gardener.model", "gardener.github", "gardener.sandbox",
    "gardener.garden", "gardener.actions", "gardener.view",
)

_PROBE = """
import json, sys
sys.argv = ["gardener", *json.loads(sys.argv[1])]
from gardener.cli import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + "\\n")
"""


def loaded_by(*args: str, cwd: Path | None = None) -> tuple[set[str], str]:
    done = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(args)], capture_output=True, text=True,
                          timeout=60, cwd=cwd)
    line = next(x for x in done.stderr.splitlines() if x.startswith("MODULES "))
    return set(json.loads(line.removeprefix("MODULES "))), done.stdout


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


def test_a_usage_error_loads_nothing_either():
    modules, _ = loaded_by("ingest", "--kind", "nope", "x")
    assert not [m for m in HEAVY if m in modules]


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
