"""The runner-log prefilter finds exactly what feeding every line to every reader finds.

`runner_log.parse` reads a log in blocks and passes over the lines no consumer's hints match
(prefilter.py, dispatch.py); `parse_every_line` is the reference that feeds every consumer every
line. Generated logs mix every shape the prefilter treats apart (runner stamps in and out of their
one full form, escape codes, `\\r`, BuildKit and compose prefixes, markup, blank lines, stray bytes,
lines past the length limit) with lines every reader reacts to, and are read in blocks small enough
that steps, tracebacks and test reports cross block boundaries.
"""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from gardener.errors import InputError
from gardener.ingest import runner_log
from gardener.ingest.runner_log.dispatch import prefilter
from gardener.ingest.runner_log.prefilter import STRUCTURE, relax
from gardener.regex import compile as re_compile
from gardener.text import clean_line, clean_plain, strip_ansi

DATA = Path(__file__).resolve().parents[1] / "data" / "logs"

BODIES = (
    # pytest
    "tests/test_a.py::test_x[p1] PASSED                  [ 10%]",
    "tests/test_a.py::test_y FAILED                      [ 20%]",
    "FAILED tests/test_a.py::test_y - AssertionError: assert 1 == 2",
    "============================= test session starts ==============================",
    "================================== FAILURES ===================================",
    "___________________________________ test_y ____________________________________",
    "E       assert 1 == 2",
    "=========================== short test summary info ============================",
    "===== 1 failed, 1 passed in 0.12s =====",
    "ImportError while loading conftest '/src/tests/conftest.py'.",
    "INTERNALERROR> Traceback (most recent call last):",
    # incidents
    "Traceback (most recent call last):",
    '  File "/srv/app/worker.py", line 12, in run',
    "    job.execute()",
    "ConnectionRefusedError: [Errno 111] Connection refused",
    "During handling of the above exception, another exception occurred:",
    "Error: Process completed with exit code 1.",
    "npm ERR! code E404",
    "ERROR: failed to solve: process did not complete successfully",
    "    at com.acme.Foo.bar(Foo.java:12)",
    "Caused by: java.lang.IllegalStateException: nope",
    "e: /src/Main.kt: (3, 5): Unresolved reference: foo",
    "> e: file:///src/Main.kt:3:5 Unresolved reference",
    "[web] npm ERR! missing script: test",
    "pull access denied for acme/api, repository does not exist",
    "BUILD FAILURE",
    "/home/runner/work/_temp/1f.sh: line 1:  1950 Killed                  python worker.py",
    # jest, go, cargo, surefire, GitLab services
    "FAIL src/cart.test.js (5.2 s)",
    "  ● Cart › adds an item",
    "    expect(received).toBe(expected)",
    "Tests:       1 failed, 3 passed, 4 total",
    "Test Suites: 1 failed, 1 total",
    "=== RUN   TestCart",
    "--- FAIL: TestCart (0.00s)",
    "    cart_test.go:12: want 2, got 3",
    "FAIL\texample.com/shop\t0.012s",
    "ok  \texample.com/shop/api\t0.020s",
    "panic: runtime error: index out of range",
    "test cart::adds ... FAILED",
    "---- cart::adds stdout ----",
    "failures:",
    "    cart::adds",
    "error: test failed, to rerun pass `--lib`",
    "Running com.acme.CartTest",
    "Tests run: 3, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.1 s <<< FAILURE! - in com.acme.CartTest",
    "adds(com.acme.CartTest)  Time elapsed: 0.01 s  <<< FAILURE!",
    "Results:",
    "Starting service postgres:16 ...",
    "*** WARNING: Service runner-x-project-1-concurrent-0-postgres-0 probably didn't start properly.",
    "*********",
    # rspec, phpunit, vitest, nextflow, dotnet test, prettier (their readers are made on a first hint)
    "Failures:",
    "  1) Cart totals the lines",
    "1) Cart totals the lines",
    "     Failure/Error: expect(cart.total).to eq(4)",
    "     # ./spec/cart_spec.rb:7:in `block (2 levels) in <top (required)>'",
    "3 examples, 1 failure",
    "Failed examples:",
    "rspec ./spec/cart_spec.rb:5 # Cart totals the lines",
    "An error occurred while loading ./spec/cart_spec.rb.",
    "There was 1 failure:",
    "1) Acme\\CartTest::testTotal",
    "/app/tests/CartTest.php:12",
    "FAILURES!",
    "⎯⎯⎯⎯⎯⎯⎯ Failed Tests 1 ⎯⎯⎯⎯⎯⎯⎯",
    " FAIL  src/cart.test.ts > Cart > totals",
    "AssertionError: expected 3 to be 4",
    "Error executing process > 'ALIGN (sample1)'",
    "  Failed Acme.CartTests.Totals [12 ms]",
    "  Error Message:",
    "[xUnit.net 00:00:01.23]     Acme.CartTests.Totals [FAIL]",
    "[warn] src/cart.js",
    "[warn] Code style issues found in the above file. Run Prettier with --write to fix.",
    # mocha, ExUnit, minitest, TAP, Pester (listing.py's readers)
    "  2 passing (464ms)",
    "  1 failing",
    "  1) Basic Tests - Gift Card API",
    "       should return content type as json:",
    "     AssertionError: expected 'a' to equal 'b'",
    "      at Context.<anonymous> (test/api.spec.js:31:34)",
    "  1) test removes buckets on exit (KV.RegistryTest)",
    "     test/kv/registry_test.exs:19",
    "     ** (exit) exited in: GenServer.call(#PID<0.115.0>, :stop, 5000)",
    "     stacktrace:",
    "1 doctest, 3 tests, 1 failure",
    "  1) Failure:",
    "Error:",
    "CartTest#test_total [/app/test/cart_test.rb:13]:",
    "    test/cart_test.rb:6:in `block in <class:CartTest>'",
    "bin/rails test test/cart_test.rb:4",
    "4 runs, 2 assertions, 0 failures, 0 errors, 0 skips",
    "t/01-cart.t ....... ",
    "not ok 2 - total includes tax",
    "not ok 3 - refunds # TODO later",
    "#   Failed test 'total includes tax'",
    "#   at t/01-cart.t line 14.",
    "#          got: '100'",
    "# Looks like you failed 1 test of 4.",
    "t/01-cart.t     (Wstat: 512 Tests: 4 Failed: 2)",
    "  ---",
    "  ...",
    "Bail out! no database",
    "Describing Get-CartTotal",
    "  Context with tax",
    "[-] Get-CartTotal.adds tax to the total 23ms (19ms|4ms)",
    " Expected 107, but got 100.",
    " at <ScriptBlock>, /src/tests/Cart.Tests.ps1:9",
    "    [+] keeps the items 3ms",
    # layouts and steps
    "Running with gitlab-runner 16.11.0 (abc)",
    "section_start:1714651000:step_script\r\x1b[0K",
    "section_end:1714651010:step_script\r\x1b[0K",
    "$ make test",
    "ERROR: Job failed: exit code 1",
    "[Pipeline] sh",
    "travis_fold:start:install",
    "~~~ :pipeline: Build",
    "#!/bin/bash -eo pipefail",
    "shell: /usr/bin/bash -e {0}",
    "env:",
    "  PYTHONUNBUFFERED: 1",
    "Post job cleanup.",
    "Cleaning up orphan processes",
    # warnings
    "npm WARN deprecated left-pad@1.0.0: no longer maintained",
    "WARNING: Running pip as the 'root' user",
    "DeprecationWarning: x is deprecated",
    # chatter
    "Collecting pkg3==1.2 (from -r requirements.txt (line 4))",
    "  Downloading pkg3-1.2-py3-none-any.whl (120 kB)",
    "Requirement already satisfied: pkg in /opt/venv",
    "[worker] processed batch 12 in 0.1s",
    "sha256:0123456789abcdef 12MB / 120MB 1.2s",
    "a | b | c",
    "",
    "   ",
    "\u3000",
    "2024-05-01 10:00:00,123 - worker - done",
)
PREFIXES = (
    "",
    "",
    "2024-05-01T08:00:00.1234567Z ",
    "2024-05-01T08:00:01.0000000Z ",
    "2024-05-01T07:59:59.9999999Z ",
    "2024-05-01T08:00:00Z ",
    "2024-05-01T08:00:00.1234567Z",
    "2024-13-45T99:99:99.1234567Z ",
    "2024-05-01T08:00:02.5000000Z 00O ",
    "2024-05-01T08:00:03.0000000Z #3 1.234 ",
    "2024-05-01T08:00:03.0000000Z #3 ",
    "#12 ",
    "web-1  | ",
    "2024-05-01T08:00:04.0000000Z [2024-05-01 09:00:00] ",
    "2024-05-01T08:00:05.0000000Z ##[group]Run ",
    "2024-05-01T08:00:05.0000000Z ##[endgroup]",
    "2024-05-01T08:00:05.0000000Z ##[error]",
    "2024-05-01T08:00:05.0000000Z ##[warning]",
    "::error file=a.py::",
    "[command]",
    "`",
)
WRAPS = (
    "{}",
    "{}",
    "{}",
    "\x1b[31m{}\x1b[0m",
    "{}\r",
    "progress 10%\r{}",
    "\x1b]0;title\x07{}",
    "\x1b{}",
)


@st.composite
def log_lines(draw: st.DrawFn) -> bytes:
    count = draw(st.integers(min_value=1, max_value=60))
    out: list[bytes] = []
    for _ in range(count):
        body = draw(st.sampled_from(BODIES) | st.text(max_size=30))
        line = draw(st.sampled_from(PREFIXES)) + draw(st.sampled_from(WRAPS)).format(body)
        data = line.encode("utf-8", "surrogatepass")
        shape = draw(st.integers(min_value=0, max_value=40))
        if shape == 0:
            data += b"\xff\xfe stray"
        elif shape == 1:
            data = data + b"x" * 70_000  # past TextFile's line limit
        out.append(data + draw(st.sampled_from((b"\n", b"\n", b"\r\n"))))
    if draw(st.booleans()):
        out[-1] = out[-1].rstrip(b"\r\n")  # no newline at the end
    return b"".join(out)


def _same(data: bytes, chunk: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "job.log"
        path.write_bytes(data)
        try:
            reference = runner_log.parse_every_line(path)
        except InputError as exc:  # the file is refused (empty, binary): both refuse it the same way
            with pytest.raises(InputError, match=re.escape(str(exc))):
                runner_log.parse(path, chunk)
            return
        assert runner_log.parse(path, chunk) == reference


# No deadline: each example reads a log twice, and a loaded 2-core CI machine took over hypothesis's 200 ms default.
@settings(deadline=None)
@given(log_lines(), st.sampled_from((64, 300, 4096, 1 << 18)))
@example(b"2024-05-01T08:00:00.1234567Z ##[group]Run make\n" + b"2024-05-01T08:00:01.0000000Z x\n" * 200, 300)
@example(b"section_start:1:a\r\x1b[0K\n$ make\nerror\n", 64)
@example(b"1) Cart totals the lines\n     Failure/Error: expect(cart.total).to eq(4)\n", 64)  # RSpec, unindented
def test_the_prefilter_finds_what_every_line_finds(data: bytes, chunk: int) -> None:
    _same(data, chunk)


@pytest.mark.parametrize("path", sorted(p for p in DATA.rglob("*.log")), ids=lambda p: p.name)
def test_every_bundled_log_reads_the_same(path: Path) -> None:
    for chunk in (97, 1 << 18):
        assert runner_log.parse(path, chunk) == runner_log.parse_every_line(path)


@given(st.sampled_from(PREFIXES), st.sampled_from(BODIES) | st.text(max_size=40))
def test_a_plain_line_cleans_the_same_without_the_tests(prefix: str, body: str) -> None:
    line = strip_ansi(prefix + body)
    if "\n" in line or "\x1b" in line or STRUCTURE.search(line) is not None:
        return  # not plain: the prefilter hands it to clean_line
    assert clean_plain(line) == clean_line(line)


def test_a_relaxed_hint_matches_the_raw_line_where_the_hint_matches_the_clean_one() -> None:
    hint = r"^\d+ (?:examples?|tests?), \d+ failures?$"
    raw = "2024-05-01T08:00:00.1234567Z #4 0.5 3 examples, 1 failure   "
    assert re_compile(hint).search(clean_line(raw).text)
    assert re_compile(relax(hint)).search(raw)
    assert relax(r"\bword\b[$^]") == r"word[$^]"  # boundaries go, classes stay


def test_every_consumer_declares_hints_and_most_lines_of_a_job_log_pass_over() -> None:
    assert all(prefilter().hints)
    chatter = "".join(
        f"2024-05-01T08:00:{i % 60:02d}.{i:07d}Z #{i % 9} 1.5 Collecting pkg{i}==1.0 (from -r r.txt)\n"
        for i in range(2000)
    )
    lines = chatter.splitlines()
    assert prefilter().candidates(chatter, lines).lines == []


@pytest.mark.parametrize("filler", ["\n", "  \n", "2024-05-01T08:00:00.1234567Z \n"])
def test_a_long_run_of_blank_lines_is_read_in_linear_time(tmp_path: Path, filler: str) -> None:
    """A hint that may begin with blanks (`^\\s*\\d+ examples`) must not match across the lines after it:
    each blank line would then be a candidate whose search runs on to the end of the run (quadratic)."""
    path = tmp_path / "blank.log"
    path.write_text("$ bundle exec rspec\n" + filler * 100_000 + "3 examples, 1 failure\n", encoding="utf-8")
    started = time.perf_counter()
    parsed = runner_log.parse(path)
    assert time.perf_counter() - started < 5.0  # the hostile-input budget (test_hostile_inputs.SECONDS)
    assert parsed == runner_log.parse_every_line(path)
