"""Every file of the shared JUnit corpus counts exactly as its MANIFEST.tsv row says.

ERR rows (strict XML parsers reject the file) and n/a rows (not JUnit) must be refused with a
one-line reason, or, where complete testcases came before the damage, read as partial. Which of
the two each such file gets is pinned below so that a change shows up here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gardener.errors import InputError
from gardener.ingest import junit, registry
from gardener.model import Counts

CORPUS = Path(__file__).parent.parent / "data" / "junit" / "corpus"
MANIFEST = CORPUS / "MANIFEST.tsv"


def manifest_rows() -> list[tuple[str, str, str, str, str]]:
    lines = [line for line in MANIFEST.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    header = lines[0].split("\t")
    assert header[:6] == ["path", "framework", "tests", "failures", "errors", "skipped"]
    rows = []
    for line in lines[1:]:
        path, _framework, tests, failures, errors, skipped = line.split("\t")[:6]
        rows.append((path, tests, failures, errors, skipped))
    return rows


ROWS = manifest_rows()
COUNTED = [r for r in ROWS if r[1].isdigit()]
NOT_COUNTED = [r for r in ROWS if not r[1].isdigit()]

# What each ERR / n/a row gives: a rejection reason (prefix) or a partial read with its counts.
EXPECTED_REJECTIONS = {
    "dorny-test-reporter/fixtures/dotnet-nunit.xml": "not a JUnit report: root element <test-run> (NUnit?)",
    "dorny-test-reporter/fixtures/external/nunit-sample.xml": "not a JUnit report: root element <test-run> (NUnit?)",
    # time="<<computed>>" unescaped in the first testcase: nothing complete before it.
    "mikepenz-action-junit-report/test_results/junit-web-test/expected.xml": "malformed XML: not well-formed",
    "mikepenz-action-junit-report/test_results/junit-web-test/expectedRetries.xml": "malformed XML: not well-formed",
}
# A surefire report cut inside <system-out> after the case's <failure> closed: salvaged.
EXPECTED_PARTIAL = {
    "mikepenz-action-junit-report/test_results/corrupt-junit/e2e-tests/corrupt/target/sf-reports/"
    "TEST-test.CorruptTest.xml": Counts(cases=1, failures=1),
}


def test_manifest_lists_every_corpus_file() -> None:
    listed = {r[0] for r in ROWS}
    on_disk = {str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*.xml")}
    assert listed == on_disk
    assert set(EXPECTED_REJECTIONS) | set(EXPECTED_PARTIAL) == {r[0] for r in NOT_COUNTED}


@pytest.mark.parametrize(("path", "tests", "failures", "errors", "skipped"), COUNTED, ids=[r[0] for r in COUNTED])
def test_counts_match_manifest(path: str, tests: str, failures: str, errors: str, skipped: str) -> None:
    parsed = junit.parse(CORPUS / path)
    counts = parsed.counts
    assert (counts.cases, counts.failures, counts.errors, counts.skipped) == (
        int(tests),
        int(failures),
        int(errors),
        int(skipped),
    )
    assert not parsed.partial
    assert registry.detect(CORPUS / path, (CORPUS / path).read_bytes()[:65536]).kind == "junit"


@pytest.mark.parametrize("path", sorted(EXPECTED_REJECTIONS))
def test_err_and_non_junit_rows_are_refused_in_one_line(path: str) -> None:
    with pytest.raises(InputError) as caught:
        junit.parse(CORPUS / path)
    assert caught.value.reason.startswith(EXPECTED_REJECTIONS[path])
    assert "\n" not in caught.value.reason
    assert caught.value.path == str(CORPUS / path)


@pytest.mark.parametrize("path", sorted(EXPECTED_PARTIAL))
def test_truncated_corpus_file_is_salvaged_as_partial(path: str) -> None:
    parsed = junit.parse(CORPUS / path)
    assert parsed.partial
    assert parsed.counts == EXPECTED_PARTIAL[path]
    assert parsed.warning is not None and parsed.warning.startswith("truncated XML: unclosed CDATA section")
    (failure,) = parsed.results
    assert (failure.id, failure.outcome) == ("corrupt.CorruptTest::testEM", "failed")
    assert failure.details.startswith("java.lang.AssertionError: WRONG COVERAGE: 41 > 26")


def test_nunit_is_routed_to_junit_and_refused_through_the_registry() -> None:
    path = CORPUS / "dorny-test-reporter/fixtures/external/nunit-sample.xml"  # has a UTF-8 BOM
    with pytest.raises(InputError, match=r"root element <test-run> \(NUnit\?\)"):
        registry.parse_file(path)


def test_declared_counts_reported_only_when_they_disagree() -> None:
    pytest_file = junit.parse(CORPUS / "dorny-test-reporter/fixtures/python-xunit-pytest.xml")
    assert pytest_file.declared == Counts(cases=15, failures=2, errors=0, skipped=2)
    # root <testsuites> without counts: the sum of the top-level suites, tests="8" each side
    container = junit.parse(CORPUS / "mikepenz-action-junit-report/test_results/container-structure/test.xml")
    assert container.declared == Counts(cases=8, failures=0, errors=0, skipped=0)
    agrees = junit.parse(CORPUS / "dorny-test-reporter/fixtures/external/java/junit4-complete.xml")
    assert agrees.declared is None
