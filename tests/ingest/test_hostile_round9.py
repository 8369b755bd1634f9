"""Round 9 (fuzz-9): hostile inputs found by a fresh generator run over the current readers, one
reproducer per defect, through the real CLI where a user meets it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ingest.test_hostile_inputs import GOOD, SESSION, _test_report, assert_bounded, good_counted, run_cli

# A JSON `\ud800` escape decodes to a lone surrogate, which no UTF-8 output can hold: every command
# crashed writing it (exit 3), losing every other file of the run.

@pytest.mark.parametrize("command", ["ingest", "classify", "run"])
def test_a_lone_surrogate_escape_in_a_report_log_is_no_crash(tmp_path: Path, command: str) -> None:
    (tmp_path / "good.xml").write_text(GOOD)
    entry = json.dumps(_test_report(nodeid="t.py::test_\ud800x", longrepr="E boom \udfff"))
    (tmp_path / "r.json").write_text(json.dumps(SESSION) + "\n" + entry + "\n", encoding="ascii")
    extra = ("--no-history",) if command == "run" else ()
    code, report, err, seconds, rss = run_cli(*extra, "r.json", "good.xml", cwd=tmp_path, command=command)
    assert "unexpected error" not in err and "Traceback" not in err
    assert_bounded(code, seconds, rss)
    if command == "ingest":
        good_counted(report)
        assert any(r["id"].startswith("t.py::test_") and r["outcome"] == "failed" for r in report["results"])


TOKEN = "ghp_Zq9Xw7V3fuzzTOKENbody0000000000001"


def _gardener(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "GARDENER_NO_HISTORY"}  # the suite turns history off
    return subprocess.run([sys.executable, "-m", "gardener", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, check=False, env=env)


# The history store kept test names and finding titles as the report gave them, and `gardener history
# flaky` / `show` printed them to the terminal: a token, a live @mention and a bidi override.

def test_history_keeps_and_prints_no_secret_mention_or_control_from_a_test_name(tmp_path: Path) -> None:
    name = f"test_x {TOKEN} @fuzzowner &#x202e;rev"
    case = f'<testsuite name="s"><testcase classname="c" name="{name}">'
    (tmp_path / "f.xml").write_text(case + '<failure message="AssertionError: boom">t</failure></testcase></testsuite>')
    (tmp_path / "p.xml").write_text(case + "</testcase></testsuite>")
    for report in ("f.xml", "p.xml"):
        assert _gardener("run", "--history", "h.sqlite", "--out", "o", report, cwd=tmp_path).returncode == 0
    flaky = _gardener("history", "--history", "h.sqlite", "flaky", cwd=tmp_path)
    show = _gardener("history", "--history", "h.sqlite", "show", "c::test_x", cwd=tmp_path)
    assert "c::test_x" in flaky.stdout and "c::test_x" in show.stdout
    for shown in (flaky.stdout, show.stdout, (tmp_path / "h.sqlite").read_bytes().decode("latin-1")):
        assert "Zq9Xw7V3fuzzTOKENbody" not in shown
        assert "@fuzzowner" not in shown
        assert "\u202e" not in shown and "\xe2\x80\xae" not in shown


# A zero-width character inside a token (invisible, so the worklog shows the whole token) split it into two
# words that no secret shape matched.

def test_a_zero_width_character_inside_a_secret_does_not_hide_it(tmp_path: Path) -> None:
    split_token = TOKEN[:8] + "\u200b" + TOKEN[8:]
    (tmp_path / "build.log").write_text(f"Error: auth failed for {split_token}\nkey AKIA\u200cZQ9XW7V3FUZZ1234\n"
                                        "Process completed with exit code 1.\n", encoding="utf-8")
    proc = _gardener("run", "--no-history", "--out", "o", "build.log", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    worklog = next((tmp_path / "o").glob("*WORKLOG*.md")).read_text(encoding="utf-8")
    assert "auth failed for" in worklog
    for shown in (worklog, proc.stdout):
        visible = "".join(ch for ch in shown if ch not in "\u200b\u200c\u200d\u2060\ufeff")
        assert "Zq9Xw7V3fuzzTOKENbody" not in visible
        assert "ZQ9XW7V3FUZZ1234" not in visible


# A log whose escape bytes were lost on the way (copied from a web view) keeps `[0m` after a colored value:
# the `[` read as a subscript (`token = tokens[0]`, code naming no secret) and the password stayed.

def test_a_named_secret_before_a_colour_code_without_its_escape_is_redacted(tmp_path: Path) -> None:
    (tmp_path / "build.log").write_text("[32m+ export DB_PASSWORD=s3cr3tValue77[0m\n"
                                        "Error: connect ECONNREFUSED 127.0.0.1:5432\n"
                                        "Process completed with exit code 1.\n", encoding="utf-8")
    proc = _gardener("run", "--no-history", "--out", "o", "build.log", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    worklog = next((tmp_path / "o").glob("*WORKLOG*.md")).read_text(encoding="utf-8")
    assert "ECONNREFUSED" in worklog
    assert "DB_PASSWORD=" in worklog  # the excerpt shows the line, its value redacted
    assert "s3cr3tValue77" not in worklog


# Error lines quote what they found (a root tag, a declared encoding, the file's own name): the terminal got
# a token and a live @mention from them, though control characters were already shown as escapes.

def test_per_file_error_lines_redact_secrets_quoted_from_the_file(tmp_path: Path) -> None:
    (tmp_path / "good.xml").write_text(GOOD)
    (tmp_path / "a.xml").write_text(f"<{TOKEN}><a/></{TOKEN}>")
    (tmp_path / "b.xml").write_text(f'<?xml version="1.0" encoding="{TOKEN}"?><testsuite/>')
    (tmp_path / f"\x1b]0;t\x07@fuzzowner_{TOKEN}.xml").write_text("garbage")
    for args in (("ingest", "."), ("classify", "."), ("ingest", "--json", ".")):
        proc = _gardener(*args, cwd=tmp_path)
        assert proc.returncode == 1
        assert "root element" in proc.stderr and "unknown encoding" in proc.stderr and "not XML" in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 3  # one line per broken file
        for shown in (proc.stdout, proc.stderr):
            assert "Zq9Xw7V3fuzzTOKENbody" not in shown
            assert "@fuzzowner" not in shown
            assert "\x1b" not in shown


# A token wrapped onto the next line (a console of fixed width, a copied terminal): neither part matches a
# token shape alone (`ghp_` needs ten characters after it), so both parts, the whole token, stay.

def test_a_token_wrapped_across_two_lines_is_redacted(tmp_path: Path) -> None:
    (tmp_path / "build.log").write_text(f"Error: bad credentials for token {TOKEN[:8]}\n{TOKEN[8:]}\n"
                                        "Process completed with exit code 1.\n", encoding="utf-8")
    proc = _gardener("run", "--no-history", "--out", "o", "build.log", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    worklog = next((tmp_path / "o").glob("*WORKLOG*.md")).read_text(encoding="utf-8")
    assert "bad credentials" in worklog
    assert TOKEN[8:] not in worklog


# `-Dspring.datasource.password=…` (a Java system property on a Maven or Gradle command line): the name run
# starts after the `-`, which is a name character, so it read as the tail of a longer name and was kept.

def test_a_system_property_holding_a_password_is_redacted(tmp_path: Path) -> None:
    (tmp_path / "build.log").write_text("[INFO] mvn verify -Dspring.datasource.password=hunter2Secret99 -B\n"
                                        "Error: connect ECONNREFUSED 127.0.0.1:5432\n"
                                        "Process completed with exit code 1.\n", encoding="utf-8")
    proc = _gardener("run", "--no-history", "--out", "o", "build.log", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    worklog = next((tmp_path / "o").glob("*WORKLOG*.md")).read_text(encoding="utf-8")
    assert "-Dspring.datasource.password=" in worklog
    assert "hunter2Secret99" not in worklog
