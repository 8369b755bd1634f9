"""`gardener explain` shows the findings `gardener run` reports: both take them from linked.linked_findings."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from gardener.cli import cli
from gardener.config import Config
from gardener.explain import explain
from gardener.linked import linked_findings
from gardener.pipeline import RunOptions, build_report
from gardener.whole_excerpt import ingest_for_classify
from tests.factories import result

PARTNER_503 = Path(__file__).parent / "scenarios" / "data6" / "jest-partner-503"


def _ids(text: str) -> list[str]:
    return re.findall(r"(?m)^(f-[0-9a-f]+)  ", text)


def test_a_console_log_and_its_junit_report_are_one_result_per_test_in_explain_as_in_run() -> None:
    # jest's console and jest-junit name the same three failing tests a little differently (` › ` and `::`):
    # read apart, the two timeouts were four findings in explain while run had them as two.
    paths = (str(PARTNER_503 / "test.log"), str(PARTNER_503 / "junit.xml"))
    config = Config()
    report = build_report(RunOptions(paths=paths), config)
    text = explain(linked_findings(ingest_for_classify(paths, config.rules).results, config))
    assert _ids(text) == [f.id for f in report.findings]
    assert len(report.findings) == 3
    # Each test is counted once, as the run counts it.
    assert text.count("creates a batch payout for approved invoices (failed") == 1


def test_a_rerun_of_a_test_in_a_second_report_is_one_result_of_one_finding() -> None:
    first = result("tests/test_pay.py::test_refund", message="AssertionError: assert 3 == 4",
                   details="assert 3 == 4", source_path="attempt-1.xml")
    rerun = result("tests/test_pay.py::test_refund", message="AssertionError: assert 3 == 4",
                   details="assert 3 == 4\nE  + where 3 = total()", source_path="attempt-2.xml")
    text = explain(linked_findings([first, rerun], Config()))
    assert len(_ids(text)) == 1
    assert "1 test, 1 result" in text
    assert text.count("result tests/test_pay.py::test_refund") == 1


def test_explain_shows_what_blocks_a_finding_as_run_links_it() -> None:
    # The two timeouts wait on the partner's 503: run links them as blocked by it, and so does explain.
    paths = (str(PARTNER_503 / "test.log"), str(PARTNER_503 / "junit.xml"))
    config = Config()
    report = build_report(RunOptions(paths=paths), config)
    text = explain(linked_findings(ingest_for_classify(paths, config.rules).results, config))
    assert report.edges
    for e in report.edges:
        assert f"blocked by {e.blocker}: {e.reason}" in text


def test_classify_shows_the_findings_run_reports_for_a_console_log_and_its_junit_report() -> None:
    paths = (str(PARTNER_503 / "test.log"), str(PARTNER_503 / "junit.xml"))
    config = Config()
    report = build_report(RunOptions(paths=paths), config)
    out = CliRunner().invoke(cli, ["classify", "--json", *paths])
    assert out.exit_code == 0, out.output
    assert [f["id"] for f in json.loads(out.output)["findings"]] == [f.id for f in report.findings]  # in its order
