"""Round 7's priority facts (tests/scenarios/data7): per-test stub ports, make's ignored errors, Bazel's summary."""

from __future__ import annotations

from gardener.model import Result, Source
from gardener.priority_evidence import facts_of, summary_counts
from gardener.priority_service import per_test_ports


def test_refusals_on_a_different_ephemeral_port_each_are_stubs() -> None:
    texts = [f"FetchError: request to http://localhost:{p}/hooks failed, reason: connect ECONNREFUSED ::1:{p}"
             for p in (41877, 53211, 60112)]
    assert per_test_ports(texts)
    tls = [f"SSLError: HTTPSConnectionPool(host='localhost', port={p}): Max retries exceeded" for p in (38454, 46829)]
    assert per_test_ports(tls)


def test_one_fixed_service_port_is_a_service() -> None:
    assert not per_test_ports(["connect ECONNREFUSED 127.0.0.1:5432"] * 3)  # one port, below the ephemeral range
    assert not per_test_ports(["connect ECONNREFUSED 127.0.0.1:6379", "connect ECONNREFUSED 127.0.0.1:5432"])
    assert not per_test_ports(["connect ECONNREFUSED 127.0.0.1:41877", "psycopg2.OperationalError: refused"])


def _log_result(message: str, details: str) -> Result:
    return Result(id="log:docs:x", outcome="failed", source=Source("docs.log", "log"), source_line=3,
                  message=message, details=details)


def test_make_ignoring_the_failed_command_after_it_is_allowed_to_fail() -> None:
    broken = "(guide/a: line 7) broken https://example.org/x - 404 Client Error: Not Found"
    details = ("(guide/a: line   7) broken    https://example.org/x - 404 Client Error: Not Found\n"
               "build finished with problems.\nmake: [Makefile:21: linkcheck] Error 1 (ignored)\n")
    assert facts_of((_log_result(broken, details),), frozenset()).allowed_to_fail


def test_make_ignoring_an_earlier_command_does_not_excuse_the_next_one() -> None:
    warning = "guide/a.rst:48: WARNING: undefined label: 'x' [ref.ref]"
    details = ("make: [Makefile:21: linkcheck] Error 1 (ignored)\nsphinx-build -W -b html source _build/html\n"
               f"{warning}\nbuild finished with problems, 1 warning (with warnings treated as errors).\n"
               "make: *** [Makefile:25: html] Error 1\n")
    assert not facts_of((_log_result(warning, details),), frozenset()).allowed_to_fail


def test_bazel_summary_counts_the_targets_that_passed_and_failed_to_build() -> None:
    assert summary_counts("Executed 13 out of 15 tests: 13 tests pass and 2 fail to build.") == (2, 15)
    assert summary_counts("Executed 14 out of 15 tests: 14 tests pass and 1 fails locally.") == (1, 15)
