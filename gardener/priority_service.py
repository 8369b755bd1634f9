"""A refused service that every failing test of the run errors on. The labelling rule (tests/data/classify/README.md,
"Labelling guide: priority"): a refusal is P1, P0 when every service-backed test shown fails on it. A run whose own
summary counts only errors (no assertion failed: unittest's `FAILED (errors=8)`, OUnit's `Errors: 19 Failures: 0`)
and whose every error shown is the refusal says so: each test that needed the service died reaching it, and no test
got as far as checking anything. Without the summary in view, a finding that is every failure of the run and shows
two or more tests' error blocks, each the refusal, says the same (`refused_tests`). A summary with failures beside
the errors, or an error shown that is not the refusal, keeps the refusal at its default.

A refusal on a different ephemeral port in each failure (`ECONNREFUSED ::1:41877`, `port=53211`) is not a service
the run needed but a stub each test started for itself (`listen(0)`) and its client missed (`per_test_ports`): the
project's own test harness, refusing only the tests that use it, never a service down for every test (no raise).

A console that names each failing test in a header of its own (go test's `--- FAIL: TestExec`, jest's `● Suite ›
test`) is read as log incidents, not as tests: when a refusal's finding is every failure of the run and holds three
or more such headers, each with the refusal in its block (`console_tests_refused`), every test shown failed on it (go's
`driver: bad connection` under each of nine `--- FAIL:` headers).

All are pure and read only the results and their text; priority.py applies them to connection refusals.
"""

from __future__ import annotations

from collections.abc import Sequence

from gardener import regex as re
from gardener.model import Result
from gardener.numbers import bounded_int
from gardener.priority_evidence import summary_counts

# The run's summary when only errors were counted: unittest (`FAILED (errors=8)`, never `failures=`), OUnit.
_ERRORS_ONLY = re.lazy(
    r"(?m)(?:^|[ \t#])FAILED \(errors=(?P<errors>\d+)(?:, skipped=\d+)?\)[ \t]*$"
    r"|FAILED: Cases: \d+ Tried: \d+ Errors: (?P<errors2>\d+) Failures: 0\b"
)
# One error block's header as the runner prints it: unittest's `ERROR: test_x (mod.Case)`, OUnit's `Error: S:0:name`.
_ERROR_HEADER = re.lazy(r"(?m)(?:^|[ \t#])(?:ERROR: \w+ \(|Error: [\w.-]+:\d+:\w)")
_NAMED_ERROR = re.lazy(r"(?m)(?:^|[ \t#])(?:ERROR: (?P<name>\w+) \(|Error: [\w.-]+:\d+:(?P<name2>\w+))")
# The refusal as the clients print it (psycopg2, OCaml's Unix, errno names, redis-py, Java).
_REFUSED = re.lazy(r"(?i)connection refused|ECONNREFUSED|Connection refused\b|\[Errno 111\]")


# A refused or dialled local port as the clients print it: node's `ECONNREFUSED ::1:41877` / `127.0.0.1:41877`,
# urllib3's `HTTPSConnectionPool(host='localhost', port=41877)`, a URL's `localhost:41877`.
_LOCAL_PORT = re.lazy(
    r"(?i)(?:ECONNREFUSED (?:::1|127\.0\.0\.1|\[::1\]|localhost)|host='(?:localhost|127\.0\.0\.1|::1)', port="
    r"|//(?:localhost|127\.0\.0\.1|\[::1\]))[:=]?(?P<port>\d{4,5})\b"
)
EPHEMERAL_MIN = 32768  # Linux's ephemeral range starts here (Windows' at 49152)
# The console anchors that name one failing test each (ingest/runner_log/anchors.py), with the header they read.
_TEST_HEADER_ANCHORS = frozenset({"go-test", "jest-test"})
_TEST_HEADER = re.lazy(r"^\s*(?:--- FAIL: |● )")


def console_test_headers(results: Sequence[Result]) -> list[tuple[int, str]]:
    """(line, test) of each console per-test header among `results` (log incidents, not test results)."""
    return sorted((r.source_line, subject) for r in results
                  if r.source.kind == "log" and r.error_type in _TEST_HEADER_ANCHORS and r.source_line is not None
                  and _TEST_HEADER.search(r.message) and (subject := dict(r.properties).get("subject", "")))


def shown_lines(r: Result) -> set[int]:
    """The lines a log incident was seen at: its own and, for a repeated one, each repeat (its `lines`)."""
    lines = {bounded_int(n) for n in dict(r.properties).get("lines", "").split()}
    return lines | ({r.source_line} if r.source_line is not None else set())


def console_tests_refused(headers: Sequence[tuple[int, str]], refused_at: set[int]) -> frozenset[str]:
    """The tests the console's headers name (`headers`: (line, test), in line order) when under each one, before the
    next, the refusal is shown (`refused_at`: its lines); empty when a header's block shows no refusal."""
    ends = [line for line, _ in headers[1:]] + [max(refused_at, default=0) + 1]
    blocks = zip((at for at, _ in headers), ends, strict=True)
    if not headers or any(not any(at < n < end for n in refused_at) for at, end in blocks):
        return frozenset()
    return frozenset(test for _, test in headers)


def per_test_ports(texts: list[str], jobs: list[str | None] | None = None) -> bool:
    """Whether the failures (one text each, with its job when known) reach local ports that differ from failure to
    failure within a job, every one in the ephemeral range: stubs each test started on a random port, not one service.
    (A service container published on a random host port has another port in each job of a matrix, one per job.)"""
    by_job: dict[str | None, set[int]] = {}
    for i, text in enumerate(texts):
        found = {bounded_int(m.group("port")) for m in _LOCAL_PORT.finditer(text)}
        if not found:
            return False
        by_job.setdefault(jobs[i] if jobs is not None and i < len(jobs) else None, set()).update(found)
    ports = set().union(*by_job.values()) if by_job else set()
    return bool(ports) and min(ports) >= EPHEMERAL_MIN and any(len(p) >= 2 for p in by_job.values())


def refused_tests(text: str) -> frozenset[str]:
    """The tests whose error blocks (unittest's `ERROR: test_x (...)`, OUnit's `Error: S:0:test_x`) `text` shows,
    when every block shown is a refusal; empty otherwise."""
    names = frozenset(m.group("name") or m.group("name2") for m in _NAMED_ERROR.finditer(text))
    if not names or len(list(_REFUSED.finditer(text))) < len(list(_ERROR_HEADER.finditer(text))):
        return frozenset()
    return names


def every_error_refused(text: str) -> str:
    """Why every failing test of the run is refused, in words (the summary's count), else ''."""
    found = _ERRORS_ONLY.search(text)
    if found is None:
        return ""
    errors = bounded_int(found.group("errors") or found.group("errors2") or "0")
    headers = len(list(_ERROR_HEADER.finditer(text)))
    refusals = len(list(_REFUSED.finditer(text)))
    if errors == 0 or headers == 0 or refusals < headers:
        return ""
    return (f"the run's summary counts {errors} errors and no failed assertion, and every error shown "
            f"({headers}) is this refusal")


def every_test_refused(text: str) -> str:
    """Why every test the run ran fails on the refusal, in words, else '': the run's own summary (jest's `Tests: 1
    failed, 1 total`, any summary priority_evidence reads) counts every test it ran as failed, and what `text` shows
    failing is the refusal."""
    failed, ran = summary_counts(text)
    if not ran or failed != ran or _REFUSED.search(text) is None:
        return ""
    return f"the run's summary counts all {ran} of its tests failing, and the failure shown is this refusal"
