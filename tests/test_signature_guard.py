"""A tripwire for key-text changes: every signature an earlier version gave for the end-to-end scenarios
(tests/data/keys/signatures.json: key-v1 and key-v2 as the commits it names really gave them, the current version
when the file was last written) must still be given, or be an alias of a finding given now (a KeyChange in
gardener/key_changes.py), or be retired below with the reason. A key that moves without a declared change fails
here, before the issues filed under it are orphaned.

After declaring a change (or retiring a finding), `python tests/test_signature_guard.py` rewrites the current
version's entry; an earlier version's entries are what that version really gave and are never rewritten.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gardener.config import Config
from gardener.key_changes import CURRENT_KEY_VERSION
from gardener.pipeline import RunOptions, build_report

ROOT = Path(__file__).resolve().parents[1]
RECORDED = ROOT / "tests/data/keys/signatures.json"
SCENARIOS = ROOT / "tests/scenarios"
# digest → why the finding is gone for good (no later version gives it, and no issue should follow it)
RETIRED: dict[str, str] = {
    "ab170937aea7": "key-v1 read travis-bundler-rspec's failing example as a log incident; the RSpec console reader "
                    "(cb11394, key-v2) reads it as the test it is: a reader change, its findings are the tests'",
    # jest-partner-503 (pins-8): the jest reader now reads jest behind Turborepo's `@pkg:test: ` prefix.
    "245684567a63": "key-v5 read a jest timeout behind Turborepo's task prefix as a log incident; the jest reader "
                    "reads it as the test it is and merges it with the report's: a reader change, its finding is "
                    "the test's",
    "1f587634f424": "key-v5 keyed these two jest timeouts by the report's `Error: thrown: ...` alone; the jest "
                    "reader now merges the console copy behind Turborepo's prefix (its message without `Error: `), "
                    "and each timeout is blocked by the partner's 503 outage its client retried "
                    "(outage_timeouts.py): no root cause of its own, its issue is the outage's",
    "e414fbfd5035": "the same as 1f587634f424, the other timed-out test of that file",
    # go-race-panic (longlogs-10): gotestsum repeats the compile error in its `=== Errors` summary.
    "55d46c38b5f6": "key-v7 read the copy of a Go compile error in gotestsum's `=== Errors` summary as a second "
                    "finding beside the compile error itself (collect.go-compile-error, still given); the locator "
                    "now takes a repeated message's first copy, which that finding already holds: one error, one "
                    "finding",
    # prow-ginkgo-webhook-refused (scenarios-11, round 10): recorded the day it came, before the Ginkgo reader.
    "2092c390f66c": "Ginkgo's closing `FAIL! -- 12 Passed | 2 Failed | 1 Flaked ...` read as a log incident (a "
                    "P2 flaky-test holding a webhook refusal); runner_log/ginkgo.py claims the summary and reads the "
                    "flaked spec itself: a reader change, its finding is the spec's",
    "5732586b4a9d": "Gomega's `[FAILED] Expected` inside a Ginkgo spec block read as a log incident; the Ginkgo "
                    "reader reads the block as the spec's failure (its refusal finding, still given): a reader change",
    "d0d8ec8648b4": "`--- FAIL: TestE2E`, the Go test that ran the Ginkgo suite, read as a failure of its own; it "
                    "fails because its specs did, which are the results now: no root cause, no issue",
}


def scenarios() -> dict[str, tuple[str, ...]]:
    out = {}
    for folder in sorted(SCENARIOS.glob("data*/*")):
        if folder.is_dir():
            files = sorted(str(p) for p in folder.rglob("*") if p.is_file() and p.name != "EXPECTED.md")
            out[f"{folder.parent.name}/{folder.name}"] = tuple(files)
    return out


def signatures(paths: tuple[str, ...]) -> tuple[list[dict[str, str]], set[str]]:
    """(each finding's digest, text and rule, every digest the run answers to)"""
    report = build_report(RunOptions(paths=paths, out_dir=Path("unused")), Config())
    found = [{"digest": f.signature.digest, "text": f.signature.text[:200], "rule_id": f.rule_id}
             for f in report.findings]
    answers = {d for f in report.findings for d in (f.signature.digest, *f.signature.aliases)}
    return found, answers


VERSIONS: dict[str, dict[str, object]] = json.loads(RECORDED.read_text(encoding="utf-8"))
NAMES = sorted({name for v in VERSIONS.values() for name in v["sets"]})  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", NAMES)
def test_a_recorded_signature_is_still_answered_to(name: str) -> None:
    paths = scenarios().get(name)
    assert paths, f"{name}: the scenario is gone; remove it from {RECORDED.name}"
    _, answers = signatures(paths)
    lost = [(version, s) for version, v in VERSIONS.items() for s in v["sets"].get(name, ())  # type: ignore[attr-defined]
            if s["digest"] not in answers and s["digest"] not in RETIRED]
    assert not lost, (f"{name}: signatures no finding answers to any more (declare the key change in "
                      f"gardener/key_changes.py, or retire the finding in RETIRED with the reason): {lost}")


def test_every_scenario_is_recorded_under_the_current_version() -> None:
    current = VERSIONS[CURRENT_KEY_VERSION]["sets"]
    assert set(scenarios()) <= set(current), sorted(set(scenarios()) - set(current))  # type: ignore[arg-type]


if __name__ == "__main__":
    VERSIONS[CURRENT_KEY_VERSION] = {"commit": "see git log", "sets": {
        name: signatures(paths)[0] for name, paths in scenarios().items()}}
    RECORDED.write_text(json.dumps(VERSIONS, indent=1) + "\n", encoding="utf-8")
