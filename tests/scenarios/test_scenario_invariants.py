"""End to end: what every outage scenario of every round keeps, whatever its particular conclusions.

Every folder tests/scenarios/dataN (data, data2, data3, ... and any later one) is picked up on its own: each of its
subfolders is one scenario, run through the CLI as a user runs it (`run --json`, `explain`, and `classify --json` of
each `*-excerpt.txt`). The folder's optional `invariants.toml` tells these tests what they cannot see for themselves:
the secrets and live pings planted in the inputs (the leak tests run where something is planted), the input
files that failed, the rendered lines that held a secret, the round's wrapper lines and the CI stamps to take off
evidence before reading it, and known defects (`[scenarios.NAME.known_defects] test_name = "the defect"` makes
that test on that scenario a strict xfail). A folder without one still gets every test that needs no declaration.

So a new round adds its data folder with an `invariants.toml`, and its test_scenarios_roundN.py holds only what
is specific to its scenarios (expected findings, priorities, pinned defects), reading the same gardener calls
through the session's `round_outputs` fixture (tests/scenarios/conftest.py): no call runs twice.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.scenarios.cli_runs import Outputs, Round, Run, assert_nothing_leaks, rounds
from tests.scenarios.queries import from_file

ROUNDS = rounds(Path(__file__).resolve().parent)
# Terminal colours and CI systems' folding/section markers: none may reach what gardener writes.
CI_MARKERS = ("\x1b", "[0K", "section_start:", "travis_fold", "travis_time", "##[group]", "##[section]")

RoundOutputs = Callable[[Path], Outputs]
Test = Callable[..., None]


def over_scenarios(where: Callable[[Round, str], object] = lambda r, s: True) -> Callable[[Test], Test]:
    """Parametrise a test over (round, scenario) for every scenario `where` admits, with its known defects."""

    def mark(test: Test) -> Test:
        params = [r.param(test.__name__, s) for r in ROUNDS for s in r.scenarios if where(r, s)]
        return pytest.mark.parametrize(("round_", "scenario"), params)(test)

    return mark


def run_of(round_outputs: RoundOutputs, round_: Round, scenario: str) -> Run:
    return round_outputs(round_.folder).runs[scenario]


@over_scenarios()
def test_every_failed_input_has_a_finding(round_: Round, scenario: str, round_outputs: RoundOutputs) -> None:
    run = run_of(round_outputs, round_, scenario)
    assert run.findings, run.describe()
    for name in round_.failed_inputs[scenario]:
        assert from_file(run, name), (name, run.describe())


@over_scenarios()
def test_nothing_is_unclassified(round_: Round, scenario: str, round_outputs: RoundOutputs) -> None:
    run = run_of(round_outputs, round_, scenario)
    assert run.of("unclassified") == [], run.describe()


@over_scenarios()
def test_first_finding_is_a_root_cause(round_: Round, scenario: str, round_outputs: RoundOutputs) -> None:
    run = run_of(round_outputs, round_, scenario)
    assert run.findings and run.findings[0]["blocked_by"] == [], run.describe()


@over_scenarios(lambda r, s: r.wrappers is not None)
def test_no_evidence_is_a_wrapper_line(round_: Round, scenario: str, round_outputs: RoundOutputs) -> None:
    run = run_of(round_outputs, round_, scenario)
    for f in run.findings:
        lines = round_.evidence(run, f)
        assert not round_.wrapper_lines(lines), (f["title"], lines)


@over_scenarios()
def test_every_priority_has_a_reason_in_words(round_: Round, scenario: str, round_outputs: RoundOutputs) -> None:
    for f in run_of(round_outputs, round_, scenario).findings:
        assert f["priority"] in f["priority_reason"], (f["priority"], f["priority_reason"])


def planted(round_: Round, scenario: str) -> bool:
    """Whether anything is planted that must not come out (else a leak test could not fail)."""
    return bool(round_.secrets[scenario] or round_.live_pings)


@over_scenarios(planted)
def test_run_leaks_no_planted_secret_or_live_ping(round_: Round, scenario: str, round_outputs: RoundOutputs) -> None:
    """Stdout, stderr, the JSON report and every written file."""
    assert_nothing_leaks(round_, run_of(round_outputs, round_, scenario).everything())


@over_scenarios(planted)
def test_explain_leaks_no_planted_secret_or_live_ping(
    round_: Round, scenario: str, round_outputs: RoundOutputs
) -> None:
    assert_nothing_leaks(round_, round_outputs(round_.folder).explains[scenario])


@pytest.mark.parametrize(
    "round_", [pytest.param(r, id=r.name) for r in ROUNDS if r.excerpts and any(planted(r, s) for s in r.scenarios)]
)
def test_classify_of_pasted_excerpts_leaks_nothing(round_: Round, round_outputs: RoundOutputs) -> None:
    outputs = round_outputs(round_.folder)
    assert sorted(outputs.classified) == sorted(p.name for p in round_.excerpts)
    assert_nothing_leaks(round_, json.dumps(outputs.classified, ensure_ascii=False))


@over_scenarios(lambda r, s: s in r.rendered_secret_lines)
def test_secret_bearing_lines_do_reach_the_documents(
    round_: Round, scenario: str, round_outputs: RoundOutputs
) -> None:
    """Guards the leak tests: these secret lines are rendered, so their secrets' absence means redaction."""
    written = "\n".join(run_of(round_outputs, round_, scenario).files.values())
    for context in round_.rendered_secret_lines[scenario]:
        assert context in written, context


@over_scenarios()
def test_no_ansi_or_ci_markers_reach_the_documents(round_: Round, scenario: str, round_outputs: RoundOutputs) -> None:
    run = run_of(round_outputs, round_, scenario)
    written = "\n".join(run.files.values()) + run.stdout
    assert not [marker for marker in CI_MARKERS if marker in written]


def explain_blocks(explain: str) -> dict[str, str]:
    """`gardener explain` output split per finding: id -> its block."""
    parts = re.split(r"(?m)^(?=f-[0-9a-f]+ )", explain)
    return {p.split()[0]: p for p in parts if p.startswith("f-")}


def findings_and_blocks(
    round_outputs: RoundOutputs, round_: Round, scenario: str
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    outputs = round_outputs(round_.folder)
    return outputs.runs[scenario].findings, explain_blocks(outputs.explains[scenario])


@over_scenarios()
def test_explain_says_why_each_finding_landed_where_it_did(
    round_: Round, scenario: str, round_outputs: RoundOutputs
) -> None:
    findings, blocks = findings_and_blocks(round_outputs, round_, scenario)
    for f in findings:
        block = blocks.get(f["id"])
        assert block is not None, (f["id"], sorted(blocks))
        assert f["label"] in block.splitlines()[0]
        assert f"rule: {f['rule_id']}" in block and f"category: {f['category']}" in block
        assert re.search(rf"priority: {f['priority']} because \S", block), block[:600]
        assert re.search(r"(?m)^\s+(matched:|joined |no rule matched)", block), block[:600]


@over_scenarios()
def test_explain_shows_the_same_findings_as_run(round_: Round, scenario: str, round_outputs: RoundOutputs) -> None:
    findings, blocks = findings_and_blocks(round_outputs, round_, scenario)
    assert set(blocks) == {f["id"] for f in findings}
