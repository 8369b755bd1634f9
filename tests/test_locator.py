"""The generic locator (issue 12 item 1): a failed log or pasted excerpt no reader or anchor
explains still yields a finding, on the line that explains it, never on a wrapper line."""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.classify import find
from gardener.config import Config
from gardener.ingest.runner_log import parse
from gardener.ingest.runner_log.locator import is_wrapper_line, locate, score
from gardener.whole_excerpt import ingest_for_classify

# (log, the 1-based line the locator must pick, or 0 for none)
LOCATE = [
    # a tool-prefixed diagnostic before npm's wrapper block
    ("> lint\n> stylelint '**/*.scss'\nstylelint: error: No files matching the pattern\n"
     "npm ERR! code ELIFECYCLE\nnpm ERR! errno 2\nnpm ERR! Exit status 2\n", 3),
    # the last error-ish line before make's wrappers, never the wrappers themselves
    ("gcc -c a.c\ncollect2: error: ld returned 1 exit status\nmake[1]: *** [Makefile:12: app] Error 1\n"
     "make: *** [all] Error 2\n", 2),
    # a file:line:col diagnostic beats a weaker, later error word
    ("src/a.ts:3:7 - error TS2322: Type 'string' is not assignable\nsome step failed\n"
     "##[error]Process completed with exit code 2.\n", 1),
    # of equals, the later: the last word before the job gave up
    ("fatal: the remote end hung up unexpectedly\nfatal: early EOF\n"
     "The command \"git fetch\" exited with 128.\n", 2),
    # a line whose words name the cause (no credentials: an auth error) beats a later, vaguer one
    ("fatal: could not read Username for 'https://github.com'\nfatal: unable to access the repository\n"
     "The command \"git fetch\" exited with 128.\n", 1),
    # a count of nothing, a warning and a runner's wrapper exception say nothing failed here
    ("Build succeeded.\n    0 Error(s)\nsrc/a.c:3:1: warning: unused variable 'x' [-Werror]\n"
     "ar: illegal option -- n\n[error] (test:test) sbt.TestsFailedException: Tests unsuccessful\n", 4),
    # a word inside a path is not an error word
    ("compiling ./missing/setproctitle.c\nDone\n", 0),
    # a stack frame names where a failure passed, never what it was
    ("Test(s) failed. Expected: null But was: 1\n"
     "   at NUnit.Framework.Assert.AreEqual(Object expected, Object actual)\n", 1),
    # a TAP `not ok` and a logcat `E/` line are error-level lines
    ("1..3\nok 1 - reads\nnot ok 2 - parses the header\nok 3 - writes\n", 3),
    ("I/ActivityManager: Start proc\nE/AndroidRuntime: FATAL EXCEPTION: main\nI/Process: Sending signal\n", 2),
    # the linker's closing line is weaker than the missing library it follows
    ("/usr/bin/ld: cannot find -lc\ncollect2: error: ld returned 1 exit status\nmake: *** [all] Error 1\n", 1),
    # summary counts say something failed above them; they are not the cause
    ("main.c:4:1: error: expected ';' before '}' token\n1 error generated.\n", 1),
    ("ls: cannot access 'dist': No such file or directory\nError: Process completed with exit code 2.\n", 1),
    # only wrappers, or nothing error-looking: nothing to locate
    ("make: *** [all] Error 2\nProcess completed with exit code 2\n", 0),
    ("Compiling 3 files\nwarning: unused variable\nDone in 2s\n", 0),
]


@pytest.mark.parametrize(("log", "want"), LOCATE)
def test_locate_picks_the_explaining_line(log: str, want: int) -> None:
    found = locate(enumerate(log.splitlines(), 1))
    assert (found[0] if found else 0) == want


@pytest.mark.parametrize(
    "line",
    ["make: *** [all] Error 2", "npm ERR! code ELIFECYCLE", "##[error]Process completed with exit code 1.",
     "The command \"bundle exec rake\" exited with 1.", "error Command failed with exit code 1.",
     "rules.mk:159: recipe for target 'x.pass' failed", "Exited with code exit status 1"],
)
def test_wrapper_lines_are_never_evidence(line: str) -> None:
    assert is_wrapper_line(line) and score(line) == 0


def test_a_wrapper_alone_in_a_runner_log_moves_to_the_line_that_explains_it(tmp_path: Path) -> None:
    log = tmp_path / "job.log"
    log.write_text("Run npm run gen\n> gen\nreading schema/a.yaml\n"
                   "schemagen: error: field `id` is declared twice in schema/a.yaml\n"
                   "npm ERR! code ELIFECYCLE\nnpm ERR! errno 1\n", encoding="utf-8")
    failing = [r for r in parse(log).results if r.is_failing]
    assert [(r.source_line, r.message) for r in failing] == [
        (4, "schemagen: error: field `id` is declared twice in schema/a.yaml")]


def test_a_wrapper_that_names_a_signal_keeps_its_own_line(tmp_path: Path) -> None:
    log = tmp_path / "job.log"
    log.write_text("./run_tests\nsome step failed quietly\nmake: *** [test] Error 139\n", encoding="utf-8")
    assert [r.source_line for r in parse(log).results if r.is_failing] == [3]


def test_a_pasted_excerpt_no_rule_knows_still_yields_a_finding_on_its_line(tmp_path: Path) -> None:
    path = tmp_path / "excerpt.txt"
    path.write_text("building\nfoo: cannot open shared object file libzz.so.9\ndone\n", encoding="utf-8")
    config = Config()
    ingested = ingest_for_classify([str(path)], config.rules)
    findings = find(ingested.results, config)
    assert len(findings) == 1
    assert [r.source_line for r in findings[0].results] == [2]


def test_a_pasted_excerpt_with_no_error_line_stays_a_pass(tmp_path: Path) -> None:
    path = tmp_path / "excerpt.txt"
    path.write_text("Compiling 3 files\nwarning: unused variable `x`\nDone in 2s\n", encoding="utf-8")
    config = Config()
    assert find(ingest_for_classify([str(path)], config.rules).results, config) == ()


def test_an_info_line_is_never_the_cause_and_a_timing_column_does_not_hide_an_error_level() -> None:
    # yarn inside a Docker build: each line after the step's elapsed seconds; the advice line comes last.
    lines = [
        (1, "78.41 info There appears to be trouble with your network connection. Retrying..."),
        (2, '239.8 error An unexpected error occurred: "https://registry.yarnpkg.com/a-1.0.0.tgz: ESOCKETTIMEDOUT".'),
        (3, '239.8 info If you think this is a bug, please open a bug report with what is in "yarn-error.log".'),
    ]
    assert locate(lines) == lines[1]
