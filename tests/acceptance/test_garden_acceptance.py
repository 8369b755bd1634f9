"""Acceptance of issue 6 ("Garden GitHub issues") on a scenario the developers have not seen.

tests/acceptance/data/storefront-npm-ci: one GitHub Actions job of acme/shop. `docker compose up` cannot pull
the images it should build (acme/shop-storefront, acme/shop-cart-api: pull access denied), then the storefront
image build fails at `RUN npm ci` (lock file out of sync); pytest then runs against the dead stack: two HTTP
tests and one websocket test are refused on port 3000, a websocket test module cannot be imported, and one
pricing assertion fails on its own. week1/ and week2/ are the same job a week apart (every timestamp moved).
Planted for the safety checks: a ghp_ token, two password URLs, the run's own token, npm scopes that read as
team mentions (@acme/ui-kit) and a person's handle (@dana-k).

Everything goes through the real processes: `gardener sandbox serve` and `gardener run ... --apply`; what
reached GitHub is read back through PyGithub and the sandbox's request log. Defects found are marked
xfail(strict=True) with the defect in the reason, so the suite stays green and a fix turns them red.
"""

from __future__ import annotations

import json
import re
import signal
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.acceptance.harness import (
    LIVE_MENTION,
    RUN_TOKEN,
    Run,
    SandboxProcess,
    finished,
    garden,
    materialise,
    metadata,
    start,
    wait_for,
)

PLANTED_SECRETS = (
    "ghp_R7tQk2VbX9mL4sWc8NzJ1hYd6PfA3uE0oGiT",  # a GitHub token in a test's captured log and npm's config dump
    "Tr0ub4dor-and-3",  # https://ci-reader:<password>@npm.acme.internal/ in the image build output
    "Wh1sper-Pa55",  # ws://alerts:<password>@localhost:3000/ws in the websocket test's captured log
    RUN_TOKEN,  # the run's own GITHUB_TOKEN, echoed by a test's captured log
)
PLANTED_HANDLES = ("@acme/ui-kit", "@acme/design-tokens", "@dana-k")
HUMAN_ISSUES = (
    ("Price alert websocket drops messages after reconnect", "After a reconnect the price alert feed goes quiet.",
     ["bug", "websocket"]),
    ("Cart sync over WebSocket shows stale totals", "The cart websocket feed sends totals before discounts.",
     ["websocket"]),
    ("Checkout button misaligned on Safari", "CSS only, no backend involved.", ["frontend"]),
)
WEBSOCKET_HUMAN = (1, 2)  # numbers of the human-filed websocket issues (filed first, so #1 and #2)


# ---------------------------------------------------------------------------------------------------------------
# The story, run once: seed people's issues, garden week1 twice, close two issues the way people do, garden week1
# again (older evidence), week2 (newer evidence), then week2 with --focus websocket.
# ---------------------------------------------------------------------------------------------------------------
@dataclass
class Story:
    sandbox: SandboxProcess
    week1: Path
    week2: Path
    runs: dict[str, Run] = field(default_factory=dict)
    after_run1: dict[int, dict[str, Any]] = field(default_factory=dict)  # bot issue number → snapshot
    blocked_by_after_run1: dict[int, list[int]] = field(default_factory=dict)  # number → blocker numbers
    closed_completed: int = 0
    closed_not_planned: int = 0
    states: dict[str, dict[int, tuple[str, str | None, int]]] = field(default_factory=dict)  # stage → (state,..)
    humans_before: dict[int, tuple[str, str]] = field(default_factory=dict)
    focus_json: dict[str, Any] = field(default_factory=dict)

    def finding_issue(self, finding: dict[str, Any]) -> int:
        return int(finding["issue"]["number"])


def snapshot_states(sandbox: SandboxProcess) -> dict[int, tuple[str, str | None, int]]:
    return {i.number: (i.state, i.state_reason, i.comments) for i in sandbox.repo().get_issues(state="all")}


def by_category(run: Run, category: str) -> list[dict[str, Any]]:
    return [f for f in run.plan["findings"] if f["category"] == category]


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Story]:
    base = tmp_path_factory.mktemp("story")
    week1, week2 = materialise(base / "inputs")
    sandbox = SandboxProcess(base / "sandbox.json")
    try:
        repo = sandbox.repo()
        for title, body, labels in HUMAN_ISSUES:
            repo.create_issue(title=title, body=body, labels=labels)
        story = Story(sandbox, week1, week2)
        story.humans_before = {i.number: (i.body, i.updated_at.isoformat()) for i in repo.get_issues(state="all")}

        story.runs["first"] = garden(sandbox, base / "first", week1)
        for issue in repo.get_issues(state="all", labels=["gardener"]):
            story.after_run1[issue.number] = {"title": issue.title, "body": issue.body, "state": issue.state,
                                              "labels": sorted(label.name for label in issue.labels)}
            story.blocked_by_after_run1[issue.number] = [b["number"] for b in sandbox.blocked_by(issue.number)]
        story.runs["same"] = garden(sandbox, base / "same", week1)

        first = story.runs["first"]
        completed = by_category(first, "import-collection-error") or first.plan["findings"][-2:-1]
        not_planned = by_category(first, "assertion-failure") or first.plan["findings"][-1:]
        story.closed_completed = story.finding_issue(completed[0])
        story.closed_not_planned = story.finding_issue(not_planned[0])
        repo.get_issue(story.closed_completed).edit(state="closed", state_reason="completed")
        repo.get_issue(story.closed_not_planned).edit(state="closed", state_reason="not_planned")
        story.states["closed"] = snapshot_states(sandbox)

        story.runs["older"] = garden(sandbox, base / "older", week1)
        story.states["older"] = snapshot_states(sandbox)
        story.runs["newer"] = garden(sandbox, base / "newer", week2)
        story.states["newer"] = snapshot_states(sandbox)
        story.runs["focus"] = garden(sandbox, base / "focus", week2, extra=("--focus", "websocket", "--json"))
        story.states["focus"] = snapshot_states(sandbox)
        story.focus_json = json.loads(story.runs["focus"].stdout)
        yield story
    finally:
        assert sandbox.stop() == 0, "the sandbox did not stop cleanly on SIGTERM"


def bot_issues(sandbox: SandboxProcess) -> list[Any]:
    return list(sandbox.repo().get_issues(state="all", labels=["gardener"]))


# ---------------------------------------------------------------------------------------------------------------
# 1. Run 1: one issue per finding, labels, hidden block, blocked-by links through the dependencies API
# ---------------------------------------------------------------------------------------------------------------
def test_run1_files_one_issue_per_finding_with_labels_and_hidden_block(story: Story) -> None:
    first = story.runs["first"]
    assert first.rc == 0, first.stderr
    findings = first.plan["findings"]
    assert len(findings) >= 4
    numbers = [story.finding_issue(f) for f in findings]
    assert len(set(numbers)) == len(findings) == len(story.after_run1), "one issue per finding"
    assert first.count("POST", r"/issues$") == len(findings)
    junit = (story.week1 / "junit-integration.xml").read_text(encoding="utf-8")
    evidence_day = re.search(r'timestamp="(\d{4}-\d{2}-\d{2})', junit).group(1)  # type: ignore[union-attr]
    for finding in findings:
        issue = story.after_run1[story.finding_issue(finding)]
        assert issue["state"] == "open" and issue["title"] == finding["title"]
        assert len(issue["title"]) <= 256
        assert issue["labels"] == sorted(["gardener", finding["priority"], f"failing-test:{finding['category']}"])
        block = metadata(issue["body"])
        assert block["v"] == 1 and block["sig_v"] == finding["signature"]["version"]
        assert block["sig"] == finding["signature"]["digest"]
        assert block["tests"] == finding["tests"]
        assert block["count"] == finding["count"]
        assert block["first_seen"][:10] == block["last_seen"][:10] == evidence_day, "evidence time, not now"
        assert f"`{finding['label']}`" in issue["body"], "the composed category is shown in the body"


def test_run1_links_follow_the_edges_through_the_dependencies_api_and_the_bodies(story: Story) -> None:
    first = story.runs["first"]
    issue_of = {f["id"]: story.finding_issue(f) for f in first.plan["findings"]}
    expected: dict[int, set[int]] = {n: set() for n in story.after_run1}
    for edge in first.plan["edges"]:
        expected[issue_of[edge["blocked"]]].add(issue_of[edge["blocker"]])
    assert any(expected.values()), "the scenario has blocked-by edges"
    assert {n: set(b) for n, b in story.blocked_by_after_run1.items()} == expected
    assert first.count("POST", r"/dependencies/blocked_by$") == len(first.plan["edges"])
    documents = first.document("WORKLOG") + first.document("SUMMARY")
    for blocked, blockers in expected.items():
        for blocker in blockers:
            assert f"Blocked by #{blocker}" in story.after_run1[blocked]["body"]
            assert f"Blocks #{blocked}" in story.after_run1[blocker]["body"]
            assert f"#{blocked} blocked by #{blocker}" in documents, "the chain with real numbers"


def test_refused_tests_issue_is_blocked_by_the_build_failure_issue(story: Story) -> None:
    first = story.runs["first"]
    builds = [f for f in first.plan["findings"]
              if f["category"] in ("docker-build-failure", "dependency-install-failure")]
    assert len(builds) == 1, "the image build failure is one finding"
    build = story.finding_issue(builds[0])
    refused = [story.finding_issue(f) for f in by_category(first, "connection-refused")]
    assert refused

    def blockers(number: int, seen: frozenset[int] = frozenset()) -> set[int]:
        direct = set(story.blocked_by_after_run1.get(number, ())) - seen
        return direct.union(*(blockers(n, seen | direct) for n in direct))

    for number in refused:
        assert build in blockers(number), f"#{number} is not blocked by the build failure #{build}"
        assert "Blocked by #" in story.after_run1[number]["body"]


def test_the_refused_tests_of_one_dead_service_are_one_issue(story: Story) -> None:
    refused = by_category(story.runs["first"], "connection-refused")
    assert len(refused) == 1
    assert len(refused[0]["tests"]) == 3


def test_the_import_error_is_not_blocked_by_the_image_build(story: Story) -> None:
    (collection,) = by_category(story.runs["first"], "import-collection-error")
    assert story.blocked_by_after_run1[story.finding_issue(collection)] == []


# ---------------------------------------------------------------------------------------------------------------
# 2. Run 2 with the same inputs: nothing created, nothing commented (nothing written at all)
# ---------------------------------------------------------------------------------------------------------------
def test_run2_with_the_same_inputs_creates_and_comments_nothing(story: Story) -> None:
    same = story.runs["same"]
    assert same.rc == 0, same.stderr
    assert same.count("POST", r"/issues$") == 0
    assert same.count("POST", r"/comments$") == 0
    assert same.writes() == [], "README: a second run on the same inputs sends no write at all"
    assert "no changes" in same.stdout


# ---------------------------------------------------------------------------------------------------------------
# 3./4. Closed issues: older evidence leaves them closed; newer evidence reopens the completed one, never the
# not-planned one, and files nothing new
# ---------------------------------------------------------------------------------------------------------------
def test_older_evidence_leaves_closed_issues_closed(story: Story) -> None:
    older = story.runs["older"]
    assert older.rc == 0, older.stderr
    closed, after = story.states["closed"], story.states["older"]
    for number in (story.closed_completed, story.closed_not_planned):
        assert after[number] == closed[number], f"#{number} was touched: {closed[number]} → {after[number]}"
    assert older.count("POST", r"/issues$") == 0 and older.count("POST", r"/comments$") == 0
    assert not [r for r in older.writes() if r["path"].endswith(f"/issues/{story.closed_completed}")]


def test_newer_evidence_reopens_the_completed_issue_instead_of_filing_a_new_one(story: Story) -> None:
    newer = story.runs["newer"]
    assert newer.rc == 0, newer.stderr
    number = story.closed_completed
    state, reason, comments = story.states["newer"][number]
    assert (state, reason) == ("open", "reopened")
    assert comments == story.states["older"][number][2] + 1, "one comment with the reopening"
    assert newer.count("POST", r"/issues$") == 0, "reopened, not refiled"
    assert len(story.states["newer"]) == len(story.states["closed"])
    assert [a["kind"] for a in newer.plan["actions"] if a.get("issue") == number and a["kind"] != "update"] == [
        "reopen"]
    comment = list(story.sandbox.repo().get_issue(number).get_comments())[-1].body
    assert "came back" in comment


def test_the_reopening_comment_names_what_came_back(story: Story) -> None:
    comment = list(story.sandbox.repo().get_issue(story.closed_completed).get_comments())[-1].body
    assert "test_ws_cart_sync" in comment or "shop.realtime.cart_feed" in comment


def test_not_planned_is_never_reopened(story: Story) -> None:
    number = story.closed_not_planned
    for stage in ("older", "newer", "focus"):
        assert story.states[stage][number] == ("closed", "not_planned", 0), stage
    for name in ("older", "newer"):
        assert not [r for r in story.runs[name].writes() if f"/issues/{number}" in r["path"]]
    assert len(story.states["focus"]) == len(story.states["closed"]), "and no new issue for it either"


# ---------------------------------------------------------------------------------------------------------------
# 5. --focus websocket: the human-filed websocket issues in the summary's related section and the JSON
# ---------------------------------------------------------------------------------------------------------------
def related_section(summary: str) -> str:
    start = summary.index("## Related Existing Issues")
    return summary[start:summary.index("\n## ", start + 5)]


def test_focus_run_lists_related_human_websocket_issues_in_the_summary(story: Story) -> None:
    focus = story.runs["focus"]
    assert focus.rc == 0, focus.stderr
    section = related_section(focus.document("SUMMARY"))
    for number in WEBSOCKET_HUMAN:
        title = HUMAN_ISSUES[number - 1][0]
        assert f"#{number}]" in section and title in section
    assert "#3]" not in section and "Safari" not in section, "an unrelated human issue is not listed"
    assert focus.count("GET", r"^/search/issues$") <= 2


def test_focus_run_lists_related_human_websocket_issues_in_the_json(story: Story) -> None:
    text = json.dumps(story.focus_json)
    for number in WEBSOCKET_HUMAN:
        assert HUMAN_ISSUES[number - 1][0] in text


def test_human_filed_issues_are_never_edited(story: Story) -> None:
    repo = story.sandbox.repo()
    for number, (body, updated) in story.humans_before.items():
        issue = repo.get_issue(number)
        assert (issue.body, issue.updated_at.isoformat(), issue.comments, issue.state) == (body, updated, 0, "open")


# ---------------------------------------------------------------------------------------------------------------
# 6. API requests: reported in the worklog footer and the JSON, equal to what reached the server, O(pages+writes)
# ---------------------------------------------------------------------------------------------------------------
FOOTER = re.compile(r"\*\*GitHub API requests:\*\*\s*(\d+)\s*\Z")


@pytest.mark.parametrize("name", ["first", "same", "older", "newer", "focus"])
def test_request_count_is_reported_and_true(story: Story, name: str) -> None:
    run = story.runs[name]
    footer = FOOTER.search(run.document("WORKLOG").rstrip())
    assert footer, "the worklog ends with the request count"
    reported = int(footer.group(1))
    assert reported == run.plan["api_requests"] == len(run.requests)
    assert f"GitHub API requests: {reported}" in run.stdout or name == "focus"
    reads = len(run.requests) - len(run.writes())
    assert reads <= 6, f"reads are pages of bot issues + at most 2 searches + repo/labels, got {reads}"
    assert run.count("GET", r"^/search/issues$") <= 2


def test_request_count_scales_with_writes_not_findings(story: Story) -> None:
    first, same = story.runs["first"], story.runs["same"]
    assert len(same.requests) <= 4, "a rerun costs its reads only (README: 4)"
    assert len(first.requests) <= len(first.writes()) + 6


# ---------------------------------------------------------------------------------------------------------------
# 7. Safety: no token, secret or live @mention in an issue, a comment, the terminal (or the written documents)
# ---------------------------------------------------------------------------------------------------------------
def everything_posted(sandbox: SandboxProcess) -> dict[str, str]:
    posted = {}
    for issue in sandbox.repo().get_issues(state="all"):
        posted[f"#{issue.number} title"] = issue.title
        posted[f"#{issue.number} body"] = issue.body or ""
        for comment in issue.get_comments():
            posted[f"#{issue.number} comment {comment.id}"] = comment.body
    return {k: v for k, v in posted.items() if not k.startswith(tuple(f"#{n} " for n in (1, 2, 3)))}


def leaks(texts: dict[str, str]) -> list[str]:
    found = []
    for where, text in texts.items():
        found += [f"{where}: secret {s[:6]}…" for s in PLANTED_SECRETS if s in text]
        found += [f"{where}: mention {m}" for m in LIVE_MENTION.findall(text)]
    return found


def test_no_secret_or_live_mention_reaches_issues_or_comments(story: Story) -> None:
    posted = everything_posted(story.sandbox)
    assert leaks(posted) == []
    joined = "\n".join(posted.values())
    assert "[REDACTED" in joined, "the planted secrets were excerpted (redacted), so this check is not vacuous"
    assert "@\u200bacme/ui-kit" in joined and "@\u200bdana-k" in joined, "the planted handles were excerpted"


def test_no_secret_or_live_mention_reaches_the_terminal_or_the_documents(story: Story) -> None:
    texts = {}
    for name, run in story.runs.items():
        texts[f"{name} terminal"] = run.terminal
        for kind in ("WORKLOG", "SUMMARY"):
            texts[f"{name} {kind}"] = run.document(kind)
        texts[f"{name} plan.json"] = json.dumps(run.plan, ensure_ascii=False)
    assert leaks(texts) == []
    assert all(h not in texts["first WORKLOG"] for h in PLANTED_HANDLES)


# ---------------------------------------------------------------------------------------------------------------
# 8. and the second acceptance line: 5xx, secondary rate limit, a refused step, a crash, two runs at once
# ---------------------------------------------------------------------------------------------------------------
@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[tuple[SandboxProcess, Path]]:
    week1, _ = materialise(tmp_path / "inputs")
    sandbox = SandboxProcess(tmp_path / "sandbox.json")
    try:
        yield sandbox, week1
    finally:
        assert sandbox.stop() == 0


def assert_converged(sandbox: SandboxProcess, run: Run) -> None:
    """One open issue per finding's signature, every edge linked, nothing else open."""
    issues = [i for i in sandbox.repo().get_issues(state="open", labels=["gardener"])]
    signatures = Counter(metadata(i.body)["sig"] for i in issues)
    assert signatures == Counter(f["signature"]["digest"] for f in run.plan["findings"]), "no duplicate, none lost"
    number_of = {metadata(i.body)["sig"]: i.number for i in issues}
    sig_of = {f["id"]: f["signature"]["digest"] for f in run.plan["findings"]}
    for edge in run.plan["edges"]:
        blocked, blocker = number_of[sig_of[edge["blocked"]]], number_of[sig_of[edge["blocker"]]]
        assert blocker in [b["number"] for b in sandbox.blocked_by(blocked)], f"#{blocked} not blocked by #{blocker}"


def test_5xx_on_two_creates_is_retried_without_duplicates(fresh: tuple[SandboxProcess, Path], tmp_path: Path) -> None:
    sandbox, week1 = fresh
    sandbox.inject("POST", r"/issues$", {"status": 502}, times=2)
    run = garden(sandbox, tmp_path / "out", week1)
    assert run.rc == 0, run.stderr
    statuses = [r["status"] for r in run.requests if r["method"] == "POST" and r["path"].endswith("/issues")]
    assert statuses.count(502) == 2 and statuses.count(201) == len(run.plan["findings"])
    for i, record in enumerate(run.requests):  # README: a create whose answer was lost is looked up first
        if record["status"] == 502:
            assert run.requests[i + 1]["method"] == "GET" and run.requests[i + 1]["path"].endswith("/issues")
    assert all(not a.get("error") for a in run.plan["actions"])
    assert_converged(sandbox, run)


def test_secondary_rate_limit_retry_after_is_honoured(fresh: tuple[SandboxProcess, Path], tmp_path: Path) -> None:
    sandbox, week1 = fresh
    sandbox.inject("POST", r"/issues$", {"kind": "secondary_rate_limit", "retry_after": 1})
    before = sandbox.last_seq()
    proc = start(sandbox, tmp_path / "out", week1)

    def creates() -> list[dict[str, Any]]:
        return [r for r in sandbox.requests(before) if r["method"] == "POST" and r["path"].endswith("/issues")]

    limited_at = wait_for(lambda: any(r["status"] == 403 for r in creates()), step=0.02)
    retried_at = wait_for(lambda: any(r["status"] == 201 for r in creates()), step=0.02)
    stdout, stderr = proc.communicate(timeout=60)
    run = finished(sandbox, tmp_path / "out", before, proc.returncode, stdout, stderr)
    assert run.rc == 0, stderr
    assert retried_at - limited_at >= 0.8, "the retry came before retry-after (1 s) was up"
    assert [r["fault"] for r in run.requests if r["status"] == 403] == ["secondary_rate_limit"]
    assert_converged(sandbox, run)


def test_a_refused_step_is_reported_and_the_next_run_completes_it(
        fresh: tuple[SandboxProcess, Path], tmp_path: Path) -> None:
    sandbox, week1 = fresh
    sandbox.inject("POST", r"/dependencies/blocked_by$", {"status": 422})
    run = garden(sandbox, tmp_path / "out", week1)
    assert run.rc == 1, "README: a step that could not be done makes the exit code 1"
    failed = [a for a in run.plan["actions"] if a.get("error")]
    assert [a["kind"] for a in failed] == ["link"]
    assert "✗" in run.stdout and "link" in run.stderr
    assert "✗" in run.document("WORKLOG").split("## Issue Tracker")[1]
    assert run.count("POST", r"/dependencies/blocked_by$") == len(run.plan["edges"]), "the run went on"
    again = garden(sandbox, tmp_path / "again", week1)
    assert again.rc == 0 and again.count("POST", r"/issues$") == 0
    assert again.count("POST", r"/dependencies/blocked_by$") == 1
    assert_converged(sandbox, again)


def test_a_refused_link_is_reported_with_its_issue_numbers(fresh: tuple[SandboxProcess, Path], tmp_path: Path) -> None:
    sandbox, week1 = fresh
    sandbox.inject("POST", r"/dependencies/blocked_by$", {"status": 422})
    run = garden(sandbox, tmp_path / "out", week1)
    (failed,) = [a for a in run.plan["actions"] if a.get("error")]
    assert f"✗ → link     #{failed['issue']} blocked by #{failed['blocker_issue']}" in run.stdout
    made = sum(1 for a in run.plan["actions"] if a["kind"] == "link" and not a.get("error"))
    assert f"link {made}," in run.stdout


def test_a_run_killed_after_its_first_writes_is_completed_by_the_next(
        fresh: tuple[SandboxProcess, Path], tmp_path: Path) -> None:
    sandbox, week1 = fresh
    sandbox.inject("POST", r"/issues$", {"kind": "delay", "seconds": 0.4}, times=10)
    before = sandbox.last_seq()
    proc = start(sandbox, tmp_path / "killed", week1)
    wait_for(lambda: sum(r["method"] == "POST" and r["path"].endswith("/issues") and r["status"] == 201
                         for r in sandbox.requests(before)) >= 2)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=10)
    time.sleep(0.5)  # a create in flight when the process died still lands on the server
    sandbox.admin("DELETE", "faults")
    filed_before = len(list(sandbox.repo().get_issues(state="all", labels=["gardener"])))
    assert 2 <= filed_before < 6
    run = garden(sandbox, tmp_path / "rerun", week1)
    assert run.rc == 0, run.stderr
    assert run.count("POST", r"/issues$") == len(run.plan["findings"]) - filed_before
    assert_converged(sandbox, run)
    assert len(list(sandbox.repo().get_issues(state="all", labels=["gardener"]))) == len(run.plan["findings"])


@dataclass
class Race:
    """Two runs of week1 at once (neither sees the other's issues), then the run that should converge them."""

    sandbox: SandboxProcess
    plans: list[dict[str, Any]]
    converge: Run
    quiet: Run
    mixed: bool  # some kept blocker came from one run and its own run's blocked issue is a closed duplicate


def race_once(base: Path) -> Race:
    week1, _ = materialise(base / "inputs")
    sandbox = SandboxProcess(base / "sandbox.json")
    # Both runs read an empty tracker (their first reads are held), then their creates interleave: the leader
    # files the first finding, the other run files everything else before the leader's second create lands.
    # Faults apply in arrival order, so whichever run comes first is the leader.
    for hold in (0.3, 0.6):
        sandbox.inject("GET", r"/repos/acme/shop/issues$", {"kind": "delay", "seconds": hold})
    for hold in (0.6, 0.5, 0.6):
        sandbox.inject("POST", r"/repos/acme/shop/issues$", {"kind": "delay", "seconds": hold})
    procs = [start(sandbox, base / f"run{i}", week1) for i in (1, 2)]
    for proc in procs:
        proc.communicate(timeout=60)
        assert proc.returncode == 0
    plans = [json.loads((base / f"run{i}" / "plan.json").read_text(encoding="utf-8")) for i in (1, 2)]
    kept = {f["id"]: min(f["issue"]["number"], theirs["issue"]["number"])
            for f in plans[0]["findings"] for theirs in plans[1]["findings"] if theirs["id"] == f["id"]}
    mixed = False
    for plan in plans:
        mine = {f["id"]: f["issue"]["number"] for f in plan["findings"]}
        mixed |= any(mine[e["blocker"]] == kept[e["blocker"]] and mine[e["blocked"]] != kept[e["blocked"]]
                     for e in plan["edges"])
    converge = garden(sandbox, base / "converge", week1)
    quiet = garden(sandbox, base / "quiet", week1)
    return Race(sandbox, plans, converge, quiet, mixed)


@pytest.fixture(scope="module")
def race(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Race]:
    """The held requests make the interleaving all but certain; retry once should the scheduler disagree."""
    for attempt in range(2):
        result = race_once(tmp_path_factory.mktemp(f"race{attempt}"))
        if result.mixed or attempt == 1:
            break
        assert result.sandbox.stop() == 0
    try:
        yield result
    finally:
        assert result.sandbox.stop() == 0


def test_two_runs_at_once_converge_on_the_next_run(race: Race) -> None:
    sandbox, converge = race.sandbox, race.converge
    assert all(f["issue"] for plan in race.plans for f in plan["findings"])
    assert {f["issue"]["number"] for f in race.plans[0]["findings"]}.isdisjoint(
        f["issue"]["number"] for f in race.plans[1]["findings"]), "the race happened: both runs filed"
    assert converge.rc == 0, converge.stderr
    assert_converged(sandbox, converge)
    duplicates = list(sandbox.repo().get_issues(state="closed", labels=["gardener"]))
    assert len(duplicates) == len(converge.plan["findings"])
    kept = {metadata(i.body)["sig"]: i.number for i in sandbox.repo().get_issues(state="open", labels=["gardener"])}
    for dup in duplicates:
        assert dup.state_reason == "duplicate" and dup.comments == 1
        original = kept[metadata(dup.body)["sig"]]
        assert original < dup.number, "the newer one is closed, the older kept"
        assert f"#{original}" in next(iter(dup.get_comments())).body


def test_after_converging_a_rerun_writes_nothing(race: Race) -> None:
    if not race.mixed:
        pytest.skip("the scheduler never interleaved the two runs' issues in 2 tries")
    assert race.quiet.rc == 0
    assert race.quiet.writes() == []
