"""Table tests of the pure decisions over time: stability, hysteresis, verified close, quiet comments,
suspect ranking and the Mermaid chart."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

import gardener.garden  # noqa: F401  (garden before plan: the package pair imports each other)
from gardener.garden.errors import ActionRefused
from gardener.history.record import key_for
from gardener.history.summary import Obs
from gardener.hysteresis import adjust, step
from gardener.model import (
    CleanRecord,
    Edge,
    IssueRef,
    OverTime,
    OverTimePolicy,
    RunReport,
    Seen,
    SuspectCommit,
    SuspectRange,
    TrackerPolicy,
)
from gardener.over_time import with_suspects
from gardener.over_time.judge import per_test_stability
from gardener.over_time.read import Snapshot
from gardener.plan.close import decide_close, plan_closes
from gardener.plan.issue import Known
from gardener.plan.quiet import over_time_news
from gardener.stability import judge
from gardener.suspects import evidence_files, rank
from gardener.tracker.markers import Marker
from gardener.view.common import Ctx
from gardener.view.mermaid import chain_edges, flowchart, label
from tests.factories import finding, result

T0 = datetime(2026, 11, 1, tzinfo=UTC)
POLICY = OverTimePolicy()


def obs(pattern: str, shas: str | None = None, hours: float = 8) -> tuple[Obs, ...]:
    """`pattern`: one character a run, oldest first: F failed, P passed, S skipped, R passed on retry."""
    out = []
    for i, c in enumerate(pattern):
        outcome = {"F": "failed", "P": "passed", "S": "skipped", "R": "flaky"}[c]
        sha = (shas[i] * 7) if shas else f"{i:07x}"
        out.append(Obs(i, T0 + timedelta(hours=hours * i), sha, outcome))
    return tuple(out)


@pytest.mark.parametrize(("pattern", "now", "retried", "shas", "expected"), [
    ("PPPF", True, False, None, "new"),
    ("F", True, False, None, "new"),
    ("PPPFF", True, False, None, "broken"),
    ("PPFFFF", True, False, None, "broken"),
    ("PFPF", True, True, None, "flaky"),  # passed on retry somewhere in the window
    ("PFPF", True, False, "abbc", "flaky"),  # failed and passed on commit b
    ("PPPFPPPFPPPF", True, False, None, "flaky"),  # 3 of 12 over >= 10 runs
    ("PFPF", True, False, None, "flaky"),  # failed again after passing, too few runs for a rate
    ("FFFFFFFFFFFP", False, False, None, "fixed"),
    ("PPPP", False, False, None, None),
    ("PFSSF", True, False, None, "broken"),  # skipped runs prove nothing: two failures in a row
    ("PFPFFFFFFFFFFFFFFFFF", True, False, None, "flaky"),  # 18 of 20 (90%) is still within the band
    ("FPFFFFFFFFFFFFFFFFFFF", True, False, None, "broken"),  # 20 of 21 is above it
])
def test_stability(pattern: str, now: bool, retried: bool, shas: str | None, expected: str | None) -> None:
    assert judge(obs(pattern, shas), now, POLICY, retried).stability == expected


def test_broken_since_names_the_first_failing_commit_and_counts_only_executed_runs() -> None:
    v = judge(obs("PPSFF"), True, POLICY)
    assert v.stability == "broken" and v.since is not None and v.since.sha == f"{3:07x}"
    assert (v.runs, v.failures) == (4, 2)
    assert "2 runs" in v.reason


@pytest.mark.parametrize(("previous", "failures", "expected", "words"), [
    ("P2", 10, "P1", "raised to P1: failed in 10 of the last 12 runs (7 days)"),
    ("P2", 9, "P2", ""),  # below activation, never raised: the rule's
    ("P1", 9, "P1", "kept at P1"),  # between the thresholds: it stays raised
    ("P1", 5, "P1", "kept at P1"),
    ("P1", 4, "P2", "lowered to P2: failed in 4 of the last 12 runs (7 days), below 5"),
    ("P2", 0, "P2", ""),
])
def test_hysteresis_step(previous: str, failures: int, expected: str, words: str) -> None:
    got = step("P2", previous, failures, 12, POLICY)  # type: ignore[arg-type]
    assert got.priority == expected
    assert got.change.startswith(words) if words else got.change == ""


def test_hysteresis_fold_does_not_flap_between_the_thresholds() -> None:
    policy = replace(POLICY, raise_at=4, lower_below=2, impact_window_days=1)
    # 4 failures within a day raise it; later 3 and 2 a day keep it; 1 a day lowers it (4 runs a day)
    day = "FFFF" + "FFFP" + "FFPP" + "FPPP" + "PPPF"
    history = obs(day, hours=6)
    seen = []
    for i in range(1, len(history) + 1):
        if history[i - 1].failed:
            seen.append(adjust("P2", history[:i], policy).priority)
    assert seen == ["P2", "P2", "P2", "P1", "P1", "P1", "P1", "P1", "P1", "P1", "P2"]


def _known(number: int = 7, labels: tuple[str, ...] = ("gardener", "P2", "failing-test:x"), state: str = "open",
           prio: str = "P2") -> Known:
    issue = IssueRef(number=number, id=number * 10, title="t", state=state, url="", labels=labels)
    return Known(issue, Marker(sig="d1", prio=prio, finding="f-1"))


def _clean(n: int, days: float) -> CleanRecord:
    last = Seen(T0, "bad0000")
    clean = tuple(Seen(T0 + timedelta(days=days * (i + 1) / n), f"ok{i:05d}") for i in range(n))
    return CleanRecord("d1", clean, last, n)


@pytest.mark.parametrize(("rec", "labels", "prio", "close", "why"), [
    (_clean(5, 2.0), ("gardener", "P2"), "P2", True, "verified fixed"),
    (_clean(4, 3.0), ("gardener", "P2"), "P2", False, "4 runs"),
    (_clean(6, 1.5), ("gardener", "P2"), "P2", False, "1.5 days"),
    (_clean(5, 2.0), ("gardener", "P2", "keep-open"), "P2", False, "a person's label (keep-open)"),
    (_clean(5, 2.0), ("gardener", "P0"), "P2", False, "a person set its priority"),
    (None, ("gardener", "P2"), "P2", False, "no history"),
])
def test_verified_close(rec: CleanRecord | None, labels: tuple[str, ...], prio: str, close: bool, why: str) -> None:
    k = _known(labels=labels, prio=prio)
    now = rec.clean[-1].at if rec else T0
    d = decide_close(k, rec, POLICY, TrackerPolicy(), now)
    assert d.close is close and why in d.reason
    if close:
        assert any("Last failure: 2026-11-01 00:00 UTC at bad0000" in line for line in d.lines)
        assert any("Passing since" in line and "ok00000" in line for line in d.lines)


def test_closes_skip_issues_this_run_gardens_closed_ones_and_respect_the_cap() -> None:
    known = [_known(n) for n in (1, 2, 3, 4)] + [_known(5, state="closed")]
    known = [replace(k, marker=replace(k.marker, sig=f"d{k.issue.number}")) for k in known]
    clean = {f"d{n}": replace(_clean(5, 2.0), digest=f"d{n}") for n in range(1, 6)}
    now = T0 + timedelta(days=2)
    got = plan_closes(known, {2}, clean, replace(POLICY, max_closes=1), TrackerPolicy(), now)
    assert [(d.known.issue.number, d.close) for d in got] == [(1, True), (3, False), (4, False)]
    assert "cap" in got[1].reason


@pytest.mark.parametrize(("stab", "old_stab", "lines", "commented_ago", "expected"), [
    ("flaky", "flaky", ("Still failing: seen again",), 10, ()),  # known rate: no news
    ("broken", "broken", ("Still failing: seen again",), 10, ()),
    ("flaky", "new", (), 10, ("Now flaky (was new): failed again.",)),
    ("flaky", "new", (), 0.5, ()),  # within the cooldown: held back
    ("flaky", "flaky", ("A new error text appeared (excerpt below).",), 10,
     ("A new error text appeared (excerpt below).",)),
    ("flaky", "flaky", ("A new error text appeared (excerpt below).",), 0.5, ()),  # one per cooldown, whatever
])
def test_quiet_news(stab: str, old_stab: str, lines: tuple[str, ...], commented_ago: float,
                    expected: tuple[str, ...]) -> None:
    now = T0 + timedelta(days=20)
    old = Marker(sig="d", stab=old_stab, commented=(now - timedelta(days=commented_ago)).isoformat())
    ot = OverTime(stability=stab, reason="failed again", runs=10, failures=3)
    assert over_time_news(lines, ot, old, TrackerPolicy(comment_cooldown_days=1), now) == expected


def test_suspects_touching_evidence_files_rank_first() -> None:
    f = finding("f-cart", "assertion", results=(
        result("tests/test_cart.py::test_total", details='File "src/shop/cart.py", line 3, in total'),
        result("log:build", details="failed to solve: Dockerfile:12 and poetry.lock is out of date")))
    files = evidence_files(f)
    assert {"tests/test_cart.py", "src/shop/cart.py", "Dockerfile", "poetry.lock"} <= files
    commits = [SuspectCommit("a1", "ann", "docs", ("README.md",)),
               SuspectCommit("b2", "bob", "touch the test", ("repo/tests/test_cart.py", "x.md")),
               SuspectCommit("c3", "cy", "unrelated", ("src/other.py",)),
               SuspectCommit("d4", "di", "bump lock", ("poetry.lock",))]
    ranked = rank(commits, files)
    assert [c.sha for c in ranked] == ["d4", "b2", "c3", "a1"]
    assert ranked[1].touches == ("repo/tests/test_cart.py",)


def test_mermaid_labels_cannot_break_out_and_mentions_are_neutralised() -> None:
    ctx = Ctx()
    text = label('Boom"] --> evil["x @octocat #12; [link](http://e) ghp_' + "A" * 36, ctx)
    for bad in '"[]();#`<>|':
        assert bad not in text
    assert "@octocat" not in text and "ghp_AAAA" not in text
    a = finding("f-a", "docker-build", title='Build "broken" [x]')
    b = finding("f-b", "assertion")
    c = finding("f-c", "assertion")

    report = RunReport(generated_at=T0, command_line="", focus=(), scope=None, files=(), attempts=(),
                       findings=(a, b, c), edges=(), phases=(), resolution_order=(), actions=())
    edges = (Edge("f-a", "f-b", "build"), Edge("f-b", "f-c", "chain"), Edge("f-a", "f-x", "other"))
    chart = flowchart(chain_edges("f-c", edges), report, ctx)
    assert chart is not None and chart.startswith("flowchart TD")
    assert '["f-a: Build broken x"]' in chart
    assert chart.count("-->|blocks|") == 2
    assert flowchart((), report, ctx) is None


def test_tests_failing_through_an_environment_cause_are_not_judged_alone() -> None:
    name = "tests/test_api.py::test_get"
    env = finding("f-net", "connection-refused", layer="environment", results=(result(name),))
    own = replace(env, layer="test")
    snap = Snapshot("o/r", T0, 1, {}, {}, {key_for(name, ""): obs("PFPPPFPPPF")}, {})
    assert per_test_stability(env, snap, POLICY) == ((name, None),)
    assert per_test_stability(own, snap, POLICY) == ((name, "flaky"),)


def test_suspects_survive_a_compare_the_tracker_refuses() -> None:

    f = finding("f-a", "assertion")
    ot = OverTime("broken", "since x", 3, 2, suspect=SuspectRange(Seen(T0, "good"), Seen(T0, "bad"), "url"))
    report = RunReport(generated_at=T0, command_line="", focus=(), scope=None, files=(), attempts=(),
                       findings=(f,), edges=(), phases=(), resolution_order=(), actions=(), over_time=(("f-a", ot),))
    calls = []

    def refuse(good: str, bad: str) -> tuple[SuspectCommit, ...]:
        calls.append((good, bad))
        raise ActionRefused("No common ancestor")

    got = with_suspects(report, refuse, POLICY).over_time_for("f-a")
    assert got is not None and got.suspect is not None and got.suspect.commits == ()
    assert got.suspect.compare_url == "url" and calls == [("good", "bad")]
